// CloudWatch's durable state as rows of the persistence layer (docs/persistence.md): datapoints
// (one row per PutMetricData call, written once), alarms (configuration, state and last evaluation
// instant: the alarm timers are re-planned from it), alarm history and dashboards.
import type { Persistence, Table } from '../../storage/persistence/persistence.ts'
import type { Alarm } from './alarm.ts'
import type { Dimension, Point } from './metric.ts'

/** Key: a sequence number. `r` is `<account>/<region>`. */
export interface PointsRow {
  r: string
  ns: string
  data: { n: string; d: Dimension[]; p: Point }[]
}

export interface HistoryRow {
  r: string
  alarmName: string
  alarmType: 'MetricAlarm' | 'CompositeAlarm'
  t: number
  type: 'ConfigurationUpdate' | 'StateUpdate' | 'Action'
  summary: string
  data: string
}

export interface DashboardRow {
  r: string
  name: string
  body: string
  modified: number
}

export interface LoadedCloudWatch {
  points: PointsRow[]
  alarms: Alarm[]
  history: [seq: number, row: HistoryRow][]
  dashboards: DashboardRow[]
}

export class CloudWatchRows {
  private readonly points: Table<PointsRow>
  private readonly alarms: Table<Alarm>
  private readonly history: Table<HistoryRow>
  private readonly dashboards: Table<DashboardRow>
  private seq = 1

  constructor(persistence: Persistence) {
    this.points = persistence.table('cloudwatch_points')
    this.alarms = persistence.table('cloudwatch_alarms')
    this.history = persistence.table('cloudwatch_history')
    this.dashboards = persistence.table('cloudwatch_dashboards')
  }

  load(): LoadedCloudWatch {
    const points = this.points.load()
    const history = this.history.load().map(([k, v]) => [Number(k), v] as [number, HistoryRow])
    for (const [k] of points) this.seq = Math.max(this.seq, Number(k) + 1)
    for (const [k] of history) this.seq = Math.max(this.seq, k + 1)
    return {
      points: points.map(([, v]) => v),
      alarms: this.alarms.load().map(([, v]) => v),
      history,
      dashboards: this.dashboards.load().map(([, v]) => v),
    }
  }

  putPoints(row: PointsRow): void {
    this.points.put(String(this.seq++), row)
  }
  putAlarm(alarm: Alarm): void {
    this.alarms.put(`${alarm.account}/${alarm.region}/${alarm.config.name}`, alarm)
  }
  deleteAlarm(alarm: Alarm): void {
    this.alarms.delete(`${alarm.account}/${alarm.region}/${alarm.config.name}`)
  }
  /** Returns the item's key, to delete it when it ages out. */
  putHistory(row: HistoryRow): number {
    const seq = this.seq++
    this.history.put(String(seq), row)
    return seq
  }
  deleteHistory(seq: number): void {
    this.history.delete(String(seq))
  }
  putDashboard(row: DashboardRow): void {
    this.dashboards.put(`${row.r}/${row.name}`, row)
  }
  deleteDashboard(r: string, name: string): void {
    this.dashboards.delete(`${r}/${name}`)
  }
  clear(): void {
    this.points.clear()
    this.alarms.clear()
    this.history.clear()
    this.dashboards.clear()
  }
}
