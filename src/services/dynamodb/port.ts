// The narrow, typed port other services use to reach DynamoDB. Types only.
import type { AttributeValue } from './generated/types.ts'

type Item = Record<string, AttributeValue>

export interface DynamoDbPort {
  /** Whether a table of that name exists (in any status) in the account and region. */
  tableExists(account: string, region: string, name: string): boolean
  /** The account's and region's streams (enabled, or disabled less than 24 h ago), ordered by ARN. */
  streams(account: string, region: string): DynamoStreamInfo[]
  /** One stream by ARN, or undefined. */
  stream(arn: string): DynamoStreamInfo | undefined
  /**
   * Up to `limit` records of the stream after `seq` (at it too when `inclusive`), trimmed to 24 h
   * first. Undefined when the stream is gone.
   */
  streamRecords(arn: string, seq: string, inclusive: boolean, limit: number): DynamoStreamRecord[] | undefined
  /**
   * Calls `listener` at once (at the clock's instant) whenever the stream gains a record (writes, TTL
   * deletions) or is disabled (UpdateTable, DeleteTable); returns the unsubscriber. Lambda's poller idles on it.
   */
  watchStream(arn: string, listener: () => void): () => void
  /** Until when (epoch ms) the stream changes only in ways `watchStream` reports: a disabled stream's end of listing 24 h on; else Infinity. */
  streamQuietUntil(arn: string): number
  /** The AWS/DynamoDB metrics its tables publish, from their in-memory per-minute counters. */
  metrics: import('../cloudwatch/port.ts').MetricSource
}

export interface DynamoStreamInfo {
  arn: string
  label: string
  tableName: string
  account: string
  region: string
  viewType: 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES'
  createdAt: number
  status: 'ENABLING' | 'ENABLED' | 'DISABLED'
  keySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[]
  shardId: string
  startSeq: string
  /** The newest record's sequence number (the one before startSeq when there is none). */
  lastSeq: string
  /** Set once the shard is closed (stream disabled): its last sequence number. */
  endSeq?: string
  /** The newest sequence number trimmed away after 24 h ('0' when nothing was trimmed). */
  trimmedThrough: string
}

export interface DynamoStreamRecord {
  seq: string
  /** Epoch ms the change was made. */
  at: number
  eventId: string
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE'
  keys: Item
  newImage?: Item
  oldImage?: Item
  sizeBytes: number
  /** Deleted by TTL (the record's userIdentity is the DynamoDB service). */
  ttl?: true
}
