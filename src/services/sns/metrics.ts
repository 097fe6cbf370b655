// The AWS/SNS metrics topics publish (TopicName dimension), counted per minute in memory
// (core/minute-log.ts) and read by CloudWatch through its port as a metric source: messages
// published and their size, notifications delivered, failed, filtered out and redriven to a DLQ.
// Like AWS, a minute without activity has no datapoint.
import type { MinuteLog } from '../../core/minute-log.ts'
import { parseArn } from '../../core/arn.ts'
import type { Pending, Settlement } from '../../fabric/types.ts'
import type { MetricSource } from '../cloudwatch/port.ts'
import { type MinuteMetric, minuteMetricSource, singleDimension } from '../minute-metrics.ts'

const definitions: Record<string, MinuteMetric> = {
  NumberOfMessagesPublished: { unit: 'Count', counter: 'published' },
  PublishSize: { unit: 'Bytes', measure: 'size' },
  NumberOfNotificationsDelivered: { unit: 'Count', counter: 'delivered' },
  NumberOfNotificationsFailed: { unit: 'Count', counter: 'failed' },
  NumberOfNotificationsFilteredOut: { unit: 'Count', counter: 'filtered' },
  'NumberOfNotificationsFilteredOut-MessageAttributes': { unit: 'Count', counter: 'filteredAttributes' },
  'NumberOfNotificationsFilteredOut-MessageBody': { unit: 'Count', counter: 'filteredBody' },
  NumberOfNotificationsRedrivenToDlq: { unit: 'Count', counter: 'redriven' },
}

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

export function snsMetricSource(log: MinuteLog): MetricSource {
  return minuteMetricSource({ namespace: 'AWS/SNS', log, metrics: definitions, ...singleDimension('TopicName') })
}
