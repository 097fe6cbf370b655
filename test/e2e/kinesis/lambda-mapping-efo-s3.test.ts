// Kinesis → Lambda mappings: an enhanced fan-out consumer as the source (the mapping reads through
// the consumer, the event record is the stream's), an S3 bucket as the OnFailure destination (AWS's
// failure record with the whole invocation event, under `aws/lambda/<UUID>/<shard>/…`), and batches
// cut short of BatchSize to stay under the 6 MB invocation payload.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateEventSourceMappingCommand, GetEventSourceMappingCommand } from '@aws-sdk/client-lambda'
import { DeregisterStreamConsumerCommand, PutRecordCommand, RegisterStreamConsumerCommand } from '@aws-sdk/client-kinesis'
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { settle, until, watchFunctionLog } from '../../helpers/function-log.ts'
import { advance, testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { listKeys, objectBytes } from '../firehose/firehose-helpers.ts'

const nimbus = useNimbus()
const lambda = () => lambdaClient(nimbus.current)

/** Logs each batch as `BATCH {sizes, source, data}`; throws on a batch holding "poison". */
const handler = `
  exports.handler = async (event) => {
    const data = event.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString())
    console.log('BATCH ' + JSON.stringify({ count: data.length, source: event.Records[0].eventSourceARN, data: data.map((d) => d.length > 20 ? d.length : d) }))
    if (data.includes('poison')) throw new Error('cannot digest')
  }`

describe('Kinesis event source mapping: consumers, S3 on-failure, payload cap', () => {
  it('reads through an enhanced fan-out consumer; the event record is the same as from the stream', async () => {
    const k = kinesisClient(nimbus.current)
    const stream = await activeStream(nimbus.current, k)
    const consumer = (await k.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn(stream), ConsumerName: 'lambda-efo' }))).Consumer!
    const missing = await sdkError(lambda().send(new CreateEventSourceMappingCommand({ FunctionName: await createFunction(lambda(), handler),
      EventSourceArn: `${streamArn(stream)}/consumer/nope:1`, StartingPosition: 'TRIM_HORIZON' })))
    assert.equal(missing.name, 'InvalidParameterValueException')
    await advance(nimbus.current, 500)
    const name = await createFunction(lambda(), handler)
    const log = watchFunctionLog(nimbus.current, name)
    await k.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'p', Data: Buffer.from('via-consumer') }))
    const created = await lambda().send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: consumer.ConsumerARN,
      StartingPosition: 'TRIM_HORIZON' }))
    assert.equal(created.EventSourceArn, consumer.ConsumerARN)
    await log.waitFor('REPORT RequestId', 1)
    assert.deepEqual(log.tagged('BATCH'), [{ count: 1, source: streamArn(stream), data: ['via-consumer'] }])
    assert.equal((await lambda().send(new GetEventSourceMappingCommand({ UUID: created.UUID }))).EventSourceArn, consumer.ConsumerARN)
    // A deregistered consumer delivers nothing more.
    await k.send(new DeregisterStreamConsumerCommand({ ConsumerARN: consumer.ConsumerARN }))
    await advance(nimbus.current, 500)
    await k.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'p', Data: Buffer.from('after-deregister') }))
    await advance(nimbus.current, 3000)
    await settle(20)
    assert.equal(log.tagged('BATCH').length, 1)
    log.stop()
  })

  it('an S3 OnFailure destination gets the failure record and the invocation event under aws/lambda/<UUID>/<shard>/', async () => {
    const k = kinesisClient(nimbus.current)
    const s3 = new S3Client({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials, forcePathStyle: true })
    const bucket = uniqueName('esm-failed').toLowerCase()
    await s3.send(new CreateBucketCommand({ Bucket: bucket }))
    const stream = await activeStream(nimbus.current, k)
    const name = await createFunction(lambda(), handler)
    const log = watchFunctionLog(nimbus.current, name)
    const put = await k.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'p', Data: Buffer.from('poison') }))
    await k.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'p', Data: Buffer.from('fine') }))
    const created = await lambda().send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: streamArn(stream),
      StartingPosition: 'TRIM_HORIZON', BatchSize: 1, MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: `arn:aws:s3:::${bucket}` } } }))
    assert.deepEqual(created.DestinationConfig, { OnFailure: { Destination: `arn:aws:s3:::${bucket}` } })
    await log.waitFor('REPORT RequestId', 2)
    let keys: string[] = []
    await until(async () => (keys = await listKeys(s3, bucket)).length === 1, 'the failure object')
    const iso = new Date(nimbus.current.clock.now()).toISOString()
    assert.match(keys[0]!, new RegExp(`^aws/lambda/${created.UUID}/shardId-000000000000/${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/` +
      `${iso.slice(0, 10)}T\\d\\d\\.\\d\\d\\.\\d\\d-[0-9a-f-]{36}$`))
    const record = JSON.parse((await objectBytes(s3, bucket, keys[0]!)).toString())
    assert.deepEqual(Object.keys(record), ['requestContext', 'responseContext', 'version', 'timestamp', 'KinesisBatchInfo', 'payload'])
    assert.equal(record.requestContext.condition, 'RetryAttemptsExhausted')
    assert.equal(record.KinesisBatchInfo.startSequenceNumber, put.SequenceNumber)
    const event = JSON.parse(record.payload)
    assert.equal(event.Records.length, 1)
    assert.equal(Buffer.from(event.Records[0].kinesis.data, 'base64').toString(), 'poison')
    assert.equal(event.Records[0].eventID, `shardId-000000000000:${put.SequenceNumber}`)
    assert.deepEqual(log.tagged('BATCH').map((b) => (b as { data: string[] }).data), [['poison'], ['fine']])
    const bad = await sdkError(lambda().send(new CreateEventSourceMappingCommand({ FunctionName: await createFunction(lambda(), handler), EventSourceArn: streamArn(stream),
      StartingPosition: 'TRIM_HORIZON', DestinationConfig: { OnFailure: { Destination: 'arn:aws:s3:::b/with/path' } } })))
    assert.equal(bad.name, 'InvalidParameterValueException')
    log.stop()
  })

  it('cuts a batch short of BatchSize to keep the invocation payload under 6 MB', async () => {
    const k = kinesisClient(nimbus.current)
    const stream = await activeStream(nimbus.current, k)
    const name = await createFunction(lambda(), handler)
    const log = watchFunctionLog(nimbus.current, name)
    // 6 records of 1,000,000 bytes: 1.33 MB each in base64, so 4 fit in 6 MB (one write a second: the shard's 1 MiB/s).
    for (let i = 0; i < 6; i++) {
      await k.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'p', Data: Buffer.alloc(1_000_000, 97 + i) }))
      await advance(nimbus.current, 1000)
    }
    await lambda().send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: streamArn(stream),
      StartingPosition: 'TRIM_HORIZON', BatchSize: 100 }))
    // Both batches' own lines (a REPORT line can arrive before its invocation's output has been read).
    await log.waitFor(/BATCH /, 2)
    assert.deepEqual(log.tagged('BATCH').map((b) => (b as { count: number }).count), [4, 2])
    log.stop()
  })
})
