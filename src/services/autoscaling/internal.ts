// Auto Scaling's port (port.ts) implemented over its state and control loop.
import { groupMetricsSource } from './group-metrics.ts'
import type { AutoScalingPort } from './port.ts'
import type { Scaler } from './scaler.ts'
import { type AutoScalingState, findGroup } from './store.ts'
import { warmedState } from './warm-pool.ts'

export function createAutoScalingPort(state: AutoScalingState, scaler: Scaler, runAlarmAction: AutoScalingPort['runAlarmAction']): AutoScalingPort {
  return {
    runAlarmAction,
    group: (account, region, name) => {
      const group = findGroup(state.region(account, region), name)
      if (group === undefined) return undefined
      scaler.settle(group)
      return {
        account, region, name: group.name, arn: group.arn, minSize: group.min, maxSize: group.max, desiredCapacity: group.desired,
        instances: group.instances.map((i) => ({ instanceId: i.id, availabilityZone: i.zone, lifecycleState: i.state, healthStatus: i.health })),
      }
    },
    instancesChanged: (account, region, instanceId) => scaler.ec2Changed(account, region, instanceId),
    targetLifecycleState: (account, region, instanceId) => {
      for (const group of state.region(account, region).groups.values()) {
        const instance = group.instances.find((i) => i.id === instanceId)
        if (instance !== undefined) return targetState(instance.state)
        // A warm pool's instance heads for the pool's state (Warmed:Stopped, …) while it is prepared [D].
        const warm = group.warmPool?.instances.find((i) => i.id === instanceId)
        if (warm !== undefined) return warm.state.startsWith('Warmed:Pending') ? warmedState(group.warmPool!) : warm.state.startsWith('Warmed:Terminat') ? 'Warmed:Terminated' : warm.state
      }
      return undefined
    },
    metrics: groupMetricsSource(state),
  }
}

/** A lifecycle state's target, as AWS's IMDS reports it: a hook's wait still heads to InService or Terminated [D]. */
function targetState(state: string): string {
  if (state.startsWith('Pending') || state === 'InService') return 'InService'
  if (state.startsWith('Terminating') || state === 'Terminated') return 'Terminated'
  if (state === 'EnteringStandby' || state === 'Standby') return 'Standby'
  if (state.startsWith('Detach')) return 'Detached'
  return state
}
