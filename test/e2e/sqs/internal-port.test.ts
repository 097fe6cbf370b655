// The in-process SQS port other services use (nimbus.services.sqs): no HTTP, same queue semantics as
// the API. Messages sent through it must be indistinguishable to SDK clients (digests included).
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import { isAwsError } from '../../../src/protocol/errors.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sqsClient, sqsProtocols } from '../../helpers/sqs-clients.ts'
import { fifoQueue, messageCounts, receiveAll, standardQueue } from '../../helpers/sqs-queues.ts'

const nimbus = useNimbus()
const port = () => nimbus.current.services.sqs
const md5 = (text: string) => createHash('md5').update(text).digest('hex')

function throwsAws(fn: () => unknown, code: string): void {
  assert.throws(fn, (error: unknown) => isAwsError(error) && error.code === code)
}

for (const protocol of sqsProtocols) {
  describe(`SQS internal port to SDK over ${protocol}`, () => {
    it('sends with attributes and a trace header that an SDK client receives with valid digests', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const queue = await standardQueue(sqs)
      const body = '{"source":"aws:sns","text":"héllo"}'
      const sent = port().send({
        queueArn: queue.arn, body, senderId: 'AIDAEXAMPLESENDER',
        traceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1',
        attributes: {
          kind: { DataType: 'String', StringValue: 'notification' },
          size: { DataType: 'Number', StringValue: '42' },
          raw: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) },
        },
      })
      assert.equal(sent.sequenceNumber, undefined)
      const [message] = await receiveAll(sqs, queue.url)
      assert.equal(message!.MessageId, sent.messageId)
      assert.equal(message!.Body, body)
      assert.equal(message!.MD5OfBody, md5(body))
      assert.match(message!.MD5OfMessageAttributes, /^[0-9a-f]{32}$/)
      assert.equal(message!.MessageAttributes.kind.StringValue, 'notification')
      assert.equal(message!.MessageAttributes.size.StringValue, '42')
      assert.deepEqual([...Buffer.from(message!.MessageAttributes.raw.BinaryValue)], [1, 2, 3])
      assert.equal(message!.Attributes.AWSTraceHeader, 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1')
      assert.equal(message!.Attributes.SenderId, 'AIDAEXAMPLESENDER')
    })

    it('receives, changes visibility and deletes as a poller would, seen consistently by SDK clients', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const queue = await standardQueue(sqs, { VisibilityTimeout: '45' })
      for (const body of ['a', 'b', 'c']) await sqs.call('SendMessage', { QueueUrl: queue.url, MessageBody: body })
      assert.equal(port().visibilityTimeout(queue.arn), 45)
      const batch = port().receive(queue.arn, 10, 60)
      assert.deepEqual(batch.map((m) => m.body).sort(), ['a', 'b', 'c'])
      assert.ok(batch.every((m) => m.receiveCount === 1 && m.bodyMd5 === md5(m.body)))
      assert.deepEqual(await messageCounts(sqs, queue.url), { visible: 0, notVisible: 3, delayed: 0 })

      const [done, retry, held] = batch
      port().delete(queue.arn, done!.receiptHandle)
      port().changeVisibility(queue.arn, retry!.receiptHandle, 0)
      const again = await receiveAll(sqs, queue.url)
      assert.deepEqual(again.map((m) => m.MessageId), [retry!.messageId])
      assert.equal(again[0]!.Attributes.ApproximateReceiveCount, '2')
      await sqs.call('DeleteMessage', { QueueUrl: queue.url, ReceiptHandle: again[0]!.ReceiptHandle })
      // The held message reappears after the 60 s the port asked for, not the queue's 45 s.
      await advance(nimbus.current, 59_000)
      assert.deepEqual(await receiveAll(sqs, queue.url), [])
      await advance(nimbus.current, 1_000)
      assert.deepEqual((await receiveAll(sqs, queue.url)).map((m) => m.MessageId), [held!.messageId])
    })
  })
}

describe('SQS internal port', () => {
  it('applies FIFO rules: group ids, deduplication and sequence numbers', async () => {
    const sqs = sqsClient(nimbus.current, 'json')
    const queue = await fifoQueue(sqs)
    assert.equal(port().isFifo(queue.arn), true)
    throwsAws(() => port().send({ queueArn: queue.arn, body: 'x', dedupId: 'd', senderId: 'svc' }), 'MissingParameter')
    const first = port().send({ queueArn: queue.arn, body: 'x', groupId: 'g', dedupId: 'd', senderId: 'svc' })
    const duplicate = port().send({ queueArn: queue.arn, body: 'y', groupId: 'g', dedupId: 'd', senderId: 'svc' })
    assert.match(first.sequenceNumber ?? '', /^\d+$/)
    assert.equal(duplicate.messageId, first.messageId)
    const second = port().send({ queueArn: queue.arn, body: 'z', groupId: 'g', dedupId: 'e', senderId: 'svc' })
    assert.ok(BigInt(second.sequenceNumber!) > BigInt(first.sequenceNumber!))
    const received = port().receive(queue.arn, 10)
    assert.deepEqual(received.map((m) => [m.body, m.groupId, m.dedupId]), [['x', 'g', 'd'], ['z', 'g', 'e']])
    // The group is locked while those are in flight.
    port().send({ queueArn: queue.arn, body: 'w', groupId: 'g', dedupId: 'f', senderId: 'svc' })
    assert.deepEqual(port().receive(queue.arn, 10), [])
  })

  it('calls onAvailable listeners on send and when a delayed message becomes visible on the clock', async () => {
    const sqs = sqsClient(nimbus.current, 'json')
    const queue = await standardQueue(sqs)
    let calls = 0
    const stop = port().onAvailable(queue.arn, () => { calls++ })
    await sqs.call('SendMessage', { QueueUrl: queue.url, MessageBody: 'now' })
    assert.equal(calls, 1)

    port().send({ queueArn: queue.arn, body: 'later', delaySeconds: 5, senderId: 'svc' })
    assert.equal(calls, 1)
    await advance(nimbus.current, 4_999)
    assert.equal(calls, 1)
    await advance(nimbus.current, 1)
    assert.equal(calls, 2)
    // A listener that takes nothing is not called again and again for the same message.
    await advance(nimbus.current, 60_000)
    assert.equal(calls, 2)

    stop()
    await sqs.call('SendMessage', { QueueUrl: queue.url, MessageBody: 'unheard' })
    assert.equal(calls, 2)
    assert.equal((await messageCounts(sqs, queue.url)).visible, 3)
  })

  it('calls onAvailable when an in-flight message becomes visible again after its visibility timeout', async () => {
    const sqs = sqsClient(nimbus.current, 'json')
    const queue = await standardQueue(sqs)
    port().send({ queueArn: queue.arn, body: 'retry me', senderId: 'svc' })
    const [message] = port().receive(queue.arn, 1, 30)
    let calls = 0
    const stop = port().onAvailable(queue.arn, () => { calls++ })
    await advance(nimbus.current, 30_000)
    assert.equal(calls, 1)
    assert.equal(port().receive(queue.arn, 1)[0]?.messageId, message!.messageId)
    stop()
  })

  it('reports unknown queues as QueueDoesNotExist and foreign receipt handles as invalid', async () => {
    const sqs = sqsClient(nimbus.current, 'json')
    const queue = await standardQueue(sqs)
    const missing = queue.arn.replace(/[^:]+$/, 'no-such-queue')
    assert.equal(port().exists(missing), false)
    assert.equal(port().exists(queue.arn), true)
    throwsAws(() => port().send({ queueArn: missing, body: 'x', senderId: 'svc' }), 'QueueDoesNotExist')
    throwsAws(() => port().receive(missing, 1), 'QueueDoesNotExist')
    throwsAws(() => port().delete(missing, 'AQEBx'), 'QueueDoesNotExist')
    throwsAws(() => port().changeVisibility(missing, 'AQEBx', 0), 'QueueDoesNotExist')
    throwsAws(() => port().onAvailable(missing, () => {}), 'QueueDoesNotExist')
    throwsAws(() => port().isFifo(missing), 'QueueDoesNotExist')

    const other = await standardQueue(sqs)
    port().send({ queueArn: other.arn, body: 'x', senderId: 'svc' })
    const [foreign] = port().receive(other.arn, 1)
    throwsAws(() => port().delete(queue.arn, foreign!.receiptHandle), 'ReceiptHandleIsInvalid')
  })
})

describe('SQS internal port: queue events', () => {
  it('announces queues created and deleted, through either protocol', async () => {
    const events: { type: string; queueArn: string; fifo: boolean }[] = []
    const off = nimbus.current.services.sqs.onQueueEvent((e) => events.push(e))
    const sqs = sqsClient(nimbus.current, 'query')
    const name = uniqueName('events')
    const { QueueUrl } = await sqs.call('CreateQueue', { QueueName: name })
    await sqs.call('DeleteQueue', { QueueUrl })
    off()
    await sqsClient(nimbus.current, 'json').call('CreateQueue', { QueueName: uniqueName('unheard') })
    const arn = `arn:aws:sqs:us-east-1:000000000000:${name}`
    assert.deepEqual(events, [
      { type: 'QueueCreated', queueArn: arn, fifo: false },
      { type: 'QueueDeleted', queueArn: arn, fifo: false },
    ])
  })
})
