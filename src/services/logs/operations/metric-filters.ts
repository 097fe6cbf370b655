// PutMetricFilter, DescribeMetricFilters, DeleteMetricFilter and TestMetricFilter: a log group's
// metric filters (at most 100), each one transformation of matching events into a custom metric
// (metric-filter.ts publishes the values into CloudWatch as events arrive).
import type { Operation } from '../../service.ts'
import { AwsError } from '../../../protocol/errors.ts'
import { logsErrors } from '../errors.ts'
import { compileFilterPattern } from '../filter-pattern.ts'
import type * as T from '../generated/types.ts'
import type { LogGroup } from '../log-group.ts'
import { extractedValues, isFieldReference, type MetricFilterData, type MetricTransformationData } from '../metric-filter.ts'
import type { LogsState } from '../store.ts'
import { checkGroupName, checkRange, paginate } from './common.ts'

/** AWS's quota: 100 metric filters per log group. */
export const maxMetricFilters = 100

const units = ['Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits',
  'Kilobits', 'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second',
  'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second',
  'Count/Second', 'None']

function checkName(value: string, member: string, max: number, pattern: RegExp, patternText: string): void {
  if (value.length < 1) throw logsErrors.validation(value, member, 'Member must have length greater than or equal to 1')
  if (value.length > max) throw logsErrors.validation(value, member, `Member must have length less than or equal to ${max}`)
  if (!pattern.test(value)) throw logsErrors.validation(value, member, `Member must satisfy regular expression pattern: ${patternText}`)
}

const checkFilterName = (name: string, member = 'filterName') => checkName(name, member, 512, /^[^:*]*$/, '[^:*]*')
const checkMetricName = (name: string, member: string) => checkName(name, member, 255, /^[^:*$]*$/, '[^:*$]*')

function checkTransformation(t: T.MetricTransformation): MetricTransformationData {
  const at = (m: string) => `metricTransformations.1.member.${m}`
  checkMetricName(t.metricName, at('metricName'))
  checkMetricName(t.metricNamespace, at('metricNamespace'))
  if (t.metricValue.length < 1) throw logsErrors.validation(t.metricValue, at('metricValue'), 'Member must have length greater than or equal to 1')
  if (t.metricValue.length > 100) throw logsErrors.validation(t.metricValue, at('metricValue'), 'Member must have length less than or equal to 100')
  if (!isFieldReference(t.metricValue) && !Number.isFinite(Number(t.metricValue))) {
    throw logsErrors.invalidParameter(`Invalid metric value: ${t.metricValue}`) // [R]
  }
  if (t.unit !== undefined && !units.includes(t.unit)) {
    throw logsErrors.validation(t.unit, at('unit'), `Member must satisfy enum value set: [${units.join(', ')}]`)
  }
  const dimensions = t.dimensions ?? {}
  const names = Object.keys(dimensions)
  if (names.length > 3) throw logsErrors.invalidParameter('Metric transformation can include at most 3 dimensions.') // [R]
  if (names.length > 0 && t.defaultValue !== undefined) {
    throw logsErrors.invalidParameter('Default value can not be specified with dimensions.') // [R]
  }
  for (const [name, field] of Object.entries(dimensions)) {
    if (name.length < 1 || name.length > 255) throw logsErrors.validation(name, at('dimensions'), 'Member must have length less than or equal to 255')
    if (!isFieldReference(field)) throw logsErrors.invalidParameter(`Invalid dimension value: ${field}. Dimension values must be fields of the log event.`) // [R]
  }
  return {
    metricName: t.metricName, metricNamespace: t.metricNamespace, metricValue: t.metricValue,
    ...(t.defaultValue !== undefined && { defaultValue: t.defaultValue }),
    ...(names.length > 0 && { dimensions: { ...dimensions } }),
    ...(t.unit !== undefined && { unit: t.unit }),
  }
}

function describe(group: LogGroup, f: MetricFilterData): T.MetricFilter {
  return {
    filterName: f.filterName, filterPattern: f.filterPattern, logGroupName: group.name, creationTime: f.creationTime,
    metricTransformations: f.metricTransformations.map((t) => ({ ...t, ...(t.dimensions !== undefined && { dimensions: { ...t.dimensions } }) }) as T.MetricTransformation),
    applyOnTransformedLogs: false,
  }
}

export function metricFilterOperations(state: LogsState) {
  const putMetricFilter: Operation<T.PutMetricFilterRequest, void> = (input, ctx) => {
    checkGroupName(input.logGroupName)
    checkFilterName(input.filterName)
    compileFilterPattern(input.filterPattern)
    const list = input.metricTransformations
    if (list.length < 1) throw logsErrors.validation('[]', 'metricTransformations', 'Member must have length greater than or equal to 1')
    if (list.length > 1) throw logsErrors.validation(list.length, 'metricTransformations', 'Member must have length less than or equal to 1')
    const transformation = checkTransformation(list[0]!)
    const group = state.requireGroup(ctx.caller.account, ctx.caller.region, input.logGroupName)
    const existing = group.metricFilters.findIndex((f) => f.filterName === input.filterName)
    if (existing < 0 && group.metricFilters.length >= maxMetricFilters) {
      throw new AwsError('LimitExceededException', 'Resource limit exceeded.') // [R]
    }
    const filter: MetricFilterData = {
      filterName: input.filterName, filterPattern: input.filterPattern, metricTransformations: [transformation], creationTime: ctx.clock.now(),
    }
    if (existing < 0) group.metricFilters.push(filter)
    else group.metricFilters[existing] = filter
    group.saved()
  }

  const describeMetricFilters: Operation<T.DescribeMetricFiltersRequest, T.DescribeMetricFiltersResponse> = (input, ctx) => {
    if (input.logGroupName !== undefined) checkGroupName(input.logGroupName)
    if (input.filterNamePrefix !== undefined) checkFilterName(input.filterNamePrefix, 'filterNamePrefix')
    checkRange('limit', input.limit, 1, 50)
    if ((input.metricName === undefined) !== (input.metricNamespace === undefined)) {
      throw logsErrors.invalidParameter('If you specify a value for metricName, you must also specify a value for metricNamespace.') // [R]
    }
    const { account, region } = ctx.caller
    const groups = input.logGroupName !== undefined ? [state.requireGroup(account, region, input.logGroupName)]
      : [...state.groups(account, region).values()]
    const found: { group: LogGroup; filter: MetricFilterData }[] = []
    for (const group of groups) {
      for (const filter of group.metricFilters) {
        if (input.filterNamePrefix !== undefined && !filter.filterName.startsWith(input.filterNamePrefix)) continue
        const t = filter.metricTransformations[0]!
        if (input.metricName !== undefined && (t.metricName !== input.metricName || t.metricNamespace !== input.metricNamespace)) continue
        found.push({ group, filter })
      }
    }
    const { page, nextToken } = paginate(found, (f) => [f.group.name, f.filter.filterName], { limit: input.limit ?? 50, token: input.nextToken })
    return { metricFilters: page.map((f) => describe(f.group, f.filter)), ...(nextToken !== undefined && { nextToken }) }
  }

  const deleteMetricFilter: Operation<T.DeleteMetricFilterRequest, void> = (input, ctx) => {
    checkGroupName(input.logGroupName)
    checkFilterName(input.filterName)
    const group = state.requireGroup(ctx.caller.account, ctx.caller.region, input.logGroupName)
    const index = group.metricFilters.findIndex((f) => f.filterName === input.filterName)
    if (index < 0) throw new AwsError('ResourceNotFoundException', 'The specified metric filter does not exist.') // [R]
    group.metricFilters.splice(index, 1)
    group.saved()
  }

  const testMetricFilter: Operation<T.TestMetricFilterRequest, T.TestMetricFilterResponse> = (input) => {
    compileFilterPattern(input.filterPattern)
    const messages = input.logEventMessages
    if (messages.length < 1) throw logsErrors.validation('[]', 'logEventMessages', 'Member must have length greater than or equal to 1')
    if (messages.length > 50) throw logsErrors.validation(messages.length, 'logEventMessages', 'Member must have length less than or equal to 50')
    const matches: T.MetricFilterMatchRecord[] = []
    messages.forEach((message, i) => {
      const values = extractedValues(input.filterPattern, message)
      if (values !== undefined) matches.push({ eventNumber: i + 1, eventMessage: message, extractedValues: values })
    })
    return { matches }
  }

  return {
    PutMetricFilter: putMetricFilter,
    DescribeMetricFilters: describeMetricFilters,
    DeleteMetricFilter: deleteMetricFilter,
    TestMetricFilter: testMetricFilter,
  }
}
