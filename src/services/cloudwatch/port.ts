// The narrow port other services use to reach CloudWatch: publish their AWS/<service> metrics, or
// register a metric source CloudWatch asks for a time range's values when it reads them. Types only.

export interface PublishedDatum {
  metricName: string
  dimensions: { Name: string; Value: string }[]
  value: number
  unit?: string
  /** Epoch ms; default now. */
  timestamp?: number
}

/**
 * A metric whose values are piecewise constant between changes (an instance's CPU from its hook, its
 * status checks): CloudWatch turns the steps into datapoints for whatever range it reads, so a
 * 30-day clock jump stores nothing and costs only the changes.
 */
export interface SourcedSeries {
  metricName: string
  dimensions: { Name: string; Value: string }[]
  unit: string
  /** How a period's datapoint combines the values within it: time-weighted average, or the maximum. */
  combine: 'average' | 'maximum'
  /**
   * Ascending: from each `t` (epoch ms) on, `value` until the next step; undefined = not publishing.
   * `resolution` (seconds, 60 or 300): one datapoint per aligned period of that length, available once it ends.
   * `slope`: the value grows by this much per second from `t` (an age: SQS's oldest message), so
   * every period has its own datapoint until the next step.
   */
  steps: { t: number; value: number | undefined; resolution: number; slope?: number }[]
  /**
   * Instead of steps: ready-made 1-minute datapoints (a counter's per-minute sum, a duration's
   * per-minute statistics), ascending by `t` (the minute's start). Each is available once its minute ends.
   */
  points?: SourcedPoint[]
  /**
   * With `points`: spans [start, end) of epoch ms in which a minute without a point is a 0 datapoint
   * (a counter of an active SQS queue publishes 0s; `end` may be Infinity). Ascending, disjoint.
   */
  zeroSpans?: [number, number][]
}

/** One minute's aggregate of a counter or of measured values (`values` kept for percentiles). */
export interface SourcedPoint {
  t: number
  n: number
  sum: number
  min: number
  max: number
  values?: number[]
}

export interface MetricSource {
  /** The namespace it serves (AWS/EC2). */
  namespace: string
  /** One metric by name and exact dimension set, undefined when the source has none. */
  find(account: string, region: string, metricName: string, dimensions: readonly { Name: string; Value: string }[]): SourcedSeries | undefined
  /** Every metric it has in an account and region (ListMetrics). */
  list(account: string, region: string): SourcedSeries[]
}

export interface CloudWatchPort extends CloudWatchAlarms {
  /** Stores datapoints as PutMetricData would, without its checks (AWS/ namespaces allowed). */
  publish(account: string, region: string, namespace: string, data: readonly PublishedDatum[]): void
  /**
   * A source's series changed (a hook, a state change): alarms reading its namespace there are
   * re-planned — on the next microtask, or at once with `immediate` (the change is complete and
   * happened now, maybe in a clock timer mid-jump: the alarms must plan from this instant).
   * `dimensions`: only the series with one of these dimensions changed (one instance's, its group's):
   * alarms on a metric with a single other dimension are left as planned.
   */
  sourceChanged(account: string, region: string, namespace: string, immediate?: boolean, dimensions?: readonly { Name: string; Value: string }[]): void
}

/** An alarm another service creates and owns (target tracking's), as PutMetricAlarm would be given it. */
export interface OwnedMetricAlarm {
  name: string
  description: string
  namespace?: string
  metricName?: string
  dimensions?: { Name: string; Value: string }[]
  statistic?: string
  unit?: string
  /** Metric math instead of one metric: the queries, one returning data. */
  metrics?: { Id: string; Expression?: string; Label?: string; ReturnData?: boolean; Period?: number
    MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions?: { Name: string; Value: string }[] }; Period: number; Stat: string; Unit?: string } }[]
  period: number
  evaluationPeriods: number
  datapointsToAlarm: number
  threshold: number
  comparison: string
  alarmActions: string[]
}

export interface CloudWatchAlarms {
  /** Creates or replaces a metric alarm (checked as PutMetricAlarm checks it: throws its AwsError). */
  putMetricAlarm(account: string, region: string, alarm: OwnedMetricAlarm): void
  /** Deletes the named alarms that exist. */
  deleteAlarms(account: string, region: string, names: readonly string[]): void
  /**
   * A metric's datapoints of `period` seconds from `start` to `end` (epoch ms) by a statistic: [period start, value] ascending.
   */
  statistics(account: string, region: string, query: { namespace: string; metricName: string; dimensions: { Name: string; Value: string }[]; statistic: string },
    start: number, end: number, period: number): [number, number][]
}
