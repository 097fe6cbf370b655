// How AWS words an alarm's StateReason and StateReasonData, and formats their numbers and dates.
import type { AlarmState, MetricAlarmConfig, StateValue } from './alarm.ts'

/** Java's Double.toString for the values CloudWatch prints (5 → "5.0"). */
export function javaDouble(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e7) return x.toFixed(1)
  return String(x).replace('e+', 'E').replace('e-', 'E-')
}

const pad = (n: number) => String(n).padStart(2, '0')

/** dd/MM/yy HH:mm:ss in UTC, as in "[5.0 (04/12/26 23:10:00)]". */
export function shortDate(ms: number): string {
  const d = new Date(ms)
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCFullYear() % 100)} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
}

/** 2026-12-04T23:10:00.000+0000: the timestamp format of reason data and notifications. */
export function isoPlus0000(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000')
}

const words: Record<string, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
}

export interface Slot {
  /** Period start, epoch ms. */
  t: number
  value: number | undefined
  sampleCount: number | undefined
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** The reason for the state an evaluation reached (AWS's sentences). */
export function thresholdReason(config: MetricAlarmConfig, slots: readonly Slot[], to: StateValue, from: StateValue, breaching: number): string {
  const present = slots.filter((s) => s.value !== undefined).reverse()
  const n = slots.length
  const missing = n - present.length
  const op = words[config.comparison] ?? config.comparison
  const threshold = config.threshold === undefined ? '' : javaDouble(config.threshold)
  if (present.length === 0) {
    if (to === 'INSUFFICIENT_DATA') return `Insufficient Data: ${plural(n, 'datapoint')} ${n === 1 ? 'was' : 'were'} unknown.`
    const as = to === 'ALARM' ? 'Breaching' : 'NonBreaching'
    return `Threshold Crossed: no datapoints were received for ${plural(n, 'period')} and ${plural(missing, 'missing datapoint')} ${missing === 1 ? 'was' : 'were'} treated as [${as}].`
  }
  const list = present.map((s) => `${javaDouble(s.value!)} (${shortDate(s.t)})`).join(', ')
  const count = to === 'ALARM' ? breaching : present.length - breaching
  const not = to === 'ALARM' ? '' : 'not '
  const verb = count === 1 ? 'was' : 'were'
  if (n === 1) return `Threshold Crossed: 1 datapoint [${list}] ${verb} ${not}${op} the threshold (${threshold}).`
  const min = to === 'ALARM' ? config.datapointsToAlarm : n - config.datapointsToAlarm + 1
  return `Threshold Crossed: ${count} out of the last ${n} datapoints [${list}] ${verb} ${not}${op} the threshold (${threshold}) ` +
    `(minimum ${plural(min, 'datapoint')} for ${from} -> ${to} transition).`
}

/** StateReasonData: the JSON document AWS attaches to a threshold evaluation. */
export function thresholdReasonData(config: MetricAlarmConfig, slots: readonly Slot[], at: number): string {
  const period = config.period ?? 60
  const present = slots.filter((s) => s.value !== undefined)
  return JSON.stringify({
    version: '1.0',
    queryDate: isoPlus0000(at),
    startDate: isoPlus0000(slots[0]?.t ?? at),
    ...(config.statistic !== undefined && { statistic: config.statistic }),
    ...(config.extendedStatistic !== undefined && { statistic: config.extendedStatistic }),
    ...(config.unit !== undefined && { unit: config.unit }),
    period,
    recentDatapoints: present.map((s) => s.value),
    threshold: config.threshold,
    evaluatedDatapoints: [...present].reverse().map((s) => ({
      timestamp: isoPlus0000(s.t), ...(s.sampleCount !== undefined && { sampleCount: s.sampleCount }), value: s.value,
    })),
  })
}

export function initialState(now: number): AlarmState {
  return { value: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation', reasonData: undefined, updatedAt: now, transitionedAt: now }
}
