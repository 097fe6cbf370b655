// A metric whose datapoints a source computes (port.ts, MetricSource: EC2's instances) rather than
// stored ones: the steps become one datapoint per aligned period of the step's resolution, available
// once that period has ended, and the alarm schedule is told only the instants the steps change.
import type { SourcedSeries } from './port.ts'
import { Metric, metricKey, type Point } from './metric.ts'

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b))

export class SourcedMetric extends Metric {
  readonly series: SourcedSeries

  constructor(namespace: string, series: SourcedSeries) {
    super(metricKey(namespace, series.metricName, series.dimensions), namespace, series.metricName, series.dimensions)
    this.series = series
  }

  /** Its last datapoint's time (ListMetrics' activity): now while it publishes. */
  lastActive(now: number): number | undefined {
    const points = this.series.points
    if (points !== undefined) return points[points.length - 1]?.t
    const steps = this.series.steps
    for (let k = steps.length - 1; k >= 0; k--) {
      if (steps[k]!.value !== undefined) return k === steps.length - 1 ? now : steps[k + 1]!.t
    }
    return undefined
  }

  /** Datapoints with from ≤ t < to whose period has ended by `now`. */
  override range(from: number, to: number, now = Infinity): Point[] {
    if (this.series.points !== undefined) return this.pointRange(from, to, now)
    const steps = this.series.steps
    // Periods come in ascending order (steps are ascending and a period is aligned to its step's
    // resolution), so each step's periods extend the list or merge into its last entry: no map, no sort.
    const acc: { t: number; weighted: number; weight: number; max: number }[] = []
    // From the step holding `from` (binary search: a long history is not walked for a short window).
    let lo = 0
    let hi = steps.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (steps[mid]!.t <= from) lo = mid
      else hi = mid - 1
    }
    for (let k = lo; k < steps.length; k++) {
      const { t: a, value, resolution } = steps[k]!
      if (a >= to) break
      if (value === undefined) continue
      const r = resolution * 1000
      const b = steps[k + 1]?.t ?? Infinity
      const last = Math.min(b, to, now - r + 1)
      for (let T = Math.floor(Math.max(a, from) / r) * r; T < last; T += r) {
        const overlap = Math.min(b, T + r) - Math.max(a, T)
        if (T < from || overlap <= 0) continue
        const p = acc.length === 0 ? undefined : acc[acc.length - 1]!
        if (p !== undefined && p.t === T) {
          p.weighted += value * overlap
          p.weight += overlap
          p.max = Math.max(p.max, value)
        } else if (p !== undefined && p.t > T) {
          // Not expected (see above); kept exact all the same.
          const q = acc.find((x) => x.t === T)
          if (q === undefined) {
            acc.push({ t: T, weighted: value * overlap, weight: overlap, max: value })
            acc.sort((x, y) => x.t - y.t)
          } else {
            q.weighted += value * overlap
            q.weight += overlap
            q.max = Math.max(q.max, value)
          }
        } else acc.push({ t: T, weighted: value * overlap, weight: overlap, max: value })
      }
    }
    const unit = this.series.unit
    const maximum = this.series.combine === 'maximum'
    const out: Point[] = new Array(acc.length)
    for (let i = 0; i < acc.length; i++) {
      const p = acc[i]!
      const v = maximum ? p.max : p.weighted / p.weight
      out[i] = { t: p.t, n: 1, sum: v, min: v, max: v, values: [v], unit, hr: false }
    }
    return out
  }

  /**
   * The instants an alarm's window (period `p` ms, `n` periods) can change after `from`: around each
   * step, where a datapoint holding it completes and enters or leaves the window. When datapoints
   * come less often than the alarm's period the window changes with each new one, so a steady step
   * adds those instants too, for one window plus one full cycle (after that the pattern repeats).
   */
  override changeInstants(p: number, n: number, from: number): number[] {
    // Ready-made minutes behave as stored datapoints stamped at their minute's start.
    if (this.series.points !== undefined) return super.changeInstants(p, n, from).flatMap((c) => [c, c + 60_000])
    const out: number[] = []
    const steps = this.series.steps
    // Skip, by binary search, the steps that ended before any of them can matter (the check below
    // stays exact; 300 s is the coarsest resolution a step has).
    const horizon = from - (n + 2) * Math.max(p, 300_000)
    let lo = 0
    let hi = steps.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((steps[mid + 1]?.t ?? Infinity) < horizon) lo = mid + 1
      else hi = mid
    }
    for (let k = lo; k < steps.length; k++) {
      const { t, resolution } = steps[k]!
      const r = resolution * 1000
      const end = steps[k + 1]?.t ?? Infinity
      if (end < from - (n + 2) * Math.max(p, r)) continue
      const cycle = (p * r) / gcd(p, r)
      const steady = p % r === 0 ? 0 : Math.max(t, from) + (n + 2) * Math.max(p, r) + 2 * cycle
      const stop = Math.min(end, Math.max(Math.floor(t / r) * r + 2 * r, steady))
      for (let T = Math.floor((t - r) / r) * r; T < stop; T += r) {
        out.push(T + r)
        const b = Math.floor(T / p) * p
        for (const bucket of [b, b + p]) out.push(bucket + p, bucket + (n + 1) * p)
      }
    }
    return out.filter((c) => c >= from)
  }

  /** Ready-made 1-minute datapoints with from ≤ t < to, each once its minute has ended. */
  private pointRange(from: number, to: number, now: number): Point[] {
    const unit = this.series.unit
    const out: Point[] = []
    for (const p of this.series.points!) {
      if (p.t < from || p.t >= to || p.t + 60_000 > now) continue
      out.push({ t: p.t, n: p.n, sum: p.sum, min: p.min, max: p.max, values: p.values, unit, hr: false })
    }
    return out
  }
}
