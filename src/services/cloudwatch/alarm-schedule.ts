// When an alarm's state can next change, found without walking idle minutes: with the stored data
// fixed, the evaluation window's contents (and so its outcome) change only when a period holding
// data enters the window or leaves it. Evaluating at those instants alone gives exactly the
// transitions a minute-by-minute evaluation would, so a 30-day clock jump costs O(datapoints).
import { type Alarm, cadenceMs, type MetricAlarmConfig } from './alarm.ts'
import { alarmMetrics, decide, slotsAt } from './alarm-evaluation.ts'
import type { Metrics } from './metrics.ts'

const ceilTo = (t: number, unit: number) => Math.ceil(t / unit) * unit

/** Every instant after `from` (on the evaluation cadence) at which the alarm's window changes, in order. */
function windowChanges(config: MetricAlarmConfig, metrics: Metrics, from: number): number[] {
  const cadence = cadenceMs(config)
  const n = config.evaluationPeriods
  const out = new Set<number>()
  for (const { metric, period } of alarmMetrics(config, metrics)) {
    if (metric === undefined) continue
    const p = period * 1000
    for (const c of metric.changeInstants(p, n, from)) out.add(ceilTo(c, cadence))
  }
  return [...out].sort((a, b) => a - b)
}

/**
 * The first evaluation instant ≥ `from` (rounded up to the cadence) at which the alarm leaves its
 * current state, or undefined if it never will with the data stored now.
 */
export function nextTransition(alarm: Alarm, metrics: Metrics, from: number): number | undefined {
  const config = alarm.config as MetricAlarmConfig
  const first = ceilTo(from, cadenceMs(config))
  const changes = windowChanges(config, metrics, first)
  const current = alarm.state.value
  let t = first
  let k = 0
  for (;;) {
    if (decide(config, slotsAt(config, metrics, t), current).state !== current) return t
    while (k < changes.length && changes[k]! <= t) k++
    if (k >= changes.length) return undefined
    t = changes[k]!
  }
}
