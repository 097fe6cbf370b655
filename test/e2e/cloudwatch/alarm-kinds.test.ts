// Alarms beyond a plain statistic: a percentile (ExtendedStatistic), a metric-math alarm (Metrics
// with an expression returning data) and a 10-second high-resolution alarm evaluated every period.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand, PutMetricAlarmCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch'
import { advanceTo, cloudWatchClient, minuteNow } from '../../helpers/cloudwatch.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const minute = 60_000

async function stateOf(name: string): Promise<string | undefined> {
  return (await cloudWatchClient(nimbus.current).send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms?.[0]?.StateValue
}

describe('CloudWatch alarm kinds', () => {
  it('alarms on a percentile: p90 of 1..100 is 90', async () => {
    const cw = cloudWatchClient(nimbus.current)
    const ns = uniqueName('ns')
    const t = minuteNow(nimbus.current) + minute
    const over = uniqueName('p90-over')
    const under = uniqueName('p90-under')
    for (const [name, threshold] of [[over, 89], [under, 90]] as const) {
      await cw.send(new PutMetricAlarmCommand({ AlarmName: name, Namespace: ns, MetricName: 'Latency', ExtendedStatistic: 'p90', Period: 60,
        EvaluationPeriods: 1, Threshold: threshold, ComparisonOperator: 'GreaterThanThreshold' }))
    }
    await cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: [{ MetricName: 'Latency', Values: Array.from({ length: 100 }, (_, i) => i + 1),
      Timestamp: new Date(t + 1000) }] }))
    await advanceTo(nimbus.current, t + minute)
    assert.deepEqual([await stateOf(over), await stateOf(under)], ['ALARM', 'OK'])
  })

  it('alarms on metric math: the error rate of two metrics', async () => {
    const cw = cloudWatchClient(nimbus.current)
    const ns = uniqueName('ns')
    const t = minuteNow(nimbus.current) + minute
    const name = uniqueName('rate')
    const stat = (metric: string) => ({ Metric: { Namespace: ns, MetricName: metric }, Period: 60, Stat: 'Sum' })
    await cw.send(new PutMetricAlarmCommand({ AlarmName: name, EvaluationPeriods: 2, DatapointsToAlarm: 2, Threshold: 10,
      ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching', Metrics: [
        { Id: 'errors', MetricStat: stat('Errors'), ReturnData: false },
        { Id: 'requests', MetricStat: stat('Requests'), ReturnData: false },
        { Id: 'rate', Expression: '100 * errors / requests', Label: 'Error rate', ReturnData: true },
      ] }))
    const put = (metric: string, values: number[]) => cw.send(new PutMetricDataCommand({ Namespace: ns,
      MetricData: values.map((v, i) => ({ MetricName: metric, Value: v, Timestamp: new Date(t + i * minute + 1000) })) }))
    await put('Requests', [100, 100, 100])
    await put('Errors', [20, 5, 30])
    await advanceTo(nimbus.current, t + 3 * minute)
    assert.equal(await stateOf(name), 'OK')
    await cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: [{ MetricName: 'Errors', Value: 50, Timestamp: new Date(t + 3 * minute + 1000) }] }))
    await cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: [{ MetricName: 'Requests', Value: 100, Timestamp: new Date(t + 3 * minute + 1000) }] }))
    await advanceTo(nimbus.current, t + 4 * minute)
    assert.equal(await stateOf(name), 'ALARM')
    const described = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms![0]!
    assert.equal(described.Metrics!.length, 3)
    assert.equal(described.MetricName, undefined)
  })

  it('evaluates a 10-second high-resolution alarm every 10 seconds', async () => {
    const cw = cloudWatchClient(nimbus.current)
    const ns = uniqueName('ns')
    const t = minuteNow(nimbus.current) + minute
    const name = uniqueName('fast')
    await cw.send(new PutMetricAlarmCommand({ AlarmName: name, Namespace: ns, MetricName: 'Spikes', Statistic: 'Maximum', Period: 10,
      EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' }))
    await cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: [{ MetricName: 'Spikes', Value: 9, StorageResolution: 1,
      Timestamp: new Date(t + 21_000) }] }))
    await advanceTo(nimbus.current, t + 40_000)
    const history = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: name, HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending' }))
    assert.deepEqual(history.AlarmHistoryItems!.slice(-2).map((h) => [h.HistorySummary, h.Timestamp!.getTime() - t]), [
      ['Alarm updated from OK to ALARM', 30_000],
      ['Alarm updated from ALARM to OK', 40_000],
    ])
  })
})
