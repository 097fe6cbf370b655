// Metric sources over a per-minute counter log (core/minute-log.ts): the part AWS/SNS, AWS/Events,
// AWS/Kinesis and AWS/S3's request metrics share — a metric is a counter (its minute's sum) or a
// measure (n, sum, min, max of the values recorded); a series is listed once it has a datapoint.
// Each service says only which metrics it has and how a series key maps to its dimensions.
import type { MinuteBucket, MinuteLog } from '../core/minute-log.ts'
import type { MetricSource, SourcedPoint, SourcedSeries } from './cloudwatch/port.ts'

export type MinuteMetric = { unit: string; counter: string } | { unit: string; measure: string }
type Dimensions = { Name: string; Value: string }[]

/** One metric's 1-minute datapoints in a series' buckets; undefined when it has none. */
export function minuteSeries(metricName: string, metric: MinuteMetric, dimensions: Dimensions,
  buckets: readonly MinuteBucket[]): SourcedSeries | undefined {
  const points: SourcedPoint[] = []
  for (const b of buckets) {
    if ('measure' in metric) {
      const m = b.measures[metric.measure]
      if (m !== undefined) points.push({ t: b.t, n: m.n, sum: m.sum, min: m.min, max: m.max })
      continue
    }
    const v = b.counts[metric.counter]
    if (v !== undefined) points.push({ t: b.t, n: 1, sum: v, min: v, max: v })
  }
  if (points.length === 0) return undefined
  return { metricName, dimensions, unit: metric.unit, combine: 'average', steps: [], points }
}

export interface MinuteSourceSpec {
  namespace: string
  log: MinuteLog
  metrics: Record<string, MinuteMetric>
  /** A series key's dimensions. */
  dimensionsOf(key: string): Dimensions
  /** The series key an exact dimension set names; undefined when it names none of this source's. */
  keyOf(dimensions: readonly { Name: string; Value: string }[]): string | undefined
  /** Whether a series key has a metric at all (default: every metric). */
  has?(key: string, metricName: string): boolean
}

export function minuteMetricSource(spec: MinuteSourceSpec): MetricSource {
  const { log, metrics } = spec
  const series = (key: string, buckets: readonly MinuteBucket[], name: string) =>
    spec.has?.(key, name) === false ? undefined : minuteSeries(name, metrics[name]!, spec.dimensionsOf(key), buckets)
  return {
    namespace: spec.namespace,
    find: (account, region, metricName, dimensions) => {
      if (metrics[metricName] === undefined) return undefined
      const key = spec.keyOf(dimensions)
      const buckets = key === undefined ? undefined : log.buckets(account, region, key)
      return buckets === undefined ? undefined : series(key!, buckets, metricName)
    },
    list: (account, region) => {
      const out: SourcedSeries[] = []
      for (const [key, buckets] of log.all(account, region)) {
        for (const name of Object.keys(metrics)) {
          const s = series(key, buckets, name)
          if (s !== undefined) out.push(s)
        }
      }
      return out
    },
  }
}

/** The key of a source whose series have one dimension `name`: its value. */
export const singleDimension = (name: string) => ({
  dimensionsOf: (key: string): Dimensions => [{ Name: name, Value: key }],
  keyOf: (dimensions: readonly { Name: string; Value: string }[]) =>
    dimensions.length === 1 && dimensions[0]!.Name === name ? dimensions[0]!.Value : undefined,
})
