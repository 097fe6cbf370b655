// A stream's shard poller (Kinesis, DynamoDB Streams, each through its ShardReader): each shard once per second of the clock, in order, children only after
// their parents are read to the end. A shard's records are spread over ParallelizationFactor lanes by
// partition key (order kept per key); each lane invokes its batches in turn. A failing batch is retried
// (split in two first with BisectBatchOnFunctionError; from the lowest reported item with
// ReportBatchItemFailures) until MaximumRetryAttempts or MaximumRecordAgeInSeconds, then given up: its
// failure record goes to the OnFailure destination and the shard moves on. The shard waits meanwhile.
// With TumblingWindowInSeconds a batch holds one window's records, the function's state is carried
// between its invocations, and a final invocation closes each window (kinesis-windows.ts).
// A poller caught up (its last poll read nothing and has nothing pending: no batch to retry, no
// batching or tumbling window open) stops polling until the source reports activity (the reader's
// `watch`) or a change falls due on the clock (`quietUntil`), then polls at the tick it would have
// polled at anyway: a long clock jump costs no polls. Without `watch` it polls every second.
import { createHash } from 'node:crypto'
import type { Timer } from '../../../core/clock.ts'
import type { InvokeResult } from '../../../runtime/types.ts'
import type { Throttled } from '../invoker.ts'
import { limits } from '../limits.ts'
import { compileFilters } from './filters.ts'
import { type FailureCondition, failureRecord, outcomeOf, requestIdOf } from './kinesis-batch.ts'
import { answeredState, type OpenWindow, sameWindow, stateTooLarge, windowFields, windowOf } from './kinesis-windows.ts'
import type { EventSourcePoller, PollerDeps, PollerSettings } from './poller.ts'
import type { ShardPosition, ShardReader, ShardRecord } from './shard-reader.ts'

interface Batch { records: ShardRecord[]; attempts: number; last?: InvokeResult | Throttled }

interface Cursor {
  /** Where the next read starts (undefined: the mapping's StartingPosition, '' TRIM_HORIZON). */
  after: string | undefined
  /** Where the shard is checkpointed once every lane is done (the end of the last read). */
  pendingAfter: string | undefined
  drained: boolean
  /** Batches read and not yet done with, per lane, oldest first (a bisected batch becomes two). */
  lanes: Batch[][]
  /** With a batching window: when the shard first had records waiting for a full batch. */
  waitingSince: number | undefined
  /** With tumbling windows: the shard's open window and its state. */
  window?: OpenWindow
}

/** AWS polls each shard about once a second. */
const POLL_MS = 1000
/** Reads one shard may finish per poll before yielding to the others. */
const READS_PER_POLL = 100

type EventRecord = Record<string, unknown>

export class KinesisPoller<R extends ShardRecord = ShardRecord> implements EventSourcePoller {
  private settings: PollerSettings
  private filter: ((record: EventRecord) => boolean) | undefined
  private readonly deps: PollerDeps & { reader: ShardReader<R> }
  private readonly cursors = new Map<string, Cursor>()
  private timer: Timer | undefined
  /** When the timer is due (Infinity: none armed, idle or a poll owed). */
  private timerAt = Infinity
  /** The last tick of the 1 s phase that fell due. */
  private lastTick = 0
  /** Source activity reported while a poll ran: that poll does not count as caught up. */
  private touched = false
  private unwatch: (() => void) | undefined
  private running = false
  private polling = false
  private again = false
  /** Shards seen at the first poll start at StartingPosition; later ones (children) at TRIM_HORIZON. */
  private first = true

  constructor(settings: PollerSettings, deps: PollerDeps & { reader: ShardReader<R> }) {
    this.settings = settings
    this.filter = compileFilters<EventRecord>(settings.filterCriteria, deps.reader.filterSource)
    this.deps = deps
    // A restarted mapping resumes where its row says each shard stood.
    const checkpoints = settings.stream?.checkpoints ?? {}
    for (const [shardId, c] of Object.entries(checkpoints)) {
      this.cursors.set(shardId, { after: c.after, pendingAfter: undefined, drained: c.drained, lanes: [], waitingSince: undefined })
    }
    if (Object.keys(checkpoints).length > 0) this.first = false
  }

  start(): void {
    if (this.running) return
    this.running = true
    this.unwatch = this.deps.reader.watch?.(this.settings.sourceArn, () => this.wake())
    this.lastTick = this.deps.clock.now()
    this.schedule(this.lastTick)
  }

  stop(): void {
    this.running = false
    this.unwatch?.()
    this.unwatch = undefined
    this.disarm()
  }

  update(settings: PollerSettings): void {
    this.settings = settings
    this.filter = compileFilters<EventRecord>(settings.filterCriteria, this.deps.reader.filterSource)
  }

  /**
   * A poll every second of the clock; one falling due while the last still runs follows right after it
   * (no tick is armed meanwhile: however far the clock jumps, one poll is owed).
   */
  private schedule(at: number): void {
    this.disarm()
    this.timerAt = at
    this.timer = this.deps.clock.at(at, () => {
      this.timer = undefined
      this.timerAt = Infinity
      if (!this.running) return
      this.lastTick = at
      if (this.polling) {
        this.again = true
        return
      }
      this.schedule(at + POLL_MS)
      this.kick()
    })
  }

  /** No tick armed (stopped, or idle until told). */
  private disarm(): void {
    this.timer?.cancel()
    this.timer = undefined
    this.timerAt = Infinity
  }

  /** The source reported activity: an idle poller polls at its next tick after now (the one it would have polled at). */
  private wake(): void {
    this.touched = true
    if (!this.running || this.polling) return
    const next = this.nextTick()
    if (next < this.timerAt) this.schedule(next)
  }

  /** The first tick of the 1 s phase after now. */
  private nextTick(): number {
    return this.lastTick + (Math.floor((this.deps.clock.now() - this.lastTick) / POLL_MS) + 1) * POLL_MS
  }

  private kick(): void {
    this.polling = true
    this.touched = false
    let caughtUp = false
    this.poll().then((c) => { caughtUp = c },
      (error: unknown) => this.deps.log(`[lambda] ${this.deps.reader.label} poller for ${this.settings.sourceArn} failed: ${String(error)}`))
      .finally(() => {
        this.polling = false
        if (!this.running) return
        if (this.again) {
          this.again = false
          this.kick()
          return
        }
        // Asked before `touched` is read again: looking the stream up may settle a transition that fell due, which reports activity.
        const quiet = caughtUp && !this.touched ? this.deps.reader.quietUntil?.(this.settings.sourceArn) : undefined
        this.plan(this.touched ? undefined : quiet)
      })
  }

  /**
   * After a poll: caught up (`quiet`: the source's next change on the clock), the next tick armed is
   * the first at or after it (none: idle until told); otherwise the next tick of the phase, if none is armed.
   */
  private plan(quiet: number | undefined): void {
    const nextTick = this.nextTick()
    if (quiet === undefined || quiet <= nextTick) {
      if (this.timer === undefined) this.schedule(nextTick)
      return
    }
    this.disarm()
    if (quiet !== Infinity) this.schedule(this.lastTick + Math.ceil((quiet - this.lastTick) / POLL_MS) * POLL_MS)
  }

  /** One poll of every ready shard; true when it is caught up (nothing read, nothing pending, no shard waiting on its parents). */
  private async poll(): Promise<boolean> {
    this.deps.polled?.()
    const shards = this.deps.reader.shards(this.settings.sourceArn)
    const listed = new Set(shards.map((s) => s.shardId))
    const ready = shards.filter((s) => [s.parentShardId, s.adjacentParentShardId]
      .every((p) => p === undefined || !listed.has(p) || this.cursors.get(p)?.drained === true))
    for (const s of shards) {
      if (!this.cursors.has(s.shardId)) {
        this.cursors.set(s.shardId, { after: this.first ? undefined : '', pendingAfter: undefined, drained: false, lanes: [], waitingSince: undefined })
      }
    }
    this.first = false
    const busy = await Promise.all(ready.map((s) => this.pollShard(s.shardId)))
    const readySet = new Set(ready.map((s) => s.shardId))
    return !busy.some(Boolean) && shards.every((s) => readySet.has(s.shardId) || this.cursors.get(s.shardId)!.drained) &&
      [...this.cursors.values()].every((c) => c.window === undefined && c.waitingSince === undefined && c.lanes.every((lane) => lane.length === 0))
  }

  /** Reads and hands over a shard's records; true when it read any (or retried a batch, closed a window, or read the shard to its end). */
  private async pollShard(shardId: string): Promise<boolean> {
    const cursor = this.cursors.get(shardId)!
    let busy = false
    const tumbling = this.settings.stream?.tumblingWindow ?? 0
    // A window's state is the shard's: with tumbling windows the shard is read as one lane.
    const factor = tumbling > 0 ? 1 : this.settings.stream?.parallelization ?? 1
    for (let n = 0; n < READS_PER_POLL && this.running && !cursor.drained; n++) {
      if (cursor.lanes.every((lane) => lane.length === 0)) {
        // A window whose end the clock has passed gets its final invocation before anything else.
        // So does one whose state outgrew 1 MB (isWindowTerminatedEarly); its later records open a fresh one.
        if (cursor.window !== undefined && (this.deps.clock.now() >= cursor.window.end || cursor.window.terminatedEarly === true) &&
          !(await this.closeWindow(shardId, cursor))) return true
        const batchSize = this.settings.batchSize
        const read = this.deps.reader.read(this.settings.sourceArn, shardId, this.from(cursor), batchSize * factor)
        if (read.records.length === 0) {
          cursor.after = read.after
          cursor.drained = read.ended
          this.commit(shardId, cursor, read.after)
          // A shard read to its end now lets its children be read: not caught up yet.
          return busy || read.ended
        }
        busy = true
        // MaximumBatchingWindowInSeconds: short of a full batch, records wait until the window has passed.
        const window = this.settings.windowSeconds * 1000
        if (window > 0 && read.records.length < batchSize) {
          cursor.waitingSince ??= this.deps.clock.now()
          if (this.deps.clock.now() - cursor.waitingSince < window) return true
        }
        cursor.waitingSince = undefined
        let records = read.records
        let after = read.after
        if (tumbling > 0) {
          // One window per batch; a record of a later window closes the open one first.
          const window = windowOf(records[0]!.approximateArrivalTimestamp, tumbling)
          if (cursor.window !== undefined && cursor.window.start !== window.start && !(await this.closeWindow(shardId, cursor))) return true
          cursor.window ??= { ...window, state: {} }
          const count = sameWindow(records, tumbling)
          if (count < records.length) {
            records = records.slice(0, count)
            after = records.at(-1)!.sequenceNumber
          }
        }
        cursor.after = after
        cursor.pendingAfter = after
        // Records the filters leave out are skipped (and checkpointed past), as on AWS.
        const kept = this.filter === undefined ? records : records.filter((r) => this.filter!(this.record(shardId, r)))
        cursor.lanes = this.lanes(shardId, kept, factor, batchSize)
      }
      const done = await Promise.all(cursor.lanes.map((lane) => this.drainLane(shardId, lane, cursor)))
      if (!done.every(Boolean)) return true
      this.commit(shardId, cursor, cursor.pendingAfter)
      busy = true
    }
    return busy
  }

  /**
   * Records spread over `factor` lanes by their partition key's hash (one key stays in one lane, in
   * order), cut into batches of BatchSize records — or fewer, so that the event stays within the
   * 6 MB synchronous invocation payload (AWS cuts a batch short at that limit rather than fail it).
   */
  private lanes(shardId: string, records: ShardRecord[], factor: number, batchSize: number): Batch[][] {
    const byLane: ShardRecord[][] = Array.from({ length: factor }, () => [])
    for (const r of records) byLane[factor === 1 ? 0 : createHash('md5').update(r.partitionKey).digest().readUInt32BE(0) % factor]!.push(r)
    // `{"Records":[…]}` plus a tumbling window's fields (kept well under 1 KiB of state here).
    const budget = limits.syncPayloadBytes - 16 - ((this.settings.stream?.tumblingWindow ?? 0) > 0 ? 1024 : 0)
    return byLane.filter((l) => l.length > 0).map((l) => {
      const batches: Batch[] = []
      let current: ShardRecord[] = []
      let bytes = 0
      for (const r of l) {
        const size = Buffer.byteLength(JSON.stringify(this.record(shardId, r))) + 1
        if (current.length > 0 && (current.length >= batchSize || bytes + size > budget)) {
          batches.push({ records: current, attempts: 0 })
          current = []
          bytes = 0
        }
        current.push(r)
        bytes += size
      }
      if (current.length > 0) batches.push({ records: current, attempts: 0 })
      return batches
    })
  }

  /** The stream the mapping reads (the consumer's stream for an enhanced fan-out source). */
  private streamArn(): string {
    return this.deps.reader.streamArn?.(this.settings.sourceArn) ?? this.settings.sourceArn
  }

  /** The shard's position, stored with the mapping (durable checkpoints). */
  private commit(shardId: string, cursor: Cursor, after: string | undefined): void {
    cursor.pendingAfter = undefined
    if (after === undefined) return
    this.deps.checkpoint?.(shardId, { after, drained: cursor.drained })
  }

  private from(cursor: Cursor): ShardPosition {
    if (cursor.after === '') return 'TRIM_HORIZON'
    if (cursor.after !== undefined) return { after: cursor.after }
    const stream = this.settings.stream
    if (stream?.startingPosition === 'AT_TIMESTAMP') return { atTime: stream.startingTimestamp ?? 0 }
    return stream?.startingPosition === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON'
  }

  /** Invokes a lane's batches in turn; false when the lane must wait for the next poll (a failure to retry). */
  private async drainLane(shardId: string, lane: Batch[], cursor: Cursor): Promise<boolean> {
    while (lane.length > 0 && this.running) {
      if (!(await this.attempt(shardId, lane, cursor))) return false
    }
    return lane.length === 0
  }

  /** Invokes the lane's front batch; false when the lane must wait (a failure to retry). */
  private async attempt(shardId: string, lane: Batch[], cursor: Cursor): Promise<boolean> {
    const batch = lane[0]!
    const stream = this.settings.stream
    const maxAge = stream?.maxRecordAge ?? -1
    if (maxAge >= 0) {
      // Records older than MaximumRecordAgeInSeconds are discarded before Lambda invokes with them.
      const cutoff = this.deps.clock.now() - maxAge * 1000
      const expired = batch.records.filter((r) => r.approximateArrivalTimestamp < cutoff)
      if (expired.length > 0) {
        this.giveUp(shardId, { ...batch, records: expired }, 'RecordAgeExceeded')
        batch.records = batch.records.filter((r) => r.approximateArrivalTimestamp >= cutoff)
        if (batch.records.length === 0) {
          lane.shift()
          return true
        }
      }
    }
    const window = cursor.window
    const result = await this.deps.invoke(Buffer.from(JSON.stringify({ Records: batch.records.map((r) => this.record(shardId, r)),
      ...(window !== undefined && windowFields(window, shardId, this.streamArn(), false)) })))
    let outcome = outcomeOf(result, batch.records, this.settings.reportBatchItemFailures)
    if (window !== undefined && outcome.kind !== 'failed') {
      // In a tumbling window the response must carry `state`; without it the invocation failed.
      const state = answeredState(result)
      if (state === undefined) outcome = { kind: 'failed' }
      else {
        window.state = state
        if (stateTooLarge(state)) window.terminatedEarly = true
      }
    }
    batch.attempts += 1
    batch.last = result
    const failedFrom = outcome.kind === 'ok' ? batch.records.length : outcome.kind === 'partial' ? outcome.from : 0
    batch.records.forEach((r, i) => this.deps.hop(`${shardId}:${r.sequenceNumber}`, i < failedFrom ? 'delivered' : 'failed', batch.attempts))
    if (outcome.kind === 'ok') {
      lane.shift()
      return true
    }
    if (outcome.kind === 'partial') {
      // Checkpointed at the lowest failed sequence number: the retry starts there (with bisect too, AWS splits there).
      batch.records = batch.records.slice(outcome.from)
    } else if (stream?.bisect === true && batch.records.length > 1) {
      // Split in two and retry each half: the failing record ends up alone. Splitting doesn't count as a retry.
      const half = Math.ceil(batch.records.length / 2)
      lane.splice(0, 1, { records: batch.records.slice(0, half), attempts: batch.attempts - 1, last: result },
        { records: batch.records.slice(half), attempts: batch.attempts - 1, last: result })
      return false
    }
    const maxRetries = stream?.maxRetries ?? -1
    if (maxRetries >= 0 && batch.attempts > maxRetries) {
      this.giveUp(shardId, batch, 'RetryAttemptsExhausted')
      lane.shift()
      return true
    }
    return false
  }

  /** The window's final invocation (no records, its state); false when it failed: the shard waits until it succeeds. */
  private async closeWindow(shardId: string, cursor: Cursor): Promise<boolean> {
    const window = cursor.window!
    const result = await this.deps.invoke(Buffer.from(JSON.stringify({ Records: [],
      ...windowFields(window, shardId, this.streamArn(), true) })))
    if ('throttled' in result || result.outcome === 'error') return false
    cursor.window = undefined
    return true
  }

  /** A batch given up: logged, and its failure record sent to the OnFailure destination if there is one. */
  private giveUp(shardId: string, batch: Batch, condition: FailureCondition): void {
    const stream = this.settings.stream
    this.deps.log(`[lambda] ${this.deps.reader.label} mapping discarded ${batch.records.length} record(s) of ${shardId} (${condition}) after ${batch.attempts} attempt(s)`)
    if (stream?.onFailure === undefined || this.deps.onFailure === undefined) return
    const requestId = requestIdOf(batch.last)
    // An S3 destination also gets the whole invocation event (AWS: "the entire invocation record").
    const payload = /^arn:aws[a-z-]*:s3:::/.test(stream.onFailure)
      ? JSON.stringify({ Records: batch.records.map((r) => this.record(shardId, r)) }) : undefined
    const record = failureRecord({ functionArn: stream.functionArn, executedVersion: stream.executedVersion, shardId,
      streamArn: this.streamArn(), now: this.deps.clock.now(),
      batchInfo: this.deps.reader.batchInfo }, batch.records, condition, batch.attempts, batch.last, requestId, payload)
    this.deps.onFailure(stream.onFailure, record, requestId, shardId)
  }

  /** A record as Lambda hands it over (the source's shape). */
  private record(shardId: string, r: ShardRecord): EventRecord {
    return this.deps.reader.event(shardId, r as R, this.settings)
  }
}
