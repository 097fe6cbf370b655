// Auto Scaling's port (port.ts) implemented over its state and control loop.
import { groupMetricsSource } from './group-metrics.ts'
import type { AutoScalingPort } from './port.ts'
import type { Scaler } from './scaler.ts'
import { type AutoScalingState, findGroup } from './store.ts'

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
    metrics: groupMetricsSource(state),
  }
}
