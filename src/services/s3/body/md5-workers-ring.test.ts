// The worker MD5's shared ring at its end: bytes of one body that end exactly there and go on at its
// start are two places, never one range. A file of its own, so the ring starts empty (one process each).
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { md5For, OFFLOAD_MIN_BYTES, RING_BYTES } from './md5-workers.ts'

const reference = (data: Buffer) => createHash('md5').update(data).digest('hex')

test('a body whose bytes run past the end of the ring, into its start, hashes right', async () => {
  // Fills the ring to 1,000 bytes short of its end (awaited: the worker has hashed it all).
  const filler = randomBytes(RING_BYTES - 1000)
  const first = md5For(filler.length)
  first.update(filler)
  assert.equal((await first.digest()).toString('hex'), reference(filler))
  // 1,000 bytes end exactly at the ring's end; the next chunk of the same body starts at its beginning.
  const body = randomBytes(OFFLOAD_MIN_BYTES)
  const second = md5For(body.length)
  second.update(body.subarray(0, 1000))
  second.update(body.subarray(1000, 6000))
  second.update(body.subarray(6000))
  assert.equal((await second.digest()).toString('hex'), reference(body))
})
