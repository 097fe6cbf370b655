// The AWS/EC2 metrics instances publish, as a metric source CloudWatch reads through its port: per
// instance (InstanceId dimension) CPUUtilization from the cpu hook, StatusCheckFailed[_System|_Instance]
// from the status hook, NetworkIn/NetworkOut (0: no traffic is simulated). Only while running; at
// 5-minute resolution (basic monitoring) or 1-minute (detailed), status checks always 1-minute.
// Instances an Auto Scaling group launched (tag aws:autoscaling:groupName) are also aggregated under
// the AutoScalingGroupName dimension: at each instant the mean (status checks: the maximum) of the
// values its running instances report — what ASGAverageCPUUtilization's alarms read — and, for
// predictive scaling's load, ASGTotalCPUUtilization / ASGTotalNetworkIn / ASGTotalNetworkOut: their
// sum (readable by name, not listed: Nimbus's stand-in for the totals AWS computes internally).
import type { MetricSource, SourcedSeries } from '../cloudwatch/port.ts'
import { metricLog } from './metric-log.ts'
import type { InstanceRecord, MetricLog } from './resources.ts'
import type { Ec2State } from './store.ts'

type Values = MetricLog['values'][number]

interface Definition {
  unit: string
  combine: SourcedSeries['combine']
  value: (v: Values) => number
  /** Status checks are 1-minute metrics whatever the monitoring. */
  statusCheck?: boolean
}

const definitions: Record<string, Definition> = {
  CPUUtilization: { unit: 'Percent', combine: 'average', value: (v) => v.cpu },
  NetworkIn: { unit: 'Bytes', combine: 'average', value: () => 0 },
  NetworkOut: { unit: 'Bytes', combine: 'average', value: () => 0 },
  StatusCheckFailed: { unit: 'Count', combine: 'maximum', value: (v) => Math.max(v.system, v.instance), statusCheck: true },
  StatusCheckFailed_System: { unit: 'Count', combine: 'maximum', value: (v) => v.system, statusCheck: true },
  StatusCheckFailed_Instance: { unit: 'Count', combine: 'maximum', value: (v) => v.instance, statusCheck: true },
}

export const ec2MetricNames = Object.keys(definitions)

/**
 * The series last built from each log, per metric: a group's aggregate is rebuilt whenever one of its
 * instances changes, and its other members' logs have not. A log only grows at its end, drops entries
 * at its start and closes its last run, so these references and lengths tell whether it changed.
 */
const built = new WeakMap<MetricLog, Map<string, { mark: unknown[]; series: SourcedSeries; builtAt: number }>>()

function markOf(log: MetricLog): unknown[] {
  const lastRun = log.runs[log.runs.length - 1]
  return [log.runs.length, log.runs[0], lastRun, lastRun?.to, log.values.length, log.values[0], log.values[log.values.length - 1]]
}

/** markOf(log) equals `mark`, without building it (asked for every member of a group on each read). */
function unchanged(log: MetricLog, mark: unknown[]): boolean {
  const runs = log.runs
  const values = log.values
  const lastRun = runs[runs.length - 1]
  return mark[0] === runs.length && mark[1] === runs[0] && mark[2] === lastRun && mark[3] === lastRun?.to && mark[4] === values.length &&
    mark[5] === values[0] && mark[6] === values[values.length - 1]
}

/**
 * One metric of one instance as steps: the running intervals crossed with the hook values' changes.
 * A log changed since the last build (at `builtAt`) changed only from an instant at or after it, so
 * the steps before it are kept — unless its first entries went (trimmed): then all is rebuilt.
 */
function seriesOf(i: InstanceRecord, name: string, now: number): SourcedSeries {
  const log = metricLog(i)
  let byName = built.get(log)
  if (byName === undefined) built.set(log, (byName = new Map()))
  const cached = byName.get(name)
  if (cached !== undefined && unchanged(log, cached.mark)) return cached.series
  const mark = markOf(log)
  const reuse = cached !== undefined && cached.builtAt <= now && cached.mark[1] === mark[1] && cached.mark[5] === mark[5]
    ? { before: cached.builtAt, steps: cached.series.steps } : undefined
  const series = buildSeries(i, log, name, reuse)
  byName.set(name, { mark, series, builtAt: now })
  return series
}

function buildSeries(i: InstanceRecord, log: MetricLog, name: string, reuse?: { before: number; steps: SourcedSeries['steps'] }): SourcedSeries {
  const def = definitions[name]!
  const from = reuse?.before ?? -Infinity
  const instants = new Set<number>()
  for (const r of log.runs) {
    if (r.from >= from) instants.add(r.from)
    if (r.to !== undefined && r.to >= from) instants.add(r.to)
  }
  // Values are logged in time order: those before `from` are skipped by search, not walked (a rebuild
  // starts at the value in force at `from`, where the walk from the first one would have arrived).
  const values = log.values
  const first = Math.max(0, lastBefore(values, from))
  for (let k = first; k < values.length; k++) if (values[k]!.t >= from) instants.add(values[k]!.t)
  const steps: SourcedSeries['steps'] = reuse === undefined ? [] : reuse.steps.slice(0, lastBefore(reuse.steps, from) + 1)
  let run = 0
  let value = first
  for (const t of [...instants].sort((a, b) => a - b)) {
    while (run < log.runs.length && (log.runs[run]!.to ?? Infinity) <= t) run++
    const running = run < log.runs.length && log.runs[run]!.from <= t
    while (value + 1 < log.values.length && log.values[value + 1]!.t <= t) value++
    const v = log.values[value]!
    const step = { t, value: running ? def.value(v) : undefined, resolution: def.statusCheck === true || v.detailed ? 60 : 300 }
    const last = steps[steps.length - 1]
    if (last !== undefined && last.value === step.value && last.resolution === step.resolution) continue
    steps.push(step)
  }
  return { metricName: name, dimensions: [{ Name: 'InstanceId', Value: i.id }], unit: def.unit, combine: def.combine, steps }
}

const groupTag = 'aws:autoscaling:groupName'

function groupOf(i: InstanceRecord): string | undefined {
  return i.tags.find((t) => t.Key === groupTag)?.Value
}

/** One metric of a group: its instances' steps merged, each instant's value combined over those running. */
const totals: Record<string, string> = { ASGTotalCPUUtilization: 'CPUUtilization', ASGTotalNetworkIn: 'NetworkIn', ASGTotalNetworkOut: 'NetworkOut' }

function groupSeries(members: readonly InstanceRecord[], name: string, group: string, now: number, sum = false,
  reuse?: { before: number; steps: SourcedSeries['steps'] }): SourcedSeries {
  const def = definitions[name]!
  const each = members.map((i) => seriesOf(i, name, now).steps)
  // Reusing an earlier build: its steps before `before` stand (logs change only from the instant of
  // the change on), so only the instants from `before` on are merged again.
  const from = reuse?.before ?? -Infinity
  const cursor = each.map((list) => lastBefore(list, from))
  // Plain loops, no per-instant arrays or closures: a group's aggregate is re-merged on every change of one of its members.
  const seen = new Set<number>()
  for (let k = 0; k < each.length; k++) {
    const list = each[k]!
    for (let s = cursor[k]! + 1; s < list.length; s++) seen.add(list[s]!.t)
  }
  const instants = [...seen].sort((a, b) => a - b)
  const steps: SourcedSeries['steps'] = reuse === undefined ? [] : reuse.steps.slice(0, lastBefore(reuse.steps, from) + 1)
  const maximum = def.combine === 'maximum'
  for (const t of instants) {
    let count = 0
    let total = 0
    let max = -Infinity
    let resolution = 300
    for (let k = 0; k < each.length; k++) {
      const list = each[k]!
      let c = cursor[k]!
      while (c + 1 < list.length && list[c + 1]!.t <= t) c++
      cursor[k] = c
      const step = list[c]
      if (step?.value === undefined) continue
      // Summed in member order from 0 and maxed one by one: the same numbers as reduce() and Math.max(...values).
      count++
      total += step.value
      max = Math.max(max, step.value)
      resolution = Math.min(resolution, step.resolution)
    }
    const value = count === 0 ? undefined : sum ? total : maximum ? max : total / count
    const last = steps[steps.length - 1]
    if (last !== undefined && last.value === value && last.resolution === resolution) continue
    steps.push({ t, value, resolution })
  }
  return { metricName: name, dimensions: [{ Name: 'AutoScalingGroupName', Value: group }], unit: def.unit, combine: def.combine, steps }
}

/** The index of the last step (or logged value) before `t` (-1: none). */
function lastBefore(steps: readonly { t: number }[], t: number): number {
  let lo = 0
  let hi = steps.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (steps[mid]!.t < t) lo = mid + 1
    else hi = mid
  }
  return lo - 1
}

export function ec2MetricSource(state: Ec2State): MetricSource {
  const regionOf = (account: string, region: string) => state.allRegions().find((r) => r.account === account && r.region === region)
  // Group aggregates are read by every evaluation of a group's alarms: built once per revision of
  // the group (bumped when one of its instances is saved), not once per read.
  // A rebuild re-merges only from the instant of the previous build on: every change since then (a
  // hook value, a run's start or end, a new member) is logged at or after it. A member dropped (gone
  // an hour after its termination) leaves the past as it was, as CloudWatch's datapoints stay.
  const aggregates = new Map<string, { revision: number; series: SourcedSeries; builtAt: number }>()
  const aggregate = (account: string, region: string, group: string, metricName: string): SourcedSeries | undefined => {
    const entry = state.autoScalingGroups.get(`${account}/${region}`)?.get(group)
    if (entry === undefined || entry.members.size === 0) return undefined
    const key = `${account}/${region}/${group}/${metricName}`
    const cached = aggregates.get(key)
    if (cached?.revision === entry.revision) return cached.series
    const list = [...entry.members.values()]
    const total = totals[metricName]
    const now = state.clock.now()
    const reuse = cached === undefined || cached.builtAt > now ? undefined : { before: cached.builtAt, steps: cached.series.steps }
    const series = total === undefined ? groupSeries(list, metricName, group, now, false, reuse)
      : { ...groupSeries(list, total, group, now, true, reuse), metricName }
    aggregates.set(key, { revision: entry.revision, series, builtAt: now })
    return series
  }
  return {
    namespace: 'AWS/EC2',
    find: (account, region, metricName, dimensions) => {
      const total = totals[metricName]
      if ((definitions[metricName] === undefined && total === undefined) || dimensions.length !== 1) return undefined
      if (dimensions[0]!.Name === 'AutoScalingGroupName') return aggregate(account, region, dimensions[0]!.Value, metricName)
      if (total !== undefined) return undefined
      if (dimensions[0]!.Name !== 'InstanceId') return undefined
      const found = state.findInstance(dimensions[0]!.Value)
      if (found === undefined || found.region.account !== account || found.region.region !== region) return undefined
      return seriesOf(found.instance, metricName, state.clock.now())
    },
    list: (account, region) => {
      const instances = regionOf(account, region)?.allInstances() ?? []
      const groups = new Map<string, InstanceRecord[]>()
      for (const i of instances) {
        const g = groupOf(i)
        if (g !== undefined) (groups.get(g) ?? groups.set(g, []).get(g)!).push(i)
      }
      const now = state.clock.now()
      return [...instances.flatMap((i) => ec2MetricNames.map((name) => seriesOf(i, name, now))),
        ...[...groups].flatMap(([g, members]) => ec2MetricNames.map((name) => groupSeries(members, name, g, now)))]
    },
  }
}
