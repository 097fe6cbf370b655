// Publish and fan-out to SQS: filter policies, the notification envelope (key order, presence),
// raw delivery and MessageStructure=json (aws-behaviour.md §3.2, §3.4, §3.5, §3.7).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PublishBatchCommand, PublishCommand } from '@aws-sdk/client-sns'
import { useNimbus } from '../../helpers/nimbus.ts'
import { createTopic, snsClient, subscribeQueue } from '../../helpers/sns.ts'
import { sqsClient } from '../../helpers/sqs-clients.ts'
import { receiveAll, standardQueue } from '../../helpers/sqs-queues.ts'

const nimbus = useNimbus()
const sns = () => snsClient(nimbus.current)
const sqs = () => sqsClient(nimbus.current, 'json')
const bodies = async (url: string) => (await receiveAll(sqs(), url)).map((m) => JSON.parse(m.Body as string))

describe('SNS delivery to SQS', () => {
  it('fans out to three queues, each through its own filter policy', async () => {
    const topic = await createTopic(sns())
    const [all, red, bodyBig] = [await standardQueue(sqs()), await standardQueue(sqs()), await standardQueue(sqs())]
    await subscribeQueue(sns(), topic, all.arn)
    await subscribeQueue(sns(), topic, red.arn, { FilterPolicy: JSON.stringify({ color: ['red'], size: [{ numeric: ['>', 10] }] }) })
    await subscribeQueue(sns(), topic, bodyBig.arn, {
      FilterPolicyScope: 'MessageBody', FilterPolicy: JSON.stringify({ order: { total: [{ numeric: ['>=', 100] }] } }),
    })
    const publish = (message: object, color: string, size: string) => sns().send(new PublishCommand({
      TopicArn: topic, Message: JSON.stringify(message),
      MessageAttributes: { color: { DataType: 'String', StringValue: color }, size: { DataType: 'Number', StringValue: size } },
    }))
    await publish({ order: { total: 150 } }, 'red', '11')
    await publish({ order: { total: 5 } }, 'red', '3')
    await publish({ order: { total: 500 } }, 'blue', '50')

    const messages = (list: { Message: string }[]) => list.map((b) => JSON.parse(b.Message).order.total).sort((a, b) => a - b)
    assert.deepEqual(messages(await bodies(all.url)), [5, 150, 500])
    assert.deepEqual(messages(await bodies(red.url)), [150])
    assert.deepEqual(messages(await bodies(bodyBig.url)), [150, 500])
  })

  it('wraps the message in the envelope with AWS key order, Subject only when given', async () => {
    const topic = await createTopic(sns())
    const queue = await standardQueue(sqs())
    const sub = await subscribeQueue(sns(), topic, queue.arn)
    const { MessageId } = await sns().send(new PublishCommand({
      TopicArn: topic, Message: 'hello', Subject: 'greeting',
      MessageAttributes: { n: { DataType: 'Number', StringValue: '99' }, b: { DataType: 'Binary', BinaryValue: Buffer.from('bin') } },
    }))
    await sns().send(new PublishCommand({ TopicArn: topic, Message: 'plain' }))
    const received = await receiveAll(sqs(), queue.url)
    assert.equal(received.length, 2)
    const [withSubject, plain] = received.map((m) => JSON.parse(m.Body as string)).sort((a, b) => (a.Message < b.Message ? -1 : 1))
    assert.deepEqual(Object.keys(withSubject), ['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp',
      'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes'])
    assert.equal(withSubject.Type, 'Notification')
    assert.equal(withSubject.MessageId, MessageId)
    assert.equal(withSubject.TopicArn, topic)
    assert.equal(withSubject.Message, 'hello')
    assert.match(withSubject.Timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    assert.equal(withSubject.SignatureVersion, '1')
    assert.ok(withSubject.SigningCertURL.startsWith(`${nimbus.current.endpoint}/_nimbus/sns/SimpleNotificationService-`))
    assert.match(withSubject.SigningCertURL, /\/SimpleNotificationService-[0-9a-f]{32}\.pem$/)
    assert.equal(withSubject.UnsubscribeURL, `${nimbus.current.endpoint}/?Action=Unsubscribe&SubscriptionArn=${sub}`)
    assert.deepEqual(withSubject.MessageAttributes, {
      n: { Type: 'Number', Value: '99' }, b: { Type: 'Binary', Value: Buffer.from('bin').toString('base64') },
    })
    assert.deepEqual(Object.keys(plain), ['Type', 'MessageId', 'TopicArn', 'Message', 'Timestamp',
      'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL'])
    assert.equal(received[0]!.MessageAttributes, undefined, 'non-raw delivery carries no SQS message attributes')
    assert.match(received[0]!.Body as string, /^\{\n {2}"Type" : "Notification",\n/)
  })

  it('delivers the raw message with attributes as SQS message attributes', async () => {
    const topic = await createTopic(sns())
    const queue = await standardQueue(sqs())
    await subscribeQueue(sns(), topic, queue.arn, { RawMessageDelivery: 'true' })
    await sns().send(new PublishCommand({
      TopicArn: topic, Message: 'raw body',
      MessageAttributes: { colors: { DataType: 'String.Array', StringValue: '["red","blue"]' } },
    }))
    const [message] = await receiveAll(sqs(), queue.url)
    assert.equal(message!.Body, 'raw body')
    assert.deepEqual(message!.MessageAttributes, { colors: { DataType: 'String.Array', StringValue: '["red","blue"]' } })
  })

  it('picks the sqs entry of a MessageStructure=json message, else default', async () => {
    const topic = await createTopic(sns())
    const queue = await standardQueue(sqs())
    await subscribeQueue(sns(), topic, queue.arn, { RawMessageDelivery: 'true' })
    await sns().send(new PublishCommand({ TopicArn: topic, MessageStructure: 'json', Message: JSON.stringify({ default: 'd', sqs: 's' }) }))
    await sns().send(new PublishCommand({ TopicArn: topic, MessageStructure: 'json', Message: JSON.stringify({ default: 'only' }) }))
    assert.deepEqual((await receiveAll(sqs(), queue.url)).map((m) => m.Body).sort(), ['only', 's'])
  })

  it('publishes a batch, each entry fanned out, and reports per-entry failures', async () => {
    const topic = await createTopic(sns())
    const queue = await standardQueue(sqs())
    await subscribeQueue(sns(), topic, queue.arn, { RawMessageDelivery: 'true' })
    const out = await sns().send(new PublishBatchCommand({
      TopicArn: topic,
      PublishBatchRequestEntries: [{ Id: 'one', Message: 'm1' }, { Id: 'two', Message: '' }, { Id: 'three', Message: 'm3' }],
    }))
    assert.deepEqual(out.Successful!.map((s) => s.Id), ['one', 'three'])
    assert.deepEqual(out.Failed, [{ Id: 'two', Code: 'InvalidParameter', Message: 'Invalid parameter: Empty message', SenderFault: true }])
    assert.deepEqual((await receiveAll(sqs(), queue.url)).map((m) => m.Body).sort(), ['m1', 'm3'])
  })
})
