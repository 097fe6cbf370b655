// AWS/Kinesis stream metrics on the manual clock: IncomingRecords/Bytes, PutRecord and PutRecords
// success and records, throttled writes, GetRecords records and iterator age, per StreamName and minute.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GetMetricStatisticsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch'
import { GetRecordsCommand, GetShardIteratorCommand, PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis'
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
})
