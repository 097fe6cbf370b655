// PurgeQueue on standard queues: removes visible, in-flight and delayed messages; once per 60 s per queue.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sqsClient, sqsProtocols } from '../../helpers/sqs-clients.ts'

const nimbus = useNimbus()

for (const protocol of sqsProtocols) {
  describe(`SQS PurgeQueue over ${protocol}`, () => {
    const sqs = () => sqsClient(nimbus.current, protocol)
    const counts = async (url: string) => {
      const { Attributes: a } = await sqs().call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['All'] })
      return [a.ApproximateNumberOfMessages, a.ApproximateNumberOfMessagesNotVisible, a.ApproximateNumberOfMessagesDelayed].map(Number)
    }

    it('removes visible, in-flight and delayed messages, and keeps what is sent afterwards', async () => {
      const name = uniqueName()
      const { QueueUrl: url } = await sqs().call('CreateQueue', { QueueName: name })
      for (const body of ['a', 'b', 'c']) await sqs().call('SendMessage', { QueueUrl: url, MessageBody: body })
      await sqs().call('SendMessage', { QueueUrl: url, MessageBody: 'delayed', DelaySeconds: 60 })
      const { Messages } = await sqs().call('ReceiveMessage', { QueueUrl: url })
      assert.deepEqual(await counts(url), [2, 1, 1])
      assert.deepEqual(await sqs().call('PurgeQueue', { QueueUrl: url }), {})
      assert.deepEqual(await counts(url), [0, 0, 0])
      // The in-flight and delayed messages do not come back once their time is up.
      await advance(nimbus.current, 60_000)
      assert.equal((await sqs().call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 })).Messages, undefined)
      // Deleting a purged message with its old handle is harmless.
      await sqs().call('DeleteMessage', { QueueUrl: url, ReceiptHandle: Messages[0].ReceiptHandle })
      await sqs().call('SendMessage', { QueueUrl: url, MessageBody: 'after' })
      assert.equal((await sqs().call('ReceiveMessage', { QueueUrl: url })).Messages[0].Body, 'after')
    })

    it('allows one purge per queue every 60 seconds', async () => {
      const name = uniqueName()
      const { QueueUrl: url } = await sqs().call('CreateQueue', { QueueName: name })
      const { QueueUrl: other } = await sqs().call('CreateQueue', { QueueName: uniqueName() })
      await sqs().call('PurgeQueue', { QueueUrl: url })
      await advance(nimbus.current, 59_999)
      // 403 is the model's status for PurgeQueueInProgress; Nimbus gives it on both protocols.
      assert.deepEqual(await sqs().fail('PurgeQueue', { QueueUrl: url }), {
        code: 'AWS.SimpleQueueService.PurgeQueueInProgress', status: 403,
        message: `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`,
      })
      // The limit is per queue.
      await sqs().call('PurgeQueue', { QueueUrl: other })
      await advance(nimbus.current, 1)
      await sqs().call('PurgeQueue', { QueueUrl: url })
    })

    it('names a missing queue NonExistentQueue', async () => {
      const error = await sqs().fail('PurgeQueue', { QueueUrl: `${nimbus.current.endpoint}/000000000000/${uniqueName('gone')}` })
      assert.equal(error.code, 'AWS.SimpleQueueService.NonExistentQueue')
      assert.equal(error.status, 400)
    })
  })
}
