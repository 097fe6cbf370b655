import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ManualClock, SystemClock } from './clock.ts'

describe('ManualClock', () => {
  it('runs timers in time order, each at its own instant, when advanced', () => {
    const clock = new ManualClock(1_000)
    const seen: [string, number][] = []
    clock.after(300, () => seen.push(['c', clock.now()]))
    clock.after(100, () => seen.push(['a', clock.now()]))
    clock.after(100, () => seen.push(['b', clock.now()]))
    clock.advance(99)
    assert.deepEqual(seen, [])
    clock.advance(1_000)
    assert.deepEqual(seen, [['a', 1_100], ['b', 1_100], ['c', 1_300]])
    assert.equal(clock.now(), 2_099)
  })

  it('runs timers that timers set, within the same advance', () => {
    const clock = new ManualClock(0)
    const seen: number[] = []
    clock.after(10, () => clock.after(10, () => seen.push(clock.now())))
    clock.advance(25)
    assert.deepEqual(seen, [20])
  })

  it('cancels timers and rejects negative advances', () => {
    const clock = new ManualClock(0)
    let ran = false
    clock.after(5, () => (ran = true)).cancel()
    clock.advance(10)
    assert.equal(ran, false)
    assert.throws(() => clock.advance(-1), RangeError)
  })

  it('sweeps out masses of cancelled timers and still runs the rest in (time, order set) order', () => {
    const clock = new ManualClock(0)
    const ran: number[] = []
    const timers = []
    // Many timeouts set and cancelled (every Lambda proxy request's), some due at the same instant.
    for (let i = 0; i < 5_000; i++) timers.push(clock.after(1_000 + (i % 7) * 10, () => ran.push(i)))
    for (let i = 0; i < 5_000; i++) if (i % 5 !== 0) timers[i]!.cancel()
    // Cancelling again, or a timer that already ran, changes nothing.
    timers[1]!.cancel()
    clock.advance(2_000)
    const expected = [...Array(5_000).keys()].filter((i) => i % 5 === 0).sort((a, b) => (a % 7) - (b % 7) || a - b)
    assert.deepEqual(ran, expected)
    timers[0]!.cancel()
    const late: string[] = []
    clock.after(10, () => late.push('late'))
    clock.advance(10)
    assert.deepEqual(late, ['late'])
  })

  it('keeps going when a timer throws', () => {
    const clock = new ManualClock(0)
    const errors = console.error
    console.error = () => {}
    let later = false
    clock.after(1, () => {
      throw new Error('boom')
    })
    clock.after(2, () => (later = true))
    clock.advance(5)
    console.error = errors
    assert.equal(later, true)
  })
})

describe('SystemClock', () => {
  it('fires a due timer through one armed Node timer', async () => {
    const clock = new SystemClock()
    const fired = await new Promise<number>((resolve) => clock.after(5, () => resolve(clock.now())))
    assert.ok(fired >= Date.now() - 1000)
    clock.stop()
  })
})
