// CloudWatch's documented quotas and retention (API reference, "CloudWatch service quotas").
const minute = 60_000
const hour = 60 * minute
const day = 24 * hour

export const limits = {
  /** PutMetricData: metrics (MetricDatum entries) per call. */
  maxMetricsPerPut: 1000,
  /** Values/Counts entries per MetricDatum. */
  maxValuesPerDatum: 150,
  maxDimensions: 30,
  /** Timestamps accepted: two weeks back, two hours ahead. */
  maxPastMs: 14 * day,
  maxFutureMs: 2 * hour,
  /** Values must lie in [-2^360, 2^360]. */
  maxMagnitude: 2 ** 360,
  /** GetMetricStatistics returns at most this many datapoints per call. */
  maxStatisticsDatapoints: 1440,
  /** GetMetricData: queries per call, default MaxDatapoints. */
  maxMetricDataQueries: 500,
  defaultMaxDatapoints: 100_800,
  listMetricsPage: 500,
  describeAlarmsMax: 100,
  describeAlarmsDefault: 50,
  historyMax: 100,
  /** ListMetrics RecentlyActive=PT3H. */
  recentlyActiveMs: 3 * hour,
  /** How long data is kept at each resolution (the documented retention schedule). */
  retention: { highRes: 3 * hour, minute: 15 * day, fiveMinutes: 63 * day, hour: 455 * day },
  /** Alarm history is kept two weeks. */
  historyMs: 14 * day,
  dashboardBodyBytes: 1024 * 1024,
} as const

export const time = { minute, hour, day }
