// Predictive scaling over CloudWatch's history (a documented simplification, see README): the load
// metric's hourly history of the last 14 days → forecast.ts's 48 hourly values; with ForecastAndScale
// each hour (SchedulingBufferTime early) raises desired capacity to that hour's forecast, within max.
import type { Clock, Timer } from '../../../core/clock.ts'
import type { CloudWatchAlarms } from '../../cloudwatch/port.ts'
import { causeTime } from '../group-input.ts'
import type { Group } from '../group.ts'
import type { PredictiveScalingMetricSpecification } from '../generated/types.ts'
import type { PolicyRecord } from '../policies/policy.ts'
import type { PolicyState } from '../policies/policy-state.ts'
import type { GroupControl } from '../policies/runner.ts'
import { capacityAt, type Forecast, forecast } from './forecast.ts'

const HOUR = 3_600_000

interface LoadQuery {
  namespace: string
  metricName: string
  dimensions: { Name: string; Value: string }[]
  statistic: string
}

/** The load metric a specification forecasts (the first MetricStat of a customized one). */
export function loadQuery(spec: PredictiveScalingMetricSpecification, group: string): LoadQuery | undefined {
  const byGroup = [{ Name: 'AutoScalingGroupName', Value: group }]
  const type = spec.PredefinedMetricPairSpecification?.PredefinedMetricType ?? spec.PredefinedLoadMetricSpecification?.PredefinedMetricType
  switch (type) {
    // The group's total over its running instances (EC2's metric source sums them for these names).
    case 'ASGCPUUtilization': case 'ASGTotalCPUUtilization':
      return { namespace: 'AWS/EC2', metricName: 'ASGTotalCPUUtilization', dimensions: byGroup, statistic: 'Average' }
    case 'ASGNetworkIn': case 'ASGTotalNetworkIn':
      return { namespace: 'AWS/EC2', metricName: 'ASGTotalNetworkIn', dimensions: byGroup, statistic: 'Average' }
    case 'ASGNetworkOut': case 'ASGTotalNetworkOut':
      return { namespace: 'AWS/EC2', metricName: 'ASGTotalNetworkOut', dimensions: byGroup, statistic: 'Average' }
    case undefined: break
    default: return undefined
  }
  const stat = spec.CustomizedLoadMetricSpecification?.MetricDataQueries.find((q) => q.MetricStat !== undefined)?.MetricStat
  if (stat === undefined) return undefined
  return { namespace: stat.Metric.Namespace ?? '', metricName: stat.Metric.MetricName ?? '', dimensions: (stat.Metric.Dimensions ?? []) as LoadQuery['dimensions'],
    statistic: stat.Stat }
}

/** The policy's forecast as of `now` (undefined under 24 hours of history). */
export function policyForecast(cw: CloudWatchAlarms | undefined, policy: PolicyRecord, group: Group, now: number): Forecast | undefined {
  const spec = policy.predictive?.MetricSpecifications[0]
  const query = spec === undefined ? undefined : loadQuery(spec, group.name)
  if (cw === undefined || spec === undefined || query === undefined) return undefined
  const end = Math.floor(now / HOUR) * HOUR
  const points = cw.statistics(group.account, group.region, query, end - 14 * 24 * HOUR, end, 3600)
  const history = new Map(points)
  return forecast(history, now, spec.TargetValue)
}

/** ForecastAndScale: an hourly timer per policy, SchedulingBufferTime before each hour. */
export class PredictiveScaler {
  private readonly timers = new Map<string, Timer>()
  private readonly clock: Clock
  private readonly state: PolicyState
  private readonly control: GroupControl
  private readonly cw: CloudWatchAlarms | undefined

  constructor(clock: Clock, state: PolicyState, control: GroupControl, cw: CloudWatchAlarms | undefined) {
    this.clock = clock
    this.state = state
    this.control = control
    this.cw = cw
  }

  /** (Re-)arms a policy after PutScalingPolicy; a policy that does not scale has no timer. */
  watch(p: PolicyRecord): void {
    this.unwatch(p)
    if (p.type !== 'PredictiveScaling' || !p.enabled || p.predictive?.Mode !== 'ForecastAndScale') return
    const buffer = (p.predictive.SchedulingBufferTime ?? 0) * 1000
    const at = Math.floor((this.clock.now() + buffer) / HOUR) * HOUR + HOUR - buffer
    this.timers.set(p.arn, this.clock.at(at, () => this.fire(p, at + buffer)))
  }

  unwatch(p: PolicyRecord): void {
    this.timers.get(p.arn)?.cancel()
    this.timers.delete(p.arn)
  }

  stop(): void {
    for (const t of this.timers.values()) t.cancel()
    this.timers.clear()
  }

  private fire(p: PolicyRecord, hour: number): void {
    this.timers.delete(p.arn)
    if (this.state.policy(p.account, p.region, p.group, p.name) !== p) return
    const group = this.control.find(p.account, p.region, p.group)
    const f = group === undefined ? undefined : policyForecast(this.cw, p, group, this.clock.now())
    const capacity = f === undefined ? undefined : capacityAt(f, hour)
    if (group !== undefined && capacity !== undefined) {
      const to = Math.min(group.max, Math.max(group.desired, capacity))
      if (to !== group.desired) {
        this.control.resize(group, { desired: to }, `At ${causeTime(this.clock.now())} a scheduled action update of AutoScalingGroup constraints ` +
          `to min: ${group.min}, max: ${group.max}, desired: ${to} changing the desired capacity from ${group.desired} to ${to}.`)
      }
    }
    this.watch(p)
  }
}
