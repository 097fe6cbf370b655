// Queue attributes of standard queues: defaults, selection, validation, removal and the approximate counts.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sqsClient, sqsProtocols, type SqsTestClient } from '../../helpers/sqs-clients.ts'

const nimbus = useNimbus()

async function newQueue(sqs: SqsTestClient, Attributes?: Record<string, string>): Promise<{ url: string; name: string }> {
  const name = uniqueName()
  const { QueueUrl } = await sqs.call('CreateQueue', { QueueName: name, ...(Attributes ? { Attributes } : {}) })
  return { url: QueueUrl as string, name }
}

async function attributes(sqs: SqsTestClient, url: string, names = ['All']): Promise<Record<string, string>> {
  return (await sqs.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: names })).Attributes
}

const outOfRange: [string, string][] = [
  ['DelaySeconds', '901'], ['DelaySeconds', '-1'], ['MaximumMessageSize', '1023'], ['MaximumMessageSize', '1048577'],
  ['MessageRetentionPeriod', '59'], ['MessageRetentionPeriod', '1209601'], ['ReceiveMessageWaitTimeSeconds', '21'],
  ['VisibilityTimeout', '43201'], ['VisibilityTimeout', 'thirty'], ['KmsDataKeyReusePeriodSeconds', '59'],
]

for (const protocol of sqsProtocols) {
  describe(`SQS queue attributes over ${protocol}`, () => {
    const sqs = () => sqsClient(nimbus.current, protocol)

    it('gives a new standard queue exactly AWS\'s attribute set and defaults', async () => {
      const { url, name } = await newQueue(sqs())
      const all = await attributes(sqs(), url)
      const nowSeconds = Math.floor(nimbus.current.clock.now() / 1000)
      assert.deepEqual(Object.keys(all).sort(), [
        'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed', 'ApproximateNumberOfMessagesNotVisible',
        'CreatedTimestamp', 'DelaySeconds', 'LastModifiedTimestamp', 'MaximumMessageSize', 'MessageRetentionPeriod',
        'QueueArn', 'ReceiveMessageWaitTimeSeconds', 'SqsManagedSseEnabled', 'VisibilityTimeout',
      ])
      assert.deepEqual({ ...all, CreatedTimestamp: undefined, LastModifiedTimestamp: undefined }, {
        ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesDelayed: '0', ApproximateNumberOfMessagesNotVisible: '0',
        CreatedTimestamp: undefined, DelaySeconds: '0', LastModifiedTimestamp: undefined, MaximumMessageSize: '1048576',
        MessageRetentionPeriod: '345600', QueueArn: `arn:aws:sqs:us-east-1:000000000000:${name}`,
        ReceiveMessageWaitTimeSeconds: '0', SqsManagedSseEnabled: 'true', VisibilityTimeout: '30',
      })
      // Epoch seconds, not milliseconds.
      assert.equal(all.CreatedTimestamp, String(nowSeconds))
      assert.equal(all.LastModifiedTimestamp, String(nowSeconds))
    })

    it('returns only the attributes asked for, leaving out known ones that are not set', async () => {
      const { url } = await newQueue(sqs(), { VisibilityTimeout: '60' })
      assert.deepEqual(await attributes(sqs(), url, ['VisibilityTimeout', 'DelaySeconds']), { VisibilityTimeout: '60', DelaySeconds: '0' })
      const none = await sqs().call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['Policy', 'RedrivePolicy'] })
      assert.equal(none.Attributes, undefined)
    })

    it('rejects an unknown attribute name, and FifoQueue on a standard queue', async () => {
      const { url } = await newQueue(sqs())
      assert.deepEqual(await sqs().fail('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['Colour'] }),
        { code: 'InvalidAttributeName', message: 'Unknown Attribute Colour.', status: 400 })
      assert.deepEqual(await sqs().fail('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['VisibilityTimeout', 'FifoQueue'] }),
        { code: 'InvalidAttributeName', message: 'Unknown Attribute FifoQueue.', status: 400 })
      assert.deepEqual(await sqs().fail('SetQueueAttributes', { QueueUrl: url, Attributes: { Colour: 'blue' } }),
        { code: 'InvalidAttributeName', message: 'Unknown Attribute Colour.', status: 400 })
    })

    it('sets every settable attribute and moves LastModifiedTimestamp', async () => {
      const { url } = await newQueue(sqs())
      const before = await attributes(sqs(), url)
      await advance(nimbus.current, 5_000)
      const values = {
        DelaySeconds: '900', MaximumMessageSize: '1024', MessageRetentionPeriod: '60', ReceiveMessageWaitTimeSeconds: '20',
        VisibilityTimeout: '43200', SqsManagedSseEnabled: 'false',
      }
      await sqs().call('SetQueueAttributes', { QueueUrl: url, Attributes: values })
      const after = await attributes(sqs(), url)
      for (const [name, value] of Object.entries(values)) assert.equal(after[name], value, name)
      assert.equal(after.CreatedTimestamp, before.CreatedTimestamp)
      assert.equal(Number(after.LastModifiedTimestamp), Number(before.LastModifiedTimestamp) + 5)
    })

    for (const [name, value] of outOfRange) {
      it(`rejects ${name}=${value} with InvalidAttributeValue, on set and on create`, async () => {
        const { url } = await newQueue(sqs())
        const expected = { code: 'InvalidAttributeValue', message: `Invalid value for the parameter ${name}.`, status: 400 }
        assert.deepEqual(await sqs().fail('SetQueueAttributes', { QueueUrl: url, Attributes: { [name]: value } }), expected)
        assert.deepEqual(await sqs().fail('CreateQueue', { QueueName: uniqueName(), Attributes: { [name]: value } }), expected)
      })
    }

    it('keeps a queue unchanged when one attribute of a set is invalid', async () => {
      const { url } = await newQueue(sqs())
      await sqs().fail('SetQueueAttributes', { QueueUrl: url, Attributes: { DelaySeconds: '5', VisibilityTimeout: '-1' } })
      assert.deepEqual(await attributes(sqs(), url, ['DelaySeconds', 'VisibilityTimeout']), { DelaySeconds: '0', VisibilityTimeout: '30' })
    })

    it('refuses FIFO-only attributes on a standard queue with AWS\'s wording', async () => {
      const { url } = await newQueue(sqs())
      const cases: [Record<string, string>, string][] = [
        [{ DeduplicationScope: 'queue' }, 'You can specify the DeduplicationScope only when FifoQueue is set to true.'],
        [{ FifoThroughputLimit: 'perQueue' }, 'You can specify the FifoThroughputLimit only when FifoQueue is set to true.'],
        [{ ContentBasedDeduplication: 'true' }, 'Unknown Attribute ContentBasedDeduplication.'],
        [{ FifoQueue: 'true' }, 'Unknown Attribute FifoQueue.'],
      ]
      for (const [attrs, message] of cases) {
        assert.deepEqual(await sqs().fail('SetQueueAttributes', { QueueUrl: url, Attributes: attrs }),
          { code: 'InvalidAttributeName', message, status: 400 }, JSON.stringify(attrs))
      }
      for (const [attrs, message] of cases.slice(0, 3)) {
        assert.deepEqual(await sqs().fail('CreateQueue', { QueueName: uniqueName(), Attributes: attrs }),
          { code: 'InvalidAttributeName', message, status: 400 }, JSON.stringify(attrs))
      }
      // FifoQueue may only ever be "true": "false" does not make a standard queue, it is an unknown attribute.
      assert.deepEqual(await sqs().fail('CreateQueue', { QueueName: uniqueName(), Attributes: { FifoQueue: 'false' } }),
        { code: 'InvalidAttributeName', message: 'Unknown Attribute FifoQueue.', status: 400 })
    })

    it('stores a Policy and removes it when set to the empty string', async () => {
      const { url, name } = await newQueue(sqs())
      const policy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: `arn:aws:sqs:us-east-1:000000000000:${name}` }],
      })
      await sqs().call('SetQueueAttributes', { QueueUrl: url, Attributes: { Policy: policy } })
      assert.deepEqual(JSON.parse((await attributes(sqs(), url, ['Policy'])).Policy!), JSON.parse(policy))
      await sqs().call('SetQueueAttributes', { QueueUrl: url, Attributes: { Policy: '' } })
      assert.equal('Policy' in (await attributes(sqs(), url)), false)
    })

    it('stores a RedrivePolicy and removes it when set to the empty string', async () => {
      const dlq = await newQueue(sqs())
      const dlqArn = (await attributes(sqs(), dlq.url, ['QueueArn'])).QueueArn
      const { url } = await newQueue(sqs())
      const policy = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 })
      await sqs().call('SetQueueAttributes', { QueueUrl: url, Attributes: { RedrivePolicy: policy } })
      assert.deepEqual(JSON.parse((await attributes(sqs(), url)).RedrivePolicy!), { deadLetterTargetArn: dlqArn, maxReceiveCount: 3 })
      await sqs().call('SetQueueAttributes', { QueueUrl: url, Attributes: { RedrivePolicy: '' } })
      assert.equal('RedrivePolicy' in (await attributes(sqs(), url)), false)
    })

    it('counts visible, in-flight and delayed messages as they move', async () => {
      const { url } = await newQueue(sqs())
      const counts = async () => {
        const a = await attributes(sqs(), url, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed'])
        return [a.ApproximateNumberOfMessages, a.ApproximateNumberOfMessagesNotVisible, a.ApproximateNumberOfMessagesDelayed].map(Number)
      }
      await sqs().call('SendMessage', { QueueUrl: url, MessageBody: 'one' })
      await sqs().call('SendMessage', { QueueUrl: url, MessageBody: 'two' })
      await sqs().call('SendMessage', { QueueUrl: url, MessageBody: 'later', DelaySeconds: 10 })
      assert.deepEqual(await counts(), [2, 0, 1])
      const { Messages } = await sqs().call('ReceiveMessage', { QueueUrl: url, VisibilityTimeout: 20 })
      assert.deepEqual(await counts(), [1, 1, 1])
      await advance(nimbus.current, 10_000)
      assert.deepEqual(await counts(), [2, 1, 0])
      await advance(nimbus.current, 10_000)
      assert.deepEqual(await counts(), [3, 0, 0])
      const again = await sqs().call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 })
      assert.equal(again.Messages.length, 3)
      assert.ok(again.Messages.some((m: { MessageId: string }) => m.MessageId === Messages[0].MessageId))
      for (const m of again.Messages) await sqs().call('DeleteMessage', { QueueUrl: url, ReceiptHandle: m.ReceiptHandle })
      assert.deepEqual(await counts(), [0, 0, 0])
    })
  })
}
