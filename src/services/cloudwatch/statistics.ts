// Statistics of a set of datapoints: SampleCount, Sum, Minimum, Maximum, Average and percentiles
// (pNN, pNN.NN), as GetMetricStatistics, GetMetricData and alarms compute them.
import type { Point } from './metric.ts'

export interface Aggregate {
  n: number
  sum: number
  min: number
  max: number
}

export function aggregate(points: readonly Point[]): Aggregate | undefined {
  if (points.length === 0) return undefined
  let n = 0
  let sum = 0
  let min = Infinity
  let max = -Infinity
  for (const p of points) {
    n += p.n
    sum += p.sum
    if (p.min < min) min = p.min
    if (p.max > max) max = p.max
  }
  return { n, sum, min, max }
}

const percentilePattern = /^p(\d{1,2}(?:\.\d{1,10})?|100)$/

/** A percentile statistic's value (0–100), or undefined when `stat` is not one. */
export function percentileOf(stat: string): number | undefined {
  const m = percentilePattern.exec(stat)
  if (m === null) return undefined
  const p = Number(m[1])
  return p >= 0 && p <= 100 ? p : undefined
}

/**
 * The nearest-rank percentile over the values and their counts. CloudWatch needs raw values: a
 * statistic set counts only when its SampleCount is 1 or its Minimum equals its Maximum (the API
 * reference); percentiles are not available when any value is negative. Undefined then.
 */
export function percentile(points: readonly Point[], p: number): number | undefined {
  const pairs: [number, number][] = []
  let total = 0
  for (const point of points) {
    if (point.values === undefined) return undefined
    for (let i = 0; i < point.values.length; i++) {
      const value = point.values[i]!
      if (value < 0) return undefined
      const count = point.counts?.[i] ?? 1
      pairs.push([value, count])
      total += count
    }
  }
  if (total === 0) return undefined
  pairs.sort((a, b) => a[0] - b[0])
  const rank = Math.max(1, Math.ceil((p / 100) * total))
  let seen = 0
  for (const [value, count] of pairs) {
    seen += count
    if (seen >= rank) return value
  }
  return pairs[pairs.length - 1]![0]
}

/** One named statistic of the points ("Average", "Sum", "p99"…), or undefined without data. */
export function statistic(points: readonly Point[], stat: string): number | undefined {
  const agg = aggregate(points)
  if (agg === undefined) return undefined
  switch (stat) {
    case 'SampleCount': return agg.n
    case 'Sum': return agg.sum
    case 'Minimum': return agg.min
    case 'Maximum': return agg.max
    case 'Average': return agg.sum / agg.n
  }
  const p = percentileOf(stat)
  return p === undefined ? undefined : percentile(points, p)
}

/** The statistic names GetMetricData's MetricStat.Stat and alarms accept (the simple ones and pNN). */
export function isKnownStat(stat: string): boolean {
  return ['SampleCount', 'Sum', 'Minimum', 'Maximum', 'Average'].includes(stat) || percentileOf(stat) !== undefined
}
