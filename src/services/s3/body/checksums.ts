// The flexible checksums S3 checks and stores: CRC32 (zlib), CRC32C and CRC64NVME (table-driven
// here: node:crypto has neither), SHA-1 and SHA-256. Values travel base64-encoded, big-endian.
import { createHash, type Hash } from 'node:crypto'
import { crc32 } from 'node:zlib'

export const checksumAlgorithms = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const
export type ChecksumAlgorithm = (typeof checksumAlgorithms)[number]

export function isChecksumAlgorithm(value: string): value is ChecksumAlgorithm {
  return (checksumAlgorithms as readonly string[]).includes(value)
}

/** The header (and trailer) name: `x-amz-checksum-crc32`. */
export function checksumHeader(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`
}

/** Bytes of a digest, to tell a malformed header value from a wrong one. */
export const digestBytes: Record<ChecksumAlgorithm, number> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32 }

export interface Checksummer {
  update(chunk: Buffer): void
  /** Raw digest bytes. */
  digest(): Buffer
}

// Both CRCs below are table-driven "slicing-by-8" (eight 256-entry tables, eight bytes per step):
// ~4× the speed of the byte-at-a-time loop, which matters for the CRC64NVME every object without a
// checksum gets on its first checksum-mode read, and for uploads sent with these algorithms.

// Reflected CRC-32C (Castagnoli), polynomial 0x82F63B78. Table k, entry i: the CRC of byte i followed by k zero bytes.
const crc32cTables = (() => {
  const t = new Uint32Array(8 * 256)
  for (let i = 0; i < 256; i++) {
    let c = i
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1
    t[i] = c >>> 0
  }
  for (let k = 1; k < 8; k++) {
    for (let i = 0; i < 256; i++) {
      const prev = t[(k - 1) * 256 + i]!
      t[k * 256 + i] = ((prev >>> 8) ^ t[prev & 0xff]!) >>> 0
    }
  }
  return t
})()

class Crc32c implements Checksummer {
  private crc = 0xffffffff
  update(chunk: Buffer): void {
    const t = crc32cTables
    let crc = this.crc
    let i = 0
    const whole = chunk.length - (chunk.length & 7)
    for (; i < whole; i += 8) {
      const a = (crc ^ (chunk[i]! | (chunk[i + 1]! << 8) | (chunk[i + 2]! << 16) | (chunk[i + 3]! << 24))) >>> 0
      const b = (chunk[i + 4]! | (chunk[i + 5]! << 8) | (chunk[i + 6]! << 16) | (chunk[i + 7]! << 24)) >>> 0
      crc = t[1792 + (a & 0xff)]! ^ t[1536 + ((a >>> 8) & 0xff)]! ^ t[1280 + ((a >>> 16) & 0xff)]! ^ t[1024 + (a >>> 24)]! ^
        t[768 + (b & 0xff)]! ^ t[512 + ((b >>> 8) & 0xff)]! ^ t[256 + ((b >>> 16) & 0xff)]! ^ t[b >>> 24]!
    }
    for (; i < chunk.length; i++) crc = t[(crc ^ chunk[i]!) & 0xff]! ^ (crc >>> 8)
    this.crc = crc >>> 0
  }
  digest(): Buffer {
    const out = Buffer.alloc(4)
    out.writeUInt32BE((this.crc ^ 0xffffffff) >>> 0)
    return out
  }
}

// Reflected CRC-64/NVME, polynomial 0x9A6C9329AC4BC9B5, kept as two 32-bit halves (no BigInt per byte):
// `hi`/`lo` hold the high and low words of the eight tables' entries.
const crc64Tables = (() => {
  const hi = new Uint32Array(8 * 256)
  const lo = new Uint32Array(8 * 256)
  const polyHi = 0x9a6c9329
  const polyLo = 0xac4bc9b5
  for (let i = 0; i < 256; i++) {
    let h = 0
    let l = i
    for (let k = 0; k < 8; k++) {
      const carry = l & 1
      l = ((l >>> 1) | ((h & 1) << 31)) >>> 0
      h = h >>> 1
      if (carry) {
        h = (h ^ polyHi) >>> 0
        l = (l ^ polyLo) >>> 0
      }
    }
    hi[i] = h
    lo[i] = l
  }
  for (let k = 1; k < 8; k++) {
    for (let i = 0; i < 256; i++) {
      // next = (prev >>> 8) ^ table0[prev & 0xff], on the two halves
      const ph = hi[(k - 1) * 256 + i]!
      const pl = lo[(k - 1) * 256 + i]!
      const index = pl & 0xff
      hi[k * 256 + i] = ((ph >>> 8) ^ hi[index]!) >>> 0
      lo[k * 256 + i] = (((pl >>> 8) | ((ph & 0xff) << 24)) ^ lo[index]!) >>> 0
    }
  }
  return { hi, lo }
})()

class Crc64Nvme implements Checksummer {
  private hi = 0xffffffff
  private lo = 0xffffffff
  update(chunk: Buffer): void {
    const { hi: th, lo: tl } = crc64Tables
    let h = this.hi
    let l = this.lo
    let i = 0
    const whole = chunk.length - (chunk.length & 7)
    for (; i < whole; i += 8) {
      // The eight bytes, little-endian, xored into the CRC; each byte then looked up in the table for its distance from the end.
      const a = (l ^ (chunk[i]! | (chunk[i + 1]! << 8) | (chunk[i + 2]! << 16) | (chunk[i + 3]! << 24))) >>> 0
      const b = (h ^ (chunk[i + 4]! | (chunk[i + 5]! << 8) | (chunk[i + 6]! << 16) | (chunk[i + 7]! << 24))) >>> 0
      const i7 = 1792 + (a & 0xff)
      const i6 = 1536 + ((a >>> 8) & 0xff)
      const i5 = 1280 + ((a >>> 16) & 0xff)
      const i4 = 1024 + (a >>> 24)
      const i3 = 768 + (b & 0xff)
      const i2 = 512 + ((b >>> 8) & 0xff)
      const i1 = 256 + ((b >>> 16) & 0xff)
      const i0 = b >>> 24
      l = (tl[i7]! ^ tl[i6]! ^ tl[i5]! ^ tl[i4]! ^ tl[i3]! ^ tl[i2]! ^ tl[i1]! ^ tl[i0]!) >>> 0
      h = (th[i7]! ^ th[i6]! ^ th[i5]! ^ th[i4]! ^ th[i3]! ^ th[i2]! ^ th[i1]! ^ th[i0]!) >>> 0
    }
    for (; i < chunk.length; i++) {
      const index = (l ^ chunk[i]!) & 0xff
      // crc = table[index] ^ (crc >>> 8), on the two halves
      const nl = ((l >>> 8) | ((h & 0xff) << 24)) >>> 0
      const nh = h >>> 8
      l = (tl[index]! ^ nl) >>> 0
      h = (th[index]! ^ nh) >>> 0
    }
    this.hi = h
    this.lo = l
  }
  digest(): Buffer {
    const out = Buffer.alloc(8)
    out.writeUInt32BE((this.hi ^ 0xffffffff) >>> 0, 0)
    out.writeUInt32BE((this.lo ^ 0xffffffff) >>> 0, 4)
    return out
  }
}

class Crc32 implements Checksummer {
  private crc = 0
  update(chunk: Buffer): void {
    this.crc = crc32(chunk, this.crc)
  }
  digest(): Buffer {
    const out = Buffer.alloc(4)
    out.writeUInt32BE(this.crc >>> 0)
    return out
  }
}

class NodeHash implements Checksummer {
  private readonly hash: Hash
  constructor(name: string) {
    this.hash = createHash(name)
  }
  update(chunk: Buffer): void {
    this.hash.update(chunk)
  }
  digest(): Buffer {
    return this.hash.digest()
  }
}

export function checksummer(algorithm: ChecksumAlgorithm): Checksummer {
  switch (algorithm) {
    case 'CRC32': return new Crc32()
    case 'CRC32C': return new Crc32c()
    case 'CRC64NVME': return new Crc64Nvme()
    case 'SHA1': return new NodeHash('sha1')
    case 'SHA256': return new NodeHash('sha256')
  }
}

/** One-shot checksum of a buffer, base64. */
export function checksumOf(algorithm: ChecksumAlgorithm, data: Buffer): string {
  const c = checksummer(algorithm)
  c.update(data)
  return c.digest().toString('base64')
}
