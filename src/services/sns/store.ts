// The topics of each account and region, and service-wide lookups by ARN.
import { randomBytes, randomUUID } from 'node:crypto'
import type { Clock } from '../../core/clock.ts'
import { formatArn, parseArn } from '../../core/arn.ts'
import { AccountRegionStore } from '../../storage/account-region-store.ts'
import { snsErrors } from './errors.ts'
import { Outbox } from './outbox.ts'
import { type Protocol, Subscription } from './subscription.ts'
import { Topic } from './topic.ts'

/** A confirmation token lives two days [M]. */
const tokenLifetimeMs = 2 * 24 * 60 * 60 * 1000

interface PendingToken {
  subscriptionArn: string
  topicArn: string
  expiresAt: number
}

export class SnsState {
  readonly clock: Clock
  readonly regions = new AccountRegionStore(() => new Map<string, Topic>())
  /** Email, email-json and SMS "sent" (nothing leaves the machine): GET /_nimbus/sns/messages. */
  readonly outbox = new Outbox()
  private readonly tokens = new Map<string, PendingToken>()

  constructor(clock: Clock) {
    this.clock = clock
  }

  topics(account: string, region: string): Map<string, Topic> {
    return this.regions.get(account, region)
  }

  findTopic(arn: string): Topic | undefined {
    const parsed = parseArn(arn)
    if (parsed === undefined || parsed.service !== 'sns') return undefined
    return this.regions.peek(parsed.account, parsed.region)?.get(parsed.resource)
  }

  /** The topic, or AWS's errors: InvalidParameter for a malformed ARN, NotFound for a missing topic. */
  requireTopic(arn: string | undefined, parameter = 'TopicArn'): Topic {
    if (arn === undefined || arn === '') throw snsErrors.missingParameter(parameter)
    if (parseArn(arn) === undefined) throw snsErrors.malformedArn(parameter, arn)
    const topic = this.findTopic(arn)
    if (topic === undefined) throw snsErrors.topicNotFound()
    return topic
  }

  createTopic(account: string, region: string, name: string, fifo: boolean, attributes: Record<string, string>): Topic {
    const arn = formatArn({ service: 'sns', region, account, resource: name })
    const topic = new Topic({ arn, name, account, region }, fifo, attributes, this.clock)
    this.topics(account, region).set(name, topic)
    return topic
  }

  deleteTopic(topic: Topic): void {
    this.regions.peek(topic.account, topic.region)?.delete(topic.name)
    // Its subscriptions go with it; deliveries still retrying see that and stop.
    topic.subscriptions.clear()
  }

  /** A fresh confirmation token for `sub` (AWS's are long hex strings). */
  newToken(sub: Subscription): string {
    const token = randomBytes(64).toString('hex')
    this.tokens.set(token, { subscriptionArn: sub.arn, topicArn: sub.topic.arn, expiresAt: this.clock.now() + tokenLifetimeMs })
    return token
  }

  /** The subscription a token confirms, if the token is known, for this topic and not expired. */
  subscriptionForToken(topicArn: string, token: string): Subscription | undefined {
    const entry = this.tokens.get(token)
    if (entry === undefined || entry.topicArn !== topicArn) return undefined
    if (entry.expiresAt <= this.clock.now()) {
      this.tokens.delete(token)
      return undefined
    }
    return this.findSubscription(entry.subscriptionArn)
  }

  subscribe(topic: Topic, protocol: Protocol, endpoint: string, owner: string, pending: boolean): Subscription {
    const sub = new Subscription(`${topic.arn}:${randomUUID()}`, topic, protocol, endpoint, owner, pending)
    topic.subscriptions.set(sub.arn, sub)
    return sub
  }

  findSubscription(arn: string): Subscription | undefined {
    const topicArn = arn.slice(0, arn.lastIndexOf(':'))
    return this.findTopic(topicArn)?.subscriptions.get(arn)
  }

  allTopics(): Topic[] {
    return [...this.regions.all()].flatMap((topics) => [...topics.values()])
  }

  reset(): void {
    this.regions.clear()
    this.outbox.clear()
    this.tokens.clear()
  }
}
