// HTTP/S subscriptions: the confirmation flow, notifications with AWS's headers, the delivery
// policy's retries on the clock, timeouts, DLQs, and unsubscribing (aws-behaviour.md §3.3–3.9).
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import {
  ConfirmSubscriptionCommand, GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand, PublishCommand,
  SetSubscriptionAttributesCommand, SubscribeCommand, UnsubscribeCommand,
} from '@aws-sdk/client-sns'
import { httpDeliveriesSettled, httpQuiet, startEndpoint, type TestEndpoint } from '../../helpers/http-endpoint.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { createTopic, snsClient, snsError } from '../../helpers/sns.ts'
import { sqsClient } from '../../helpers/sqs-clients.ts'
import { receiveAll, standardQueue } from '../../helpers/sqs-queues.ts'

const nimbus = useNimbus()
const sns = () => snsClient(nimbus.current)
const sqs = () => sqsClient(nimbus.current, 'json')
const endpoints: TestEndpoint[] = []
after(async () => Promise.all(endpoints.map((e) => e.close())))

async function endpoint(): Promise<TestEndpoint> {
  const e = await startEndpoint()
  endpoints.push(e)
  return e
}

/** Subscribes `e`, confirms through the SubscribeURL it was sent; returns the subscription ARN. */
async function confirmedSubscription(topic: string, e: TestEndpoint, attributes: Record<string, string> = {}): Promise<string> {
  const index = e.received.length
  await sns().send(new SubscribeCommand({ TopicArn: topic, Protocol: 'http', Endpoint: e.url, Attributes: attributes }))
  const confirmation = JSON.parse((await e.request(index)).body)
  const answer = await fetch(confirmation.SubscribeURL)
  assert.equal(answer.status, 200)
  await httpQuiet(nimbus.current)
  return /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(await answer.text())![1]!
}

describe('SNS HTTP/S subscriptions', () => {
  it('sends a SubscriptionConfirmation, stays pending, and confirms through the SubscribeURL', async () => {
    const topic = await createTopic(sns())
    const e = await endpoint()
    const out = await sns().send(new SubscribeCommand({ TopicArn: topic, Protocol: 'http', Endpoint: e.url }))
    assert.equal(out.SubscriptionArn, 'pending confirmation')

    const request = await e.request(0)
    assert.equal(request.method, 'POST')
    assert.equal(request.path, '/sns')
    assert.equal(request.headers['x-amz-sns-message-type'], 'SubscriptionConfirmation')
    assert.equal(request.headers['x-amz-sns-topic-arn'], topic)
    assert.equal(request.headers['x-amz-sns-subscription-arn'], undefined)
    assert.equal(request.headers['user-agent'], 'Amazon Simple Notification Service Agent')
    assert.equal(request.headers['content-type'], 'text/plain; charset=UTF-8')
    const body = JSON.parse(request.body)
    assert.deepEqual(Object.keys(body), ['Type', 'MessageId', 'Token', 'TopicArn', 'Message', 'SubscribeURL', 'Timestamp',
      'SignatureVersion', 'Signature', 'SigningCertURL'])
    assert.equal(request.headers['x-amz-sns-message-id'], body.MessageId)
    assert.equal(body.Message, `You have chosen to subscribe to the topic ${topic}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`)
    assert.equal(body.SubscribeURL, `${nimbus.current.endpoint}/?Action=ConfirmSubscription&TopicArn=${topic}&Token=${body.Token}`)

    const listed = await sns().send(new ListSubscriptionsByTopicCommand({ TopicArn: topic }))
    assert.equal(listed.Subscriptions?.[0]?.SubscriptionArn, 'PendingConfirmation')
    await sns().send(new PublishCommand({ TopicArn: topic, Message: 'not yet' }))

    const answer = await fetch(body.SubscribeURL)
    assert.equal(answer.status, 200)
    const arn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(await answer.text())?.[1]
    assert.ok(arn?.startsWith(`${topic}:`))
    const attributes = (await sns().send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }))).Attributes!
    assert.equal(attributes.PendingConfirmation, 'false')
    assert.equal(attributes.ConfirmationWasAuthenticated, 'false', 'an anonymous GET is not an authenticated confirmation')
    assert.deepEqual(JSON.parse(attributes.EffectiveDeliveryPolicy!).healthyRetryPolicy.numRetries, 3)

    await sns().send(new PublishCommand({ TopicArn: topic, Message: 'now', Subject: 'hi' }))
    const note = await e.request(1)
    assert.equal(e.received.length, 2, 'the publish before confirmation was not delivered')
    assert.equal(note.headers['x-amz-sns-message-type'], 'Notification')
    assert.equal(note.headers['x-amz-sns-subscription-arn'], arn)
    const envelope = JSON.parse(note.body)
    assert.equal(envelope.Message, 'now')
    assert.equal(envelope.Subject, 'hi')
    assert.equal(envelope.UnsubscribeURL, `${nimbus.current.endpoint}/?Action=Unsubscribe&SubscriptionArn=${arn}`)
  })

  it('confirms through the API (authenticated) and refuses a wrong token', async () => {
    const topic = await createTopic(sns())
    const e = await endpoint()
    await sns().send(new SubscribeCommand({ TopicArn: topic, Protocol: 'http', Endpoint: e.url }))
    const { Token } = JSON.parse((await e.request(0)).body)
    const bad = await snsError(sns().send(new ConfirmSubscriptionCommand({ TopicArn: topic, Token: 'f00d' })))
    assert.equal(bad.code, 'InvalidParameter')
    assert.equal(bad.message, 'Invalid parameter: Token')
    const { SubscriptionArn } = await sns().send(new ConfirmSubscriptionCommand({ TopicArn: topic, Token, AuthenticateOnUnsubscribe: 'true' }))
    const attributes = (await sns().send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!
    assert.equal(attributes.ConfirmationWasAuthenticated, 'true')
    // AuthenticateOnUnsubscribe: the anonymous UnsubscribeURL is refused from now on.
    const anonymous = await fetch(`${nimbus.current.endpoint}/?Action=Unsubscribe&SubscriptionArn=${SubscriptionArn}`)
    assert.equal(anonymous.status, 403)
    assert.match(await anonymous.text(), /<Code>AuthorizationError<\/Code>/)
  })

  it('expires a confirmation token after two days', async () => {
    const topic = await createTopic(sns())
    const e = await endpoint()
    await sns().send(new SubscribeCommand({ TopicArn: topic, Protocol: 'http', Endpoint: e.url }))
    const { Token } = JSON.parse((await e.request(0)).body)
    await httpQuiet(nimbus.current)
    await advance(nimbus.current, 2 * 24 * 3600 * 1000)
    const error = await snsError(sns().send(new ConfirmSubscriptionCommand({ TopicArn: topic, Token })))
    assert.equal(error.code, 'InvalidParameter')
  })

  it('retries a failing endpoint on the default policy (3 retries, 20 s apart), then dead-letters', async () => {
    const topic = await createTopic(sns())
    const e = await endpoint()
    const dlq = await standardQueue(sqs())
    await confirmedSubscription(topic, e, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) })
    e.answer(500)
    await sns().send(new PublishCommand({ TopicArn: topic, Message: 'flaky' }))
    await e.request(1)
    for (let retry = 1; retry <= 3; retry++) {
      await httpQuiet(nimbus.current)
      await advance(nimbus.current, 19_999)
      assert.equal(e.received.length, retry + 1, `retry ${retry} waits the full 20 s`)
      await advance(nimbus.current, 1)
      await e.request(retry + 1)
    }
    await httpDeliveriesSettled(nimbus.current)
    assert.equal(e.received.length, 5, 'confirmation + first attempt + 3 retries')
    const [dead] = await receiveAll(sqs(), dlq.url)
    assert.equal(JSON.parse(dead!.Body as string).Message, 'flaky')
  })

  it('counts a 4xx as delivered (no retry, no DLQ), as AWS does', async () => {
    const topic = await createTopic(sns())
    const e = await endpoint()
    const dlq = await standardQueue(sqs())
    await confirmedSubscription(topic, e, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) })
    e.answer(404)
    await sns().send(new PublishCommand({ TopicArn: topic, Message: 'gone' }))
    await e.request(1)
    await httpDeliveriesSettled(nimbus.current)
    await advance(nimbus.current, 3600_000)
    await httpDeliveriesSettled(nimbus.current)
    assert.equal(e.received.length, 2)
    assert.deepEqual(await receiveAll(sqs(), dlq.url), [])
  })

  it('times a hanging endpoint out after 15 s on the clock, then retries on the subscription policy', async () => {
    const topic = await createTopic(sns())
    const e = await endpoint()
    const policy = { healthyRetryPolicy: { numRetries: 1, minDelayTarget: 5, maxDelayTarget: 5 } }
    await confirmedSubscription(topic, e, { DeliveryPolicy: JSON.stringify(policy) })
    e.answer('hang')
    await sns().send(new PublishCommand({ TopicArn: topic, Message: 'slow' }))
    await e.request(1)
    e.answer(200)
    await advance(nimbus.current, 15_000)
    await httpQuiet(nimbus.current)
    await advance(nimbus.current, 4_999)
    assert.equal(e.received.length, 2)
    await advance(nimbus.current, 1)
    await e.request(2)
    await httpDeliveriesSettled(nimbus.current)
    assert.equal(JSON.parse(e.received[2]!.body).Message, 'slow')
  })

  it('dead-letters after retries when nothing listens at the endpoint, and keeps serving', async () => {
    const topic = await createTopic(sns())
    const closed = await startEndpoint()
    const url = closed.url
    const dlq = await standardQueue(sqs())
    const e = await endpoint()
    await confirmedSubscription(topic, e)
    const { SubscriptionArn } = await sns().send(new SubscribeCommand({ TopicArn: topic, Protocol: 'http', Endpoint: url, ReturnSubscriptionArn: true }))
    const { Token } = JSON.parse((await closed.request(0)).body)
    await sns().send(new ConfirmSubscriptionCommand({ TopicArn: topic, Token }))
    await sns().send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'RedrivePolicy',
      AttributeValue: JSON.stringify({ deadLetterTargetArn: dlq.arn }) }))
    await sns().send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'DeliveryPolicy',
      AttributeValue: JSON.stringify({ healthyRetryPolicy: { numRetries: 2, numNoDelayRetries: 2 } }) }))
    await closed.close()
    await sns().send(new PublishCommand({ TopicArn: topic, Message: 'refused' }))
    await e.request(1)
    await httpDeliveriesSettled(nimbus.current)
    const [dead] = await receiveAll(sqs(), dlq.url)
    assert.equal(JSON.parse(dead!.Body as string).Message, 'refused')
    assert.equal(JSON.parse(e.received[1]!.body).Message, 'refused', 'the healthy endpoint was not held up')
  })

  it('posts the raw message with x-amz-sns-rawdelivery and the policy Content-Type', async () => {
    const topic = await createTopic(sns())
    const e = await endpoint()
    await confirmedSubscription(topic, e, {
      RawMessageDelivery: 'true', DeliveryPolicy: JSON.stringify({ requestPolicy: { headerContentType: 'application/json' } }),
    })
    await sns().send(new PublishCommand({ TopicArn: topic, Message: '{"raw":true}' }))
    const note = await e.request(1)
    assert.equal(note.body, '{"raw":true}')
    assert.equal(note.headers['x-amz-sns-rawdelivery'], 'true')
    assert.equal(note.headers['content-type'], 'application/json')
  })

  it('sends an UnsubscribeConfirmation; the UnsubscribeURL unsubscribes anonymously', async () => {
    const topic = await createTopic(sns())
    const [a, b] = [await endpoint(), await endpoint()]
    const arnA = await confirmedSubscription(topic, a)
    const arnB = await confirmedSubscription(topic, b)
    await sns().send(new UnsubscribeCommand({ SubscriptionArn: arnA }))
    const bye = await a.request(1)
    assert.equal(bye.headers['x-amz-sns-message-type'], 'UnsubscribeConfirmation')
    assert.equal(JSON.parse(bye.body).Message,
      `You have chosen to deactivate subscription ${arnA}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`)
    const viaUrl = await fetch(`${nimbus.current.endpoint}/?Action=Unsubscribe&SubscriptionArn=${arnB}`)
    assert.equal(viaUrl.status, 200)
    const listed = await sns().send(new ListSubscriptionsByTopicCommand({ TopicArn: topic }))
    assert.deepEqual(listed.Subscriptions, [])
  })

  it('validates delivery policies with AWS-style errors', async () => {
    const topic = await createTopic(sns())
    const e = await endpoint()
    const arn = await confirmedSubscription(topic, e)
    const set = (value: unknown) => snsError(sns().send(new SetSubscriptionAttributesCommand({
      SubscriptionArn: arn, AttributeName: 'DeliveryPolicy', AttributeValue: typeof value === 'string' ? value : JSON.stringify(value) })))
    assert.equal((await set('{nope')).message, 'Invalid parameter: DeliveryPolicy: failed to parse JSON.')
    assert.match((await set({ healthyRetryPolicy: { numRetries: 101 } })).message, /numRetries must be at most 100/)
    assert.match((await set({ healthyRetryPolicy: { minDelayTarget: 30, maxDelayTarget: 10 } })).message, /maxDelayTarget/)
    assert.match((await set({ healthyRetryPolicy: { backoffFunction: 'random' } })).message, /backoffFunction/)
    assert.match((await set({ healthyRetryPolicy: { numRetries: 100, minDelayTarget: 60, maxDelayTarget: 60 } })).message, /3600/)
    // A header value Node could never send must be refused here, not fail (or crash) at delivery.
    assert.match((await set({ requestPolicy: { headerContentType: 'text/plain\r\nX-Evil: 1' } })).message, /headerContentType/)
    assert.match((await set({ requestPolicy: { headerContentType: 'image/png' } })).message, /headerContentType/)
    await sns().send(new SetSubscriptionAttributesCommand({ SubscriptionArn: arn, AttributeName: 'DeliveryPolicy',
      AttributeValue: JSON.stringify({ requestPolicy: { headerContentType: 'application/json; charset=UTF-8' } }) }))
    const queueTopicError = await snsError(sns().send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs',
      Endpoint: (await standardQueue(sqs())).arn, Attributes: { DeliveryPolicy: '{}' } })))
    assert.equal(queueTopicError.code, 'InvalidParameter')
  })
})
