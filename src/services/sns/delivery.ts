// Fan-out (aws-behaviour.md §3.4–3.9). Publish answers first; each confirmed subscription whose
// filter accepts the message then gets it on the clock's next tick, through the other service's
// port or an HTTP POST. Subscriptions are independent: a failure is retried (HTTP/S, on the
// delivery policy's schedule) and ends in that subscription's DLQ (or is dropped), never touching
// the others.
import type { Clock } from '../../core/clock.ts'
import type { LambdaPort } from '../lambda/port.ts'
import type { SqsPort } from '../sqs/port.ts'
import { retryDelays } from './delivery-policy.ts'
import type { ConfirmationType, Envelopes } from './envelope.ts'
import type { HttpPost, HttpPoster, PostOutcome } from './http-endpoint.ts'
import { snsSenderId } from './limits.ts'
import { bodyFor, type SnsMessage } from './message.ts'
import type { Outbox } from './outbox.ts'
import type { Subscription } from './subscription.ts'
import type { Topic } from './topic.ts'

export interface DeliveryDeps {
  clock: Clock
  sqs: SqsPort
  lambda: LambdaPort
  envelopes: Envelopes
  http: HttpPoster
  outbox: Outbox
  log: (line: string) => void
}

const userAgent = 'Amazon Simple Notification Service Agent'

export class Deliverer {
  private readonly deps: DeliveryDeps
  /** HTTP/S deliveries not finished yet (posting, or waiting for a retry): health shows it. */
  httpPending = 0
  /** Of those, the ones waiting on the clock for their next retry. */
  httpRetrying = 0
  /** Bumped by reset: retries of an earlier generation stop where they are. */
  private generation = 0

  constructor(deps: DeliveryDeps) {
    this.deps = deps
  }

  /** Picks the subscriptions now (filters are evaluated at publish time) and delivers on the next tick. */
  fanOut(topic: Topic, message: SnsMessage): void {
    const targets: Subscription[] = []
    for (const sub of topic.subscriptions.values()) {
      if (!sub.pending && sub.accepts(bodyFor(message, sub.protocol), message.attributes)) targets.push(sub)
    }
    if (targets.length === 0) return
    this.deps.clock.after(0, () => {
      for (const sub of targets) this.deliver(sub, message)
    })
  }

  /** Forgets every delivery in progress (reset/stop); the poster aborts their requests. */
  reset(): void {
    this.generation += 1
    this.httpPending = 0
    this.httpRetrying = 0
  }

  /** Sends a SubscriptionConfirmation / UnsubscribeConfirmation to an HTTP/S or email endpoint. */
  confirm(type: ConfirmationType, sub: Subscription, token: string): void {
    const { envelopes, outbox, clock } = this.deps
    const confirmation = envelopes.confirmation(type, sub, token, clock.now())
    if (sub.http) {
      const headers = this.headers(sub, type, confirmation.messageId, sub.httpPolicy().contentType)
      // A confirmation carries no subscription ARN header: the subscription isn't one yet [S].
      if (type === 'SubscriptionConfirmation') delete headers['x-amz-sns-subscription-arn']
      this.postWithRetries(sub, { url: sub.endpoint, headers, body: confirmation.json }, () => undefined, () => true)
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

  private deliver(sub: Subscription, message: SnsMessage): void {
    const { sqs, lambda, envelopes, outbox } = this.deps
    try {
      switch (sub.protocol) {
        case 'sqs':
          sqs.send(this.sqsRequest(sub, message, sub.endpoint))
          return
        case 'lambda':
          lambda.invokeAsync(sub.endpoint, envelopes.lambdaEvent(message, sub))
          return
        case 'http':
        case 'https':
          this.postNotification(sub, message)
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
          return
        default:
          // application/firehose subscriptions are refused at Subscribe.
          throw new Error(`protocol ${sub.protocol} is not delivered by Nimbus`)
      }
    } catch (error) {
      // SQS/Lambda refusing (queue or function gone, too many attributes) is a client error: AWS
      // does not retry those; they go to the subscription's DLQ if it has one [D].
      this.deps.log(`sns: delivery to ${sub.endpoint} failed: ${(error as Error).message}`)
      this.deadLetter(sub, message)
    }
  }

  private postNotification(sub: Subscription, message: SnsMessage): void {
    const policy = sub.httpPolicy()
    const headers = this.headers(sub, 'Notification', message.id, policy.contentType)
    if (sub.raw) headers['x-amz-sns-rawdelivery'] = 'true'
    const body = sub.raw ? bodyFor(message, sub.protocol) : this.deps.envelopes.notification(message, sub)
    // Retries stop once the subscription is gone (unsubscribed, or its topic deleted).
    const wanted = () => sub.topic.subscriptions.get(sub.arn) === sub
    this.postWithRetries(sub, { url: sub.endpoint, headers, body }, () => this.deadLetter(sub, message), wanted)
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
   * Posts, and on a failed attempt (no answer within 15 s, a refused connection, a status outside
   * 200–499) retries on the delivery policy's schedule; `exhausted` runs after the last retry.
   * A 4xx ends the delivery: AWS counts 200–4xx as delivered and does not retry them [D].
   */
  private postWithRetries(sub: Subscription, post: HttpPost, exhausted: () => void, wanted: () => boolean): void {
    const delays = retryDelays(sub.httpPolicy().retry)
    this.httpPending += 1
    const generation = this.generation
    const done = () => {
      if (generation === this.generation) this.httpPending -= 1
    }
    const attempt = (n: number): void => {
      if (generation !== this.generation || !wanted()) return done()
      void this.deps.http.post(post).catch((error: unknown) => ({ error: String(error) })).then((outcome) => {
        if (delivered(outcome) || generation !== this.generation) return done()
        this.deps.log(`sns: POST to ${post.url} failed (${describe(outcome)}), attempt ${n + 1} of ${delays.length + 1}`)
        const delay = delays[n]
        if (delay !== undefined) {
          this.httpRetrying += 1
          this.deps.clock.after(delay * 1000, () => {
            if (generation === this.generation) this.httpRetrying -= 1
            attempt(n + 1)
          })
          return
        }
        done()
        exhausted()
      })
    }
    attempt(0)
  }

  /** The SendMessage SNS makes: raw body + SQS attributes, or the envelope; FIFO ids for FIFO queues. */
  private sqsRequest(sub: Subscription, message: SnsMessage, queueArn: string, raw = sub.raw) {
    const fifoQueue = this.deps.sqs.isFifo(queueArn)
    const base = {
      queueArn,
      body: raw ? bodyFor(message, sub.protocol) : this.deps.envelopes.notification(message, sub),
      attributes: raw ? message.attributes : undefined,
      senderId: snsSenderId,
    }
    if (fifoQueue) return { ...base, groupId: message.groupId, dedupId: message.dedupId }
    // Standard topics forward MessageGroupId to standard queues (fair queues); FIFO topics don't [M].
    return sub.topic.fifo ? base : { ...base, groupId: message.groupId }
  }

  /** The subscription DLQ gets the normal envelope with the original attributes, whatever the protocol [S]. */
  private deadLetter(sub: Subscription, message: SnsMessage): void {
    const dlq = sub.deadLetterTargetArn
    if (dlq === undefined) return
    try {
      const request = this.sqsRequest(sub, message, dlq, false)
      this.deps.sqs.send({ ...request, attributes: message.attributes })
    } catch (error) {
      this.deps.log(`sns: dead-letter queue ${dlq} refused a message: ${(error as Error).message}`)
    }
  }
}

function delivered(outcome: PostOutcome): boolean {
  return 'status' in outcome && outcome.status >= 200 && outcome.status < 500
}

function describe(outcome: PostOutcome): string {
  return 'status' in outcome ? `HTTP ${outcome.status}` : outcome.error
}
