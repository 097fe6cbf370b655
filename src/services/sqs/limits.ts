// SQS limits and defaults as AWS documents them (aws-behaviour.md §1). Named so a profile can change them.

export const limits = {
  maxMessageSize: 1_048_576, // 1 MiB since Aug 2025 (was 262,144)
  minMessageSize: 1_024,
  maxBatchPayload: 1_048_576,
  maxBatchEntries: 10,
  maxMessageAttributes: 10,
  maxDelaySeconds: 900,
  maxVisibilitySeconds: 43_200, // 12 h, also the cap on total invisibility after a receive
  maxWaitSeconds: 20,
  minRetentionSeconds: 60,
  maxRetentionSeconds: 1_209_600, // 14 days
  maxReceiveCount: 1_000,
  maxQueueNameLength: 80,
  maxListQueues: 1_000,
  dedupWindowMs: 5 * 60_000,
  receiveAttemptWindowMs: 5 * 60_000,
  purgeIntervalMs: 60_000,
  deletedNameReuseMs: 60_000,
  maxMoveRatePerSecond: 500,
  defaultMoveRatePerSecond: 500,
  maxRedriveAllowSourceArns: 10,
  /** Queue policy quotas: 8,192 bytes. The depth bound is Nimbus's (IAM's grammar never nests past ~6). */
  maxPolicyBytes: 8_192,
  maxPolicyDepth: 32,
} as const

export const defaults = {
  DelaySeconds: '0',
  MaximumMessageSize: String(limits.maxMessageSize),
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  SqsManagedSseEnabled: 'true',
} as const

export const fifoDefaults = {
  ContentBasedDeduplication: 'false',
  DeduplicationScope: 'queue',
  FifoThroughputLimit: 'perQueue',
} as const
