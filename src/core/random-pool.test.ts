// The pooled random strings: right length and alphabet, and no bytes handed out twice across pool refills.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { randomString } from './random-pool.ts'

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
