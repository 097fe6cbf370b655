// DynamoDB limits and fixed values as AWS documents them (Service, account and table quotas).

export const limits = {
  /** Item size, attribute names and values included. */
  maxItemBytes: 400 * 1024,
  /** Maps and lists nest 32 levels deep. */
  maxNestingDepth: 32,
  /** A Query or Scan page stops at 1 MB of items read. */
  maxPageBytes: 1024 * 1024,
  maxBatchGetKeys: 100,
  /** BatchGetItem answers at most 16 MB; the rest comes back as UnprocessedKeys. */
  maxBatchGetBytes: 16 * 1024 * 1024,
  maxBatchWriteRequests: 25,
  maxTransactItems: 100,
  /** TransactWriteItems' ClientRequestToken is remembered this long. */
  idempotencyWindowMs: 10 * 60_000,
  maxGsis: 20,
  maxLsis: 5,
  /** Projected non-key attributes across all of a table's indexes. */
  maxNonKeyAttributes: 100,
  maxTags: 50,
  /** Partition key values up to 2048 bytes, sort key values up to 1024. */
  maxPartitionKeyBytes: 2048,
  maxSortKeyBytes: 1024,
  maxListTablesLimit: 100,
  /** Reads cost a unit per 4 KB, writes per 1 KB. */
  readUnitBytes: 4096,
  writeUnitBytes: 1024,
  /** How long CREATING, UPDATING and DELETING last on the clock (deterministic, short). */
  transitionMs: 1_000,
  /**
   * TTL: an expired item is deleted this long after its TTL instant (AWS: "typically within a few
   * days"; fixed here so tests can step the clock over it). Until then reads still return it, as on AWS.
   */
  ttlDeletionDelayMs: 10 * 60_000,
  /** AWS's TTL ignores expiry times more than five years in the past. */
  ttlMaxPastMs: 5 * 365 * 24 * 60 * 60_000,
  /** DescribeLimits' account quotas (AWS's defaults). */
  accountMaxReadCapacityUnits: 80_000,
  accountMaxWriteCapacityUnits: 80_000,
  tableMaxReadCapacityUnits: 40_000,
  tableMaxWriteCapacityUnits: 40_000,
}
