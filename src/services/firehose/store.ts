// The delivery streams of every account and region, accepting records and handing them to delivery.
import type { Clock } from '../../core/clock.ts'
import { AccountRegionStore } from '../../storage/account-region-store.ts'
import type { KinesisOrigin } from './buffered-record.ts'
import { type Batch, type BufferedRecord, DeliveryStream, type StreamInit } from './delivery-stream.ts'
import type { Delivery } from './delivery.ts'
import { firehoseErrors } from './errors.ts'
import { limits } from './limits.ts'
import type { BatchRow, FirehoseRows } from './firehose-rows.ts'
import type { Processed } from './processing.ts'
import type { FirehoseMetrics } from './metrics.ts'
import { PutThrottle } from './put-quota.ts'

export class FirehoseState {
  readonly clock: Clock
  readonly rows: FirehoseRows | undefined
  readonly delivery: Delivery
  private readonly regions = new AccountRegionStore(() => new Map<string, DeliveryStream>())
  /** Data transformation's first stage (set by index.ts once built; it checks the loaded streams then). */
  transform: { check(stream: DeliveryStream): void; reconfigured(stream: DeliveryStream): void; forget(stream: DeliveryStream): void } | undefined
  /** Reads Kinesis-sourced streams' sources (set by index.ts once built; it watches the loaded streams then). */
  source: { watch(stream: DeliveryStream): void; forget(stream: DeliveryStream): void; requireStream(streamArn: string): void } | undefined
  /** AWS/Firehose's per-minute counters (set by index.ts). */
  metrics: FirehoseMetrics | undefined
  /** Direct PUT's per-second quota (index.ts replaces it when Nimbus is given its own). */
  putThrottle = new PutThrottle()
  private seq = 0
  private uid = 0
  /**
   * Streams deleted less than `limits.deletingMs` of the clock ago (AWS: "the Firehose stream is marked
   * for deletion, and it goes into the DELETING state"): Describe and List still show them, DELETING, and
   * their names stay taken. Their data is gone already; kept in memory only [R].
   */
  private readonly deletingStreams = new AccountRegionStore(() => new Map<string, { stream: DeliveryStream; at: number }>())

  constructor(clock: Clock, delivery: Delivery, rows?: FirehoseRows) {
    this.clock = clock
    this.delivery = delivery
    this.rows = rows
    if (rows !== undefined) this.load(rows)
  }

  /** Streams, their buffered records and their batches back from the rows; delivery wakes at the stored times. */
  private load(rows: FirehoseRows): void {
    const { streams, records, batches } = rows.load()
    const byUid = new Map<number, DeliveryStream>()
    for (const row of streams) {
      const stream = new DeliveryStream({ uid: row.uid, name: row.name, account: row.account, region: row.region, type: row.type,
        createdAt: row.createdAt, legacy: row.legacy, settings: row.settings, source: row.source, http: row.http })
      stream.version = row.version
      stream.updatedAt = row.updatedAt
      stream.encryption = row.encryption
      stream.encryptionCalls = row.encryptionCalls ?? []
      for (const [k, v] of row.tags) stream.tags.set(k, v)
      for (const [shard, position] of row.positions ?? []) stream.positions.set(shard, position)
      this.regions.get(row.account, row.region).set(row.name, stream)
      byUid.set(row.uid, stream)
      if (row.uid > this.uid) this.uid = row.uid
    }
    const batchOf = new Map<number, Array<{ id: number; first: number; last: number; seqs?: Set<number> }>>()
    const failuresOf = new Map<Batch, NonNullable<BatchRow['failures']>>()
    for (const [id, row] of batches) {
      const stream = byUid.get(row.s)
      if (stream === undefined) continue
      stream.batches.set(id, { id, records: [], pending: row.pending, firstAttempt: row.firstAttempt, nextAttempt: row.nextAttempt, attempts: row.attempts,
        ...(row.seqs !== undefined ? { partial: true } : {}), ...(row.httpFailure !== undefined ? { httpFailure: row.httpFailure } : {}) })
      if (row.failures !== undefined) failuresOf.set(stream.batches.get(id)!, row.failures)
      batchOf.set(row.s, [...(batchOf.get(row.s) ?? []), { id, first: row.first, last: row.last, seqs: row.seqs && new Set(row.seqs) }])
      this.delivery.seen(id)
    }
    for (const [seq, row] of records.sort((a, b) => a[0] - b[0])) {
      if (seq > this.seq) this.seq = seq
      const stream = byUid.get(row.s)
      if (stream === undefined) continue
      const record: BufferedRecord = { seq, data: Buffer.from(row.d, 'base64'), arrival: row.t, ...(row.k !== undefined && { kinesis: row.k }),
        ...(row.x === 1 && { transformed: true, buffered: row.b, ...(row.p !== undefined && { keys: row.p }) }) }
      // A listed batch names its records; a range batch takes the rest of its range.
      const ofStream = batchOf.get(row.s)
      const batch = ofStream?.find((b) => b.seqs?.has(seq) === true) ?? ofStream?.find((b) => b.seqs === undefined && seq >= b.first && seq <= b.last)
      if (batch !== undefined) stream.batches.get(batch.id)!.records.push(record)
      // A source record the Lambda had not answered for yet goes back to the processor's buffer (transformed again).
      else if (record.transformed !== true && stream.stages.transform !== undefined) stream.stage(record)
      else stream.append(record)
    }
    for (const [batch, failures] of failuresOf) {
      const bySeq = new Map(batch.records.map((r) => [r.seq, r]))
      batch.failures = true
      batch.processed = { ok: [], partitions: [], failed: failures.flatMap(([seq, errorCode, errorMessage, attempts, endedAt, errorType, lambdaArn]) => {
        const record = bySeq.get(seq)
        return record === undefined ? [] : [{ record, errorCode, errorMessage, attempts, endedAt, errorType: errorType as Processed['failed'][number]['errorType'],
          ...(lambdaArn !== undefined && { lambdaArn }) }]
      }) }
    }
    for (const stream of byUid.values()) {
      for (const batch of stream.batches.values()) if (batch.records.length === 0) stream.batches.delete(batch.id)
      this.delivery.resume(stream)
    }
  }

  streams(account: string, region: string): Map<string, DeliveryStream> {
    return this.regions.get(account, region)
  }

  find(account: string, region: string, name: string): DeliveryStream | undefined {
    return this.regions.peek(account, region)?.get(name)
  }

  require(account: string, region: string, name: string): DeliveryStream {
    const stream = this.find(account, region, name)
    if (stream === undefined) throw firehoseErrors.notFound(name, account)
    return stream
  }

  /** A stream still DELETING (deleted less than `limits.deletingMs` ago), else undefined. */
  deleting(account: string, region: string, name: string): DeliveryStream | undefined {
    const streams = this.deletingStreams.peek(account, region)
    const entry = streams?.get(name)
    if (entry === undefined) return undefined
    if (this.clock.now() - entry.at < limits.deletingMs) return entry.stream
    streams!.delete(name)
    return undefined
  }

  /** Deleted streams kept as DELETING, in every account and region (tests: expired ones don't pile up). */
  get deletingCount(): number {
    let n = 0
    for (const streams of this.deletingStreams.all()) n += streams.size
    return n
  }

  /** The streams of an account and region still DELETING. */
  deletingIn(account: string, region: string): DeliveryStream[] {
    return [...this.deletingStreams.peek(account, region)?.keys() ?? []].flatMap((name) => this.deleting(account, region, name) ?? [])
  }

  create(init: Omit<StreamInit, 'uid' | 'createdAt'>): DeliveryStream {
    const streams = this.streams(init.account, init.region)
    if (streams.has(init.name) || this.deleting(init.account, init.region, init.name) !== undefined) throw firehoseErrors.inUse(init.name, init.account)
    const stream = new DeliveryStream({ ...init, uid: ++this.uid, createdAt: this.clock.now() })
    streams.set(init.name, stream)
    this.saved(stream)
    this.source?.watch(stream)
    return stream
  }

  saved(stream: DeliveryStream): void {
    this.rows?.stream(stream)
  }

  /** Buffered records are dropped with the stream (AWS deletes a stream's undelivered data with it). */
  delete(stream: DeliveryStream): void {
    this.regions.peek(stream.account, stream.region)?.delete(stream.name)
    this.delivery.forget(stream)
    this.source?.forget(stream)
    this.rows?.streamGone(stream)
    this.transform?.forget(stream)
    stream.buffer = []
    stream.batches.clear()
    // Those whose DELETING has passed go now, asked about or not: the map holds only the last few seconds' deletions.
    const now = this.clock.now()
    const deleting = this.deletingStreams.get(stream.account, stream.region)
    for (const [name, entry] of deleting) if (now - entry.at >= limits.deletingMs) deleting.delete(name)
    deleting.set(stream.name, { stream, at: now })
  }

  /** Appends records (already validated) and lets delivery cut or schedule; returns their seqs. */
  put(stream: DeliveryStream, data: readonly Buffer[], origins?: readonly KinesisOrigin[]): number[] {
    const now = this.clock.now()
    const staged = stream.stages.transform !== undefined && this.transform !== undefined
    const seqs: number[] = []
    for (const [i, d] of data.entries()) {
      const origin = origins?.[i]
      const record: BufferedRecord = { seq: ++this.seq, data: d, arrival: now, ...(origin !== undefined && { kinesis: origin }) }
      this.rows?.record(stream.uid, record)
      seqs.push(record.seq)
      // A Lambda processor buffers on its own hints first (transform-stage.ts).
      if (staged) {
        stream.stage(record)
        if (stream.stagedFull()) this.transform!.check(stream)
        continue
      }
      stream.append(record)
      // A buffer that fills mid-batch is cut there: the object stays near SizeInMBs.
      if (stream.full()) this.delivery.accepted(stream)
    }
    if (staged) this.transform!.check(stream)
    else this.delivery.accepted(stream)
    return seqs
  }

  /** A record seq for records made inside the service (a transformation's output). */
  nextSeq(): number {
    return ++this.seq
  }

  all(): DeliveryStream[] {
    return [...this.regions.all()].flatMap((m) => [...m.values()])
  }

  reset(): void {
    for (const stream of this.all()) {
      this.delivery.forget(stream)
      this.source?.forget(stream)
      this.transform?.forget(stream)
      stream.batches.clear()
    }
    this.regions.clear()
    this.deletingStreams.clear()
    this.rows?.clear()
  }
}
