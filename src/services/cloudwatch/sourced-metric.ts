// A metric whose datapoints a source computes (port.ts, MetricSource: EC2's instances) rather than
// stored ones: the steps become one datapoint per aligned period of the step's resolution, available
// once that period has ended, and the alarm schedule is told only the instants the steps change.
import type { SourcedSeries } from './port.ts'
import { Metric, metricKey, type Point } from './metric.ts'

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b))
const rampHorizonMs = 15 * 86_400_000

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
    const unit = this.series.unit
    const maximum = this.series.combine === 'maximum'
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
      const { t: a, value: start, resolution, slope } = steps[k]!
      if (a >= to) break
      if (start === undefined) continue
      const r = resolution * 1000
      const b = steps[k + 1]?.t ?? Infinity
      const last = Math.min(b, to, now - r + 1)
      for (let T = Math.floor(Math.max(a, from) / r) * r; T < last; T += r) {
        const overlap = Math.min(b, T + r) - Math.max(a, T)
        if (T < from || overlap <= 0) continue
        // A ramp's value in this period: where it ends (the maximum), or its middle (the average).
        const value = slope === undefined ? start
          : Math.floor(start + (slope * ((maximum ? Math.min(b, T + r) : Math.max(a, T) + overlap / 2) - a)) / 1000)
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
    if (this.series.points !== undefined) {
      const out = super.changeInstants(p, n, from).flatMap((c) => [c, c + 60_000])
      // A span of 0s changes the window as its first minutes complete and enter it, and as its
      // last ones leave it; in between, the window holds the same 0s.
      for (const [a, b] of this.series.zeroSpans ?? []) {
        if (b < from - (n + 2) * p) continue
        for (const edge of [Math.ceil(a / 60_000) * 60_000, b]) {
          if (edge === Infinity) continue
          for (let k = 0; k <= n + 1; k++) for (const c of [edge + k * p, edge + 60_000 + k * p]) if (c >= from) out.push(c)
        }
      }
      return out
    }
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
      const { t, resolution, slope } = steps[k]!
      const r = resolution * 1000
      const end = steps[k + 1]?.t ?? Infinity
      if (end < from - (n + 2) * Math.max(p, r)) continue
      if (slope !== undefined) {
        // A ramp gives every period a new datapoint: each completes a change (for at most the
        // 15 days a datapoint is kept; an SQS message's age ends with its 14-day retention).
        const stop = Math.min(end, Math.max(t, from) + rampHorizonMs)
        for (let T = Math.floor(Math.max(t, from - (n + 1) * Math.max(p, r)) / r) * r; T < stop; T += r) out.push(T + r, T + r + (n + 1) * p)
      }
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
    const spans = this.series.zeroSpans
    // 0s fill an active span's quiet minutes; only over a bounded range (change planning asks for
    // the points alone, and adds the spans' edges itself).
    const limit = Math.min(to, now - 60_000 + 1)
    if (spans === undefined || spans.length === 0 || limit === Infinity) return out
    const zeros: Point[] = []
    let k = 0
    for (const [a, b] of spans) {
      for (let t = Math.ceil(Math.max(a, from) / 60_000) * 60_000; t < Math.min(b, limit); t += 60_000) {
        while (k < out.length && out[k]!.t < t) k++
        if (k < out.length && out[k]!.t === t) continue
        zeros.push({ t, n: 1, sum: 0, min: 0, max: 0, values: [0], unit, hr: false })
      }
    }
    if (zeros.length === 0) return out
    return out.concat(zeros).sort((x, y) => x.t - y.t)
  }
}
