// FIFO queues: creation rules, attribute defaults, send validation, sequence numbers and deduplication
// (aws-behaviour.md §1.1, §1.2, §1.7, §1.11), over both wire protocols.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sqsClient, sqsProtocols } from '../../helpers/sqs-clients.ts'
import { fifoQueue, messageCounts, receiveAll } from '../../helpers/sqs-queues.ts'

const nimbus = useNimbus()

for (const protocol of sqsProtocols) {
  describe(`FIFO queue creation over ${protocol}`, () => {
    it('creates a FIFO queue only for a .fifo name with FifoQueue=true', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const name = `${uniqueName('f')}.fifo`
      const { QueueUrl } = await sqs.call('CreateQueue', { QueueName: name, Attributes: { FifoQueue: 'true' } })
      assert.ok(QueueUrl.endsWith(`/${name}`))

      const noSuffix = await sqs.fail('CreateQueue', { QueueName: uniqueName('f'), Attributes: { FifoQueue: 'true' } })
      assert.equal(noSuffix.code, 'InvalidParameterValue')
      const noAttribute = await sqs.fail('CreateQueue', { QueueName: `${uniqueName('f')}.fifo` })
      assert.equal(noAttribute.code, 'InvalidParameterValue')
      assert.equal(noAttribute.message, 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length')
    })

    it('counts the .fifo suffix toward the 80-character limit', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const stem = `${protocol}-${'x'.repeat(70)}`.slice(0, 75)
      await sqs.call('CreateQueue', { QueueName: `${stem}.fifo`, Attributes: { FifoQueue: 'true' } })
      const tooLong = await sqs.fail('CreateQueue', { QueueName: `${stem}y.fifo`, Attributes: { FifoQueue: 'true' } })
      assert.equal(tooLong.code, 'InvalidParameterValue')
    })

    it('shows the FIFO attribute defaults in GetQueueAttributes(All)', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const queue = await fifoQueue(sqs)
      const { Attributes } = await sqs.call('GetQueueAttributes', { QueueUrl: queue.url, AttributeNames: ['All'] })
      assert.deepEqual(Object.keys(Attributes).sort(), [
        'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed', 'ApproximateNumberOfMessagesNotVisible',
        'ContentBasedDeduplication', 'CreatedTimestamp', 'DeduplicationScope', 'DelaySeconds', 'FifoQueue',
        'FifoThroughputLimit', 'LastModifiedTimestamp', 'MaximumMessageSize', 'MessageRetentionPeriod', 'QueueArn',
        'ReceiveMessageWaitTimeSeconds', 'SqsManagedSseEnabled', 'VisibilityTimeout',
      ])
      assert.equal(Attributes.FifoQueue, 'true')
      assert.equal(Attributes.ContentBasedDeduplication, 'false')
      assert.equal(Attributes.DeduplicationScope, 'queue')
      assert.equal(Attributes.FifoThroughputLimit, 'perQueue')
    })

    it('refuses to change the queue type', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const queue = await fifoQueue(sqs)
      const error = await sqs.fail('SetQueueAttributes', { QueueUrl: queue.url, Attributes: { FifoQueue: 'false' } })
      assert.equal(error.code, 'InvalidAttributeValue')
      assert.equal(error.message, 'Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.')
    })

    it('allows FifoThroughputLimit=perMessageGroupId only with DeduplicationScope=messageGroup', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const alone = await sqs.fail('CreateQueue', {
        QueueName: `${uniqueName('f')}.fifo`, Attributes: { FifoQueue: 'true', FifoThroughputLimit: 'perMessageGroupId' },
      })
      assert.equal(alone.code, 'InvalidAttributeValue')
      const withQueueScope = await sqs.fail('CreateQueue', {
        QueueName: `${uniqueName('f')}.fifo`,
        Attributes: { FifoQueue: 'true', FifoThroughputLimit: 'perMessageGroupId', DeduplicationScope: 'queue' },
      })
      assert.equal(withQueueScope.code, 'InvalidAttributeValue')

      const queue = await fifoQueue(sqs)
      const set = await sqs.fail('SetQueueAttributes', { QueueUrl: queue.url, Attributes: { FifoThroughputLimit: 'perMessageGroupId' } })
      assert.equal(set.code, 'InvalidAttributeValue')
      await sqs.call('SetQueueAttributes', {
        QueueUrl: queue.url, Attributes: { FifoThroughputLimit: 'perMessageGroupId', DeduplicationScope: 'messageGroup' },
      })
      const { Attributes } = await sqs.call('GetQueueAttributes', { QueueUrl: queue.url, AttributeNames: ['All'] })
      assert.equal(Attributes.FifoThroughputLimit, 'perMessageGroupId')
      assert.equal(Attributes.DeduplicationScope, 'messageGroup')
    })
  })

  describe(`FIFO sends over ${protocol}`, () => {
    it('requires MessageGroupId', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const queue = await fifoQueue(sqs)
      const error = await sqs.fail('SendMessage', { QueueUrl: queue.url, MessageBody: 'x', MessageDeduplicationId: 'd' })
      assert.equal(error.code, 'MissingParameter')
      assert.equal(error.message, 'The request must contain the parameter MessageGroupId.')
    })

    it('rejects group and deduplication ids outside 1-128 alphanumerics and punctuation', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const queue = await fifoQueue(sqs)
      for (const bad of ['has space', 'x'.repeat(129), 'tab\tchar']) {
        const group = await sqs.fail('SendMessage', { QueueUrl: queue.url, MessageBody: 'x', MessageGroupId: bad, MessageDeduplicationId: 'd' })
        assert.equal(group.code, 'InvalidParameterValue')
        assert.equal(group.message, `Value ${bad} for parameter MessageGroupId is invalid. ` +
          'Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.')
      }
      const dedup = await sqs.fail('SendMessage', { QueueUrl: queue.url, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'a b' })
      assert.equal(dedup.code, 'InvalidParameterValue')
      assert.equal(dedup.message, 'Value a b for parameter MessageDeduplicationId is invalid. ' +
        'Reason: MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.')
      // Punctuation is fine, up to 128 characters.
      await sqs.call('SendMessage', { QueueUrl: queue.url, MessageBody: 'x', MessageGroupId: '!#$%&()*+,-./:;<=>?@[]^_`{|}~',
        MessageDeduplicationId: 'd'.repeat(128) })
    })

    it('needs a deduplication id when ContentBasedDeduplication is off', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const queue = await fifoQueue(sqs)
      const error = await sqs.fail('SendMessage', { QueueUrl: queue.url, MessageBody: 'x', MessageGroupId: 'g' })
      assert.equal(error.code, 'InvalidParameterValue')
      assert.equal(error.message,
        'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly')
    })

    it('rejects a per-message DelaySeconds other than 0', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const queue = await fifoQueue(sqs)
      const error = await sqs.fail('SendMessage', {
        QueueUrl: queue.url, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd', DelaySeconds: 5,
      })
      assert.equal(error.code, 'InvalidParameterValue')
      assert.equal(error.message,
        'Value 5 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.')
      await sqs.call('SendMessage', { QueueUrl: queue.url, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd', DelaySeconds: 0 })
      assert.equal((await messageCounts(sqs, queue.url)).visible, 1)
    })

    it('returns strictly increasing numeric SequenceNumbers, also as a receive attribute', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const queue = await fifoQueue(sqs)
      const sequence: bigint[] = []
      for (let i = 0; i < 3; i++) {
        const sent = await sqs.call('SendMessage', { QueueUrl: queue.url, MessageBody: `m${i}`, MessageGroupId: 'g', MessageDeduplicationId: `d${i}` })
        assert.match(sent.SequenceNumber, /^\d+$/)
        sequence.push(BigInt(sent.SequenceNumber))
      }
      assert.ok(sequence[0]! < sequence[1]! && sequence[1]! < sequence[2]!)
      const received = await receiveAll(sqs, queue.url)
      assert.deepEqual(received.map((m) => BigInt(m.Attributes.SequenceNumber)), sequence)
      assert.deepEqual(received.map((m) => m.Attributes.MessageGroupId), ['g', 'g', 'g'])
    })
  })

  describe(`FIFO deduplication over ${protocol}`, () => {
    it('accepts a duplicate within 5 minutes with the original MessageId and enqueues nothing', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const queue = await fifoQueue(sqs)
      const first = await sqs.call('SendMessage', { QueueUrl: queue.url, MessageBody: 'one', MessageGroupId: 'g', MessageDeduplicationId: 'd' })
      const again = await sqs.call('SendMessage', { QueueUrl: queue.url, MessageBody: 'two', MessageGroupId: 'g', MessageDeduplicationId: 'd' })
      assert.equal(again.MessageId, first.MessageId)
      const received = await receiveAll(sqs, queue.url)
      assert.deepEqual(received.map((m) => m.Body), ['one'])
      assert.equal(received[0]!.Attributes.MessageDeduplicationId, 'd')

      // The id is still tracked after the message is deleted.
      await sqs.call('DeleteMessage', { QueueUrl: queue.url, ReceiptHandle: received[0]!.ReceiptHandle })
      await advance(nimbus.current, 4 * 60_000 + 59_000)
      const afterDelete = await sqs.call('SendMessage', { QueueUrl: queue.url, MessageBody: 'three', MessageGroupId: 'g', MessageDeduplicationId: 'd' })
      assert.equal(afterDelete.MessageId, first.MessageId)
      assert.deepEqual(await messageCounts(sqs, queue.url), { visible: 0, notVisible: 0, delayed: 0 })

      // Past the 5-minute window the same id is a new message.
      await advance(nimbus.current, 2_000)
      const fresh = await sqs.call('SendMessage', { QueueUrl: queue.url, MessageBody: 'four', MessageGroupId: 'g', MessageDeduplicationId: 'd' })
      assert.notEqual(fresh.MessageId, first.MessageId)
      assert.deepEqual((await receiveAll(sqs, queue.url)).map((m) => m.Body), ['four'])
    })

    it('deduplicates on the SHA-256 of the body only when ContentBasedDeduplication is on', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const queue = await fifoQueue(sqs, { ContentBasedDeduplication: 'true' })
      const first = await sqs.call('SendMessage', { QueueUrl: queue.url, MessageBody: 'same', MessageGroupId: 'g',
        MessageAttributes: { a: { DataType: 'String', StringValue: '1' } } })
      const sameBody = await sqs.call('SendMessage', { QueueUrl: queue.url, MessageBody: 'same', MessageGroupId: 'g',
        MessageAttributes: { a: { DataType: 'String', StringValue: '2' } } })
      assert.equal(sameBody.MessageId, first.MessageId)
      // An explicit id overrides the generated one.
      const explicit = await sqs.call('SendMessage', { QueueUrl: queue.url, MessageBody: 'same', MessageGroupId: 'g', MessageDeduplicationId: 'own' })
      assert.notEqual(explicit.MessageId, first.MessageId)
      const received = await receiveAll(sqs, queue.url)
      assert.deepEqual(received.map((m) => m.MessageId), [first.MessageId, explicit.MessageId])
      assert.equal(received[0]!.Attributes.MessageDeduplicationId, createHash('sha256').update('same').digest('hex'))
      assert.equal(received[0]!.MessageAttributes.a.StringValue, '1')
      assert.equal(received[1]!.Attributes.MessageDeduplicationId, 'own')
    })

    it('scopes deduplication ids to the queue by default and to the group with DeduplicationScope=messageGroup', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const send = (url: string, group: string) =>
        sqs.call('SendMessage', { QueueUrl: url, MessageBody: group, MessageGroupId: group, MessageDeduplicationId: 'same-id' })

      const perQueue = await fifoQueue(sqs)
      const a = await send(perQueue.url, 'g1')
      assert.equal((await send(perQueue.url, 'g2')).MessageId, a.MessageId)
      assert.equal((await messageCounts(sqs, perQueue.url)).visible, 1)

      const perGroup = await fifoQueue(sqs, { DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' })
      const g1 = await send(perGroup.url, 'g1')
      const g2 = await send(perGroup.url, 'g2')
      assert.notEqual(g1.MessageId, g2.MessageId)
      assert.equal((await send(perGroup.url, 'g1')).MessageId, g1.MessageId)
      assert.equal((await messageCounts(sqs, perGroup.url)).visible, 2)
    })
  })
}
