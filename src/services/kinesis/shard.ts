// A shard: its hash key range and lineage, its records (index in memory, data in memory or on disk),
// and its per-second throughput windows on the clock. Synchronous; the stream decides who may call.
import { limits } from './limits.ts'
import type { RecordEntry, ShardBodies } from './record-bodies.ts'
import { RecordIndex } from './record-index.ts'
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
  /** Records retained, oldest first, as index rows; its head skips the ones retention dropped. */
  private readonly index = new RecordIndex()
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
  /** A large record's burst: writes wait until its bytes are paid off at 1 MiB/s. */
  private writeBlockedUntil = 0

  readonly meta: ShardMeta
  readonly bodies: ShardBodies

  constructor(meta: ShardMeta, streamEpoch: number, bodies: ShardBodies) {
    this.meta = meta
    this.bodies = bodies
    this.sequenceOf = sequenceFormatter(meta.index, streamEpoch)
    this.id = shardIdOf(meta.index)
    this.start = BigInt(meta.start)
    this.end = BigInt(meta.end)
    bodies.load(this.index)
    if (this.index.length > 0) this.nextCounter = this.index.counter[this.index.length - 1]! + 1
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
    if (now < this.writeBlockedUntil) return false
    const second = Math.floor(now / 1000)
    if (second !== this.writeSecond) {
      this.writeSecond = second
      this.writeBytes = 0
      this.writeRecords = 0
    }
    if (this.writeRecords + 1 > limits.shardWriteRecords) return false
    if (this.writeBytes + bytes > limits.shardWriteBytes) {
      // Only a record past 1 MiB on its own (a large-record stream) bursts: AWS's write capacity is
      // "a tank … refilled at a steady rate" that a large record drains. Here the shard then takes no
      // writes until its second's bytes are paid off at 1 MiB/s (a 10 MiB record: 10 s).
      if (bytes <= limits.shardWriteBytes) return false
      this.writeBlockedUntil = (second + Math.ceil((this.writeBytes + bytes) / limits.shardWriteBytes)) * 1000
    }
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

  /** Appends records (already admitted); returns the first one's counter (the rest follow it). Wakes SubscribeToShard readers. */
  append(keys: readonly string[], data: readonly Buffer[], arrival: number): number {
    const first = this.nextCounter
    this.nextCounter += keys.length
    this.bodies.append(this.index, first, arrival, keys, data)
    if (this.listeners.size > 0) for (const listener of [...this.listeners]) listener()
    return first
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
    const index = this.index
    let head = index.head
    while (head < index.length && index.arrival[head]! < cutoff) head++
    if (head === index.head) return
    this.bodies.dropBefore(index, head)
    index.trimTo(head)
  }

  /** Counter of the oldest retained record (TRIM_HORIZON), or the next one when empty. */
  get trimHorizon(): number {
    return this.index.retained > 0 ? this.index.counter[this.index.head]! : this.nextCounter
  }

  /** The counter of the first record that arrived at or after `time` (AT_TIMESTAMP), else the next one. */
  counterAtTime(time: number): number {
    const { arrival, counter, length } = this.index
    for (let i = this.index.head; i < length; i++) if (arrival[i]! >= time) return counter[i]!
    return this.nextCounter
  }

  /** Up to `limit` records from `position` within `maxBytes` (at least one record is always returned when any exist). */
  read(position: number, limit: number, maxBytes: number): ReadRecord[] {
    const out: ReadRecord[] = []
    const index = this.index
    let bytes = 0
    for (let i = index.rowAt(position); i < index.length && out.length < limit; i++) {
      const size = index.size[i]!
      if (out.length > 0 && bytes + size > maxBytes) break
      const { partitionKey, data } = this.bodies.read(index, i)
      out.push({ entry: { counter: index.counter[i]!, arrival: index.arrival[i]!, partitionKey, size }, data })
      bytes += size
    }
    return out
  }

  /** The arrival of the newest record (for MillisBehindLatest), if any. */
  get latestArrival(): number | undefined {
    return this.index.retained > 0 ? this.index.arrival[this.index.length - 1] : undefined
  }

  get retainedRecords(): number {
    return this.index.retained
  }

  /** The second of the clock writes were last admitted in, their bytes and records (on-demand scaling watches it). */
  get writeWindow(): { second: number; bytes: number; records: number } {
    return { second: this.writeSecond, bytes: this.writeBytes, records: this.writeRecords }
  }
}
