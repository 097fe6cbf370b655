// PutLifecycleHook, DescribeLifecycleHooks, DeleteLifecycleHook, CompleteLifecycleAction,
// RecordLifecycleActionHeartbeat, DescribeLifecycleHookTypes, and the hooks CreateAutoScalingGroup takes.
import type { OperationContext, OperationTable } from '../../service.ts'
import { autoScalingErrors } from '../errors.ts'
import type { AutoScalingOperations, LifecycleHookSpecification } from '../generated/types.ts'
import type { Group, GroupInstance, LifecycleHook } from '../group.ts'
import { limits } from '../limits.ts'
import type { FabricAnnouncer } from '../notifications.ts'
import type { Scaler } from '../scaler.ts'
import type { AutoScalingState } from '../store.ts'
import { checkName } from './common.ts'

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

function hookView(group: Group, h: LifecycleHook) {
  return {
    LifecycleHookName: h.name, AutoScalingGroupName: group.name, LifecycleTransition: h.transition,
    ...(h.notificationTargetArn !== undefined && { NotificationTargetARN: h.notificationTargetArn }),
    ...(h.roleArn !== undefined && { RoleARN: h.roleArn }),
    ...(h.notificationMetadata !== undefined && { NotificationMetadata: h.notificationMetadata }),
    HeartbeatTimeout: h.heartbeatTimeout, GlobalTimeout: h.globalTimeout, DefaultResult: h.defaultResult,
  }
}

/** The instance waiting on a hook, by token or instance id, in AWS's words when none is. */
function waiting(group: Group, hookName: string, token: string | undefined, instanceId: string | undefined): GroupInstance {
  if (token === undefined && instanceId === undefined) {
    throw autoScalingErrors.validation('Either LifecycleActionToken or InstanceId must be specified.') // [R]
  }
  const found = [...group.instances, ...(group.warmPool?.instances ?? []) as unknown as GroupInstance[]].find((i) => i.hookName === hookName
    && i.waitUntil !== undefined && (token !== undefined ? i.actionToken === token : i.id === instanceId))
  if (found !== undefined) return found
  throw autoScalingErrors.validation(token !== undefined ? `No active Lifecycle Action found with token ${token}`
    : `No active Lifecycle Action found with instance ID ${instanceId}`)
}

export function lifecycleHookOperations(state: AutoScalingState, scaler: Scaler, announcer: FabricAnnouncer | undefined): OperationTable<AutoScalingOperations> {
  const groupOf = (ctx: OperationContext, name: string) => state.requireGroup(state.region(ctx.caller.account, ctx.caller.region), name)
  const hookOf = (group: Group, name: string) => {
    const hook = group.hooks.find((h) => h.name === name)
    if (hook === undefined) throw autoScalingErrors.validation(`No Lifecycle Hook found with name ${name} for group ${group.name}`) // [R]
    return hook
  }
  return {
    PutLifecycleHook: (input, ctx) => {
      const group = groupOf(ctx, input.AutoScalingGroupName)
      checkName(input.LifecycleHookName, 'lifecycleHookName')
      const existing = group.hooks.find((h) => h.name === input.LifecycleHookName)
      if (existing === undefined && input.LifecycleTransition === undefined) {
        throw autoScalingErrors.validation('A LifecycleTransition is required when creating a lifecycle hook.') // [R]
      }
      if (existing === undefined && group.hooks.length >= limits.hooksPerGroup) {
        throw autoScalingErrors.limitExceeded(`Lifecycle hook limit of ${limits.hooksPerGroup} exceeded for group ${group.name}`) // [R]
      }
      const hook = hookFrom({
        LifecycleHookName: input.LifecycleHookName, LifecycleTransition: input.LifecycleTransition ?? existing?.transition,
        HeartbeatTimeout: input.HeartbeatTimeout ?? existing?.heartbeatTimeout, DefaultResult: input.DefaultResult ?? existing?.defaultResult,
        NotificationTargetARN: input.NotificationTargetARN ?? existing?.notificationTargetArn, RoleARN: input.RoleARN ?? existing?.roleArn,
        NotificationMetadata: input.NotificationMetadata ?? existing?.notificationMetadata,
      })
      // A new target gets AWS's test notification; one that can't take it fails the call.
      if (hook.notificationTargetArn !== undefined && hook.notificationTargetArn !== existing?.notificationTargetArn
        && announcer !== undefined && !announcer.test(group, hook.notificationTargetArn, ctx.requestId)) {
        throw autoScalingErrors.validation(`Unable to publish test message to notification target ${hook.notificationTargetArn} using IAM role ${hook.roleArn ?? ''}. Please check your target and role configuration and try to put lifecycle hook again.`)
      }
      group.hooks = [...group.hooks.filter((h) => h.name !== hook.name), hook]
      state.save(group)
      return {}
    },

    DescribeLifecycleHooks: (input, ctx) => {
      const group = groupOf(ctx, input.AutoScalingGroupName)
      const names = input.LifecycleHookNames ?? []
      return { LifecycleHooks: group.hooks.filter((h) => names.length === 0 || names.includes(h.name)).map((h) => hookView(group, h)) }
    },

    DeleteLifecycleHook: (input, ctx) => {
      const group = groupOf(ctx, input.AutoScalingGroupName)
      hookOf(group, input.LifecycleHookName)
      group.hooks = group.hooks.filter((h) => h.name !== input.LifecycleHookName)
      // Instances waiting on it carry on as if it said CONTINUE (AWS abandons the wait).
      const now = state.clock.now()
      for (const i of group.instances) if (i.hookName === input.LifecycleHookName) scaler.lifecycle.complete(group, i, 'CONTINUE', now)
      for (const w of [...group.warmPool?.instances ?? []]) if (w.hookName === input.LifecycleHookName) scaler.warmPools.complete(group, w, 'CONTINUE', now)
      state.save(group)
      scaler.changed(group)
      return {}
    },

    CompleteLifecycleAction: (input, ctx) => {
      const group = groupOf(ctx, input.AutoScalingGroupName)
      scaler.settle(group)
      hookOf(group, input.LifecycleHookName)
      const result = input.LifecycleActionResult
      if (result !== 'CONTINUE' && result !== 'ABANDON') {
        throw autoScalingErrors.validation(`Lifecycle action result must be either CONTINUE or ABANDON.`) // [R]
      }
      const instance = waiting(group, input.LifecycleHookName, input.LifecycleActionToken, input.InstanceId)
      // A warm pool instance's wait (Warmed:Pending:Wait) is the pool's (warm-pool.ts).
      if ((instance.state as string).startsWith('Warmed:')) scaler.warmPools.complete(group, instance as never, result, state.clock.now())
      else scaler.lifecycle.complete(group, instance, result, state.clock.now())
      state.save(group)
      scaler.changed(group)
      return {}
    },

    RecordLifecycleActionHeartbeat: (input, ctx) => {
      const group = groupOf(ctx, input.AutoScalingGroupName)
      scaler.settle(group)
      hookOf(group, input.LifecycleHookName)
      const instance = waiting(group, input.LifecycleHookName, input.LifecycleActionToken, input.InstanceId)
      scaler.lifecycle.heartbeat(group, instance, state.clock.now())
      state.save(group)
      scaler.changed(group)
      return {}
    },
  }
}
