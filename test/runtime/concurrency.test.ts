// Concurrency: environments per function, reserved and account limits, throttling without queueing.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { ManualClock } from '../../src/core/clock.ts'
import { createLambdaRuntime } from '../../src/runtime/index.ts'
import { ConcurrencyLimitError } from '../../src/runtime/types.ts'
import { FakeLogSink, json, request, spec, testRuntime, waitFor } from './helpers.ts'

const t = testRuntime()
after(() => t.cleanUp())

const code = `exports.handler = async (event) => {
  if (event.hang) return new Promise(() => setInterval(() => {}, 1000))
  return process.pid
}`

describe('concurrency', () => {
  it('throttles a second overlapping invoke when reserved concurrency is 1', async () => {
    const fn = spec(t.code({ 'index.js': code }), { reservedConcurrency: 1, timeoutSeconds: 2 })
    const pid = json(await t.runtime.invoke(fn, request(fn))) as number
    t.pids.add(pid)
    const first = t.runtime.invoke(fn, request(fn, { hang: true }))
    assert.equal(t.runtime.busy(fn.key), 1)
    const second = t.runtime.invoke(fn, request(fn))
    await assert.rejects(second, (error: unknown) => {
      assert.ok(error instanceof ConcurrencyLimitError)
      assert.equal(error.reason, 'ReservedFunctionConcurrentInvocationLimitExceeded')
      assert.equal(error.message, 'Rate Exceeded.')
      return true
    })
    t.clock.advance(2000)
    assert.equal((await first).errorType, 'Sandbox.Timedout')
    assert.equal(t.runtime.busy(fn.key), 0)
    const third = await t.runtime.invoke(fn, request(fn))
    assert.equal(third.outcome, 'success')
    t.pids.add(json(third))
  })

  it('throttles every invoke when reserved concurrency is 0', async () => {
    const fn = spec(t.code({ 'index.js': code }), { reservedConcurrency: 0 })
    await assert.rejects(t.runtime.invoke(fn, request(fn)), { reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' })
  })

  it('runs overlapping invokes in separate environments and reuses both afterwards', async () => {
    const fn = spec(t.code({ 'index.js': 'exports.handler = async (e) => { await new Promise((r) => setTimeout(r, e.wait)); return process.pid }' }))
    const [a, b] = await Promise.all([t.runtime.invoke(fn, request(fn, { wait: 30 })), t.runtime.invoke(fn, request(fn, { wait: 30 }))])
    const pids = new Set([json(a!), json(b!)])
    assert.equal(pids.size, 2)
    const [c, d] = await Promise.all([t.runtime.invoke(fn, request(fn, { wait: 30 })), t.runtime.invoke(fn, request(fn, { wait: 30 }))])
    assert.deepEqual(new Set([json(c!), json(d!)]), pids, 'both warm environments are reused')
    for (const pid of pids) t.pids.add(pid)
  })

  it('throttles at the account limit, less what other functions reserve', async () => {
    const clock = new ManualClock()
    const sink = new FakeLogSink()
    const runtime = createLambdaRuntime({ clock, endpoint: 'http://127.0.0.1:1', logSink: sink, accountConcurrency: 2, log: () => {} })
    try {
      const reserved = spec(t.code({ 'index.js': code }), { reservedConcurrency: 1, timeoutSeconds: 1 })
      const a = spec(t.code({ 'index.js': code }), { timeoutSeconds: 1 })
      const b = spec(t.code({ 'index.js': code }), { timeoutSeconds: 1 })
      const hangingReserved = runtime.invoke(reserved, request(reserved, { hang: true }))
      const hangingA = runtime.invoke(a, request(a, { hang: true }))
      // 2 in the account, 1 reserved by another function: 1 left for everyone else, and a holds it.
      await assert.rejects(runtime.invoke(b, request(b)), { reason: 'ConcurrentInvocationLimitExceeded' })
      // Cold environments: their timeouts start once init is done and the invokes are handed over.
      for (const fn of [reserved, a]) {
        await waitFor(() => sink.messages(fn.functionName).some((m) => m.startsWith('START ')), `${fn.functionName} to start`)
      }
      clock.advance(1000)
      assert.equal((await hangingA).errorType, 'Sandbox.Timedout')
      assert.equal((await hangingReserved).errorType, 'Sandbox.Timedout')
      assert.equal((await runtime.invoke(b, request(b))).outcome, 'success')
    } finally {
      await runtime.stop()
    }
  })
})
