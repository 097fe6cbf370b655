// A shard's record bytes in memory without a data dir: partition key and data appended to one byte
// stream cut into 1 MiB slabs, so memory grows by the records' bytes (no Buffer or string per record;
// the index holds each record's position). Retention lets go of whole slabs before the oldest record.
import type { RecordIndex } from './record-index.ts'
import type { ShardBodies } from './record-bodies.ts'

// String.prototype.isWellFormed (ES2024; Node 20+), past the TypeScript lib this project targets.
const wellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed()

/** Slab size: what retention frees at once, and the most a shard holds allocated but unwritten. */
export const SLAB_BYTES = 1_048_576
/** A shard's first slab starts this small and doubles as it fills (most test streams hold a few records). */
const FIRST_SLAB_BYTES = 16 * 1024

export class MemoryBodies implements ShardBodies {
  /** slabs[i] holds stream positions [(first + i) × SLAB_BYTES, (first + i + 1) × SLAB_BYTES). */
  private readonly slabs: Buffer[] = []
  private first = 0
  /** The next position written. */
  private end = 0
  /** Keys that are not well-formed UTF-16 (a lone surrogate from a JSON escape), by counter: UTF-8 would not give them back. */
  private readonly oddKeys = new Map<number, string>()

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
    while (this.slabs.length > 1 && (this.first + 1) * SLAB_BYTES <= keep) {
      this.slabs.shift()
      this.first++
    }
    if (this.oddKeys.size > 0) {
      const counter = row < index.length ? index.counter[row]! : Number.POSITIVE_INFINITY
      for (const c of this.oddKeys.keys()) if (c < counter) this.oddKeys.delete(c)
    }
  }

  load(): void {}

  close(): void {
    this.slabs.length = 0
    this.oddKeys.clear()
  }

  /** The bytes at a position: a view when they sit in one slab, else a copy joined from two (or more). */
  private bytes(at: number, length: number): Buffer {
    const slab = Math.floor(at / SLAB_BYTES)
    const offset = at - slab * SLAB_BYTES
    if (offset + length <= SLAB_BYTES) return this.slabs[slab - this.first]!.subarray(offset, offset + length)
    const out = Buffer.allocUnsafe(length)
    let done = 0
    while (done < length) {
      const pos = at + done
      const s = Math.floor(pos / SLAB_BYTES)
      const off = pos - s * SLAB_BYTES
      const n = Math.min(length - done, SLAB_BYTES - off)
      this.slabs[s - this.first]!.copy(out, done, off, off + n)
      done += n
    }
    return out
  }

  /** Writes the key's UTF-8 in place when it fits the current slab (nearly always); returns its byte length. */
  private writeKey(key: string): number {
    const offset = this.end % SLAB_BYTES
    // A key is at most 256 characters: 3 bytes each at most in UTF-8.
    if (offset + key.length * 3 <= SLAB_BYTES) {
      const slab = this.room(offset + key.length * 3)
      const n = slab.write(key, offset, 'utf8')
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
      const offset = this.end % SLAB_BYTES
      const n = Math.min(src.length - done, SLAB_BYTES - offset)
      const slab = this.room(offset + n)
      slab.set(done === 0 && n === src.length ? src : src.subarray(done, done + n), offset)
      done += n
      this.end += n
    }
  }

  /** The slab `end` falls in, with at least `needed` bytes: a new one at a slab boundary, or the first one grown. */
  private room(needed: number): Buffer {
    const slab = Math.floor(this.end / SLAB_BYTES)
    if (this.slabs.length === 0) this.first = slab
    let current = this.slabs[slab - this.first]
    if (current === undefined) {
      // Past the first slab the shard is evidently busy: full-size slabs from then on.
      current = Buffer.allocUnsafeSlow(this.slabs.length === 0 ? Math.max(FIRST_SLAB_BYTES, needed) : SLAB_BYTES)
      this.slabs.push(current)
    }
    if (current.length < needed) {
      let size = current.length * 2
      while (size < needed) size *= 2
      const grown = Buffer.allocUnsafeSlow(Math.min(SLAB_BYTES, size))
      // Views already handed out keep the old buffer; its bytes are the same.
      current.copy(grown, 0, 0, this.end - slab * SLAB_BYTES)
      this.slabs[slab - this.first] = grown
      current = grown
    }
    return current
  }
}
