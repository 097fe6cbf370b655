// Where a shard's record data lives: in memory, or — with a data dir — in append-only segment files
// per shard, so retained records sit on disk and memory holds only a small index entry per record.
// The index (counter, arrival, partition key, size) is the shard's; this only stores and reads data.
import { closeSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync, ftruncateSync, writevSync } from 'node:fs'
import { join } from 'node:path'

export interface RecordEntry {
  /** The shard's record number: what positions and sequence numbers order by. */
  counter: number
  arrival: number
  partitionKey: string
  /** Data bytes (the partition key counts on top of these toward limits). */
  size: number
  /** In memory: the data itself. */
  data?: Buffer
  /** On disk: which segment (its first counter) and where the data starts. */
  segment?: number
  offset?: number
}

export interface ShardBodies {
  /** Stores the data of entries just appended (one write per call on disk). */
  append(entries: readonly RecordEntry[], data: readonly Buffer[]): void
  read(entry: RecordEntry): Buffer
  /** Every entry before this counter is gone: whole segments holding only such entries are deleted. */
  dropBefore(counter: number): void
  /** The shard's stored entries, oldest first (disk: scanned from its segments at start). */
  load(): RecordEntry[]
  close(): void
}

export const memoryBodies = (): ShardBodies => ({
  append: (entries, data) => entries.forEach((e, i) => { e.data = data[i] }),
  read: (entry) => entry.data!,
  dropBefore: () => {},
  load: () => [],
  close: () => {},
})

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

  append(entries: readonly RecordEntry[], data: readonly Buffer[]): void {
    if (entries.length === 0) return
    if (this.fd === undefined || this.size >= SEGMENT_BYTES) this.roll(entries[0]!.counter)
    // Headers and keys go into one small buffer; the data blobs are written from where they are
    // (one writev, no copy of a 5 MiB call into a joined buffer first).
    let headBytes = 0
    for (const e of entries) headBytes += HEADER + Buffer.byteLength(e.partitionKey, 'utf8')
    const heads = Buffer.allocUnsafe(headBytes)
    const parts: Buffer[] = []
    let h = 0
    let at = this.size
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!
      const blob = data[i]!
      const keyLength = heads.write(e.partitionKey, h + HEADER, 'utf8')
      heads.writeUInt32BE(HEADER + keyLength + blob.length, h)
      heads.writeDoubleBE(e.counter, h + 4)
      heads.writeDoubleBE(e.arrival, h + 12)
      heads.writeUInt16BE(keyLength, h + 20)
      parts.push(heads.subarray(h, h + HEADER + keyLength), blob)
      h += HEADER + keyLength
      e.segment = this.segment
      e.offset = at + HEADER + keyLength
      at += HEADER + keyLength + blob.length
    }
    // libuv writes every buffer (looping over short writes and IOV_MAX) before returning.
    writevSync(this.fd!, parts, this.size)
    this.size = at
  }

  read(entry: RecordEntry): Buffer {
    const seg = this.segments.find((s) => s.first === entry.segment)
    if (seg === undefined) return Buffer.alloc(0)
    const out = Buffer.allocUnsafe(entry.size)
    readSync(seg.fd, out, 0, entry.size, entry.offset!)
    return out
  }

  dropBefore(counter: number): void {
    // A segment is wholly before `counter` when the next one starts at or before it.
    while (this.segments.length > 1 && this.segments[1]!.first <= counter) {
      const old = this.segments.shift()!
      closeSync(old.fd)
      rmSync(this.path(old.first), { force: true })
    }
  }

  load(): RecordEntry[] {
    const firsts = readdirSync(this.dir).filter((f) => f.endsWith('.seg')).map((f) => Number(f.slice(0, -4))).sort((a, b) => a - b)
    const entries: RecordEntry[] = []
    for (const first of firsts) {
      const fd = openSync(this.path(first), 'r+')
      const size = statSync(this.path(first)).size
      const end = this.scan(fd, size, first, entries)
      // A frame cut short by a crash mid-append was never acknowledged: drop it.
      if (end < size) ftruncateSync(fd, end)
      this.segments.push({ first, fd })
      this.fd = fd
      this.segment = first
      this.size = end
    }
    return entries
  }

  private scan(fd: number, size: number, segment: number, into: RecordEntry[]): number {
    const head = Buffer.allocUnsafe(HEADER)
    let at = 0
    while (at + HEADER <= size) {
      readSync(fd, head, 0, HEADER, at)
      const length = head.readUInt32BE(0)
      const keyLength = head.readUInt16BE(20)
      if (length < HEADER + keyLength || at + length > size) break
      const key = Buffer.allocUnsafe(keyLength)
      readSync(fd, key, 0, keyLength, at + HEADER)
      into.push({ counter: head.readDoubleBE(4), arrival: head.readDoubleBE(12), partitionKey: key.toString('utf8'),
        size: length - HEADER - keyLength, segment, offset: at + HEADER + keyLength })
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
