// Asynchronous invocation (InvocationType Event), as SNS/S3/EventBridge invoke Lambda: 202 at once,
// retries after 1 and 2 minutes on the manual clock, then the dead-letter queue and destinations with
// AWS's invocation record (aws-behaviour.md §2.4–2.7, §8.8).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  InvokeCommand, PutFunctionConcurrencyCommand, PutFunctionEventInvokeConfigCommand,
  type PutFunctionEventInvokeConfigCommandInput,
} from '@aws-sdk/client-lambda'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { settle, until, watchFunctionLog } from '../../helpers/function-log.ts'
import { sqsClient } from '../../helpers/sqs-clients.ts'
import { receiveAll, standardQueue, type TestQueue } from '../../helpers/sqs-queues.ts'

const nimbus = useNimbus()
const sqs = () => sqsClient(nimbus.current, 'json')
const lambda = () => lambdaClient(nimbus.current)

/** Logs `ATTEMPT <event>`; throws unless the event says `ok`. */
const handler = `
  exports.handler = async (event) => {
    console.log('ATTEMPT ' + JSON.stringify(event))
    if (!event.ok) throw new Error('boom ' + event.n)
    return { done: event.n }
  }`

const invokeEvent = (name: string, payload: unknown) =>
  lambda().send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(payload)) }))

const configure = (input: PutFunctionEventInvokeConfigCommandInput) => lambda().send(new PutFunctionEventInvokeConfigCommand(input))

/** The one message a destination queue should hold, parsed and deleted; waits for it without sleeping. */
async function onlyRecord(queue: TestQueue): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  let messages: Record<string, unknown>[] = []
  await until(async () => (messages = await receiveAll(sqs(), queue.url)).length > 0, `a record on ${queue.name}`)
  assert.equal(messages.length, 1)
  // AWS's destination messages carry the invocation's X-Ray header as the AWSTraceHeader system attribute.
  assert.match((messages[0]!.Attributes as Record<string, string>).AWSTraceHeader ?? '', /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};/)
  await sqs().call('DeleteMessage', { QueueUrl: queue.url, ReceiptHandle: messages[0]!.ReceiptHandle })
  return JSON.parse(messages[0]!.Body as string)
}

const requestIds = (lines: string[]) => lines.map((line) => /START RequestId: (\S+)/.exec(line)![1])
const functionArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`

describe('Lambda asynchronous invocation', () => {
  it('answers 202 at once, tries 3 times (after 1 then 2 more minutes), then sends the event to the DLQ and OnFailure', async () => {
    const dlq = await standardQueue(sqs())
    const failed = await standardQueue(sqs())
    const name = await createFunction(lambda(), handler, { DeadLetterConfig: { TargetArn: dlq.arn } })
    await configure({ FunctionName: name, DestinationConfig: { OnFailure: { Destination: failed.arn } } })
    const log = watchFunctionLog(nimbus.current, name)
    const out = await invokeEvent(name, { n: 1 })
    assert.equal(out.StatusCode, 202)
    assert.equal(out.Payload?.length ?? 0, 0)

    await log.waitFor('REPORT RequestId', 1)
    await settle()
    await advance(nimbus.current, 59_999)
    await settle(20)
    assert.equal(log.matching('\tATTEMPT ').length, 1, 'no retry before a minute')
    await advance(nimbus.current, 1)
    await log.waitFor('REPORT RequestId', 2)
    await settle()
    await advance(nimbus.current, 119_999)
    await settle(20)
    assert.equal(log.matching('\tATTEMPT ').length, 2, 'the third attempt waits two more minutes')
    await advance(nimbus.current, 1)
    await log.waitFor('REPORT RequestId', 3)
    await settle()

    const ids = requestIds(log.matching('START RequestId'))
    assert.equal(new Set(ids).size, 1, 'every attempt has the same request id')
    const [dead] = await receiveAll(sqs(), dlq.url)
    assert.ok(dead, 'the dead-letter queue got the event')
    assert.equal(dead.Body, '{"n":1}')
    assert.deepEqual(dead.MessageAttributes, {
      RequestID: { DataType: 'String', StringValue: ids[0] },
      ErrorCode: { DataType: 'Number', StringValue: '200' },
      ErrorMessage: { DataType: 'String', StringValue: 'boom 1' },
    })
    // A dead-letter queue and an OnFailure destination both fire.
    const record = await onlyRecord(failed)
    assert.deepEqual(record.requestContext, {
      requestId: ids[0], functionArn: `${functionArn(name)}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3,
    })
    await advance(nimbus.current, 600_000)
    await settle(20)
    assert.equal(log.matching('\tATTEMPT ').length, 3, 'no fourth attempt')
    log.stop()
  })

  it("with MaximumRetryAttempts 0 tries once; OnFailure and OnSuccess destinations get AWS's record", async () => {
    const failed = await standardQueue(sqs())
    const succeeded = await standardQueue(sqs())
    const name = await createFunction(lambda(), handler)
    const log = watchFunctionLog(nimbus.current, name)
    await configure({
      FunctionName: name, MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: failed.arn }, OnSuccess: { Destination: succeeded.arn } },
    })

    const accepted = await invokeEvent(name, { n: 2 })
    const failure = await onlyRecord(failed)
    const [requestId] = requestIds(log.matching('START RequestId'))
    assert.equal(requestId, accepted.$metadata.requestId, 'the function runs with the id the caller was answered with')
    assert.deepEqual(Object.keys(failure), ['version', 'timestamp', 'requestContext', 'requestPayload', 'responseContext', 'responsePayload'])
    assert.equal(failure.version, '1.0')
    assert.equal(failure.timestamp, new Date(nimbus.current.clock.now()).toISOString())
    assert.deepEqual(failure.requestContext, {
      requestId, functionArn: `${functionArn(name)}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 1,
    })
    assert.deepEqual(failure.requestPayload, { n: 2 })
    assert.deepEqual(failure.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' })
    assert.equal(failure.responsePayload.errorType, 'Error')
    assert.equal(failure.responsePayload.errorMessage, 'boom 2')
    await advance(nimbus.current, 600_000)
    await settle(20)
    assert.equal(log.matching('\tATTEMPT ').length, 1, 'no retries')

    await invokeEvent(name, { n: 3, ok: true })
    const success = await onlyRecord(succeeded)
    assert.deepEqual(Object.keys(success), ['version', 'timestamp', 'requestContext', 'requestPayload', 'responseContext', 'responsePayload'])
    assert.equal(success.requestContext.condition, 'Success')
    assert.equal(success.requestContext.approximateInvokeCount, 1)
    assert.equal(success.requestContext.functionArn, `${functionArn(name)}:$LATEST`)
    assert.deepEqual(success.requestPayload, { n: 3, ok: true })
    assert.deepEqual(success.responseContext, { statusCode: 200, executedVersion: '$LATEST' })
    assert.deepEqual(success.responsePayload, { done: 3 })
    assert.deepEqual(await receiveAll(sqs(), failed.url), [], 'a success is not a failure')
    log.stop()
  })

  it('gives up with EventAgeExceeded when the next retry would come at or after MaximumEventAgeInSeconds', async () => {
    const failed = await standardQueue(sqs())
    const name = await createFunction(lambda(), handler)
    const log = watchFunctionLog(nimbus.current, name)
    // 60 s: the retry a minute later would already be too old, so only one attempt is made.
    await configure({ FunctionName: name, MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: failed.arn } } })
    await invokeEvent(name, { n: 4 })
    const first = await onlyRecord(failed)
    assert.equal(first.requestContext.condition, 'EventAgeExceeded')
    assert.equal(first.requestContext.approximateInvokeCount, 1)
    assert.equal(first.responseContext.functionError, 'Unhandled')
    assert.equal(log.matching('\tATTEMPT ').length, 1)

    // 120 s: one retry fits (at 60 s); the next (at 180 s) does not.
    await configure({ FunctionName: name, MaximumEventAgeInSeconds: 120, MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: failed.arn } } })
    await invokeEvent(name, { n: 5 })
    await log.waitFor('REPORT RequestId', 2)
    await settle()
    await advance(nimbus.current, 60_000)
    const second = await onlyRecord(failed)
    assert.equal(second.requestContext.condition, 'EventAgeExceeded')
    assert.equal(second.requestContext.approximateInvokeCount, 2)
    assert.deepEqual(second.requestPayload, { n: 5 })
    log.stop()
  })

  it('sends events for a function with reserved concurrency 0 straight to OnFailure as ZeroReservedConcurrency', async () => {
    const failed = await standardQueue(sqs())
    const name = await createFunction(lambda(), handler)
    const log = watchFunctionLog(nimbus.current, name)
    await lambda().send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 0 }))
    await configure({ FunctionName: name, DestinationConfig: { OnFailure: { Destination: failed.arn } } })
    const out = await invokeEvent(name, { n: 6, ok: true })
    assert.equal(out.StatusCode, 202)
    const record = await onlyRecord(failed)
    assert.deepEqual(Object.keys(record), ['version', 'timestamp', 'requestContext', 'requestPayload'])
    assert.equal(record.requestContext.condition, 'ZeroReservedConcurrency')
    assert.equal(record.requestContext.approximateInvokeCount, 0)
    assert.equal(record.requestContext.functionArn, `${functionArn(name)}:$LATEST`)
    assert.deepEqual(record.requestPayload, { n: 6, ok: true })
    assert.deepEqual(log.lines, [], 'the function never ran')
    log.stop()
  })
})
