// Firehose's documented examples for dynamic partitioning and data transformation, walked with the
// SDK on the manual clock: the "Partitioning keys with inline parsing" record and JQ query
// (`{customer_id: .customer_id, device: .type.device, year: .event_timestamp|strftime("%Y")}`)
// giving `data/customer_id=1234567890/device=mobile/year=2019/`; the transformation Lambda contract
// (the event's invocationId / deliveryStreamArn / region / records, and for a Kinesis source
// sourceKinesisStreamArn and kinesisRecordMetadata; the answer's recordId / result / data).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateDeliveryStreamCommand, PutRecordBatchCommand } from '@aws-sdk/client-firehose'
import { CreateStreamCommand, KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis'
import { CreateBucketCommand } from '@aws-sdk/client-s3'
import { createFunction, lambdaClient } from '../../../helpers/lambda.ts'
import { watchFunctionLog } from '../../../helpers/function-log.ts'
import { advance, testCredentials, uniqueName, useNimbus } from '../../../helpers/nimbus.ts'
import { clients, deliveriesSettled, firehoseHealth, listKeys, objectBytes, streamToBucket } from '../firehose-helpers.ts'

const nimbus = useNimbus()
const role = 'arn:aws:iam::000000000000:role/firehose'

/** The docs' sample record for inline parsing. */
const sample = {
  type: { device: 'mobile', event: 'user_clicked_submit_button' }, customer_id: '1234567890', event_timestamp: 1565382027, region: 'sample_value',
}

/** A transformation in the blueprint's shape that logs the event it got and upper-cases each record. */
const transformer = `
exports.handler = async (event) => {
  console.log('EVENT ' + JSON.stringify(event))
  return { records: event.records.map((r) => ({
    recordId: r.recordId, result: 'Ok', data: Buffer.from(Buffer.from(r.data, 'base64').toString().toUpperCase()).toString('base64'),
  })) }
}`

async function delivered(ms: number, batches: number): Promise<void> {
  const before = firehoseHealth(nimbus.current).deliveredObjects
  await advance(nimbus.current, ms)
  await deliveriesSettled(nimbus.current, before + batches)
}

describe('Firehose tutorials: dynamic partitioning and data transformation', () => {
  it("partitions the docs' sample record by the docs' JQ query", async () => {
    const { firehose, s3, bucket, name } = await streamToBucket(nimbus.current, {
      BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 60 },
      Prefix: 'data/customer_id=!{partitionKeyFromQuery:customer_id}/device=!{partitionKeyFromQuery:device}/year=!{partitionKeyFromQuery:year}/',
      ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
      DynamicPartitioningConfiguration: { Enabled: true, RetryOptions: { DurationInSeconds: 300 } },
      ProcessingConfiguration: { Enabled: true, Processors: [
        { Type: 'MetadataExtraction', Parameters: [
          { ParameterName: 'MetadataExtractionQuery', ParameterValue: '{customer_id: .customer_id, device: .type.device, year: .event_timestamp|strftime("%Y")}' },
          { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' },
        ] },
        { Type: 'AppendDelimiterToRecord', Parameters: [{ ParameterName: 'Delimiter', ParameterValue: '\\n' }] },
      ] },
    })
    const other = { ...sample, customer_id: '42', type: { device: 'desktop', event: 'x' } }
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [sample, other, sample].map((r) => ({ Data: Buffer.from(JSON.stringify(r)) })) }))
    await delivered(60_000, 1)
    const keys = (await listKeys(s3, bucket)).sort()
    assert.equal(keys.length, 2)
    assert.match(keys[0]!, new RegExp(`^data/customer_id=1234567890/device=mobile/year=2019/${name}-1-`))
    assert.match(keys[1]!, new RegExp(`^data/customer_id=42/device=desktop/year=2019/${name}-1-`))
    assert.equal((await objectBytes(s3, bucket, keys[0]!)).toString(), `${JSON.stringify(sample)}\n${JSON.stringify(sample)}\n`)
  })

  it('hands a transformation the documented event for a DirectPut stream and delivers what it answers', async () => {
    const fn = await createFunction(lambdaClient(nimbus.current), transformer)
    const log = watchFunctionLog(nimbus.current, fn)
    const lambdaArn = `arn:aws:lambda:us-east-1:000000000000:function:${fn}`
    const { firehose, s3, bucket, name } = await streamToBucket(nimbus.current, {
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
      ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'Lambda', Parameters: [{ ParameterName: 'LambdaArn', ParameterValue: lambdaArn }] }] },
    })
    const arrival = nimbus.current.clock.now()
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: Buffer.from('hello, ') }, { Data: Buffer.from('this is a test 123.') }] }))
    // Two buffers: the Lambda processor's (60 s by default) hands the records to the function, then the destination's 60 s.
    await delivered(60_000, 0)
    assert.equal((await listKeys(s3, bucket)).length, 0)
    await delivered(60_000, 1)
    const [event] = log.tagged('EVENT')
    assert.deepEqual(Object.keys(event).sort(), ['deliveryStreamArn', 'invocationId', 'records', 'region'])
    assert.equal(event.deliveryStreamArn, `arn:aws:firehose:us-east-1:000000000000:deliverystream/${name}`)
    assert.equal(event.region, 'us-east-1')
    assert.equal(typeof event.invocationId, 'string')
    assert.deepEqual(Object.keys(event.records[0]).sort(), ['approximateArrivalTimestamp', 'data', 'recordId'])
    assert.equal(event.records[0].approximateArrivalTimestamp, arrival)
    assert.equal(Buffer.from(event.records[1].data, 'base64').toString(), 'this is a test 123.')
    const [key] = await listKeys(s3, bucket)
    assert.equal((await objectBytes(s3, bucket, key!)).toString(), 'HELLO, THIS IS A TEST 123.')
    log.stop()
  })

  it('adds sourceKinesisStreamArn and kinesisRecordMetadata for a Kinesis-sourced stream', async () => {
    const fn = await createFunction(lambdaClient(nimbus.current), transformer)
    const log = watchFunctionLog(nimbus.current, fn)
    const kinesis = new KinesisClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const { firehose, s3 } = clients(nimbus.current)
    const stream = uniqueName('kinesisStreamName')
    const streamArn = `arn:aws:kinesis:us-east-1:000000000000:stream/${stream}`
    await kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }))
    await advance(nimbus.current, 500)
    const bucket = uniqueName('fh-src').toLowerCase()
    await s3.send(new CreateBucketCommand({ Bucket: bucket }))
    const name = uniqueName('from-kinesis')
    await firehose.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: name, DeliveryStreamType: 'KinesisStreamAsSource',
      KinesisStreamSourceConfiguration: { KinesisStreamARN: streamArn, RoleARN: role },
      ExtendedS3DestinationConfiguration: {
        RoleARN: role, BucketARN: `arn:aws:s3:::${bucket}`, BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
        ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'Lambda', Parameters: [{ ParameterName: 'LambdaArn', ParameterValue: `arn:aws:lambda:us-east-1:000000000000:function:${fn}` }] }] },
      },
    }))
    await advance(nimbus.current, 5_000)
    const put = await kinesis.send(new PutRecordCommand({ StreamName: stream, PartitionKey: '4d1ad2b9-24f8-4b9d-a088-76e9947c317a', Data: Buffer.from('from kinesis') }))
    await advance(nimbus.current, 1_000)
    // Two buffers: the Lambda processor's (60 s by default) hands the records to the function, then the destination's 60 s.
    await delivered(60_000, 0)
    assert.equal((await listKeys(s3, bucket)).length, 0)
    await delivered(60_000, 1)
    const [event] = log.tagged('EVENT')
    assert.equal(event.sourceKinesisStreamArn, streamArn)
    const [record] = event.records
    const meta = record.kinesisRecordMetadata
    assert.deepEqual(Object.keys(meta).sort(), ['approximateArrivalTimestamp', 'partitionKey', 'sequenceNumber', 'shardId', 'subsequenceNumber'])
    assert.deepEqual([meta.shardId, meta.partitionKey, meta.sequenceNumber], [put.ShardId, '4d1ad2b9-24f8-4b9d-a088-76e9947c317a', put.SequenceNumber])
    const [key] = await listKeys(s3, bucket)
    assert.equal((await objectBytes(s3, bucket, key!)).toString(), 'FROM KINESIS')
    log.stop()
  })
})
