// AWS/Firehose metrics on the manual clock: what came in through PutRecord and PutRecordBatch, and what
// the buffer delivered to S3 (records, bytes, objects, success, data freshness), per DeliveryStreamName and minute.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GetMetricStatisticsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch'
import { PutRecordBatchCommand, PutRecordCommand } from '@aws-sdk/client-firehose'
import { advanceTo, cloudWatchClient, minuteNow } from '../../helpers/cloudwatch.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { deliveriesSettled, listKeys, streamToBucket } from '../firehose/firehose-helpers.ts'

const nimbus = useNimbus()
const minute = 60_000
const text = (s: string) => new TextEncoder().encode(s)

describe('AWS/Firehose metrics', () => {
  it('counts incoming records and requests, and each delivery to S3, per stream and minute', async () => {
    const { firehose, s3, bucket, name } = await streamToBucket(nimbus.current, { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 } })
    const t = minuteNow(nimbus.current) + minute
    await advanceTo(nimbus.current, t + 1000)
    await firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: text('0123456789') } }))
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: text('abc') }, { Data: text('defgh') }] }))
    // The buffer's interval ends 60 s after the first record: delivered in the next minute.
    await advanceTo(nimbus.current, t + minute + 1000)
    await deliveriesSettled(nimbus.current, 1)
    assert.equal((await listKeys(s3, bucket)).length, 1)
    await advanceTo(nimbus.current, t + 3 * minute)

    const cw = cloudWatchClient(nimbus.current)
    const stat = async (metric: string, statistic: 'Sum' | 'Average' | 'Maximum' | 'SampleCount') => (await cw.send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/Firehose', MetricName: metric, Dimensions: [{ Name: 'DeliveryStreamName', Value: name }],
      StartTime: new Date(t), EndTime: new Date(t + 5 * minute), Period: 60, Statistics: [statistic],
    }))).Datapoints!.sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime()).map((d) => [d.Timestamp!.getTime() - t, d[statistic]])
    assert.deepEqual(await stat('IncomingRecords', 'Sum'), [[0, 3]])
    assert.deepEqual(await stat('IncomingBytes', 'Sum'), [[0, 18]])
    assert.deepEqual(await stat('IncomingPutRequests', 'Sum'), [[0, 2]])
    assert.deepEqual(await stat('PutRecord.Requests', 'Sum'), [[0, 1]])
    assert.deepEqual(await stat('PutRecord.Bytes', 'Sum'), [[0, 10]])
    assert.deepEqual(await stat('PutRecordBatch.Records', 'Sum'), [[0, 2]])
    assert.deepEqual(await stat('PutRecordBatch.Bytes', 'Maximum'), [[0, 8]])
    assert.deepEqual(await stat('DeliveryToS3.Records', 'Sum'), [[minute, 3]])
    assert.deepEqual(await stat('DeliveryToS3.Bytes', 'Sum'), [[minute, 18]])
    assert.deepEqual(await stat('DeliveryToS3.ObjectCount', 'Sum'), [[minute, 1]])
    assert.deepEqual(await stat('DeliveryToS3.Success', 'Average'), [[minute, 1]])
    // The oldest record waited the buffer's 60 s.
    assert.deepEqual(await stat('DeliveryToS3.DataFreshness', 'Maximum'), [[minute, 60]])

    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/Firehose', Dimensions: [{ Name: 'DeliveryStreamName', Value: name }] }))
    const names = listed.Metrics!.map((m) => m.MetricName)
    assert.ok(names.includes('DeliveryToS3.Records') && names.includes('IncomingBytes'))
    assert.ok(!names.includes('DeliveryToHttpEndpoint.Success'), 'no HTTP endpoint, no datapoint')
  })
})
