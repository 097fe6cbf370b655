// Trail log files: the records a logging trail captured, delivered to its S3 bucket about every 5
// minutes of clock as one gzipped `{"Records":[…]}` object named as AWS names them
// (AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 chars>.json.gz),
// written through S3's port as the bucket's owner (so S3's notifications fire as for any object).
import { randomBytes } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import type { Clock, Timer } from '../../core/clock.ts'
import type { S3Port } from '../s3/port.ts'
import type { EventRecord } from './event-record.ts'
import { limits } from './limits.ts'
import { type Trail, trailArn } from './trail.ts'

export interface LogFileSink {
  /** A pending record was captured (with a data dir: its row), or delivered/dropped (row removed). */
  captured(trail: Trail, record: EventRecord, firstAt: number): void
  delivered(trail: Trail, records: readonly EventRecord[]): void
  /** The trail's delivery status changed. */
  changed(trail: Trail): void
}

export class LogFiles {
  private readonly timers = new Map<string, Timer>()
  /** Deliveries in flight (tests and stop wait for them). */
  delivering = 0
  filesWritten = 0
  /** When each trail's oldest pending record was captured: its file is due 5 minutes later. */
  private readonly firstAt = new Map<string, number>()

  private readonly clock: Clock
  private readonly s3: S3Port
  private readonly sink: LogFileSink

  constructor(clock: Clock, s3: S3Port, sink: LogFileSink) {
    this.clock = clock
    this.s3 = s3
    this.sink = sink
  }

  capture(trail: Trail, record: EventRecord): void {
    const arn = trailArn(trail)
    const first = this.firstAt.get(arn) ?? this.clock.now()
    trail.pending.push(record)
    this.sink.captured(trail, record, first)
    if (!this.firstAt.has(arn)) this.arm(trail, first)
  }

  /** At load: a trail's stored pending records, captured first at `first`, are due 5 minutes after. */
  rearm(trail: Trail, first: number): void {
    if (trail.pending.length > 0) this.arm(trail, first)
  }

  /** The trail is gone (or reset): its pending records are dropped, its timer cancelled. */
  forget(trail: Trail): void {
    const arn = trailArn(trail)
    this.timers.get(arn)?.cancel()
    this.timers.delete(arn)
    this.firstAt.delete(arn)
  }

  stop(): void {
    for (const timer of this.timers.values()) timer.cancel()
    this.timers.clear()
    this.firstAt.clear()
  }

  private arm(trail: Trail, first: number): void {
    const arn = trailArn(trail)
    this.firstAt.set(arn, first)
    this.timers.set(arn, this.clock.at(first + limits.deliveryIntervalMs, () => {
      this.timers.delete(arn)
      this.firstAt.delete(arn)
      void this.deliver(trail)
    }))
  }

  private async deliver(trail: Trail): Promise<void> {
    const records = trail.pending.splice(0)
    if (records.length === 0) return
    const now = this.clock.now()
    trail.latestDeliveryAttemptTime = now
    this.delivering += 1
    try {
      // A multi-region trail writes one file per region its records come from.
      const regions = new Map<string, EventRecord[]>()
      for (const record of records) {
        const batch = regions.get(record.awsRegion)
        if (batch === undefined) regions.set(record.awsRegion, [record])
        else batch.push(record)
      }
      for (const [region, batch] of regions) {
        await this.s3.putObject(trail.bucket, objectKey(trail, region, now), gzipSync(JSON.stringify({ Records: batch })),
          { contentType: 'application/json' })
        this.filesWritten += 1
      }
      trail.latestDeliveryTime = now
      trail.latestDeliveryError = undefined
    } catch (error) {
      // The bucket was deleted (or is unusable) since the trail was made: AWS reports it in
      // GetTrailStatus and the records of that file are lost.
      trail.latestDeliveryError = (error as { name?: string; code?: string }).code ?? (error as { name?: string }).name ?? 'InternalError'
    } finally {
      this.delivering -= 1
      this.sink.delivered(trail, records)
      this.sink.changed(trail)
    }
  }
}

/** `[prefix/]AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz`. */
export function objectKey(trail: Trail, region: string, now: number): string {
  const iso = new Date(now).toISOString()
  const [date] = iso.split('T')
  const [y, m, d] = date!.split('-')
  const stamp = `${y!}${m!}${d!}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`
  const prefix = trail.keyPrefix === undefined || trail.keyPrefix === '' ? '' : `${trail.keyPrefix}/`
  return `${prefix}AWSLogs/${trail.account}/CloudTrail/${region}/${y!}/${m!}/${d!}/${trail.account}_CloudTrail_${region}_${stamp}_${unique()}.json.gz`
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** The 16-character UniqueString that keeps two files of one minute apart. */
function unique(): string {
  return [...randomBytes(16)].map((b) => alphabet[b % alphabet.length]).join('')
}
