// Email, email-json and SMS: nothing leaves the machine; what SNS "sent" is readable at
// GET /_nimbus/sns/messages, confirmation emails included, so a test can follow the link.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GetSubscriptionAttributesCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns'
import { useNimbus } from '../../helpers/nimbus.ts'
import { createTopic, snsClient, snsError } from '../../helpers/sns.ts'

const nimbus = useNimbus()
const sns = () => snsClient(nimbus.current)

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function messages(query: Record<string, string>): Promise<any[]> {
  const answer = await fetch(`${nimbus.current.endpoint}/_nimbus/sns/messages?${new URLSearchParams(query).toString()}`)
  assert.equal(answer.status, 200)
  return ((await answer.json()) as { messages: unknown[] }).messages
}

async function subscribe(topic: string, protocol: string, endpoint: string): Promise<string> {
  const { SubscriptionArn } = await sns().send(new SubscribeCommand({ TopicArn: topic, Protocol: protocol, Endpoint: endpoint, ReturnSubscriptionArn: true }))
  return SubscriptionArn!
}

describe('SNS email, email-json and SMS (recorded, never sent)', () => {
  it('records the confirmation email; following its SubscribeURL confirms; notifications follow', async () => {
    const topic = await createTopic(sns(), { DisplayName: 'Alerts' })
    const arn = await subscribe(topic, 'email', 'dev@example.com')
    const [confirmation] = await messages({ endpoint: 'dev@example.com', type: 'SubscriptionConfirmation' })
    assert.equal(confirmation.topicArn, topic)
    assert.equal(confirmation.subject, 'AWS Notification - Subscription Confirmation')
    assert.ok(confirmation.message.includes(confirmation.subscribeUrl), 'the email text carries the link')
    await sns().send(new PublishCommand({ TopicArn: topic, Message: 'before confirming' }))
    assert.equal((await fetch(confirmation.subscribeUrl)).status, 200)
    const attributes = (await sns().send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }))).Attributes!
    assert.equal(attributes.PendingConfirmation, 'false')

    await sns().send(new PublishCommand({ TopicArn: topic, Message: 'disk full' }))
    await sns().send(new PublishCommand({ TopicArn: topic, Message: 'disk fine', Subject: 'Recovered' }))
    const notes = await messages({ endpoint: 'dev@example.com', type: 'Notification' })
    assert.deepEqual(notes.map((n) => [n.subject, n.message]), [['Alerts', 'disk full'], ['Recovered', 'disk fine']])
    assert.equal(notes[0].subscriptionArn, arn)
  })

  it('gives email-json the JSON envelope and SMS the text, at once for SMS', async () => {
    const topic = await createTopic(sns())
    const jsonArn = await subscribe(topic, 'email-json', 'ops@example.com')
    const [confirmation] = await messages({ endpoint: 'ops@example.com' })
    assert.equal(JSON.parse(confirmation.message).Type, 'SubscriptionConfirmation')
    await fetch(confirmation.subscribeUrl)
    await subscribe(topic, 'sms', '+15555550100')
    await sns().send(new PublishCommand({ TopicArn: topic, Message: 'ping' }))
    const [json] = await messages({ subscriptionArn: jsonArn })
    const envelope = JSON.parse(json.message)
    assert.equal(envelope.Type, 'Notification')
    assert.equal(envelope.Message, 'ping')
    const [sms] = await messages({ protocol: 'sms', topicArn: topic })
    assert.equal(sms.endpoint, '+15555550100')
    assert.equal(sms.message, 'ping')
    assert.equal(sms.subject, undefined)
  })

  it('records a text published straight to a phone number, and refuses a malformed number', async () => {
    const { MessageId } = await sns().send(new PublishCommand({ PhoneNumber: '+15555550199', Message: 'your code is 1234' }))
    const [sms] = await messages({ endpoint: '+15555550199' })
    assert.equal(sms.messageId, MessageId)
    assert.equal(sms.message, 'your code is 1234')
    const bad = await snsError(sns().send(new PublishCommand({ PhoneNumber: '555-0199', Message: 'x' })))
    assert.equal(bad.code, 'InvalidParameter')
    assert.equal(bad.message, 'Invalid parameter: PhoneNumber Reason: 555-0199 is not valid to publish to')
  })

  it('clears on DELETE and on reset', async () => {
    const topic = await createTopic(sns())
    await subscribe(topic, 'sms', '+15555550101')
    await sns().send(new PublishCommand({ TopicArn: topic, Message: 'one' }))
    assert.equal((await messages({ topicArn: topic })).length, 1)
    assert.equal((await fetch(`${nimbus.current.endpoint}/_nimbus/sns/messages`, { method: 'DELETE', headers: { 'content-type': 'application/json' } })).status, 200)
    assert.deepEqual(await messages({}), [])
    assert.equal((await fetch(`${nimbus.current.endpoint}/_nimbus/sns/messages`, { method: 'PUT', headers: { 'content-type': 'application/json' } })).status, 405)
  })
})
