// The linear nesting scan: counts objects and arrays, skips brackets in strings, stops at the limit.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { jsonDepth, nestsDeeperThan } from './json-depth.ts'

describe('jsonDepth', () => {
  it('counts nested objects and arrays', () => {
    assert.equal(jsonDepth('1'), 0)
    assert.equal(jsonDepth('{"a":[1,{"b":2}]}'), 3)
  })
  it('ignores brackets inside strings, escaped quotes included', () => {
    assert.equal(jsonDepth('{"a":"[[[{{\\"[["}'), 1)
  })
  it('stops scanning once past the limit', () => {
    const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000)
    assert.equal(jsonDepth(deep, 10), 11)
    assert.equal(nestsDeeperThan(deep, 100), true)
    assert.equal(nestsDeeperThan('[[1]]', 2), false)
  })
})
