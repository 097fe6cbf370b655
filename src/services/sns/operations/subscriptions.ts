// Subscribe, Unsubscribe, ListSubscriptions(ByTopic), Get/SetSubscriptionAttributes.
import { parseArn } from '../../../core/arn.ts'
import type { Operation } from '../../service.ts'
import { snsErrors } from '../errors.ts'
import { limits } from '../limits.ts'
import type { Deliverer } from '../delivery.ts'
import type * as T from '../generated/types.ts'
import type { SnsState } from '../store.ts'
import { type Protocol, protocols, type Subscription } from '../subscription.ts'
import type { Topic } from '../topic.ts'
import { paginate, sameRecord } from './common.ts'

/** Protocols whose endpoints must confirm: SNS sends them a SubscriptionConfirmation first. */
const confirming = new Set<Protocol>(['http', 'https', 'email', 'email-json'])

function checkEndpoint(topic: Topic, protocol: Protocol, endpoint: string | undefined, attributes: Record<string, string>): string {
  if (protocol === 'application') throw snsErrors.notImplemented(`Subscribe with protocol ${protocol}`)
  if (endpoint === undefined || endpoint === '') throw snsErrors.invalidParameter('Endpoint')
  const arn = parseArn(endpoint)
  if (protocol === 'sqs') {
    if (arn?.service !== 'sqs' || arn.resource === '') throw snsErrors.invalidParameter('SQS endpoint ARN')
    if (!topic.fifo && arn.resource.endsWith('.fifo')) {
      // The doubled prefix is AWS's own [S].
      throw snsErrors.invalidParameter('Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics')
    }
  }
  if (protocol === 'lambda' && (arn?.service !== 'lambda' || !arn.resource.startsWith('function:'))) {
    throw snsErrors.invalidParameter('Lambda endpoint ARN')
  }
  if (protocol === 'firehose') {
    // [R] wordings, by analogy with the Lambda and SQS endpoint checks; SNS writes with the role, so it must be given.
    if (arn?.service !== 'firehose' || !arn.resource.startsWith('deliverystream/')) throw snsErrors.invalidParameter('Firehose endpoint ARN')
    if (attributes.SubscriptionRoleArn === undefined) throw snsErrors.invalidParameterReason('Attributes', 'SubscriptionRoleArn is required for firehose subscriptions')
  }
  if (topic.fifo && protocol !== 'sqs') {
    throw snsErrors.invalidParameterReason('Protocol', `FIFO topics only support SQS subscriptions, not ${protocol}`)
  }
  if ((protocol === 'http' && !endpoint.startsWith('http://')) || (protocol === 'https' && !endpoint.startsWith('https://'))) {
    throw snsErrors.invalidParameter('Endpoint must match the specified protocol')
  }
  return endpoint
}

function listed(sub: Subscription): T.Subscription {
  return {
    SubscriptionArn: sub.pending ? 'PendingConfirmation' : sub.arn,
    Owner: sub.owner, Protocol: sub.protocol, Endpoint: sub.endpoint, TopicArn: sub.topic.arn,
  }
}

export function subscriptionOperations(state: SnsState, deliverer: Deliverer) {
  const requireSubscription = (arn: string): Subscription => {
    if (parseArn(arn) === undefined) throw snsErrors.malformedArn('SubscriptionArn', arn)
    const sub = state.findSubscription(arn)
    if (sub === undefined) throw snsErrors.subscriptionNotFound()
    return sub
  }

  const subscribe: Operation<T.SubscribeInput, T.SubscribeResponse> = (input, ctx) => {
    const topic = state.requireTopic(input.TopicArn)
    const protocol = input.Protocol as Protocol
    if (!protocols.includes(protocol)) {
      throw snsErrors.invalidParameter(`Amazon SNS does not support this protocol string: ${input.Protocol}`)
    }
    const attributes = input.Attributes ?? {}
    const endpoint = checkEndpoint(topic, protocol, input.Endpoint, attributes)
    const existing = [...topic.subscriptions.values()].find((s) => s.protocol === protocol && s.endpoint === endpoint)
    if (existing !== undefined) {
      const current = Object.fromEntries(Object.entries(existing.attributes))
      if (!sameRecord(current, attributes)) {
        throw snsErrors.invalidParameterReason('Attributes', 'Subscription already exists with different attributes')
      }
      // Subscribing a still-pending endpoint again sends it a fresh confirmation.
      if (existing.pending) deliverer.confirm('SubscriptionConfirmation', existing, state.newToken(existing))
      return { SubscriptionArn: existing.pending && input.ReturnSubscriptionArn !== true ? 'pending confirmation' : existing.arn }
    }
    if (protocol === 'firehose') {
      const owned = [...topic.subscriptions.values()].filter((s) => s.protocol === 'firehose' && s.owner === ctx.caller.account).length
      if (owned >= limits.maxFirehoseSubscriptionsPerOwner) throw snsErrors.firehoseSubscriptionLimit()
    }
    const pending = confirming.has(protocol)
    const sub = state.subscribe(topic, protocol, endpoint, ctx.caller.account, pending)
    try {
      sub.setAttributes(attributes, true)
    } catch (error) {
      state.removeSubscription(sub, false)
      throw error
    }
    if (pending) deliverer.confirm('SubscriptionConfirmation', sub, state.newToken(sub))
    return { SubscriptionArn: pending && input.ReturnSubscriptionArn !== true ? 'pending confirmation' : sub.arn }
  }

  // Unsubscribing twice succeeds, as on AWS.
  const unsubscribe: Operation<T.UnsubscribeInput, void> = (input, ctx) => {
    if (parseArn(input.SubscriptionArn) === undefined) throw snsErrors.malformedArn('SubscriptionArn', input.SubscriptionArn)
    const sub = state.findSubscription(input.SubscriptionArn)
    if (sub === undefined) return
    // Confirmed with AuthenticateOnUnsubscribe: the anonymous UnsubscribeURL no longer works [M].
    if (sub.authenticateOnUnsubscribe && ctx.caller.accessKeyId === '') throw snsErrors.anonymousUnsubscribe(sub.arn)
    state.removeSubscription(sub, true)
    // A confirmed HTTP/S endpoint is told it was unsubscribed [S].
    if (sub.http && !sub.pending) deliverer.confirm('UnsubscribeConfirmation', sub, state.newToken(sub))
  }

  /** By API call or by a GET of the SubscribeURL (unsigned: ConfirmationWasAuthenticated false). */
  const confirmSubscription: Operation<T.ConfirmSubscriptionInput, T.ConfirmSubscriptionResponse> = (input, ctx) => {
    const topic = state.requireTopic(input.TopicArn)
    const sub = state.subscriptionForToken(topic.arn, input.Token)
    if (sub === undefined) throw snsErrors.invalidParameter('Token')
    const signed = ctx.caller.accessKeyId !== ''
    sub.confirm(signed, signed && input.AuthenticateOnUnsubscribe === 'true')
    return { SubscriptionArn: sub.arn }
  }

  const listSubscriptions: Operation<T.ListSubscriptionsInput, T.ListSubscriptionsResponse> = (input, ctx) => {
    const topics = [...(state.regions.peek(ctx.caller.account, ctx.caller.region)?.values() ?? [])]
    const { page, next } = paginate(topics.flatMap((t) => [...t.subscriptions.values()]), input.NextToken)
    return { Subscriptions: page.map(listed), NextToken: next }
  }

  const listSubscriptionsByTopic: Operation<T.ListSubscriptionsByTopicInput, T.ListSubscriptionsByTopicResponse> = (input) => {
    const topic = state.requireTopic(input.TopicArn)
    const { page, next } = paginate([...topic.subscriptions.values()], input.NextToken)
    return { Subscriptions: page.map(listed), NextToken: next }
  }

  const getSubscriptionAttributes: Operation<T.GetSubscriptionAttributesInput, T.GetSubscriptionAttributesResponse> = (input) =>
    ({ Attributes: requireSubscription(input.SubscriptionArn).allAttributes() })

  const setSubscriptionAttributes: Operation<T.SetSubscriptionAttributesInput, void> = (input) => {
    const sub = requireSubscription(input.SubscriptionArn)
    sub.setAttributes({ [input.AttributeName]: input.AttributeValue ?? '' }, false)
  }

  return {
    Subscribe: subscribe, Unsubscribe: unsubscribe, ConfirmSubscription: confirmSubscription, ListSubscriptions: listSubscriptions,
    ListSubscriptionsByTopic: listSubscriptionsByTopic, GetSubscriptionAttributes: getSubscriptionAttributes,
    SetSubscriptionAttributes: setSubscriptionAttributes,
  }
}
