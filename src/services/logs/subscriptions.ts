// Subscription filters at work: events appended to a group are matched against its filters and each
// filter's matches of one upload go to its destination as one message, through the fabric (Kinesis,
// Firehose and Lambda are its target kinds). Handed over at now+0, after PutLogEvents has answered
// (with a data dir as pending deliveries from the request's own turn), so a function subscribed to
// its own log group can't recurse inside a write.
import { createHash, randomUUID } from 'node:crypto'
import type { Clock, Timer } from '../../core/clock.ts'
import type { Fabric } from '../../fabric/fabric.ts'
import type { Delivery } from '../../fabric/types.ts'
import type { RetryPolicy } from '../../fabric/policy.ts'
import { compileFilterPattern } from './filter-pattern.ts'
import type { LogEvent } from './log-event.ts'
import type { LogGroup } from './log-group.ts'
import { eventId } from './read-events.ts'
import type { FilterSeries, LogsMetrics } from './metrics.ts'
import { destinationKind, encodeMessage, lambdaEvent, type LogsMessage, type SubscriptionFilterData } from './subscription-filter.ts'

/** [R] AWS retries a failing destination for a while; Nimbus: 1 s doubling to 1 min, for up to 24 hours. */
export const subscriptionRetryPolicy: RetryPolicy = {
  maxRetries: 185, backoff: { kind: 'exponential', firstMs: 1000, factor: 2, capMs: 60_000 }, maxAgeMs: 24 * 60 * 60_000,
}

export class Subscriptions {
  private readonly clock: Clock
  private readonly fabric: Fabric
  private readonly pending = new Set<Timer>()
  /** Messages handed to the fabric (health). */
  delivered = 0
  /** AWS/Logs: each DATA_MESSAGE's filter, events and compressed bytes, for the fabric's hooks (a restored delivery has none). */
  private readonly sent = new WeakMap<Delivery, { series: FilterSeries; events: number; bytes: number }>()

  constructor(clock: Clock, fabric: Fabric, metrics?: LogsMetrics) {
    this.clock = clock
    this.fabric = fabric
    if (metrics === undefined) return
    fabric.registerOwner('logs', {
      attemptFailed: (p, failure) => {
        const sent = this.sent.get(p.delivery)
        if (sent !== undefined) metrics.deliveryFailed(sent.series, sent.events, failure.throttled)
      },
      settled: (p, settlement) => {
        const sent = this.sent.get(p.delivery)
        if (sent !== undefined && settlement.outcome === 'delivered') metrics.forwarded(sent.series, sent.events, sent.bytes)
      },
    })
  }

  /** The delivery of one message to a filter's destination (the payload as that kind of destination takes it). */
  delivery(group: Pick<LogGroup, 'arn'>, filter: SubscriptionFilterData, message: LogsMessage, logStream: string): Delivery {
    return this.encodedDelivery(group, filter, message, encodeMessage(message), logStream)
  }

  /** As delivery(), the message already gzipped and base64-encoded. */
  private encodedDelivery(group: Pick<LogGroup, 'arn'>, filter: SubscriptionFilterData, message: LogsMessage, encoded: string, logStream: string): Delivery {
    const kind = destinationKind(filter.destinationArn)
    const partitionKey = filter.distribution === 'Random' ? randomUUID()
      : createHash('md5').update(`${message.logGroup}/${logStream}`).digest('hex') // [R] one key per log stream
    return {
      owner: 'logs', source: `${group.arn}:*`, target: filter.destinationArn, id: randomUUID(),
      payload: kind === 'lambda' ? lambdaEvent(encoded) : encoded,
      options: kind === 'lambda' ? {} : { payloadEncoding: 'base64', partitionKey },
      policy: subscriptionRetryPolicy,
    }
  }

  /** Events just stored in a stream of `group`: each filter's matches become one DATA_MESSAGE. */
  appended(group: LogGroup, logStream: string, events: readonly LogEvent[]): void {
    const deliveries: Delivery[] = []
    for (const filter of group.subscriptionFilters) {
      const matches = compileFilterPattern(filter.filterPattern)
      const logEvents = events.filter((e) => matches(e.message)).map((e) => ({ id: eventId(e), timestamp: e.timestamp, message: e.message }))
      if (logEvents.length === 0) continue
      const message: LogsMessage = {
        messageType: 'DATA_MESSAGE', owner: group.account, logGroup: group.name, logStream,
        subscriptionFilters: [filter.filterName], logEvents,
      }
      const encoded = encodeMessage(message)
      const delivery = this.encodedDelivery(group, filter, message, encoded, logStream)
      const kind = destinationKind(filter.destinationArn)
      if (kind !== undefined) {
        // ForwardedBytes: the gzip-compressed message, as sent (base64 in every kind of payload).
        this.sent.set(delivery, {
          series: { account: group.account, region: group.region, group: group.name, kind, filter: filter.filterName },
          events: logEvents.length, bytes: Buffer.byteLength(encoded, 'base64'),
        })
      }
      deliveries.push(delivery)
    }
    if (deliveries.length === 0) return
    this.delivered += deliveries.length
    if (this.fabric.watched) {
      for (const d of deliveries) this.fabric.schedule(d)
      return
    }
    const timer = this.clock.after(0, () => {
      this.pending.delete(timer)
      for (const d of deliveries) this.fabric.deliver(d)
    })
    this.pending.add(timer)
  }

  /** Reset: messages not handed over yet go, and the fabric forgets Logs' retries. */
  clear(): void {
    for (const timer of this.pending) timer.cancel()
    this.pending.clear()
    this.fabric.cancel('logs')
  }
}
