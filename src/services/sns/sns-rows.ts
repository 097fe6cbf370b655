// SNS's durable state as rows of the persistence layer (docs/persistence.md): topics, their FIFO
// sequence and deduplication window, subscriptions, confirmation tokens, the recorded email/SMS
// outbox and the signing identity. Only built with a data dir: in memory nothing holds SnsRows.
import type { Persistence, Table } from '../../storage/persistence/persistence.ts'
import type { OutboxMessage } from './outbox.ts'

/** A topic without its subscriptions. Key `<account>/<region>/<name>`. */
export interface TopicRow {
  account: string
  region: string
  name: string
  fifo: boolean
  attributes: Record<string, string>
  /** In insertion order: ListTagsForResource lists them that way. */
  tags: [string, string][]
  dataProtectionPolicy: string
  subscriptionsDeleted: number
}

/** A FIFO publish's deduplication entry. Key `<topic arn>/<encoded dedup key>`. */
export interface TopicDedupRow {
  key: string
  messageId: string
  sequenceNumber: string
  until: number
}

/** Key: the subscription ARN. */
export interface SubscriptionRow {
  topicArn: string
  protocol: string
  endpoint: string
  owner: string
  pending: boolean
  confirmationWasAuthenticated: boolean
  authenticateOnUnsubscribe: boolean
  attributes: Record<string, string>
}

/** Key: the token. */
export interface TokenRow {
  subscriptionArn: string
  topicArn: string
  expiresAt: number
}

/** The signer's key pair and certificate (key `identity`). */
export interface SigningRow {
  privateKeyPem: string
  certificatePem: string
}

/** What the topic's row is built from (Topic satisfies it). */
export interface TopicRowSource {
  readonly arn: string
  readonly name: string
  readonly account: string
  readonly region: string
  readonly fifo: boolean
  readonly attributes: Record<string, string>
  readonly tags: Map<string, string>
  readonly dataProtectionPolicy: string
  readonly subscriptionsDeleted: number
}

/** What a subscription's row is built from (Subscription satisfies it). */
export interface SubscriptionRowSource {
  readonly arn: string
  readonly topic: { readonly arn: string }
  readonly protocol: string
  readonly endpoint: string
  readonly owner: string
  readonly pending: boolean
  readonly confirmationWasAuthenticated: boolean
  readonly authenticateOnUnsubscribe: boolean
  readonly attributes: Record<string, string>
}

export interface SnsStored {
  topics: TopicRow[]
  /** Per topic ARN. */
  sequences: Map<string, string>
  dedup: Map<string, TopicDedupRow[]>
  /** Per topic ARN, in subscription order. */
  subscriptions: Map<string, [arn: string, row: SubscriptionRow][]>
  tokens: [token: string, row: TokenRow][]
  outbox: [key: string, message: OutboxMessage][]
  signing: SigningRow | undefined
}

export class SnsRows {
  private readonly topics: Table<TopicRow>
  private readonly sequences: Table<string>
  private readonly dedups: Table<TopicDedupRow>
  private readonly subscriptions: Table<SubscriptionRow>
  private readonly tokens: Table<TokenRow>
  private readonly outbox: Table<OutboxMessage>
  private readonly signing: Table<SigningRow>

  constructor(persistence: Persistence) {
    this.topics = persistence.table('sns_topics')
    this.sequences = persistence.table('sns_topic_sequences')
    this.dedups = persistence.table('sns_topic_dedup')
    this.subscriptions = persistence.table('sns_subscriptions')
    this.tokens = persistence.table('sns_tokens')
    this.outbox = persistence.table('sns_outbox')
    this.signing = persistence.table('sns_signing')
  }

  topic(t: TopicRowSource): void {
    this.topics.put(`${t.account}/${t.region}/${t.name}`, {
      account: t.account, region: t.region, name: t.name, fifo: t.fifo, attributes: { ...t.attributes }, tags: [...t.tags],
      dataProtectionPolicy: t.dataProtectionPolicy, subscriptionsDeleted: t.subscriptionsDeleted,
    })
  }
  /** The topic and everything of it; `subscriptionArns` and `dedupKeys` are what it held. */
  topicGone(t: TopicRowSource, subscriptionArns: Iterable<string>, dedupKeys: Iterable<string>): void {
    this.topics.delete(`${t.account}/${t.region}/${t.name}`)
    this.sequences.delete(t.arn)
    for (const arn of subscriptionArns) this.subscriptions.delete(arn)
    for (const key of dedupKeys) this.dedupGone(t.arn, key)
  }

  /** A FIFO publish: the topic's sequence counter and the deduplication entry, two small rows. */
  published(topicArn: string, sequence: bigint, entry: TopicDedupRow): void {
    this.sequences.put(topicArn, sequence.toString())
    this.dedups.put(`${topicArn}/${encodeURIComponent(entry.key)}`, entry)
  }
  dedupGone(topicArn: string, key: string): void {
    this.dedups.delete(`${topicArn}/${encodeURIComponent(key)}`)
  }

  subscription(s: SubscriptionRowSource): void {
    this.subscriptions.put(s.arn, {
      topicArn: s.topic.arn, protocol: s.protocol, endpoint: s.endpoint, owner: s.owner, pending: s.pending,
      confirmationWasAuthenticated: s.confirmationWasAuthenticated, authenticateOnUnsubscribe: s.authenticateOnUnsubscribe,
      attributes: { ...s.attributes },
    })
  }
  subscriptionGone(arn: string): void {
    this.subscriptions.delete(arn)
  }

  token(token: string, row: TokenRow): void {
    this.tokens.put(token, row)
  }
  tokenGone(token: string): void {
    this.tokens.delete(token)
  }

  /** `key` orders the outbox: a zero-padded counter. */
  recorded(key: string, message: OutboxMessage): void {
    this.outbox.put(key, message)
  }
  outboxCleared(): void {
    this.outbox.clear()
  }

  signingIdentity(row: SigningRow): void {
    this.signing.put('identity', row)
  }

  /**
   * POST /_nimbus/reset: every SNS row goes but the signing identity, which the in-memory signer
   * keeps too (a reset does not make a new key).
   */
  clear(): void {
    for (const table of [this.topics, this.sequences, this.dedups, this.subscriptions, this.tokens, this.outbox]) table.clear()
  }

  load(): SnsStored {
    const dedup = new Map<string, TopicDedupRow[]>()
    for (const [key, row] of this.dedups.load()) {
      const arn = key.slice(0, key.lastIndexOf('/'))
      const list = dedup.get(arn)
      if (list === undefined) dedup.set(arn, [row])
      else list.push(row)
    }
    const subscriptions = new Map<string, [string, SubscriptionRow][]>()
    for (const [arn, row] of this.subscriptions.load()) {
      const list = subscriptions.get(row.topicArn)
      if (list === undefined) subscriptions.set(row.topicArn, [[arn, row]])
      else list.push([arn, row])
    }
    return {
      topics: this.topics.load().map(([, row]) => row),
      sequences: new Map(this.sequences.load()),
      dedup,
      subscriptions,
      tokens: this.tokens.load(),
      outbox: this.outbox.load(),
      signing: this.signing.load()[0]?.[1],
    }
  }
}
