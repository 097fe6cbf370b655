// Fan-out (aws-behaviour.md §3.4–3.9). Publish answers first; each confirmed subscription whose
// filter accepts the message then gets it on the clock's next tick, through the delivery fabric:
// SQS queues and Lambda functions by their ARN's target kind, HTTP/S endpoints through SNS's own
// sender with the delivery policy's retries as data. Subscriptions are independent: a failure ends
// in that subscription's DLQ (or is dropped), never touching the others. Email and SMS, which leave
// no ARN behind, are recorded in the outbox.
import type { Clock } from '../../core/clock.ts'
import type { Fabric } from '../../fabric/fabric.ts'
import { DeliveryFailure } from '../../fabric/failure.ts'
import { noRetry } from '../../fabric/policy.ts'
import type { DeadLetter, Delivery, DeliveryOptions } from '../../fabric/types.ts'
import { fabricRetryPolicy } from './delivery-policy.ts'
import type { ConfirmationType, Envelopes } from './envelope.ts'
import type { HttpPoster, PostOutcome } from './http-endpoint.ts'
import type { SnsMetrics } from './metrics.ts'
import { snsSenderId } from './limits.ts'
import { bodyFor, type SnsMessage } from './message.ts'
import type { Outbox } from './outbox.ts'
import type { Subscription } from './subscription.ts'
import type { Topic } from './topic.ts'

export interface DeliveryDeps {
  clock: Clock
  fabric: Fabric
  envelopes: Envelopes
  http: HttpPoster
  outbox: Outbox
  /** Retries stop once the subscription is gone (unsubscribed, or its topic deleted). */
  findSubscription: (arn: string) => Subscription | undefined
  log: (line: string) => void
  /** AWS/SNS's counters (published, delivered, failed, filtered out). */
  metrics: SnsMetrics
}

const userAgent = 'Amazon Simple Notification Service Agent'
/** SNS's own sender: one POST to an HTTP/S endpoint. */
const httpSender = 'sns:http'

export class Deliverer {
  private readonly deps: DeliveryDeps
  /** A delivery attempted now (in the next-tick batch), or pending data from now on (durable). */
  private readonly attempt = (delivery: Delivery) => this.deps.fabric.deliver(delivery)
  private readonly schedule = (delivery: Delivery) => void this.deps.fabric.schedule(delivery)

  constructor(deps: DeliveryDeps) {
    this.deps = deps
    deps.fabric.registerSender(httpSender, (delivery) => this.post(delivery))
    // The fabric tells how each delivery (and each failed attempt) went: AWS/SNS counts them.
    deps.fabric.registerOwner('sns', {
      attemptFailed: (p) => deps.metrics.attemptFailed(p, p.delivery.via === httpSender),
      settled: (p, settlement) => deps.metrics.settled(p, settlement, p.delivery.via === httpSender),
    })
  }

  /** HTTP/S deliveries not finished yet (posting, or waiting for a retry): health shows it. */
  get httpPending(): number {
    const stats = this.deps.fabric.stats('sns', httpSender)
    return stats.waiting + stats.inFlight
  }

  /** Of those, the ones waiting on the clock for their next retry. */
  get httpRetrying(): number {
    return this.deps.fabric.stats('sns', httpSender).retrying
  }

  /** Picks the subscriptions now (filters are evaluated at publish time) and delivers on the next tick. */
  fanOut(topic: Topic, message: SnsMessage, size: number): void {
    this.deps.metrics.published(topic.arn, size)
    const targets: Subscription[] = []
    for (const sub of topic.subscriptions.values()) {
      if (sub.pending) continue
      if (sub.accepts(bodyFor(message, sub.protocol), message.attributes)) targets.push(sub)
      else {
        this.deps.metrics.filtered(topic.arn, sub.attributes.FilterPolicyScope === 'MessageBody' ? 'MessageBody' : 'MessageAttributes')
        // A hop all the same: the console shows which subscriptions the filter policy kept out.
        this.deps.fabric.trace.record(this.deps.clock.now(), topic.arn, sub.endpoint, message.id, 'filtered', 1)
      }
    }
    if (targets.length === 0) return
    // With a data dir each delivery is a pending row from now on, committed with Publish's answer
    // (the fabric attempts it on the clock's next tick); in memory one batch waits for that tick.
    if (this.deps.fabric.watched) {
      for (const sub of targets) this.deliver(sub, message, true)
      return
    }
    this.deps.clock.after(0, () => {
      for (const sub of targets) this.deliver(sub, message, false)
    })
  }

  /** Forgets every delivery in progress (reset/stop); the poster aborts their requests. */
  reset(): void {
    this.deps.fabric.cancel('sns')
  }

  /** Sends a SubscriptionConfirmation / UnsubscribeConfirmation to an HTTP/S or email endpoint. */
  confirm(type: ConfirmationType, sub: Subscription, token: string): void {
    const { envelopes, outbox, clock } = this.deps
    const confirmation = envelopes.confirmation(type, sub, token, clock.now())
    if (sub.http) {
      const headers = this.headers(sub, type, confirmation.messageId, sub.httpPolicy().contentType)
      // A confirmation carries no subscription ARN header: the subscription isn't one yet [S].
      if (type === 'SubscriptionConfirmation') delete headers['x-amz-sns-subscription-arn']
      this.deps.fabric.deliver({
        owner: 'sns', source: sub.topic.arn, target: sub.endpoint, via: httpSender, id: confirmation.messageId,
        payload: confirmation.json, options: { headers }, policy: fabricRetryPolicy(sub.httpPolicy().retry),
      })
      return
    }
    if (sub.protocol === 'email' || sub.protocol === 'email-json') {
      outbox.record({
        protocol: sub.protocol, endpoint: sub.endpoint, topicArn: sub.topic.arn, subscriptionArn: undefined, type,
        messageId: confirmation.messageId, subject: 'AWS Notification - Subscription Confirmation',
        message: sub.protocol === 'email' ? confirmation.text : confirmation.json,
        subscribeUrl: confirmation.subscribeUrl, timestamp: confirmation.timestamp,
      })
    }
  }

  /** `later`: scheduled as pending data (durable), else attempted now. */
  private deliver(sub: Subscription, message: SnsMessage, later: boolean): void {
    const { envelopes, outbox, fabric } = this.deps
    const send = later ? this.schedule : this.attempt
    switch (sub.protocol) {
      case 'sqs': {
        const payload = sub.raw ? bodyFor(message, sub.protocol) : envelopes.notification(message, sub)
        send(this.delivery(sub, message, payload, this.sqsOptions(sub, message, sub.raw), sub.raw ? undefined : payload))
        return
      }
      case 'lambda':
        send(this.delivery(sub, message, envelopes.lambdaEvent(message, sub), undefined))
        return
      case 'firehose': {
        // One record per message, a line break after each (AWS's archived objects are one message a line).
        const envelope = sub.raw ? undefined : envelopes.firehoseNotification(message, sub)
        send(this.delivery(sub, message, `${envelope ?? bodyFor(message, sub.protocol)}\n`, undefined, envelope))
        return
      }
      case 'http':
      case 'https':
        send(this.notification(sub, message))
        return
      case 'sms':
      case 'email':
      case 'email-json':
        outbox.record({
          protocol: sub.protocol, endpoint: sub.endpoint, topicArn: sub.topic.arn, subscriptionArn: sub.arn,
          type: 'Notification', messageId: message.id,
          subject: sub.protocol === 'sms' ? undefined : message.subject ?? sub.topic.attributes.DisplayName ?? 'AWS Notification Message',
          message: sub.protocol === 'email-json' ? envelopes.notification(message, sub) : bodyFor(message, sub.protocol),
          subscribeUrl: undefined, timestamp: message.timestamp,
        })
        // No ARN to deliver to, but a hop all the same: the console draws the fan-out whole.
        fabric.trace.record(this.deps.clock.now(), sub.topic.arn, sub.endpoint, message.id, 'delivered', 1)
        this.deps.metrics.count(sub.topic.arn, 'delivered')
        return
      default:
        // application subscriptions are refused at Subscribe; anything else fails to its DLQ.
        send({ ...this.delivery(sub, message, bodyFor(message, sub.protocol), undefined), via: 'sns:unsupported' })
    }
  }

  /**
   * SQS and Lambda refusing (queue or function gone, too many attributes) is a client error: AWS
   * does not retry those; they go to the subscription's DLQ if it has one [D]. `envelope` is the
   * notification when already made (the DLQ gets it whatever the protocol).
   */
  private delivery(sub: Subscription, message: SnsMessage, payload: string, options: DeliveryOptions | undefined, envelope?: string): Delivery {
    return {
      owner: 'sns', source: sub.topic.arn, target: sub.endpoint, id: message.id, payload, options, policy: noRetry,
      deadLetter: this.deadLetter(sub, message, envelope),
    }
  }

  private notification(sub: Subscription, message: SnsMessage): Delivery {
    const policy = sub.httpPolicy()
    const headers = this.headers(sub, 'Notification', message.id, policy.contentType)
    if (sub.raw) headers['x-amz-sns-rawdelivery'] = 'true'
    const envelope = sub.raw ? undefined : this.deps.envelopes.notification(message, sub)
    const body = envelope ?? bodyFor(message, sub.protocol)
    return {
      owner: 'sns', source: sub.topic.arn, target: sub.endpoint, via: httpSender, id: message.id, payload: body,
      options: { headers, extra: { subscriptionArn: sub.arn } }, policy: fabricRetryPolicy(policy.retry),
      deadLetter: this.deadLetter(sub, message, envelope),
    }
  }

  private headers(sub: Subscription, type: string, messageId: string, contentType: string): Record<string, string> {
    return {
      'content-type': contentType,
      'user-agent': userAgent,
      'x-amz-sns-message-type': type,
      'x-amz-sns-message-id': messageId,
      'x-amz-sns-topic-arn': sub.topic.arn,
      'x-amz-sns-subscription-arn': sub.arn,
    }
  }

  /**
   * One POST. A failed attempt (no answer within 15 s, a refused connection, a status outside
   * 200–499) is retried on the delivery policy's schedule; a 4xx ends the delivery: AWS counts
   * 200–4xx as delivered and does not retry them [D].
   */
  private async post(delivery: Delivery): Promise<void> {
    const subscriptionArn = delivery.options?.extra?.subscriptionArn
    if (typeof subscriptionArn === 'string' && this.deps.findSubscription(subscriptionArn) === undefined) {
      throw new DeliveryFailure('NO_RESOURCE', 'The subscription is gone.', { drop: true })
    }
    const outcome = await this.deps.http.post({ url: delivery.target, headers: delivery.options?.headers ?? {}, body: delivery.payload })
      .catch((error: unknown): PostOutcome => ({ error: String(error) }))
    if ('status' in outcome && outcome.status >= 200 && outcome.status < 500) return
    throw new DeliveryFailure('ERROR_FROM_TARGET', 'status' in outcome ? `HTTP ${outcome.status}` : outcome.error, { retryable: true })
  }

  /** The SQS attributes and FIFO ids SNS sends with: raw deliveries carry the message attributes. */
  private sqsOptions(sub: Subscription, message: SnsMessage, raw: boolean): DeliveryOptions {
    return {
      attributes: raw ? message.attributes : undefined, senderId: snsSenderId,
      // Standard topics forward MessageGroupId to standard queues (fair queues); FIFO topics don't [M].
      groupId: message.groupId, dedupId: message.dedupId, groupIdFifoOnly: sub.topic.fifo,
    }
  }

  /** The subscription DLQ gets the normal envelope with the original attributes, whatever the protocol [S]. */
  private deadLetter(sub: Subscription, message: SnsMessage, envelope: string | undefined): DeadLetter | undefined {
    const dlq = sub.deadLetterTargetArn
    if (dlq === undefined) return undefined
    return {
      target: dlq, payload: envelope ?? this.deps.envelopes.notification(message, sub),
      options: { ...this.sqsOptions(sub, message, false), attributes: message.attributes },
    }
  }
}
