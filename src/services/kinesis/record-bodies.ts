// Where a shard's record bytes live — with a data dir, in append-only segment files per shard, so
// retained records sit on disk and memory holds only their index rows (record-index.ts); in memory,
// in slabs (memory-bodies.ts). The index is the shard's; a store writes rows' locations and reads them.
import { closeSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync, ftruncateSync, writevSync } from 'node:fs'
import { join } from 'node:path'
import type { RecordIndex } from './record-index.ts'

/** A record as reads hand it out (materialised from the shard's index and its stored bytes). */
export interface RecordEntry {
  /** The shard's record number: what positions and sequence numbers order by. */
  counter: number
  arrival: number
  partitionKey: string
  /** Data bytes (the partition key counts on top of these toward limits). */
  size: number
}

export interface ShardBodies {
  /** Stores records that arrived together (counters from `firstCounter` on) and adds their rows to the index. */
  append(index: RecordIndex, firstCounter: number, arrival: number, keys: readonly string[], data: readonly Buffer[]): void
  /** The partition key and data of a row. */
  read(index: RecordIndex, row: number): { partitionKey: string; data: Buffer }
  /** Rows before this one are being trimmed: storage holding only those is let go (whole slabs or segment files). */
  dropBefore(index: RecordIndex, row: number): void
  /** Disk: the shard's stored records scanned into the index at start, oldest first. */
  load(index: RecordIndex): void
  close(): void
}

/** A segment is closed and a new one begun past this size, so retention can delete old data file by file. */
const SEGMENT_BYTES = 64 * 1_048_576
/** Frame header: u32 frame length, f64 counter, f64 arrival, u16 partition-key length. */
const HEADER = 4 + 8 + 8 + 2

export class DiskBodies implements ShardBodies {
  private fd: number | undefined
  private segment = -1
  private size = 0
  /** Segments by first counter, oldest first, with an open read descriptor each. */
  private readonly segments: Array<{ first: number; fd: number }> = []

  private readonly dir: string

  constructor(dir: string) {
    this.dir = dir
    mkdirSync(dir, { recursive: true })
  }

  append(index: RecordIndex, firstCounter: number, arrival: number, keys: readonly string[], data: readonly Buffer[]): void {
    if (keys.length === 0) return
    if (this.fd === undefined || this.size >= SEGMENT_BYTES) this.roll(firstCounter)
    // Headers and keys go into one small buffer; the data blobs are written from where they are
    // (one writev, no copy of a 5 MiB call into a joined buffer first).
    let headBytes = 0
    for (const key of keys) headBytes += HEADER + Buffer.byteLength(key, 'utf8')
    const heads = Buffer.allocUnsafe(headBytes)
    const parts: Buffer[] = []
    let h = 0
    let at = this.size
    for (let i = 0; i < keys.length; i++) {
      const blob = data[i]!
      const keyLength = heads.write(keys[i]!, h + HEADER, 'utf8')
      heads.writeUInt32BE(HEADER + keyLength + blob.length, h)
      heads.writeDoubleBE(firstCounter + i, h + 4)
      heads.writeDoubleBE(arrival, h + 12)
      heads.writeUInt16BE(keyLength, h + 20)
      parts.push(heads.subarray(h, h + HEADER + keyLength), blob)
      h += HEADER + keyLength
      index.push(firstCounter + i, arrival, blob.length, keyLength, this.segment, at + HEADER + keyLength)
      at += HEADER + keyLength + blob.length
    }
    // libuv writes every buffer (looping over short writes and IOV_MAX) before returning.
    writevSync(this.fd!, parts, this.size)
    this.size = at
  }

  read(index: RecordIndex, row: number): { partitionKey: string; data: Buffer } {
    const segment = index.block[row]!
    const seg = this.segments.find((s) => s.first === segment)
    const keyBytes = index.keyBytes[row]!
    const size = index.size[row]!
    if (seg === undefined) return { partitionKey: '', data: Buffer.alloc(0) }
    // Key and data are adjacent in the frame: one read for both.
    const out = Buffer.allocUnsafe(keyBytes + size)
    readSync(seg.fd, out, 0, keyBytes + size, index.offset[row]! - keyBytes)
    return { partitionKey: out.toString('utf8', 0, keyBytes), data: out.subarray(keyBytes) }
  }

  dropBefore(index: RecordIndex, row: number): void {
    const counter = row < index.length ? index.counter[row]! : Number.POSITIVE_INFINITY
    // A segment is wholly before `counter` when the next one starts at or before it.
    while (this.segments.length > 1 && this.segments[1]!.first <= counter) {
      const old = this.segments.shift()!
      closeSync(old.fd)
      rmSync(this.path(old.first), { force: true })
    }
  }

  load(index: RecordIndex): void {
    const firsts = readdirSync(this.dir).filter((f) => f.endsWith('.seg')).map((f) => Number(f.slice(0, -4))).sort((a, b) => a - b)
    for (const first of firsts) {
      const fd = openSync(this.path(first), 'r+')
      const size = statSync(this.path(first)).size
      const end = this.scan(fd, size, first, index)
      // A frame cut short by a crash mid-append was never acknowledged: drop it.
      if (end < size) ftruncateSync(fd, end)
      this.segments.push({ first, fd })
      this.fd = fd
      this.segment = first
      this.size = end
    }
  }

  private scan(fd: number, size: number, segment: number, into: RecordIndex): number {
    const head = Buffer.allocUnsafe(HEADER)
    let at = 0
    while (at + HEADER <= size) {
      readSync(fd, head, 0, HEADER, at)
      const length = head.readUInt32BE(0)
      const keyLength = head.readUInt16BE(20)
      if (length < HEADER + keyLength || at + length > size) break
      // Keys stay on disk: a read fetches key and data together.
      into.push(head.readDoubleBE(4), head.readDoubleBE(12), length - HEADER - keyLength, keyLength, segment, at + HEADER + keyLength)
      at += length
    }
    return at
  }

  private roll(first: number): void {
    const fd = openSync(this.path(first), 'w+')
    this.segments.push({ first, fd })
    this.fd = fd
    this.segment = first
    this.size = 0
  }

  private path(first: number): string {
    return join(this.dir, `${String(first).padStart(16, '0')}.seg`)
  }

  close(): void {
    for (const s of this.segments) closeSync(s.fd)
    this.segments.length = 0
    this.fd = undefined
  }
}
