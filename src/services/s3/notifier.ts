// Event notifications: listens to S3's object events, picks the configurations a change matches
// and delivers on the clock's next tick through the destinations' internal ports (§4.5, §7), so
// a delivery never fails or slows the S3 request. Also checks destinations and sends s3:TestEvent
// when a configuration is put (§4.3).
import type { Clock } from '../../core/clock.ts'
import type { EventBridgePort } from '../eventbridge/port.ts'
import type { LambdaPort } from '../lambda/port.ts'
import type { SnsPort } from '../sns/port.ts'
import type { SqsPort } from '../sqs/port.ts'
import type { Bucket } from './bucket.ts'
import { s3Errors } from './errors.ts'
import type { ObjectEvent } from './events.ts'
import { type BucketNotifications, type NotificationTarget, targetMatches } from './notification-config.ts'
import { eventBridgeEntry, notificationMessage, testEventMessage } from './notification-record.ts'
import type { S3State } from './store.ts'

/** The destinations' ports (the registry's stand-ins: a service loads when S3 first calls it). */
export interface NotificationPorts {
  sqs: SqsPort
  sns: SnsPort
  lambda: LambdaPort
  eventbridge: EventBridgePort
  log: (line: string) => void
}

/** The principal S3 sends SQS messages as (their SenderId) [R]. */
const s3SenderId = 'AIDAJQR6QDGQ7PATMSYEY'
const snsSubject = 'Amazon S3 Notification'

export class Notifier {
  private readonly clock: Clock
  private readonly ports: NotificationPorts

  constructor(state: S3State, ports: NotificationPorts) {
    this.clock = state.clock
    this.ports = ports
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
        if (t.kind === 'queue') this.ports.sqs.send({ queueArn: t.arn, body: message, senderId: s3SenderId })
        else this.ports.sns.publish(t.arn, { Message: message, Subject: snsSubject })
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
    // AWS answers this for a missing function too: it can't tell the two apart [S].
    return this.ports.lambda.exists(t.arn) ? undefined : `Not authorized to invoke function [${t.arn}]`
  }

  /** Picks the matching configurations now (the configuration as it is at the change), delivers on the next tick. */
  private schedule(event: ObjectEvent, config: BucketNotifications): void {
    const matched = config.targets.filter((t) => targetMatches(t, event.name, event.key))
    if (matched.length === 0 && !config.eventBridge) return
    this.clock.after(0, () => {
      for (const t of matched) this.deliver(t, event)
      if (config.eventBridge) this.toEventBridge(event)
    })
  }

  /** A destination gone since the configuration was put is logged and the event dropped, as AWS loses it. */
  private deliver(t: NotificationTarget, event: ObjectEvent): void {
    const message = notificationMessage(event, t.id)
    try {
      if (t.kind === 'queue') {
        if (!this.ports.sqs.exists(t.arn)) return this.dropped(t, event, 'queue does not exist')
        this.ports.sqs.send({ queueArn: t.arn, body: message, senderId: s3SenderId })
      } else if (t.kind === 'topic') {
        const { sns } = this.ports
        if (!sns.exists(t.arn)) return this.dropped(t, event, 'topic does not exist')
        sns.publish(t.arn, { Message: message, Subject: snsSubject })
      } else {
        const { lambda } = this.ports
        if (!lambda.exists(t.arn)) return this.dropped(t, event, 'function does not exist')
        lambda.invokeAsync(t.arn, message)
      }
    } catch (error) {
      this.dropped(t, event, (error as Error).message)
    }
  }

  private toEventBridge(event: ObjectEvent): void {
    const entry = eventBridgeEntry(event)
    if (entry === undefined) return
    const [result] = this.ports.eventbridge.putEvents(event.account, event.region, [{
      source: 'aws.s3', detailType: entry.detailType, detail: entry.detail, resources: [`arn:aws:s3:::${event.bucket}`],
      time: event.time.getTime(),
    }])
    if (result?.errorCode !== undefined) this.ports.log(`[s3] EventBridge refused ${event.name} of ${event.bucket}: ${result.errorCode}`)
  }

  private dropped(t: NotificationTarget, event: ObjectEvent, why: string): void {
    this.ports.log(`[s3] notification ${event.name} for s3://${event.bucket}/${event.key} to ${t.arn} dropped: ${why}`)
  }
}
