// A PutRecords call's records as its fast parse takes them (put-records-json.ts): each record's data
// decoded into the call's pooled staging buffer, its keys copied into a pooled keys buffer, and their
// offsets in one Int32Array — no object per record until the body is complete. From those it makes
// the records' objects (Data views of the staging buffer) or, when the parse gives up, their plain
// JSON text for the generic path.
import { decodeBase64Into, decodeBase64ViaString, spareBitsClear } from './base64-decode.ts'
import { EQUALS } from './put-records-scan.ts'
import { type ScratchPool, SCRATCH_BYTES } from './scratch-pool.ts'

/** Per record in `meta`: data offset and size in the staging buffer, key and hash key offset and length in `keys` (length -1: absent). */
const SLOT = 6

/** A pooled buffer of at least `bytes` (its own allocation without a pool: tests). */
export function take(pool: ScratchPool | undefined, bytes: number): Buffer {
  return pool?.take(bytes) ?? Buffer.allocUnsafeSlow(bytes)
}

export function give(pool: ScratchPool | undefined, buffer: Buffer | undefined): void {
  if (buffer !== undefined) pool?.give(buffer)
}

export class StagedRecords {
  count = 0
  private meta = new Int32Array(SLOT * 64)
  private data: Buffer | undefined
  private dataAt = 0
  private keys: Buffer | undefined
  private keysAt = 0
  private readonly dataPool: ScratchPool | undefined
  private readonly keysPool: ScratchPool | undefined
  private readonly inPlaceFrom: number

  constructor(dataPool: ScratchPool | undefined, keysPool: ScratchPool | undefined, inPlaceFrom: number) {
    this.dataPool = dataPool
    this.keysPool = keysPool
    this.inPlaceFrom = inPlaceFrom
  }

  /**
   * One record's members, as offsets into `b` (-1: absent): its data decoded, its keys copied. False
   * when its data is not plain padded base64 (nothing of it kept).
   */
  store(b: Buffer, key: number, keyEnd: number, data: number, dataEnd: number, hash: number, hashEnd: number): boolean {
    const base = this.count * SLOT
    if (base + SLOT > this.meta.length) {
      const grown = new Int32Array(this.meta.length * 2)
      grown.set(this.meta)
      this.meta = grown
    }
    const m = this.meta
    m[base + 1] = -1
    if (data >= 0) {
      const length = dataEnd - data
      if (length % 4 !== 0 || !spareBitsClear(b, data, dataEnd)) return false
      const pad = length === 0 ? 0 : b[dataEnd - 1] !== EQUALS ? 0 : b[dataEnd - 2] !== EQUALS ? 1 : 2
      const size = (length / 4) * 3 - pad
      this.data = this.room(this.dataPool, this.data, this.dataAt, size, SCRATCH_BYTES)
      // A large record decodes straight from the bytes (base64-decode.ts); a small one from its own
      // short-lived Latin-1 string, Node's faster decoder. Either way a record that isn't plain padded
      // base64 comes up short of what its padding promised (Node skips what it can't read; the other refuses it).
      const written = size === 0 ? 0 : length >= this.inPlaceFrom ? decodeBase64Into(b, data, dataEnd, this.data, this.dataAt)
        : decodeBase64ViaString(b, data, dataEnd, this.data, this.dataAt, size)
      if (written !== size) return false
      m[base] = this.dataAt
      m[base + 1] = size
      this.dataAt += size
    }
    this.copyKey(b, key, keyEnd, base + 2)
    this.copyKey(b, hash, hashEnd, base + 4)
    this.count++
    return true
  }

  /** The records' objects (each Data a view of the staging buffer, valid until the buffers go back). */
  objects(): Array<Record<string, unknown>> {
    const m = this.meta
    const out = new Array<Record<string, unknown>>(this.count)
    for (let r = 0; r < this.count; r++) {
      const base = r * SLOT
      const record: Record<string, unknown> = {}
      if (m[base + 1]! >= 0) record['Data'] = this.data!.subarray(m[base]!, m[base]! + m[base + 1]!)
      if (m[base + 5]! >= 0) record['ExplicitHashKey'] = this.keys!.toString('latin1', m[base + 4]!, m[base + 4]! + m[base + 5]!)
      if (m[base + 3]! >= 0) record['PartitionKey'] = this.keys!.toString('latin1', m[base + 2]!, m[base + 2]! + m[base + 3]!)
      out[r] = record
    }
    return out
  }

  /** The records written back as plain JSON objects (padded base64 re-encodes to the bytes it came from). */
  texts(): string[] {
    const m = this.meta
    return Array.from({ length: this.count }, (_, r) => {
      const base = r * SLOT
      const members: string[] = []
      if (m[base + 3]! >= 0) members.push(`"PartitionKey":"${this.keys!.toString('latin1', m[base + 2]!, m[base + 2]! + m[base + 3]!)}"`)
      if (m[base + 1]! >= 0) members.push(`"Data":"${this.data!.toString('base64', m[base]!, m[base]! + m[base + 1]!)}"`)
      if (m[base + 5]! >= 0) members.push(`"ExplicitHashKey":"${this.keys!.toString('latin1', m[base + 4]!, m[base + 4]! + m[base + 5]!)}"`)
      return `{${members.join(',')}}`
    })
  }

  /** Hands over the buffers: the returned function gives them back to their pools (once nothing points into them). */
  detach(): () => void {
    const data = this.data
    const keys = this.keys
    this.data = undefined
    this.keys = undefined
    return () => {
      give(this.dataPool, data)
      give(this.keysPool, keys)
    }
  }

  /** Lets go of the buffers at once. */
  release(): void {
    this.detach()()
  }

  private copyKey(b: Buffer, from: number, to: number, slot: number): void {
    this.meta[slot + 1] = from < 0 ? -1 : to - from
    if (from < 0) return
    this.keys = this.room(this.keysPool, this.keys, this.keysAt, to - from, 64 * 1024)
    b.copy(this.keys, this.keysAt, from, to)
    this.meta[slot] = this.keysAt
    this.keysAt += to - from
  }

  /** `buffer` with room for `bytes` more at `at`: a pooled one to start, a larger copy past it (a call that will be refused). */
  private room(pool: ScratchPool | undefined, buffer: Buffer | undefined, at: number, bytes: number, size: number): Buffer {
    if (buffer === undefined) return pool?.take(bytes) ?? Buffer.allocUnsafeSlow(Math.max(bytes, size))
    if (at + bytes <= buffer.length) return buffer
    const grown = take(pool, Math.max(at + bytes, buffer.length * 2))
    buffer.copy(grown, 0, 0, at)
    give(pool, buffer)
    return grown
  }
}
