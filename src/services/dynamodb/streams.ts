// A table's DynamoDB stream: its settings (view type, label, status instants) and its change records,
// kept 24 h on the clock (trimmed lazily on write and read). One open shard per stream (README, By design).
import { randomUUID } from 'node:crypto'
import { type Item, itemSize, valuesEqual } from './attribute-value.ts'
import { keyOf, type KeySchema } from './keys.ts'
import type { DynamoStreamRecord } from './port.ts'

export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES'

export interface StreamDefinition {
  arn: string
  label: string
  tableName: string
  tableId: string
  account: string
  region: string
  key: KeySchema
  viewType: StreamViewType
  createdAt: number
  shardId: string
  /** The shard's StartingSequenceNumber. */
  startSeq: string
  /** Set by UpdateTable StreamEnabled false or DeleteTable: the stream is DISABLED, its shard closed. */
  disabledAt?: number
}

/** One change as the stream keeps it: the port's record (other services read it through the port). */
export type StreamRecord = DynamoStreamRecord

/** Stream records are kept this long; a disabled stream stays readable (and listed) as long. */
export const retentionMs = 24 * 60 * 60_000

/** Sequence numbers: 21+ digits, increasing, at least 10^6 × the clock's milliseconds (monotonic across restarts). */
const seqBase = 10n ** 20n

export function compareSeq(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0
}

export class Stream {
  readonly def: StreamDefinition
  readonly records: StreamRecord[] = []
  /** The sequence number of the newest trimmed record ('0' when none was trimmed). */
  trimmedThrough = '0'
  private last: bigint

  constructor(def: StreamDefinition) {
    this.def = def
    this.last = BigInt(def.startSeq) - 1n
  }

  static create(table: { name: string; id: string; account: string; region: string; key: KeySchema; arn: string }, viewType: StreamViewType, now: number): Stream {
    // AWS's label is the creation instant as an ISO-8601 timestamp (millisecond precision).
    const label = new Date(now).toISOString().replace('Z', '')
    const shardId = `shardId-${String(now).padStart(20, '0')}-${randomUUID().slice(0, 8)}`
    return new Stream({
      arn: `${table.arn}/stream/${label}`, label, tableName: table.name, tableId: table.id, account: table.account, region: table.region,
      key: table.key, viewType, createdAt: now, shardId, startSeq: String(seqBase + BigInt(now) * 1_000_000n),
    })
  }

  /** Records read back at load, in order. */
  restore(record: StreamRecord): void {
    this.records.push(record)
    this.last = BigInt(record.seq)
  }

  enabled(): boolean {
    return this.def.disabledAt === undefined
  }

  lastSeq(): string {
    return String(this.last)
  }

  /** The change as a record, or undefined when the write changed nothing (AWS writes none then). */
  append(now: number, old: Item | undefined, next: Item | undefined, ttl: boolean): StreamRecord | undefined {
    if (old === undefined && next === undefined) return undefined
    if (old !== undefined && next !== undefined && sameItem(old, next)) return undefined
    const floor = seqBase + BigInt(now) * 1_000_000n
    this.last = this.last + 1n > floor ? this.last + 1n : floor
    const view = this.def.viewType
    const keys = keyOf(this.def.key, (next ?? old)!)
    const newImage = next !== undefined && (view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES') ? next : undefined
    const oldImage = old !== undefined && (view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES') ? old : undefined
    const record: StreamRecord = {
      seq: String(this.last), at: now, eventId: randomUUID().replaceAll('-', ''),
      eventName: old === undefined ? 'INSERT' : next === undefined ? 'REMOVE' : 'MODIFY', keys,
      ...(newImage !== undefined && { newImage }), ...(oldImage !== undefined && { oldImage }),
      // The record's data as DynamoDB sizes it: keys plus the images it carries.
      sizeBytes: itemSize(keys) + (newImage === undefined ? 0 : itemSize(newImage)) + (oldImage === undefined ? 0 : itemSize(oldImage)),
      ...(ttl && { ttl: true as const }),
    }
    this.records.push(record)
    return record
  }

  /** Drops records older than 24 h; returns them (their rows go too). */
  trim(now: number): StreamRecord[] {
    let n = 0
    while (n < this.records.length && this.records[n]!.at <= now - retentionMs) n++
    if (n === 0) return []
    const gone = this.records.splice(0, n)
    this.trimmedThrough = gone[gone.length - 1]!.seq
    return gone
  }

  /** Index of the first record whose sequence number is above `seq` (or at it, when inclusive). */
  indexAfter(seq: string, inclusive: boolean): number {
    let lo = 0
    let hi = this.records.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const c = compareSeq(this.records[mid]!.seq, seq)
      if (c < 0 || (c === 0 && !inclusive)) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

/** Whether two items hold the same attributes and values (an update that changed nothing). */
export function sameItem(a: Item, b: Item): boolean {
  const ka = Object.keys(a)
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] !== undefined && valuesEqual(a[k]!, b[k]!))
}
