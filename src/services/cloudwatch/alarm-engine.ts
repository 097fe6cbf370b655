// Evaluates alarms on the injected clock, lazily: each metric alarm has at most one timer, armed at
// the next instant its state will change (alarm-schedule.ts); data arriving for its metrics re-plans
// it. A transition records history, runs actions and re-evaluates the composite alarms reading it,
// in time order, so a long clock jump produces the same history as living through it. An alarm whose
// state has scaling policy actions invokes them again each minute it stays in that state, as AWS does.
import type { Clock, Timer } from '../../core/clock.ts'
import type { Fabric } from '../../fabric/fabric.ts'
import type { AutoScalingPort } from '../autoscaling/port.ts'
import type { Ec2Port } from '../ec2/port.ts'
import { type Alarm, type AlarmState, cadenceMs, type MetricAlarmConfig, type StateValue } from './alarm.ts'
import { actionsFor, hasScalingActions, runActions, runScalingAction, type ScalingActions } from './alarm-actions.ts'
import { evaluateAt, type Outcome, slotsAt } from './alarm-evaluation.ts'
import { evaluateRule, nameOf, parseRule, ruleAlarms } from './alarm-rule.ts'
import { nextTransition } from './alarm-schedule.ts'
import { metricKey } from './metric.ts'
import { SourcedMetric } from './sourced-metric.ts'
import type { SourcedSeries } from './port.ts'
import type { CloudWatchState, RegionState } from './store.ts'

export class AlarmEngine {
  private readonly timers = new Map<Alarm, Timer>()
  /** When each alarm's armed timer fires: a scaling repeat due then yields to the evaluation. */
  private readonly plannedAt = new Map<Alarm, number>()
  /** The next once-a-minute scaling action of alarms staying in a state with such actions. */
  private readonly repeats = new Map<Alarm, Timer>()
  /** Metric key → the alarms reading it (per region key). */
  private readonly watchers = new Map<string, Set<Alarm>>()
  private readonly dirty = new Set<Alarm>()
  /**
   * Alarms by what a source change names (sourceChanged's `dimensions`): single-metric alarms with one
   * dimension under `<region>\u0002<namespace>\u0002<name>\u0003<value>`, the rest under
   * `<region>\u0002<namespace>`; with the keys each alarm was filed under, to unfile exactly those.
   */
  private readonly bySeries = new Map<string, Set<Alarm>>()
  private readonly filedUnder = new Map<Alarm, string[]>()
  /**
   * The last plan of each single-metric alarm reading a source's series: a source change re-plans
   * every alarm of its namespace, but one whose series is the very same object (the source rebuilt
   * nothing for it), in the same state, with the same last evaluation, would find the same next
   * transition again — its plan stands while the new start is still within [from, at].
   */
  private readonly plans = new Map<Alarm, { config: MetricAlarmConfig; series: SourcedSeries; state: StateValue; evaluatedAt: number; from: number; at: number | undefined }>()
  private flushQueued = false
  private seq = 0
  /** Evaluations run (the bench and tests read it: a 30-day jump must not walk idle minutes). */
  evaluations = 0

  private readonly clock: Clock
  private readonly state: CloudWatchState
  private readonly fabric: Fabric | undefined
  private readonly ec2: Ec2Port | undefined
  private readonly autoscaling: Pick<AutoScalingPort, 'runAlarmAction'> | undefined
  /** Scaling policy actions run (first invocations and the per-minute repeats). */
  scalingActions = 0

  constructor(clock: Clock, state: CloudWatchState, fabric: Fabric | undefined, ec2?: Ec2Port, autoscaling?: Pick<AutoScalingPort, 'runAlarmAction'>) {
    this.clock = clock
    this.state = state
    this.fabric = fabric
    this.ec2 = ec2
    this.autoscaling = autoscaling
    state.onData = (region, metric) => {
      const alarms = this.watchers.get(`${region.key}\u0002${metric.key}`)
      if (alarms === undefined) return
      for (const a of alarms) this.dirty.add(a)
      if (!this.flushQueued) {
        this.flushQueued = true
        queueMicrotask(() => this.flush())
      }
    }
  }

  /** A metric source's series changed in a region: the alarms reading that namespace there are re-planned. */
  sourceChanged(account: string, region: string, namespace: string, immediate = false, dimensions?: readonly { Name: string; Value: string }[]): void {
    for (const alarm of dimensions === undefined ? this.state.region(account, region).alarms.values() : this.filed(account, region, namespace, dimensions)) {
      if (!readsNamespace(alarm, namespace)) continue
      // At once: a change inside a clock jump must not be planned only from the jump's end.
      if (immediate) {
        this.dirty.delete(alarm)
        this.plan(alarm)
      } else this.dirty.add(alarm)
    }
    if (this.dirty.size > 0 && !this.flushQueued) {
      this.flushQueued = true
      // A clock timer at this instant, not a microtask: a change made by another timer inside a clock
      // jump (an Auto Scaling launch) is planned from its own instant, before the jump runs on.
      this.clock.at(this.clock.now(), () => this.flush())
    }
  }

  /** The alarms a change of the series with these dimensions can concern (filed by watch()). */
  private filed(account: string, region: string, namespace: string, dimensions: readonly { Name: string; Value: string }[]): Alarm[] {
    const prefix = `${account}/${region}\u0002${namespace}`
    const out = [...this.bySeries.get(prefix) ?? []]
    for (const d of dimensions) out.push(...this.bySeries.get(`${prefix}\u0002${d.Name}\u0003${d.Value}`) ?? [])
    return out
  }

  /** Starts (or restarts after a change) an alarm's evaluation. */
  watch(alarm: Alarm): void {
    this.unwatch(alarm)
    if (alarm.config.kind !== 'metric') return
    for (const key of keysOf(alarm)) (this.watchers.get(key) ?? this.watchers.set(key, new Set()).get(key)!).add(alarm)
    const filed = filingKeys(alarm)
    this.filedUnder.set(alarm, filed)
    for (const key of filed) (this.bySeries.get(key) ?? this.bySeries.set(key, new Set()).get(key)!).add(alarm)
    this.plan(alarm)
    // A stored alarm in a state with scaling actions resumes repeating them on its minute.
    if (hasScalingActions(alarm)) {
      const since = alarm.state.updatedAt
      this.armRepeat(alarm, since + Math.max(1, Math.ceil((this.clock.now() + 1 - since) / 60_000)) * 60_000)
    }
  }

  unwatch(alarm: Alarm): void {
    this.timers.get(alarm)?.cancel()
    this.timers.delete(alarm)
    this.plannedAt.delete(alarm)
    this.plans.delete(alarm)
    this.repeats.get(alarm)?.cancel()
    this.repeats.delete(alarm)
    this.dirty.delete(alarm)
    for (const key of keysOf(alarm)) this.watchers.get(key)?.delete(alarm)
    for (const key of this.filedUnder.get(alarm) ?? []) this.bySeries.get(key)?.delete(alarm)
    this.filedUnder.delete(alarm)
  }

  stop(): void {
    for (const t of this.timers.values()) t.cancel()
    for (const t of this.repeats.values()) t.cancel()
    this.timers.clear()
    this.repeats.clear()
    this.plannedAt.clear()
    this.plans.clear()
    this.watchers.clear()
    this.bySeries.clear()
    this.filedUnder.clear()
    this.dirty.clear()
  }

  private flush(): void {
    this.flushQueued = false
    const alarms = [...this.dirty]
    this.dirty.clear()
    for (const a of alarms) this.plan(a)
  }

  private plan(alarm: Alarm): void {
    const config = alarm.config as MetricAlarmConfig
    const region = this.state.region(alarm.account, alarm.region)
    // Strictly after the last evaluation and after now: the next tick on the cadence.
    const from = Math.max(alarm.evaluatedAt + cadenceMs(config), this.clock.now() + 1)
    const metric = config.metrics === undefined ? region.metrics.find(config.namespace ?? '', config.metricName ?? '', config.dimensions) : undefined
    const series = metric instanceof SourcedMetric ? metric.series : undefined
    const last = this.plans.get(alarm)
    if (series !== undefined && last !== undefined && last.series === series && last.config === config && last.state === alarm.state.value &&
      last.evaluatedAt === alarm.evaluatedAt && last.from <= from && (last.at === undefined || from <= last.at) &&
      (last.at === undefined ? !this.timers.has(alarm) : this.plannedAt.get(alarm) === last.at)) return
    this.timers.get(alarm)?.cancel()
    this.timers.delete(alarm)
    this.plannedAt.delete(alarm)
    this.plans.delete(alarm)
    const at = nextTransition(alarm, region.metrics, from)
    if (series !== undefined) this.plans.set(alarm, { config, series, state: alarm.state.value, evaluatedAt: alarm.evaluatedAt, from, at })
    if (at === undefined) return
    this.plannedAt.set(alarm, at)
    this.timers.set(alarm, this.clock.at(at, () => this.fire(alarm, at)))
  }

  private fire(alarm: Alarm, at: number): void {
    this.timers.delete(alarm)
    this.plannedAt.delete(alarm)
    const region = this.state.region(alarm.account, alarm.region)
    if (region.alarms.get(alarm.config.name) !== alarm) return
    this.evaluations++
    const outcome = evaluateAt(alarm, region.metrics, at)
    alarm.evaluatedAt = at
    if (outcome.state !== alarm.state.value) this.transition(region, alarm, outcome, at)
    else this.state.saveAlarm(alarm)
    this.plan(alarm)
  }

  /** Sets a new state (evaluation, SetAlarmState or a composite's rule): history, actions, parents. */
  transition(region: RegionState, alarm: Alarm, outcome: Outcome, at: number, depth = 0): void {
    const old: AlarmState = alarm.state
    const changed = old.value !== outcome.state
    alarm.state = { value: outcome.state, reason: outcome.reason, reasonData: outcome.reasonData || undefined, updatedAt: at,
      transitionedAt: changed ? at : old.transitionedAt }
    this.state.saveAlarm(alarm)
    const alarmType = alarm.config.kind === 'metric' ? 'MetricAlarm' : 'CompositeAlarm'
    this.state.addHistory(region, {
      alarmName: alarm.config.name, alarmType, t: at, type: 'StateUpdate',
      summary: `Alarm updated from ${old.value} to ${outcome.state}`,
      data: JSON.stringify({ version: '1.0', oldState: stateData(old), newState: stateData(alarm.state) }),
    })
    if (this.fabric !== undefined) {
      for (const record of runActions(this.fabric, alarm, old, `${alarm.arn}#${++this.seq}`, this.ec2, this.scaling(alarm, at))) {
        this.state.addHistory(region, { alarmName: alarm.config.name, alarmType, t: at, type: 'Action', summary: record.summary, data: record.data })
      }
    }
    this.repeats.get(alarm)?.cancel()
    this.repeats.delete(alarm)
    if (hasScalingActions(alarm)) this.armRepeat(alarm, at + 60_000)
    if (changed && depth < 10) this.updateParents(region, alarm.config.name, at, depth)
  }

  /** Auto Scaling's port with the alarm's datapoints at `at` (computed only if the policy asks). */
  private scaling(alarm: Alarm, at: number): ScalingActions | undefined {
    const autoscaling = this.autoscaling
    if (autoscaling === undefined) return undefined
    const values = () => {
      if (alarm.config.kind !== 'metric') return []
      const metrics = this.state.region(alarm.account, alarm.region).metrics
      return slotsAt(alarm.config, metrics, at).flatMap((s) => (s.value === undefined ? [] : [s.value]))
    }
    const port: Pick<AutoScalingPort, 'runAlarmAction'> = {
      runAlarmAction: (arn, trigger) => {
        this.scalingActions++
        return autoscaling.runAlarmAction(arn, trigger)
      },
    }
    return { port, values, at }
  }

  private armRepeat(alarm: Alarm, at: number): void {
    this.repeats.set(alarm, this.clock.at(at, () => this.repeat(alarm, at)))
  }

  /** A minute in the same state: the scaling actions run again (not recorded in the history). */
  private repeat(alarm: Alarm, at: number): void {
    this.repeats.delete(alarm)
    const region = this.state.region(alarm.account, alarm.region)
    if (region.alarms.get(alarm.config.name) !== alarm || !hasScalingActions(alarm)) return
    // An evaluation due now may change the state first: it runs, and re-arms the repeats itself.
    const planned = this.plannedAt.get(alarm)
    if (planned !== undefined && planned <= at) return
    const scaling = this.scaling(alarm, at)
    if (scaling !== undefined) {
      for (const arn of actionsFor(alarm)) if (arn.split(':')[2] === 'autoscaling') runScalingAction(alarm, arn, scaling)
    }
    this.armRepeat(alarm, at + 60_000)
  }

  /** Composite alarms whose rule reads `name` are evaluated at the same instant. */
  private updateParents(region: RegionState, name: string, at: number, depth: number): void {
    for (const parent of region.alarms.values()) {
      if (parent.config.kind !== 'composite') continue
      const rule = parseRule(parent.config.rule)
      if (!ruleAlarms(rule).includes(name)) continue
      this.evaluateComposite(region, parent, at, depth + 1)
    }
  }

  /** A composite alarm's state is its rule: true → ALARM, false → OK. */
  evaluateComposite(region: RegionState, alarm: Alarm, at: number, depth = 0): void {
    if (alarm.config.kind !== 'composite') return
    const rule = parseRule(alarm.config.rule)
    const stateOf = (n: string): StateValue | undefined => region.alarms.get(nameOf(n))?.state.value
    const value: StateValue = evaluateRule(rule, stateOf) ? 'ALARM' : 'OK'
    alarm.evaluatedAt = at
    if (value === alarm.state.value) return
    const children = ruleAlarms(rule).filter((n) => region.alarms.get(n)?.state.value === 'ALARM')
    const reason = value === 'ALARM' ? `arn:aws:cloudwatch:${alarm.region}:${alarm.account}:alarm:${children[0] ?? ''} transitioned to ALARM`
      : 'The alarm rule evaluated to FALSE'
    this.transition(region, alarm, { state: value, reason: `Composite alarm rule ${value === 'ALARM' ? 'triggered' : 'not triggered'}: ${reason}`,
      reasonData: JSON.stringify({ triggeringAlarms: children.map((n) => ({ arn: region.alarms.get(n)!.arn, state: { value: 'ALARM' } })) }) }, at, depth)
  }
}

function readsNamespace(alarm: Alarm, namespace: string): boolean {
  const c = alarm.config
  if (c.kind !== 'metric') return false
  return c.metrics === undefined ? c.namespace === namespace : c.metrics.some((q) => q.MetricStat?.Metric.Namespace === namespace)
}

/** Where watch() files an alarm for sourceChanged (see bySeries). */
function filingKeys(alarm: Alarm): string[] {
  const c = alarm.config
  if (c.kind !== 'metric') return []
  const region = `${alarm.account}/${alarm.region}`
  if (c.metrics === undefined) {
    const only = c.dimensions.length === 1 ? c.dimensions[0]! : undefined
    return [`${region}\u0002${c.namespace ?? ''}${only === undefined ? '' : `\u0002${only.Name}\u0003${only.Value}`}`]
  }
  return [...new Set(c.metrics.flatMap((q) => (q.MetricStat === undefined ? [] : [`${region}\u0002${q.MetricStat.Metric.Namespace ?? ''}`])))]
}

function keysOf(alarm: Alarm): string[] {
  const c = alarm.config
  if (c.kind !== 'metric') return []
  const region = `${alarm.account}/${alarm.region}`
  if (c.metrics === undefined) return [`${region}\u0002${metricKey(c.namespace ?? '', c.metricName ?? '', c.dimensions)}`]
  return c.metrics.filter((q) => q.MetricStat !== undefined).map((q) => {
    const m = q.MetricStat!.Metric
    return `${region}\u0002${metricKey(m.Namespace ?? '', m.MetricName ?? '', m.Dimensions ?? [])}`
  })
}

function stateData(s: AlarmState): Record<string, unknown> {
  let data: unknown
  try {
    data = s.reasonData === undefined ? undefined : JSON.parse(s.reasonData)
  } catch {
    data = undefined
  }
  return { stateValue: s.value, stateReason: s.reason, ...(data !== undefined && { stateReasonData: data }) }
}
