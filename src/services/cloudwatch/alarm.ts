// An alarm as plain data (stored as is): its configuration as PutMetricAlarm/PutCompositeAlarm gave
// it, its current state, and the last instant it was evaluated (timers are data: re-planned from it).
import type { Dimension } from './metric.ts'
import type { MetricDataQuery } from './generated/types.ts'

export type StateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'
export type TreatMissingData = 'missing' | 'ignore' | 'breaching' | 'notBreaching'

export interface AlarmState {
  value: StateValue
  reason: string
  reasonData: string | undefined
  /** StateUpdatedTimestamp: the last state change or SetAlarmState. */
  updatedAt: number
  /** StateTransitionedTimestamp: the last change of the state value. */
  transitionedAt: number
}

interface CommonConfig {
  name: string
  description: string | undefined
  actionsEnabled: boolean
  okActions: string[]
  alarmActions: string[]
  insufficientDataActions: string[]
  configUpdatedAt: number
}

export interface MetricAlarmConfig extends CommonConfig {
  kind: 'metric'
  namespace: string | undefined
  metricName: string | undefined
  dimensions: Dimension[]
  statistic: string | undefined
  extendedStatistic: string | undefined
  period: number | undefined
  unit: string | undefined
  evaluationPeriods: number
  datapointsToAlarm: number
  threshold: number | undefined
  comparison: string
  treatMissingData: TreatMissingData
  evaluateLowSampleCountPercentile: string | undefined
  /** Metric-math alarms: the queries, one with ReturnData true. */
  metrics: MetricDataQuery[] | undefined
}

export interface CompositeAlarmConfig extends CommonConfig {
  kind: 'composite'
  rule: string
  actionsSuppressor: string | undefined
  actionsSuppressorWaitPeriod: number | undefined
  actionsSuppressorExtensionPeriod: number | undefined
}

export type AlarmConfig = MetricAlarmConfig | CompositeAlarmConfig

export interface Alarm {
  account: string
  region: string
  arn: string
  config: AlarmConfig
  state: AlarmState
  tags: Record<string, string>
  /** The last evaluation instant (epoch ms) the state reflects; evaluation resumes after it. */
  evaluatedAt: number
}

export function alarmArn(account: string, region: string, name: string): string {
  return `arn:aws:cloudwatch:${region}:${account}:alarm:${name}`
}

/** The period at which AWS evaluates: every minute, or every period for 10- and 30-second alarms. */
export function cadenceMs(config: MetricAlarmConfig): number {
  const period = config.period ?? Math.min(...(config.metrics ?? []).map((q) => q.MetricStat?.Period ?? q.Period ?? 60))
  return period < 60 ? period * 1000 : 60_000
}
