// The pooled random strings: right length and alphabet, and no bytes handed out twice across pool refills.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { randomString, randomUuid } from './random-pool.ts'

test('random strings keep their encoded lengths and never repeat across refills', () => {
  const seen = new Set<string>()
  for (let i = 0; i < 2_000; i++) {
    const hex = randomString(12, 'hex')
    assert.match(hex, /^[0-9a-f]{24}$/)
    assert.match(randomString(11, 'base64'), /^[A-Za-z0-9+/]{15}=$/)
    assert.ok(!seen.has(hex), 'a pooled value came out twice')
    seen.add(hex)
  }
  assert.match(randomString(5000, 'hex'), /^[0-9a-f]{10000}$/)
})

test('pooled UUIDs are version 4, variant 10, lower-case hex, unique across refills and interleaved with random strings', () => {
  const seen = new Set<string>()
  const nibbles = new Set<string>()
  for (let i = 0; i < 2_000; i++) {
    const id = randomUuid()
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    assert.ok(!seen.has(id), 'a UUID came out twice')
    seen.add(id)
    nibbles.add(id[0]!)
    // Odd sizes between them: the pool's offset lands anywhere, refills included.
    randomString(7 + (i % 5), 'hex')
  }
  assert.equal(nibbles.size, 16, 'every hex digit appears in the first position')
})
