// The topics of each account and region, and service-wide lookups by ARN.
import { randomBytes, randomUUID } from 'node:crypto'
import type { Clock } from '../../core/clock.ts'
import { formatArn, parseArn } from '../../core/arn.ts'
import { AccountRegionStore } from '../../storage/account-region-store.ts'
import { snsErrors } from './errors.ts'
import { Outbox } from './outbox.ts'
import type { SigningRow, SnsRows } from './sns-rows.ts'
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
  readonly outbox: Outbox
  private readonly tokens = new Map<string, PendingToken>()
  /** With a data dir: every change is written here (docs/persistence.md); in memory, none. */
  readonly rows: SnsRows | undefined
  /** The signer's key pair and certificate from a previous run, if one signed anything. */
  storedSigningIdentity: SigningRow | undefined

  constructor(clock: Clock, rows?: SnsRows) {
    this.clock = clock
    this.rows = rows
    this.outbox = new Outbox(rows)
    if (rows !== undefined) this.restore(rows)
  }

  /** Rebuilds topics, subscriptions, tokens and the outbox from the rows, writing nothing. */
  private restore(rows: SnsRows): void {
    const stored = rows.load()
    for (const row of stored.topics) {
      const arn = formatArn({ service: 'sns', region: row.region, account: row.account, resource: row.name })
      const topic = new Topic({ arn, name: row.name, account: row.account, region: row.region }, row.fifo, row.attributes, this.clock, rows)
      for (const [k, v] of row.tags) topic.tags.set(k, v)
      topic.dataProtectionPolicy = row.dataProtectionPolicy
      topic.subscriptionsDeleted = row.subscriptionsDeleted
      topic.restoreFifo(stored.sequences.get(arn), stored.dedup.get(arn) ?? [])
      for (const [subArn, s] of stored.subscriptions.get(arn) ?? []) {
        const sub = new Subscription(subArn, topic, s.protocol as Protocol, s.endpoint, s.owner, s.pending, rows)
        sub.restore(s)
        topic.subscriptions.set(subArn, sub)
      }
      this.topics(row.account, row.region).set(row.name, topic)
    }
    for (const [token, row] of stored.tokens) this.tokens.set(token, row)
    this.outbox.restore(stored.outbox)
    this.storedSigningIdentity = stored.signing
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
    const topic = new Topic({ arn, name, account, region }, fifo, attributes, this.clock, this.rows)
    this.topics(account, region).set(name, topic)
    topic.save()
    return topic
  }

  deleteTopic(topic: Topic): void {
    this.regions.peek(topic.account, topic.region)?.delete(topic.name)
    topic.forget()
    // Its subscriptions go with it; deliveries still retrying see that and stop.
    topic.subscriptions.clear()
  }

  /** A fresh confirmation token for `sub` (AWS's are long hex strings). */
  newToken(sub: Subscription): string {
    const token = randomBytes(64).toString('hex')
    const entry = { subscriptionArn: sub.arn, topicArn: sub.topic.arn, expiresAt: this.clock.now() + tokenLifetimeMs }
    this.tokens.set(token, entry)
    this.rows?.token(token, entry)
    return token
  }

  /** The subscription a token confirms, if the token is known, for this topic and not expired. */
  subscriptionForToken(topicArn: string, token: string): Subscription | undefined {
    const entry = this.tokens.get(token)
    if (entry === undefined || entry.topicArn !== topicArn) return undefined
    if (entry.expiresAt <= this.clock.now()) {
      this.tokens.delete(token)
      this.rows?.tokenGone(token)
      return undefined
    }
    return this.findSubscription(entry.subscriptionArn)
  }

  subscribe(topic: Topic, protocol: Protocol, endpoint: string, owner: string, pending: boolean): Subscription {
    const sub = new Subscription(`${topic.arn}:${randomUUID()}`, topic, protocol, endpoint, owner, pending, this.rows)
    topic.subscriptions.set(sub.arn, sub)
    sub.save()
    return sub
  }

  /** Unsubscribe (`counted`: shown in SubscriptionsDeleted) or a Subscribe whose attributes were refused. */
  removeSubscription(sub: Subscription, counted: boolean): void {
    sub.topic.subscriptions.delete(sub.arn)
    this.rows?.subscriptionGone(sub.arn)
    if (!counted) return
    sub.topic.subscriptionsDeleted += 1
    this.findTopic(sub.topic.arn)?.save()
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
    this.rows?.clear()
  }

  /** Shutdown: the state stays in its rows for the next start. */
  close(): void {
    this.regions.clear()
    this.outbox.forget()
    this.tokens.clear()
  }
}
