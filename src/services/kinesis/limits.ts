// Kinesis Data Streams quotas and fixed values as AWS documents them (service-sizes-and-limits).

export const MiB = 1_048_576
export const hourMs = 3_600_000

export const limits = {
  maxPutRecords: 500,
  /** PutRecords: data blobs plus partition keys of the whole request. */
  maxPutBytes: 5 * MiB,
  /** One record: data blob plus partition key (the default MaxRecordSizeInKiB, 1,024). */
  maxRecordBytes: MiB,
  /** Per shard, per second of the clock. */
  shardWriteBytes: MiB,
  shardWriteRecords: 1_000,
  shardReadCalls: 5,
  shardReadBytes: 2 * MiB,
  maxGetRecordsLimit: 10_000,
  /** One GetRecords answer carries at most this much data. */
  maxGetRecordsBytes: 10 * MiB,
  iteratorLifetimeMs: 300_000,
  /** ListShards/ListStreams NextTokens, like iterators, live 300 seconds. */
  nextTokenLifetimeMs: 300_000,
  minRetentionHours: 24,
  maxRetentionHours: 8_760,
  defaultRetentionHours: 24,
  /** ON_DEMAND streams start with 4 shards (AWS's documented initial write capacity: 4 MB/s and 4,000 records/s). */
  onDemandShards: 4,
  /**
   * AWS: on-demand streams "automatically scale up to 200 MB/second and 200,000 records per second for
   * writes" (the default per-stream quota): a stream-wide budget per second of the clock, and no
   * scaling past the 200 shards that carry it.
   */
  onDemandStreamWriteBytes: 200 * MiB,
  onDemandStreamWriteRecords: 200_000,
  onDemandMaxShards: 200,
  describeStreamDefaultLimit: 100,
  listShardsDefault: 1_000,
  listStreamsDefault: 100,
  listConsumersDefault: 100,
  maxConsumersPerStream: 20,
  maxTags: 50,
  /** UpdateShardCount: at most 10 calls per stream in a rolling 24 hours, and 10,000 shards a stream. */
  updateShardCountsPerWindow: 10,
  updateShardCountWindowMs: 24 * 3_600_000,
  maxShardsPerStream: 10_000,
  /** UpdateStreamMode: two switches per stream in a rolling 24 hours. */
  modeSwitchesPerWindow: 2,
  modeSwitchWindowMs: 24 * 3_600_000,
}

/**
 * The shards an account may have in a region: 500 in us-east-1, us-west-2 and eu-west-1, 200
 * elsewhere (AWS's default quota).
 */
export function shardQuota(region: string): number {
  return ['us-east-1', 'us-west-2', 'eu-west-1'].includes(region) ? 500 : 200
}
