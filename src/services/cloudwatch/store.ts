// CloudWatch's state: per account and region, the metrics, alarms, alarm history and dashboards;
// with a data dir every change is also a row (cloudwatch-rows.ts), read back at creation.
import type { Clock } from '../../core/clock.ts'
import { AccountRegionStore } from '../../storage/account-region-store.ts'
import type { Alarm } from './alarm.ts'
import type { CloudWatchRows, HistoryRow } from './cloudwatch-rows.ts'
import { limits } from './limits.ts'
import type { Dimension, Metric, Point } from './metric.ts'
import { Metrics } from './metrics.ts'
import { MetricSources } from './sources.ts'

export interface HistoryItem extends HistoryRow {
  seq: number
}

export interface Dashboard {
  name: string
  body: string
  modified: number
}

export class RegionState {
  readonly metrics: Metrics
  readonly alarms = new Map<string, Alarm>()
  readonly dashboards = new Map<string, Dashboard>()
  /** Oldest first. */
  history: HistoryItem[] = []
  readonly account: string
  readonly region: string
  constructor(account: string, region: string, sources?: MetricSources) {
    this.account = account
    this.region = region
    this.metrics = new Metrics(sources?.lookup(account, region))
  }
  get key(): string {
    return `${this.account}/${this.region}`
  }
}

export class CloudWatchState {
  /** Metrics other services compute on demand (AWS/EC2), registered through the port. */
  readonly sources = new MetricSources()
  readonly regions = new AccountRegionStore((account, region) => new RegionState(account, region, this.sources))
  private historySeq = 1
  /** Told of every metric that got data (the alarm engine re-plans the alarms reading it). */
  onData: ((region: RegionState, metric: Metric) => void) | undefined

  readonly clock: Clock
  readonly rows: CloudWatchRows | undefined

  constructor(clock: Clock, rows: CloudWatchRows | undefined) {
    this.clock = clock
    this.rows = rows
    if (rows !== undefined) this.load(rows)
  }

  region(account: string, region: string): RegionState {
    return this.regions.get(account, region)
  }

  putData(region: RegionState, namespace: string, data: readonly { name: string; dimensions: Dimension[]; point: Point }[]): void {
    const now = this.clock.now()
    for (const d of data) {
      const metric = region.metrics.put(namespace, d.name, d.dimensions, d.point, now)
      this.onData?.(region, metric)
    }
    this.rows?.putPoints({ r: region.key, ns: namespace, data: data.map((d) => ({ n: d.name, d: d.dimensions, p: d.point })) })
  }

  saveAlarm(alarm: Alarm): void {
    this.rows?.putAlarm(alarm)
  }

  deleteAlarm(region: RegionState, alarm: Alarm): void {
    region.alarms.delete(alarm.config.name)
    this.rows?.deleteAlarm(alarm)
  }

  addHistory(region: RegionState, item: Omit<HistoryRow, 'r'>): void {
    const row = { r: region.key, ...item }
    const seq = this.rows?.putHistory(row) ?? this.historySeq++
    region.history.push({ ...row, seq })
    // History is kept two weeks: drop what aged out (lazily, on the next write).
    const cutoff = this.clock.now() - limits.historyMs
    // (shift before the optional call: `rows?.f(shift())` would skip the shift in memory and never end)
    while (region.history.length > 0 && region.history[0]!.t < cutoff) {
      const gone = region.history.shift()!
      this.rows?.deleteHistory(gone.seq)
    }
  }

  putDashboard(region: RegionState, dashboard: Dashboard): void {
    region.dashboards.set(dashboard.name, dashboard)
    this.rows?.putDashboard({ r: region.key, ...dashboard })
  }

  deleteDashboard(region: RegionState, name: string): void {
    region.dashboards.delete(name)
    this.rows?.deleteDashboard(region.key, name)
  }

  reset(): void {
    this.regions.clear()
    this.rows?.clear()
  }

  private regionOf(key: string): RegionState {
    const [account, region] = key.split('/') as [string, string]
    return this.regions.get(account, region)
  }

  private load(rows: CloudWatchRows): void {
    const loaded = rows.load()
    const now = this.clock.now()
    for (const row of loaded.points) {
      const region = this.regionOf(row.r)
      for (const d of row.data) if (d.p.t >= now - limits.retention.hour) region.metrics.put(row.ns, d.n, d.d, d.p, d.p.t)
    }
    for (const alarm of loaded.alarms) this.regionOf(`${alarm.account}/${alarm.region}`).alarms.set(alarm.config.name, alarm)
    for (const [seq, row] of loaded.history) {
      this.regionOf(row.r).history.push({ ...row, seq })
      this.historySeq = Math.max(this.historySeq, seq + 1)
    }
    for (const d of loaded.dashboards) this.regionOf(d.r).dashboards.set(d.name, { name: d.name, body: d.body, modified: d.modified })
  }
}
