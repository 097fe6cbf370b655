// A topic: its attributes, its subscriptions and, for FIFO topics, deduplication and sequence numbers.
import type { Clock } from '../../core/clock.ts'
import { limits } from './limits.ts'
import type { SnsRows, TopicDedupRow } from './sns-rows.ts'
import type { Subscription } from './subscription.ts'

export const defaultEffectiveDeliveryPolicy = JSON.stringify({
  http: {
    defaultHealthyRetryPolicy: {
      minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0,
      numMinDelayRetries: 0, backoffFunction: 'linear',
    },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
  },
})

/** AWS's default access policy for a new topic. */
export function defaultPolicy(arn: string, account: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [{
      Sid: '__default_statement_ID',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission',
        'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
      Resource: arn,
      Condition: { StringEquals: { 'AWS:SourceOwner': account } },
    }],
  })
}

export interface PublishedResult {
  messageId: string
  sequenceNumber: string | undefined
  /** False when a FIFO duplicate within the deduplication window: nothing is delivered. */
  fresh: boolean
}

export class Topic {
  readonly arn: string
  readonly name: string
  readonly account: string
  readonly region: string
  readonly fifo: boolean
  /** Settable attributes as given (DisplayName, Policy, DeliveryPolicy, KmsMasterKeyId, …). */
  readonly attributes: Record<string, string>
  readonly tags = new Map<string, string>()
  readonly subscriptions = new Map<string, Subscription>()
  subscriptionsDeleted = 0
  /** Stored and returned, not applied (README Gaps); '' when none. */
  dataProtectionPolicy = ''
  private readonly clock: Clock
  private readonly rows: SnsRows | undefined
  private sequence = 10_000_000_000_000_000_000n
  private readonly dedup = new Map<string, { messageId: string; sequenceNumber: string; until: number }>()

  constructor(identity: { arn: string; name: string; account: string; region: string }, fifo: boolean,
    attributes: Record<string, string>, clock: Clock, rows?: SnsRows) {
    this.arn = identity.arn
    this.name = identity.name
    this.account = identity.account
    this.region = identity.region
    this.fifo = fifo
    this.attributes = attributes
    this.clock = clock
    this.rows = rows
  }

  /** Writes the topic's row (data dir only); called after every change to its attributes, tags or policies. */
  save(): void {
    this.rows?.topic(this)
  }

  /** The topic is deleted: its row, its subscriptions' and its deduplication entries' go too. */
  forget(): void {
    this.rows?.topicGone(this, this.subscriptions.keys(), this.dedup.keys())
  }

  /** At start: the FIFO sequence counter and deduplication window as stored. */
  restoreFifo(sequence: string | undefined, dedup: readonly TopicDedupRow[]): void {
    if (sequence !== undefined) this.sequence = BigInt(sequence)
    for (const d of dedup) {
      this.dedup.set(d.key, { messageId: d.messageId, sequenceNumber: d.sequenceNumber, until: d.until })
    }
  }

  get contentBasedDeduplication(): boolean {
    return this.attributes.ContentBasedDeduplication === 'true'
  }

  /** Every attribute GetTopicAttributes shows. */
  allAttributes(): Record<string, string> {
    const subs = [...this.subscriptions.values()]
    const pending = subs.filter((s) => s.pending).length
    const out: Record<string, string> = {
      Policy: defaultPolicy(this.arn, this.account),
      Owner: this.account,
      SubscriptionsPending: String(pending),
      TopicArn: this.arn,
      EffectiveDeliveryPolicy: this.attributes.DeliveryPolicy ?? defaultEffectiveDeliveryPolicy,
      SubscriptionsConfirmed: String(subs.length - pending),
      DisplayName: '',
      SubscriptionsDeleted: String(this.subscriptionsDeleted),
      ...this.attributes,
    }
    if (this.fifo) {
      out.FifoTopic = 'true'
      out.ContentBasedDeduplication = this.attributes.ContentBasedDeduplication ?? 'false'
    }
    return out
  }

  /**
   * Takes a FIFO publish's deduplication id: a duplicate within five minutes gets the first
   * publish's MessageId and sequence number back and is not delivered again.
   */
  record(messageId: string, dedupKey: string | undefined): PublishedResult {
    if (!this.fifo || dedupKey === undefined) return { messageId, sequenceNumber: undefined, fresh: true }
    const now = this.clock.now()
    const seen = this.dedup.get(dedupKey)
    if (seen !== undefined && seen.until > now) return { messageId: seen.messageId, sequenceNumber: seen.sequenceNumber, fresh: false }
    this.sequence += 1n
    const sequenceNumber = this.sequence.toString()
    const entry = { messageId, sequenceNumber, until: now + limits.fifoDedupWindowMs }
    this.dedup.set(dedupKey, entry)
    this.rows?.published(this.arn, this.sequence, { key: dedupKey, ...entry })
    if (this.dedup.size > 10_000) this.pruneDedup(now)
    return { messageId, sequenceNumber, fresh: true }
  }

  private pruneDedup(now: number): void {
    for (const [key, entry] of this.dedup) {
      if (entry.until > now) continue
      this.dedup.delete(key)
      this.rows?.dedupGone(this.arn, key)
    }
  }
}
