// The worker-thread MD5 gives the same digests as node:crypto in one pass, whatever the chunking,
// with uploads interleaved, when the shared ring overflows, and after an aborted upload.
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { md5For, OFFLOAD_MAX_BYTES, OFFLOAD_MIN_BYTES } from './md5-workers.ts'

const reference = (data: Buffer) => createHash('md5').update(data).digest('hex')

function chunked(data: Buffer, sizes: number[]): Buffer[] {
  const out: Buffer[] = []
  for (let offset = 0, i = 0; offset < data.length; i++) {
    const size = sizes[i % sizes.length]!
    out.push(data.subarray(offset, offset + size))
    offset += size
  }
  return out
}

test('interleaved uploads hash to node:crypto digests, whatever the chunk sizes', async () => {
  const bodies = Array.from({ length: 6 }, (_, i) => randomBytes(OFFLOAD_MIN_BYTES + i * 100_003))
  const hashes = bodies.map((body) => ({ md5: md5For(body.length), chunks: chunked(body, [65_536, 1, 7_919, 300_000]) }))
  // One chunk of each upload in turn, as concurrent requests arrive.
  for (let round = 0; hashes.some((h) => h.chunks.length > 0); round++) {
    for (const h of hashes) {
      const chunk = h.chunks.shift()
      if (chunk !== undefined) h.md5.update(chunk)
    }
  }
  const digests = await Promise.all(hashes.map((h) => h.md5.digest()))
  assert.deepEqual(digests.map((d) => d.toString('hex')), bodies.map(reference))
})

test('a body larger than the shared ring, sent faster than it is hashed, still hashes right', async () => {
  const body = randomBytes(OFFLOAD_MAX_BYTES)
  const md5 = md5For(body.length)
  // A 3 MiB chunk is placed in pieces; 32 MiB without waiting overflows the 8 MiB ring.
  for (const chunk of chunked(body, [3 * 1024 * 1024, 65_536])) md5.update(chunk)
  assert.equal((await md5.digest()).toString('hex'), reference(body))
})

test('an aborted upload leaves the next one on the same worker unaffected; small bodies hash inline', async () => {
  const aborted = md5For(OFFLOAD_MIN_BYTES)
  aborted.update(randomBytes(OFFLOAD_MIN_BYTES / 2))
  aborted.abort()
  const body = randomBytes(OFFLOAD_MIN_BYTES * 2)
  const next = md5For(body.length)
  next.update(body)
  assert.equal((await next.digest()).toString('hex'), reference(body))
  const small = Buffer.from('hello')
  // Too small, unknown or too large to be worth a worker: hashed in this thread, same digest.
  const big = Buffer.alloc(OFFLOAD_MAX_BYTES + 1, 7)
  const inline = md5For(big.length)
  inline.update(big)
  assert.equal((await inline.digest()).toString('hex'), reference(big))
  for (const declared of [undefined, small.length]) {
    const md5 = md5For(declared)
    md5.update(small)
    assert.equal((await md5.digest()).toString('hex'), reference(small))
  }
})
