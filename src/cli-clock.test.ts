import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseDuration } from './cli-clock.ts'

describe('parseDuration', () => {
  it('reads ms, s, m, h, d and their combinations', () => {
    assert.equal(parseDuration('500ms'), 500)
    assert.equal(parseDuration('90s'), 90_000)
    assert.equal(parseDuration('15m'), 900_000)
    assert.equal(parseDuration('1h30m'), 5_400_000)
    assert.equal(parseDuration('1.5h'), 5_400_000)
    assert.equal(parseDuration('2d'), 172_800_000)
    assert.equal(parseDuration('1d2h3m4s5ms'), 93_784_005)
  })

  it('refuses what is not a duration', () => {
    for (const text of ['', '1', 'h', '1x', '-1h', '1h 30m', '1H']) assert.equal(parseDuration(text), undefined, text)
  })
})
