// PutNotificationConfiguration, DescribeNotificationConfigurations, DeleteNotificationConfiguration:
// SNS topics told of a group's launches and terminations (notifications.ts sends them).
import type { OperationTable } from '../../service.ts'
import { autoScalingErrors } from '../errors.ts'
import type { AutoScalingOperations } from '../generated/types.ts'
import { limits } from '../limits.ts'
import type { FabricAnnouncer } from '../notifications.ts'
import type { AutoScalingState } from '../store.ts'
import { page } from './common.ts'
import { notificationTypes } from './processes.ts'

export function notificationOperations(state: AutoScalingState, announcer: FabricAnnouncer | undefined): OperationTable<AutoScalingOperations> {
  return {
    PutNotificationConfiguration: (input, ctx) => {
      const group = state.requireGroup(state.region(ctx.caller.account, ctx.caller.region), input.AutoScalingGroupName)
      const bad = input.NotificationTypes.filter((t) => !notificationTypes.includes(t))
      if (bad.length > 0) throw autoScalingErrors.validation(`Notification type ${bad[0]} is not valid.`) // [R]
      const existing = group.notifications.find((n) => n.topicArn === input.TopicARN)
      if (existing === undefined && group.notifications.length >= limits.notificationsPerGroup) {
        throw autoScalingErrors.limitExceeded(`Notification configuration limit of ${limits.notificationsPerGroup} exceeded for group ${group.name}`) // [R]
      }
      // AWS publishes autoscaling:TEST_NOTIFICATION to a new topic; a topic that can't take it fails the call.
      if (existing === undefined && announcer !== undefined && !announcer.test(group, input.TopicARN, ctx.requestId)) {
        throw autoScalingErrors.validation(`The topic ${input.TopicARN} does not exist.`) // [R]
      }
      const types = [...new Set(input.NotificationTypes.filter((t) => t !== 'autoscaling:TEST_NOTIFICATION'))]
      group.notifications = [...group.notifications.filter((n) => n.topicArn !== input.TopicARN), { topicArn: input.TopicARN, types }]
      state.save(group)
    },

    DescribeNotificationConfigurations: (input, ctx) => {
      const region = state.region(ctx.caller.account, ctx.caller.region)
      const names = input.AutoScalingGroupNames ?? []
      const rows = [...region.groups.values()].filter((g) => names.length === 0 || names.includes(g.name))
        .sort((a, b) => (a.name < b.name ? -1 : 1))
        .flatMap((g) => [...g.notifications].sort((a, b) => (a.topicArn < b.topicArn ? -1 : 1))
          .flatMap((n) => [...n.types].sort().map((t) => ({ AutoScalingGroupName: g.name, TopicARN: n.topicArn, NotificationType: t }))))
      const { items, nextToken } = page('notif', rows, input.NextToken, input.MaxRecords)
      return { NotificationConfigurations: items, ...(nextToken !== undefined && { NextToken: nextToken }) }
    },

    DeleteNotificationConfiguration: (input, ctx) => {
      const group = state.requireGroup(state.region(ctx.caller.account, ctx.caller.region), input.AutoScalingGroupName)
      group.notifications = group.notifications.filter((n) => n.topicArn !== input.TopicARN)
      state.save(group)
    },
  }
}
