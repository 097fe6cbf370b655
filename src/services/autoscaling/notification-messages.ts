// What Auto Scaling sends, in AWS's shapes (EC2 Auto Scaling User Guide: SNS notifications,
// lifecycle hook notifications, the event reference): SNS messages of notification configurations,
// hook messages to SQS/SNS targets, test notifications and EventBridge details.
import type { InstanceEvent } from './announcer.ts'
import type { Activity, Group, GroupInstance, LifecycleHook } from './group.ts'
import { LAUNCHING } from './lifecycle.ts'

const iso = (ms: number) => new Date(ms).toISOString()

export const eventNames: Record<InstanceEvent, string> = {
  launch: 'autoscaling:EC2_INSTANCE_LAUNCH', 'launch-error': 'autoscaling:EC2_INSTANCE_LAUNCH_ERROR',
  terminate: 'autoscaling:EC2_INSTANCE_TERMINATE', 'terminate-error': 'autoscaling:EC2_INSTANCE_TERMINATE_ERROR',
}

const subjects: Record<InstanceEvent, string> = {
  launch: 'launch', 'launch-error': 'failed launch', terminate: 'termination', 'terminate-error': 'failed termination',
}

export const detailTypes: Record<InstanceEvent, string> = {
  launch: 'EC2 Instance Launch Successful', 'launch-error': 'EC2 Instance Launch Unsuccessful',
  terminate: 'EC2 Instance Terminate Successful', 'terminate-error': 'EC2 Instance Terminate Unsuccessful',
}

/** Launches come from EC2 into the group; terminations leave the group for EC2. */
const route = (event: InstanceEvent) => (event.startsWith('launch') ? { Origin: 'EC2', Destination: 'AutoScalingGroup' }
  : { Origin: 'AutoScalingGroup', Destination: 'EC2' })

function activityFields(a: Activity, instanceId: string, now: number) {
  return {
    StatusCode: a.statusCode === 'Failed' ? 'Failed' : 'InProgress', Description: a.description, AutoScalingGroupName: a.groupName,
    ActivityId: a.id, Details: JSON.parse(a.details) as unknown, RequestId: a.id, StatusMessage: a.statusMessage ?? '',
    EndTime: iso(a.endTime ?? now), EC2InstanceId: instanceId, StartTime: iso(a.startTime), Cause: a.cause,
  }
}

/** The SNS message a notification configuration receives. */
export function instanceNotification(group: Group, event: InstanceEvent, a: Activity, instance: GroupInstance | undefined, now: number):
  { subject: string; message: string } {
  const f = activityFields(a, instance?.id ?? '', now)
  const body = {
    ...route(event), Progress: a.progress === 100 ? 50 : a.progress, AccountId: group.account, Description: f.Description, RequestId: f.RequestId,
    EndTime: f.EndTime, AutoScalingGroupARN: group.arn, ActivityId: f.ActivityId, StartTime: f.StartTime, Service: 'AWS Auto Scaling',
    Time: iso(now), EC2InstanceId: f.EC2InstanceId, StatusCode: f.StatusCode, StatusMessage: f.StatusMessage, Details: f.Details,
    AutoScalingGroupName: group.name, Cause: f.Cause, Event: eventNames[event],
  }
  return { subject: `Auto Scaling: ${subjects[event]} for group "${group.name}"`, message: JSON.stringify(body) }
}

/** EventBridge's detail for an instance event. */
export function instanceEventDetail(event: InstanceEvent, a: Activity, instance: GroupInstance | undefined, now: number): string {
  return JSON.stringify({ ...activityFields(a, instance?.id ?? '', now), ...route(event) })
}

/** A hook's Origin and Destination: EC2 (or the group, reused on scale-in) → WarmPool as an instance enters a warm pool, WarmPool → AutoScalingGroup as it leaves [R]. */
function hookRoute(launching: boolean, instance: GroupInstance): { Origin: string; Destination: string } {
  if ((instance.state as string).startsWith('Warmed:')) return { Origin: launching ? 'EC2' : 'AutoScalingGroup', Destination: 'WarmPool' }
  if (launching && instance.fromWarmPool === true) return { Origin: 'WarmPool', Destination: 'AutoScalingGroup' }
  return launching ? { Origin: 'EC2', Destination: 'AutoScalingGroup' } : { Origin: 'AutoScalingGroup', Destination: 'EC2' }
}

/** What a hook's notification target (SQS queue, SNS topic) receives when an instance starts waiting. */
export function lifecycleMessage(group: Group, hook: LifecycleHook, instance: GroupInstance, now: number): string {
  const launching = hook.transition === LAUNCHING
  const { Origin, Destination } = hookRoute(launching, instance)
  return JSON.stringify({
    Origin, LifecycleHookName: hook.name, Destination,
    AccountId: group.account, RequestId: instance.actionToken, LifecycleTransition: hook.transition, AutoScalingGroupName: group.name,
    Service: 'AWS Auto Scaling', Time: iso(now), EC2InstanceId: instance.id, LifecycleActionToken: instance.actionToken,
    ...(hook.notificationMetadata !== undefined && { NotificationMetadata: hook.notificationMetadata }),
  })
}

/** EventBridge's "EC2 Instance-launch/terminate Lifecycle Action" detail. */
export function lifecycleEventDetail(group: Group, hook: LifecycleHook, instance: GroupInstance): string {
  const launching = hook.transition === LAUNCHING
  return JSON.stringify({
    LifecycleActionToken: instance.actionToken, AutoScalingGroupName: group.name, LifecycleHookName: hook.name, EC2InstanceId: instance.id,
    LifecycleTransition: hook.transition, ...(hook.notificationMetadata !== undefined && { NotificationMetadata: hook.notificationMetadata }),
    ...hookRoute(launching, instance),
  })
}

/** autoscaling:TEST_NOTIFICATION, sent when a notification configuration or a hook's target is set. */
export function testNotification(group: Group, requestId: string, now: number): { subject: string; message: string } {
  return {
    subject: `Auto Scaling: test notification for group "${group.name}"`,
    message: JSON.stringify({ AccountId: group.account, RequestId: requestId, AutoScalingGroupARN: group.arn, AutoScalingGroupName: group.name,
      Service: 'AWS Auto Scaling', Event: 'autoscaling:TEST_NOTIFICATION', Time: iso(now) }),
  }
}
