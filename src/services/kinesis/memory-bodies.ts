// A shard's record bytes in memory without a data dir: partition key and data appended to one byte
// stream cut into slabs (16 KiB, doubling up to 32 MiB), so memory grows by the records' bytes (no
// Buffer or string per record; the index holds each record's position). Retention lets go of whole
// slabs before the oldest record.
import type { RecordIndex } from './record-index.ts'
import type { ShardBodies } from './record-bodies.ts'

/**
 * The largest slab. Past glibc's largest mmap threshold (32 MiB), so each is its own mapping: its
 * unwritten tail is never resident, and a freed slab goes back to the system rather than leaving a
 * hole that 5 MiB request bodies then fragment (measured: ~70 MB less RSS after a 60 s flood than
 * with 1 MiB slabs).
 */
export const SLAB_BYTES = 32 * 1_048_576
/** A shard's first slab; each next one is twice the last up to SLAB_BYTES (most test streams hold a few records). */
const FIRST_SLAB_BYTES = 16 * 1024

// String.prototype.isWellFormed (ES2024; Node 20+), past the TypeScript lib this project targets.
const wellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed()

export class MemoryBodies implements ShardBodies {
  /** Retained slabs, oldest first, and the stream position each starts at. Never copied or grown. */
  private readonly slabs: Buffer[] = []
  private readonly starts: number[] = []
  /** Slabs ever made (sizes double from the first). */
  private made = 0
  /** The next position written. */
  private end = 0
  /** Keys that are not well-formed UTF-16 (a lone surrogate from a JSON escape), by counter: UTF-8 would not give them back. */
  private readonly oddKeys = new Map<number, string>()
  private readonly maxSlab: number

  /** `maxSlab` other than SLAB_BYTES: tests, to cross slab boundaries with small records. */
  constructor(maxSlab = SLAB_BYTES) {
    this.maxSlab = maxSlab
  }

  append(index: RecordIndex, firstCounter: number, arrival: number, keys: readonly string[], data: readonly Buffer[]): void {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!
      const blob = data[i]!
      const at = this.end
      const keyBytes = this.writeKey(key)
      if (!wellFormed(key)) this.oddKeys.set(firstCounter + i, key)
      this.writeBytes(blob)
      index.push(firstCounter + i, arrival, blob.length, keyBytes, at, 0)
    }
  }

  read(index: RecordIndex, row: number): { partitionKey: string; data: Buffer } {
    const at = index.block[row]!
    const keyBytes = index.keyBytes[row]!
    const odd = this.oddKeys.size > 0 ? this.oddKeys.get(index.counter[row]!) : undefined
    const partitionKey = odd ?? this.bytes(at, keyBytes).toString('utf8')
    return { partitionKey, data: this.bytes(at + keyBytes, index.size[row]!) }
  }

  dropBefore(index: RecordIndex, row: number): void {
    const keep = row < index.length ? index.block[row]! : this.end
    // The slab being written stays; any wholly before the oldest retained record goes.
    while (this.slabs.length > 1 && this.starts[0]! + this.slabs[0]!.length <= keep) {
      this.slabs.shift()
      this.starts.shift()
    }
    if (this.oddKeys.size > 0) {
      const counter = row < index.length ? index.counter[row]! : Number.POSITIVE_INFINITY
      for (const c of this.oddKeys.keys()) if (c < counter) this.oddKeys.delete(c)
    }
  }

  load(): void {}

  close(): void {
    this.slabs.length = 0
    this.starts.length = 0
    this.oddKeys.clear()
  }

  /** The retained slab holding a position (binary search: a shard holds a few dozen at most). */
  private slabAt(at: number): number {
    let lo = 0
    let hi = this.starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1
      if (this.starts[mid]! <= at) lo = mid
      else hi = mid - 1
    }
    return lo
  }

  /** The bytes at a position: a view when they sit in one slab, else a copy joined from the slabs they span. */
  private bytes(at: number, length: number): Buffer {
    if (length === 0) return Buffer.alloc(0)
    let k = this.slabAt(at)
    let offset = at - this.starts[k]!
    const slab = this.slabs[k]!
    if (offset + length <= slab.length) return slab.subarray(offset, offset + length)
    const out = Buffer.allocUnsafe(length)
    let done = 0
    while (done < length) {
      const from = this.slabs[k]!
      const n = Math.min(length - done, from.length - offset)
      from.copy(out, done, offset, offset + n)
      done += n
      k++
      offset = 0
    }
    return out
  }

  /** Room left in the slab being written (0 before the first). */
  private room(): number {
    const last = this.slabs.length - 1
    return last < 0 ? 0 : this.starts[last]! + this.slabs[last]!.length - this.end
  }

  /** Writes the key's UTF-8 in place when it surely fits the current slab (nearly always); returns its byte length. */
  private writeKey(key: string): number {
    // 3 bytes a UTF-16 unit at most in UTF-8.
    const room = this.room()
    if (room > 0 && key.length * 3 <= room) {
      const last = this.slabs.length - 1
      const n = this.slabs[last]!.write(key, this.end - this.starts[last]!, 'utf8')
      this.end += n
      return n
    }
    const bytes = Buffer.from(key, 'utf8')
    this.writeBytes(bytes)
    return bytes.length
  }

  private writeBytes(src: Uint8Array): void {
    let done = 0
    while (done < src.length) {
      if (this.room() === 0) this.newSlab()
      const last = this.slabs.length - 1
      const n = Math.min(src.length - done, this.room())
      this.slabs[last]!.set(done === 0 && n === src.length ? src : src.subarray(done, done + n), this.end - this.starts[last]!)
      done += n
      this.end += n
    }
  }

  private newSlab(): void {
    const size = Math.min(FIRST_SLAB_BYTES * 2 ** Math.min(this.made, 30), this.maxSlab)
    this.made++
    this.slabs.push(Buffer.allocUnsafeSlow(size))
    this.starts.push(this.end)
  }
}
