// CreateLogGroup, DeleteLogGroup, DescribeLogGroups, ListLogGroups, PutRetentionPolicy, DeleteRetentionPolicy.
import type { Operation } from '../../service.ts'
import { logsErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { limits, retentionDays } from '../limits.ts'
import type { LogGroup } from '../log-group.ts'
import type { LogsState } from '../store.ts'
import { checkGroupName, checkRange, paginate } from './common.ts'
import { checkTags } from './tags.ts'

const groupClasses = ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY'] as const

export function groupOperations(state: LogsState) {
  const createLogGroup: Operation<T.CreateLogGroupRequest, void> = (input, ctx) => {
    checkGroupName(input.logGroupName)
    const logGroupClass = input.logGroupClass
    if (logGroupClass !== undefined && !groupClasses.includes(logGroupClass)) {
      throw logsErrors.validation(logGroupClass, 'logGroupClass', `Member must satisfy enum value set: [${groupClasses.join(', ')}]`)
    }
    if (input.tags !== undefined) checkTags(input.tags, 0)
    const group = state.createGroup(ctx.caller.account, ctx.caller.region, input.logGroupName, { logGroupClass, kmsKeyId: input.kmsKeyId })
    Object.assign(group.tags, input.tags)
  }

  const deleteLogGroup: Operation<T.DeleteLogGroupRequest, void> = (input, ctx) => {
    state.deleteGroup(state.requireGroup(ctx.caller.account, ctx.caller.region, input.logGroupName))
  }

  const describeLogGroups: Operation<T.DescribeLogGroupsRequest, T.DescribeLogGroupsResponse> = (input, ctx) => {
    checkRange('limit', input.limit, 1, limits.maxDescribeLimit)
    const { logGroupNamePrefix: prefix, logGroupNamePattern: pattern } = input
    if (prefix !== undefined && pattern !== undefined) {
      throw logsErrors.invalidParameter('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.')
    }
    const identifiers = input.logGroupIdentifiers?.map((id) => id.replace(/:\*$/, ''))
    const now = ctx.clock.now()
    const groups = [...state.groups(ctx.caller.account, ctx.caller.region).values()].filter((g) =>
      (prefix === undefined || g.name.startsWith(prefix)) &&
      (pattern === undefined || g.name.includes(pattern)) &&
      (input.logGroupClass === undefined || g.logGroupClass === input.logGroupClass) &&
      (identifiers === undefined || identifiers.includes(g.name) || identifiers.includes(g.arn)))
    const { page, nextToken } = paginate(groups, (g) => [g.name], { limit: input.limit ?? limits.maxDescribeLimit, token: input.nextToken })
    // With a name pattern AWS returns only the name, ARN and creation time.
    const logGroups = page.map((g) => pattern === undefined ? describeGroup(g, now)
      : { logGroupName: g.name, arn: `${g.arn}:*`, creationTime: g.creationTime })
    return { logGroups, nextToken }
  }

  const listLogGroups: Operation<T.ListLogGroupsRequest, T.ListLogGroupsResponse> = (input, ctx) => {
    checkRange('limit', input.limit, 1, limits.maxListLogGroupsLimit)
    const pattern = input.logGroupNamePattern
    const groups = [...state.groups(ctx.caller.account, ctx.caller.region).values()].filter((g) =>
      (pattern === undefined || g.name.includes(pattern)) && (input.logGroupClass === undefined || g.logGroupClass === input.logGroupClass))
    const { page, nextToken } = paginate(groups, (g) => [g.name], { limit: input.limit ?? 50, token: input.nextToken })
    return { logGroups: page.map((g) => ({ logGroupName: g.name, logGroupArn: g.arn, logGroupClass: g.logGroupClass })), nextToken }
  }

  const putRetentionPolicy: Operation<T.PutRetentionPolicyRequest, void> = (input, ctx) => {
    if (!(retentionDays as readonly number[]).includes(input.retentionInDays)) {
      throw logsErrors.validation(input.retentionInDays, 'retentionInDays', `Member must satisfy enum value set: [${retentionDays.join(', ')}]`)
    }
    const group = state.requireGroup(ctx.caller.account, ctx.caller.region, input.logGroupName)
    group.retentionInDays = input.retentionInDays
    group.saved()
    group.expire(ctx.clock.now())
  }

  const deleteRetentionPolicy: Operation<T.DeleteRetentionPolicyRequest, void> = (input, ctx) => {
    const group = state.requireGroup(ctx.caller.account, ctx.caller.region, input.logGroupName)
    group.retentionInDays = undefined
    group.saved()
  }

  return {
    CreateLogGroup: createLogGroup, DeleteLogGroup: deleteLogGroup, DescribeLogGroups: describeLogGroups,
    ListLogGroups: listLogGroups, PutRetentionPolicy: putRetentionPolicy, DeleteRetentionPolicy: deleteRetentionPolicy,
  }
}

function describeGroup(group: LogGroup, now: number): T.LogGroup {
  group.expire(now)
  return {
    logGroupName: group.name,
    creationTime: group.creationTime,
    retentionInDays: group.retentionInDays,
    metricFilterCount: group.metricFilters.length,
    arn: `${group.arn}:*`,
    storedBytes: group.storedBytes,
    kmsKeyId: group.kmsKeyId,
    logGroupClass: group.logGroupClass,
    logGroupArn: group.arn,
  }
}
