// Long polling on standard queues, driven entirely by the manual clock.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { advance, longPollsParked, parkedLongPolls, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sqsClient, sqsProtocols, type SqsTestClient } from '../../helpers/sqs-clients.ts'

const nimbus = useNimbus()

async function newQueue(sqs: SqsTestClient, Attributes?: Record<string, string>): Promise<string> {
  return (await sqs.call('CreateQueue', { QueueName: uniqueName(), ...(Attributes ? { Attributes } : {}) })).QueueUrl
}

/** A promise plus whether it has settled yet. */
function tracked<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let done = false
  void promise.then(() => (done = true), () => (done = true))
  return { promise, settled: () => done }
}

for (const protocol of sqsProtocols) {
  describe(`SQS long polling over ${protocol}`, () => {
    const sqs = () => sqsClient(nimbus.current, protocol)
    /** Starts a receive and waits until the server is holding it. */
    /** Starts a receive and resolves once the server holds it (one more parked long poll than before). */
    const park = async (input: Record<string, unknown>) => {
      const before = parkedLongPolls(nimbus.current)
      const poll = tracked(sqs().call('ReceiveMessage', input))
      await longPollsParked(nimbus.current, before + 1)
      return poll
    }
    /** A full round trip to the server, so a response that was due has had time to arrive. */
    const roundTrip = (url: string) => sqs().call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['QueueArn'] })

    it('waits the full WaitTimeSeconds on an empty queue and then answers empty', async () => {
      const url = await newQueue(sqs())
      const startedAt = nimbus.current.clock.now()
      const poll = await park({ QueueUrl: url, WaitTimeSeconds: 20 })
      await advance(nimbus.current, 19_999)
      await roundTrip(url)
      assert.equal(poll.settled(), false)
      await advance(nimbus.current, 1)
      const result = await poll.promise
      assert.equal(result.Messages, undefined)
      assert.equal(nimbus.current.clock.now() - startedAt, 20_000)
    })

    it('answers at once when a message is already there', async () => {
      const url = await newQueue(sqs())
      await sqs().call('SendMessage', { QueueUrl: url, MessageBody: 'ready' })
      const result = await sqs().call('ReceiveMessage', { QueueUrl: url, WaitTimeSeconds: 20 })
      assert.equal(result.Messages[0].Body, 'ready')
    })

    it('wakes on a send during the wait, without the clock moving', async () => {
      const url = await newQueue(sqs())
      const poll = await park({ QueueUrl: url, WaitTimeSeconds: 20, MaxNumberOfMessages: 10 })
      const startedAt = nimbus.current.clock.now()
      const sent = await sqs().call('SendMessage', { QueueUrl: url, MessageBody: 'wake up' })
      const result = await poll.promise
      assert.equal(result.Messages.length, 1)
      assert.equal(result.Messages[0].MessageId, sent.MessageId)
      assert.equal(nimbus.current.clock.now(), startedAt)
      // The woken receive made the message invisible as usual.
      assert.equal((await sqs().call('ReceiveMessage', { QueueUrl: url })).Messages, undefined)
    })

    it('hands a message to only one of two waiting polls', async () => {
      const url = await newQueue(sqs())
      const first = await park({ QueueUrl: url, WaitTimeSeconds: 20 })
      const second = await park({ QueueUrl: url, WaitTimeSeconds: 20 })
      await sqs().call('SendMessage', { QueueUrl: url, MessageBody: 'only once' })
      const winner = await Promise.race([first.promise, second.promise])
      assert.equal(winner.Messages[0].Body, 'only once')
      await advance(nimbus.current, 20_000)
      const results = await Promise.all([first.promise, second.promise])
      assert.equal(results.filter((r) => r.Messages !== undefined).length, 1)
    })

    it('long-polls by the queue\'s ReceiveMessageWaitTimeSeconds when the receive names no wait', async () => {
      const url = await newQueue(sqs(), { ReceiveMessageWaitTimeSeconds: '10' })
      const poll = await park({ QueueUrl: url })
      await advance(nimbus.current, 9_999)
      await roundTrip(url)
      assert.equal(poll.settled(), false)
      await advance(nimbus.current, 1)
      assert.equal((await poll.promise).Messages, undefined)
      // An explicit WaitTimeSeconds of 0 short-polls that queue.
      const startedAt = nimbus.current.clock.now()
      assert.equal((await sqs().call('ReceiveMessage', { QueueUrl: url, WaitTimeSeconds: 0 })).Messages, undefined)
      assert.equal(nimbus.current.clock.now(), startedAt)
    })

    it('wakes when a delayed message becomes visible during the wait', async () => {
      const url = await newQueue(sqs())
      await sqs().call('SendMessage', { QueueUrl: url, MessageBody: 'delayed', DelaySeconds: 5 })
      const poll = await park({ QueueUrl: url, WaitTimeSeconds: 20 })
      await advance(nimbus.current, 4_999)
      await roundTrip(url)
      assert.equal(poll.settled(), false)
      await advance(nimbus.current, 1)
      const result = await poll.promise
      assert.equal(result.Messages[0].Body, 'delayed')
    })

    it('wakes when an in-flight message\'s visibility timeout ends during the wait', async () => {
      const url = await newQueue(sqs())
      await sqs().call('SendMessage', { QueueUrl: url, MessageBody: 'retry me' })
      const first = (await sqs().call('ReceiveMessage', { QueueUrl: url, VisibilityTimeout: 3 })).Messages[0]
      const poll = await park({ QueueUrl: url, WaitTimeSeconds: 20, AttributeNames: ['ApproximateReceiveCount'] })
      await advance(nimbus.current, 3_000)
      const result = await poll.promise
      assert.equal(result.Messages[0].MessageId, first.MessageId)
      assert.equal(result.Messages[0].Attributes.ApproximateReceiveCount, '2')
    })

    it('wakes when ChangeMessageVisibility 0 releases a message during the wait', async () => {
      const url = await newQueue(sqs())
      await sqs().call('SendMessage', { QueueUrl: url, MessageBody: 'released' })
      const first = (await sqs().call('ReceiveMessage', { QueueUrl: url })).Messages[0]
      const poll = await park({ QueueUrl: url, WaitTimeSeconds: 20 })
      await sqs().call('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: first.ReceiptHandle, VisibilityTimeout: 0 })
      assert.equal((await poll.promise).Messages[0].MessageId, first.MessageId)
    })
  })
}
