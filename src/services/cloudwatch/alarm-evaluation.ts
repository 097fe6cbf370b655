// One evaluation of a metric alarm at an instant, a pure function of its configuration, the stored
// datapoints and its current state: the last EvaluationPeriods complete periods, "M out of N", and
// TreatMissingData as AWS's documented evaluation table has it (see README, "Alarm evaluation").
import type { Alarm, MetricAlarmConfig, StateValue } from './alarm.ts'
import { type Slot, thresholdReason, thresholdReasonData } from './alarm-reason.ts'
import type { Metric } from './metric.ts'
import type { Metrics } from './metrics.ts'
import { runQueries } from './metric-queries.ts'
import { bucketsOf } from './periods.ts'
import { aggregate, statistic } from './statistics.ts'

export interface Outcome {
  state: StateValue
  reason: string
  reasonData: string
}

/** The period (seconds) an alarm's datapoints have: its Period, or its returned query's. */
export function alarmPeriod(config: MetricAlarmConfig): number {
  if (config.period !== undefined) return config.period
  const returned = config.metrics?.find((q) => q.ReturnData !== false) ?? config.metrics?.[0]
  return returned?.MetricStat?.Period ?? returned?.Period ?? Math.min(...(config.metrics ?? []).map((q) => q.MetricStat?.Period ?? 60))
}

/** The metrics an alarm reads (one, or every MetricStat of a math alarm). */
export function alarmMetrics(config: MetricAlarmConfig, metrics: Metrics): { metric: Metric | undefined; period: number }[] {
  if (config.metrics === undefined) {
    return [{ metric: metrics.find(config.namespace ?? '', config.metricName ?? '', config.dimensions), period: config.period ?? 60 }]
  }
  return config.metrics.filter((q) => q.MetricStat !== undefined).map((q) => {
    const m = q.MetricStat!.Metric
    return { metric: metrics.find(m.Namespace ?? '', m.MetricName ?? '', m.Dimensions ?? []), period: q.MetricStat!.Period }
  })
}

/** The N slots (oldest first) of the evaluation at `t`: the periods that ended at or before `t`. */
export function slotsAt(config: MetricAlarmConfig, metrics: Metrics, t: number): Slot[] {
  const period = alarmPeriod(config) * 1000
  const end = Math.floor(t / period) * period
  const start = end - config.evaluationPeriods * period
  const values = new Map<number, { value: number; n: number | undefined }>()
  if (config.metrics === undefined) {
    const metric = metrics.find(config.namespace ?? '', config.metricName ?? '', config.dimensions)
    const stat = config.statistic ?? config.extendedStatistic ?? 'Average'
    if (metric !== undefined) {
      for (const b of bucketsOf(metric, period / 1000, start, end, t, config.unit)) {
        const v = statistic(b.points, stat)
        if (v !== undefined) values.set(b.t, { value: v, n: aggregate(b.points)?.n })
      }
    }
  } else {
    try {
      const results = runQueries(metrics, config.metrics, start, end, t)
      const returned = config.metrics.find((q) => q.ReturnData !== false) ?? config.metrics[0]
      for (const [ts, v] of results.get(returned?.Id ?? '')?.series[0]?.points ?? []) values.set(ts, { value: v, n: undefined })
    } catch {
      // An expression that can't be evaluated yields no datapoints: the alarm sees missing data.
    }
  }
  const slots: Slot[] = []
  for (let p = start; p < end; p += period) {
    const v = values.get(p)
    slots.push({ t: p, value: v?.value, sampleCount: v?.n })
  }
  return slots
}

export function breaches(config: MetricAlarmConfig, value: number): boolean {
  const threshold = config.threshold ?? 0
  switch (config.comparison) {
    case 'GreaterThanOrEqualToThreshold': return value >= threshold
    case 'GreaterThanThreshold': return value > threshold
    case 'LessThanThreshold': return value < threshold
    case 'LessThanOrEqualToThreshold': return value <= threshold
  }
  return false
}

/**
 * The decision (M = DatapointsToAlarm, b breaching, m missing of N):
 * - no datapoint at all: missing → INSUFFICIENT_DATA, ignore → current state, breaching → ALARM, notBreaching → OK;
 * - breaching: missing points count as breaching (b + m ≥ M → ALARM, else OK);
 * - notBreaching: missing points count as good (b ≥ M → ALARM, else OK);
 * - ignore: b ≥ M → ALARM; b + m < M (ALARM out of reach) → OK; otherwise the state stays;
 * - missing: only the present points are evaluated (b ≥ min(M, present) → ALARM, else OK).
 */
export function decide(config: MetricAlarmConfig, slots: readonly Slot[], current: StateValue): { state: StateValue; breaching: number } {
  let breaching = 0
  let present = 0
  for (const s of slots) {
    if (s.value === undefined) continue
    present++
    if (breaches(config, s.value)) breaching++
  }
  const missing = slots.length - present
  const m = config.datapointsToAlarm
  const treat = config.treatMissingData
  if (present === 0) {
    const state = treat === 'missing' ? 'INSUFFICIENT_DATA' : treat === 'ignore' ? current : treat === 'breaching' ? 'ALARM' : 'OK'
    return { state, breaching: treat === 'breaching' ? missing : 0 }
  }
  switch (treat) {
    case 'breaching': return { state: breaching + missing >= m ? 'ALARM' : 'OK', breaching: breaching + missing }
    case 'notBreaching': return { state: breaching >= m ? 'ALARM' : 'OK', breaching }
    case 'ignore': return { state: breaching >= m ? 'ALARM' : breaching + missing < m ? 'OK' : current, breaching }
    default: return { state: breaching >= Math.min(m, present) ? 'ALARM' : 'OK', breaching }
  }
}

export function evaluateAt(alarm: Alarm, metrics: Metrics, t: number): Outcome {
  const config = alarm.config as MetricAlarmConfig
  const slots = slotsAt(config, metrics, t)
  const { state, breaching } = decide(config, slots, alarm.state.value)
  return {
    state,
    reason: thresholdReason(config, slots, state, alarm.state.value, breaching),
    reasonData: thresholdReasonData(config, slots, t),
  }
}
