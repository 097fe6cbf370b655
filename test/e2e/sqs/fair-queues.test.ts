// Fair queues: a standard queue accepts MessageGroupId as a tenant tag only - stored and returned,
// no ordering guarantees, no group locking (aws-behaviour.md §0.2, §1.12), over both wire protocols.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { useNimbus } from '../../helpers/nimbus.ts'
import { sqsClient, sqsProtocols } from '../../helpers/sqs-clients.ts'
import { receiveAll, standardQueue } from '../../helpers/sqs-queues.ts'

const nimbus = useNimbus()

for (const protocol of sqsProtocols) {
  describe(`SQS fair queues over ${protocol}`, () => {
    it('accepts MessageGroupId on a standard queue and returns it as the MessageGroupId system attribute', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const queue = await standardQueue(sqs)
      const sent = await sqs.call('SendMessage', { QueueUrl: queue.url, MessageBody: 'tenant work', MessageGroupId: 'tenant-a' })
      assert.equal(sent.SequenceNumber, undefined)
      const [message] = await receiveAll(sqs, queue.url)
      assert.equal(message!.MessageId, sent.MessageId)
      assert.equal(message!.Attributes.MessageGroupId, 'tenant-a')
      assert.equal(message!.Attributes.SequenceNumber, undefined)
      assert.equal(message!.Attributes.MessageDeduplicationId, undefined)
      // Asked for by name, it is the only system attribute returned.
      await sqs.call('ChangeMessageVisibility', { QueueUrl: queue.url, ReceiptHandle: message!.ReceiptHandle, VisibilityTimeout: 0 })
      const { Messages } = await sqs.call('ReceiveMessage', { QueueUrl: queue.url, AttributeNames: ['MessageGroupId'] })
      assert.deepEqual(Messages[0].Attributes, { MessageGroupId: 'tenant-a' })
    })

    it('does not lock a group: messages of the same group are received in parallel', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const queue = await standardQueue(sqs)
      for (const body of ['one', 'two', 'three']) {
        await sqs.call('SendMessage', { QueueUrl: queue.url, MessageBody: body, MessageGroupId: 'tenant-a' })
      }
      const [first] = await receiveAll(sqs, queue.url, { MaxNumberOfMessages: 1 })
      assert.ok(first)
      const rest = await receiveAll(sqs, queue.url)
      assert.equal(rest.length, 2)
      assert.ok(rest.every((m) => m.Attributes.MessageGroupId === 'tenant-a'))
      assert.deepEqual(new Set([first.Body, ...rest.map((m) => m.Body)]), new Set(['one', 'two', 'three']))
    })

    it('carries MessageGroupId through SendMessageBatch, with or without it per entry', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const queue = await standardQueue(sqs)
      const result = await sqs.call('SendMessageBatch', { QueueUrl: queue.url, Entries: [
        { Id: 'a', MessageBody: 'for-a', MessageGroupId: 'tenant-a' },
        { Id: 'b', MessageBody: 'untagged' },
      ] })
      assert.equal(result.Successful.length, 2)
      assert.ok(result.Successful.every((e: { SequenceNumber?: string }) => e.SequenceNumber === undefined))
      const groups = new Map((await receiveAll(sqs, queue.url)).map((m) => [m.Body, m.Attributes.MessageGroupId]))
      assert.equal(groups.get('for-a'), 'tenant-a')
      assert.equal(groups.get('untagged'), undefined)
    })

    it('still rejects MessageDeduplicationId on a standard queue', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const queue = await standardQueue(sqs)
      const error = await sqs.fail('SendMessage', {
        QueueUrl: queue.url, MessageBody: 'x', MessageGroupId: 'tenant-a', MessageDeduplicationId: 'd1',
      })
      assert.equal(error.code, 'InvalidParameterValue')
      assert.equal(error.message,
        'Value d1 for parameter MessageDeduplicationId is invalid. Reason: The request includes a parameter that is not valid for this queue type.')
    })
  })
}
