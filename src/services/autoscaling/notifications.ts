// The Announcer over the delivery fabric: notification configurations' SNS messages, lifecycle
// hooks' messages to their SQS/SNS targets and every event on the account's default bus
// (source aws.autoscaling). Deliveries that fail change nothing for the group (AWS: best effort).
import type { Fabric } from '../../fabric/fabric.ts'
import { noRetry } from '../../fabric/policy.ts'
import type { Announcer } from './announcer.ts'
import type { Group } from './group.ts'
import { LAUNCHING } from './lifecycle.ts'
import {
  detailTypes, eventNames, instanceEventDetail, instanceNotification, lifecycleEventDetail, lifecycleMessage, testNotification,
} from './notification-messages.ts'
import type { AutoScalingState } from './store.ts'

export class FabricAnnouncer implements Announcer {
  private readonly fabric: Fabric
  private readonly state: AutoScalingState
  private seq = 0

  constructor(fabric: Fabric, state: AutoScalingState) {
    this.fabric = fabric
    this.state = state
  }

  instance: Announcer['instance'] = (group, event, activity, instance) => {
    const now = this.state.clock.now()
    for (const n of group.notifications) {
      if (!n.types.includes(eventNames[event])) continue
      const { subject, message } = instanceNotification(group, event, activity, instance, now)
      this.send(group, n.topicArn, message, { subject })
    }
    const resources = [group.arn, ...(instance === undefined ? [] : [`arn:aws:ec2:${group.region}:${group.account}:instance/${instance.id}`])]
    this.busEvent(group, detailTypes[event], instanceEventDetail(event, activity, instance, now), resources)
  }

  lifecycleAction: Announcer['lifecycleAction'] = (group, hook, instance) => {
    const now = this.state.clock.now()
    if (hook.notificationTargetArn !== undefined) this.send(group, hook.notificationTargetArn, lifecycleMessage(group, hook, instance, now))
    const type = hook.transition === LAUNCHING ? 'EC2 Instance-launch Lifecycle Action' : 'EC2 Instance-terminate Lifecycle Action'
    this.busEvent(group, type, lifecycleEventDetail(group, hook, instance), [group.arn])
  }

  event: Announcer['event'] = (group, detailType, detail) => {
    this.busEvent(group, detailType, JSON.stringify(detail), [group.arn])
  }

  /** The test notification a new notification configuration or hook target receives; false when it can't be delivered. */
  test(group: Group, target: string, requestId: string): boolean {
    const { subject, message } = testNotification(group, requestId, this.state.clock.now())
    return this.send(group, target, message, target.split(':')[2] === 'sns' ? { subject } : {})
  }

  private send(group: Group, target: string, payload: string, options: { subject?: string } = {}): boolean {
    try {
      this.fabric.sendNow({ owner: 'autoscaling', source: group.arn, target, id: `${group.arn}#${++this.seq}`, payload, policy: noRetry, options })
      return true
    } catch {
      return false
    }
  }

  private busEvent(group: Group, detailType: string, detail: string, resources: string[]): void {
    try {
      this.fabric.sendNow({
        owner: 'autoscaling', source: group.arn, target: `arn:aws:events:${group.region}:${group.account}:event-bus/default`,
        id: `${group.arn}#${++this.seq}`, payload: detail, policy: noRetry,
        options: { source: 'aws.autoscaling', detailType, resources, time: this.state.clock.now(), account: group.account, region: group.region },
      })
    } catch {
      // No bus, or it refused: the group carries on.
    }
  }
}
