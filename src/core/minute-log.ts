// Per-minute counters behind a service's published metrics (AWS/SNS by topic, …): an event costs an
// increment on the current minute's bucket of its series, never an object per event; a minute
// without activity stores nothing, so an idle service or a 30-day clock jump costs nothing. The
// owner is told when an active minute ends (its counts are final): one clock timer per account,
// region and active minute, whatever the number of series.
import type { Clock } from './clock.ts'

/** Values measured within a minute (sizes): how many, their total, the smallest and the largest. */
export interface MinuteMeasure {
  n: number
  sum: number
  min: number
  max: number
}

/** One minute of one series (`t`: the minute's start, epoch ms). */
export interface MinuteBucket {
  t: number
  counts: Record<string, number>
  measures: Record<string, MinuteMeasure>
}

/** Adds one measured value to a bucket (`MinuteLog.current`'s). */
export function addMeasure(b: MinuteBucket, name: string, value: number): void {
  const m = b.measures[name]
  if (m === undefined) b.measures[name] = { n: 1, sum: value, min: value, max: value }
  else {
    m.n++
    m.sum += value
    if (value < m.min) m.min = value
    if (value > m.max) m.max = value
  }
}

/** CloudWatch keeps 1-minute datapoints for 15 days; older buckets are dropped. */
const keepMs = 15 * 86_400_000
const minute = 60_000

export class MinuteLog {
  /** `account\0region` → series name → its buckets, ascending. */
  private readonly scopes = new Map<string, Map<string, MinuteBucket[]>>()
  /** `account\0region\0minute` with a timer armed for the minute's end. */
  private readonly armed = new Set<string>()
  /** The scope the last event went to. */
  private last: { account: string; region: string; key: string; scope: Map<string, MinuteBucket[]> } | undefined
  private readonly clock: Clock
  private readonly changed: (account: string, region: string) => void

  constructor(clock: Clock, changed: (account: string, region: string) => void) {
    this.clock = clock
    this.changed = changed
  }

  /** Adds `n` to a counter of a series in the current minute. */
  count(account: string, region: string, series: string, counter: string, n = 1): void {
    const b = this.bucket(account, region, series)
    b.counts[counter] = (b.counts[counter] ?? 0) + n
  }

  /** Adds one measured value (a message's size) to a series in the current minute. */
  measure(account: string, region: string, series: string, name: string, value: number): void {
    addMeasure(this.bucket(account, region, series), name, value)
  }

  /** The current minute's bucket of a series, for several counts or measures at once (`addMeasure`). */
  current(account: string, region: string, series: string): MinuteBucket {
    return this.bucket(account, region, series)
  }

  /** A series' buckets, ascending; undefined when it never had activity. */
  buckets(account: string, region: string, series: string): readonly MinuteBucket[] | undefined {
    return this.scopes.get(`${account}\u0000${region}`)?.get(series)
  }

  /** Every series with activity in an account and region, with its buckets. */
  all(account: string, region: string): ReadonlyMap<string, readonly MinuteBucket[]> {
    return this.scopes.get(`${account}\u0000${region}`) ?? new Map()
  }

  /** Forgets everything (the service's reset). Timers already armed find nothing to report. */
  clear(): void {
    this.scopes.clear()
    this.last = undefined
  }

  private bucket(account: string, region: string, series: string): MinuteBucket {
    const now = this.clock.now()
    const t = now - (now % minute)
    // The same account and region as the last event (the usual case): its map, no key built or hashed.
    let scope: Map<string, MinuteBucket[]> | undefined
    let scopeKey: string
    const cached = this.last
    if (cached !== undefined && cached.account === account && cached.region === region) {
      scope = cached.scope
      scopeKey = cached.key
    } else {
      scopeKey = `${account}\u0000${region}`
      scope = this.scopes.get(scopeKey)
      if (scope === undefined) this.scopes.set(scopeKey, scope = new Map())
      this.last = { account, region, key: scopeKey, scope }
    }
    let list = scope.get(series)
    if (list === undefined) scope.set(series, list = [])
    const last = list[list.length - 1]
    if (last !== undefined && last.t === t) return last
    const fresh: MinuteBucket = { t, counts: {}, measures: {} }
    list.push(fresh)
    while (list.length > 1 && list[0]!.t < now - keepMs) list.shift()
    const armKey = `${scopeKey}\u0000${t}`
    if (!this.armed.has(armKey)) {
      this.armed.add(armKey)
      this.clock.at(t + minute - 1, () => {
        this.armed.delete(armKey)
        this.changed(account, region)
      })
    }
    return fresh
  }
}
