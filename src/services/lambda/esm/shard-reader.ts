// What the shard poller (kinesis-poller.ts) needs from a stream source: its shards, reads from a
// position, and each record as Lambda hands it to the function. Kinesis and DynamoDB Streams each
// supply one over their service's port (kinesis-source.ts, dynamodb-source.ts).
import type { PollerSettings } from './poller.ts'

/** A record's fields the poller itself uses (ordering, lanes, age, failure records). */
export interface ShardRecord {
  sequenceNumber: string
  /** Spreads records over ParallelizationFactor lanes (Kinesis: the partition key; DynamoDB: the item's key). */
  partitionKey: string
  /** Epoch ms. */
  approximateArrivalTimestamp: number
}

export interface ShardInfo {
  shardId: string
  parentShardId?: string
  adjacentParentShardId?: string
}

export type ShardPosition = { after: string } | { atTime: number } | 'TRIM_HORIZON' | 'LATEST'

export interface ShardRead<R> {
  records: R[]
  /** A closed shard with nothing more to read (its children carry on). */
  ended: boolean
  /** Where to read next time: past the last record returned, or where this read started. */
  after: string
}

export interface ShardReader<R extends ShardRecord> {
  /** How log lines name the source ("Kinesis"). */
  readonly label: string
  /** Which shape FilterCriteria patterns see (event-pattern's lambdaFilterEvent). */
  readonly filterSource: 'kinesis' | 'dynamodb'
  /** The failure record's batch member: KinesisBatchInfo or DDBStreamBatchInfo. */
  readonly batchInfo: 'KinesisBatchInfo' | 'DDBStreamBatchInfo'
  /** The stream a source ARN reads (an enhanced fan-out consumer's stream); the ARN itself when absent. */
  streamArn?(sourceArn: string): string
  /** Every shard still listed, oldest first. */
  shards(sourceArn: string): ShardInfo[]
  read(sourceArn: string, shardId: string, from: ShardPosition, limit: number): ShardRead<R>
  /**
   * Calls `listener` whenever the source changes in a way a read could see (records, reshard, status,
   * deletion); returns the unsubscriber. Without it the poller never idles: it polls every second.
   */
  watch?(sourceArn: string, listener: () => void): () => void
  /** Until when (epoch ms) the source changes only in ways `watch` reports (Infinity: until told). */
  quietUntil?(sourceArn: string): number
  /** The record as Lambda's event carries it (key order as AWS sends it). */
  event(shardId: string, record: R, settings: PollerSettings): Record<string, unknown>
}
