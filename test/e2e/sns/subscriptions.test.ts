// Subscriptions: protocols, confirmation state, idempotency, attributes (aws-behaviour.md §3.3, §3.7).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  GetSubscriptionAttributesCommand, GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, ListSubscriptionsCommand,
  SetSubscriptionAttributesCommand, SubscribeCommand, UnsubscribeCommand,
} from '@aws-sdk/client-sns'
import { useNimbus } from '../../helpers/nimbus.ts'
import { createTopic, snsClient, snsError, subscribeQueue } from '../../helpers/sns.ts'

const nimbus = useNimbus()
const sns = () => snsClient(nimbus.current)
const queueArn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`

describe('SNS subscriptions', () => {
  it('confirms SQS subscriptions at once and shows their attributes', async () => {
    const topic = await createTopic(sns())
    const { SubscriptionArn } = await sns().send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: queueArn('a') }))
    assert.match(SubscriptionArn!, new RegExp(`^${topic}:[0-9a-f-]{36}$`))
    const { Attributes } = await sns().send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))
    assert.deepEqual({ ...Attributes, SubscriptionPrincipal: undefined }, {
      Owner: '000000000000', TopicArn: topic, Endpoint: queueArn('a'), Protocol: 'sqs', PendingConfirmation: 'false',
      ConfirmationWasAuthenticated: 'true', SubscriptionArn, RawMessageDelivery: 'false', SubscriptionPrincipal: undefined,
    })
    const topicAttributes = (await sns().send(new GetTopicAttributesCommand({ TopicArn: topic }))).Attributes!
    assert.equal(topicAttributes.SubscriptionsConfirmed, '1')
  })

  it('keeps email subscriptions pending and answers "pending confirmation"', async () => {
    const topic = await createTopic(sns())
    const out = await sns().send(new SubscribeCommand({ TopicArn: topic, Protocol: 'email', Endpoint: 'a@example.com' }))
    assert.equal(out.SubscriptionArn, 'pending confirmation')
    const { Subscriptions } = await sns().send(new ListSubscriptionsByTopicCommand({ TopicArn: topic }))
    assert.equal(Subscriptions![0]!.SubscriptionArn, 'PendingConfirmation')
    const attributes = (await sns().send(new GetTopicAttributesCommand({ TopicArn: topic }))).Attributes!
    assert.equal(attributes.SubscriptionsPending, '1')
  })

  it('is idempotent for the same endpoint and attributes', async () => {
    const topic = await createTopic(sns())
    const first = await subscribeQueue(sns(), topic, queueArn('b'), { RawMessageDelivery: 'true' })
    assert.equal(await subscribeQueue(sns(), topic, queueArn('b'), { RawMessageDelivery: 'true' }), first)
    const different = await snsError(subscribeQueue(sns(), topic, queueArn('b'), { RawMessageDelivery: 'false' }))
    assert.equal(different.message, 'Invalid parameter: Attributes Reason: Subscription already exists with different attributes')
  })

  it('rejects unknown protocols, FIFO queues on standard topics and bad attributes', async () => {
    const topic = await createTopic(sns())
    const protocol = await snsError(sns().send(new SubscribeCommand({ TopicArn: topic, Protocol: 'carrier-pigeon', Endpoint: 'x' })))
    assert.equal(protocol.message, 'Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon')
    const fifo = await snsError(subscribeQueue(sns(), topic, queueArn('q.fifo')))
    assert.equal(fifo.message, 'Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics')
    const raw = await snsError(subscribeQueue(sns(), topic, queueArn('c'), { RawMessageDelivery: 'yes' }))
    assert.equal(raw.message, 'Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [yes]. Must be true or false.')
    const filter = await snsError(subscribeQueue(sns(), topic, queueArn('c'), { FilterPolicy: '{"a": []}' }))
    assert.equal(filter.code, 'InvalidParameter')
    assert.equal(filter.message, 'Invalid parameter: Attributes Reason: FilterPolicy: Empty arrays are not allowed')
    const nested = await snsError(subscribeQueue(sns(), topic, queueArn('c'), { FilterPolicy: '{"a": {"b": ["x"]}}' }))
    assert.equal(nested.message, 'Invalid parameter: Attributes Reason: Filter policy scope MessageAttributes does not support nested filter policy')
    const dlq = await snsError(subscribeQueue(sns(), topic, queueArn('c'), { RedrivePolicy: '{"deadLetterTargetArn": "nope"}' }))
    assert.equal(dlq.message, 'Invalid parameter: Attributes Reason: RedrivePolicy: deadLetterTargetArn is an invalid arn')
    const missing = await snsError(subscribeQueue(sns(), `${topic}-gone`, queueArn('c')))
    assert.equal(missing.code, 'NotFound')
  })

  it('sets filter policies and their scope, then unsubscribes', async () => {
    const topic = await createTopic(sns())
    const arn = await subscribeQueue(sns(), topic, queueArn('d'))
    const set = (AttributeName: string, AttributeValue: string) =>
      sns().send(new SetSubscriptionAttributesCommand({ SubscriptionArn: arn, AttributeName, AttributeValue }))
    await set('FilterPolicy', '{"color": ["red"]}')
    let { Attributes } = await sns().send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }))
    assert.equal(Attributes!.FilterPolicy, '{"color": ["red"]}')
    assert.equal(Attributes!.FilterPolicyScope, 'MessageAttributes')
    await set('FilterPolicyScope', 'MessageBody')
    await set('FilterPolicy', '{"a": {"b": ["x"]}}')
    ;({ Attributes } = await sns().send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn })))
    assert.equal(Attributes!.FilterPolicyScope, 'MessageBody')
    const scope = await snsError(set('FilterPolicyScope', 'Everything'))
    assert.equal(scope.message, 'Invalid parameter: FilterPolicyScope: Invalid value [Everything]. Please use either MessageBody or MessageAttributes')
    const bad = await snsError(set('FilterPolicy', '{"n": [{"numeric": [">", "x"]}]}'))
    assert.match(bad.message, /^Invalid parameter: FilterPolicy: /)
    const all = await sns().send(new ListSubscriptionsCommand({}))
    assert.ok(all.Subscriptions!.some((s) => s.SubscriptionArn === arn))
    await sns().send(new UnsubscribeCommand({ SubscriptionArn: arn }))
    await sns().send(new UnsubscribeCommand({ SubscriptionArn: arn }))
    const gone = await snsError(sns().send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn })))
    assert.deepEqual([gone.code, gone.message], ['NotFound', 'Subscription does not exist'])
    const topicAttributes = (await sns().send(new GetTopicAttributesCommand({ TopicArn: topic }))).Attributes!
    assert.equal(topicAttributes.SubscriptionsDeleted, '1')
  })
})
