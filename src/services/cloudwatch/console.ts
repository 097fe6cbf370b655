// What the web console shows of CloudWatch (services/console-view.ts): alarms with their state, their
// metric over clock time beside the threshold (read through GetMetricStatistics, CloudWatch's own
// reading of its metrics and sources), their actions and their history.
import { arnLink, type ConsoleChart, type ConsoleDetail, type ConsoleItem, type ConsoleView, isoTime, ownerContext } from '../console-view.ts'
import type { Operation } from '../service.ts'
import type { Alarm } from './alarm.ts'
import type { CloudWatchState } from './store.ts'

type Operations = Readonly<Record<string, Operation<Record<string, unknown>, unknown> | undefined>>

/** How far back an alarm's chart reaches: its evaluation window three times over, at least an hour. */
const minChartMs = 3_600_000

export function cloudWatchConsole(state: CloudWatchState, operations: Operations): ConsoleView {
  const alarms = () => [...state.regions.all()].flatMap((r) => [...r.alarms.values()])
  return {
    list: (type) => (type === 'alarm' ? alarms().map(item) : []),
    detail: (type, id) => {
      const alarm = type === 'alarm' ? alarms().find((a) => a.arn === id || a.config.name === id) : undefined
      return alarm === undefined ? undefined : detail(alarm, state, operations)
    },
  }
}

function item(alarm: Alarm): ConsoleItem {
  const { config } = alarm
  return { id: alarm.arn, name: config.name, arn: alarm.arn, account: alarm.account, region: alarm.region,
    fields: { state: alarm.state.value, kind: config.kind, metric: config.kind === 'metric' ? (config.metricName ?? 'metric math') : null,
      threshold: config.kind === 'metric' ? (config.threshold ?? null) : null, updated: isoTime(alarm.state.updatedAt) } }
}

function detail(alarm: Alarm, state: CloudWatchState, operations: Operations): ConsoleDetail {
  const { config } = alarm
  const history = state.regions.peek(alarm.account, alarm.region)?.history.filter((h) => h.alarmName === config.name).slice(-50) ?? []
  return {
    item: item(alarm),
    sections: [
      { title: 'State', kind: 'kv', data: { StateValue: alarm.state.value, StateReason: alarm.state.reason,
        StateUpdated: isoTime(alarm.state.updatedAt), LastEvaluated: isoTime(alarm.evaluatedAt) } },
      { title: 'Configuration', kind: 'json', data: config },
      { title: 'History', kind: 'log', data: history.map((h) => ({ at: h.t, message: h.summary })) },
    ],
    links: [...config.alarmActions, ...config.okActions, ...config.insufficientDataActions].flatMap((arn) => arnLink('Action', arn)),
    charts: config.kind === 'metric' && config.metricName !== undefined ? [chart(alarm, state, operations)] : [],
  }
}

/** The alarm's metric at its period and statistic, with its threshold line. */
function chart(alarm: Alarm, state: CloudWatchState, operations: Operations): ConsoleChart {
  const config = alarm.config as Extract<Alarm['config'], { kind: 'metric' }>
  const period = config.period ?? 60
  const now = state.clock.now()
  const span = Math.max(minChartMs, period * 1000 * config.evaluationPeriods * 3)
  const statistic = config.statistic ?? 'Average'
  const answer = operations['GetMetricStatistics']!({ Namespace: config.namespace, MetricName: config.metricName,
    Dimensions: config.dimensions, StartTime: new Date(now - span), EndTime: new Date(now),
    Period: period, ...(config.extendedStatistic === undefined ? { Statistics: [statistic] } : { ExtendedStatistics: [config.extendedStatistic] }) },
  ownerContext(alarm.account, alarm.region, state.clock, 'json')) as { Datapoints?: Array<Record<string, unknown>> }
  const key = config.extendedStatistic ?? statistic
  const points = (answer.Datapoints ?? []).map((d) => [new Date(d['Timestamp'] as Date).getTime(),
    Number((d['ExtendedStatistics'] as Record<string, number> | undefined)?.[key] ?? d[key])] as [number, number]).sort((a, b) => a[0] - b[0])
  return { title: `${config.namespace ?? ''} ${config.metricName} (${key}, ${period} s)`, series: [{ label: config.metricName!, points }],
    ...(config.threshold === undefined ? {} : { thresholds: [{ label: `${config.comparison} ${config.threshold}`, value: config.threshold }] }) }
}
