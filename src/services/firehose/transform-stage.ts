// Data transformation's first stage. With a Lambda processor AWS buffers twice: incoming records wait
// in the processor's own buffer until BufferSizeInMBs (0.2–3, default 1) or BufferIntervalInSeconds
// (default 60) is reached, the function is invoked synchronously with that batch (in invocations of at
// most BufferSizeInMBs and Lambda's 6 MB payload, each retried NumberOfRetries times), and what it
// returns Ok waits in the destination's buffer (SizeInMBs / IntervalInSeconds, counted from then).
// Durable: a source record's row stays until the function's answer replaces it in one commit — Ok
// records as transformed rows, failed ones as an error batch, the source records themselves kept for
// the S3 backup when it is on; a restart before that transforms them again (at least once).
import type { Clock, Timer } from '../../core/clock.ts'
import type { LambdaPort } from '../lambda/port.ts'
import type { BufferedRecord } from './buffered-record.ts'
import type { DeliveryStream } from './delivery-stream.ts'
import type { Delivery } from './delivery.ts'
import type { FirehoseErrorLogs } from './error-logs.ts'
import type { FirehoseRows } from './firehose-rows.ts'
import { limits } from './limits.ts'
import type { FirehoseMetrics } from './metrics.ts'
import type { Processed } from './processing.ts'
import { runPipeline } from './record-processors.ts'

export interface TransformDeps {
  clock: Clock
  lambda: LambdaPort
  rows: FirehoseRows | undefined
  delivery: Delivery
  log: (line: string) => void
  metrics?: FirehoseMetrics
  /** CloudWatchLoggingOptions: a failed invocation as AWS's error log event. */
  errorLogs?: FirehoseErrorLogs
  /** A new record seq (the store's counter): transformed and failed records get rows of their own. */
  nextSeq: () => number
}

export class TransformStage {
  private readonly deps: TransformDeps
  private readonly timers = new Map<DeliveryStream, { at: number; timer: Timer }>()
  private readonly gone = new WeakSet<DeliveryStream>()
  private stopped = false
  /** Batches handed to the function (shown by /_nimbus/health). */
  invocations = 0

  constructor(deps: TransformDeps) {
    this.deps = deps
  }

  /** After UpdateDestination: a Lambda added or removed takes the buffered source records or gives them to the destination's buffer. */
  reconfigured(stream: DeliveryStream): void {
    if (this.stopped || this.gone.has(stream)) return
    stream.restage()
    this.check(stream)
  }

  /**
   * After records were staged, and at start: the processor's buffer is handed to the function when it
   * holds BufferSizeInMBs or its oldest record is BufferIntervalInSeconds old, one batch at a time per
   * stream; otherwise a wake-up waits for its due time.
   */
  check(stream: DeliveryStream): void {
    if (this.stopped || this.gone.has(stream)) return
    if (stream.transforming.length > 0) return
    const due = stream.stagedDueAt()
    if (due === undefined) return this.disarm(stream)
    if (stream.stagedFull() || due <= this.deps.clock.now()) {
      this.disarm(stream)
      void this.transform(stream)
      return
    }
    if (this.timers.get(stream)?.at === due) return
    this.arm(stream, due)
  }

  private arm(stream: DeliveryStream, at: number): void {
    this.disarm(stream)
    const timer = this.deps.clock.at(at, () => {
      this.timers.delete(stream)
      this.check(stream)
    })
    this.timers.set(stream, { at, timer })
  }

  private disarm(stream: DeliveryStream): void {
    this.timers.get(stream)?.timer.cancel()
    this.timers.delete(stream)
  }

  /** Takes the processor's buffer (up to the record that reached BufferSizeInMBs) to the function, then places what it answered. */
  private async transform(stream: DeliveryStream): Promise<void> {
    const pipeline = stream.stages.transform!
    let bytes = 0
    let n = 0
    while (n < stream.staged.length && bytes < pipeline.lambda.bufferBytes) bytes += stream.staged[n++]!.data.length
    const taken = stream.staged.splice(0, n)
    stream.stagedBytes -= bytes
    stream.transforming = taken
    this.invocations++
    const delivery = this.deps.delivery
    delivery.inFlight++
    const started = performance.now()
    let processed: Processed
    try {
      processed = await runPipeline(this.deps.lambda, pipeline, stream.arn, stream.region, taken, () => this.deps.clock.now(), stream.source?.KinesisStreamARN)
    } catch (error) {
      // Not the function's failure (those are answers): the records go back and are tried again a minute later.
      this.deps.log(`firehose: ${stream.name}: transforming ${taken.length} records failed (${String(error)}); retrying in ${limits.retryDelayMs / 1000} s of the clock`)
      if (this.stopped || this.gone.has(stream)) return
      stream.transforming = []
      stream.staged.unshift(...taken)
      stream.stagedBytes += bytes
      this.arm(stream, this.deps.clock.now() + limits.retryDelayMs)
      return
    } finally {
      delivery.inFlight--
    }
    // Stopped (a restart will transform the stored source records again) or deleted meanwhile: nothing to place.
    if (this.stopped || this.gone.has(stream)) return
    stream.transforming = []
    const failed = processed.failed.some((f) => f.errorCode === 'Lambda.InvokeFailure' || f.errorCode === 'Lambda.FunctionError')
    this.deps.metrics?.processed(stream, !failed, performance.now() - started)
    this.logFailures(stream, processed)
    this.place(stream, taken, processed)
    this.check(stream)
  }

  /**
   * The function's failures in the destination's error log: one event per error code of the batch
   * (a record the function itself marked ProcessingFailed is not logged: AWS leaves that to the
   * function's own logs).
   */
  private logFailures(stream: DeliveryStream, processed: Processed): void {
    const seen = new Set<string>()
    const destination = stream.http?.EndpointConfiguration.Url ?? stream.settings.BucketARN
    for (const f of processed.failed) {
      if (f.lambdaArn === undefined || f.errorCode === 'Lambda.ProcessingFailedStatus' || seen.has(f.errorCode)) continue
      seen.add(f.errorCode)
      this.deps.errorLogs?.write(stream, 'transform', { destination, errorCode: f.errorCode, message: f.errorMessage, processor: f.lambdaArn }, this.deps.clock.now())
    }
  }

  /** In one turn (one commit): the source rows go (or stay for the backup), failures become an error batch, Ok records enter the destination's buffer. */
  private place(stream: DeliveryStream, taken: BufferedRecord[], processed: Processed): void {
    const { rows, delivery, clock, nextSeq } = this.deps
    if (stream.backsUpSource) delivery.start(stream, { records: taken, pending: ['backup'], partial: true })
    else for (const r of taken) rows?.recordGone(r.seq)
    if (processed.failed.length > 0) {
      const failed = processed.failed.map((f) => ({ ...f, record: { seq: nextSeq(), data: f.record.data, arrival: f.record.arrival } }))
      for (const f of failed) rows?.record(stream.uid, f.record)
      delivery.start(stream, { records: failed.map((f) => f.record), pending: ['errors'], partial: true, failures: true, processed: { ok: [], failed, partitions: [] } })
    }
    const now = clock.now()
    for (const r of processed.ok) {
      const record: BufferedRecord = { seq: nextSeq(), data: r.data, arrival: r.arrival, transformed: true, buffered: now, ...(r.keys !== undefined && { keys: r.keys }) }
      stream.append(record)
      rows?.record(stream.uid, record)
      if (stream.full()) delivery.accepted(stream)
    }
    delivery.accepted(stream)
  }

  /** A deleted stream: its wake-up goes, and an answer still on its way is thrown away. */
  forget(stream: DeliveryStream): void {
    this.gone.add(stream)
    this.disarm(stream)
    stream.staged = []
    stream.stagedBytes = 0
  }

  stop(): void {
    this.stopped = true
    for (const { timer } of this.timers.values()) timer.cancel()
    this.timers.clear()
  }
}
