// One metric (namespace, name, dimensions) and its datapoints in time order, as PutMetricData stored them.
import type { SourcedPoint } from './port.ts'

export interface Dimension {
  Name: string
  Value: string
}

/**
 * One stored datapoint. A single Value is n=1; Values/Counts and statistic sets keep their
 * aggregates; `values`/`counts` are kept where percentiles can be computed from them.
 */
export interface Point extends SourcedPoint {
  counts?: number[]
  unit: string
  /** StorageResolution 1 (high resolution): kept at 1-second granularity for 3 hours. */
  hr: boolean
}

/** The identity AWS matches metrics by: dimensions are an unordered set (sorted here). */
export function metricKey(namespace: string, name: string, dimensions: readonly Dimension[]): string {
  const dims = [...dimensions].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0))
  let key = `${namespace}\u0000${name}`
  for (const d of dims) key += `\u0000${d.Name}\u0001${d.Value}`
  return key
}

export class Metric {
  readonly points: Point[] = []
  /** When a datapoint was last put (ListMetrics' RecentlyActive). */
  lastPut = 0

  readonly key: string
  readonly namespace: string
  readonly name: string
  readonly dimensions: readonly Dimension[]

  constructor(key: string, namespace: string, name: string, dimensions: readonly Dimension[]) {
    this.key = key
    this.namespace = namespace
    this.name = name
    this.dimensions = dimensions
  }

  add(point: Point): void {
    const points = this.points
    // Usually appended in order; a late datapoint is inserted after its equals (stable).
    if (points.length === 0 || points[points.length - 1]!.t <= point.t) points.push(point)
    else points.splice(upperBound(points, point.t), 0, point)
  }

  /** Datapoints with from ≤ t < to (binary search: a metric may hold months of points); `now` matters to sourced metrics. */
  range(from: number, to: number, _now?: number): Point[] {
    return this.points.slice(lowerBound(this.points, from), lowerBound(this.points, to))
  }

  /** Drops datapoints older than `before` (retention, applied lazily); returns how many went. */
  prune(before: number): number {
    const n = lowerBound(this.points, before)
    if (n > 0) this.points.splice(0, n)
    return n
  }

  /**
   * The instants after `from` an alarm's window (period `p` ms, `n` periods) can change: when a
   * period holding data completes (enters the window) and when it leaves it.
   */
  changeInstants(p: number, n: number, from: number): number[] {
    const out: number[] = []
    for (const b of this.buckets(p, from - (n + 1) * p, Infinity)) for (const c of [b + p, b + (n + 1) * p]) if (c >= from) out.push(c)
    return out
  }

  /** Distinct period starts (aligned to the epoch) holding data in [from, to). */
  buckets(period: number, from: number, to: number): number[] {
    const out: number[] = []
    for (const p of this.range(from, to)) {
      const b = Math.floor(p.t / period) * period
      if (out[out.length - 1] !== b) out.push(b)
    }
    return out
  }
}

export function lowerBound(points: readonly Point[], t: number): number {
  let lo = 0
  let hi = points.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (points[mid]!.t < t) lo = mid + 1
    else hi = mid
  }
  return lo
}

function upperBound(points: readonly Point[], t: number): number {
  let lo = 0
  let hi = points.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (points[mid]!.t <= t) lo = mid + 1
    else hi = mid
  }
  return lo
}
