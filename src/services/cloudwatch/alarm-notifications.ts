// What an alarm's state change sends: the SNS notification JSON, the Lambda action's event and the
// "CloudWatch Alarm State Change" EventBridge event (shapes from the CloudWatch User Guide).
import type { Alarm, AlarmState, MetricAlarmConfig } from './alarm.ts'
import { isoPlus0000 } from './alarm-reason.ts'
import { regionName } from './regions.ts'

/** The SNS message: AlarmName … Trigger, as AWS publishes it (Subject: `ALARM: "name" in <region>`). */
export function snsNotification(alarm: Alarm, old: AlarmState): { subject: string; message: string } {
  const c = alarm.config
  const body: Record<string, unknown> = {
    AlarmName: c.name,
    AlarmDescription: c.description ?? null,
    AWSAccountId: alarm.account,
    AlarmConfigurationUpdatedTimestamp: isoPlus0000(c.configUpdatedAt),
    NewStateValue: alarm.state.value,
    NewStateReason: alarm.state.reason,
    StateChangeTime: isoPlus0000(alarm.state.updatedAt),
    Region: regionName(alarm.region),
    AlarmArn: alarm.arn,
    OldStateValue: old.value,
    OKActions: c.okActions,
    AlarmActions: c.alarmActions,
    InsufficientDataActions: c.insufficientDataActions,
  }
  if (c.kind === 'metric') body.Trigger = trigger(c)
  else body.AlarmRule = c.rule
  return { subject: `${alarm.state.value}: "${c.name}" in ${regionName(alarm.region)}`.slice(0, 100), message: JSON.stringify(body) }
}

function trigger(c: MetricAlarmConfig): Record<string, unknown> {
  const common = {
    Period: c.period, EvaluationPeriods: c.evaluationPeriods, DatapointsToAlarm: c.datapointsToAlarm,
    ComparisonOperator: c.comparison, Threshold: c.threshold, TreatMissingData: c.treatMissingData,
    EvaluateLowSampleCountPercentile: c.evaluateLowSampleCountPercentile ?? '',
  }
  if (c.metrics !== undefined) {
    return {
      Metrics: c.metrics.map((q) => ({
        Id: q.Id, ...(q.Expression !== undefined && { Expression: q.Expression }), ...(q.Label !== undefined && { Label: q.Label }),
        ReturnData: q.ReturnData ?? true,
        ...(q.MetricStat !== undefined && {
          MetricStat: {
            Metric: { Dimensions: (q.MetricStat.Metric.Dimensions ?? []).map((d) => ({ value: d.Value, name: d.Name })),
              MetricName: q.MetricStat.Metric.MetricName, Namespace: q.MetricStat.Metric.Namespace },
            Period: q.MetricStat.Period, Stat: q.MetricStat.Stat, ...(q.MetricStat.Unit !== undefined && { Unit: q.MetricStat.Unit }),
          },
        }),
      })),
      ...common,
    }
  }
  return {
    MetricName: c.metricName, Namespace: c.namespace,
    StatisticType: c.extendedStatistic !== undefined ? 'ExtendedStatistic' : 'Statistic',
    ...(c.extendedStatistic !== undefined ? { ExtendedStatistic: c.extendedStatistic } : { Statistic: (c.statistic ?? '').toUpperCase() }),
    Unit: c.unit ?? null,
    Dimensions: c.dimensions.map((d) => ({ value: d.Value, name: d.Name })),
    ...common,
  }
}

/** alarmData.configuration / detail.configuration: the metrics as the event documents them. */
function configuration(alarm: Alarm): Record<string, unknown> {
  const c = alarm.config
  if (c.kind === 'composite') return { alarmRule: c.rule, ...(c.description !== undefined && { description: c.description }) }
  const stat = (q: { Namespace?: string; MetricName?: string; Dimensions?: { Name: string; Value: string }[] }, period: number, stat: string, unit?: string) => ({
    metric: { namespace: q.Namespace, name: q.MetricName, dimensions: Object.fromEntries((q.Dimensions ?? []).map((d) => [d.Name, d.Value])) },
    period, stat, ...(unit !== undefined && { unit }),
  })
  const metrics = c.metrics === undefined
    ? [{ id: 'm1', metricStat: stat({ Namespace: c.namespace, MetricName: c.metricName, Dimensions: c.dimensions }, c.period ?? 60,
      c.statistic ?? c.extendedStatistic ?? '', c.unit), returnData: true }]
    : c.metrics.map((q) => ({
      id: q.Id,
      ...(q.MetricStat !== undefined && { metricStat: stat(q.MetricStat.Metric, q.MetricStat.Period, q.MetricStat.Stat, q.MetricStat.Unit) }),
      ...(q.Expression !== undefined && { expression: q.Expression }),
      ...(q.Label !== undefined && { label: q.Label }),
      returnData: q.ReturnData ?? true,
    }))
  return { ...(c.description !== undefined && { description: c.description }), metrics }
}

function stateOf(s: AlarmState): Record<string, unknown> {
  return { value: s.value, reason: s.reason, ...(s.reasonData !== undefined && { reasonData: s.reasonData }), timestamp: isoPlus0000(s.updatedAt) }
}

/** The event a Lambda alarm action receives (invoked asynchronously). */
export function lambdaEvent(alarm: Alarm, old: AlarmState): string {
  return JSON.stringify({
    source: 'aws.cloudwatch',
    alarmArn: alarm.arn,
    accountId: alarm.account,
    time: isoPlus0000(alarm.state.updatedAt),
    region: alarm.region,
    alarmData: { alarmName: alarm.config.name, state: stateOf(alarm.state), previousState: stateOf(old), configuration: configuration(alarm) },
  })
}

/** The detail of "CloudWatch Alarm State Change" (source aws.cloudwatch, resources [alarm ARN]). */
export function stateChangeDetail(alarm: Alarm, old: AlarmState): Record<string, unknown> {
  return { alarmName: alarm.config.name, state: stateOf(alarm.state), previousState: stateOf(old), configuration: configuration(alarm) }
}
