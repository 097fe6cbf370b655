// The AWS/AutoScaling group metrics (EnableMetricsCollection): while collection is on, the group
// keeps a change log of its sizes and instance counts (a snapshot when one of them changes, written
// by the control loop), and CloudWatch reads them as a metric source — dimension AutoScalingGroupName,
// one sampled datapoint per minute (the value at the minute's start, as AWS samples each minute). No
// timer publishes anything: a 30-day clock jump costs only the group's changes.
import type { MetricSource, SourcedSeries } from '../cloudwatch/port.ts'
import type { Group, GroupInstance } from './group.ts'
import type { AutoScalingState } from './store.ts'
import { warmPoolDesired } from './warm-pool.ts'

/** Every group metric, in AWS's order (EnabledMetric / MetricCollectionType). */
export const groupMetricNames = [
  'GroupMinSize', 'GroupMaxSize', 'GroupDesiredCapacity', 'GroupInServiceInstances', 'GroupPendingInstances', 'GroupStandbyInstances',
  'GroupTerminatingInstances', 'GroupTotalInstances', 'GroupInServiceCapacity', 'GroupPendingCapacity', 'GroupStandbyCapacity',
  'GroupTerminatingCapacity', 'GroupTotalCapacity', 'WarmPoolDesiredCapacity', 'WarmPoolWarmedCapacity', 'WarmPoolPendingCapacity',
  'WarmPoolTerminatingCapacity', 'WarmPoolTotalCapacity', 'GroupAndWarmPoolDesiredCapacity', 'GroupAndWarmPoolTotalCapacity',
] as const

/** The only granularity AWS accepts. */
export const granularities = ['1Minute']

/** CloudWatch keeps 1-minute datapoints 15 days: older log entries are dropped (the one in force then is kept). */
const keepMs = 15 * 86_400_000

const pending = new Set(['Pending', 'Pending:Wait', 'Pending:Proceed'])
const terminating = new Set(['Terminating', 'Terminating:Wait', 'Terminating:Proceed'])
const standby = new Set(['Standby', 'EnteringStandby'])

function count(instances: readonly GroupInstance[], states: ReadonlySet<string>): number {
  let n = 0
  for (const i of instances) if (states.has(i.state)) n++
  return n
}

/** Every metric's value now. Each instance is one capacity unit (WeightedCapacity is not modelled). */
export function groupMetricValues(group: Group): Record<string, number> {
  const inService = group.instances.filter((i) => i.state === 'InService').length
  const pendingN = count(group.instances, pending)
  const terminatingN = count(group.instances, terminating)
  const standbyN = count(group.instances, standby)
  // AWS: the total counts the instances in service, pending and terminating (Standby ones are apart).
  const total = inService + pendingN + terminatingN
  const pool = group.warmPool?.instances ?? []
  const warmPending = pool.filter((w) => w.state.startsWith('Warmed:Pending')).length
  const warmTerminating = pool.filter((w) => w.state.startsWith('Warmed:Terminat')).length
  // AWS: warmed = in the pool and ready (Warmed:Stopped/Running/Hibernated); total = every pool instance.
  const warm = { desired: warmPoolDesired(group), warmed: pool.length - warmPending - warmTerminating, pending: warmPending, terminating: warmTerminating,
    total: pool.length }
  return {
    GroupMinSize: group.min, GroupMaxSize: group.max, GroupDesiredCapacity: group.desired,
    GroupInServiceInstances: inService, GroupPendingInstances: pendingN, GroupStandbyInstances: standbyN, GroupTerminatingInstances: terminatingN,
    GroupTotalInstances: total, GroupInServiceCapacity: inService, GroupPendingCapacity: pendingN, GroupStandbyCapacity: standbyN,
    GroupTerminatingCapacity: terminatingN, GroupTotalCapacity: total,
    WarmPoolDesiredCapacity: warm.desired, WarmPoolWarmedCapacity: warm.warmed, WarmPoolPendingCapacity: warm.pending,
    WarmPoolTerminatingCapacity: warm.terminating, WarmPoolTotalCapacity: warm.total,
    GroupAndWarmPoolDesiredCapacity: group.desired + warm.desired, GroupAndWarmPoolTotalCapacity: total + warm.total,
  }
}

/**
 * Logs the enabled metrics' values at `now` when they differ from the last entry (the control loop
 * calls it after each reconciliation; Enable/DisableMetricsCollection after changing the list).
 * True when an entry was written (CloudWatch should re-plan the alarms on them).
 */
export function recordGroupMetrics(group: Group, now: number): boolean {
  const log = group.metricsLog
  if (group.enabledMetrics.length === 0 && (log === undefined || log.length === 0 || Object.keys(log[log.length - 1]!.v).length === 0)) return false
  const all = groupMetricValues(group)
  const v: Record<string, number> = {}
  for (const m of group.enabledMetrics) v[m.Metric] = all[m.Metric]!
  const entries = group.metricsLog ??= []
  const last = entries[entries.length - 1]
  if (last !== undefined && sameValues(last.v, v)) return false
  if (last !== undefined && last.t === now) entries.pop()
  entries.push({ t: now, v })
  while (entries.length > 1 && entries[1]!.t < now - keepMs) entries.shift()
  return true
}

function sameValues(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k])
}

const minute = 60_000

/**
 * One metric of a group as steps: each change takes effect at the next minute's sample (the start
 * of the minute at or after it), and the last change before a sample wins.
 */
export function groupMetricSeries(group: Group, name: string): SourcedSeries | undefined {
  const log = group.metricsLog ?? []
  if (!log.some((e) => name in e.v)) return undefined
  const steps: SourcedSeries['steps'] = []
  for (const e of log) {
    const t = Math.ceil(e.t / minute) * minute
    const value = e.v[name]
    const last = steps[steps.length - 1]
    if (last !== undefined && last.t === t) steps.pop()
    const before = steps[steps.length - 1]
    if (before !== undefined && before.value === value) continue
    steps.push({ t, value, resolution: 60 })
  }
  return { metricName: name, dimensions: [{ Name: 'AutoScalingGroupName', Value: group.name }], unit: 'None', combine: 'average', steps }
}

/** AWS/AutoScaling as a CloudWatch metric source over the groups' logs. */
export function groupMetricsSource(state: AutoScalingState): MetricSource {
  return {
    namespace: 'AWS/AutoScaling',
    find: (account, region, metricName, dimensions) => {
      if (dimensions.length !== 1 || dimensions[0]!.Name !== 'AutoScalingGroupName') return undefined
      const group = state.regions.peek(account, region)?.groups.get(dimensions[0]!.Value)
      return group === undefined ? undefined : groupMetricSeries(group, metricName)
    },
    list: (account, region) => [...state.regions.peek(account, region)?.groups.values() ?? []]
      .flatMap((g) => groupMetricNames.flatMap((name) => groupMetricSeries(g, name) ?? [])),
  }
}
