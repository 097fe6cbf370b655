// CloudWatch Logs limits and fixed values as AWS documents them (PutLogEvents, PutRetentionPolicy, Describe*).

export const dayMs = 86_400_000

export const limits = {
  maxBatchEvents: 10_000,
  maxBatchBytes: 1_048_576,
  /** Counted per event on top of its UTF-8 message bytes, in batches and in 1 MB responses. */
  eventOverheadBytes: 26,
  maxBatchSpanMs: 24 * 60 * 60_000,
  /** Events older than this (by timestamp) are rejected, not stored: tooOldLogEventEndIndex. */
  maxEventAgeMs: 14 * dayMs,
  /** Events further than this in the future are rejected: tooNewLogEventStartIndex. */
  maxEventFutureMs: 2 * 60 * 60_000,
  maxDescribeLimit: 50,
  maxListLogGroupsLimit: 1_000,
  maxEventsLimit: 10_000,
  maxResponseBytes: 1_048_576,
  maxTags: 50,
  maxFilterStreamNames: 100,
  /** The model's FilterPattern length (0–1,024). */
  maxFilterPatternLength: 1_024,
}

/** The only values PutRetentionPolicy accepts. */
export const retentionDays = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const
