// The AWS/Events metrics EventBridge publishes, counted per minute in memory (core/minute-log.ts)
// and read by CloudWatch through its port as a metric source. Per rule — dimension RuleName for the
// default bus, EventBusName + RuleName for a custom bus, as AWS documents — TriggeredRules,
// Invocations, FailedInvocations, InvocationsSentToDlq and InvocationAttempts; without dimensions,
// MatchedEvents, Invocations and InvocationAttempts for the whole account and region. Like AWS, a
// minute without activity has no datapoint.
import type { MinuteLog } from '../../core/minute-log.ts'
import { parseArn } from '../../core/arn.ts'
import type { Pending, Settlement } from '../../fabric/types.ts'
import type { MetricSource } from '../cloudwatch/port.ts'
import { type MinuteMetric, minuteMetricSource } from '../minute-metrics.ts'

/** Metric name → its counter, and whether it exists per rule, without dimensions, or both. */
const scopes: Record<string, { counter: string; perRule: boolean; whole: boolean }> = {
  TriggeredRules: { counter: 'triggered', perRule: true, whole: false },
  Invocations: { counter: 'invocations', perRule: true, whole: true },
  FailedInvocations: { counter: 'failed', perRule: true, whole: false },
  InvocationsSentToDlq: { counter: 'dlq', perRule: true, whole: false },
  InvocationAttempts: { counter: 'attempts', perRule: true, whole: true },
  MatchedEvents: { counter: 'matched', perRule: false, whole: true },
}
const metrics: Record<string, MinuteMetric> = Object.fromEntries(Object.entries(scopes).map(([name, d]) => [name, { unit: 'Count', counter: d.counter }]))

/** The account-and-region-wide series (no dimensions). */
const whole = ''

export class EventsMetrics {
  private readonly log: MinuteLog

  constructor(log: MinuteLog) {
    this.log = log
  }

  /** An event matched at least one rule on a bus. */
  matched(account: string, region: string): void {
    this.log.count(account, region, whole, 'matched')
  }

  /** A rule matched an event (or its schedule fired). */
  triggered(ruleArn: string): void {
    const r = rule(ruleArn)
    if (r !== undefined) this.log.count(r.account, r.region, r.series, 'triggered')
  }

  /** A target's delivery ended: one invocation, its attempts, and how it ended. */
  settled(pending: Pending, settlement: Settlement): void {
    const r = rule(pending.delivery.source)
    if (r === undefined) return
    for (const series of [r.series, whole]) {
      this.log.count(r.account, r.region, series, 'invocations')
      this.log.count(r.account, r.region, series, 'attempts', settlement.attempts)
    }
    if (settlement.outcome === 'failed' || settlement.outcome === 'dropped') this.log.count(r.account, r.region, r.series, 'failed')
    if (settlement.outcome === 'dead-lettered') this.log.count(r.account, r.region, r.series, 'dlq')
  }
}

/** A rule ARN's account, region and series key (`bus/name`). */
function rule(arn: string): { account: string; region: string; series: string } | undefined {
  const parsed = parseArn(arn)
  if (parsed === undefined || !parsed.resource.startsWith('rule/')) return undefined
  const path = parsed.resource.slice('rule/'.length)
  return { account: parsed.account, region: parsed.region, series: path.includes('/') ? path : `default/${path}` }
}

function dimensionsOf(series: string): { Name: string; Value: string }[] {
  if (series === whole) return []
  const slash = series.indexOf('/')
  const bus = series.slice(0, slash)
  const name = series.slice(slash + 1)
  return bus === 'default' ? [{ Name: 'RuleName', Value: name }] : [{ Name: 'EventBusName', Value: bus }, { Name: 'RuleName', Value: name }]
}

function seriesKey(dimensions: readonly { Name: string; Value: string }[]): string | undefined {
  if (dimensions.length === 0) return whole
  const name = dimensions.find((d) => d.Name === 'RuleName')?.Value
  const bus = dimensions.find((d) => d.Name === 'EventBusName')?.Value
  if (name === undefined || dimensions.length !== (bus === undefined ? 1 : 2)) return undefined
  return `${bus ?? 'default'}/${name}`
}

export function eventsMetricSource(log: MinuteLog): MetricSource {
  return minuteMetricSource({ namespace: 'AWS/Events', log, metrics, dimensionsOf, keyOf: seriesKey,
    has: (key, name) => key === whole ? scopes[name]!.whole : scopes[name]!.perRule })
}
