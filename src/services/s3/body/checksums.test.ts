// The table-driven CRC-32C and CRC-64/NVME (slicing-by-8) against the catalogued check values and a
// bit-at-a-time reference, whatever the chunking: every length mod 8 and every split of the body.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { checksummer } from './checksums.ts'

/** Bit-at-a-time reflected CRC over BigInt: slow and obviously right. */
function reference(bytes: Uint8Array, width: 32 | 64, poly: bigint): string {
  const mask = (1n << BigInt(width)) - 1n
  let crc = mask
  for (const byte of bytes) {
    crc ^= BigInt(byte)
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n
  }
  return ((crc ^ mask) & mask).toString(16).padStart(width / 4, '0')
}

const crc32cRef = (b: Uint8Array) => reference(b, 32, 0x82f63b78n)
const crc64Ref = (b: Uint8Array) => reference(b, 64, 0x9a6c9329ac4bc9b5n)

function digest(algorithm: 'CRC32C' | 'CRC64NVME', chunks: Buffer[]): string {
  const sum = checksummer(algorithm)
  for (const chunk of chunks) sum.update(chunk)
  return sum.digest().toString('hex')
}

const body = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 2654435761) >>> 24))

describe('S3 CRC-32C and CRC-64/NVME', () => {
  it('give the catalogued check values of "123456789"', () => {
    assert.equal(digest('CRC32C', [Buffer.from('123456789')]), 'e3069283')
    assert.equal(digest('CRC64NVME', [Buffer.from('123456789')]), 'ae8b14860a799888')
  })

  it('match the bitwise reference for every length up to 40 bytes and at odd offsets', () => {
    for (let n = 0; n <= 40; n++) {
      const part = body.subarray(3, 3 + n)
      assert.equal(digest('CRC32C', [part]), crc32cRef(part), `CRC32C of ${n} bytes`)
      assert.equal(digest('CRC64NVME', [part]), crc64Ref(part), `CRC64NVME of ${n} bytes`)
    }
  })

  it('are the same however the body is split into chunks', () => {
    const whole32 = crc32cRef(body)
    const whole64 = crc64Ref(body)
    for (let split = 0; split <= 20; split++) {
      for (const second of [1, 5, 8, 13]) {
        const chunks = [body.subarray(0, split), body.subarray(split, split + second), body.subarray(split + second)]
        assert.equal(digest('CRC32C', chunks), whole32, `split at ${split}+${second}`)
        assert.equal(digest('CRC64NVME', chunks), whole64, `split at ${split}+${second}`)
      }
    }
  })
})
