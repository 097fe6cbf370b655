// Kinesis → Lambda mappings giving batches up, on the manual clock: MaximumRetryAttempts and
// MaximumRecordAgeInSeconds discard a failing batch, its failure record (KinesisBatchInfo) goes to the
// OnFailure destination (SQS, or SNS) through the fabric, and the shard moves on; AWS's validation.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateEventSourceMappingCommand, type CreateEventSourceMappingCommandInput, GetEventSourceMappingCommand, UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda'
import { PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { settle, until, watchFunctionLog } from '../../helpers/function-log.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { createTopic, snsClient, subscribeQueue } from '../../helpers/sns.ts'
import { sqsClient } from '../../helpers/sqs-clients.ts'
import { receiveAll, standardQueue, type TestQueue } from '../../helpers/sqs-queues.ts'

const nimbus = useNimbus()
const lambda = () => lambdaClient(nimbus.current)
const sqs = () => sqsClient(nimbus.current, 'json')
const mapping = (input: CreateEventSourceMappingCommandInput) => lambda().send(new CreateEventSourceMappingCommand(input))

/** Logs each batch as `BATCH [data…]`; throws on a batch holding "poison". */
const handler = `
  exports.handler = async (event) => {
    const data = event.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString())
    console.log('BATCH ' + JSON.stringify(data))
    if (data.includes('poison')) throw new Error('cannot digest')
  }`

/** The bodies a queue holds (waits for `count` of them). */
async function bodies(queue: TestQueue, count = 1): Promise<string[]> {
  let messages: Record<string, unknown>[] = []
  await until(async () => (messages = [...messages, ...await receiveAll(sqs(), queue.url)]).length >= count, `${count} message(s) on ${queue.name}`)
  return messages.map((m) => m.Body as string)
}

describe('Kinesis event source mapping: discarded batches', () => {
  it("after MaximumRetryAttempts the failure record goes to an SQS OnFailure destination and the shard moves on", async () => {
    const k = kinesisClient(nimbus.current)
    const stream = await activeStream(nimbus.current, k)
    const failed = await standardQueue(sqs())
    const name = await createFunction(lambda(), handler)
    const log = watchFunctionLog(nimbus.current, name)
    const puts = await k.send(new PutRecordsCommand({ StreamName: stream,
      Records: ['poison', 'x'].map((d) => ({ PartitionKey: 'p', Data: Buffer.from(d) })) }))
    await k.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'p', Data: Buffer.from('after') }))
    const created = await mapping({ FunctionName: name, EventSourceArn: streamArn(stream), StartingPosition: 'TRIM_HORIZON', BatchSize: 2,
      MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: failed.arn } } })
    assert.deepEqual(created.DestinationConfig, { OnFailure: { Destination: failed.arn } })
    await log.waitFor('REPORT RequestId', 1)
    await settle(20)
    // The retry comes with the next poll; then the batch is discarded and the shard reads on.
    await advance(nimbus.current, 1000)
    await log.waitFor('REPORT RequestId', 3)
    assert.deepEqual(log.tagged('BATCH'), [['poison', 'x'], ['poison', 'x'], ['after']])
    const [body] = await bodies(failed)
    const record = JSON.parse(body!)
    assert.deepEqual(Object.keys(record), ['requestContext', 'responseContext', 'version', 'timestamp', 'KinesisBatchInfo'])
    assert.match(record.requestContext.requestId, /^[0-9a-f-]{36}$/)
    assert.deepEqual(record.requestContext, { requestId: record.requestContext.requestId,
      functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`, condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2 })
    assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' })
    assert.equal(record.version, '1.0')
    assert.match(record.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    const info = record.KinesisBatchInfo
    assert.deepEqual(Object.keys(info), ['shardId', 'startSequenceNumber', 'endSequenceNumber', 'approximateArrivalOfFirstRecord',
      'approximateArrivalOfLastRecord', 'batchSize', 'streamArn'])
    assert.deepEqual(info, { ...info, shardId: 'shardId-000000000000', startSequenceNumber: puts.Records![0]!.SequenceNumber,
      endSequenceNumber: puts.Records![1]!.SequenceNumber, batchSize: 2, streamArn: streamArn(stream) })
    assert.match(info.approximateArrivalOfFirstRecord, /Z$/)
    log.stop()
  })

  it('MaximumRecordAgeInSeconds discards records that aged out while their batch kept failing; SNS gets the record', async () => {
    const k = kinesisClient(nimbus.current)
    const stream = await activeStream(nimbus.current, k)
    const sns = snsClient(nimbus.current)
    const topic = await createTopic(sns)
    const inbox = await standardQueue(sqs())
    await subscribeQueue(sns, topic, inbox.arn, { RawMessageDelivery: 'true' })
    // A long timeout: the clock jumps below must not time out an invocation that starts during a jump.
    const name = await createFunction(lambda(), handler, { Timeout: 900 })
    const log = watchFunctionLog(nimbus.current, name)
    await k.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'p', Data: Buffer.from('poison') }))
    await mapping({ FunctionName: name, EventSourceArn: streamArn(stream), StartingPosition: 'TRIM_HORIZON',
      MaximumRecordAgeInSeconds: 60, DestinationConfig: { OnFailure: { Destination: topic } } })
    await log.waitFor('REPORT RequestId', 1)
    await settle(20)
    // Retried once a second (MaximumRetryAttempts -1: until the record is too old).
    await advance(nimbus.current, 30_000)
    await log.waitFor('REPORT RequestId', 2)
    await settle(20)
    // Past 60 s the record is discarded.
    await advance(nimbus.current, 31_000)
    await log.waitFor('REPORT RequestId', 3)
    await settle(20)
    await k.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'p', Data: Buffer.from('fresh') }))
    await advance(nimbus.current, 1000)
    await until(() => log.tagged('BATCH').at(-1)?.[0] === 'fresh', 'the fresh record')
    // How many retries fit before 60 s depends on where each failure lands among the clock's steps;
    // what matters: the poison batch was retried, then discarded, and the shard moved on to 'fresh'.
    const batches = log.tagged<string[]>('BATCH')
    assert.deepEqual(batches.at(-1), ['fresh'])
    assert.ok(batches.length >= 3 && batches.slice(0, -1).every((b) => b.length === 1 && b[0] === 'poison'), JSON.stringify(batches))
    const [body] = await bodies(inbox)
    const record = JSON.parse(body!)
    assert.equal(record.requestContext.condition, 'RecordAgeExceeded')
    assert.equal(record.KinesisBatchInfo.batchSize, 1)
    log.stop()
  })

  it("answers Lambda's errors for the new stream settings, and Get shows them", async () => {
    const k = kinesisClient(nimbus.current)
    const stream = await activeStream(nimbus.current, k)
    const name = await createFunction(lambda(), handler)
    const base = { FunctionName: name, EventSourceArn: streamArn(stream), StartingPosition: 'LATEST' as const }
    const age = await sdkError(mapping({ ...base, MaximumRecordAgeInSeconds: 30 }))
    assert.equal(age.name, 'InvalidParameterValueException')
    assert.equal(age.message, 'MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)')
    const big = await sdkError(mapping({ ...base, MaximumRecordAgeInSeconds: 604_801, ParallelizationFactor: 11 }))
    assert.equal(big.name, 'ValidationException')
    assert.equal(big.message, "2 validation errors detected: Value '604801' at 'maximumRecordAgeInSeconds' failed to satisfy constraint: " +
      "Member must have value less than or equal to 604800; Value '11' at 'parallelizationFactor' failed to satisfy constraint: " +
      'Member must have value less than or equal to 10')
    const window = await sdkError(mapping({ ...base, MaximumBatchingWindowInSeconds: 301 }))
    assert.equal(window.name, 'ValidationException')
    const onSuccess = await sdkError(mapping({ ...base, DestinationConfig: { OnSuccess: { Destination: 'arn:aws:sqs:us-east-1:000000000000:q' } } }))
    assert.equal(onSuccess.message, 'Unsupported DestinationConfig parameter for given event source mapping type.')
    const lambdaTarget = await sdkError(mapping({ ...base, DestinationConfig: { OnFailure: { Destination: `arn:aws:lambda:us-east-1:000000000000:function:${name}` } } }))
    assert.equal(lambdaTarget.name, 'InvalidParameterValueException')
    const ok = await mapping({ ...base, MaximumRecordAgeInSeconds: 60, ParallelizationFactor: 3, MaximumBatchingWindowInSeconds: 5 })
    const got = await lambda().send(new GetEventSourceMappingCommand({ UUID: ok.UUID }))
    assert.deepEqual([got.MaximumRecordAgeInSeconds, got.ParallelizationFactor, got.MaximumBatchingWindowInSeconds, got.DestinationConfig],
      [60, 3, 5, { OnFailure: {} }])
    const updated = await lambda().send(new UpdateEventSourceMappingCommand({ UUID: ok.UUID, MaximumRecordAgeInSeconds: -1,
      DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:dlq' } } }))
    assert.deepEqual([updated.MaximumRecordAgeInSeconds, updated.DestinationConfig], [-1, { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:dlq' } }])
  })
})
