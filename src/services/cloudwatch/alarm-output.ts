// An alarm as DescribeAlarms returns it (MetricAlarm / CompositeAlarm shapes).
import type { Alarm } from './alarm.ts'
import type { CompositeAlarm, MetricAlarm } from './generated/types.ts'

export function metricAlarmOutput(alarm: Alarm): MetricAlarm {
  const c = alarm.config
  if (c.kind !== 'metric') throw new Error('not a metric alarm')
  const s = alarm.state
  return {
    AlarmName: c.name, AlarmArn: alarm.arn, ...(c.description !== undefined && { AlarmDescription: c.description }),
    AlarmConfigurationUpdatedTimestamp: new Date(c.configUpdatedAt), ActionsEnabled: c.actionsEnabled,
    OKActions: c.okActions, AlarmActions: c.alarmActions, InsufficientDataActions: c.insufficientDataActions,
    StateValue: s.value, StateReason: s.reason, ...(s.reasonData !== undefined && { StateReasonData: s.reasonData }),
    StateUpdatedTimestamp: new Date(s.updatedAt),
    ...(c.metricName !== undefined && { MetricName: c.metricName }), ...(c.namespace !== undefined && { Namespace: c.namespace }),
    ...(c.statistic !== undefined && { Statistic: c.statistic as MetricAlarm['Statistic'] }),
    ...(c.extendedStatistic !== undefined && { ExtendedStatistic: c.extendedStatistic }),
    Dimensions: c.dimensions, ...(c.period !== undefined && { Period: c.period }), ...(c.unit !== undefined && { Unit: c.unit as MetricAlarm['Unit'] }),
    EvaluationPeriods: c.evaluationPeriods, DatapointsToAlarm: c.datapointsToAlarm, ...(c.threshold !== undefined && { Threshold: c.threshold }),
    ComparisonOperator: c.comparison as MetricAlarm['ComparisonOperator'], TreatMissingData: c.treatMissingData,
    ...(c.evaluateLowSampleCountPercentile !== undefined && { EvaluateLowSampleCountPercentile: c.evaluateLowSampleCountPercentile }),
    ...(c.metrics !== undefined && { Metrics: c.metrics }),
    StateTransitionedTimestamp: new Date(s.transitionedAt),
  }
}

export function compositeAlarmOutput(alarm: Alarm): CompositeAlarm {
  const c = alarm.config
  if (c.kind !== 'composite') throw new Error('not a composite alarm')
  const s = alarm.state
  return {
    ActionsEnabled: c.actionsEnabled, AlarmActions: c.alarmActions, AlarmArn: alarm.arn,
    AlarmConfigurationUpdatedTimestamp: new Date(c.configUpdatedAt), ...(c.description !== undefined && { AlarmDescription: c.description }),
    AlarmName: c.name, AlarmRule: c.rule, InsufficientDataActions: c.insufficientDataActions, OKActions: c.okActions,
    StateReason: s.reason, ...(s.reasonData !== undefined && { StateReasonData: s.reasonData }),
    StateUpdatedTimestamp: new Date(s.updatedAt), StateValue: s.value, StateTransitionedTimestamp: new Date(s.transitionedAt),
    ...(c.actionsSuppressor !== undefined && { ActionsSuppressor: c.actionsSuppressor, ActionsSuppressorWaitPeriod: c.actionsSuppressorWaitPeriod,
      ActionsSuppressorExtensionPeriod: c.actionsSuppressorExtensionPeriod }),
  }
}
