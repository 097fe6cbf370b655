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

// Reflected CRC-32C (Castagnoli), polynomial 0x82F63B78.
const crc32cTable = (() => {
  const table = new Uint32Array(256)
  for (let i = 0; i < 256; i++) {
    let c = i
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1
    table[i] = c >>> 0
  }
  return table
})()

class Crc32c implements Checksummer {
  private crc = 0xffffffff
  update(chunk: Buffer): void {
    let crc = this.crc
    for (let i = 0; i < chunk.length; i++) crc = crc32cTable[(crc ^ chunk[i]!) & 0xff]! ^ (crc >>> 8)
    this.crc = crc
  }
  digest(): Buffer {
    const out = Buffer.alloc(4)
    out.writeUInt32BE((this.crc ^ 0xffffffff) >>> 0)
    return out
  }
}

// Reflected CRC-64/NVME, polynomial 0x9A6C9329AC4BC9B5, kept as two 32-bit halves (no BigInt per byte).
const crc64Tables = (() => {
  const hi = new Uint32Array(256)
  const lo = new Uint32Array(256)
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
  return { hi, lo }
})()

class Crc64Nvme implements Checksummer {
  private hi = 0xffffffff
  private lo = 0xffffffff
  update(chunk: Buffer): void {
    const { hi: th, lo: tl } = crc64Tables
    let h = this.hi
    let l = this.lo
    for (let i = 0; i < chunk.length; i++) {
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
