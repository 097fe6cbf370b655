// ReportBatchItemFailures on an SQS event source mapping: partial failure deletes only the successes;
// AWS's "complete success" answers delete everything; invalid answers fail the whole batch (aws-behaviour.md §2.9, §8.7).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateEventSourceMappingCommand, type CreateEventSourceMappingCommandInput } from '@aws-sdk/client-lambda'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { settle, watchFunctionLog, type FunctionLog } from '../../helpers/function-log.ts'
import { sqsClient } from '../../helpers/sqs-clients.ts'
import { messageCounts, standardQueue, type TestQueue } from '../../helpers/sqs-queues.ts'

const nimbus = useNimbus()
const sqs = () => sqsClient(nimbus.current, 'json')

/**
 * Logs each batch as `BATCH <json>`. A record whose body is `respond:<json>` makes the handler return
 * that JSON; otherwise it reports every record whose body starts with "fail".
 */
const handler = `
  exports.handler = async (event) => {
    console.log('BATCH ' + JSON.stringify(event.Records.map((r) => ({ body: r.body, count: r.attributes.ApproximateReceiveCount }))))
    const respond = event.Records.find((r) => r.body.startsWith('respond:'))
    if (respond) return JSON.parse(respond.body.slice('respond:'.length))
    return { batchItemFailures: event.Records.filter((r) => r.body.startsWith('fail')).map((r) => ({ itemIdentifier: r.messageId })) }
  }`

/** A queue, a function and a mapping taking batches of `batchSize` (the window holds a batch until it is full). */
async function setUp(batchSize: number, extra: Partial<CreateEventSourceMappingCommandInput> = {}): Promise<{ queue: TestQueue; log: FunctionLog }> {
  const lambda = lambdaClient(nimbus.current)
  const queue = await standardQueue(sqs(), { VisibilityTimeout: '30' })
  const name = await createFunction(lambda, handler)
  const log = watchFunctionLog(nimbus.current, name)
  await lambda.send(new CreateEventSourceMappingCommand({
    FunctionName: name, EventSourceArn: queue.arn, BatchSize: batchSize, MaximumBatchingWindowInSeconds: 5,
    FunctionResponseTypes: ['ReportBatchItemFailures'], ...extra,
  }))
  return { queue, log }
}

/** Sends the bodies in one SendMessageBatch: they fill one batch. */
async function sendBatch(queue: TestQueue, bodies: string[]): Promise<void> {
  const out = await sqs().call('SendMessageBatch', { QueueUrl: queue.url, Entries: bodies.map((MessageBody, i) => ({ Id: `m${i}`, MessageBody })) })
  assert.equal(out.Successful.length, bodies.length)
}

describe('SQS event source mapping with ReportBatchItemFailures', () => {
  it('deletes the successful messages and keeps only the reported ones, which come back after the visibility timeout', async () => {
    const { queue, log } = await setUp(3)
    await sendBatch(queue, ['ok-a', 'fail-b', 'ok-c'])
    await log.waitFor('REPORT RequestId')
    await settle()
    assert.deepEqual(log.tagged('BATCH')[0].map((r: { body: string }) => r.body), ['ok-a', 'fail-b', 'ok-c'])
    assert.deepEqual(await messageCounts(sqs(), queue.url), { visible: 0, notVisible: 1, delayed: 0 })

    await advance(nimbus.current, 30_000) // visible again: the poller takes it and waits out its 5 s window
    await advance(nimbus.current, 5_000)
    await log.waitFor('REPORT RequestId', 2)
    assert.deepEqual(log.tagged('BATCH')[1], [{ body: 'fail-b', count: '2' }])
    log.stop()
  })

  it('ignores the response without ReportBatchItemFailures: a successful invocation deletes the whole batch', async () => {
    const { queue, log } = await setUp(2, { FunctionResponseTypes: [] })
    await sendBatch(queue, ['ok', 'fail-but-not-reported'])
    await log.waitFor('REPORT RequestId')
    await settle()
    assert.deepEqual(await messageCounts(sqs(), queue.url), { visible: 0, notVisible: 0, delayed: 0 })
    log.stop()
  })

  it('treats null, {}, {"batchItemFailures": []} and {"batchItemFailures": null} as complete success', async () => {
    const { queue, log } = await setUp(2)
    const answers = ['null', '{}', '{"batchItemFailures":[]}', '{"batchItemFailures":null}']
    for (const [i, answer] of answers.entries()) {
      await sendBatch(queue, [`respond:${answer}`, 'fail-innocent'])
      await log.waitFor('REPORT RequestId', i + 1)
      await settle()
      assert.deepEqual(await messageCounts(sqs(), queue.url), { visible: 0, notVisible: 0, delayed: 0 }, `answer ${answer}`)
    }
    log.stop()
  })

  it('fails the whole batch for an empty, null or unknown itemIdentifier and for a malformed item', async () => {
    const { queue, log } = await setUp(2)
    const answers = [
      '{"batchItemFailures":[{"itemIdentifier":""}]}',
      '{"batchItemFailures":[{"itemIdentifier":null}]}',
      '{"batchItemFailures":[{"itemIdentifier":"00000000-0000-4000-8000-000000000000"}]}',
      '{"batchItemFailures":[{"foo":"notvalid"}]}',
    ]
    for (const [i, answer] of answers.entries()) {
      await sendBatch(queue, [`respond:${answer}`, 'ok-innocent'])
      await log.waitFor('REPORT RequestId', i + 1)
      await settle()
      // Nothing deleted: both messages of the batch stay in flight for a retry.
      assert.deepEqual(await messageCounts(sqs(), queue.url), { visible: 0, notVisible: 2 * (i + 1), delayed: 0 }, `answer ${answer}`)
    }
    // Visible again: full batches of 2 go out at once. No further clock step here: moving the clock
    // while those invocations start would time them out (their timeout runs on the same clock).
    await advance(nimbus.current, 30_000)
    await log.waitFor('REPORT RequestId', 5)
    const retried = log.tagged('BATCH').slice(4).flat()
    assert.ok(retried.length > 0 && retried.every((r: { count: string }) => r.count === '2'), 'the failed batches come back')
    log.stop()
  })
})
