// What functions' AWS/Lambda metrics are made of, in memory: per function (and per qualified
// resource, function:alias or function:version) one bucket per minute with an invocation — counts,
// the durations measured (for Average/Min/Max and percentiles), the most invocations running at once.
// A minute without invocations stores nothing. CloudWatch is told when a minute's counts are final:
// at its end (one clock timer per active minute), or when a late invocation finishes after it.
import type { Clock } from '../../core/clock.ts'

/** One minute of one function or resource (`t`: the minute's start, epoch ms). */
export interface InvocationBucket {
  t: number
  invocations: number
  errors: number
  throttles: number
  durations: number[]
  concurrent: number
}

/** CloudWatch keeps 1-minute datapoints for 15 days; older buckets are dropped. */
const keepMs = 15 * 86_400_000
const minute = 60_000

export interface FunctionMetrics {
  /** `account region name` → resource (the name itself, or name:qualifier) → buckets. */
  readonly resources: Map<string, InvocationBucket[]>
  running: number
}

export class LambdaMetricLog {
  /** `account\u0000region\u0000name` → its metrics. */
  readonly functions = new Map<string, FunctionMetrics>()
  private readonly changed: (account: string, region: string) => void
  private readonly clock: Clock
  /** The function the last invocation was of. */
  private last: { account: string; region: string; name: string; key: string; fn: FunctionMetrics } | undefined

  constructor(clock: Clock, changed: (account: string, region: string) => void) {
    this.clock = clock
    this.changed = changed
  }

  static key(account: string, region: string, name: string): string {
    return `${account}\u0000${region}\u0000${name}`
  }

  /** An invocation starts at `now` (or is throttled): returns what to call with its outcome. */
  start(account: string, region: string, name: string, resource: string, now: number): (outcome: { error?: boolean; throttled?: boolean; durationMs?: number }) => void {
    // The same function as the last invocation (the usual case): its metrics, no key built or hashed.
    const last = this.last
    let f: FunctionMetrics
    if (last !== undefined && last.name === name && last.account === account && last.region === region && this.functions.get(last.key) === last.fn) f = last.fn
    else {
      const key = LambdaMetricLog.key(account, region, name)
      let fn = this.functions.get(key)
      if (fn === undefined) this.functions.set(key, fn = { resources: new Map(), running: 0 })
      this.last = { account, region, name, key, fn }
      f = fn
    }
    f.running++
    const buckets = [this.bucket(f, name, now, account, region)]
    if (resource !== name) buckets.push(this.bucket(f, resource, now, account, region))
    for (const b of buckets) {
      b.invocations++
      if (f.running > b.concurrent) b.concurrent = f.running
    }
    return ({ error, throttled, durationMs }) => {
      f.running--
      if (this.clock.now() >= buckets[0]!.t + minute - 1) this.changed(account, region)
      for (const b of buckets) {
        // A throttled request is not an invocation (AWS counts it only in Throttles).
        if (throttled === true) {
          b.invocations--
          b.throttles++
          continue
        }
        if (error === true) b.errors++
        if (durationMs !== undefined) b.durations.push(durationMs)
      }
    }
  }

  private bucket(f: FunctionMetrics, resource: string, now: number, account: string, region: string): InvocationBucket {
    const t = now - (now % minute)
    let list = f.resources.get(resource)
    if (list === undefined) f.resources.set(resource, list = [])
    const last = list[list.length - 1]
    if (last !== undefined && last.t === t) return last
    const fresh = { t, invocations: 0, errors: 0, throttles: 0, durations: [], concurrent: 0 }
    list.push(fresh)
    while (list.length > 1 && list[0]!.t < now - keepMs) list.shift()
    this.clock.at(t + minute - 1, () => this.changed(account, region))
    return fresh
  }
}
