// Kinesis Data Streams quotas and fixed values as AWS documents them (service-sizes-and-limits).

export const MiB = 1_048_576
export const hourMs = 3_600_000

export const limits = {
  maxPutRecords: 500,
  /**
   * PutRecords: data blobs plus partition keys of the whole request. AWS (PutRecords, since records
   * may reach 10 MiB): "Each record in the request can be as large as 10 MiB, up to a limit of 10 MiB
   * for the entire request, including partition keys."
   */
  maxPutBytes: 10 * MiB,
  /** A stream's maximum record size (data blob plus partition key): MaxRecordSizeInKiB, 1,024 by default, 1,024–10,240. */
  defaultMaxRecordSizeKiB: 1_024,
  /** On-demand warm throughput: "Scale to more than 10 GiBps" is refused by default (UpdateStreamWarmThroughput). */
  maxWarmThroughputMiBps: 10_240,
  /** A minimum throughput billing commitment lasts at least 24 hours before it can end. */
  commitmentMinimumMs: 24 * 3_600_000,
  /**
   * Per shard, per second of the clock. A record larger than this (a stream whose MaxRecordSizeInKiB
   * is past 1,024) bursts past it and the shard's writes then wait until its bytes are paid off at
   * 1 MiB/s (AWS: "burst up to 10 MiB while averaging 1 MiB per second").
   */
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
  /** "By default, you can create up to 50 data streams with the on-demand capacity mode" (per account and Region). */
  onDemandStreamCountLimit: 50,
  describeStreamDefaultLimit: 100,
  listShardsDefault: 1_000,
  listStreamsDefault: 100,
  listConsumersDefault: 100,
  maxConsumersPerStream: 20,
  /** On-demand streams of an account in On-demand Advantage mode (its minimum throughput billing commitment). */
  maxConsumersAdvantage: 50,
  maxTags: 50,
  /** UpdateShardCount: at most 10 calls per stream in a rolling 24 hours, and 10,000 shards a stream. */
  updateShardCountsPerWindow: 10,
  updateShardCountWindowMs: 24 * 3_600_000,
  maxShardsPerStream: 10_000,
  /** StartStreamEncryption: "You can successfully apply a new … KMS key for server-side encryption 25 times in a rolling 24-hour period." */
  keyApplicationsPerWindow: 25,
  keyApplicationWindowMs: 24 * 3_600_000,
  /** UpdateStreamMode: two switches per stream in a rolling 24 hours. */
  modeSwitchesPerWindow: 2,
  modeSwitchWindowMs: 24 * 3_600_000,
}

/** The Regions AWS gives the larger defaults (shard quota, on-demand scaling). */
const LARGE_REGIONS = new Set(['us-east-1', 'us-west-2', 'eu-west-1'])

/**
 * The open shards an account may have in a Region. AWS's quotas page: "The default shard quota is 20,000
 * shards per AWS account" in US East (N. Virginia), US West (Oregon) and Europe (Ireland); "For all other
 * Regions, the default shard quota is 1,000 or 6,000 shards" — which Regions get 6,000 it doesn't say: 1,000
 * here [R].
 */
export function shardQuota(region: string): number {
  return LARGE_REGIONS.has(region) ? 20_000 : 1_000
}

/**
 * How far an on-demand stream scales for writes, per second: AWS's quotas page, "In the US East (N.
 * Virginia), US West (Oregon), and Europe (Ireland) AWS Regions, data streams with the on-demand capacity
 * mode scale up to 10 GB/s of write … For other Regions, … up to 200 MB/s of write" (read as GiB/MiB; the
 * records at 1,000 per MiB, as the FAQ's "200 MB/second and 200,000 records per second" [R] for 10 GiB/s) —
 * a stream-wide budget per second of the clock, and no scaling past the shards (1 MiB/s each) that carry it.
 */
export function onDemandCapacity(region: string): { bytes: number; records: number; maxShards: number } {
  const mib = LARGE_REGIONS.has(region) ? 10_240 : 200
  return { bytes: mib * MiB, records: mib * 1_000, maxShards: mib }
}
