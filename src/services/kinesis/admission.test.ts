// Admission: two large bodies read at a time, the rest in arrival order; a turn given up while
// waiting is skipped; a body goes ahead once a turn has stalled for its patience (not while the turns
// ahead of it make progress) or once it has waited its longest, and still hands on its turn.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Admission } from './admission.ts'

describe('Admission', () => {
  it('lets two in, then each next one as a turn ends, in arrival order; a wait given up is skipped', async () => {
    const admission = new Admission(2, 60_000)
    const a = admission.enter()
    const b = admission.enter()
    assert.equal(a.ready, undefined)
    assert.equal(b.ready, undefined)
    const started: string[] = []
    const c = admission.enter()
    const d = admission.enter()
    const e = admission.enter()
    void c.ready!.then(() => started.push('c'))
    void d.ready!.then(() => started.push('d'))
    void e.ready!.then(() => started.push('e'))
    assert.deepEqual(admission.counts, { active: 2, waiting: 3 })
    d.leave() // its client left while it waited
    a.leave()
    a.leave() // twice: still one turn
    await Promise.resolve()
    assert.deepEqual(started, ['c'])
    assert.deepEqual(admission.counts, { active: 2, waiting: 1 })
    b.leave()
    await Promise.resolve()
    assert.deepEqual(started, ['c', 'e'])
    c.leave()
    e.leave()
    assert.deepEqual(admission.counts, { active: 0, waiting: 0 })
  })

  it('a body waits on while the turn ahead of it makes progress, and goes ahead once it stalls', async () => {
    let now = 0
    const admission = new Admission(1, 10, () => now)
    const reading = admission.enter()
    const next = admission.enter()
    let started = false
    void next.ready!.then(() => { started = true })
    // Several patiences pass on the timers; the reading turn's pieces keep arriving (the clock stands still since).
    for (let i = 0; i < 4; i++) {
      reading.progress()
      await new Promise((resolve) => setTimeout(resolve, 15))
    }
    assert.equal(started, false)
    assert.deepEqual(admission.counts, { active: 1, waiting: 1 })
    now += 10 // nothing from the reading turn for a patience: stalled
    await next.ready
    assert.deepEqual(admission.counts, { active: 2, waiting: 0 })
    next.progress()
    next.leave()
    reading.leave()
    assert.deepEqual(admission.counts, { active: 0, waiting: 0 })
  })

  it('a body behind turns that trickle on (never stalled) still goes ahead after its longest wait', { timeout: 5_000 }, async () => {
    let now = 0
    const admission = new Admission(1, 10, () => now, 100)
    const trickling = admission.enter()
    const next = admission.enter()
    let started = false
    void next.ready!.then(() => { started = true })
    // A piece every 9 ms of the clock: never a patience without progress.
    while (now < 90) {
      now += 9
      trickling.progress()
      await new Promise((resolve) => setTimeout(resolve, 15))
      assert.equal(started, false)
    }
    now += 20 // waited 110 ms of the clock, past the longest wait (100); the turn ahead is still not stalled
    trickling.progress()
    await next.ready
    assert.deepEqual(admission.counts, { active: 2, waiting: 0 })
    next.leave()
    trickling.leave()
    assert.deepEqual(admission.counts, { active: 0, waiting: 0 })
  })

  it('a body that waited its patience out behind a stalled one goes ahead beside it', async () => {
    const admission = new Admission(1, 20)
    const stalled = admission.enter()
    const next = admission.enter()
    await next.ready
    assert.deepEqual(admission.counts, { active: 2, waiting: 0 })
    next.leave()
    stalled.leave()
    assert.deepEqual(admission.counts, { active: 0, waiting: 0 })
  })
})
