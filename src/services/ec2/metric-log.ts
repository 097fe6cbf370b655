// What an instance's AWS/EC2 metrics are made of, kept as change logs on its record: when it ran and
// when its hook values (CPU, status checks, detailed monitoring) changed. CloudWatch reads any time
// range from them (metric-source.ts), so no datapoint is stored per minute per instance.
import type { InstanceRecord, MetricLog } from './resources.ts'

/** Logs older than this are dropped (CloudWatch keeps no datapoint past 455 days). */
const keepMs = 455 * 86_400_000

export function metricLog(i: InstanceRecord): MetricLog {
  // A record stored before metric logs existed: running since its state began.
  i.metricLog ??= { runs: i.state === 'running' ? [{ from: i.since }] : [], values: [{ t: i.launchTime, cpu: i.cpuPercent, system: i.systemStatus === 'impaired' ? 1 : 0,
    instance: i.instanceStatus === 'impaired' ? 1 : 0, detailed: i.monitoring }] }
  return i.metricLog
}

/** It will be running from `at` (a launch or start: once it has booted). */
export function logRunStart(i: InstanceRecord, at: number): void {
  metricLog(i).runs.push({ from: at })
}

/** It stops running at `now` (stop, terminate); a run that had not begun yet is dropped. */
export function logRunEnd(i: InstanceRecord, now: number): void {
  const runs = metricLog(i).runs
  const last = runs[runs.length - 1]
  if (last === undefined || last.to !== undefined) return
  if (last.from >= now) runs.pop()
  else last.to = now
  while (runs.length > 1 && (runs[0]!.to ?? Infinity) < now - keepMs) runs.shift()
}

/** Its hook values (or monitoring) changed at `now`: logged from then on. */
export function logValues(i: InstanceRecord, now: number): void {
  const values = metricLog(i).values
  const entry = { t: now, cpu: i.cpuPercent, system: i.systemStatus === 'impaired' ? 1 as const : 0 as const,
    instance: i.instanceStatus === 'impaired' ? 1 as const : 0 as const, detailed: i.monitoring }
  while (values.length > 0 && values[values.length - 1]!.t >= now) values.pop()
  values.push(entry)
  while (values.length > 1 && values[1]!.t < now - keepMs) values.shift()
}
