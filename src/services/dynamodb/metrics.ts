// The AWS/DynamoDB metrics, counted per table and minute in memory and read by CloudWatch through
// its port as a metric source: consumed read/write capacity (each request a sample: Sum, Average,
// Minimum, Maximum, SampleCount), per table and per global secondary index; provisioned capacity of
// provisioned tables (5-minute datapoints); SuccessfulRequestLatency and ReturnedItemCount per
// operation; ConditionalCheckFailedRequests; account-level UserErrors. The hot path costs a few
// number updates on the table's current minute — an object per table and minute, never per request.
import type { Clock } from '../../core/clock.ts'
import type { MetricSource, SourcedPoint, SourcedSeries } from '../cloudwatch/port.ts'

/** Values of one minute: how many, their total, smallest and largest (a counter is n samples of 1). */
class Measure {
  n = 0
  sum = 0
  min = Infinity
  max = -Infinity

  add(v: number): void {
    this.n++
    this.sum += v
    if (v < this.min) this.min = v
    if (v > this.max) this.max = v
  }
}

/** One global secondary index's consumption in a minute. */
class IndexMinute {
  readonly read = new Measure()
  readonly write = new Measure()
}

class TableMinute {
  readonly t: number
  readonly read = new Measure()
  readonly write = new Measure()
  conditionalCheckFailed = 0
  /** Operation → its successful requests' latency (ms) / items returned (Query, Scan). */
  readonly latency = new Map<string, Measure>()
  readonly returned = new Map<string, Measure>()
  readonly indexes = new Map<string, IndexMinute>()

  constructor(t: number) {
    this.t = t
  }

  index(name: string): IndexMinute {
    let m = this.indexes.get(name)
    if (m === undefined) this.indexes.set(name, m = new IndexMinute())
    return m
  }
}

const minuteMs = 60_000
/** CloudWatch keeps 1-minute datapoints for 15 days. */
const keepMs = 15 * 86_400_000

/** Provisioned capacity from an instant on (a table's or index's; 0 for on-demand). */
interface Provisioned { t: number; read: number; write: number }

/** One table's minutes (by name: a table deleted and created again goes on in the same series, as on AWS). */
export class TableMetrics {
  readonly name: string
  private readonly owner: DynamoMetrics
  private readonly account: string
  private readonly region: string
  readonly minutes: TableMinute[] = []
  /** Provisioned capacity changes (CreateTable, UpdateTable), the table's and each GSI's ('' the table). */
  readonly provisioned = new Map<string, Provisioned[]>()

  constructor(owner: DynamoMetrics, account: string, region: string, name: string) {
    this.owner = owner
    this.account = account
    this.region = region
    this.name = name
  }

  /**
   * The current minute's counters, without reading the clock: a minute's bucket stays live until a
   * timer at its end retires it (once per table and active minute), so a request costs no clock read.
   */
  private current(): TableMinute {
    return this.live ?? this.begin()
  }

  private live: TableMinute | undefined

  private begin(): TableMinute {
    const clock = this.owner.clock
    const now = clock.now()
    const t = now - (now % minuteMs)
    const last = this.minutes[this.minutes.length - 1]
    if (last !== undefined && last.t === t) return this.live = last
    const fresh = new TableMinute(t)
    this.minutes.push(fresh)
    while (this.minutes.length > 1 && this.minutes[0]!.t < now - keepMs) this.minutes.shift()
    this.live = fresh
    clock.at(t + minuteMs, () => {
      if (this.live === fresh) this.live = undefined
    })
    this.owner.minuteStarted(this.account, this.region, t)
    return fresh
  }

  /** A read's capacity units on the table, or on a global secondary index. */
  read(units: number, gsi?: string): void {
    const m = this.current()
    if (gsi === undefined) m.read.add(units)
    else m.index(gsi).read.add(units)
  }

  /** A write's capacity units on the table, or on a global secondary index. */
  write(units: number, gsi?: string): void {
    const m = this.current()
    if (gsi === undefined) m.write.add(units)
    else m.index(gsi).write.add(units)
  }

  conditionalCheckFailed(): void {
    this.current().conditionalCheckFailed++
  }

  /** A successful request's latency (ms), and for Query and Scan the items it returned. */
  succeeded(operation: string, ms: number, returned: number | undefined): void {
    const m = this.current()
    let l = m.latency.get(operation)
    if (l === undefined) m.latency.set(operation, l = new Measure())
    l.add(ms)
    if (returned === undefined) return
    let r = m.returned.get(operation)
    if (r === undefined) m.returned.set(operation, r = new Measure())
    r.add(returned)
  }

  /** Provisioned capacity from `t` on (`index` '' for the table). */
  setProvisioned(index: string, t: number, read: number, write: number): void {
    let list = this.provisioned.get(index)
    if (list === undefined) this.provisioned.set(index, list = [])
    const last = list[list.length - 1]
    if (last !== undefined && last.read === read && last.write === write) return
    list.push({ t, read, write })
  }
}

type Dimensions = { Name: string; Value: string }[]

function points(minutes: readonly TableMinute[], pick: (m: TableMinute) => Measure | number | undefined): SourcedPoint[] {
  const out: SourcedPoint[] = []
  for (const m of minutes) {
    const v = pick(m)
    if (v === undefined || v === 0) continue
    if (typeof v === 'number') out.push({ t: m.t, n: 1, sum: v, min: v, max: v })
    else if (v.n > 0) out.push({ t: m.t, n: v.n, sum: v.sum, min: v.min, max: v.max })
  }
  return out
}

const series = (metricName: string, dimensions: Dimensions, unit: string, pts: SourcedPoint[]): SourcedSeries | undefined =>
  pts.length === 0 ? undefined : { metricName, dimensions, unit, combine: 'average', steps: [], points: pts }

/** Every table's metrics of every account and region, and the account-level UserErrors. */
export class DynamoMetrics {
  readonly clock: Clock
  private readonly changed: (account: string, region: string) => void
  /** `account\0region` → table name → its metrics. */
  private readonly scopes = new Map<string, Map<string, TableMetrics>>()
  /** `account\0region` → minute start → UserErrors in it. */
  private readonly userErrors = new Map<string, Map<number, number>>()
  private readonly armed = new Set<string>()

  constructor(clock: Clock, changed: (account: string, region: string) => void) {
    this.clock = clock
    this.changed = changed
  }

  /** A table's metrics (the same object for a name however often the table is created again). */
  forTable(account: string, region: string, name: string): TableMetrics {
    const key = `${account}\u0000${region}`
    let scope = this.scopes.get(key)
    if (scope === undefined) this.scopes.set(key, scope = new Map())
    let m = scope.get(name)
    if (m === undefined) scope.set(name, m = new TableMetrics(this, account, region, name))
    return m
  }

  /** A request answered with a 400 other than ConditionalCheckFailedException (AWS's UserErrors). */
  userError(account: string, region: string): void {
    const key = `${account}\u0000${region}`
    let minutes = this.userErrors.get(key)
    if (minutes === undefined) this.userErrors.set(key, minutes = new Map())
    const now = this.clock.now()
    const t = now - (now % minuteMs)
    if (!minutes.has(t)) this.minuteStarted(account, region, t)
    minutes.set(t, (minutes.get(t) ?? 0) + 1)
  }

  /** CloudWatch's alarms on the scope re-plan when a minute with activity ends (its counts final). */
  minuteStarted(account: string, region: string, t: number): void {
    const key = `${account}\u0000${region}\u0000${t}`
    if (this.armed.has(key)) return
    this.armed.add(key)
    this.clock.at(t + minuteMs - 1, () => {
      this.armed.delete(key)
      this.changed(account, region)
    })
  }

  clear(): void {
    this.scopes.clear()
    this.userErrors.clear()
  }

  /** Every series of one table. */
  private tableSeries(m: TableMetrics): SourcedSeries[] {
    const table: Dimensions = [{ Name: 'TableName', Value: m.name }]
    const out: (SourcedSeries | undefined)[] = [
      series('ConsumedReadCapacityUnits', table, 'Count', points(m.minutes, (x) => x.read)),
      series('ConsumedWriteCapacityUnits', table, 'Count', points(m.minutes, (x) => x.write)),
      series('ConditionalCheckFailedRequests', table, 'Count', points(m.minutes, (x) => x.conditionalCheckFailed)),
    ]
    const operations = new Set<string>()
    const indexes = new Set<string>()
    for (const x of m.minutes) {
      for (const op of x.latency.keys()) operations.add(op)
      for (const name of x.indexes.keys()) indexes.add(name)
    }
    for (const op of operations) {
      const dims: Dimensions = [{ Name: 'TableName', Value: m.name }, { Name: 'Operation', Value: op }]
      out.push(series('SuccessfulRequestLatency', dims, 'Milliseconds', points(m.minutes, (x) => x.latency.get(op))))
      out.push(series('ReturnedItemCount', dims, 'Count', points(m.minutes, (x) => x.returned.get(op))))
    }
    for (const name of indexes) {
      const dims: Dimensions = [{ Name: 'TableName', Value: m.name }, { Name: 'GlobalSecondaryIndexName', Value: name }]
      out.push(series('ConsumedReadCapacityUnits', dims, 'Count', points(m.minutes, (x) => x.indexes.get(name)?.read)))
      out.push(series('ConsumedWriteCapacityUnits', dims, 'Count', points(m.minutes, (x) => x.indexes.get(name)?.write)))
    }
    for (const [index, list] of m.provisioned) {
      const dims: Dimensions = index === '' ? table : [{ Name: 'TableName', Value: m.name }, { Name: 'GlobalSecondaryIndexName', Value: index }]
      if (!list.some((p) => p.read > 0 || p.write > 0)) continue
      // A gauge: one datapoint per 5 minutes while the table is provisioned (AWS's granularity for it).
      const steps = (pick: (p: Provisioned) => number) => list.map((p) => ({ t: p.t, value: pick(p) > 0 ? pick(p) : undefined, resolution: 300 }))
      out.push({ metricName: 'ProvisionedReadCapacityUnits', dimensions: dims, unit: 'Count', combine: 'average', steps: steps((p) => p.read) })
      out.push({ metricName: 'ProvisionedWriteCapacityUnits', dimensions: dims, unit: 'Count', combine: 'average', steps: steps((p) => p.write) })
    }
    return out.filter((s): s is SourcedSeries => s !== undefined)
  }

  private userErrorSeries(account: string, region: string): SourcedSeries | undefined {
    const minutes = this.userErrors.get(`${account}\u0000${region}`)
    if (minutes === undefined) return undefined
    const cutoff = this.clock.now() - keepMs
    const pts = [...minutes].filter(([t]) => t >= cutoff).sort((a, b) => a[0] - b[0]).map(([t, n]) => ({ t, n: 1, sum: n, min: n, max: n }))
    return series('UserErrors', [], 'Count', pts)
  }

  /** AWS/DynamoDB for CloudWatch. */
  source(): MetricSource {
    return {
      namespace: 'AWS/DynamoDB',
      find: (account, region, metricName, dimensions) => {
        if (dimensions.length === 0) return metricName === 'UserErrors' ? this.userErrorSeries(account, region) : undefined
        const name = dimensions.find((d) => d.Name === 'TableName')?.Value
        const m = name === undefined ? undefined : this.scopes.get(`${account}\u0000${region}`)?.get(name)
        if (m === undefined) return undefined
        const wanted = [...dimensions].sort((a, b) => a.Name.localeCompare(b.Name))
        return this.tableSeries(m).find((s) => s.metricName === metricName && s.dimensions.length === wanted.length &&
          [...s.dimensions].sort((a, b) => a.Name.localeCompare(b.Name)).every((d, i) => d.Name === wanted[i]!.Name && d.Value === wanted[i]!.Value))
      },
      list: (account, region) => {
        const out: SourcedSeries[] = []
        for (const m of this.scopes.get(`${account}\u0000${region}`)?.values() ?? []) out.push(...this.tableSeries(m))
        const errors = this.userErrorSeries(account, region)
        if (errors !== undefined) out.push(errors)
        return out
      },
    }
  }
}
