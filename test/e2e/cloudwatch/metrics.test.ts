// CloudWatch metrics end to end with @aws-sdk/client-cloudwatch (awsJson 1.0): PutMetricData's
// forms and checks, GetMetricStatistics' statistics and percentiles, ListMetrics' filters and
// RecentlyActive on the clock, retention by period.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GetMetricStatisticsCommand, ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch'
import { advanceTo, cloudWatchClient, minuteNow } from '../../helpers/cloudwatch.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const minute = 60_000

describe('CloudWatch metrics', () => {
  it('computes SampleCount, Sum, Average, Minimum, Maximum and nearest-rank percentiles over values 1..100', async () => {
    const cw = cloudWatchClient(nimbus.current)
    const ns = uniqueName('ns')
    const t = minuteNow(nimbus.current) - 5 * minute
    const values = Array.from({ length: 100 }, (_, i) => i + 1)
    await cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: [
      { MetricName: 'Latency', Values: values.slice(0, 50), Timestamp: new Date(t + 1000), Unit: 'Milliseconds' },
      { MetricName: 'Latency', Values: values.slice(50), Timestamp: new Date(t + 2000), Unit: 'Milliseconds' },
    ] }))
    const out = await cw.send(new GetMetricStatisticsCommand({
      Namespace: ns, MetricName: 'Latency', StartTime: new Date(t), EndTime: new Date(t + minute), Period: 60,
      Statistics: ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'], ExtendedStatistics: ['p50', 'p90', 'p99', 'p100'],
    }))
    assert.equal(out.Label, 'Latency')
    assert.deepEqual(out.Datapoints, [{
      Timestamp: new Date(t), SampleCount: 100, Sum: 5050, Average: 50.5, Minimum: 1, Maximum: 100, Unit: 'Milliseconds',
      ExtendedStatistics: { p50: 50, p90: 90, p99: 99, p100: 100 },
    }])
  })

  it('aggregates Values with Counts and statistic sets; a set with Minimum ≠ Maximum has no percentiles', async () => {
    const cw = cloudWatchClient(nimbus.current)
    const ns = uniqueName('ns')
    const t = minuteNow(nimbus.current) - 10 * minute
    await cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: [
      { MetricName: 'Weighted', Values: [1, 2], Counts: [3, 1], Timestamp: new Date(t) },
      { MetricName: 'Set', StatisticValues: { SampleCount: 4, Sum: 20, Minimum: 2, Maximum: 8 }, Timestamp: new Date(t) },
    ] }))
    const get = (name: string) => cw.send(new GetMetricStatisticsCommand({
      Namespace: ns, MetricName: name, StartTime: new Date(t), EndTime: new Date(t + minute), Period: 60,
      Statistics: ['SampleCount', 'Sum', 'Average'], ExtendedStatistics: ['p50'],
    }))
    const weighted = (await get('Weighted')).Datapoints![0]!
    assert.deepEqual([weighted.SampleCount, weighted.Sum, weighted.Average, weighted.ExtendedStatistics], [4, 5, 1.25, { p50: 1 }])
    const set = (await get('Set')).Datapoints![0]!
    assert.deepEqual([set.SampleCount, set.Sum, set.Average, set.ExtendedStatistics], [4, 20, 5, {}])
  })

  it('buckets by period: one datapoint per period that has data, each stamped with its period start', async () => {
    const cw = cloudWatchClient(nimbus.current)
    const ns = uniqueName('ns')
    const t = minuteNow(nimbus.current) - 30 * minute
    await cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: [0, 1, 2, 7, 8].map((m) => ({
      MetricName: 'Hits', Value: m + 1, Timestamp: new Date(t + m * minute + 5000),
    })) }))
    const out = await cw.send(new GetMetricStatisticsCommand({
      Namespace: ns, MetricName: 'Hits', StartTime: new Date(t), EndTime: new Date(t + 10 * minute), Period: 300, Statistics: ['Sum'],
    }))
    const points = out.Datapoints!.map((d) => [d.Timestamp!.getTime() - t, d.Sum]).sort((a, b) => a[0]! - b[0]!)
    assert.deepEqual(points, [[0, 6], [5 * minute, 17]])
  })

  it('refuses what AWS refuses, with its codes and 400', async () => {
    const cw = cloudWatchClient(nimbus.current)
    const now = nimbus.current.clock.now()
    const both = await sdkError(cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [
      { MetricName: 'x', Value: 1, StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } }] })))
    assert.deepEqual(both, { name: 'InvalidParameterCombinationException', code: 'InvalidParameterCombination', status: 400,
      message: 'The parameters MetricData.member.1.Value and MetricData.member.1.StatisticValues are mutually exclusive and you have specified both.' })
    const valueAndValues = await sdkError(cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [
      { MetricName: 'x', Value: 1.5, Values: [1, 10] }] })))
    assert.deepEqual([valueAndValues.code, valueAndValues.message], ['InvalidParameterCombination',
      'The parameters MetricData.member.1.Value and MetricData.member.1.Values are mutually exclusive and you have specified both.'])
    // AWS accepts Values together with StatisticValues.
    await cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [
      { MetricName: 'x', Values: [1, 10], StatisticValues: { SampleCount: 10, Sum: 55, Minimum: 1, Maximum: 10 } }] }))
    const noValue = await sdkError(cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'x' }] })))
    assert.deepEqual([noValue.code, noValue.status], ['MissingParameter', 400])
    const old = await sdkError(cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [
      { MetricName: 'x', Value: 1, Timestamp: new Date(now - 15 * 86_400_000) }] })))
    assert.equal(old.code, 'InvalidParameterValue')
    assert.equal(old.message, 'The parameter MetricData.member.1.Timestamp must specify a time within the past two weeks.')
    const future = await sdkError(cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [
      { MetricName: 'x', Value: 1, Timestamp: new Date(now + 3 * 3_600_000) }] })))
    assert.equal(future.message, old.message)
    const resolution = await sdkError(cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [
      { MetricName: 'x', Value: 1, StorageResolution: 5 }] })))
    assert.equal(resolution.code, 'InvalidParameterValue')
    const tooMany = await sdkError(cw.send(new PutMetricDataCommand({ Namespace: 'App',
      MetricData: Array.from({ length: 1001 }, () => ({ MetricName: 'x', Value: 1 })) })))
    assert.equal(tooMany.code, 'InvalidParameterValue')
    const counts = await sdkError(cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [
      { MetricName: 'x', Values: [1, 2], Counts: [1] }] })))
    assert.match(counts.message, /Values and MetricData\.member\.1\.Counts must be of the same size/)
    const reserved = await sdkError(cw.send(new PutMetricDataCommand({ Namespace: 'AWS/EC2', MetricData: [{ MetricName: 'x', Value: 1 }] })))
    assert.equal(reserved.code, 'InvalidParameterValue')
    const span = await sdkError(cw.send(new GetMetricStatisticsCommand({ Namespace: 'App', MetricName: 'x', Period: 60,
      StartTime: new Date(now - 2 * 86_400_000), EndTime: new Date(now), Statistics: ['Sum'] })))
    assert.equal(span.code, 'InvalidParameterCombination')
    assert.match(span.message, /^You have requested up to 2,88\d datapoints, which exceeds the limit of 1,440\./)
    const period = await sdkError(cw.send(new GetMetricStatisticsCommand({ Namespace: 'App', MetricName: 'x', Period: 45,
      StartTime: new Date(now - 3_600_000), EndTime: new Date(now), Statistics: ['Sum'] })))
    assert.equal(period.code, 'InvalidParameterValue')
    const none = await sdkError(cw.send(new GetMetricStatisticsCommand({ Namespace: 'App', MetricName: 'x', Period: 60,
      StartTime: new Date(now - 3_600_000), EndTime: new Date(now) })))
    assert.equal(none.code, 'InvalidParameterCombination')
  })

  it('lists metrics by namespace, name and dimension (with or without value); RecentlyActive PT3H follows the clock', async () => {
    const cw = cloudWatchClient(nimbus.current)
    const ns = uniqueName('ns')
    await cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: [
      { MetricName: 'CPU', Dimensions: [{ Name: 'Host', Value: 'a' }], Value: 1 },
      { MetricName: 'CPU', Dimensions: [{ Name: 'Host', Value: 'b' }], Value: 1 },
      { MetricName: 'Mem', Dimensions: [{ Name: 'Host', Value: 'a' }, { Name: 'Role', Value: 'web' }], Value: 1 },
    ] }))
    const names = async (input: ConstructorParameters<typeof ListMetricsCommand>[0]) =>
      ((await cw.send(new ListMetricsCommand({ Namespace: ns, ...input }))).Metrics ?? [])
        .map((m) => `${m.MetricName}:${(m.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).join(',')}`).sort()
    assert.deepEqual(await names({}), ['CPU:Host=a', 'CPU:Host=b', 'Mem:Host=a,Role=web'])
    assert.deepEqual(await names({ MetricName: 'CPU', Dimensions: [{ Name: 'Host', Value: 'b' }] }), ['CPU:Host=b'])
    assert.deepEqual(await names({ Dimensions: [{ Name: 'Role' }] }), ['Mem:Host=a,Role=web'])
    await advanceTo(nimbus.current, nimbus.current.clock.now() + 4 * 3_600_000)
    await cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: [{ MetricName: 'CPU', Dimensions: [{ Name: 'Host', Value: 'a' }], Value: 2 }] }))
    assert.deepEqual(await names({ RecentlyActive: 'PT3H' }), ['CPU:Host=a'])
    assert.equal((await names({})).length, 3)
  })

  it('serves 1-second data at high-resolution periods for 3 hours, then only at 60-second multiples', async () => {
    const cw = cloudWatchClient(nimbus.current)
    const ns = uniqueName('ns')
    const t = minuteNow(nimbus.current) - minute
    await cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: [1, 2, 3].map((s) => ({
      MetricName: 'Fast', Value: s, StorageResolution: 1, Timestamp: new Date(t + s * 1000),
    })) }))
    const get = (period: number) => cw.send(new GetMetricStatisticsCommand({ Namespace: ns, MetricName: 'Fast', Period: period,
      StartTime: new Date(t), EndTime: new Date(t + minute), Statistics: ['Sum'] }))
    assert.equal((await get(1)).Datapoints!.length, 3)
    assert.equal((await get(60)).Datapoints![0]!.Sum, 6)
    await advanceTo(nimbus.current, nimbus.current.clock.now() + 4 * 3_600_000)
    assert.equal((await get(1)).Datapoints!.length, 0)
    assert.equal((await get(60)).Datapoints![0]!.Sum, 6)
  })
})
