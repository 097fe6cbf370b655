// CloudWatch as the User Guide and API reference document it, beyond the basics: metric math's
// array functions (SORT/FIRST/SLICE/METRIC_COUNT), DATAPOINT_COUNT and the time functions; NaN and a
// namespace starting with ':' refused with AWS's errors; composite alarms' references checked.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DeleteAlarmsCommand, DescribeAlarmsCommand, GetMetricDataCommand, PutCompositeAlarmCommand, PutMetricAlarmCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch'
import { cloudWatchClient, cloudWatchQueryClient, minuteNow } from '../../helpers/cloudwatch.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const minute = 60_000

describe('metric math functions from the User Guide', () => {
  it('SORT(METRICS(), AVG, DESC, n), FIRST, LAST, SLICE and METRIC_COUNT pick the top series; DATAPOINT_COUNT and MINUTE per point', async () => {
    const cw = cloudWatchClient(nimbus.current)
    const ns = uniqueName('ns')
    const t = minuteNow(nimbus.current) - 10 * minute
    // Three hosts' latency: b is the highest on average, then c, then a.
    const hosts: Record<string, number[]> = { a: [1, 2, 3], b: [30, 20, 10], c: [5, 5, 5] }
    await cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: Object.entries(hosts).flatMap(([host, values]) =>
      values.map((v, i) => ({ MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: host }], Value: v, Timestamp: new Date(t + i * minute) }))) }))
    const stat = (host: string) => ({ Metric: { Namespace: ns, MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: host }] }, Period: 60, Stat: 'Average' })
    const out = await cw.send(new GetMetricDataCommand({
      StartTime: new Date(t), EndTime: new Date(t + 3 * minute), ScanBy: 'TimestampAscending',
      MetricDataQueries: [
        ...Object.keys(hosts).map((h) => ({ Id: `m_${h}`, MetricStat: stat(h), Label: h, ReturnData: false })),
        { Id: 'top2', Expression: 'SORT(METRICS(), AVG, DESC, 2)' },
        { Id: 'highest', Expression: 'FIRST(SORT(METRICS(), AVG, DESC))', Label: 'Highest' },
        { Id: 'lowest', Expression: 'LAST(SORT(METRICS(), MAX, DESC))', Label: 'Lowest' },
        { Id: 'rest', Expression: 'SLICE(SORT(METRICS(), SUM, DESC), 1)' },
        { Id: 'hosts', Expression: 'METRIC_COUNT(METRICS())', Label: 'Hosts' },
        { Id: 'reporting', Expression: 'DATAPOINT_COUNT(METRICS())', Label: 'Reporting' },
        { Id: 'minutes', Expression: 'MINUTE(m_a)', Label: 'Minute' },
      ],
    }))
    const results = out.MetricDataResults!.map((r) => [r.Id, r.Label, r.Values])
    const minuteOf = (i: number) => new Date(t + i * minute).getUTCMinutes()
    assert.deepEqual(results, [
      ['top2', 'b', [30, 20, 10]],
      ['top2', 'c', [5, 5, 5]],
      ['highest', 'Highest', [30, 20, 10]],
      ['lowest', 'Lowest', [1, 2, 3]],
      ['rest', 'c', [5, 5, 5]],
      ['rest', 'a', [1, 2, 3]],
      ['hosts', 'Hosts', [3, 3, 3]],
      ['reporting', 'Reporting', [3, 3, 3]],
      ['minutes', 'Minute', [minuteOf(0), minuteOf(1), minuteOf(2)]],
    ])
    const bad = await sdkError(cw.send(new GetMetricDataCommand({ StartTime: new Date(t), EndTime: new Date(t + 3 * minute),
      MetricDataQueries: [{ Id: 'm1', MetricStat: stat('a') }, { Id: 'e1', Expression: 'SORT(METRICS(), MEDIAN, DESC)' }] })))
    assert.deepEqual([bad.code, bad.status], ['InvalidParameterValue', 400])
    assert.match(bad.message, /^Error in expression e1: .*AVG, MIN, MAX or SUM/)
  })
})

describe('PutMetricData validation', () => {
  it('refuses NaN (sent as "NaN" by the JSON protocol) and a namespace starting with a colon, on both protocols', async () => {
    const cw = cloudWatchClient(nimbus.current)
    const nan = await sdkError(cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'm', Value: Number.NaN }] })))
    assert.deepEqual([nan.code, nan.status, nan.message], ['InvalidParameterValue', 400, 'The value NaN for parameter MetricData.member.1.Value is invalid.'])
    const colon = await sdkError(cw.send(new PutMetricDataCommand({ Namespace: ':App', MetricData: [{ MetricName: 'm', Value: 1 }] })))
    assert.deepEqual([colon.code, colon.status, colon.message], ['InvalidParameterValue', 400,
      "1 validation error detected: Value ':App' at 'namespace' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:].*"])
    const query = await cloudWatchQueryClient(nimbus.current).putMetricData({ Namespace: ':App', MetricData: [{ MetricName: 'm', Value: 1 }] }).promise()
      .then(() => undefined, (e: { code: string; statusCode: number }) => [e.code, e.statusCode])
    assert.deepEqual(query, ['InvalidParameterValue', 400])
  })
})

describe('composite alarms and the alarms they read', () => {
  it('refuses a rule naming an alarm that does not exist, and deleting an alarm a composite alarm reads', async () => {
    const cw = cloudWatchClient(nimbus.current)
    const child = uniqueName('child')
    await cw.send(new PutMetricAlarmCommand({ AlarmName: child, Namespace: 'App', MetricName: 'Errors', Statistic: 'Sum', Period: 60,
      EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' }))
    const missing = uniqueName('missing')
    const unknown = await sdkError(cw.send(new PutCompositeAlarmCommand({ AlarmName: uniqueName('c'), AlarmRule: `ALARM(${child}) OR ALARM(${missing})` })))
    assert.deepEqual([unknown.code, unknown.status, unknown.message], ['ValidationError', 400,
      `Could not save the composite alarm as alarms [${missing}] in the alarm rule do not exist`])
    const parent = uniqueName('parent')
    await cw.send(new PutCompositeAlarmCommand({ AlarmName: parent, AlarmRule: `ALARM("${child}")` }))
    const inUse = await sdkError(cw.send(new DeleteAlarmsCommand({ AlarmNames: [child] })))
    assert.deepEqual([inUse.code, inUse.status, inUse.message], ['ValidationError', 400,
      `Cannot delete ${child} as there are composite alarm(s) depending on it.`])
    // Nothing was deleted; the composite alarm and its child go together.
    const still = await cw.send(new DescribeAlarmsCommand({ AlarmNames: [child, parent], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }))
    assert.deepEqual([still.MetricAlarms!.length, still.CompositeAlarms!.length], [1, 1])
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: [parent, child] }))
    const gone = await cw.send(new DescribeAlarmsCommand({ AlarmNames: [child, parent], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }))
    assert.deepEqual([gone.MetricAlarms!.length, gone.CompositeAlarms!.length], [0, 0])
  })
})
