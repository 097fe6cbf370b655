// The mechanism itself on a manual clock: dispatch by ARN, retries, dead letters, drops, pending
// deliveries as data (list, cancel, restore), jitter, and the bounded trace log.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ManualClock } from '../core/clock.ts'
import { Fabric } from './fabric.ts'
import { DeliveryFailure } from './failure.ts'
import { noRetry, type RetryPolicy } from './policy.ts'
import { TraceLog } from './trace.ts'
import type { Delivery, Pending } from './types.ts'

const start = Date.UTC(2024, 0, 1)
const fixed = (delaysMs: number[]): RetryPolicy => ({ maxRetries: delaysMs.length, backoff: { kind: 'fixed', delaysMs } })

function setup(options: { jitter?: (ms: number, name: string | undefined) => number; traceCapacity?: number } = {}) {
  const clock = new ManualClock(start)
  const fabric = new Fabric({ clock, log: () => {}, ...options })
  const got: { target: string; payload: string; at: number }[] = []
  let fail = (_d: Delivery, _n: number): unknown => undefined
  fabric.registerTarget({
    service: 'sqs',
    send: (d, n) => {
      got.push({ target: d.target, payload: d.payload, at: clock.now() - start })
      const error = fail(d, n)
      if (error !== undefined) throw error
      return { ref: `m${got.length}` }
    },
  })
  const delivery = (over: Partial<Delivery> = {}): Delivery =>
    ({ owner: 'test', source: 'arn:aws:s3:::b', target: 'arn:aws:sqs:r:1:q', id: 'e1', payload: 'hi', policy: noRetry, ...over })
  return { clock, fabric, got, delivery, failWith: (f: typeof fail) => { fail = f } }
}

describe('fabric', () => {
  it('dispatches by the ARN\'s service and records the hop', () => {
    const { fabric, got, delivery } = setup()
    fabric.deliver(delivery())
    assert.deepEqual(got.map((g) => g.target), ['arn:aws:sqs:r:1:q'])
    assert.deepEqual(fabric.trace.read(), [{ at: start, source: 'arn:aws:s3:::b', target: 'arn:aws:sqs:r:1:q', id: 'e1',
      outcome: 'delivered', attempt: 1, ref: 'm1' }])
  })

  it('fails a target of no registered kind without retrying it', () => {
    const { fabric, delivery } = setup()
    fabric.deliver(delivery({ target: 'arn:aws:kinesis:r:1:stream/s', policy: fixed([1000]) }))
    assert.deepEqual(fabric.trace.read().map((h) => h.outcome), ['failed'])
  })

  it('retries retryable failures on the schedule, then dead-letters with the owner\'s shaping', () => {
    const { clock, fabric, got, delivery, failWith } = setup()
    failWith((d) => d.target.endsWith(':q') ? new DeliveryFailure('ERROR_FROM_TARGET', 'down', { retryable: true }) : undefined)
    const settled: string[] = []
    const failedAttempts: number[] = []
    fabric.registerOwner('test', {
      deadLetter: (p, failure, condition, letter) => ({ ...letter, payload: `${letter.payload} ${failure.code} ${condition} ${p.attempts}` }),
      settled: (_p, s) => settled.push(`${s.outcome} ${s.condition}`),
      attemptFailed: (p) => failedAttempts.push(p.attempts),
    })
    fabric.deliver(delivery({ policy: fixed([1000, 5000]), deadLetter: { target: 'arn:aws:sqs:r:1:dlq' } }))
    clock.advance(60_000)
    assert.deepEqual(got.map((g) => `${g.at} ${g.target.slice(-3)}`), ['0 1:q', '1000 1:q', '6000 1:q', '6000 dlq'])
    assert.equal(got[3]!.payload, 'hi ERROR_FROM_TARGET RetriesExhausted 3')
    assert.deepEqual(settled, ['dead-lettered RetriesExhausted'])
    // Every failed attempt is heard, the last one too.
    assert.deepEqual(failedAttempts, [1, 2, 3])
    assert.deepEqual(fabric.trace.read().map((h) => `${h.outcome} ${h.attempt} ${h.target.slice(-3)}`),
      ['retrying 1 1:q', 'retrying 2 1:q', 'dead-lettered 3 1:q', 'delivered 1 dlq'])
  })

  it('does not retry a failure that is not retryable, nor dead-letter a dropped one', () => {
    const { clock, fabric, got, delivery, failWith } = setup()
    failWith((d) => d.id === 'gone' ? new DeliveryFailure('NO_RESOURCE', 'x', { drop: true })
      : d.target.endsWith(':q') ? new DeliveryFailure('NO_RESOURCE', 'missing') : undefined)
    fabric.deliver(delivery({ policy: fixed([1000]), deadLetter: { target: 'arn:aws:sqs:r:1:dlq' } }))
    fabric.deliver(delivery({ id: 'gone', policy: fixed([1000]), deadLetter: { target: 'arn:aws:sqs:r:1:dlq' } }))
    clock.advance(10_000)
    assert.deepEqual(got.map((g) => g.target.slice(-3)), ['1:q', 'dlq', '1:q'])
    assert.deepEqual(fabric.trace.read().map((h) => h.outcome), ['dead-lettered', 'delivered', 'dropped'])
  })

  it('keeps pending deliveries as data: listed, cancelled per owner, restored and re-armed', () => {
    const { clock, fabric, got, delivery } = setup()
    fabric.schedule(delivery({ id: 'a' }), start + 5000)
    fabric.schedule(delivery({ id: 'b', owner: 'other' }), start + 3000)
    assert.deepEqual(fabric.listPending().map((p) => [p.delivery.id, p.dueAt - start, p.attempts]), [['b', 3000, 0], ['a', 5000, 0]])
    // Stored as rows of JSON and read back.
    const stored = JSON.parse(JSON.stringify(fabric.listPending())) as Pending[]
    fabric.cancel('other')
    assert.deepEqual(fabric.listPending().map((p) => p.delivery.id), ['a'])
    assert.deepEqual(fabric.stats('test'), { waiting: 1, retrying: 0, inFlight: 0 })
    // A restarted fabric re-arms what was stored; what fell due runs at once, in due order.
    const next = setup()
    next.clock.advance(10_000)
    let loaded = 0
    next.fabric.registerLoader('other', () => loaded++)
    next.fabric.restore(stored)
    assert.equal(loaded, 1, 'an owner of restored deliveries loads at once, so its reset reaches them')
    next.clock.advance(0)
    assert.deepEqual(next.got.map((g) => g.at), [10_000, 10_000])
    assert.deepEqual(next.fabric.trace.read().map((h) => h.id), ['b', 'a'])
    clock.advance(10_000)
    assert.deepEqual(got.map((g) => g.at), [5000])
  })

  it('asks the owner for the delivery as its configuration now has it after a failure', () => {
    const { clock, fabric, got, delivery, failWith } = setup()
    failWith((d) => d.target.endsWith(':q') ? new DeliveryFailure('X', 'down', { retryable: true }) : undefined)
    let dlq: string | undefined
    fabric.registerOwner('test', { refresh: (p) => ({ ...p.delivery, policy: fixed([2000]), deadLetter: dlq === undefined ? undefined : { target: dlq } }) })
    fabric.deliver(delivery({ policy: fixed([1000, 1000, 1000]) }))
    dlq = 'arn:aws:sqs:r:1:dlq'
    clock.advance(10_000)
    assert.deepEqual(got.map((g) => `${g.at} ${g.target.slice(-3)}`), ['0 1:q', '2000 1:q', '2000 dlq'])
  })

  it('loads the service a restored delivery belongs to, so its sender and hooks exist', () => {
    const { fabric, delivery } = setup()
    let loaded = 0
    fabric.registerLoader('lazy', () => {
      loaded++
      fabric.registerSender('lazy:send', () => ({ ref: 'r' }))
    })
    fabric.deliver(delivery({ owner: 'lazy', via: 'lazy:send' }))
    fabric.deliver(delivery({ owner: 'lazy', via: 'lazy:send' }))
    assert.equal(loaded, 1)
    assert.deepEqual(fabric.trace.read().map((h) => h.outcome), ['delivered', 'delivered'])
  })

  it('tells a watcher (persistence) what is armed and done', () => {
    const { clock, fabric, delivery, failWith } = setup()
    const seen: string[] = []
    fabric.watchPending((p, state) => seen.push(`${state} ${p.attempts}`))
    failWith((_d, n) => n === 1 ? new DeliveryFailure('X', 'once', { retryable: true }) : undefined)
    fabric.schedule(delivery({ policy: fixed([1000]) }))
    clock.advance(2000)
    assert.deepEqual(seen, ['armed 0', 'armed 1', 'done 2'])
    // A delivery never armed (attempted at once and delivered) is nothing persistence hears of.
    fabric.deliver(delivery())
    assert.equal(seen.length, 3)
  })

  it('waits for asynchronous attempts and ignores them once their owner is cancelled', async () => {
    const { fabric, delivery } = setup()
    let finish: () => void = () => {}
    fabric.registerSender('http', () => new Promise((resolve) => { finish = () => resolve(undefined) }))
    const seen: string[] = []
    fabric.watchPending((p, state) => seen.push(`${state} ${p.attempts} ${fabric.watched}`))
    fabric.deliver(delivery({ via: 'http', target: 'http://x' }))
    // On the wire, the first attempt is pending data too, stored as before it: a crash repeats it.
    assert.deepEqual(seen, ['armed 0 true'])
    assert.deepEqual(fabric.stats('test').inFlight, 1)
    assert.deepEqual(fabric.listPending().map((p) => p.attempts), [1], 'in flight is still pending: a crash repeats it')
    fabric.cancel('test')
    assert.deepEqual(seen, ['armed 0 true', 'done 1 true'])
    finish()
    await new Promise((resolve) => setImmediate(resolve))
    assert.deepEqual(fabric.trace.read(), [])
  })

  it('applies the jitter hook to each delay, with the policy\'s jitter name', () => {
    const names: (string | undefined)[] = []
    const { clock, fabric, got, delivery, failWith } = setup({ jitter: (ms, name) => (names.push(name), ms / 2) })
    failWith(() => new DeliveryFailure('X', 'down', { retryable: true }))
    fabric.deliver(delivery({ policy: { ...fixed([1000, 4000]), jitter: 'full' } }))
    clock.advance(10_000)
    assert.deepEqual(got.map((g) => g.at), [0, 500, 2500])
    assert.deepEqual(names, ['full', 'full'])
  })

  it('answers sendNow synchronously and throws its failure', () => {
    const { fabric, delivery, failWith } = setup()
    assert.deepEqual(fabric.sendNow(delivery()), { ref: 'm1' })
    failWith(() => new DeliveryFailure('NO_RESOURCE', 'gone'))
    assert.throws(() => fabric.sendNow(delivery()), /gone/)
    assert.deepEqual(fabric.trace.read().map((h) => h.outcome), ['delivered', 'failed'])
  })
})

describe('trace log', () => {
  it('keeps the newest hops within its capacity, oldest first, and reads a limit', () => {
    const trace = new TraceLog(3)
    for (let i = 0; i < 5; i++) trace.record(i, 's', 't', `e${i}`, 'delivered', 1)
    assert.equal(trace.total, 5)
    assert.deepEqual(trace.read().map((h) => h.id), ['e2', 'e3', 'e4'])
    assert.deepEqual(trace.read(2).map((h) => h.id), ['e3', 'e4'])
    assert.deepEqual(trace.read(0), [])
    trace.clear()
    assert.deepEqual(trace.read(), [])
  })
})
