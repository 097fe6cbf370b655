// Periods: which are valid, how a request's start time is rounded, and which stored datapoints a
// period can see given their age (the documented retention schedule: data older than 3 hours at
// 1-minute periods or more, older than 15 days at 5-minute multiples, older than 63 days at hours).
import { limits, time } from './limits.ts'
import type { Metric, Point } from './metric.ts'

/** 1, 5, 10, 20, 30 and multiples of 60 (high-resolution periods are the small ones). */
export function isValidPeriod(period: number): boolean {
  return Number.isInteger(period) && period > 0 && ([1, 5, 10, 20, 30].includes(period) || period % 60 === 0)
}

/**
 * GetMetricStatistics/GetMetricData round StartTime down: to the minute when it is under 15 days
 * ago, to 5 minutes between 15 and 63 days, to the hour past that. High-resolution periods round
 * to the period itself.
 */
export function roundStart(start: number, periodSeconds: number, now: number): number {
  const age = now - start
  const unit = periodSeconds < 60 ? periodSeconds * 1000
    : age > limits.retention.fiveMinutes ? time.hour : age > limits.retention.minute ? 5 * time.minute : time.minute
  return Math.floor(start / unit) * unit
}

/** Whether a datapoint of this age is still available at this period. */
function visible(point: Point, periodSeconds: number, now: number): boolean {
  const age = now - point.t
  if (age > limits.retention.hour) return false
  if (age > limits.retention.fiveMinutes) return periodSeconds % 3600 === 0
  if (age > limits.retention.minute) return periodSeconds % 300 === 0
  if (age > limits.retention.highRes) return periodSeconds % 60 === 0
  return true
}

export interface Bucket {
  /** Period start, epoch ms. */
  t: number
  points: Point[]
}

/**
 * The periods from `start` (already rounded) up to `end` that hold data, in time order. `unit`
 * narrows to datapoints published with that unit (GetMetricStatistics' Unit).
 */
export function bucketsOf(metric: Metric, periodSeconds: number, start: number, end: number, now: number, unit?: string): Bucket[] {
  const period = periodSeconds * 1000
  const out: Bucket[] = []
  let current: Bucket | undefined
  for (const point of metric.range(start, end, now)) {
    if (unit !== undefined && point.unit !== unit) continue
    if (!visible(point, periodSeconds, now)) continue
    const t = start + Math.floor((point.t - start) / period) * period
    if (current === undefined || current.t !== t) {
      current = { t, points: [] }
      out.push(current)
    }
    current.points.push(point)
  }
  return out
}
