// PutMetricAlarm's and PutCompositeAlarm's input checked as AWS checks it, and turned into configuration.
import { parseArn } from '../../core/arn.ts'
import type { CompositeAlarmConfig, MetricAlarmConfig, TreatMissingData } from './alarm.ts'
import { parseRule, RuleSyntaxError } from './alarm-rule.ts'
import { cloudWatchErrors } from './errors.ts'
import type { MetricDataQuery, PutCompositeAlarmInput, PutMetricAlarmInput } from './generated/types.ts'
import { parseQueries, QueryError } from './metric-queries.ts'
import { checkDimensions, checkEnum, checkLength, checkRange, simpleStatistics, units } from './operations/common.ts'
import { isKnownStat, percentileOf } from './statistics.ts'

const comparisons = ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold',
  'LessThanLowerOrGreaterThanUpperThreshold', 'LessThanLowerThreshold', 'GreaterThanUpperThreshold']
const treatments = ['missing', 'ignore', 'breaching', 'notBreaching']

/**
 * Action ARNs AWS accepts: SNS topics, Lambda functions, EC2 actions (arn:aws:automate:<region>:ec2:stop…,
 * and the older arn:aws:swf form), Auto Scaling policies, Systems Manager OpsItems and incident plans.
 */
export function checkActions(actions: readonly string[] | undefined, member: string): string[] {
  const list = [...(actions ?? [])]
  if (list.length > 5) throw cloudWatchErrors.invalidValue(`The collection ${member} must not have a size greater than 5.`)
  for (const arn of list) {
    const parsed = parseArn(arn)
    const ok = parsed !== undefined && (
      (parsed.service === 'sns' && parsed.account !== '' && parsed.resource !== '') ||
      (parsed.service === 'lambda' && /^function:[^:]+(:[^:]+)?$/.test(parsed.resource)) ||
      (parsed.service === 'automate' && /^ec2:(stop|terminate|reboot|recover)$/.test(`${parsed.account}:${parsed.resource}`)) ||
      (parsed.service === 'swf' && /^action\/actions\/AWS_EC2\.InstanceId\.(Stop|Terminate|Reboot)\/1\.0$/.test(parsed.resource)) ||
      (parsed.service === 'autoscaling' && parsed.resource.startsWith('scalingPolicy:')) ||
      (parsed.service === 'ssm' && parsed.resource.startsWith('opsitem:')) ||
      (parsed.service === 'ssm-incidents' && parsed.resource.startsWith('responseplan/')))
    if (!ok) throw cloudWatchErrors.invalidValue(`Invalid arn syntax: ${arn}`)
  }
  return list
}

/** arn:aws:automate:<region>:ec2:stop|terminate|reboot|recover, or the older arn:aws:swf EC2 form. */
function isEc2Action(arn: string): boolean {
  return /^arn:aws[\w-]*:automate:[^:]*:ec2:(stop|terminate|reboot|recover)$/.test(arn) || /:action\/actions\/AWS_EC2\./.test(arn)
}

function checkMetricsQueries(metrics: MetricDataQuery[]): void {
  if (metrics.filter((q) => q.ReturnData !== false).length !== 1) {
    throw cloudWatchErrors.invalidValue('Exactly one element of the metrics list should return data.')
  }
  for (const q of metrics) {
    if ((q.MetricStat === undefined) === (q.Expression === undefined)) {
      throw cloudWatchErrors.combination('Exactly one element of MetricStat and Expression must be specified in each Metrics entry.')
    }
    if (q.MetricStat !== undefined && !isKnownStat(q.MetricStat.Stat)) throw cloudWatchErrors.invalidValue(`The value ${q.MetricStat.Stat} for parameter Metrics.Stat is invalid.`)
  }
  try {
    parseQueries(metrics)
  } catch (error) {
    if (error instanceof QueryError) throw cloudWatchErrors.invalidValue(`Error in expression ${error.id}: ${error.message}`)
    throw error
  }
}

export function metricAlarmConfig(input: PutMetricAlarmInput, now: number): MetricAlarmConfig {
  checkLength(input.AlarmName, 'alarmName', 1, 255)
  checkLength(input.AlarmDescription, 'alarmDescription', 0, 1024)
  if (input.EvaluationPeriods === undefined) throw cloudWatchErrors.missingParameter('EvaluationPeriods')
  if (input.ComparisonOperator === undefined) throw cloudWatchErrors.missingParameter('ComparisonOperator')
  checkRange(input.EvaluationPeriods, 'evaluationPeriods', 1)
  checkRange(input.DatapointsToAlarm, 'datapointsToAlarm', 1)
  checkEnum(input.ComparisonOperator, 'comparisonOperator', comparisons)
  checkEnum(input.Statistic, 'statistic', simpleStatistics)
  checkEnum(input.Unit, 'unit', units)
  checkDimensions(input.Dimensions, 'dimensions')
  if (['LessThanLowerOrGreaterThanUpperThreshold', 'LessThanLowerThreshold', 'GreaterThanUpperThreshold'].includes(input.ComparisonOperator)) {
    throw cloudWatchErrors.invalidValue('Anomaly detection alarms (band comparison operators with ThresholdMetricId) are not supported by Nimbus yet.')
  }
  if (input.Threshold === undefined) throw cloudWatchErrors.missingParameter('Threshold')
  const treat = input.TreatMissingData ?? 'missing'
  if (!treatments.includes(treat)) throw cloudWatchErrors.invalidValue(`The value ${treat} for parameter TreatMissingData is invalid.`)
  const datapointsToAlarm = input.DatapointsToAlarm ?? input.EvaluationPeriods
  if (datapointsToAlarm > input.EvaluationPeriods) {
    throw cloudWatchErrors.invalidValue('DatapointsToAlarm must be less than or equal to EvaluationPeriods.')
  }
  if (input.Metrics !== undefined && input.Metrics.length > 0) {
    if (input.MetricName !== undefined || input.Namespace !== undefined || input.Statistic !== undefined || input.Period !== undefined) {
      throw cloudWatchErrors.combination('Metrics list cannot be combined with MetricName, Namespace, Statistic, ExtendedStatistic, Dimensions, Period or Unit.')
    }
    checkMetricsQueries(input.Metrics)
  } else {
    if (input.MetricName === undefined) throw cloudWatchErrors.missingParameter('MetricName')
    if (input.Namespace === undefined) throw cloudWatchErrors.missingParameter('Namespace')
    if (input.Period === undefined) throw cloudWatchErrors.missingParameter('Period')
    if ((input.Statistic === undefined) === (input.ExtendedStatistic === undefined)) {
      throw cloudWatchErrors.combination('Exactly one of the parameters Statistic and ExtendedStatistic must be specified.')
    }
    if (input.ExtendedStatistic !== undefined && percentileOf(input.ExtendedStatistic) === undefined) {
      throw cloudWatchErrors.invalidValue(`The value ${input.ExtendedStatistic} for parameter ExtendedStatistic is not supported.`)
    }
    if (![10, 20, 30].includes(input.Period) && (input.Period < 60 || input.Period % 60 !== 0)) {
      throw cloudWatchErrors.invalidValue('The parameter Period must be 10, 20, 30 or a multiple of 60.')
    }
    if (input.Period * input.EvaluationPeriods > 7 * 86_400) {
      throw cloudWatchErrors.invalidValue('The evaluation period (Period multiplied by EvaluationPeriods) must be at most 604,800 seconds (7 days).')
    }
  }
  const okActions = checkActions(input.OKActions, 'OKActions')
  const alarmActions = checkActions(input.AlarmActions, 'AlarmActions')
  const insufficientDataActions = checkActions(input.InsufficientDataActions, 'InsufficientDataActions')
  // An EC2 action acts on the instance the alarm watches: the metric (or one of the metrics) must
  // have an InstanceId dimension (AWS refuses an AutoScalingGroupName one, for instance).
  if ([...okActions, ...alarmActions, ...insufficientDataActions].some(isEc2Action)) {
    const dimensions = [...(input.Dimensions ?? []), ...(input.Metrics ?? []).flatMap((q) => q.MetricStat?.Metric.Dimensions ?? [])]
    if (!dimensions.some((d) => d.Name === 'InstanceId')) {
      throw cloudWatchErrors.ec2ActionWithoutInstance()
    }
  }
  return {
    kind: 'metric', name: input.AlarmName, description: input.AlarmDescription, actionsEnabled: input.ActionsEnabled ?? true,
    okActions, alarmActions, insufficientDataActions, configUpdatedAt: now,
    namespace: input.Namespace, metricName: input.MetricName, dimensions: (input.Dimensions ?? []).map((d) => ({ Name: d.Name, Value: d.Value })),
    statistic: input.Statistic, extendedStatistic: input.ExtendedStatistic, period: input.Period, unit: input.Unit,
    evaluationPeriods: input.EvaluationPeriods, datapointsToAlarm, threshold: input.Threshold, comparison: input.ComparisonOperator,
    treatMissingData: treat as TreatMissingData, evaluateLowSampleCountPercentile: input.EvaluateLowSampleCountPercentile,
    metrics: input.Metrics !== undefined && input.Metrics.length > 0 ? input.Metrics : undefined,
  }
}

export function compositeAlarmConfig(input: PutCompositeAlarmInput, now: number): CompositeAlarmConfig {
  checkLength(input.AlarmName, 'alarmName', 1, 255)
  checkLength(input.AlarmRule, 'alarmRule', 1, 10240)
  try {
    parseRule(input.AlarmRule)
  } catch (error) {
    if (error instanceof RuleSyntaxError) throw cloudWatchErrors.invalidValue(`AlarmRule is invalid: ${error.message}`)
    throw error
  }
  return {
    kind: 'composite', name: input.AlarmName, description: input.AlarmDescription, actionsEnabled: input.ActionsEnabled ?? true,
    okActions: checkActions(input.OKActions, 'OKActions'), alarmActions: checkActions(input.AlarmActions, 'AlarmActions'),
    insufficientDataActions: checkActions(input.InsufficientDataActions, 'InsufficientDataActions'), configUpdatedAt: now,
    rule: input.AlarmRule, actionsSuppressor: input.ActionsSuppressor, actionsSuppressorWaitPeriod: input.ActionsSuppressorWaitPeriod,
    actionsSuppressorExtensionPeriod: input.ActionsSuppressorExtensionPeriod,
  }
}
