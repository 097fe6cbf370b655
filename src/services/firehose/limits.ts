// Amazon Data Firehose limits and fixed values as AWS documents them (PutRecord/PutRecordBatch, BufferingHints, quotas).

export const limits = {
  /** A record's data before base64: 1,000 KiB (the model's Data max). */
  maxRecordBytes: 1_024_000,
  /** PutRecordBatch's whole request: 4 MiB of data. */
  maxBatchBytes: 4 * 1024 * 1024,
  /** BufferingHints defaults for S3: 5 MiB or 300 s, whichever comes first. */
  defaultSizeInMBs: 5,
  defaultIntervalInSeconds: 300,
  /** CREATING → ACTIVE takes this long on the clock ([R]: AWS takes seconds to a minute). */
  creatingMs: 5_000,
  /** A deleted stream answers DELETING this long on the clock before it is gone ([R], as CREATING). */
  deletingMs: 5_000,
  /** Start/StopDeliveryStreamEncryption: ENABLING → ENABLED (DISABLING → DISABLED) after this long ([R]). */
  encryptionChangeMs: 5_000,
  /** Start/StopDeliveryStreamEncryption together: at most this many calls per stream in any `encryptionWindowMs` (API reference). */
  maxEncryptionCalls: 25,
  encryptionWindowMs: 24 * 60 * 60_000,
  /** S3 delivery failures (bucket missing) are retried for up to 24 hours, then the data is lost (AWS's documented behaviour). */
  maxRetryMs: 24 * 60 * 60_000,
  /** Time between delivery attempts after a failure ([R]: AWS does not document its back-off). */
  retryDelayMs: 60_000,
  maxTags: 50,
  /** HTTP endpoints have 3 minutes to answer (AWS's documented timeout, counted on the clock). */
  httpTimeoutMs: 180_000,
  /**
   * HTTP endpoint retries: AWS documents "an initial back-off time (1 second) … multiplier(2) ^
   * retry_count … capped by a maximum interval of 2 minutes", with ±15 % jitter (not applied here).
   */
  httpRetryBaseMs: 1_000,
  httpRetryMaxMs: 120_000,
  /** Dynamic partitioning needs a buffer of at least 64 MiB (AWS's documented minimum) and no zero buffering. */
  minDynamicSizeInMBs: 64,
  minDynamicIntervalInSeconds: 60,
  /** Active partitions per stream; records past it go to the error output as `activePartitionExceeded` (AWS's default quota). */
  maxActivePartitions: 500,
  destinationId: 'destinationId-000000000001',
}
