// Scaling policies and scheduled actions joined to the groups: how they change a group (its sizes,
// the Cause sentence, the control loop), their operations, and what goes when a group is deleted.
import type { Clock } from '../../../core/clock.ts'
import type { Persistence } from '../../../storage/persistence/persistence.ts'
import type { CloudWatchAlarms } from '../../cloudwatch/port.ts'
import type { OperationTable } from '../../service.ts'
import type { AutoScalingOperations } from '../generated/types.ts'
import { policyOperations } from '../operations/policies.ts'
import { scheduledActionOperations } from '../operations/scheduled-actions.ts'
import { forecastOperations } from '../operations/forecast.ts'
import { PredictiveScaler } from '../predictive/predictive.ts'
import type { ScheduledActionRecord } from '../scheduled/scheduled-action.ts'
import { Scheduler } from '../scheduled/scheduler.ts'
import type { Scaler } from '../scaler.ts'
import { applyDesired } from '../capacity.ts'
import { type AutoScalingState, findGroup } from '../store.ts'
import { Policies } from './policies.ts'
import { PolicyState } from './policy-state.ts'
import type { GroupControl } from './runner.ts'

export interface ScalingPlans {
  policies: Policies
  scheduler: Scheduler
  operations: OperationTable<AutoScalingOperations>
  /** Every scheduled action with its next run (the console's "due next"). */
  scheduledActions(): ScheduledActionRecord[]
  /** After DeleteAutoScalingGroup: the group's policies (with their alarms) and scheduled actions go too. */
  groupDeleted(account: string, region: string, group: string): void
  reset(): void
  stop(): void
}

export function scalingPlans(clock: Clock, state: AutoScalingState, scaler: Scaler, persistence: Persistence | undefined,
  cloudwatch: CloudWatchAlarms | undefined): ScalingPlans {
  const control: GroupControl = {
    find: (account, region, name) => findGroup(state.region(account, region), name),
    resize: (group, sizes, cause) => {
      if (sizes.min !== undefined) group.min = sizes.min
      if (sizes.max !== undefined) group.max = sizes.max
      applyDesired(state, scaler, group, sizes.desired, cause)
    },
  }
  const planState = new PolicyState(persistence)
  const policies = new Policies(planState, control, cloudwatch, () => clock.now())
  const scheduler = new Scheduler(clock, planState, control)
  scheduler.armAll()
  const predictive = new PredictiveScaler(clock, planState, control, cloudwatch)
  policies.predictive = predictive
  for (const p of planState.allPolicies()) predictive.watch(p)
  const now = () => clock.now()
  return {
    policies, scheduler,
    scheduledActions: () => planState.allActions(),
    operations: { ...policyOperations(policies, control, now), ...scheduledActionOperations(planState, scheduler, control, now),
      ...forecastOperations(planState, control, cloudwatch, now) },
    groupDeleted: (account, region, group) => {
      policies.groupDeleted(account, region, group)
      scheduler.groupDeleted(account, region, group)
    },
    reset: () => {
      scheduler.stop()
      predictive.stop()
      planState.reset()
    },
    stop: () => {
      scheduler.stop()
      predictive.stop()
    },
  }
}
