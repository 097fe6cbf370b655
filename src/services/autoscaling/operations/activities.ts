// DescribeScalingActivities: a group's activities, newest first (six weeks kept).
import type { OperationTable } from '../../service.ts'
import type { AutoScalingOperations } from '../generated/types.ts'
import { activityView } from '../group-view.ts'
import type { Scaler } from '../scaler.ts'
import { type AutoScalingState, findGroup } from '../store.ts'
import { page } from './common.ts'

export function activityOperations(state: AutoScalingState, scaler: Scaler): OperationTable<AutoScalingOperations> {
  return {
    DescribeScalingActivities: (input, ctx) => {
      const region = state.region(ctx.caller.account, ctx.caller.region)
      const name = input.AutoScalingGroupName
      if (name !== undefined) {
        const group = findGroup(region, name)
        if (group !== undefined) scaler.settle(group)
      } else {
        for (const group of region.groups.values()) scaler.settle(group)
      }
      const groupName = name === undefined ? undefined : (findGroup(region, name)?.name ?? name)
      const ids = input.ActivityIds ?? []
      const all = [...region.activities.entries()]
        .filter(([g]) => groupName === undefined || g === groupName)
        .flatMap(([, list]) => list)
        .filter((a) => ids.length === 0 || ids.includes(a.id))
        .sort((a, b) => b.startTime - a.startTime || b.seq - a.seq)
      const { items, nextToken } = page('act', all, input.NextToken, input.MaxRecords)
      return { Activities: items.map(activityView), ...(nextToken !== undefined && { NextToken: nextToken }) }
    },
  }
}
