// Buffered delivery to S3 on the injected clock: a stream's buffer is cut into a batch when it
// reaches SizeInMBs or when its oldest record is IntervalInSeconds old, whichever comes first; each
// batch becomes one object (records concatenated as sent, then compressed) written through S3's
// port. A failed write (bucket missing) is retried on the clock for up to 24 hours, then dropped.
import { randomUUID } from 'node:crypto'
import type { Clock, Timer } from '../../core/clock.ts'
import type { LambdaPort } from '../lambda/port.ts'
import type { S3Port } from '../s3/port.ts'
import { compress, fileExtension } from './compression.ts'
import { dateFields, formatDate, parseDatePattern, type Token } from './date-pattern.ts'
import type { Batch, BufferedRecord, DeliveryStream } from './delivery-stream.ts'
import { bucketOf, type S3Settings } from './destination.ts'
import type { FirehoseRows } from './firehose-rows.ts'
import { limits } from './limits.ts'
import type { FirehoseMetrics } from './metrics.ts'
import { evaluateErrorPrefix, evaluatePrefix, partitionOf, type PartitionKeys } from './prefix.ts'
import { errorLines, type Processed } from './processing.ts'
import { partitionFailure, runPipeline, withDelimiter, type Pipeline } from './record-processors.ts'
import { HttpDeliveryError, postRecords, requestIdOf } from './http-request.ts'
import { s3Error, type FirehoseErrorLogs } from './error-logs.ts'

const suffixTime = parseDatePattern('yyyy-MM-dd-HH-mm-ss') as Token[]

export interface DeliveryDeps {
  clock: Clock
  s3: S3Port
  lambda: LambdaPort
  rows: FirehoseRows | undefined
  log: (line: string) => void
  /** AWS/Firehose: each delivery attempt's outcome and each transformation. */
  metrics?: FirehoseMetrics
  /** CloudWatchLoggingOptions: each failed attempt as AWS's error log event (error-logs.ts). */
  errorLogs?: FirehoseErrorLogs
}

export class Delivery {
  private readonly deps: DeliveryDeps
  /** One wake-up per stream for its buffer's due time, and one per batch waiting for a retry. */
  private readonly bufferTimers = new Map<DeliveryStream, { at: number; timer: Timer }>()
  private readonly retryTimers = new Map<Batch, Timer>()
  private nextBatch = 1
  private stopped = false
  delivered = 0
  failedAttempts = 0
  /** Batches an HTTP endpoint refused for good (413): not retried, not written anywhere. */
  httpDropped = 0
  inFlight = 0

  constructor(deps: DeliveryDeps) {
    this.deps = deps
  }

  /** Batch ids continue after the highest stored one. */
  seen(batchId: number): void {
    if (batchId >= this.nextBatch) this.nextBatch = batchId + 1
  }

  /** After records were appended: cut now when full (or unbuffered), else wake at the due time. */
  accepted(stream: DeliveryStream): void {
    if (stream.full() || stream.settings.BufferingHints.IntervalInSeconds === 0) this.cut(stream)
    else this.arm(stream)
  }

  /** At start (rows loaded): buffers and batches wake at their stored due times, at once if past. */
  resume(stream: DeliveryStream): void {
    for (const batch of stream.batches.values()) this.retryAt(stream, batch, batch.nextAttempt)
    if (stream.full()) this.cut(stream)
    else this.arm(stream)
  }

  private arm(stream: DeliveryStream): void {
    const due = stream.dueAt()
    const current = this.bufferTimers.get(stream)
    if (current !== undefined && current.at === due) return
    current?.timer.cancel()
    this.bufferTimers.delete(stream)
    if (due === undefined) return
    const timer = this.deps.clock.at(due, () => {
      this.bufferTimers.delete(stream)
      if (stream.buffer.length > 0 && (stream.dueAt() ?? Infinity) <= this.deps.clock.now()) this.cut(stream)
      else this.arm(stream)
    })
    this.bufferTimers.set(stream, { at: due, timer })
  }

  private cut(stream: DeliveryStream): void {
    this.bufferTimers.get(stream)?.timer.cancel()
    this.bufferTimers.delete(stream)
    if (stream.buffer.length === 0) return
    const batch = stream.cut(this.nextBatch, this.deps.clock.now())
    // Partitioned buffers: what was not due keeps its own wake-up.
    this.arm(stream)
    if (batch === undefined) return
    this.nextBatch++
    this.deps.rows?.batch(stream.uid, batch)
    void this.attempt(stream, batch)
  }

  /** A batch made elsewhere (a transformation's failures, or its source records for the backup): stored and attempted now. */
  start(stream: DeliveryStream, init: Omit<Batch, 'id' | 'firstAttempt' | 'nextAttempt' | 'attempts'>): void {
    const now = this.deps.clock.now()
    const batch: Batch = { ...init, id: this.nextBatch++, firstAttempt: now, nextAttempt: now, attempts: 0 }
    stream.batches.set(batch.id, batch)
    this.deps.rows?.batch(stream.uid, batch)
    void this.attempt(stream, batch)
  }

  private retryAt(stream: DeliveryStream, batch: Batch, at: number): void {
    this.retryTimers.get(batch)?.cancel()
    this.retryTimers.set(batch, this.deps.clock.at(at, () => {
      this.retryTimers.delete(batch)
      void this.attempt(stream, batch)
    }))
  }

  /** Writes each pending target; what failed waits for a retry, unless 24 hours have passed since the first attempt. */
  private async attempt(stream: DeliveryStream, batch: Batch): Promise<void> {
    if (this.stopped || !stream.batches.has(batch.id)) return
    batch.attempts++
    this.inFlight++
    try {
      while (batch.pending.length > 0) {
        await this.deliverTo(stream, batch, batch.pending[0]!)
        batch.pending.shift()
      }
      this.finish(stream, batch)
      this.delivered++
    } catch (error) {
      this.failedAttempts++
      const now = this.deps.clock.now()
      const failedTarget = batch.pending[0]
      if (failedTarget === 'main' || failedTarget === 'backup') {
        this.deps.metrics?.delivered(stream, failedTarget === 'backup' ? 'backup' : stream.http !== undefined ? 'http' : 's3', undefined)
      }
      if (failedTarget !== undefined) this.logFailure(stream, failedTarget, error, now)
      if (error instanceof HttpDeliveryError && stream.http !== undefined && batch.pending[0] === 'main') {
        this.httpFailed(stream, batch, error, now)
        return
      }
      if (now - batch.firstAttempt >= limits.maxRetryMs) {
        this.deps.log(`firehose: ${stream.name}: dropping ${batch.records.length} records after 24 hours of failed deliveries (${String(error)})`)
        this.finish(stream, batch)
        return
      }
      // Said once per batch (not at every retry): without it a misnamed bucket looks like data that never arrives.
      if (batch.attempts === 1) {
        this.deps.log(`firehose: ${stream.name}: writing ${batch.records.length} records failed (${String(error)}); retrying every ${limits.retryDelayMs / 1000} s of the clock for 24 hours`)
      }
      batch.nextAttempt = now + limits.retryDelayMs
      this.deps.rows?.batch(stream.uid, batch)
      if (!this.stopped) this.retryAt(stream, batch, batch.nextAttempt)
    } finally {
      this.inFlight--
    }
  }

  /** A failed attempt in the destination's CloudWatch Logs error stream: the endpoint's error, or the S3 write's. */
  private logFailure(stream: DeliveryStream, target: Batch['pending'][number], error: unknown, now: number): void {
    const errorLogs = this.deps.errorLogs
    if (errorLogs === undefined) return
    if (error instanceof HttpDeliveryError && stream.http !== undefined && target === 'main') {
      errorLogs.write(stream, 'main', { destination: stream.http.EndpointConfiguration.Url, errorCode: error.code, message: error.message }, now)
      return
    }
    const settings = stream.settings
    const bucket = target === 'backup' && stream.http === undefined ? settings.S3BackupDescription?.BucketARN ?? settings.BucketARN : settings.BucketARN
    errorLogs.write(stream, target, s3Error(bucket, error), now)
  }

  /**
   * An HTTP endpoint attempt failed: retried on the clock with a doubling back-off until
   * RetryOptions.DurationInSeconds after the first attempt (the last retry lands exactly there),
   * then the records go to the S3 bucket's `http-endpoint-failed` error output.
   */
  private httpFailed(stream: DeliveryStream, batch: Batch, error: HttpDeliveryError, now: number): void {
    if (error.permanent) {
      // A 413: AWS neither retries it nor writes the batch to the error output; it is gone (other
      // targets — an AllData backup, processing failures — still go where they go).
      this.deps.log(`firehose: ${stream.name}: ${stream.http!.EndpointConfiguration.Url} refused ${batch.records.length} records for good (${error.code}: ${error.message})`)
      this.httpDropped++
      batch.pending.shift()
      this.deps.rows?.batch(stream.uid, batch)
      if (!this.stopped) void this.attempt(stream, batch)
      return
    }
    const deadline = batch.firstAttempt + stream.http!.RetryOptions.DurationInSeconds * 1000
    if (now >= deadline) {
      this.deps.log(`firehose: ${stream.name}: giving up on ${stream.http!.EndpointConfiguration.Url} after ${batch.attempts} attempts (${error.code}: ${error.message})`)
      batch.httpFailure = { code: error.code, message: error.message, attempts: batch.attempts, endedAt: now }
      batch.pending[0] = 'httpFailed'
      this.deps.rows?.batch(stream.uid, batch)
      if (!this.stopped) void this.attempt(stream, batch)
      return
    }
    const delay = Math.min(limits.httpRetryBaseMs * 2 ** Math.min(batch.attempts - 1, 16), limits.httpRetryMaxMs)
    batch.nextAttempt = Math.min(now + delay, deadline)
    this.deps.rows?.batch(stream.uid, batch)
    if (!this.stopped) this.retryAt(stream, batch, batch.nextAttempt)
  }

  /** HTTP endpoint: the processed records POSTed in one request, or (given up) written as error records. */
  private async deliverHttp(stream: DeliveryStream, batch: Batch, target: 'main' | 'httpFailed'): Promise<void> {
    const http = stream.http!
    const processed = batch.processed ??= await this.process(stream, batch, stream.stages.delivery, false)
    if (processed.failed.length > 0 && !batch.pending.includes('errors')) batch.pending.push('errors')
    const records = processed.partitions[0] ?? []
    if (records.length === 0) return
    if (target === 'main') {
      await postRecords(http, {
        url: http.EndpointConfiguration.Url, requestId: requestIdOf(stream.arn, batch.id, batch.firstAttempt), timestamp: this.deps.clock.now(),
        sourceArn: stream.arn, records: records.map((r) => r.data), timeoutMs: limits.httpTimeoutMs, clock: this.deps.clock,
      })
      this.deps.metrics?.delivered(stream, 'http', this.outcome(records, 0))
      return
    }
    const f = batch.httpFailure ?? { code: 'HttpEndpoint.DestinationException', message: 'Delivery to the endpoint failed.', attempts: batch.attempts, endedAt: this.deps.clock.now() } // [R]
    await this.writeErrors(stream, records.map((record) => ({ record, errorCode: f.code, errorMessage: f.message, attempts: f.attempts, endedAt: f.endedAt,
      errorType: 'http-endpoint-failed' as const })))
  }

  /** AWS's error outputs: one object per error type, one error record a line, under the error prefix; written ones leave the list. */
  private async writeErrors(stream: DeliveryStream, failed: Processed['failed']): Promise<void> {
    const settings = stream.settings
    while (failed.length > 0) {
      const type = failed[0]!.errorType
      const ofType = failed.filter((f) => f.errorType === type)
      const oldest = Math.min(...ofType.map((f) => f.record.arrival))
      const key = evaluateErrorPrefix(settings.Prefix ?? '', settings.ErrorOutputPrefix, oldest, settings.CustomTimeZone, type) +
        this.objectName(stream, oldest, settings.CustomTimeZone)
      await this.deps.s3.putObject(bucketOf(settings.BucketARN), key, errorLines(ofType))
      const rest = failed.filter((f) => f.errorType !== type)
      failed.splice(0, failed.length, ...rest)
    }
  }

  private async deliverTo(stream: DeliveryStream, batch: Batch, target: Batch['pending'][number]): Promise<void> {
    const settings = stream.settings
    if (target === 'backup') {
      // HTTP endpoint with AllData: the source records into the S3Configuration's bucket.
      if (stream.http !== undefined) await this.write(stream, batch.records, settings)
      else if (settings.S3BackupDescription !== undefined) await this.write(stream, batch.records, settings.S3BackupDescription)
      else return
      this.deps.metrics?.delivered(stream, 'backup', this.outcome(batch.records, 1))
      return
    }
    if (stream.http !== undefined && target !== 'errors') return this.deliverHttp(stream, batch, target)
    const dynamic = settings.DynamicPartitioningConfiguration?.Enabled === true
    const pipeline = stream.stages.delivery
    // A transformation's failures (their batch carries them), or what a cut batch's processing failed.
    if (target === 'errors') return this.writeErrors(stream, (batch.processed ??= await this.process(stream, batch, pipeline, dynamic)).failed)
    if (!dynamic && Object.keys(pipeline).length === 0) {
      if (target === 'main') {
        await this.write(stream, batch.records, settings)
        this.deps.metrics?.delivered(stream, 's3', this.outcome(batch.records, 1))
      }
      return
    }
    const processed = batch.processed ??= await this.process(stream, batch, pipeline, dynamic)
    if (target === 'main') {
      if (processed.failed.length > 0 && !batch.pending.includes('errors')) batch.pending.push('errors')
      // One object per partition; a written one leaves the list, so a retry writes only the rest.
      while (processed.partitions.length > 0) {
        const records = processed.partitions[0]!
        await this.write(stream, records, settings, dynamic ? records[0]!.keys ?? {} : undefined)
        this.deps.metrics?.delivered(stream, 's3', this.outcome(records, 1))
        processed.partitions.shift()
      }
    }
  }

  /** Runs the processors, then (dynamic partitioning) groups the results by partition: records without their keys fail. */
  private async process(stream: DeliveryStream, batch: Batch, pipeline: Pipeline, dynamic: boolean): Promise<Processed & { partitions: BufferedRecord[][] }> {
    const now = () => this.deps.clock.now()
    // The Lambda (and what runs before it) ran on the processor's own buffer (transform-stage.ts): not here.
    const processed = await runPipeline(this.deps.lambda, pipeline, stream.arn, stream.region, batch.records, now, stream.source?.KinesisStreamARN)
    if (!dynamic) return { ...processed, partitions: processed.ok.length > 0 ? [withDelimiter(processed.ok, pipeline)] : [] }
    const groups = new Map<string, BufferedRecord[]>()
    for (const record of processed.ok) {
      const partition = partitionOf(stream.settings.Prefix ?? '', record.keys)
      if ('missing' in partition) {
        processed.failed.push(partitionFailure(record, `Partition key ${partition.missing} could not be evaluated for the record`, now())) // [R]
      } else if (!groups.has(partition.id) && groups.size >= limits.maxActivePartitions) {
        processed.failed.push({ ...partitionFailure(record, `Exceeded the limit of ${limits.maxActivePartitions} active partitions`, now()), // [R]
          errorCode: 'DynamicPartitioning.ActivePartitionsLimitExceeded' })
      } else groups.set(partition.id, [...groups.get(partition.id) ?? [], record])
    }
    processed.failed.sort((a, b) => a.record.seq - b.record.seq)
    return { ...processed, partitions: [...groups.values()].map((g) => withDelimiter(g, pipeline)) }
  }

  /** A delivered set of records for the metrics: their count and bytes, and the oldest one's age in seconds. */
  private outcome(records: readonly BufferedRecord[], objects: number): { records: number; bytes: number; objects: number; ageSeconds: number } {
    let bytes = 0
    let oldest = Infinity
    for (const r of records) {
      bytes += r.data.length
      if (r.arrival < oldest) oldest = r.arrival
    }
    const ageSeconds = records.length === 0 ? 0 : Math.max(0, (this.deps.clock.now() - oldest) / 1000)
    return { records: records.length, bytes, objects, ageSeconds }
  }

  private finish(stream: DeliveryStream, batch: Batch): void {
    stream.batches.delete(batch.id)
    this.deps.rows?.batchDone(batch)
  }

  private objectName(stream: DeliveryStream, oldest: number, zone: string | undefined): string {
    return `${stream.name}-${stream.version}-${formatDate(suffixTime, dateFields(oldest, zone || 'UTC'))}-${randomUUID()}`
  }

  private async write(stream: DeliveryStream, records: readonly BufferedRecord[], settings: S3Settings, keys?: PartitionKeys): Promise<void> {
    const oldest = Math.min(...records.map((r) => r.arrival))
    const zone = settings.CustomTimeZone
    const name = this.objectName(stream, oldest, zone)
    const key = evaluatePrefix(settings.Prefix ?? '', oldest, zone, undefined, keys) + name + fileExtension(settings.CompressionFormat, settings.FileExtension)
    const body = compress(settings.CompressionFormat, Buffer.concat(records.map((r) => r.data)), name)
    await this.deps.s3.putObject(bucketOf(settings.BucketARN), key, body)
  }

  /** A deleted stream: its wake-ups go (its rows are deleted by the store). */
  forget(stream: DeliveryStream): void {
    this.bufferTimers.get(stream)?.timer.cancel()
    this.bufferTimers.delete(stream)
    for (const batch of stream.batches.values()) {
      this.retryTimers.get(batch)?.cancel()
      this.retryTimers.delete(batch)
    }
  }

  stop(): void {
    this.stopped = true
    for (const { timer } of this.bufferTimers.values()) timer.cancel()
    for (const timer of this.retryTimers.values()) timer.cancel()
    this.bufferTimers.clear()
    this.retryTimers.clear()
  }
}
