// CloudTrail limits and fixed values as AWS documents them (trails, event selectors, event history).

export const dayMs = 86_400_000

export const limits = {
  /** Trails per account per region (a multi-region trail counts in every region). */
  maxTrailsPerRegion: 5,
  /** Event history keeps 90 days of management events. */
  historyMs: 90 * dayMs,
  /**
   * Nimbus's own bound on event history per account and region (AWS keeps all of 90 days): the
   * oldest events go first past it, so a long-running Nimbus doesn't grow without end.
   */
  maxHistoryEvents: 20_000,
  /** LookupEvents' MaxResults: 1–50, default 50. */
  maxLookupResults: 50,
  /** A trail delivers its log file about every 5 minutes. */
  deliveryIntervalMs: 5 * 60_000,
  maxEventSelectors: 5,
  maxAdvancedEventSelectors: 500,
  maxDataResourceValues: 250,
  maxTags: 50,
}
