// CloudWatch Logs metric filters end to end: PutMetricFilter/Describe/Delete/TestMetricFilter with
// AWS's checks, and matching events' values published into CloudWatch on the manual clock — a JSON
// pattern counting errors (defaultValue 0 while other logs arrive), a space-delimited one publishing a
// field's value with a dimension, and the classic log → metric → alarm.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch'
import {
  DeleteMetricFilterCommand, DescribeLogGroupsCommand, DescribeMetricFiltersCommand, PutLogEventsCommand, PutMetricFilterCommand,
  TestMetricFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs'
import { advanceTo, cloudWatchClient, minuteNow } from '../../helpers/cloudwatch.ts'
import { logsClient, newStream } from '../../helpers/logs.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const minute = 60_000

async function stats(namespace: string, metric: string, start: number, statistic: 'Sum' | 'SampleCount' | 'Maximum',
  dimensions: { Name: string; Value: string }[] = []): Promise<{ t: number; v: number | undefined }[]> {
  const out = await cloudWatchClient(nimbus.current).send(new GetMetricStatisticsCommand({
    Namespace: namespace, MetricName: metric, Dimensions: dimensions, StartTime: new Date(start), EndTime: new Date(start + 10 * minute),
    Period: 60, Statistics: [statistic],
  }))
  return out.Datapoints!.map((d) => ({ t: d.Timestamp!.getTime(), v: d[statistic] })).sort((a, b) => a.t - b.t)
}

describe('CloudWatch Logs metric filters', () => {
  it('counts matching JSON events per minute, with the default value in minutes of other logs, and drives an alarm', async () => {
    const logs = logsClient(nimbus.current)
    const { group, stream } = await newStream(logs, '/app/metric')
    const namespace = uniqueName('App')
    await logs.send(new PutMetricFilterCommand({
      logGroupName: group, filterName: 'errors', filterPattern: '{ $.level = "ERROR" }',
      metricTransformations: [{ metricName: 'ErrorCount', metricNamespace: namespace, metricValue: '1', defaultValue: 0, unit: 'Count' }],
    }))
    const cw = cloudWatchClient(nimbus.current)
    await cw.send(new PutMetricAlarmCommand({
      AlarmName: uniqueName('errors'), Namespace: namespace, MetricName: 'ErrorCount', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1,
      Threshold: 2, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching',
    }))
    const t = minuteNow(nimbus.current) + minute
    await advanceTo(nimbus.current, t + 1000)
    const put = (messages: string[]) => logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream,
      logEvents: messages.map((message) => ({ timestamp: nimbus.current.clock.now(), message })) }))
    await put(['{"level":"ERROR","msg":"a"}', '{"level":"INFO"}', '{"level":"ERROR","msg":"b"}', 'not json ERROR'])
    await advanceTo(nimbus.current, t + minute + 1000)
    await put(['{"level":"INFO"}'])
    await put(['{"level":"DEBUG"}'])
    await advanceTo(nimbus.current, t + 3 * minute)

    assert.deepEqual(await stats(namespace, 'ErrorCount', t, 'Sum'), [{ t, v: 2 }, { t: t + minute, v: 0 }])
    // One default value a minute however many uploads miss.
    assert.deepEqual((await stats(namespace, 'ErrorCount', t, 'SampleCount')).map((d) => d.v), [2, 1])
    const alarms = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'errors' }))
    const alarm = alarms.MetricAlarms!.find((a) => a.Namespace === namespace)!
    // OK with no data (notBreaching), ALARM for the minute of 2 errors, OK again with the next minute's 0.
    assert.equal(alarm.StateValue, 'OK')
    assert.match(alarm.StateReason!, /\[0\.0 \(/)
    const changes = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: alarm.AlarmName, HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending' }))
    assert.deepEqual(changes.AlarmHistoryItems!.map((h) => h.HistorySummary), [
      'Alarm updated from INSUFFICIENT_DATA to OK', 'Alarm updated from OK to ALARM', 'Alarm updated from ALARM to OK'])
    const listed = await cw.send(new ListMetricsCommand({ Namespace: namespace }))
    assert.deepEqual(listed.Metrics!.map((m) => m.MetricName), ['ErrorCount'])
    const described = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }))
    assert.equal(described.logGroups![0]!.metricFilterCount, 1)
  })

  it('publishes a delimited field as the value with a dimension, at each event’s timestamp', async () => {
    const logs = logsClient(nimbus.current)
    const { group, stream } = await newStream(logs, '/app/access')
    const namespace = uniqueName('Web')
    await logs.send(new PutMetricFilterCommand({
      logGroupName: group, filterName: 'bytes', filterPattern: '[ip, user, status, bytes > 0]',
      metricTransformations: [{ metricName: 'BytesSent', metricNamespace: namespace, metricValue: '$bytes', unit: 'Bytes', dimensions: { Status: '$status' } }],
    }))
    const t = minuteNow(nimbus.current) + minute
    await advanceTo(nimbus.current, t + 5 * minute)
    await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: [
      { timestamp: t + 1000, message: '10.0.0.1 alice 200 1500' },
      { timestamp: t + 2000, message: '10.0.0.2 bob 200 500' },
      { timestamp: t + minute + 5, message: '10.0.0.3 carol 404 20' },
      { timestamp: t + minute + 6, message: '10.0.0.4 dave 500 0' },
    ] }))
    await advanceTo(nimbus.current, t + 7 * minute)
    assert.deepEqual(await stats(namespace, 'BytesSent', t, 'Sum', [{ Name: 'Status', Value: '200' }]), [{ t, v: 2000 }])
    assert.deepEqual(await stats(namespace, 'BytesSent', t, 'Maximum', [{ Name: 'Status', Value: '404' }]), [{ t: t + minute, v: 20 }])
    assert.deepEqual(await stats(namespace, 'BytesSent', t, 'Sum', [{ Name: 'Status', Value: '500' }]), [], 'bytes > 0 excludes it')

    const tested = await logs.send(new TestMetricFilterCommand({ filterPattern: '[ip, user, status, bytes > 0]',
      logEventMessages: ['1.2.3.4 u 200 7', '1.2.3.4 u 200 0', 'too short'] }))
    assert.deepEqual(tested.matches, [{ eventNumber: 1, eventMessage: '1.2.3.4 u 200 7',
      extractedValues: { $ip: '1.2.3.4', $user: 'u', $status: '200', $bytes: '7' } }])
  })

  it('describes, replaces and deletes filters, with AWS’s checks', async () => {
    const logs = logsClient(nimbus.current)
    const { group } = await newStream(logs, '/app/described')
    const transformation = { metricName: 'M', metricNamespace: 'NS', metricValue: '$.latency' }
    await logs.send(new PutMetricFilterCommand({ logGroupName: group, filterName: 'b', filterPattern: '{ $.latency > 0 }', metricTransformations: [transformation] }))
    await logs.send(new PutMetricFilterCommand({ logGroupName: group, filterName: 'a', filterPattern: '', metricTransformations: [{ ...transformation, metricName: 'N' }] }))
    await logs.send(new PutMetricFilterCommand({ logGroupName: group, filterName: 'a', filterPattern: 'ERROR', metricTransformations: [{ ...transformation, metricValue: '1' }] }))
    const all = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: group }))
    assert.deepEqual(all.metricFilters!.map((f) => [f.filterName, f.filterPattern, f.metricTransformations![0]!.metricValue]), [['a', 'ERROR', '1'], ['b', '{ $.latency > 0 }', '$.latency']])
    assert.equal(all.metricFilters![0]!.logGroupName, group)
    const page = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: group, limit: 1 }))
    const next = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: group, limit: 1, nextToken: page.nextToken }))
    assert.deepEqual([page.metricFilters![0]!.filterName, next.metricFilters![0]!.filterName, next.nextToken], ['a', 'b', undefined])
    const byMetric = await logs.send(new DescribeMetricFiltersCommand({ metricName: 'M', metricNamespace: 'NS' }))
    assert.ok(byMetric.metricFilters!.some((f) => f.logGroupName === group && f.filterName === 'a'))

    await logs.send(new DeleteMetricFilterCommand({ logGroupName: group, filterName: 'a' }))
    assert.deepEqual((await logs.send(new DescribeMetricFiltersCommand({ logGroupName: group }))).metricFilters!.map((f) => f.filterName), ['b'])
    const missing = await sdkError(logs.send(new DeleteMetricFilterCommand({ logGroupName: group, filterName: 'a' })))
    assert.equal(missing.name, 'ResourceNotFoundException')
    const noGroup = await sdkError(logs.send(new PutMetricFilterCommand({ logGroupName: `${group}-none`, filterName: 'x', filterPattern: '', metricTransformations: [transformation] })))
    assert.deepEqual([noGroup.name, noGroup.message], ['ResourceNotFoundException', 'The specified log group does not exist.'])
    const badName = await sdkError(logs.send(new PutMetricFilterCommand({ logGroupName: group, filterName: 'x', filterPattern: '',
      metricTransformations: [{ ...transformation, metricName: 'a:b' }] })))
    assert.deepEqual([badName.name, badName.message], ['InvalidParameterException',
      "1 validation error detected: Value 'a:b' at 'metricTransformations.1.member.metricName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*$]*"])
    const two = await sdkError(logs.send(new PutMetricFilterCommand({ logGroupName: group, filterName: 'x', filterPattern: '', metricTransformations: [transformation, transformation] })))
    assert.equal(two.name, 'InvalidParameterException')
    const both = await sdkError(logs.send(new PutMetricFilterCommand({ logGroupName: group, filterName: 'x', filterPattern: '{ $.a = 1 }',
      metricTransformations: [{ ...transformation, defaultValue: 0, dimensions: { A: '$.a' } }] })))
    assert.equal(both.name, 'InvalidParameterException')
    const badValue = await sdkError(logs.send(new PutMetricFilterCommand({ logGroupName: group, filterName: 'x', filterPattern: '', metricTransformations: [{ ...transformation, metricValue: 'abc' }] })))
    assert.equal(badValue.name, 'InvalidParameterException')
    const badPattern = await sdkError(logs.send(new PutMetricFilterCommand({ logGroupName: group, filterName: 'x', filterPattern: '{ $.a = ', metricTransformations: [transformation] })))
    assert.equal(badPattern.name, 'InvalidParameterException')
    const halfMetric = await sdkError(logs.send(new DescribeMetricFiltersCommand({ metricName: 'M' })))
    assert.equal(halfMetric.name, 'InvalidParameterException')
  })

  it('publishes nothing for a value field that names no JSON path, and the upload still succeeds', async () => {
    const logs = logsClient(nimbus.current)
    const { group, stream } = await newStream(logs, '/app/odd-field')
    const namespace = uniqueName('Odd')
    await logs.send(new PutMetricFilterCommand({
      logGroupName: group, filterName: 'odd', filterPattern: '{ $.level = "ERROR" }',
      metricTransformations: [{ metricName: 'Odd', metricNamespace: namespace, metricValue: '$.a..b' }],
    }))
    const t = minuteNow(nimbus.current) + minute
    await advanceTo(nimbus.current, t + 1000)
    const put = await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream,
      logEvents: [{ timestamp: nimbus.current.clock.now(), message: '{"level":"ERROR","a":{"b":3}}' }] }))
    assert.equal(put.rejectedLogEventsInfo, undefined)
    await advanceTo(nimbus.current, t + 2 * minute)
    assert.deepEqual(await stats(namespace, 'Odd', t, 'Sum'), [])
  })
})
