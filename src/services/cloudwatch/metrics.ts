// The metrics of one account and region: lookup by identity, ListMetrics' filters, and retention
// applied lazily (a metric's old points are dropped when it is next written or read).
import { limits } from './limits.ts'
import { type Dimension, Metric, metricKey, type Point } from './metric.ts'
import type { SourcedMetric } from './sourced-metric.ts'

export interface MetricFilter {
  namespace?: string
  name?: string
  /** A dimension filter without Value matches any value of that name. */
  dimensions?: readonly { Name: string; Value?: string }[]
}

/** The metric sources of one account and region (sources.ts): consulted before stored metrics. */
export interface SourceLookup {
  find(namespace: string, name: string, dimensions: readonly Dimension[]): SourcedMetric | undefined
  list(namespace: string | undefined): SourcedMetric[]
}

export class Metrics {
  private readonly byKey = new Map<string, Metric>()
  private readonly sources: SourceLookup | undefined

  constructor(sources?: SourceLookup) {
    this.sources = sources
  }
  /** Alarms listen by metric key to re-plan their evaluations when data arrives. */
  onData: ((metric: Metric) => void) | undefined

  get size(): number {
    return this.byKey.size
  }

  find(namespace: string, name: string, dimensions: readonly Dimension[]): Metric | undefined {
    return this.sources?.find(namespace, name, dimensions) ?? this.byKey.get(metricKey(namespace, name, dimensions))
  }

  findByKey(key: string): Metric | undefined {
    return this.byKey.get(key)
  }

  put(namespace: string, name: string, dimensions: readonly Dimension[], point: Point, now: number): Metric {
    const key = metricKey(namespace, name, dimensions)
    let metric = this.byKey.get(key)
    if (metric === undefined) {
      metric = new Metric(key, namespace, name, dimensions.map((d) => ({ Name: d.Name, Value: d.Value })))
      this.byKey.set(key, metric)
    }
    metric.add(point)
    metric.lastPut = Math.max(metric.lastPut, now)
    metric.prune(now - limits.retention.hour)
    return metric
  }

  /** Metrics matching ListMetrics' filters, in a stable order (namespace, name, dimensions). */
  list(filter: MetricFilter, activeSince: number | undefined, now: number): Metric[] {
    const out: Metric[] = []
    for (const metric of this.byKey.values()) {
      if (filter.namespace !== undefined && metric.namespace !== filter.namespace) continue
      if (filter.name !== undefined && metric.name !== filter.name) continue
      if (activeSince !== undefined && metric.lastPut < activeSince) continue
      // A metric with no datapoint left in the last 455 days is gone from ListMetrics too.
      if (metric.points.length === 0 || metric.points[metric.points.length - 1]!.t < now - limits.retention.hour) continue
      if (!matchesDimensions(metric, filter.dimensions)) continue
      out.push(metric)
    }
    const seen = new Set(out.map((m) => m.key))
    for (const metric of this.sources?.list(filter.namespace) ?? []) {
      if (seen.has(metric.key) || (filter.name !== undefined && metric.name !== filter.name)) continue
      const active = metric.lastActive(now)
      if (active === undefined || active < now - limits.retention.hour || (activeSince !== undefined && active < activeSince)) continue
      if (matchesDimensions(metric, filter.dimensions)) out.push(metric)
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  }

  all(): IterableIterator<Metric> {
    return this.byKey.values()
  }
}

/** Every filter dimension must be on the metric (with its value, when given). */
function matchesDimensions(metric: Metric, filters: MetricFilter['dimensions']): boolean {
  for (const f of filters ?? []) {
    const d = metric.dimensions.find((x) => x.Name === f.Name)
    if (d === undefined || (f.Value !== undefined && d.Value !== f.Value)) return false
  }
  return true
}
