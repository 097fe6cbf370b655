// EventBridge's numeric limits, named, so a profile can change them (aws-behaviour.md §0.2, §5).
export const limits = {
  maxPutEventsEntries: 10,
  /**
   * Total PutEvents request size, counted as AWS documents it (see `entrySize`). Buses accept 1 MB
   * events since 2026-01-29; `legacyMaxRequestBytes` is the 256 KB limit the API reference still states.
   */
  maxRequestBytes: 1_048_576,
  legacyMaxRequestBytes: 262_144,
  /** Bytes a given `Time` adds to an entry's size. */
  timeFieldBytes: 14,
  /** "PutEvents will only process nested JSON up to 1100 levels deep" (API reference). */
  maxDetailDepth: 1_100,
  maxTargetsPerRule: 5,
  maxTargetsPerRequest: 10,
  maxTags: 50,
  /** List page sizes (Limit is 1–100 in the model). */
  pageSize: 100,
  defaultMaximumRetryAttempts: 185,
  defaultMaximumEventAgeSeconds: 86_400,
  /** Retry back-off: first retry after 1 s, doubling, capped (AWS: exponential with jitter). */
  firstRetryDelayMs: 1_000,
  maxRetryDelayMs: 5 * 60_000,
  /** Replays send one minute of archived events per step, one step per second of clock time. */
  replayChunkMs: 60_000,
  replayStepMs: 1_000,
}

/** The principal EventBridge sends to SQS as (SenderId of delivered messages) [R]. */
export const eventBridgeSenderId = 'AIDAIE6VAXUQU2DKHA7DK'

/**
 * API destination endpoints must answer within 5 seconds; slower requests time out and are retried
 * within the target's retry policy [D: user guide, "API destinations"]. Token requests get the same [R].
 */
export const apiDestinationTimeoutMs = 5_000
