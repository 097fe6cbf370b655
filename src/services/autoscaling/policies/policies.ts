// Scaling policies' lifecycle: PutScalingPolicy's checks and record (a target tracking policy's
// alarms created in CloudWatch and deleted with it), and running a policy when an alarm invokes it.
import type { CloudWatchAlarms } from '../../cloudwatch/port.ts'
import { autoScalingErrors } from '../errors.ts'
import type { PutScalingPolicyType } from '../generated/types.ts'
import type { Group } from '../group.ts'
import { deterministicUuid } from '../ids.ts'
import type { AlarmActionOutcome, AlarmTrigger } from '../port.ts'
import { type AdjustmentType, adjustmentTypes, stepAdjustmentsError } from './adjustment.ts'
import { parsePolicyArn, policyArn, type PolicyRecord, type PolicyType, policyTypes } from './policy.ts'
import type { PolicyState } from './policy-state.ts'
import { loadQuery } from '../predictive/predictive.ts'
import { type GroupControl, runPolicy } from './runner.ts'
import { alarmSpecs, predefinedMetricTypes, type TargetTrackingConfiguration } from './target-tracking.ts'

const invalid = autoScalingErrors.validation

export class Policies {
  readonly state: PolicyState
  private readonly control: GroupControl
  private readonly alarms: CloudWatchAlarms | undefined
  private readonly now: () => number
  /** ForecastAndScale policies' hourly timers (set once wired). */
  predictive: { watch(p: PolicyRecord): void; unwatch(p: PolicyRecord): void } | undefined

  constructor(state: PolicyState, control: GroupControl, alarms: CloudWatchAlarms | undefined, now: () => number) {
    this.state = state
    this.control = control
    this.alarms = alarms
    this.now = now
  }

  /** PutScalingPolicy: creates or replaces (an update keeps the ARN and the alarms' names). */
  put(group: Group, input: PutScalingPolicyType): PolicyRecord {
    const type = (input.PolicyType ?? 'SimpleScaling') as PolicyType
    if (!policyTypes.includes(type)) throw invalid(`Invalid PolicyType: ${type}. Valid values are: ${policyTypes.join(', ')}`)
    checkPolicyInput(type, input)
    const existing = this.state.policy(group.account, group.region, group.name, input.PolicyName)
    const now = this.now()
    const id = existing?.id ?? deterministicUuid(`${group.account}/${group.region}/policy/${group.name}/${input.PolicyName}/${now}`)
    const arn = policyArn(group.account, group.region, id, group.name, input.PolicyName)
    const record: PolicyRecord = {
      account: group.account, region: group.region, group: group.name, name: input.PolicyName, id, arn, type, enabled: input.Enabled ?? true,
      ...(type !== 'TargetTrackingScaling' && type !== 'PredictiveScaling' && { adjustmentType: (input.AdjustmentType ?? 'ChangeInCapacity') as AdjustmentType }),
      ...(input.ScalingAdjustment !== undefined && { scalingAdjustment: input.ScalingAdjustment }),
      ...((input.MinAdjustmentMagnitude ?? input.MinAdjustmentStep) !== undefined && { minAdjustmentMagnitude: input.MinAdjustmentMagnitude ?? input.MinAdjustmentStep }),
      ...(input.Cooldown !== undefined && { cooldown: input.Cooldown }),
      ...(input.MetricAggregationType !== undefined && { metricAggregationType: input.MetricAggregationType }),
      ...(input.StepAdjustments !== undefined && { stepAdjustments: input.StepAdjustments }),
      ...(input.EstimatedInstanceWarmup !== undefined && { estimatedInstanceWarmup: input.EstimatedInstanceWarmup }),
      ...(input.TargetTrackingConfiguration !== undefined && { targetTracking: input.TargetTrackingConfiguration as TargetTrackingConfiguration }),
      ...(input.PredictiveScalingConfiguration !== undefined && { predictive: input.PredictiveScalingConfiguration }),
      alarms: [],
    }
    if (record.targetTracking !== undefined) record.alarms = this.ownAlarms(record, existing, now)
    else if (existing !== undefined) this.dropAlarms(existing)
    this.state.putPolicy(record)
    this.predictive?.watch(record)
    return record
  }

  /** Target tracking's alarms, put in CloudWatch (same names on an update; AlarmLow dropped with DisableScaleIn). */
  private ownAlarms(p: PolicyRecord, existing: PolicyRecord | undefined, now: number): PolicyRecord['alarms'] {
    const old = existing?.alarms ?? []
    const idOf = (kind: 'High' | 'Low') => old.find((a) => a.AlarmName.includes(`-Alarm${kind}-`))?.AlarmName.split(`-Alarm${kind}-`)[1]
      ?? deterministicUuid(`${p.arn}/alarm-${kind}/${now}`)
    const specs = alarmSpecs(p.targetTracking!, p.group, p.arn, { high: idOf('High'), low: idOf('Low') })
    const names = specs.map((s) => s.name)
    this.alarms?.deleteAlarms(p.account, p.region, old.map((a) => a.AlarmName).filter((n) => !names.includes(n)))
    for (const s of specs) {
      this.alarms?.putMetricAlarm(p.account, p.region, {
        name: s.name, description: s.description, namespace: s.metric.namespace, metricName: s.metric.metricName, dimensions: s.metric.dimensions,
        statistic: s.metric.statistic, unit: s.metric.unit,
        metrics: s.metric.metrics?.map((q) => ({ ...q, MetricStat: q.MetricStat === undefined ? undefined : { ...q.MetricStat, Period: s.period } })),
        period: s.period, evaluationPeriods: s.evaluationPeriods, datapointsToAlarm: s.datapointsToAlarm, threshold: s.threshold,
        comparison: s.comparison, alarmActions: s.alarmActions,
      })
    }
    return specs.map((s) => ({ AlarmName: s.name, AlarmARN: `arn:aws:cloudwatch:${p.region}:${p.account}:alarm:${s.name}` }))
  }

  private dropAlarms(p: PolicyRecord): void {
    this.alarms?.deleteAlarms(p.account, p.region, p.alarms.map((a) => a.AlarmName))
  }

  delete(p: PolicyRecord): void {
    if (p.targetTracking !== undefined) this.dropAlarms(p)
    this.predictive?.unwatch(p)
    this.state.deletePolicy(p)
  }

  /** A group was deleted: its policies (and their alarms) go with it, as on AWS. */
  groupDeleted(account: string, region: string, group: string): void {
    for (const p of this.state.listPolicies(account, region, group)) this.delete(p)
  }

  /** CloudWatch invokes a policy from an alarm (at its transition, then each minute in the state). */
  runAlarmAction(arn: string, trigger: AlarmTrigger): AlarmActionOutcome {
    const parsed = parsePolicyArn(arn)
    const policy = parsed === undefined ? undefined : this.state.policy(parsed.account, parsed.region, parsed.group, parsed.name)
    if (parsed === undefined || policy === undefined || policy.id !== parsed.id) return { ok: false, error: `The scaling policy ${arn} does not exist` }
    const group = this.control.find(policy.account, policy.region, policy.group)
    if (group === undefined) return { ok: false, error: `AutoScalingGroup ${policy.group} not found` }
    // Only an alarm in ALARM scales (a policy listed as an OK or INSUFFICIENT_DATA action does nothing then).
    if (trigger.state !== 'ALARM') return { ok: true }
    const outcome = runPolicy(policy, group, { kind: 'alarm', alarmName: trigger.alarmName, at: trigger.at, threshold: trigger.threshold,
      values: () => trigger.values() }, this.control)
    return outcome.ok ? { ok: true } : outcome
  }
}

/** PutScalingPolicy's checks per policy type (wording [R] where the README says so). */
function checkPolicyInput(type: PolicyType, input: PutScalingPolicyType): void {
  const simpleOrStep = type === 'SimpleScaling' || type === 'StepScaling'
  if (input.AdjustmentType !== undefined && !adjustmentTypes.includes(input.AdjustmentType)) {
    throw invalid(`Invalid adjustment type ${input.AdjustmentType}. Valid types are: ${adjustmentTypes.join(', ')}`)
  }
  if (!simpleOrStep) {
    for (const [name, value] of [['AdjustmentType', input.AdjustmentType], ['ScalingAdjustment', input.ScalingAdjustment], ['Cooldown', input.Cooldown],
      ['StepAdjustments', input.StepAdjustments], ['MinAdjustmentMagnitude', input.MinAdjustmentMagnitude]] as const) {
      if (value !== undefined) throw invalid(`${name} is not supported for policy type ${type}.`)
    }
  }
  if ((input.MinAdjustmentMagnitude ?? input.MinAdjustmentStep) !== undefined && input.AdjustmentType !== 'PercentChangeInCapacity') {
    throw invalid('MinAdjustmentMagnitude may only be specified with an AdjustmentType of PercentChangeInCapacity.')
  }
  if (type === 'SimpleScaling') {
    if (input.AdjustmentType === undefined) throw invalid('AdjustmentType is required for policy type SimpleScaling.')
    if (input.ScalingAdjustment === undefined) throw invalid('ScalingAdjustment is required for policy type SimpleScaling.')
    if (input.StepAdjustments !== undefined) throw invalid('StepAdjustments is not supported for policy type SimpleScaling.')
  }
  if (type === 'StepScaling') {
    if (input.AdjustmentType === undefined) throw invalid('AdjustmentType is required for policy type StepScaling.')
    if (input.ScalingAdjustment !== undefined) throw invalid('ScalingAdjustment is not supported for policy type StepScaling.')
    if (input.Cooldown !== undefined) throw invalid('Cooldown is not supported for policy type StepScaling.')
    if (input.StepAdjustments === undefined || input.StepAdjustments.length === 0) throw invalid('StepAdjustments is required for policy type StepScaling.')
    const error = stepAdjustmentsError(input.StepAdjustments)
    if (error !== undefined) throw invalid(error)
    if (input.MetricAggregationType !== undefined && !['Minimum', 'Maximum', 'Average'].includes(input.MetricAggregationType)) {
      throw invalid(`Invalid metric aggregation type ${input.MetricAggregationType}. Valid types are: Minimum, Maximum, Average`)
    }
  }
  if (input.AdjustmentType === 'ExactCapacity' && ((input.ScalingAdjustment ?? 0) < 0 || (input.StepAdjustments ?? []).some((s) => s.ScalingAdjustment < 0))) {
    throw invalid('ScalingAdjustment must be non-negative for an AdjustmentType of ExactCapacity.')
  }
  if (type === 'TargetTrackingScaling') checkTargetTracking(input.TargetTrackingConfiguration as TargetTrackingConfiguration | undefined)
  if (type !== 'TargetTrackingScaling' && input.TargetTrackingConfiguration !== undefined) {
    throw invalid(`TargetTrackingConfiguration is not supported for policy type ${type}.`)
  }
  if (type === 'PredictiveScaling') {
    const specs = input.PredictiveScalingConfiguration?.MetricSpecifications
    if (specs === undefined) throw invalid('PredictiveScalingConfiguration is required for policy type PredictiveScaling.')
    if (specs.length !== 1) throw invalid('MetricSpecifications must contain exactly one metric specification.')
    if (loadQuery(specs[0]!, input.AutoScalingGroupName) === undefined) {
      throw invalid('The metric specification must have a PredefinedMetricPairSpecification, a PredefinedLoadMetricSpecification or a CustomizedLoadMetricSpecification.')
    }
  }
}

function checkTargetTracking(config: TargetTrackingConfiguration | undefined): void {
  if (config === undefined) throw invalid('TargetTrackingConfiguration is required for policy type TargetTrackingScaling.')
  const predefined = config.PredefinedMetricSpecification
  const customized = config.CustomizedMetricSpecification
  if ((predefined === undefined) === (customized === undefined)) {
    throw invalid('Exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification must be specified.')
  }
  if (predefined !== undefined && !predefinedMetricTypes.includes(predefined.PredefinedMetricType)) {
    throw invalid(`Invalid predefined metric type ${predefined.PredefinedMetricType}.`)
  }
  if (predefined?.PredefinedMetricType === 'ALBRequestCountPerTarget' && predefined.ResourceLabel === undefined) {
    throw invalid('ResourceLabel is required for the predefined metric type ALBRequestCountPerTarget.')
  }
  if (customized !== undefined) {
    const math = customized.Metrics !== undefined && customized.Metrics.length > 0
    if (!math && (customized.MetricName === undefined || customized.Namespace === undefined)) {
      throw invalid('CustomizedMetricSpecification must specify MetricName and Namespace, or Metrics.')
    }
    if (math && customized.Metrics!.filter((q) => q.ReturnData !== false).length !== 1) {
      throw invalid('Exactly one element of the metrics list should return data.')
    }
  }
}
