// ReceiveMessage on standard queues: parameter ranges, attribute selection and digests, system attributes.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sqsClient, sqsProtocols, type SqsTestClient } from '../../helpers/sqs-clients.ts'
import { attributesMd5, md5 } from '../../helpers/sqs-md5.ts'

const nimbus = useNimbus()

async function newQueue(sqs: SqsTestClient): Promise<string> {
  return (await sqs.call('CreateQueue', { QueueName: uniqueName() })).QueueUrl
}

const str = (StringValue: string) => ({ DataType: 'String', StringValue })
const attributes = { 'a.one': str('1'), 'a.two': str('2'), b: str('3'), abc: str('4') }

for (const protocol of sqsProtocols) {
  describe(`SQS ReceiveMessage over ${protocol}`, () => {
    const sqs = () => sqsClient(nimbus.current, protocol)
    /** Sends one message with `attributes`, receives it with `input`, and makes it visible again. */
    const receiveWith = async (url: string, input: Record<string, unknown>) => {
      const { Messages } = await sqs().call('ReceiveMessage', { QueueUrl: url, ...input })
      assert.equal(Messages.length, 1)
      await sqs().call('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: Messages[0].ReceiptHandle, VisibilityTimeout: 0 })
      return Messages[0]
    }

    it('rejects MaxNumberOfMessages outside 1-10 with AWS\'s wording', async () => {
      const url = await newQueue(sqs())
      for (const n of [0, 11]) {
        assert.deepEqual(await sqs().fail('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: n }), {
          code: 'InvalidParameterValue', status: 400,
          message: `Value ${n} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`,
        })
      }
    })

    it('rejects WaitTimeSeconds outside 0-20 with AWS\'s wording', async () => {
      const url = await newQueue(sqs())
      for (const n of [21, -1]) {
        assert.deepEqual(await sqs().fail('ReceiveMessage', { QueueUrl: url, WaitTimeSeconds: n }), {
          code: 'InvalidParameterValue', status: 400,
          message: `Value ${n} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.`,
        })
      }
    })

    it('returns no Messages key from an empty queue, one message by default, up to MaxNumberOfMessages', async () => {
      const url = await newQueue(sqs())
      const empty = await sqs().call('ReceiveMessage', { QueueUrl: url })
      assert.equal(empty.Messages, undefined)
      if (protocol === 'json') assert.deepEqual(empty, {})
      for (let i = 0; i < 12; i++) await sqs().call('SendMessage', { QueueUrl: url, MessageBody: `m${i}` })
      assert.equal((await sqs().call('ReceiveMessage', { QueueUrl: url })).Messages.length, 1)
      assert.equal((await sqs().call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 })).Messages.length, 10)
      assert.equal((await sqs().call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 })).Messages.length, 1)
    })

    it('returns the body, its MD5 and a receipt handle, and no attribute maps unless asked', async () => {
      const url = await newQueue(sqs())
      const sent = await sqs().call('SendMessage', { QueueUrl: url, MessageBody: 'body', MessageAttributes: attributes })
      const message = await receiveWith(url, {})
      assert.equal(message.MessageId, sent.MessageId)
      assert.equal(message.Body, 'body')
      assert.equal(message.MD5OfBody, md5('body'))
      assert.equal(typeof message.ReceiptHandle, 'string')
      assert.equal(message.Attributes, undefined)
      assert.equal(message.MessageAttributes, undefined)
      assert.equal(message.MD5OfMessageAttributes, undefined)
    })

    it('selects message attributes by name, All, .* and prefix.*, digesting only those returned', async () => {
      const url = await newQueue(sqs())
      await sqs().call('SendMessage', { QueueUrl: url, MessageBody: 'attrs', MessageAttributes: attributes })
      const cases: [string[], string[]][] = [
        [['All'], ['a.one', 'a.two', 'abc', 'b']],
        [['.*'], ['a.one', 'a.two', 'abc', 'b']],
        [['a.*'], ['a.one', 'a.two']],
        [['b'], ['b']],
        [['b', 'abc', 'missing'], ['abc', 'b']],
      ]
      for (const [wanted, names] of cases) {
        const message = await receiveWith(url, { MessageAttributeNames: wanted })
        assert.deepEqual(Object.keys(message.MessageAttributes).sort(), names, wanted.join(','))
        const returned = Object.fromEntries(names.map((n) => [n, attributes[n as keyof typeof attributes]]))
        assert.equal(message.MD5OfMessageAttributes, attributesMd5(returned), wanted.join(','))
      }
      const none = await receiveWith(url, { MessageAttributeNames: ['missing'] })
      assert.equal(none.MessageAttributes, undefined)
      assert.equal(none.MD5OfMessageAttributes, undefined)
    })

    it('returns the system attributes asked for through AttributeNames, All included', async () => {
      const url = await newQueue(sqs())
      await sqs().call('SendMessage', { QueueUrl: url, MessageBody: 'sys' })
      const one = await receiveWith(url, { AttributeNames: ['SentTimestamp'] })
      assert.deepEqual(Object.keys(one.Attributes), ['SentTimestamp'])
      const two = await receiveWith(url, { AttributeNames: ['ApproximateReceiveCount', 'SenderId'] })
      assert.deepEqual(Object.keys(two.Attributes).sort(), ['ApproximateReceiveCount', 'SenderId'])
      const all = await receiveWith(url, { AttributeNames: ['All'] })
      for (const name of ['ApproximateFirstReceiveTimestamp', 'ApproximateReceiveCount', 'SenderId', 'SentTimestamp']) {
        assert.equal(typeof all.Attributes[name], 'string', name)
      }
      // FIFO-only attributes do not appear for a standard message.
      for (const name of ['MessageDeduplicationId', 'MessageGroupId', 'SequenceNumber']) assert.equal(all.Attributes[name], undefined)
    })

    if (protocol === 'json') {
      it('honours MessageSystemAttributeNames, alone or together with AttributeNames', async () => {
        const url = await newQueue(sqs())
        await sqs().call('SendMessage', { QueueUrl: url, MessageBody: 'sys' })
        const one = await receiveWith(url, { MessageSystemAttributeNames: ['ApproximateReceiveCount'] })
        assert.deepEqual(one.Attributes, { ApproximateReceiveCount: '1' })
        const both = await receiveWith(url, { MessageSystemAttributeNames: ['ApproximateReceiveCount'], AttributeNames: ['SentTimestamp'] })
        assert.deepEqual(Object.keys(both.Attributes).sort(), ['ApproximateReceiveCount', 'SentTimestamp'])
        const all = await receiveWith(url, { MessageSystemAttributeNames: ['All'] })
        assert.equal(all.Attributes.ApproximateReceiveCount, '3')
        assert.equal(typeof all.Attributes.SentTimestamp, 'string')
      })
    }

    it('stamps SentTimestamp, ApproximateFirstReceiveTimestamp (epoch ms) and counts receives', async () => {
      const url = await newQueue(sqs())
      const sentAt = nimbus.current.clock.now()
      await sqs().call('SendMessage', { QueueUrl: url, MessageBody: 'stamped' })
      await advance(nimbus.current, 1_500)
      const receivedAt = nimbus.current.clock.now()
      const names = { AttributeNames: ['SentTimestamp', 'ApproximateFirstReceiveTimestamp', 'ApproximateReceiveCount', 'SenderId'] }
      const first = (await sqs().call('ReceiveMessage', { QueueUrl: url, VisibilityTimeout: 1, ...names })).Messages[0]
      assert.deepEqual(first.Attributes, {
        SentTimestamp: String(sentAt), ApproximateFirstReceiveTimestamp: String(receivedAt),
        ApproximateReceiveCount: '1', SenderId: first.Attributes.SenderId,
      })
      assert.ok(first.Attributes.SenderId.length > 0)
      await advance(nimbus.current, 1_000)
      const second = (await sqs().call('ReceiveMessage', { QueueUrl: url, ...names })).Messages[0]
      assert.equal(second.MessageId, first.MessageId)
      assert.notEqual(second.ReceiptHandle, first.ReceiptHandle)
      assert.equal(second.Attributes.ApproximateReceiveCount, '2')
      assert.equal(second.Attributes.ApproximateFirstReceiveTimestamp, String(receivedAt))
      assert.equal(second.Attributes.SentTimestamp, String(sentAt))
    })

    it('hands out each visible message once until its visibility timeout ends', async () => {
      const url = await newQueue(sqs())
      for (const body of ['first', 'second', 'third']) await sqs().call('SendMessage', { QueueUrl: url, MessageBody: body })
      const { Messages } = await sqs().call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 })
      assert.deepEqual(Messages.map((m: { Body: string }) => m.Body).sort(), ['first', 'second', 'third'])
      assert.equal(new Set(Messages.map((m: { MessageId: string }) => m.MessageId)).size, 3)
      assert.equal((await sqs().call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 })).Messages, undefined)
    })
  })
}
