// EC2 Auto Scaling: launch configurations, groups and the control loop that keeps them at desired
// capacity on the clock (launches and terminations through EC2's port), health checks, lifecycle
// hooks, processes, activities.
import type { Clock } from '../../core/clock.ts'
import type { Fabric } from '../../fabric/fabric.ts'
import type { Persistence } from '../../storage/persistence/persistence.ts'
import { ServiceModel } from '../../protocol/model.ts'
import type { CloudWatchAlarms } from '../cloudwatch/port.ts'
import type { Ec2Port } from '../ec2/port.ts'
import { defineService, type OperationTable, type ServiceDefinition } from '../service.ts'
import { silentAnnouncer } from './announcer.ts'
import { AutoScalingRows } from './autoscaling-rows.ts'
import { autoScalingConsole } from './console.ts'
import { autoScalingDescriptor } from './descriptor.ts'
import { autoScalingErrors } from './errors.ts'
import { model } from './generated/model.ts'
import type { AutoScalingOperations } from './generated/types.ts'
import { createAutoScalingPort } from './internal.ts'
import { FabricAnnouncer } from './notifications.ts'
import { activityOperations } from './operations/activities.ts'
import { capacityOperations } from './operations/capacity.ts'
import { groupOperations } from './operations/groups.ts'
import { instanceRefreshOperations } from './operations/instance-refresh.ts'
import { instanceOperations } from './operations/instances.ts'
import { launchConfigurationOperations } from './operations/launch-configurations.ts'
import { lifecycleHookOperations } from './operations/lifecycle-hooks.ts'
import { metricsCollectionOperations } from './operations/metrics-collection.ts'
import { notificationOperations } from './operations/notifications.ts'
import { processOperations } from './operations/processes.ts'
import { tagOperations } from './operations/tags.ts'
import { warmPoolOperations } from './operations/warm-pools.ts'
import { scalingPlans } from './policies/wiring.ts'
import type { AutoScalingPort } from './port.ts'
import { Scaler } from './scaler.ts'
import { AutoScalingState } from './store.ts'

export interface AutoScalingDeps {
  clock: Clock
  /** Instances are launched, terminated and health-checked through it. */
  ec2: Ec2Port
  /** Notifications (SNS, SQS) and events (EventBridge) go through it. */
  fabric?: Fabric
  /** With a data dir, groups, launch configurations and activities are durable. */
  persistence?: Persistence
  /** Target tracking policies' alarms are created and deleted through it. */
  cloudwatch?: CloudWatchAlarms
  /** Told when a group's AWS/AutoScaling metrics changed (the registry re-plans CloudWatch's alarms on them, once it is loaded). */
  metricsChanged?: (account: string, region: string, group: string) => void
}

export interface AutoScaling {
  definition: ServiceDefinition
  port: AutoScalingPort
  state: AutoScalingState
  scaler: Scaler
}

export function createAutoScaling(deps: AutoScalingDeps): AutoScaling {
  const durable = deps.persistence?.durable === true ? deps.persistence : undefined
  const state = new AutoScalingState(deps.clock, durable === undefined ? undefined : new AutoScalingRows(durable))
  const announcer = deps.fabric === undefined ? undefined : new FabricAnnouncer(deps.fabric, state)
  const scaler = new Scaler(state, deps.ec2, announcer ?? silentAnnouncer)
  const metricsChanged = deps.metricsChanged
  if (metricsChanged !== undefined) scaler.onMetricsChanged = (group) => metricsChanged(group.account, group.region, group.name)
  const plans = scalingPlans(deps.clock, state, scaler, durable, deps.cloudwatch)
  const groups = groupOperations(state, deps.ec2, scaler)
  const operations = {
    ...launchConfigurationOperations(state),
    ...groups,
    ...capacityOperations(state, scaler),
    ...instanceOperations(state, deps.ec2, scaler),
    ...processOperations(state, scaler),
    ...metricsCollectionOperations(state, scaler),
    ...activityOperations(state, scaler),
    ...lifecycleHookOperations(state, scaler, announcer),
    ...notificationOperations(state, announcer),
    ...tagOperations(state),
    ...instanceRefreshOperations(state, deps.ec2, scaler),
    ...warmPoolOperations(state, deps.ec2, scaler),
    ...plans.operations,
    // A deleted group's scaling policies (and their alarms) and scheduled actions go with it.
    DeleteAutoScalingGroup: async (input, ctx) => {
      const output = await groups.DeleteAutoScalingGroup!(input, ctx)
      const gone = state.region(ctx.caller.account, ctx.caller.region).groups.get(input.AutoScalingGroupName)
      if (gone === undefined || gone.status !== undefined) plans.groupDeleted(ctx.caller.account, ctx.caller.region, input.AutoScalingGroupName)
      return output
    },
  } satisfies OperationTable<AutoScalingOperations>

  const definition = defineService({
    name: autoScalingDescriptor.name,
    signingName: autoScalingDescriptor.signingName,
    model: new ServiceModel(model),
    protocols: autoScalingDescriptor.protocols,
    operations,
    console: autoScalingConsole(state, operations as never, () => plans.scheduledActions()),
    errors: { missingParameter: autoScalingErrors.missingParameter },
    reset: () => {
      scaler.stop()
      plans.reset()
      state.reset()
    },
    stop: () => {
      scaler.stop()
      plans.stop()
      if (durable === undefined) state.reset()
    },
    health: () => {
      let groups = 0
      let instances = 0
      for (const r of state.regions.all()) {
        groups += r.groups.size
        for (const g of r.groups.values()) instances += g.instances.length
      }
      return { status: 'running', groups, instances, reconciliations: scaler.runs }
    },
  })
  // CapacityRebalance hears EC2's Spot rebalance recommendations and interruption notices.
  deps.ec2.onSpotSignal((signal) => scaler.spotSignal(signal.account, signal.region, signal.instanceId))
  // Stored groups catch up on what fell due while Nimbus was down, and re-arm their timers.
  scaler.watchAll()
  return { definition, port: createAutoScalingPort(state, scaler, (arn, trigger) => plans.policies.runAlarmAction(arn, trigger)), state, scaler }
}
