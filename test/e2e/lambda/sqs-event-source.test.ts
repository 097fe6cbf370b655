// SQS → Lambda through an event source mapping, with the real @aws-sdk/client-lambda and client-sqs:
// a poison message redriven to the queue's DLQ, the record a handler sees, filtering, the batching
// window on the manual clock, turning a mapping off, and the control plane's AWS errors (aws-behaviour.md §2.8–2.9).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateEventSourceMappingCommand, GetEventSourceMappingCommand, UpdateEventSourceMappingCommand,
  type CreateEventSourceMappingCommandInput,
} from '@aws-sdk/client-lambda'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { settle, until, watchFunctionLog } from '../../helpers/function-log.ts'
import { sqsClient } from '../../helpers/sqs-clients.ts'
import { messageCounts, receiveAll, redrivePolicy, standardQueue } from '../../helpers/sqs-queues.ts'
import { failure } from '../../helpers/logs.ts'

const nimbus = useNimbus()
const sqs = () => sqsClient(nimbus.current, 'json')
const lambda = () => lambdaClient(nimbus.current)
const mapping = (input: CreateEventSourceMappingCommandInput) => lambda().send(new CreateEventSourceMappingCommand(input))

/** A Node handler that logs each record as `RECORD <json>` and throws on a body of "poison". */
const recordLogger = `
  exports.handler = async (event) => {
    for (const record of event.Records) {
      console.log('RECORD ' + JSON.stringify(record))
      if (record.body === 'poison') throw new Error('cannot digest ' + record.messageId)
    }
  }`

describe('SQS event source mapping', () => {
  it('deletes what succeeds; a poison message comes back after the visibility timeout and lands in the DLQ after 2 receives', async () => {
    const dlq = await standardQueue(sqs())
    const queue = await standardQueue(sqs(), { VisibilityTimeout: '30', RedrivePolicy: redrivePolicy(dlq, 2) })
    const name = await createFunction(lambda(), recordLogger)
    const log = watchFunctionLog(nimbus.current, name)
    await mapping({ FunctionName: name, EventSourceArn: queue.arn, BatchSize: 1 })
    // One SendMessageBatch: all three are handed out (BatchSize 1, three concurrent invocations) before any fails.
    await sqs().call('SendMessageBatch', { QueueUrl: queue.url, Entries: ['ok-1', 'poison', 'ok-2'].map((MessageBody, i) => ({ Id: `m${i}`, MessageBody })) })

    await log.waitFor('REPORT RequestId', 3)
    await settle()
    assert.deepEqual(await messageCounts(sqs(), queue.url), { visible: 0, notVisible: 1, delayed: 0 }, 'only the poison message is left, in flight')
    assert.deepEqual(log.tagged('RECORD').map((r) => r.body).sort(), ['ok-1', 'ok-2', 'poison'])

    await advance(nimbus.current, 29_999)
    await settle()
    assert.equal(log.matching('START RequestId').length, 3, 'not redelivered before the visibility timeout')
    await advance(nimbus.current, 1)
    await log.waitFor('REPORT RequestId', 4)
    await settle()
    const poison = log.tagged('RECORD').filter((r) => r.body === 'poison')
    assert.deepEqual(poison.map((r) => r.attributes.ApproximateReceiveCount), ['1', '2'])
    assert.equal(poison[0].messageId, poison[1].messageId)

    // The receive after maxReceiveCount moves the message to the DLQ instead of handing it over.
    await advance(nimbus.current, 30_000)
    await settle()
    assert.deepEqual(await messageCounts(sqs(), queue.url), { visible: 0, notVisible: 0, delayed: 0 })
    const moved = await receiveAll(sqs(), dlq.url)
    assert.deepEqual(moved.map((m) => [m.MessageId, m.Body]), [[poison[0].messageId, 'poison']])
    assert.equal(log.matching('START RequestId').length, 4)
    log.stop()
  })

  it("hands the handler AWS's SQS record: key order, attributes, camelCase messageAttributes, MD5s, source", async () => {
    const queue = await standardQueue(sqs())
    const name = await createFunction(lambda(), recordLogger)
    const log = watchFunctionLog(nimbus.current, name)
    await mapping({ FunctionName: name, EventSourceArn: queue.arn, BatchSize: 1 })
    const sent = await sqs().call('SendMessage', {
      QueueUrl: queue.url, MessageBody: '{"order":42}',
      MessageAttributes: {
        count: { DataType: 'Number', StringValue: '6' },
        who: { DataType: 'String', StringValue: 'alice' },
        blob: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) },
      },
    })
    const plain = await sqs().call('SendMessage', { QueueUrl: queue.url, MessageBody: 'plain' })
    await log.waitFor('REPORT RequestId', 2)
    const [withAttributes, without] = ['{"order":42}', 'plain'].map((body) => log.tagged('RECORD').find((r) => r.body === body))

    assert.deepEqual(Object.keys(withAttributes), ['messageId', 'receiptHandle', 'body', 'attributes', 'messageAttributes',
      'md5OfMessageAttributes', 'md5OfBody', 'eventSource', 'eventSourceARN', 'awsRegion'])
    assert.equal(withAttributes.messageId, sent.MessageId)
    assert.equal(typeof withAttributes.receiptHandle, 'string')
    assert.deepEqual(Object.keys(withAttributes.attributes),
      ['ApproximateReceiveCount', 'SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp'])
    assert.equal(withAttributes.attributes.ApproximateReceiveCount, '1')
    assert.equal(withAttributes.attributes.SentTimestamp, String(nimbus.current.clock.now()))
    assert.match(withAttributes.attributes.SenderId, /^\S+$/)
    assert.equal(withAttributes.attributes.ApproximateFirstReceiveTimestamp, String(nimbus.current.clock.now()))
    assert.deepEqual(Object.keys(withAttributes.messageAttributes.count), ['stringValue', 'stringListValues', 'binaryListValues', 'dataType'])
    assert.deepEqual(withAttributes.messageAttributes, {
      count: { stringValue: '6', stringListValues: [], binaryListValues: [], dataType: 'Number' },
      who: { stringValue: 'alice', stringListValues: [], binaryListValues: [], dataType: 'String' },
      blob: { binaryValue: Buffer.from([1, 2, 3]).toString('base64'), stringListValues: [], binaryListValues: [], dataType: 'Binary' },
    })
    assert.equal(withAttributes.md5OfMessageAttributes, sent.MD5OfMessageAttributes)
    assert.equal(withAttributes.md5OfBody, sent.MD5OfMessageBody)
    assert.equal(withAttributes.eventSource, 'aws:sqs')
    assert.equal(withAttributes.eventSourceARN, queue.arn)
    assert.equal(withAttributes.awsRegion, 'us-east-1')

    // No attributes: an empty map and no md5OfMessageAttributes key at all.
    assert.deepEqual(Object.keys(without), ['messageId', 'receiptHandle', 'body', 'attributes', 'messageAttributes',
      'md5OfBody', 'eventSource', 'eventSourceARN', 'awsRegion'])
    assert.equal(without.messageId, plain.MessageId)
    assert.deepEqual(without.messageAttributes, {})
    log.stop()
  })

  it('filters on the body (filters ORed; JSON bodies as objects, others as strings): unmatched messages are deleted, never invoke, never come back', async () => {
    const queue = await standardQueue(sqs(), { VisibilityTimeout: '30' })
    const name = await createFunction(lambda(), recordLogger)
    const log = watchFunctionLog(nimbus.current, name)
    await mapping({
      FunctionName: name, EventSourceArn: queue.arn, BatchSize: 1,
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ body: { kind: ['order'] } }) }, { Pattern: '{"body": ["exact text"]}' }] },
    })
    for (const body of ['{"kind":"refund"}', 'not json at all', '{"kind":"order","n":1}', '{"other":true}', 'exact text']) {
      await sqs().call('SendMessage', { QueueUrl: queue.url, MessageBody: body })
    }
    await log.waitFor('REPORT RequestId', 2)
    await settle()
    assert.deepEqual(await messageCounts(sqs(), queue.url), { visible: 0, notVisible: 0, delayed: 0 })
    await advance(nimbus.current, 60_000)
    await settle()
    assert.deepEqual(log.tagged('RECORD').map((r) => r.body).sort(), ['exact text', '{"kind":"order","n":1}'])
    assert.equal(log.matching('START RequestId').length, 2)

    const bad = await failure(mapping({
      FunctionName: name, EventSourceArn: (await standardQueue(sqs())).arn,
      FilterCriteria: { Filters: [{ Pattern: '{"body": {"kind": "order"}}' }] },
    }))
    assert.deepEqual(bad, { name: 'InvalidParameterValueException', message: 'Invalid filter pattern definition.', status: 400 })
    log.stop()
  })

  it('waits out MaximumBatchingWindowInSeconds on the clock, then invokes once with the whole batch', async () => {
    const queue = await standardQueue(sqs())
    const name = await createFunction(lambda(), recordLogger)
    const log = watchFunctionLog(nimbus.current, name)
    await mapping({ FunctionName: name, EventSourceArn: queue.arn, BatchSize: 5, MaximumBatchingWindowInSeconds: 10 })
    await sqs().call('SendMessage', { QueueUrl: queue.url, MessageBody: 'first' })
    await advance(nimbus.current, 4_000)
    await sqs().call('SendMessage', { QueueUrl: queue.url, MessageBody: 'second' })
    await advance(nimbus.current, 5_999)
    await settle(20)
    assert.equal(log.matching('START RequestId').length, 0, 'no invocation inside the window')
    await advance(nimbus.current, 1)
    await log.waitFor('REPORT RequestId')
    await settle()
    assert.equal(log.matching('START RequestId').length, 1)
    assert.deepEqual(log.tagged('RECORD').map((r) => r.body), ['first', 'second'])
    assert.deepEqual(await messageCounts(sqs(), queue.url), { visible: 0, notVisible: 0, delayed: 0 })
    log.stop()
  })

  it('reports Creating then Enabled; Enabled=false stops invocations and Enabled=true resumes them', async () => {
    const queue = await standardQueue(sqs())
    const name = await createFunction(lambda(), recordLogger)
    const log = watchFunctionLog(nimbus.current, name)
    const created = await mapping({ FunctionName: name, EventSourceArn: queue.arn, BatchSize: 1 })
    assert.equal(created.State, 'Creating')
    assert.equal(created.StateTransitionReason, 'USER_INITIATED')
    assert.match(created.EventSourceMappingArn ?? '', new RegExp(`^arn:aws:lambda:us-east-1:\\d{12}:event-source-mapping:${created.UUID}$`))
    const got = await lambda().send(new GetEventSourceMappingCommand({ UUID: created.UUID }))
    assert.equal(got.State, 'Enabled')

    await sqs().call('SendMessage', { QueueUrl: queue.url, MessageBody: 'before' })
    await log.waitFor('REPORT RequestId')
    const disabled = await lambda().send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, Enabled: false }))
    assert.equal(disabled.State, 'Disabling')
    assert.equal((await lambda().send(new GetEventSourceMappingCommand({ UUID: created.UUID }))).State, 'Disabled')
    await sqs().call('SendMessage', { QueueUrl: queue.url, MessageBody: 'while off' })
    await advance(nimbus.current, 60_000)
    await settle(20)
    assert.deepEqual(await messageCounts(sqs(), queue.url), { visible: 1, notVisible: 0, delayed: 0 })
    assert.equal(log.matching('START RequestId').length, 1)

    const enabled = await lambda().send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, Enabled: true }))
    assert.equal(enabled.State, 'Enabling')
    await log.waitFor('REPORT RequestId', 2)
    assert.deepEqual(log.tagged('RECORD').map((r) => r.body), ['before', 'while off'])
    await until(async () => (await messageCounts(sqs(), queue.url)).notVisible === 0, 'the message to be deleted')
    log.stop()
  })

  it("refuses bad mappings with AWS's errors", async () => {
    const queue = await standardQueue(sqs())
    const name = await createFunction(lambda(), recordLogger)
    const tooBig = await failure(mapping({ FunctionName: name, EventSourceArn: queue.arn, BatchSize: 11 }))
    assert.deepEqual(tooBig, { name: 'InvalidParameterValueException', status: 400,
      message: 'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10' })
    // Outside the model's 1–10,000: the model's ValidationException, as for stream sources.
    const overModel = await failure(mapping({ FunctionName: name, EventSourceArn: queue.arn, BatchSize: 10_001, MaximumBatchingWindowInSeconds: 1 }))
    assert.deepEqual(overModel, { name: 'ValidationException', status: 400,
      message: "1 validation error detected: Value '10001' at 'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000" })
    const underModel = await failure(mapping({ FunctionName: name, EventSourceArn: queue.arn, BatchSize: 0 }))
    assert.equal(underModel.name, 'ValidationException')
    const first = await mapping({ FunctionName: name, EventSourceArn: queue.arn, BatchSize: 11, MaximumBatchingWindowInSeconds: 1 })
    const duplicate = await failure(mapping({ FunctionName: name, EventSourceArn: queue.arn }))
    assert.deepEqual(duplicate, { name: 'ResourceConflictException', status: 409,
      message: `An event source mapping with SQS arn (" ${queue.arn} ") and function (" ${name} ") already exists. ` +
        `Please update or delete the existing mapping with UUID ${first.UUID}` })
    const missing = await failure(mapping({ FunctionName: name, EventSourceArn: queue.arn.replace(queue.name, 'no-such-queue') }))
    assert.deepEqual(missing, { name: 'InvalidParameterValueException', status: 400,
      message: 'Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. ' +
        'SQS Error Message: The specified queue does not exist.' })
  })
})
