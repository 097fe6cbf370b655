// CloudWatch's port (port.ts) implemented: no HTTP between services.
import type { AlarmEngine } from './alarm-engine.ts'
import { metricAlarmConfig } from './alarm-input.ts'
import type { MetricDataQuery } from './generated/types.ts'
import { storeAlarm } from './operations/alarms.ts'
import { bucketsOf } from './periods.ts'
import type { CloudWatchPort, OwnedMetricAlarm } from './port.ts'
import { statistic } from './statistics.ts'
import type { CloudWatchState } from './store.ts'

export function createCloudWatchPort(state: CloudWatchState, engine: AlarmEngine): CloudWatchPort {
  return {
    sourceChanged: (account, region, namespace, immediate, dimensions) => engine.sourceChanged(account, region, namespace, immediate, dimensions),
    publish: (account, region, namespace, data) => {
      const now = state.clock.now()
      state.putData(state.region(account, region), namespace, data.map((d) => ({
        name: d.metricName, dimensions: d.dimensions,
        point: { t: d.timestamp ?? now, n: 1, sum: d.value, min: d.value, max: d.value, values: [d.value], unit: d.unit ?? 'None', hr: false },
      })))
    },
    putMetricAlarm: (account, region, alarm) => {
      const now = state.clock.now()
      const config = metricAlarmConfig(putMetricAlarmInput(alarm), now)
      engine.watch(storeAlarm(state, engine, state.region(account, region), config, undefined, now))
    },
    deleteAlarms: (account, region, names) => {
      const r = state.region(account, region)
      for (const name of names) {
        const alarm = r.alarms.get(name)
        if (alarm === undefined) continue
        engine.unwatch(alarm)
        state.deleteAlarm(r, alarm)
      }
    },
    statistics: (account, region, query, start, end, period) => {
      const metric = state.region(account, region).metrics.find(query.namespace, query.metricName, query.dimensions)
      if (metric === undefined) return []
      const out: [number, number][] = []
      for (const b of bucketsOf(metric, period, start, end, state.clock.now())) {
        const v = statistic(b.points, query.statistic)
        if (v !== undefined) out.push([b.t, v])
      }
      return out
    },
  }
}

function putMetricAlarmInput(a: OwnedMetricAlarm): Parameters<typeof metricAlarmConfig>[0] {
  return {
    AlarmName: a.name, AlarmDescription: a.description, ActionsEnabled: true, AlarmActions: a.alarmActions,
    ...(a.metrics === undefined
      ? { Namespace: a.namespace, MetricName: a.metricName, Dimensions: a.dimensions ?? [], Statistic: a.statistic as 'Average', Period: a.period,
        ...(a.unit !== undefined && { Unit: a.unit as 'Percent' }) }
      : { Metrics: a.metrics as MetricDataQuery[] }),
    EvaluationPeriods: a.evaluationPeriods, DatapointsToAlarm: a.datapointsToAlarm, Threshold: a.threshold,
    ComparisonOperator: a.comparison as 'GreaterThanThreshold',
  }
}
