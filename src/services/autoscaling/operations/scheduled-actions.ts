// PutScheduledUpdateGroupAction, BatchPutScheduledUpdateGroupAction, DescribeScheduledActions,
// DeleteScheduledAction and BatchDeleteScheduledAction.
import { AwsError } from '../../../protocol/errors.ts'
import type { OperationTable } from '../../service.ts'
import { autoScalingErrors } from '../errors.ts'
import type { AutoScalingOperations, FailedScheduledUpdateGroupActionRequest, ScheduledUpdateGroupActionRequest } from '../generated/types.ts'
import type { Group } from '../group.ts'
import { deterministicUuid } from '../ids.ts'
import type { PolicyState } from '../policies/policy-state.ts'
import type { GroupControl } from '../policies/runner.ts'
import { parseCron } from '../scheduled/cron.ts'
import { scheduledActionArn, scheduledActionOutput, type ScheduledActionRecord } from '../scheduled/scheduled-action.ts'
import type { Scheduler } from '../scheduled/scheduler.ts'
import { isTimeZone } from '../scheduled/zoned-time.ts'
import { checkName, page } from './common.ts'

type Ops = Pick<AutoScalingOperations, 'PutScheduledUpdateGroupAction' | 'BatchPutScheduledUpdateGroupAction' | 'DescribeScheduledActions'
  | 'DeleteScheduledAction' | 'BatchDeleteScheduledAction'>

const invalid = autoScalingErrors.validation

/** One action's checks (wording [R] in the README) and record; an update keeps its ARN. */
function buildAction(state: PolicyState, group: Group, input: ScheduledUpdateGroupActionRequest & { Time?: Date }, now: number): ScheduledActionRecord {
  checkName(input.ScheduledActionName, 'scheduledActionName')
  const start = (input.StartTime ?? input.Time)?.getTime()
  const end = input.EndTime?.getTime()
  if (input.MinSize === undefined && input.MaxSize === undefined && input.DesiredCapacity === undefined) {
    throw invalid('At least one of MinSize, MaxSize or DesiredCapacity must be specified.')
  }
  if (input.MinSize !== undefined && input.MaxSize !== undefined && input.MaxSize < input.MinSize) {
    throw invalid(`Max bound, ${input.MaxSize}, must be greater than or equal to min bound, ${input.MinSize}`)
  }
  if (input.DesiredCapacity !== undefined && ((input.MinSize !== undefined && input.DesiredCapacity < input.MinSize)
    || (input.MaxSize !== undefined && input.DesiredCapacity > input.MaxSize))) {
    throw invalid(`Desired capacity:${input.DesiredCapacity} must be between the specified min size:${input.MinSize ?? group.min} and max size:${input.MaxSize ?? group.max}`)
  }
  if (input.Recurrence !== undefined && parseCron(input.Recurrence) === undefined) throw invalid(`Invalid recurrence: ${input.Recurrence}`)
  if (input.TimeZone !== undefined && (input.Recurrence === undefined || !isTimeZone(input.TimeZone))) {
    throw invalid(input.Recurrence === undefined ? 'TimeZone may only be specified with Recurrence.' : `Invalid time zone: ${input.TimeZone}`)
  }
  if (start === undefined && input.Recurrence === undefined) throw invalid('Either StartTime or Recurrence must be specified.')
  if (start !== undefined && start < now) throw invalid('Given start time is in the past')
  if (end !== undefined && (input.Recurrence === undefined)) throw invalid('EndTime may only be specified with Recurrence.')
  if (end !== undefined && end <= (start ?? now)) throw invalid('Given end time is before the start time')
  const existing = state.action(group.account, group.region, group.name, input.ScheduledActionName)
  const arn = existing?.arn ?? scheduledActionArn(group.account, group.region,
    deterministicUuid(`${group.account}/${group.region}/scheduled/${group.name}/${input.ScheduledActionName}/${now}`), group.name, input.ScheduledActionName)
  return {
    account: group.account, region: group.region, group: group.name, name: input.ScheduledActionName, arn,
    ...(start !== undefined && { startTime: start }), ...(end !== undefined && { endTime: end }),
    ...(input.Recurrence !== undefined && { recurrence: input.Recurrence }),
    ...(input.Recurrence !== undefined && { timeZone: input.TimeZone ?? 'UTC' }),
    ...(input.MinSize !== undefined && { min: input.MinSize }), ...(input.MaxSize !== undefined && { max: input.MaxSize }),
    ...(input.DesiredCapacity !== undefined && { desired: input.DesiredCapacity }),
  }
}

function failure(name: string, error: unknown): FailedScheduledUpdateGroupActionRequest {
  if (!(error instanceof AwsError)) throw error
  return { ScheduledActionName: name, ErrorCode: error.code, ErrorMessage: error.message }
}

export function scheduledActionOperations(state: PolicyState, scheduler: Scheduler, control: GroupControl, now: () => number): OperationTable<Ops> {
  const requireGroup = (account: string, region: string, name: string): Group => {
    const group = control.find(account, region, name)
    if (group === undefined) throw autoScalingErrors.groupNotFound(name)
    return group
  }
  const remove = (group: Group, name: string) => {
    const a = state.action(group.account, group.region, group.name, name)
    if (a === undefined) throw invalid('Scheduled action name not found')
    scheduler.delete(a)
  }
  return {
    PutScheduledUpdateGroupAction: (input, ctx) => {
      const group = requireGroup(ctx.caller.account, ctx.caller.region, input.AutoScalingGroupName)
      scheduler.put(buildAction(state, group, input, now()))
      return undefined
    },
    BatchPutScheduledUpdateGroupAction: (input, ctx) => {
      const group = requireGroup(ctx.caller.account, ctx.caller.region, input.AutoScalingGroupName)
      const failed: FailedScheduledUpdateGroupActionRequest[] = []
      for (const request of input.ScheduledUpdateGroupActions) {
        try {
          scheduler.put(buildAction(state, group, request, now()))
        } catch (error) {
          failed.push(failure(request.ScheduledActionName, error))
        }
      }
      return { FailedScheduledUpdateGroupActions: failed }
    },
    DescribeScheduledActions: (input, ctx) => {
      const { account, region } = ctx.caller
      const group = input.AutoScalingGroupName === undefined ? undefined : requireGroup(account, region, input.AutoScalingGroupName).name
      let list = state.listActions(account, region, group)
      const names = input.ScheduledActionNames ?? []
      if (names.length > 0) list = list.filter((a) => names.includes(a.name))
      const from = input.StartTime?.getTime()
      const to = input.EndTime?.getTime()
      if (from !== undefined) list = list.filter((a) => a.next !== undefined && a.next >= from)
      if (to !== undefined) list = list.filter((a) => a.next !== undefined && a.next <= to)
      const { items, nextToken } = page('DescribeScheduledActions', list, input.NextToken, input.MaxRecords)
      return { ScheduledUpdateGroupActions: items.map(scheduledActionOutput), ...(nextToken !== undefined && { NextToken: nextToken }) }
    },
    DeleteScheduledAction: (input, ctx) => {
      remove(requireGroup(ctx.caller.account, ctx.caller.region, input.AutoScalingGroupName), input.ScheduledActionName)
      return undefined
    },
    BatchDeleteScheduledAction: (input, ctx) => {
      const group = requireGroup(ctx.caller.account, ctx.caller.region, input.AutoScalingGroupName)
      const failed: FailedScheduledUpdateGroupActionRequest[] = []
      for (const name of input.ScheduledActionNames) {
        try {
          remove(group, name)
        } catch (error) {
          failed.push(failure(name, error))
        }
      }
      return { FailedScheduledActions: failed }
    },
  }
}
