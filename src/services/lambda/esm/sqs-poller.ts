// Polls one SQS queue for one event source mapping (an EventSourcePoller): batches (size and window
// on the clock), filters, invokes the function synchronously, deletes what succeeded. No HTTP:
// SQS's internal port.
import type { Timer } from '../../../core/clock.ts'
import type { SqsPort, SqsReceived } from '../../sqs/port.ts'
import { compileFilters } from './filters.ts'
import type { EventSourcePoller, PollerDeps, PollerSettings } from './poller.ts'
import { failedItems, type SqsRecord, toSqsRecord } from './sqs-records.ts'

interface SqsSettings {
  queueArn: string
  region: string
  batchSize: number
  windowSeconds: number
  reportBatchItemFailures: boolean
  maxConcurrency: number
  /** False drops the record: AWS deletes SQS messages a filter rejects. */
  filter: ((record: SqsRecord) => boolean) | undefined
}

const sqsSettings = (s: PollerSettings): SqsSettings => ({
  queueArn: s.sourceArn, region: s.region, batchSize: s.batchSize, windowSeconds: s.windowSeconds,
  reportBatchItemFailures: s.reportBatchItemFailures, maxConcurrency: s.maxConcurrency, filter: compileFilters(s.filterCriteria),
})

export class SqsPoller implements EventSourcePoller {
  private settings: SqsSettings
  private readonly deps: PollerDeps & { sqs: SqsPort }
  private running = 0
  private buffer: SqsReceived[] = []
  private windowTimer: Timer | undefined
  private unsubscribe: (() => void) | undefined
  private offQueueEvents: (() => void) | undefined
  private stopped = true
  /** After a failed or throttled batch Lambda backs off before polling again (1 s doubling to 1 min). */
  private backoffMs = 0
  /** Slots held after a failed batch, released on the clock. */
  private readonly backoffTimers = new Set<Timer>()

  constructor(settings: PollerSettings, deps: PollerDeps & { sqs: SqsPort }) {
    this.settings = sqsSettings(settings)
    this.deps = deps
  }

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    // A mapping names its queue by ARN: a queue deleted and created again is polled again.
    this.offQueueEvents = this.deps.sqs.onQueueEvent((event) => {
      if (event.queueArn === this.settings.queueArn && event.type === 'QueueCreated') this.subscribe()
    })
    this.subscribe()
  }

  private subscribe(): void {
    this.unsubscribe?.()
    this.unsubscribe = undefined
    try {
      this.unsubscribe = this.deps.sqs.onAvailable(this.settings.queueArn, () => this.pump())
    } catch (error) {
      this.deps.log(`[nimbus] event source mapping on ${this.settings.queueArn} cannot poll: ${String(error)}`)
      return
    }
    this.pump()
  }

  stop(): void {
    this.stopped = true
    this.offQueueEvents?.()
    this.offQueueEvents = undefined
    this.unsubscribe?.()
    this.unsubscribe = undefined
    this.windowTimer?.cancel()
    this.windowTimer = undefined
    for (const timer of this.backoffTimers) timer.cancel()
    this.backoffTimers.clear()
    // Buffered messages are simply left to come back after their visibility timeout, as on AWS.
    this.buffer = []
  }

  update(settings: PollerSettings): void {
    this.settings = sqsSettings(settings)
    this.pump()
  }

  /** Fills batches while there is capacity and messages to take. */
  private pump(): void {
    while (!this.stopped && this.running < this.settings.maxConcurrency) {
      const want = this.settings.batchSize - this.buffer.length
      if (want > 0) {
        let received: SqsReceived[]
        try {
          received = this.deps.sqs.receive(this.settings.queueArn, Math.min(10, want))
        } catch {
          return // the queue was deleted; the mapping stays, as AWS's would, and polls nothing
        }
        this.buffer.push(...received)
        if (received.length === 0 && this.buffer.length === 0) return
        if (received.length > 0 && this.buffer.length < this.settings.batchSize && this.settings.windowSeconds > 0) {
          this.armWindow()
          continue
        }
      }
      if (this.buffer.length === 0) return
      if (this.buffer.length < this.settings.batchSize && this.settings.windowSeconds > 0) {
        this.armWindow()
        return
      }
      this.dispatch()
    }
  }

  /** The batching window counts from the first message buffered. */
  private armWindow(): void {
    if (this.windowTimer !== undefined) return
    this.windowTimer = this.deps.clock.after(this.settings.windowSeconds * 1000, () => {
      this.windowTimer = undefined
      if (this.buffer.length > 0 && this.running < this.settings.maxConcurrency) this.dispatch()
      this.pump()
    })
  }

  private dispatch(): void {
    const batch = this.buffer.splice(0, this.settings.batchSize)
    this.windowTimer?.cancel()
    this.windowTimer = undefined
    this.running++
    void this.process(batch).catch((error: unknown) => {
      this.deps.log(`[nimbus] event source mapping on ${this.settings.queueArn} failed: ${String(error)}`)
      return false
    }).then((ok) => {
      if (ok) this.release()
      else this.holdSlot()
    })
  }

  private release(): void {
    this.running--
    this.pump()
  }

  /**
   * After a failed or throttled batch its poller backs off (1 s doubling to 1 min) while the others
   * carry on, as Lambda scales pollers down on errors. When every poller fails, polling pauses: a
   * function that fails at once can't spin on a queue with no visibility timeout.
   */
  private holdSlot(): void {
    this.backoffMs = Math.min(Math.max(this.backoffMs * 2, 1000), 60_000)
    const timer = this.deps.clock.after(this.backoffMs, () => {
      this.backoffTimers.delete(timer)
      this.release()
    })
    this.backoffTimers.add(timer)
  }

  /** False when the function failed or was throttled (nothing deleted). */
  private async process(batch: SqsReceived[]): Promise<boolean> {
    const { queueArn, region, filter } = this.settings
    const records = batch.map((m) => toSqsRecord(m, queueArn, region))
    const kept = filter === undefined ? records : records.filter((r) => {
      if (filter(r)) return true
      this.delete(r) // a message no filter matches is consumed, not redelivered
      return false
    })
    if (kept.length === 0) return true
    const result = await this.deps.invoke(Buffer.from(JSON.stringify({ Records: kept })))
    if ('throttled' in result || result.outcome === 'error') {
      // Nothing is deleted: the batch comes back after the visibility timeout, and the queue's
      // redrive policy moves poison messages to its DLQ.
      this.hops(batch, kept, undefined)
      return false
    }
    this.backoffMs = 0
    const failed = this.settings.reportBatchItemFailures ? failedItems(result.payload, kept) : new Set<string>()
    this.hops(batch, kept, failed ?? new Set(kept.map((r) => r.messageId)))
    if (failed === undefined) return true
    for (const record of kept) if (!failed.has(record.messageId)) this.delete(record)
    return true
  }

  /** Each record is a hop in the trace log; `failed` undefined means the whole batch failed. */
  private hops(batch: readonly SqsReceived[], kept: readonly SqsRecord[], failed: ReadonlySet<string> | undefined): void {
    const counts = new Map(batch.map((m) => [m.messageId, m.receiveCount]))
    for (const r of kept) {
      this.deps.hop(r.messageId, failed === undefined || failed.has(r.messageId) ? 'failed' : 'delivered', counts.get(r.messageId) ?? 1)
    }
  }

  private delete(record: SqsRecord): void {
    try {
      this.deps.sqs.delete(this.settings.queueArn, record.receiptHandle)
    } catch {
      // Expired handle or deleted queue: the message comes back or is gone; nothing to do.
    }
  }
}
