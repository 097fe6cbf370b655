// FIFO ordering and message-group locking, receive-attempt retries, expired receipt handles and batch
// order (aws-behaviour.md §1.9, §1.11), over both wire protocols.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { advance, longPollsParked, parkedLongPolls, useNimbus } from '../../helpers/nimbus.ts'
import { sqsClient, sqsProtocols, type SqsTestClient } from '../../helpers/sqs-clients.ts'
import { fifoQueue, receiveAll } from '../../helpers/sqs-queues.ts'

const nimbus = useNimbus()

let dedup = 0
function send(sqs: SqsTestClient, url: string, group: string, body: string) {
  return sqs.call('SendMessage', { QueueUrl: url, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: `d${++dedup}` })
}

const bodies = (messages: Record<string, any>[]) => messages.map((m) => m.Body) // eslint-disable-line @typescript-eslint/no-explicit-any


for (const protocol of sqsProtocols) {
  describe(`FIFO ordering and group locking over ${protocol}`, () => {
    it('returns as many messages of one group as possible, in order, before the next group', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const queue = await fifoQueue(sqs)
      for (const [group, body] of [['g1', 'g1-m1'], ['g2', 'g2-m1'], ['g1', 'g1-m2'], ['g1', 'g1-m3']]) await send(sqs, queue.url, group!, body!)
      assert.deepEqual(bodies(await receiveAll(sqs, queue.url)), ['g1-m1', 'g1-m2', 'g1-m3', 'g2-m1'])
    })

    it('returns nothing more from a group with a message in flight while other groups flow', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const queue = await fifoQueue(sqs)
      await send(sqs, queue.url, 'g1', 'a1')
      await send(sqs, queue.url, 'g1', 'a2')
      await send(sqs, queue.url, 'g2', 'b1')
      const [first] = await receiveAll(sqs, queue.url, { MaxNumberOfMessages: 1 })
      assert.equal(first!.Body, 'a1')
      assert.deepEqual(bodies(await receiveAll(sqs, queue.url)), ['b1'])
      // Sending more into the locked group does not unlock it.
      await send(sqs, queue.url, 'g1', 'a3')
      assert.deepEqual(await receiveAll(sqs, queue.url), [])
      // Deleting the in-flight message unlocks the group at once.
      await sqs.call('DeleteMessage', { QueueUrl: queue.url, ReceiptHandle: first!.ReceiptHandle })
      assert.deepEqual(bodies(await receiveAll(sqs, queue.url)), ['a2', 'a3'])
    })

    it('keeps a group locked while any of its received messages is still in flight', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const queue = await fifoQueue(sqs)
      for (const body of ['m1', 'm2', 'm3', 'm4']) await send(sqs, queue.url, 'g1', body)
      await send(sqs, queue.url, 'g2', 'other')
      const firstTwo = await receiveAll(sqs, queue.url, { MaxNumberOfMessages: 2 })
      assert.deepEqual(bodies(firstTwo), ['m1', 'm2'])
      await sqs.call('DeleteMessage', { QueueUrl: queue.url, ReceiptHandle: firstTwo[0]!.ReceiptHandle })
      assert.deepEqual(bodies(await receiveAll(sqs, queue.url)), ['other'])
    })

    it('makes the whole batch of a group visible again, in order, after the visibility timeout', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const queue = await fifoQueue(sqs, { VisibilityTimeout: '30' })
      for (const body of ['m1', 'm2', 'm3']) await send(sqs, queue.url, 'g', body)
      assert.deepEqual(bodies(await receiveAll(sqs, queue.url)), ['m1', 'm2', 'm3'])
      await advance(nimbus.current, 29_000)
      assert.deepEqual(await receiveAll(sqs, queue.url), [])
      await advance(nimbus.current, 1_000)
      const again = await receiveAll(sqs, queue.url)
      assert.deepEqual(bodies(again), ['m1', 'm2', 'm3'])
      assert.deepEqual(again.map((m) => m.Attributes.ApproximateReceiveCount), ['2', '2', '2'])
    })
  })

  describe(`FIFO receive attempts and receipt handles over ${protocol}`, () => {
    it('returns the same messages and receipt handles when a receive is retried with its ReceiveRequestAttemptId', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const queue = await fifoQueue(sqs)
      for (const body of ['m1', 'm2']) await send(sqs, queue.url, 'g', body)
      await send(sqs, queue.url, 'h', 'h1')
      const first = await receiveAll(sqs, queue.url, { ReceiveRequestAttemptId: 'attempt-1', MaxNumberOfMessages: 2 })
      const retry = await receiveAll(sqs, queue.url, { ReceiveRequestAttemptId: 'attempt-1', MaxNumberOfMessages: 2 })
      assert.deepEqual(bodies(first), ['m1', 'm2'])
      assert.deepEqual(retry.map((m) => m.MessageId), first.map((m) => m.MessageId))
      assert.deepEqual(retry.map((m) => m.ReceiptHandle), first.map((m) => m.ReceiptHandle))
      // A different attempt id is a new receive: group g is locked, so only h comes out.
      assert.deepEqual(bodies(await receiveAll(sqs, queue.url, { ReceiveRequestAttemptId: 'attempt-2' })), ['h1'])
      // Once one of them is deleted the attempt no longer replays.
      await sqs.call('DeleteMessage', { QueueUrl: queue.url, ReceiptHandle: first[0]!.ReceiptHandle })
      assert.deepEqual(await receiveAll(sqs, queue.url, { ReceiveRequestAttemptId: 'attempt-1' }), [])
    })

    it('delivers messages that arrive during a long poll made with a ReceiveRequestAttemptId', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const queue = await fifoQueue(sqs, { DelaySeconds: '2' })
      await send(sqs, queue.url, 'g', 'late')
      const parked = parkedLongPolls(nimbus.current)
      const polling = receiveAll(sqs, queue.url, { WaitTimeSeconds: 10, ReceiveRequestAttemptId: 'long-poll' })
      await longPollsParked(nimbus.current, parked + 1)
      await advance(nimbus.current, 2_000)
      await advance(nimbus.current, 10_000) // past the wait, so a poll that missed the message ends empty
      assert.deepEqual(bodies(await polling), ['late'])
    })

    it('refuses to delete with an expired or superseded receipt handle: "The receipt handle has expired."', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const queue = await fifoQueue(sqs, { VisibilityTimeout: '10' })
      await send(sqs, queue.url, 'g', 'm')
      const [old] = await receiveAll(sqs, queue.url)
      await advance(nimbus.current, 10_000)
      const expired = await sqs.fail('DeleteMessage', { QueueUrl: queue.url, ReceiptHandle: old!.ReceiptHandle })
      assert.equal(expired.code, 'InvalidParameterValue')
      assert.equal(expired.message, `Value ${old!.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`)

      const [current] = await receiveAll(sqs, queue.url)
      assert.equal(current!.MessageId, old!.MessageId)
      const superseded = await sqs.fail('DeleteMessage', { QueueUrl: queue.url, ReceiptHandle: old!.ReceiptHandle })
      assert.equal(superseded.message, `Value ${old!.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`)
      await sqs.call('DeleteMessage', { QueueUrl: queue.url, ReceiptHandle: current!.ReceiptHandle })
      await advance(nimbus.current, 10_000)
      assert.deepEqual(await receiveAll(sqs, queue.url), [])
    })
  })

  describe(`FIFO SendMessageBatch over ${protocol}`, () => {
    it('enqueues entries in entry order and reports their SequenceNumbers', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const queue = await fifoQueue(sqs)
      const entries = ['a', 'b', 'c', 'd'].map((body, i) => ({
        Id: `e${i}`, MessageBody: body, MessageGroupId: i % 2 === 0 ? 'g1' : 'g2', MessageDeduplicationId: `batch-${body}`,
      }))
      const result = await sqs.call('SendMessageBatch', { QueueUrl: queue.url, Entries: entries })
      assert.deepEqual(result.Successful.map((e: { Id: string }) => e.Id), ['e0', 'e1', 'e2', 'e3'])
      const sequence = result.Successful.map((e: { SequenceNumber: string }) => BigInt(e.SequenceNumber))
      assert.ok(sequence.every((n: bigint, i: number) => i === 0 || n > sequence[i - 1]))
      const received = await receiveAll(sqs, queue.url)
      assert.deepEqual(bodies(received), ['a', 'c', 'b', 'd'])
      const byBody = new Map(received.map((m) => [m.Body, m.Attributes.SequenceNumber]))
      assert.equal(byBody.get('c'), result.Successful[2].SequenceNumber)
    })

    it('fails the whole request when an entry lacks MessageGroupId', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const queue = await fifoQueue(sqs, { ContentBasedDeduplication: 'true' })
      const error = await sqs.fail('SendMessageBatch', { QueueUrl: queue.url, Entries: [
        { Id: 'ok', MessageBody: 'x', MessageGroupId: 'g' }, { Id: 'bad', MessageBody: 'y' },
      ] })
      assert.equal(error.code, 'MissingParameter')
      assert.equal(error.message, 'The request must contain the parameter MessageGroupId.')
      assert.deepEqual(await receiveAll(sqs, queue.url), [])
    })
  })
}
