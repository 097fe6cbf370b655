// What a queue's AWS/SQS metrics are made of, in memory: per-minute buckets of counts (a send costs a
// few increments on the current minute's bucket, never an object per message) and gauge samples
// (visible / in flight / delayed / oldest message) taken at most once per clock minute after a change
// (or a visibility, delay or retention ending),
// on a clock timer at the minute's end — so an idle queue, or a 30-day clock jump, costs nothing.
import type { Clock, Timer } from '../../core/clock.ts'

/** One minute of counters (`t`: the minute's start, epoch ms). */
export interface CountBucket {
  t: number
  sent: number
  received: number
  deleted: number
  emptyReceives: number
  sizeSum: number
  sizeMin: number
  sizeMax: number
}

/** The gauges from `t` on, until the next sample. */
export interface GaugeSample {
  t: number
  visible: number
  notVisible: number
  delayed: number
  /** Seconds, as of the sample. */
  oldestAge: number
  /** When the oldest message was sent: until the next sample its age grows with the clock. */
  oldestSentAt: number | undefined
}

export interface GaugeCounts {
  visible: number
  notVisible: number
  delayed: number
  oldestSentAt: number | undefined
  /** The next instant a hidden message becomes visible or the oldest expires (the gauges change then without any call). */
  nextChangeAt: number | undefined
}

/** CloudWatch keeps 1-minute datapoints for 15 days; older buckets and samples are dropped. */
const keepMs = 15 * 86_400_000
const minute = 60_000

export class QueueMetricLog {
  readonly buckets: CountBucket[] = []
  readonly gauges: GaugeSample[] = []
  private current: CountBucket | undefined
  private sampleTimer: { at: number; timer: Timer } | undefined
  private readonly clock: Clock
  private readonly counts: () => GaugeCounts
  private readonly changed: () => void

  constructor(clock: Clock, counts: () => GaugeCounts, changed: () => void) {
    this.clock = clock
    this.counts = counts
    this.changed = changed
  }

  /** The bucket of the current minute (a new one opens the minute's first datapoint: CloudWatch is told). */
  private bucket(now: number): CountBucket {
    const t = now - (now % minute)
    const b = this.current
    if (b !== undefined && b.t === t) return b
    const fresh = { t, sent: 0, received: 0, deleted: 0, emptyReceives: 0, sizeSum: 0, sizeMin: Infinity, sizeMax: 0 }
    this.buckets.push(fresh)
    this.current = fresh
    while (this.buckets.length > 1 && this.buckets[0]!.t < now - keepMs) this.buckets.shift()
    // CloudWatch is told at the minute's end, when its counts are final (sample()).
    this.touch(now)
    return fresh
  }

  sent(now: number, size: number): void {
    const b = this.bucket(now)
    b.sent++
    b.sizeSum += size
    if (size < b.sizeMin) b.sizeMin = size
    if (size > b.sizeMax) b.sizeMax = size
    this.touch(now)
  }

  received(now: number, count: number): void {
    const b = this.bucket(now)
    if (count === 0) b.emptyReceives++
    else {
      b.received += count
      this.touch(now)
    }
  }

  deleted(now: number): void {
    this.bucket(now).deleted++
    this.touch(now)
  }

  /** The gauges may have changed: sampled once, at the end of this minute. */
  touch(now: number): void {
    const at = now - (now % minute) + minute - 1
    if (this.sampleTimer !== undefined && this.sampleTimer.at <= at) return
    this.sampleTimer?.timer.cancel()
    this.sampleTimer = { at, timer: this.clock.at(at, () => this.sample()) }
  }

  private sample(): void {
    this.sampleTimer = undefined
    const now = this.clock.now()
    const c = this.counts()
    // The sample stands for its whole minute (AWS samples gauges once a minute).
    const s = { t: now - (now % minute), visible: c.visible, notVisible: c.notVisible, delayed: c.delayed,
      oldestAge: c.oldestSentAt === undefined ? 0 : Math.floor((now - c.oldestSentAt) / 1000), oldestSentAt: c.oldestSentAt }
    const last = this.gauges[this.gauges.length - 1]
    const same = last !== undefined && last.visible === s.visible && last.notVisible === s.notVisible && last.delayed === s.delayed &&
      last.oldestSentAt === s.oldestSentAt
    const counted = this.current !== undefined && this.current.t === s.t
    if (!same) {
      if (last !== undefined && last.t === s.t) this.gauges.pop()
      this.gauges.push(s)
      while (this.gauges.length > 1 && this.gauges[1]!.t < now - keepMs) this.gauges.shift()
    }
    if (!same || counted) this.changed()
    // Hidden messages turn visible, old ones expire, on their own: sample again then (one timer per
    // change, not per minute).
    if (c.nextChangeAt !== undefined) this.touch(Math.max(c.nextChangeAt, now + 1))
  }

  close(): void {
    this.sampleTimer?.timer.cancel()
    this.sampleTimer = undefined
  }
}
