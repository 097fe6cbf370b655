// PutMetricAlarm, PutCompositeAlarm, DescribeAlarms, DescribeAlarmsForMetric, DeleteAlarms.
import type { OperationTable } from '../../service.ts'
import { type Alarm, alarmArn } from '../alarm.ts'
import type { AlarmEngine } from '../alarm-engine.ts'
import { compositeAlarmConfig, metricAlarmConfig } from '../alarm-input.ts'
import { compositeAlarmOutput, metricAlarmOutput } from '../alarm-output.ts'
import { initialState } from '../alarm-reason.ts'
import { parseRule, ruleAlarms } from '../alarm-rule.ts'
import { cloudWatchErrors } from '../errors.ts'
import type { CloudWatchOperations } from '../generated/types.ts'
import { metricKey } from '../metric.ts'
import type { CloudWatchState, RegionState } from '../store.ts'
import { checkEnum, checkRange, pageToken, readPageToken } from './common.ts'

type Ops = Pick<CloudWatchOperations, 'PutMetricAlarm' | 'PutCompositeAlarm' | 'DescribeAlarms' | 'DescribeAlarmsForMetric' | 'DeleteAlarms'>

export function alarmOperations(state: CloudWatchState, engine: AlarmEngine): OperationTable<Ops> {
  const store = (region: RegionState, config: Alarm['config'], tags: { Key: string; Value: string }[] | undefined, now: number) =>
    storeAlarm(state, engine, region, config, tags, now)

  return {
    PutMetricAlarm: (input, ctx) => {
      const now = ctx.clock.now()
      const region = state.region(ctx.caller.account, ctx.caller.region)
      const alarm = store(region, metricAlarmConfig(input, now), input.Tags, now)
      engine.watch(alarm)
      return undefined
    },
    PutCompositeAlarm: (input, ctx) => {
      const now = ctx.clock.now()
      const region = state.region(ctx.caller.account, ctx.caller.region)
      const config = compositeAlarmConfig(input, now)
      const referenced = ruleAlarms(parseRule(config.rule))
      if (referenced.includes(config.name)) {
        throw cloudWatchErrors.invalidValue('AlarmRule cannot reference the composite alarm itself.')
      }
      // Every alarm the rule names must exist already (CloudFormation users meet this as a DependsOn).
      const unknown = [...new Set(referenced)].filter((name) => !region.alarms.has(name))
      if (unknown.length > 0) throw cloudWatchErrors.missingRuleAlarms(unknown)
      const alarm = store(region, config, input.Tags, now)
      // A composite alarm is evaluated when it is created and whenever an alarm it reads changes.
      engine.evaluateComposite(region, alarm, now)
      return undefined
    },
    DescribeAlarms: (input, ctx) => {
      checkRange(input.MaxRecords, 'maxRecords', 1, 100)
      checkEnum(input.StateValue, 'stateValue', ['OK', 'ALARM', 'INSUFFICIENT_DATA'])
      if (input.AlarmNames !== undefined && input.AlarmNames.length > 0 && input.AlarmNamePrefix !== undefined) {
        throw cloudWatchErrors.combination('AlarmNamePrefix and AlarmNames.member are mutually exclusive')
      }
      const region = state.region(ctx.caller.account, ctx.caller.region)
      const types = input.AlarmTypes ?? ['MetricAlarm']
      let alarms = [...region.alarms.values()].sort((a, b) => (a.config.name < b.config.name ? -1 : 1))
        .filter((a) => types.includes(a.config.kind === 'metric' ? 'MetricAlarm' : 'CompositeAlarm'))
      if (input.AlarmNames !== undefined && input.AlarmNames.length > 0) alarms = alarms.filter((a) => input.AlarmNames!.includes(a.config.name))
      if (input.AlarmNamePrefix !== undefined) alarms = alarms.filter((a) => a.config.name.startsWith(input.AlarmNamePrefix!))
      if (input.StateValue !== undefined) alarms = alarms.filter((a) => a.state.value === input.StateValue)
      if (input.ActionPrefix !== undefined) {
        alarms = alarms.filter((a) => [...a.config.okActions, ...a.config.alarmActions, ...a.config.insufficientDataActions]
          .some((x) => x.startsWith(input.ActionPrefix!)))
      }
      if (input.ChildrenOfAlarmName !== undefined) {
        const parent = region.alarms.get(input.ChildrenOfAlarmName)
        const children = parent?.config.kind === 'composite' ? ruleAlarms(parseRule(parent.config.rule)) : []
        alarms = alarms.filter((a) => children.includes(a.config.name))
      }
      if (input.ParentsOfAlarmName !== undefined) {
        alarms = alarms.filter((a) => a.config.kind === 'composite' && ruleAlarms(parseRule(a.config.rule)).includes(input.ParentsOfAlarmName!))
      }
      const offset = readPageToken('DescribeAlarms', input.NextToken)
      const page = alarms.slice(offset, offset + (input.MaxRecords ?? 50))
      const next = offset + page.length
      return {
        MetricAlarms: page.filter((a) => a.config.kind === 'metric').map(metricAlarmOutput),
        CompositeAlarms: page.filter((a) => a.config.kind === 'composite').map(compositeAlarmOutput),
        ...(next < alarms.length && { NextToken: pageToken('DescribeAlarms', next) }),
      }
    },
    DescribeAlarmsForMetric: (input, ctx) => {
      const key = metricKey(input.Namespace, input.MetricName, input.Dimensions ?? [])
      const alarms = [...state.region(ctx.caller.account, ctx.caller.region).alarms.values()].filter((a) => {
        const c = a.config
        if (c.kind !== 'metric' || c.metrics !== undefined) return false
        return metricKey(c.namespace ?? '', c.metricName ?? '', c.dimensions) === key &&
          (input.Statistic === undefined || c.statistic === input.Statistic) &&
          (input.ExtendedStatistic === undefined || c.extendedStatistic === input.ExtendedStatistic) &&
          (input.Period === undefined || c.period === input.Period) && (input.Unit === undefined || c.unit === input.Unit)
      }).sort((a, b) => (a.config.name < b.config.name ? -1 : 1))
      return { MetricAlarms: alarms.map(metricAlarmOutput) }
    },
    DeleteAlarms: (input, ctx) => {
      const region = state.region(ctx.caller.account, ctx.caller.region)
      const missing = input.AlarmNames.filter((n) => !region.alarms.has(n))
      if (missing.length > 0) throw cloudWatchErrors.alarmNotFound(missing.join(', '))
      // An alarm a composite alarm (not itself being deleted) reads can't go: nothing is deleted then.
      const deleting = new Set(input.AlarmNames)
      const needed = input.AlarmNames.filter((name) => [...region.alarms.values()].some((a) =>
        a.config.kind === 'composite' && !deleting.has(a.config.name) && ruleAlarms(parseRule(a.config.rule)).includes(name)))
      if (needed.length > 0) throw cloudWatchErrors.neededByComposite([...new Set(needed)])
      for (const name of input.AlarmNames) {
        const alarm = region.alarms.get(name)!
        engine.unwatch(alarm)
        state.deleteAlarm(region, alarm)
      }
      return undefined
    },
  }
}

/** Creates or replaces: an update keeps the state and tags, a creation starts INSUFFICIENT_DATA. */
export function storeAlarm(state: CloudWatchState, engine: AlarmEngine, region: RegionState, config: Alarm['config'],
  tags: { Key: string; Value: string }[] | undefined, now: number): Alarm {
  const existing = region.alarms.get(config.name)
  if (existing !== undefined && existing.config.kind !== config.kind) {
    throw cloudWatchErrors.invalidValue(`An alarm named ${config.name} already exists as a ${existing.config.kind === 'metric' ? 'metric' : 'composite'} alarm.`)
  }
  const alarm: Alarm = existing ?? {
    account: region.account, region: region.region, arn: alarmArn(region.account, region.region, config.name),
    config, state: initialState(now), tags: {}, evaluatedAt: 0,
  }
  if (existing !== undefined) engine.unwatch(existing)
  alarm.config = config
  for (const t of tags ?? []) alarm.tags[t.Key] = t.Value
  region.alarms.set(config.name, alarm)
  state.saveAlarm(alarm)
  state.addHistory(region, {
    alarmName: config.name, alarmType: config.kind === 'metric' ? 'MetricAlarm' : 'CompositeAlarm', t: now, type: 'ConfigurationUpdate',
    summary: `Alarm "${config.name}" ${existing === undefined ? 'created' : 'updated'}`,
    data: JSON.stringify({ version: '1.0', type: existing === undefined ? 'Create' : 'Update',
      [existing === undefined ? 'createdAlarm' : 'updatedAlarm']: config.kind === 'metric' ? metricAlarmOutput(alarm) : compositeAlarmOutput(alarm) }),
  })
  return alarm
}
