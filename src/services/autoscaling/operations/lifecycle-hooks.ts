// PutLifecycleHook, DescribeLifecycleHooks, DeleteLifecycleHook, CompleteLifecycleAction,
// RecordLifecycleActionHeartbeat, DescribeLifecycleHookTypes, and the hooks CreateAutoScalingGroup takes.
import { autoScalingErrors } from '../errors.ts'
import type { LifecycleHookSpecification } from '../generated/types.ts'
import type { LifecycleHook } from '../group.ts'

/** AWS's defaults: 3600 s heartbeat, ABANDON; the global timeout is 48 h or 100 × the heartbeat, whichever is smaller. */
export function hookFrom(spec: { LifecycleHookName: string; LifecycleTransition?: string; HeartbeatTimeout?: number; DefaultResult?: string;
  NotificationTargetARN?: string; RoleARN?: string; NotificationMetadata?: string }): LifecycleHook {
  const transition = spec.LifecycleTransition
  if (transition !== 'autoscaling:EC2_INSTANCE_LAUNCHING' && transition !== 'autoscaling:EC2_INSTANCE_TERMINATING') {
    throw autoScalingErrors.validation(`Invalid Lifecycle Transition: ${String(transition)}`)
  }
  const heartbeat = spec.HeartbeatTimeout ?? 3600
  if (heartbeat < 30 || heartbeat > 7200) {
    throw autoScalingErrors.validation(`Heartbeat timeout must be between 30 and 7200 seconds. Provided value: ${heartbeat}`)
  }
  const result = spec.DefaultResult ?? 'ABANDON'
  if (result !== 'CONTINUE' && result !== 'ABANDON') throw autoScalingErrors.validation(`Invalid default result: ${result}`)
  return {
    name: spec.LifecycleHookName, transition, heartbeatTimeout: heartbeat, defaultResult: result,
    ...(spec.NotificationTargetARN !== undefined && { notificationTargetArn: spec.NotificationTargetARN }),
    ...(spec.RoleARN !== undefined && { roleArn: spec.RoleARN }),
    ...(spec.NotificationMetadata !== undefined && { notificationMetadata: spec.NotificationMetadata }),
    globalTimeout: Math.min(172_800, heartbeat * 100),
  }
}

export function hooksFromSpecifications(specs: readonly LifecycleHookSpecification[]): LifecycleHook[] {
  return specs.map(hookFrom)
}
