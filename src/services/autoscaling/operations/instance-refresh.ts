// StartInstanceRefresh, DescribeInstanceRefreshes, CancelInstanceRefresh, RollbackInstanceRefresh
// (refresh.ts runs them on the clock).
import type { Ec2Port } from '../../ec2/port.ts'
import type { OperationTable } from '../../service.ts'
import { AwsError } from '../../../protocol/errors.ts'
import { autoScalingErrors } from '../errors.ts'
import type { AutoScalingOperations, InstanceRefresh } from '../generated/types.ts'
import { checkLaunchSource, fullTemplate } from '../group-input.ts'
import type { Group, InstanceRefreshRecord } from '../group.ts'
import { deterministicUuid } from '../ids.ts'
import { activeRefresh, instancesToReplace, startRollback } from '../refresh.ts'
import type { Scaler } from '../scaler.ts'
import type { AutoScalingState } from '../store.ts'
import { page } from './common.ts'

const notFound = (group: string) =>
  new AwsError('ActiveInstanceRefreshNotFoundFault', `No in progress or pending Instance Refresh found for Auto Scaling group ${group}`) // [R]

function view(group: Group, r: InstanceRefreshRecord): InstanceRefresh {
  const progress = { PercentageComplete: r.percentageComplete ?? 0, InstancesToUpdate: r.toReplace.length }
  return {
    InstanceRefreshId: r.id, AutoScalingGroupName: group.name, Status: r.status,
    ...(r.statusReason !== undefined && { StatusReason: r.statusReason }),
    StartTime: new Date(r.startTime), ...(r.endTime !== undefined && { EndTime: new Date(r.endTime) }),
    PercentageComplete: progress.PercentageComplete, InstancesToUpdate: progress.InstancesToUpdate,
    ProgressDetails: { LivePoolProgress: progress },
    Preferences: { MinHealthyPercentage: r.minHealthyPercentage, MaxHealthyPercentage: r.maxHealthyPercentage, InstanceWarmup: r.warmup,
      ...(r.checkpoints.length > 0 && { CheckpointPercentages: r.checkpoints, CheckpointDelay: r.checkpointDelay }),
      SkipMatching: r.skipMatching, AutoRollback: r.autoRollback,
      ScaleInProtectedInstances: r.scaleInProtected as 'Ignore', StandbyInstances: r.standby as 'Ignore' },
    ...(r.desiredConfiguration !== undefined && { DesiredConfiguration: r.desiredConfiguration as InstanceRefresh['DesiredConfiguration'] }),
    ...(r.rollback !== undefined && { RollbackDetails: { RollbackReason: r.rollback.reason, RollbackStartTime: new Date(r.rollback.startTime),
      PercentageCompleteOnRollback: r.percentageComplete ?? 0, InstancesToUpdateOnRollback: r.toReplace.length } }),
    Strategy: 'Rolling',
  }
}

export function instanceRefreshOperations(state: AutoScalingState, ec2: Ec2Port, scaler: Scaler): OperationTable<AutoScalingOperations> {
  return {
    StartInstanceRefresh: (input, ctx) => {
      const region = state.region(ctx.caller.account, ctx.caller.region)
      const group = state.requireGroup(region, input.AutoScalingGroupName)
      scaler.settle(group)
      if (activeRefresh(group) !== undefined) {
        throw new AwsError('InstanceRefreshInProgressFault', `An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.`) // [R]
      }
      const p = input.Preferences ?? {}
      const min = p.MinHealthyPercentage ?? 90
      const max = p.MaxHealthyPercentage ?? 100
      if (min < 0 || min > 100) throw autoScalingErrors.validation('MinHealthyPercentage must be between 0 and 100.') // [R]
      if (max < 100 || max > 200) throw autoScalingErrors.validation('MaxHealthyPercentage must be between 100 and 200.') // [R]
      if (max - min > 100) throw autoScalingErrors.validation('The difference between MaxHealthyPercentage and MinHealthyPercentage cannot exceed 100.') // [R]
      if (p.AutoRollback === true && input.DesiredConfiguration === undefined) {
        throw autoScalingErrors.validation('AutoRollback requires a DesiredConfiguration.') // [R]
      }
      const desired = input.DesiredConfiguration
      const template = desired === undefined ? undefined : checkLaunchSource(region, ec2, desired)
      const now = state.clock.now()
      const r: InstanceRefreshRecord = {
        id: deterministicUuid(`${group.arn}/refresh/${now}/${group.refreshes?.length ?? 0}`), status: 'Pending', startTime: now,
        minHealthyPercentage: min, maxHealthyPercentage: max, warmup: p.InstanceWarmup ?? group.defaultInstanceWarmup ?? group.healthCheckGracePeriod,
        checkpoints: [...(p.CheckpointPercentages ?? [])], checkpointDelay: p.CheckpointDelay ?? 3600, skipMatching: p.SkipMatching === true,
        autoRollback: p.AutoRollback === true, scaleInProtected: p.ScaleInProtectedInstances ?? 'Ignore', standby: p.StandbyInstances ?? 'Ignore',
        preferences: { ...p }, ...(desired !== undefined && { desiredConfiguration: { ...desired } }),
        toReplace: [], total: 0, launched: [], checkpointsReached: [],
      }
      // The desired configuration becomes the group's now (AWS applies it as the refresh succeeds: README).
      if (desired !== undefined) {
        r.previous = { launchConfigurationName: group.launchConfigurationName, launchTemplate: group.launchTemplate, mixedInstancesPolicy: group.mixedInstancesPolicy }
        delete group.launchConfigurationName
        if (desired.LaunchTemplate !== undefined) group.launchTemplate = fullTemplate(desired.LaunchTemplate, template)
        if (desired.MixedInstancesPolicy !== undefined) group.mixedInstancesPolicy = desired.MixedInstancesPolicy
      }
      r.toReplace = instancesToReplace(ec2, group, r, false)
      r.total = r.toReplace.length
      group.refreshes = [r, ...(group.refreshes ?? [])].slice(0, 50)
      state.save(group)
      scaler.changed(group)
      return { InstanceRefreshId: r.id }
    },

    DescribeInstanceRefreshes: (input, ctx) => {
      const group = state.requireGroup(state.region(ctx.caller.account, ctx.caller.region), input.AutoScalingGroupName)
      scaler.settle(group)
      const ids = input.InstanceRefreshIds ?? []
      const all = (group.refreshes ?? []).filter((r) => ids.length === 0 || ids.includes(r.id))
      const { items, nextToken } = page('refresh', all, input.NextToken, input.MaxRecords)
      return { InstanceRefreshes: items.map((r) => view(group, r)), ...(nextToken !== undefined && { NextToken: nextToken }) }
    },

    CancelInstanceRefresh: (input, ctx) => {
      const group = state.requireGroup(state.region(ctx.caller.account, ctx.caller.region), input.AutoScalingGroupName)
      scaler.settle(group)
      const r = activeRefresh(group)
      if (r === undefined) throw notFound(group.name)
      // Instances already on their way are not stopped; no further batch starts.
      r.status = 'Cancelling'
      scaler.changed(group)
      return { InstanceRefreshId: r.id }
    },

    RollbackInstanceRefresh: (input, ctx) => {
      const group = state.requireGroup(state.region(ctx.caller.account, ctx.caller.region), input.AutoScalingGroupName)
      scaler.settle(group)
      const r = activeRefresh(group)
      if (r === undefined) throw notFound(group.name)
      if (r.previous === undefined) {
        throw new AwsError('IrreversibleInstanceRefreshFault', 'The instance refresh cannot be rolled back because it was started without a DesiredConfiguration.') // [R]
      }
      startRollback(state, ec2, group, r, 'Rollback started by user request.')
      scaler.changed(group)
      return { InstanceRefreshId: r.id }
    },
  }
}
