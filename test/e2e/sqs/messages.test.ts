// SendMessage on standard queues: digests, body and attribute validation, size limits and delays.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sqsClient, sqsProtocols, type SqsTestClient } from '../../helpers/sqs-clients.ts'
import { attributesMd5, md5 } from '../../helpers/sqs-md5.ts'

const nimbus = useNimbus()

async function newQueue(sqs: SqsTestClient, Attributes?: Record<string, string>): Promise<string> {
  return (await sqs.call('CreateQueue', { QueueName: uniqueName(), ...(Attributes ? { Attributes } : {}) })).QueueUrl
}

const tooLong = (max: number) => `One or more parameters are invalid. Reason: Message must be shorter than ${max} bytes.`
const str = (StringValue: string, DataType = 'String') => ({ DataType, StringValue })

for (const protocol of sqsProtocols) {
  describe(`SQS SendMessage over ${protocol}`, () => {
    const sqs = () => sqsClient(nimbus.current, protocol)
    const send = async (QueueUrl: string, input: Record<string, unknown>) => sqs().call('SendMessage', { QueueUrl, ...input })
    const receiveAll = async (QueueUrl: string) => sqs().call('ReceiveMessage', {
      QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'],
    })

    it('answers the MD5 of the body and no attribute digest or sequence number without attributes', async () => {
      const url = await newQueue(sqs())
      const body = 'héllo wörld ✓ 🚀'
      const sent = await send(url, { MessageBody: body })
      assert.equal(sent.MD5OfMessageBody, md5(body))
      assert.match(sent.MessageId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      assert.equal(sent.MD5OfMessageAttributes, undefined)
      assert.equal(sent.MD5OfMessageSystemAttributes, undefined)
      assert.equal(sent.SequenceNumber, undefined)
    })

    it('digests message attributes as the reference vectors say', async () => {
      const url = await newQueue(sqs())
      const a = await send(url, { MessageBody: 'x', MessageAttributes: { attribName1: str('attribValue 1') } })
      assert.equal(a.MD5OfMessageAttributes, '19e27d4e946b072f3f58da80d94fd778')
      const b = await send(url, {
        MessageBody: 'x', MessageAttributes: { binaryAttribute: { DataType: 'Binary', BinaryValue: Buffer.from('Hello binary world!') } },
      })
      assert.equal(b.MD5OfMessageAttributes, '31a92b15d92f8db860eda32aceb656c3')
      const mixed = {
        zeta: str('3.14', 'Number.float'), alpha: str('{"a":1}', 'String.json'), 'mid.dle': str('-12', 'Number'),
        blob: { DataType: 'Binary.gif', BinaryValue: Buffer.from([0, 255, 1, 254]) },
      }
      const c = await send(url, { MessageBody: 'x', MessageAttributes: mixed })
      assert.equal(c.MD5OfMessageAttributes, attributesMd5(mixed))
      const { Messages } = await receiveAll(url)
      const received = Messages.find((m: { MessageId: string }) => m.MessageId === c.MessageId)
      assert.equal(received.MD5OfMessageAttributes, attributesMd5(mixed))
      assert.equal(received.MessageAttributes['zeta'].DataType, 'Number.float')
      assert.deepEqual([...Buffer.from(received.MessageAttributes['blob'].BinaryValue)], [0, 255, 1, 254])
    })

    it('digests the AWSTraceHeader system attribute and returns it on receive', async () => {
      const url = await newQueue(sqs())
      const trace = { AWSTraceHeader: str('Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1') }
      const sent = await send(url, { MessageBody: 'traced', MessageSystemAttributes: trace })
      assert.equal(sent.MD5OfMessageSystemAttributes, attributesMd5(trace))
      const { Messages } = await sqs().call('ReceiveMessage', { QueueUrl: url, AttributeNames: ['AWSTraceHeader'] })
      assert.deepEqual(Messages[0].Attributes, { AWSTraceHeader: trace.AWSTraceHeader.StringValue })
    })

    it('rejects an empty body with MissingParameter', async () => {
      const url = await newQueue(sqs())
      assert.deepEqual(await sqs().fail('SendMessage', { QueueUrl: url, MessageBody: '' }),
        { code: 'MissingParameter', message: 'The request must contain the parameter MessageBody.', status: 400 })
    })

    for (const [label, body] of [['NUL', 'a\u0000b'], ['a control character', 'bell\u0007'], ['U+FFFE', 'x\uFFFE']]) {
      it(`rejects a body with ${label} as InvalidMessageContents`, async () => {
        const url = await newQueue(sqs())
        const error = await sqs().fail('SendMessage', { QueueUrl: url, MessageBody: body })
        assert.equal(error.code, 'InvalidMessageContents')
        assert.equal(error.status, 400)
      })
    }

    it('accepts tab, newlines and the edges of the allowed ranges', async () => {
      const url = await newQueue(sqs())
      const body = '\t\n\r \uD7FF\uE000\uFFFD\u{10000}\u{10FFFF}'
      await send(url, { MessageBody: body })
      const { Messages } = await receiveAll(url)
      assert.equal(Messages[0].Body, body)
    })

    it('counts the body and every attribute name, type and value against 1 MiB', async () => {
      const url = await newQueue(sqs())
      // name "a" (1) + type "String" (6) + value (13) = 20 bytes of attribute.
      const attribute = { a: str('v'.repeat(13)) }
      const fits = 'x'.repeat(1_048_576 - 20)
      await send(url, { MessageBody: fits, MessageAttributes: attribute })
      assert.deepEqual(await sqs().fail('SendMessage', { QueueUrl: url, MessageBody: `${fits}x`, MessageAttributes: attribute }),
        { code: 'InvalidParameterValue', message: tooLong(1_048_576), status: 400 })
      // Multi-byte characters count as their UTF-8 bytes.
      assert.deepEqual(await sqs().fail('SendMessage', { QueueUrl: url, MessageBody: 'é'.repeat(524_289) }),
        { code: 'InvalidParameterValue', message: tooLong(1_048_576), status: 400 })
    })

    it('applies a lowered MaximumMessageSize', async () => {
      const url = await newQueue(sqs(), { MaximumMessageSize: '1024' })
      await send(url, { MessageBody: 'x'.repeat(1024) })
      assert.deepEqual(await sqs().fail('SendMessage', { QueueUrl: url, MessageBody: 'x'.repeat(1025) }),
        { code: 'InvalidParameterValue', message: tooLong(1024), status: 400 })
      const error = await sqs().fail('SendMessage', { QueueUrl: url, MessageBody: 'x'.repeat(1000), MessageAttributes: { n: str('y'.repeat(20)) } })
      assert.equal(error.message, tooLong(1024))
    })

    it('allows 10 message attributes and rejects 11', async () => {
      const url = await newQueue(sqs())
      const attributes = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`attr${i}`, str(`v${i}`)]))
      await send(url, { MessageBody: 'ten', MessageAttributes: attributes(10) })
      const error = await sqs().fail('SendMessage', { QueueUrl: url, MessageBody: 'eleven', MessageAttributes: attributes(11) })
      assert.equal(error.code, 'InvalidParameterValue')
      assert.equal(error.status, 400)
      assert.match(error.message, /\[11\].*\[10\]/)
    })

    it('rejects reserved and malformed attribute names', async () => {
      const url = await newQueue(sqs())
      for (const name of ['AWS.trace', 'aws.x', 'Amazon.thing', 'AMAZON.y', '.lead', 'trail.', 'two..dots', 'sp ace']) {
        const error = await sqs().fail('SendMessage', { QueueUrl: url, MessageBody: 'x', MessageAttributes: { [name]: str('v') } })
        assert.equal(error.code, 'InvalidParameterValue', name)
        assert.match(error.message, new RegExp(`'${name.replace(/\./g, '\\.')}'`), name)
      }
    })

    it('rejects an empty StringValue with AWS\'s wording', async () => {
      const url = await newQueue(sqs())
      assert.deepEqual(await sqs().fail('SendMessage', { QueueUrl: url, MessageBody: 'x', MessageAttributes: { colour: str('') } }), {
        code: 'InvalidParameterValue', status: 400,
        message: 'Message (user) attribute \'colour\' must contain a non-empty value of type \'String\'.',
      })
    })

    it('rejects a Number that is not a number and an unknown data type', async () => {
      const url = await newQueue(sqs())
      for (const attribute of [str('twelve', 'Number'), str('1e200', 'Number'), str('v', 'Integer'), str('v', 'Stringy')]) {
        const error = await sqs().fail('SendMessage', { QueueUrl: url, MessageBody: 'x', MessageAttributes: { a: attribute } })
        assert.equal(error.code, 'InvalidParameterValue', JSON.stringify(attribute))
        assert.equal(error.status, 400)
      }
      await send(url, { MessageBody: 'x', MessageAttributes: { a: str('-1.5e10', 'Number'), b: str('007', 'Number.int') } })
    })

    it('delays a message by its own DelaySeconds', async () => {
      const url = await newQueue(sqs())
      await send(url, { MessageBody: 'later', DelaySeconds: 5 })
      assert.equal((await receiveAll(url)).Messages, undefined)
      await advance(nimbus.current, 4_999)
      assert.equal((await receiveAll(url)).Messages, undefined)
      await advance(nimbus.current, 1)
      assert.equal((await receiveAll(url)).Messages[0].Body, 'later')
    })

    it('delays by the queue\'s DelaySeconds unless the message says otherwise', async () => {
      const url = await newQueue(sqs(), { DelaySeconds: '10' })
      await send(url, { MessageBody: 'queue-delay' })
      await send(url, { MessageBody: 'no-delay', DelaySeconds: 0 })
      assert.deepEqual((await receiveAll(url)).Messages.map((m: { Body: string }) => m.Body), ['no-delay'])
      await advance(nimbus.current, 10_000)
      assert.deepEqual((await receiveAll(url)).Messages.map((m: { Body: string }) => m.Body), ['queue-delay'])
    })

    it('rejects DelaySeconds above 900', async () => {
      const url = await newQueue(sqs())
      const error = await sqs().fail('SendMessage', { QueueUrl: url, MessageBody: 'x', DelaySeconds: 901 })
      assert.equal(error.code, 'InvalidParameterValue')
      assert.match(error.message, /^Value 901 for parameter DelaySeconds is invalid\./)
      await send(url, { MessageBody: 'x', DelaySeconds: 900 })
    })

    it('rejects a MessageDeduplicationId on a standard queue', async () => {
      const url = await newQueue(sqs())
      assert.deepEqual(await sqs().fail('SendMessage', { QueueUrl: url, MessageBody: 'x', MessageDeduplicationId: 'd1' }), {
        code: 'InvalidParameterValue', status: 400,
        message: 'Value d1 for parameter MessageDeduplicationId is invalid. Reason: The request includes a parameter that is not valid for this queue type.',
      })
    })
  })
}
