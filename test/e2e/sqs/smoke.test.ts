// The basic send → receive → delete loop over both wire protocols.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sqsClient, sqsProtocols } from '../../helpers/sqs-clients.ts'

const nimbus = useNimbus()

for (const protocol of sqsProtocols) {
  describe(`SQS basics over ${protocol}`, () => {
    it('sends, receives with attributes and deletes', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const { QueueUrl } = await sqs.call('CreateQueue', { QueueName: uniqueName() })
      const sent = await sqs.call('SendMessage', {
        QueueUrl, MessageBody: 'hello\r\n"world" & <friends>',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'greeting' }, raw: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2]) } },
      })
      assert.match(sent.MD5OfMessageAttributes, /^[0-9a-f]{32}$/)
      const { Messages } = await sqs.call('ReceiveMessage', { QueueUrl, MessageAttributeNames: ['All'], AttributeNames: ['All'] })
      assert.equal(Messages.length, 1)
      assert.equal(Messages[0].Body, 'hello\r\n"world" & <friends>')
      assert.equal(Messages[0].MessageId, sent.MessageId)
      assert.equal(Messages[0].MessageAttributes.kind.StringValue, 'greeting')
      assert.deepEqual([...Buffer.from(Messages[0].MessageAttributes.raw.BinaryValue)], [0, 1, 2])
      assert.equal(Messages[0].Attributes.ApproximateReceiveCount, '1')
      await sqs.call('DeleteMessage', { QueueUrl, ReceiptHandle: Messages[0].ReceiptHandle })
      const again = await sqs.call('ReceiveMessage', { QueueUrl })
      assert.equal(again.Messages, undefined)
    })

    it('names a missing queue with the legacy query code', async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const error = await sqs.fail('GetQueueUrl', { QueueName: uniqueName('missing') })
      assert.equal(error.code, 'AWS.SimpleQueueService.NonExistentQueue')
      assert.equal(error.status, 400)
    })
  })
}
