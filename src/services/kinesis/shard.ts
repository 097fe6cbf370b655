// A shard: its hash key range and lineage, its records (index in memory, data in memory or on disk),
// and its per-second throughput windows on the clock. Synchronous; the stream decides who may call.
import { limits } from './limits.ts'
import type { RecordEntry, ShardBodies } from './record-bodies.ts'
import { sequenceFormatter, shardIdOf } from './sequence-numbers.ts'

export interface ShardMeta {
  index: number
  start: string
  end: string
  parent?: string
  adjacentParent?: string
  createdAt: number
  closedAt?: number
  /** The counter of the shard's last record when it closed (its EndingSequenceNumber). */
  endCounter?: number
}

export interface ReadRecord {
  entry: RecordEntry
  data: Buffer
}

export class Shard {
  readonly id: string
  readonly start: bigint
  readonly end: bigint
  /** Records retained, oldest first; `head` skips the ones retention dropped (spliced off in batches). */
  private entries: RecordEntry[] = []
  private head = 0
  nextCounter = 1
  private readonly listeners = new Set<() => void>()
  private writeSecond = -1
  private writeBytes = 0
  private writeRecords = 0
  private readSecond = -1
  private readCalls = 0
  private readBytes = 0
  /** A read past 2 MiB blocks the shard's reads until its bytes are paid off at 2 MiB/s (AWS: a 10 MiB read blocks 5 s). */
  private readBlockedUntil = 0

  readonly meta: ShardMeta
  readonly bodies: ShardBodies

  constructor(meta: ShardMeta, streamEpoch: number, bodies: ShardBodies) {
    this.meta = meta
    this.bodies = bodies
    this.sequenceOf = sequenceFormatter(meta.index, streamEpoch)
    this.id = shardIdOf(meta.index)
    this.start = BigInt(meta.start)
    this.end = BigInt(meta.end)
    for (const entry of bodies.load()) this.entries.push(entry)
    const last = this.entries.at(-1)
    if (last !== undefined) this.nextCounter = last.counter + 1
    if (meta.endCounter !== undefined && meta.endCounter >= this.nextCounter) this.nextCounter = meta.endCounter + 1
  }

  get open(): boolean {
    return this.meta.closedAt === undefined
  }

  readonly sequenceOf: (counter: number, arrival: number) => string

  get startingSequence(): string {
    return this.sequenceOf(0, this.meta.createdAt)
  }
  get endingSequence(): string | undefined {
    return this.meta.closedAt === undefined ? undefined : this.sequenceOf(this.meta.endCounter ?? 0, this.meta.closedAt)
  }

  /** Whether a write of this size fits the shard's 1 MiB / 1,000 records in this second of the clock; counts it if so. */
  admitWrite(now: number, bytes: number): boolean {
    const second = Math.floor(now / 1000)
    if (second !== this.writeSecond) {
      this.writeSecond = second
      this.writeBytes = 0
      this.writeRecords = 0
    }
    if (this.writeRecords + 1 > limits.shardWriteRecords || this.writeBytes + bytes > limits.shardWriteBytes) return false
    this.writeRecords += 1
    this.writeBytes += bytes
    return true
  }

  /** 5 GetRecords calls and 2 MiB per second of the clock: false when this call is over (nothing counted). */
  admitRead(now: number): boolean {
    if (now < this.readBlockedUntil) return false
    const second = Math.floor(now / 1000)
    if (second !== this.readSecond) {
      this.readSecond = second
      this.readCalls = 0
      this.readBytes = 0
    }
    if (this.readCalls >= limits.shardReadCalls || this.readBytes >= limits.shardReadBytes) return false
    this.readCalls += 1
    return true
  }

  countRead(bytes: number): void {
    this.readBytes += bytes
    if (this.readBytes > limits.shardReadBytes) {
      this.readBlockedUntil = (this.readSecond + Math.ceil(this.readBytes / limits.shardReadBytes)) * 1000
    }
  }

  /** Appends records (already admitted); returns their entries in order. Wakes SubscribeToShard readers. */
  append(records: ReadonlyArray<{ partitionKey: string; data: Buffer }>, arrival: number): RecordEntry[] {
    const added = records.map((r): RecordEntry => ({ counter: this.nextCounter++, arrival, partitionKey: r.partitionKey, size: r.data.length }))
    this.bodies.append(added, records.map((r) => r.data))
    for (const e of added) this.entries.push(e)
    if (this.listeners.size > 0) for (const listener of [...this.listeners]) listener()
    return added
  }

  /** Called after each append (enhanced fan-out subscriptions wait on it); returns the unsubscriber. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  close(now: number): void {
    this.meta.closedAt = now
    this.meta.endCounter = this.nextCounter - 1
  }

  /** Retention, lazily: drops records that arrived before `cutoff` (from memory, and whole segments on disk). */
  trim(cutoff: number): void {
    const entries = this.entries
    let head = this.head
    while (head < entries.length && entries[head]!.arrival < cutoff) head++
    if (head === this.head) return
    this.head = head
    this.bodies.dropBefore(head < entries.length ? entries[head]!.counter : this.nextCounter)
    if (head > 1024 && head * 2 > entries.length) {
      this.entries = entries.slice(head)
      this.head = 0
    }
  }

  /** Counter of the oldest retained record (TRIM_HORIZON), or the next one when empty. */
  get trimHorizon(): number {
    return this.entries[this.head]?.counter ?? this.nextCounter
  }

  /** The first retained record at or after a counter (binary search), as an index into entries. */
  private indexAt(counter: number): number {
    let lo = this.head
    let hi = this.entries.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.entries[mid]!.counter < counter) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** The counter of the first record that arrived at or after `time` (AT_TIMESTAMP), else the next one. */
  counterAtTime(time: number): number {
    for (let i = this.head; i < this.entries.length; i++) if (this.entries[i]!.arrival >= time) return this.entries[i]!.counter
    return this.nextCounter
  }

  /** Up to `limit` records from `position` within `maxBytes` (at least one record is always returned when any exist). */
  read(position: number, limit: number, maxBytes: number): ReadRecord[] {
    const out: ReadRecord[] = []
    let bytes = 0
    for (let i = this.indexAt(position); i < this.entries.length && out.length < limit; i++) {
      const entry = this.entries[i]!
      if (out.length > 0 && bytes + entry.size > maxBytes) break
      out.push({ entry, data: this.bodies.read(entry) })
      bytes += entry.size
    }
    return out
  }

  /** The arrival of the newest record (for MillisBehindLatest), if any. */
  get latestArrival(): number | undefined {
    return this.entries.length > this.head ? this.entries.at(-1)!.arrival : undefined
  }

  get retainedRecords(): number {
    return this.entries.length - this.head
  }

  /** The second of the clock writes were last admitted in, and their bytes (on-demand scaling watches it). */
  get writeWindow(): { second: number; bytes: number } {
    return { second: this.writeSecond, bytes: this.writeBytes }
  }
}
