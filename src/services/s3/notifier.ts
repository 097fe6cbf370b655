// Event notifications: listens to S3's object events, picks the configurations a change matches
// and delivers on the clock's next tick through the delivery fabric (§4.5, §7), so a delivery
// never fails or slows the S3 request; S3 does not retry, so a destination gone since the
// configuration was put loses the event. Also checks destinations (through their ports) and sends
// s3:TestEvent when a configuration is put (§4.3).
import type { Clock, Timer } from '../../core/clock.ts'
import type { Fabric } from '../../fabric/fabric.ts'
import { noRetry } from '../../fabric/policy.ts'
import type { Delivery, DeliveryOptions } from '../../fabric/types.ts'
import type { LambdaPort } from '../lambda/port.ts'
import { serviceMayInvoke } from '../lambda-permission.ts'
import type { SnsPort } from '../sns/port.ts'
import type { SqsPort } from '../sqs/port.ts'
import type { Bucket } from './bucket.ts'
import { s3Errors } from './errors.ts'
import type { ObjectEvent } from './events.ts'
import { type BucketNotifications, type NotificationTarget, targetMatches } from './notification-config.ts'
import { eventBridgeEntry, notificationMessage, testEventMessage } from './notification-record.ts'
import type { S3State } from './store.ts'

/** The destinations' ports, to check them (the registry's stand-ins: a service loads when S3 first calls it), and the fabric that delivers. */
export interface NotificationPorts {
  sqs: SqsPort
  sns: SnsPort
  lambda: LambdaPort
  fabric: Fabric
  log: (line: string) => void
  /** `--enforce-iam`: a Lambda destination's resource policy must let s3.amazonaws.com invoke it for the bucket. */
  enforceIam?: boolean
}

/** The principal S3 sends SQS messages as (their SenderId) [R]. */
const s3SenderId = 'AIDAJQR6QDGQ7PATMSYEY'
const snsSubject = 'Amazon S3 Notification'
/** Who S3 is to a function's resource policy. */
const s3Principals = ['s3.amazonaws.com']

export class Notifier {
  private readonly clock: Clock
  private readonly ports: NotificationPorts
  /** A notification attempted at once (in the next-tick batch), or pending data from now on (durable). */
  private readonly now = (delivery: Delivery) => this.ports.fabric.deliver(delivery)
  private readonly later = (delivery: Delivery) => void this.ports.fabric.schedule(delivery)
  /** The in-memory next-tick batches not yet run, so a reset drops them too. */
  private readonly ticks = new Set<Timer>()

  constructor(state: S3State, ports: NotificationPorts) {
    this.clock = state.clock
    this.ports = ports
    // S3 does not retry: a destination gone since the configuration was put loses the event, logged in S3's words.
    ports.fabric.registerOwner('s3', {
      settled: (p, s) => {
        if (s.outcome !== 'delivered') ports.log(`[s3] notification ${String(p.delivery.options?.extra?.event)} to ${p.delivery.target} dropped: ${s.failure?.message}`)
      },
    })
    state.events.on((event) => {
      const config = state.bucket(event.bucket)?.configs.get('notification') as BucketNotifications | undefined
      if (config !== undefined) this.schedule(event, config)
    })
  }

  /** Which destinations fail AWS's checks (existence, FIFO, region); an empty list passes. */
  invalidDestinations(bucket: Bucket, targets: readonly NotificationTarget[]): Array<{ arn: string; reason: string }> {
    const failures: Array<{ arn: string; reason: string }> = []
    for (const t of targets) {
      const reason = this.whyInvalid(t, bucket)
      if (reason !== undefined && !failures.some((f) => f.arn === t.arn)) failures.push({ arn: t.arn, reason })
    }
    return failures
  }

  /** After a successful PUT: one s3:TestEvent to each SQS queue and SNS topic the previous configuration lacked. */
  sendTestEvents(bucket: Bucket, previous: BucketNotifications | undefined, next: BucketNotifications, requestId: string): void {
    const known = new Set(previous?.targets.map((t) => `${t.kind} ${t.arn}`))
    const sent = new Set<string>()
    const message = testEventMessage(bucket.name, requestId, this.clock.now())
    for (const t of next.targets) {
      const key = `${t.kind} ${t.arn}`
      if (t.kind === 'lambda' || known.has(key) || sent.has(key)) continue
      sent.add(key)
      try {
        this.ports.fabric.sendNow(this.delivery(bucket.name, t.arn, requestId, message, options(t.kind)))
      } catch (error) {
        // AWS fails the whole PUT when the test message can't be delivered.
        throw s3Errors.unableToValidateDestinations([{ arn: t.arn, reason: (error as Error).message }])
      }
    }
  }

  private whyInvalid(t: NotificationTarget, bucket: Bucket): string | undefined {
    // AWS only sends to destinations in the bucket's region [R: wording as moto and MinIO quote it].
    if (t.arn.split(':')[3] !== bucket.region) return 'The notification destination service region is not valid for the bucket location constraint'
    if (t.kind === 'queue') {
      if (!this.ports.sqs.exists(t.arn)) return 'The destination queue does not exist'
      // FIFO queues and topics are not valid S3 destinations (§4.5).
      if (this.ports.sqs.isFifo(t.arn)) return 'FIFO queues are not supported as S3 event notification destinations'
      return undefined
    }
    if (t.kind === 'topic') {
      const { sns } = this.ports
      if (!sns.exists(t.arn)) return 'The destination topic does not exist'
      if (sns.isFifo(t.arn)) return 'FIFO topics are not supported as S3 event notification destinations'
      return undefined
    }
    // AWS answers this for a missing function too: it can't tell the two apart [S]. Under --enforce-iam the function's
    // resource policy must let S3 invoke it for this bucket, as `aws lambda add-permission --principal s3.amazonaws.com
    // --source-arn arn:aws:s3:::<bucket> --source-account <owner>` grants it; AWS answers the same without it.
    const { lambda } = this.ports
    const permitted = lambda.exists(t.arn) && (this.ports.enforceIam !== true || serviceMayInvoke(lambda, {
      principals: s3Principals, functionArn: t.arn, sourceArn: `arn:aws:s3:::${bucket.name}`, sourceAccount: bucket.owner,
    }))
    return permitted ? undefined : `Not authorized to invoke function [${t.arn}]`
  }

  /** Picks the matching configurations now (the configuration as it is at the change), delivers on the next tick. */
  private schedule(event: ObjectEvent, config: BucketNotifications): void {
    const matched = config.targets.filter((t) => targetMatches(t, event.name, event.key))
    if (matched.length === 0 && !config.eventBridge) return
    // With a data dir each notification is a pending delivery from now on, its row committed with the
    // request's answer (the fabric attempts it on the next tick); in memory one batch waits for that tick.
    if (this.ports.fabric.watched) {
      for (const t of matched) this.deliver(t, event, this.later)
      if (config.eventBridge) this.toEventBridge(event, this.later)
      return
    }
    const now = this.now
    const tick = this.clock.after(0, () => {
      this.ticks.delete(tick)
      for (const t of matched) this.deliver(t, event, now)
      if (config.eventBridge) this.toEventBridge(event, now)
    })
    this.ticks.add(tick)
  }

  /** S3's reset: notifications not yet delivered are forgotten, like every other service's deliveries. */
  reset(): void {
    for (const tick of this.ticks) tick.cancel()
    this.ticks.clear()
    this.ports.fabric.cancel('s3')
  }

  /** A destination gone since the configuration was put fails without retry: the fabric logs it and the event is lost, as on AWS. */
  private deliver(t: NotificationTarget, event: ObjectEvent, send: (delivery: Delivery) => void): void {
    const extra = { event: `${event.name} for s3://${event.bucket}/${event.key}` }
    send(this.delivery(event.bucket, t.arn, event.requestId, notificationMessage(event, t.id), { ...options(t.kind), extra }))
  }

  private toEventBridge(event: ObjectEvent, send: (delivery: Delivery) => void): void {
    const entry = eventBridgeEntry(event)
    if (entry === undefined) return
    const bus = `arn:aws:events:${event.region}:${event.account}:event-bus/default`
    send(this.delivery(event.bucket, bus, event.requestId, JSON.stringify(entry.detail), {
      source: 'aws.s3', detailType: entry.detailType, resources: [`arn:aws:s3:::${event.bucket}`], time: event.time.getTime(),
      account: event.account, region: event.region, extra: { event: `${event.name} of ${event.bucket}` },
    }))
  }

  private delivery(bucket: string, target: string, id: string, payload: string, options: DeliveryOptions | undefined): Delivery {
    return { owner: 's3', source: `arn:aws:s3:::${bucket}`, target, id, payload, options, policy: noRetry }
  }
}

function options(kind: NotificationTarget['kind']): DeliveryOptions | undefined {
  return kind === 'queue' ? { senderId: s3SenderId } : kind === 'topic' ? { subject: snsSubject } : undefined
}
