// AWS/Kinesis stream metrics on the manual clock: IncomingRecords/Bytes, PutRecord and PutRecords
// success and records, throttled writes, GetRecords records and iterator age, per StreamName and minute;
// shard-level (StreamName + ShardId) the metrics EnableEnhancedMonitoring turned on.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GetMetricStatisticsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch'
import { DisableEnhancedMonitoringCommand, EnableEnhancedMonitoringCommand, GetRecordsCommand, GetShardIteratorCommand, PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis'
import { advanceTo, cloudWatchClient, minuteNow } from '../../helpers/cloudwatch.ts'
import { activeStream, kinesisClient } from '../../helpers/kinesis.ts'
import { useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const minute = 60_000

describe('AWS/Kinesis metrics', () => {
  it('counts records and bytes in and out per stream and minute', async () => {
    const kinesis = kinesisClient(nimbus.current)
    const stream = await activeStream(nimbus.current, kinesis)
    const t = minuteNow(nimbus.current) + minute
    await advanceTo(nimbus.current, t + 1000)
    const data = Buffer.from('0123456789')
    await kinesis.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'k', Data: data }))
    await kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: [1, 2, 3].map(() => ({ PartitionKey: 'k', Data: data })) }))
    const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))
    const read = await kinesis.send(new GetRecordsCommand({ ShardIterator }))
    assert.equal(read.Records!.length, 4)
    await advanceTo(nimbus.current, t + 3 * minute)

    const cw = cloudWatchClient(nimbus.current)
    const stat = async (metric: string, statistic: 'Sum' | 'Average' | 'Maximum' | 'SampleCount') => (await cw.send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/Kinesis', MetricName: metric, Dimensions: [{ Name: 'StreamName', Value: stream }],
      StartTime: new Date(t), EndTime: new Date(t + 5 * minute), Period: 60, Statistics: [statistic],
    }))).Datapoints!.map((d) => d[statistic])
    assert.deepEqual(await stat('IncomingRecords', 'Sum'), [4])
    assert.deepEqual(await stat('IncomingBytes', 'Sum'), [4 * 11])
    assert.deepEqual(await stat('PutRecord.Success', 'Average'), [1])
    assert.deepEqual(await stat('PutRecords.TotalRecords', 'Sum'), [3])
    assert.deepEqual(await stat('PutRecords.SuccessfulRecords', 'Sum'), [3])
    assert.deepEqual(await stat('GetRecords.Records', 'Sum'), [4])
    assert.deepEqual(await stat('GetRecords.IteratorAgeMilliseconds', 'Maximum'), [0])
    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/Kinesis', Dimensions: [{ Name: 'StreamName', Value: stream }] }))
    assert.ok(listed.Metrics!.some((m) => m.MetricName === 'IncomingRecords'))
    assert.ok(!listed.Metrics!.some((m) => m.MetricName === 'WriteProvisionedThroughputExceeded'), 'no throttling, no datapoint')
  })

  it('publishes shard-level metrics per ShardId only for the metrics enhanced monitoring enabled', async () => {
    const kinesis = kinesisClient(nimbus.current)
    const stream = await activeStream(nimbus.current, kinesis)
    await kinesis.send(new EnableEnhancedMonitoringCommand({ StreamName: stream, ShardLevelMetrics: ['IncomingRecords', 'IncomingBytes', 'OutgoingRecords', 'IteratorAgeMilliseconds'] }))
    const t = minuteNow(nimbus.current) + minute
    await advanceTo(nimbus.current, t + 1000)
    const data = Buffer.from('0123456789')
    await kinesis.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'k', Data: data }))
    await kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: [1, 2].map(() => ({ PartitionKey: 'k', Data: data })) }))
    const shardId = 'shardId-000000000000'
    const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))
    assert.equal((await kinesis.send(new GetRecordsCommand({ ShardIterator }))).Records!.length, 3)
    await advanceTo(nimbus.current, t + 2 * minute)

    const cw = cloudWatchClient(nimbus.current)
    const dims = [{ Name: 'StreamName', Value: stream }, { Name: 'ShardId', Value: shardId }]
    const sum = async (metric: string) => (await cw.send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/Kinesis', MetricName: metric, Dimensions: dims, StartTime: new Date(t), EndTime: new Date(t + 5 * minute), Period: 60, Statistics: ['Sum'],
    }))).Datapoints!.map((d) => d.Sum)
    assert.deepEqual(await sum('IncomingRecords'), [3])
    assert.deepEqual(await sum('IncomingBytes'), [33])
    assert.deepEqual(await sum('OutgoingRecords'), [3])
    assert.deepEqual(await sum('OutgoingBytes'), [], 'not enabled')
    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/Kinesis', Dimensions: dims }))
    assert.deepEqual(listed.Metrics!.map((m) => m.MetricName).sort(), ['IncomingBytes', 'IncomingRecords', 'IteratorAgeMilliseconds', 'OutgoingRecords'])
    const streamLevel = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/Kinesis', Dimensions: [{ Name: 'StreamName', Value: stream }] }))
    assert.ok(!streamLevel.Metrics!.some((m) => m.Dimensions!.length === 1 && m.MetricName === 'OutgoingRecords'), 'OutgoingRecords is shard-level only')

    // Disabled: nothing more per shard.
    await kinesis.send(new DisableEnhancedMonitoringCommand({ StreamName: stream, ShardLevelMetrics: ['ALL'] }))
    await kinesis.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'k', Data: data }))
    await advanceTo(nimbus.current, t + 3 * minute)
    assert.deepEqual(await sum('IncomingRecords'), [3])
  })
})
