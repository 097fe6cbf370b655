// The narrow, typed port other services use to reach Kinesis Data Streams (EventBridge/Firehose/SNS
// targets write records; Lambda's event source mappings read shards). Types only.

export interface KinesisPutResult {
  shardId: string
  sequenceNumber: string
}

export interface KinesisShardInfo {
  shardId: string
  parentShardId?: string
  adjacentParentShardId?: string
  open: boolean
}

export interface KinesisReadRecord {
  sequenceNumber: string
  partitionKey: string
  data: Buffer
  approximateArrivalTimestamp: number
}

export interface KinesisRead {
  records: KinesisReadRecord[]
  /** A closed shard with nothing more to read (its children carry on). */
  ended: boolean
  /** Where to read next time, as `{ after }`: past the last record returned, or where this read started. */
  after: string
}

export interface KinesisPort {
  /** The AWS/Kinesis metrics streams publish, from their in-memory per-minute counters. */
  metrics: import('../cloudwatch/port.ts').MetricSource
  /** PutRecord's rules (routing, limits, throughput); throws AWS's error (AwsError) as PutRecord answers it. */
  putRecord(account: string, region: string, streamName: string, partitionKey: string, data: Buffer): KinesisPutResult
  streamExists(account: string, region: string, streamName: string): boolean
  /** An enhanced fan-out consumer's status by its ARN (`…:stream/<name>/consumer/<consumer>:<epoch>`); undefined when there is none. */
  consumerStatus(consumerArn: string): 'CREATING' | 'ACTIVE' | 'DELETING' | undefined
  /** Every shard still listed, oldest first; empty when the stream is missing. */
  shards(account: string, region: string, streamName: string): KinesisShardInfo[]
  /**
   * Records of a shard after a sequence number (or from TRIM_HORIZON / LATEST), oldest first, without
   * GetRecords' per-second limits (AWS's own pollers have their own budget); `ended` once a closed
   * shard has nothing more.
   */
  read(account: string, region: string, streamName: string, shardId: string,
    from: { after: string } | { atTime: number } | 'TRIM_HORIZON' | 'LATEST', limit: number): KinesisRead
  /**
   * Calls `listener` at once (at the clock's instant) whenever the named stream changes in a way a
   * reader could see: records appended (API or port), a reshard asked for or made, its status,
   * retention or consumers changing, it being created or deleted. By name: a namesake created later
   * is reported too. Returns the unsubscriber. Pollers idle on it once caught up (`quietUntil`).
   */
  watch(account: string, region: string, streamName: string, listener: () => void): () => void
  /**
   * Until when (epoch ms) the stream changes only in ways `watch` reports: the earliest of its pending
   * transition (CREATING/UPDATING/DELETING ending, a reshard made), a consumer's, a scheduled on-demand
   * split and a closed shard leaving the listing at retention; Infinity when none (or no stream).
   */
  quietUntil(account: string, region: string, streamName: string): number
}
