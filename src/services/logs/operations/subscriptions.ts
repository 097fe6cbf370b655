// PutSubscriptionFilter, DescribeSubscriptionFilters, DeleteSubscriptionFilter: at most 2 filters a
// log group, destinations Kinesis data streams, Firehose streams and Lambda functions. Putting a
// Kinesis or Firehose filter sends AWS's CONTROL_MESSAGE to the destination at once, and a
// destination that can't take it refuses the filter, as AWS's test delivery does. A Lambda function
// must exist and, under `--enforce-iam`, let CloudWatch Logs invoke it (its resource policy, as
// `aws lambda add-permission --principal logs.amazonaws.com` grants it: lambda-permission.ts).
import type { Fabric } from '../../../fabric/fabric.ts'
import type { LambdaPort } from '../../lambda/port.ts'
import { serviceMayInvoke } from '../../lambda-permission.ts'
import type { Operation } from '../../service.ts'
import { AwsError } from '../../../protocol/errors.ts'
import { logsErrors } from '../errors.ts'
import { compileFilterPattern } from '../filter-pattern.ts'
import type * as T from '../generated/types.ts'
import type { LogsState } from '../store.ts'
import { controlMessage, destinationKind, type SubscriptionFilterData } from '../subscription-filter.ts'
import { checkGroupName, checkRange, paginate } from './common.ts'

/** AWS's quota: two subscription filters per log group. */
export const maxSubscriptionFilters = 2

const distributions = ['Random', 'ByLogStream'] as const

function checkFilterName(name: string, member = 'filterName'): void {
  if (name.length < 1) throw logsErrors.validation(name, member, 'Member must have length greater than or equal to 1')
  if (name.length > 512) throw logsErrors.validation(name, member, 'Member must have length less than or equal to 512')
  if (!/^[^:*]*$/.test(name)) throw logsErrors.validation(name, member, 'Member must satisfy regular expression pattern: [^:*]*')
}

/** Who CloudWatch Logs is to a function's policy: the global service principal and the older regional one. */
const logsPrincipals = (region: string) => ['logs.amazonaws.com', `logs.${region}.amazonaws.com`]

export function subscriptionOperations(state: LogsState, destinations: { fabric?: Fabric; lambda?: LambdaPort; enforceIam?: boolean }) {
  /**
   * AWS's test delivery: the control message must reach a Kinesis or Firehose destination; a Lambda
   * function must exist and (under --enforce-iam) allow CloudWatch Logs to invoke it for this log group:
   * `AWS:SourceArn` is the group's ARN with `:*` (what the guide's `add-permission --source-arn` names),
   * `AWS:SourceAccount` its account.
   */
  function checkDestination(filter: SubscriptionFilterData, group: { arn: string; account: string; region: string }): void {
    const kind = destinationKind(filter.destinationArn)
    if (kind === 'lambda') {
      const { lambda } = destinations
      if (lambda?.exists(filter.destinationArn) !== true || (destinations.enforceIam === true && !serviceMayInvoke(lambda, {
        principals: logsPrincipals(group.region), functionArn: filter.destinationArn, sourceArn: `${group.arn}:*`, sourceAccount: group.account,
      }))) {
        throw logsErrors.invalidParameter('Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute your function.')
      }
      return
    }
    const subscriptions = state.subscriptions
    if (subscriptions === undefined || destinations.fabric === undefined || kind === undefined) return
    try {
      destinations.fabric.sendNow(subscriptions.delivery(group, filter, controlMessage(kind, state.clock.now()), ''))
    } catch {
      throw logsErrors.invalidParameter(kind === 'kinesis'
        ? 'Could not deliver test message to specified Kinesis stream. Check if the given kinesis stream is in ACTIVE state.' // [R]
        : 'Could not deliver test message to specified Firehose stream. Check if the given Firehose stream is in ACTIVE state.') // [R]
    }
  }

  const putSubscriptionFilter: Operation<T.PutSubscriptionFilterRequest, void> = (input, ctx) => {
    checkGroupName(input.logGroupName)
    checkFilterName(input.filterName)
    compileFilterPattern(input.filterPattern)
    if (input.destinationArn.length < 1) throw logsErrors.validation('', 'destinationArn', 'Member must have length greater than or equal to 1')
    if (input.distribution !== undefined && !distributions.includes(input.distribution)) {
      throw logsErrors.validation(input.distribution, 'distribution', `Member must satisfy enum value set: [${distributions.join(', ')}]`)
    }
    const group = state.requireGroup(ctx.caller.account, ctx.caller.region, input.logGroupName)
    if (/^arn:[^:]+:logs:[^:]*:\d{12}:destination:/.test(input.destinationArn)) {
      throw logsErrors.invalidParameter('Nimbus does not support CloudWatch Logs destinations (cross-account delivery) yet.')
    }
    const kind = destinationKind(input.destinationArn)
    if (kind === undefined) {
      throw logsErrors.invalidParameter(`Invalid destination ARN: ${input.destinationArn}`) // [R]
    }
    // AWS refuses a Kinesis or Firehose destination without the role CloudWatch Logs would assume to
    // write to it (seen for kinesis; the firehose wording follows it [R]); Lambda needs none.
    if (kind !== 'lambda' && input.roleArn === undefined) {
      throw logsErrors.invalidParameter(`destinationArn for vendor ${kind} cannot be used without roleArn`)
    }
    const existing = group.subscriptionFilters.findIndex((f) => f.filterName === input.filterName)
    if (existing < 0 && group.subscriptionFilters.length >= maxSubscriptionFilters) {
      throw new AwsError('LimitExceededException', 'Resource limit exceeded.') // [R]
    }
    const filter: SubscriptionFilterData = {
      filterName: input.filterName, filterPattern: input.filterPattern, destinationArn: input.destinationArn,
      ...(input.roleArn !== undefined && { roleArn: input.roleArn }),
      distribution: input.distribution ?? 'ByLogStream', creationTime: ctx.clock.now(),
    }
    checkDestination(filter, group)
    if (existing < 0) group.subscriptionFilters.push(filter)
    else group.subscriptionFilters[existing] = filter
    group.saved()
  }

  const describeSubscriptionFilters: Operation<T.DescribeSubscriptionFiltersRequest, T.DescribeSubscriptionFiltersResponse> = (input, ctx) => {
    checkGroupName(input.logGroupName)
    if (input.filterNamePrefix !== undefined) checkFilterName(input.filterNamePrefix, 'filterNamePrefix')
    checkRange('limit', input.limit, 1, 50)
    const group = state.requireGroup(ctx.caller.account, ctx.caller.region, input.logGroupName)
    const filters = group.subscriptionFilters.filter((f) => input.filterNamePrefix === undefined || f.filterName.startsWith(input.filterNamePrefix))
    const { page, nextToken } = paginate(filters, (f) => [f.filterName], { limit: input.limit ?? 50, token: input.nextToken })
    return {
      subscriptionFilters: page.map((f) => ({
        filterName: f.filterName, logGroupName: group.name, filterPattern: f.filterPattern, destinationArn: f.destinationArn,
        ...(f.roleArn !== undefined && { roleArn: f.roleArn }), distribution: f.distribution, applyOnTransformedLogs: false,
        creationTime: f.creationTime,
      })),
      ...(nextToken !== undefined && { nextToken }),
    }
  }

  const deleteSubscriptionFilter: Operation<T.DeleteSubscriptionFilterRequest, void> = (input, ctx) => {
    checkGroupName(input.logGroupName)
    checkFilterName(input.filterName)
    const group = state.requireGroup(ctx.caller.account, ctx.caller.region, input.logGroupName)
    const index = group.subscriptionFilters.findIndex((f) => f.filterName === input.filterName)
    if (index < 0) throw new AwsError('ResourceNotFoundException', 'The specified subscription filter does not exist.') // [R]
    group.subscriptionFilters.splice(index, 1)
    group.saved()
  }

  return {
    PutSubscriptionFilter: putSubscriptionFilter,
    DescribeSubscriptionFilters: describeSubscriptionFilters,
    DeleteSubscriptionFilter: deleteSubscriptionFilter,
  }
}
