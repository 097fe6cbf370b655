// SuspendProcesses, ResumeProcesses, DescribeScalingProcessTypes and the other fixed lists AWS
// describes (termination policies, notification types, lifecycle hook types), DescribeAccountLimits.
import type { OperationTable } from '../../service.ts'
import { autoScalingErrors } from '../errors.ts'
import type { AutoScalingOperations } from '../generated/types.ts'
import { causeTime, terminationPolicyNames } from '../group-input.ts'
import { processNames } from '../group.ts'
import { limits } from '../limits.ts'
import type { Scaler } from '../scaler.ts'
import type { AutoScalingState } from '../store.ts'

export const notificationTypes = ['autoscaling:EC2_INSTANCE_LAUNCH', 'autoscaling:EC2_INSTANCE_LAUNCH_ERROR',
  'autoscaling:EC2_INSTANCE_TERMINATE', 'autoscaling:EC2_INSTANCE_TERMINATE_ERROR', 'autoscaling:TEST_NOTIFICATION']

function checkProcesses(names: readonly string[]): void {
  const bad = names.filter((n) => !(processNames as readonly string[]).includes(n))
  if (bad.length > 0) throw autoScalingErrors.validation(`Invalid processes: [${bad.join(', ')}]`) // [R]
}

export function processOperations(state: AutoScalingState, scaler: Scaler): OperationTable<AutoScalingOperations> {
  return {
    SuspendProcesses: (input, ctx) => {
      const group = state.requireGroup(state.region(ctx.caller.account, ctx.caller.region), input.AutoScalingGroupName)
      scaler.settle(group)
      const names = input.ScalingProcesses ?? []
      checkProcesses(names)
      const reason = `User suspended at ${causeTime(state.clock.now())}`
      for (const name of names.length === 0 ? processNames : names) {
        if (!group.suspended.some((p) => p.ProcessName === name)) group.suspended.push({ ProcessName: name, SuspensionReason: reason })
      }
      state.save(group)
      scaler.changed(group)
    },

    ResumeProcesses: (input, ctx) => {
      const group = state.requireGroup(state.region(ctx.caller.account, ctx.caller.region), input.AutoScalingGroupName)
      const names = input.ScalingProcesses ?? []
      checkProcesses(names)
      group.suspended = names.length === 0 ? [] : group.suspended.filter((p) => !names.includes(p.ProcessName))
      state.save(group)
      scaler.changed(group)
    },

    DescribeScalingProcessTypes: () => ({ Processes: [...processNames].sort().map((ProcessName) => ({ ProcessName })) }),
    DescribeTerminationPolicyTypes: () => ({ TerminationPolicyTypes: [...terminationPolicyNames] }),
    DescribeAutoScalingNotificationTypes: () => ({ AutoScalingNotificationTypes: [...notificationTypes] }),
    DescribeLifecycleHookTypes: () => ({ LifecycleHookTypes: ['autoscaling:EC2_INSTANCE_LAUNCHING', 'autoscaling:EC2_INSTANCE_TERMINATING'] }),

    DescribeAccountLimits: (_input, ctx) => {
      const region = state.region(ctx.caller.account, ctx.caller.region)
      return {
        MaxNumberOfAutoScalingGroups: limits.groups, MaxNumberOfLaunchConfigurations: limits.launchConfigurations,
        NumberOfAutoScalingGroups: region.groups.size, NumberOfLaunchConfigurations: region.launchConfigurations.size,
      }
    },
  }
}
