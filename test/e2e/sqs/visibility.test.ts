// Standard queues: visibility timeouts, ChangeMessageVisibility, receipt handles, DeleteMessage and retention.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sqsClient, sqsProtocols, type SqsTestClient } from '../../helpers/sqs-clients.ts'

const nimbus = useNimbus()

async function newQueue(sqs: SqsTestClient, Attributes?: Record<string, string>): Promise<string> {
  return (await sqs.call('CreateQueue', { QueueName: uniqueName(), ...(Attributes ? { Attributes } : {}) })).QueueUrl
}

interface Received { MessageId: string; ReceiptHandle: string; Body: string; Attributes?: Record<string, string> }

for (const protocol of sqsProtocols) {
  describe(`SQS visibility and receipt handles over ${protocol}`, () => {
    const sqs = () => sqsClient(nimbus.current, protocol)
    const later = (ms: number) => advance(nimbus.current, ms)
    /** One message sent and received; the queue URL and the receipt. */
    const inFlight = async (receive: Record<string, unknown> = {}, attributes?: Record<string, string>) => {
      const url = await newQueue(sqs(), attributes)
      await sqs().call('SendMessage', { QueueUrl: url, MessageBody: 'payload' })
      const { Messages } = await sqs().call('ReceiveMessage', { QueueUrl: url, AttributeNames: ['ApproximateReceiveCount'], ...receive })
      return { url, message: Messages[0] as Received }
    }
    const receive = async (url: string): Promise<Received | undefined> =>
      (await sqs().call('ReceiveMessage', { QueueUrl: url, AttributeNames: ['ApproximateReceiveCount'] })).Messages?.[0]

    it('hides a received message for the queue\'s 30 s, then delivers it again', async () => {
      const { url, message } = await inFlight()
      assert.equal(await receive(url), undefined)
      await later(29_999)
      assert.equal(await receive(url), undefined)
      await later(1)
      const again = await receive(url)
      assert.equal(again?.MessageId, message.MessageId)
      assert.equal(again?.Attributes?.ApproximateReceiveCount, '2')
    })

    it('uses the queue\'s VisibilityTimeout attribute, and a receive\'s own VisibilityTimeout over it', async () => {
      const { url } = await inFlight({}, { VisibilityTimeout: '5' })
      await later(4_999)
      assert.equal(await receive(url), undefined)
      await later(1)
      assert.ok(await receive(url))
      const other = await inFlight({ VisibilityTimeout: 2 })
      await later(2_000)
      assert.equal((await receive(other.url))?.MessageId, other.message.MessageId)
      const zero = await inFlight({ VisibilityTimeout: 0 })
      assert.equal((await receive(zero.url))?.MessageId, zero.message.MessageId)
    })

    it('counts a changed visibility timeout from the call, not from the receive', async () => {
      const { url, message } = await inFlight()
      await later(20_000)
      await sqs().call('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 15 })
      await later(14_999) // 34.999 s after the receive, past the original 30 s
      assert.equal(await receive(url), undefined)
      await later(1)
      assert.equal((await receive(url))?.MessageId, message.MessageId)
    })

    it('makes a message visible at once with VisibilityTimeout 0, and forgets the change on the next receive', async () => {
      const { url, message } = await inFlight()
      await sqs().call('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 })
      const again = await receive(url)
      assert.equal(again?.MessageId, message.MessageId)
      // This receive used the queue's 30 s again.
      await later(29_999)
      assert.equal(await receive(url), undefined)
      await later(1)
      assert.ok(await receive(url))
    })

    it('caps total invisibility at 12 hours from the receive', async () => {
      const { url, message } = await inFlight()
      await later(1_000_000)
      const change = (VisibilityTimeout: number) => ({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout })
      assert.deepEqual(await sqs().fail('ChangeMessageVisibility', change(42_201)), {
        code: 'InvalidParameterValue', status: 400,
        message: 'Value 42201 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]',
      })
      await sqs().call('ChangeMessageVisibility', change(42_200))
      const outOfRange = await sqs().fail('ChangeMessageVisibility', change(43_201))
      assert.equal(outOfRange.code, 'InvalidParameterValue')
    })

    it('deletes with the latest handle; the message is gone for good', async () => {
      const { url, message } = await inFlight({ VisibilityTimeout: 1 })
      await sqs().call('DeleteMessage', { QueueUrl: url, ReceiptHandle: message.ReceiptHandle })
      await later(1_000)
      assert.equal(await receive(url), undefined)
      // Deleting twice is fine.
      await sqs().call('DeleteMessage', { QueueUrl: url, ReceiptHandle: message.ReceiptHandle })
    })

    it('still deletes with a handle whose visibility timeout expired (standard queue)', async () => {
      const { url, message } = await inFlight({ VisibilityTimeout: 5 })
      await later(5_000)
      await sqs().call('DeleteMessage', { QueueUrl: url, ReceiptHandle: message.ReceiptHandle })
      assert.equal(await receive(url), undefined)
      const { Attributes } = await sqs().call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['All'] })
      assert.equal(Attributes.ApproximateNumberOfMessages, '0')
      assert.equal(Attributes.ApproximateNumberOfMessagesNotVisible, '0')
    })

    it('still changes visibility with a handle whose visibility timeout expired (standard queue)', async () => {
      const { url, message } = await inFlight({ VisibilityTimeout: 5 })
      await later(5_000)
      await sqs().call('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 10 })
      assert.equal(await receive(url), undefined)
      await later(10_000)
      assert.equal((await receive(url))?.MessageId, message.MessageId)
    })

    it('refuses to change the visibility of a deleted message with AWS\'s wording', async () => {
      const { url, message } = await inFlight()
      await sqs().call('DeleteMessage', { QueueUrl: url, ReceiptHandle: message.ReceiptHandle })
      assert.deepEqual(await sqs().fail('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 10 }), {
        code: 'InvalidParameterValue', status: 400,
        message: `Value ${message.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
      })
    })

    it('rejects a malformed receipt handle, and one from another queue, as ReceiptHandleIsInvalid', async () => {
      const { url, message } = await inFlight()
      const otherUrl = await newQueue(sqs())
      for (const [queueUrl, handle] of [[url, 'not-a-receipt-handle'], [otherUrl, message.ReceiptHandle]] as const) {
        // 404: the model's status for ReceiptHandleIsInvalid (botocore), on both protocols.
        const expected = { code: 'ReceiptHandleIsInvalid', status: 404, message: `The input receipt handle "${handle}" is not a valid receipt handle.` }
        assert.deepEqual(await sqs().fail('DeleteMessage', { QueueUrl: queueUrl, ReceiptHandle: handle }), expected)
        assert.deepEqual(await sqs().fail('ChangeMessageVisibility', { QueueUrl: queueUrl, ReceiptHandle: handle, VisibilityTimeout: 1 }), expected)
      }
      // The message itself was not touched.
      assert.equal(await receive(url), undefined)
    })

    it('does not let an older handle delete a message that is in flight under a newer receive', async () => {
      const { url, message } = await inFlight({ VisibilityTimeout: 1 })
      await later(1_000)
      const second = await receive(url)
      assert.equal(second?.MessageId, message.MessageId)
      // AWS: "succeeds but the message might not be deleted" – Nimbus keeps it while the newer receive holds it.
      await sqs().call('DeleteMessage', { QueueUrl: url, ReceiptHandle: message.ReceiptHandle })
      const { Attributes } = await sqs().call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] })
      assert.equal(Attributes.ApproximateNumberOfMessagesNotVisible, '1')
      await sqs().call('DeleteMessage', { QueueUrl: url, ReceiptHandle: second!.ReceiptHandle })
      await later(30_000)
      assert.equal(await receive(url), undefined)
    })

    it('drops messages older than MessageRetentionPeriod, received or not', async () => {
      const url = await newQueue(sqs(), { MessageRetentionPeriod: '60' })
      await sqs().call('SendMessage', { QueueUrl: url, MessageBody: 'old' })
      await sqs().call('ReceiveMessage', { QueueUrl: url, VisibilityTimeout: 10 })
      await sqs().call('SendMessage', { QueueUrl: url, MessageBody: 'never-received' })
      await later(59_999)
      const counts = async () => (await sqs().call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['All'] })).Attributes
      assert.equal((await counts()).ApproximateNumberOfMessages, '2')
      await later(1)
      assert.equal(await receive(url), undefined)
      assert.equal((await counts()).ApproximateNumberOfMessages, '0')
      assert.equal((await counts()).ApproximateNumberOfMessagesNotVisible, '0')
    })

    it('expires existing messages when MessageRetentionPeriod is lowered', async () => {
      const url = await newQueue(sqs())
      await sqs().call('SendMessage', { QueueUrl: url, MessageBody: 'aging' })
      await later(120_000)
      assert.ok(await receive(url))
      await sqs().call('SetQueueAttributes', { QueueUrl: url, Attributes: { MessageRetentionPeriod: '60' } })
      await later(30_000)
      assert.equal(await receive(url), undefined)
    })
  })
}
