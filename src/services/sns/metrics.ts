// The AWS/SNS metrics topics publish (TopicName dimension), counted per minute in memory
// (core/minute-log.ts) and read by CloudWatch through its port as a metric source: messages
// published and their size, notifications delivered, failed, filtered out and redriven to a DLQ.
// Like AWS, a minute without activity has no datapoint.
import type { MinuteLog } from '../../core/minute-log.ts'
import { parseArn } from '../../core/arn.ts'
import type { Pending, Settlement } from '../../fabric/types.ts'
import type { MetricSource, SourcedPoint, SourcedSeries } from '../cloudwatch/port.ts'

type Definition = { unit: string; counter: string } | { unit: string; measure: string }

const definitions: Record<string, Definition> = {
  NumberOfMessagesPublished: { unit: 'Count', counter: 'published' },
  PublishSize: { unit: 'Bytes', measure: 'size' },
  NumberOfNotificationsDelivered: { unit: 'Count', counter: 'delivered' },
  NumberOfNotificationsFailed: { unit: 'Count', counter: 'failed' },
  NumberOfNotificationsFilteredOut: { unit: 'Count', counter: 'filtered' },
  'NumberOfNotificationsFilteredOut-MessageAttributes': { unit: 'Count', counter: 'filteredAttributes' },
  'NumberOfNotificationsFilteredOut-MessageBody': { unit: 'Count', counter: 'filteredBody' },
  NumberOfNotificationsRedrivenToDlq: { unit: 'Count', counter: 'redriven' },
}

export const snsMetricNames = Object.keys(definitions)

/** What the deliverer tells the metrics, by topic ARN. */
export class SnsMetrics {
  readonly log: MinuteLog

  constructor(log: MinuteLog) {
    this.log = log
  }

  published(topicArn: string, size: number): void {
    const t = topic(topicArn)
    if (t === undefined) return
    this.log.count(t.account, t.region, t.name, 'published')
    this.log.measure(t.account, t.region, t.name, 'size', size)
  }

  /** A subscription's filter policy kept a message out, by the policy's scope. */
  filtered(topicArn: string, scope: 'MessageAttributes' | 'MessageBody'): void {
    this.count(topicArn, 'filtered')
    this.count(topicArn, scope === 'MessageBody' ? 'filteredBody' : 'filteredAttributes')
  }

  count(topicArn: string, counter: string): void {
    const t = topic(topicArn)
    if (t !== undefined) this.log.count(t.account, t.region, t.name, counter)
  }

  /**
   * A failed attempt through SNS's HTTP/S sender: AWS counts every failed HTTP/S attempt, retries
   * included, in NumberOfNotificationsFailed [D].
   */
  attemptFailed(pending: Pending, http: boolean): void {
    if (http && isNotification(pending)) this.count(pending.delivery.source, 'failed')
  }

  /** How a delivery ended: other protocols count one failure when SNS stops trying [D]. */
  settled(pending: Pending, settlement: Settlement, http: boolean): void {
    if (!isNotification(pending)) return
    const source = pending.delivery.source
    if (settlement.outcome === 'delivered') this.count(source, 'delivered')
    else if (!http) this.count(source, 'failed')
    if (settlement.outcome === 'dead-lettered') this.count(source, 'redriven')
  }
}

/** Subscription confirmations go through the same sender but are no notifications. */
function isNotification(pending: Pending): boolean {
  return pending.delivery.options?.headers?.['x-amz-sns-message-type'] !== 'SubscriptionConfirmation'
}

function topic(arn: string): { account: string; region: string; name: string } | undefined {
  const parsed = parseArn(arn)
  return parsed === undefined ? undefined : { account: parsed.account, region: parsed.region, name: parsed.resource }
}

function seriesOf(name: string, buckets: readonly import('../../core/minute-log.ts').MinuteBucket[], metricName: string): SourcedSeries | undefined {
  const def = definitions[metricName]!
  const points: SourcedPoint[] = []
  for (const b of buckets) {
    if ('measure' in def) {
      const m = b.measures[def.measure]
      if (m !== undefined) points.push({ t: b.t, n: m.n, sum: m.sum, min: m.min, max: m.max })
      continue
    }
    const v = b.counts[def.counter]
    if (v !== undefined) points.push({ t: b.t, n: 1, sum: v, min: v, max: v })
  }
  // A metric appears once it has a datapoint (a topic nobody filtered has no FilteredOut metric).
  if (points.length === 0) return undefined
  return { metricName, dimensions: [{ Name: 'TopicName', Value: name }], unit: def.unit, combine: 'average', steps: [], points }
}

export function snsMetricSource(log: MinuteLog): MetricSource {
  return {
    namespace: 'AWS/SNS',
    find: (account, region, metricName, dimensions) => {
      if (definitions[metricName] === undefined || dimensions.length !== 1 || dimensions[0]!.Name !== 'TopicName') return undefined
      const buckets = log.buckets(account, region, dimensions[0]!.Value)
      return buckets === undefined ? undefined : seriesOf(dimensions[0]!.Value, buckets, metricName)
    },
    list: (account, region) => {
      const out: SourcedSeries[] = []
      for (const [name, buckets] of log.all(account, region)) {
        for (const m of snsMetricNames) {
          const s = seriesOf(name, buckets, m)
          if (s !== undefined) out.push(s)
        }
      }
      return out
    },
  }
}
