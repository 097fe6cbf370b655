// Target tracking: the two CloudWatch alarms a policy creates and owns (named and shaped as AWS
// names them: TargetTracking-<group>-AlarmHigh-<uuid> fires after 3 one-minute datapoints above the
// target, …-AlarmLow-<uuid> after 15 below 90 % of it), and the capacity that brings the metric back
// to the target (proportional: the metric is assumed to scale inversely with capacity).

export interface MetricDimension {
  Name: string
  Value: string
}

/** The metric a policy tracks, as a plain CloudWatch metric or metric-math queries. */
export interface TrackedMetric {
  namespace?: string
  metricName?: string
  dimensions?: MetricDimension[]
  statistic?: string
  unit?: string
  /** Customized metric specifications with Metrics: the queries (one returns data). */
  metrics?: MathQuery[]
}

export interface MathQuery {
  Id: string
  Expression?: string
  Label?: string
  ReturnData?: boolean
  MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions?: MetricDimension[] }; Stat: string; Unit?: string }
}

export interface TargetTrackingConfiguration {
  PredefinedMetricSpecification?: { PredefinedMetricType: string; ResourceLabel?: string }
  CustomizedMetricSpecification?: {
    MetricName?: string
    Namespace?: string
    Dimensions?: MetricDimension[]
    Statistic?: string
    Unit?: string
    Metrics?: { Id: string; Expression?: string; Label?: string; ReturnData?: boolean
      MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions?: MetricDimension[] }; Stat: string; Unit?: string } }[]
  }
  TargetValue: number
  DisableScaleIn?: boolean
}

/** What CloudWatch's PutMetricAlarm would be given for one of a policy's alarms. */
export interface AlarmSpec {
  name: string
  description: string
  metric: TrackedMetric
  period: number
  evaluationPeriods: number
  datapointsToAlarm: number
  threshold: number
  comparison: 'GreaterThanThreshold' | 'LessThanThreshold'
  alarmActions: string[]
}

export const predefinedMetricTypes: readonly string[] = ['ASGAverageCPUUtilization', 'ASGAverageNetworkIn', 'ASGAverageNetworkOut',
  'ALBRequestCountPerTarget']

/** The metric behind a predefined type (ALBRequestCountPerTarget reads its target group from the ResourceLabel). */
export function trackedMetric(config: TargetTrackingConfiguration, group: string): TrackedMetric {
  const predefined = config.PredefinedMetricSpecification
  const byGroup = [{ Name: 'AutoScalingGroupName', Value: group }]
  if (predefined !== undefined) {
    switch (predefined.PredefinedMetricType) {
      case 'ASGAverageNetworkIn': return { namespace: 'AWS/EC2', metricName: 'NetworkIn', dimensions: byGroup, statistic: 'Average' }
      case 'ASGAverageNetworkOut': return { namespace: 'AWS/EC2', metricName: 'NetworkOut', dimensions: byGroup, statistic: 'Average' }
      case 'ALBRequestCountPerTarget': {
        // ResourceLabel: app/<lb-name>/<lb-id>/targetgroup/<tg-name>/<tg-id>; the metric's TargetGroup is its second half.
        const label = predefined.ResourceLabel ?? ''
        const at = label.indexOf('/targetgroup/')
        return { namespace: 'AWS/ApplicationELB', metricName: 'RequestCountPerTarget', statistic: 'Sum',
          dimensions: [{ Name: 'TargetGroup', Value: at < 0 ? label : label.slice(at + 1) }] }
      }
      default: return { namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensions: byGroup, statistic: 'Average' }
    }
  }
  const c = config.CustomizedMetricSpecification ?? {}
  if (c.Metrics !== undefined && c.Metrics.length > 0) {
    // Each MetricStat reads one-minute datapoints, as the alarm's period is.
    return { metrics: c.Metrics.map((q) => ({ ...q })) }
  }
  return { namespace: c.Namespace, metricName: c.MetricName, dimensions: c.Dimensions ?? [], statistic: c.Statistic ?? 'Average', unit: c.Unit }
}

/** The alarms a policy owns: AlarmHigh always, AlarmLow unless DisableScaleIn. `ids` are their uuids. */
export function alarmSpecs(config: TargetTrackingConfiguration, group: string, policyArn: string,
  ids: { high: string; low: string }): AlarmSpec[] {
  const metric = trackedMetric(config, group)
  const description = `DO NOT EDIT OR DELETE. For TargetTrackingScaling policy ${policyArn}.`
  const specs: AlarmSpec[] = [{
    name: `TargetTracking-${group}-AlarmHigh-${ids.high}`, description, metric, period: 60, evaluationPeriods: 3, datapointsToAlarm: 3,
    threshold: config.TargetValue, comparison: 'GreaterThanThreshold', alarmActions: [policyArn],
  }]
  if (config.DisableScaleIn !== true) {
    specs.push({
      name: `TargetTracking-${group}-AlarmLow-${ids.low}`, description, metric, period: 60, evaluationPeriods: 15, datapointsToAlarm: 15,
      threshold: roundThreshold(config.TargetValue * 0.9), comparison: 'LessThanThreshold', alarmActions: [policyArn],
    })
  }
  return specs
}

/** 90 % of a target without binary noise (63.0, not 63.00000000000001). */
function roundThreshold(value: number): number {
  return Number(value.toPrecision(12))
}

/**
 * The capacity that brings the metric to the target: ceil(capacity × value / target). `capacity` is
 * the instances that report the metric (warming-up ones excluded). Scaling out never goes below the
 * current desired capacity, scaling in never above it.
 */
export function trackingCapacity(capacity: number, value: number, target: number, desired: number, direction: 'out' | 'in'): number {
  if (target <= 0 || capacity <= 0) return direction === 'out' ? Math.max(desired, 1) : desired
  const wanted = Math.ceil(Number(((capacity * value) / target).toPrecision(12)))
  return direction === 'out' ? Math.max(desired, wanted) : Math.min(desired, wanted)
}
