// Failure containment: timeouts on the injected clock, crashes, exits, memory blow-ups and
// dispose. Whatever the function does, the invoke resolves and no process is left behind.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { isRunning, json, request, spec, testRuntime, waitFor } from './helpers.ts'

const t = testRuntime()
after(() => t.cleanUp())

const loopy = `exports.handler = async (event) => {
  if (event.spin) { console.log('spinning'); for (;;) {} }
  if (event.hang) { console.log('hanging'); return new Promise(() => setInterval(() => {}, 1000)) }
  if (event.exit !== undefined) process.exit(event.exit)
  if (event.crashLater) { setTimeout(() => { throw new Error('late failure') }, 1) ; return 'answered' }
  return process.pid
}`

describe('runtime failures', () => {
  it('times out on the clock, kills the environment and starts a fresh one next time', async () => {
    const fn = spec(t.code({ 'index.js': loopy }), { timeoutSeconds: 3 })
    const warm = await t.runtime.invoke(fn, request(fn))
    const pid = json(warm) as number
    const pending = t.runtime.invoke(fn, request(fn, { hang: true }, { requestId: 'slow-1' }))
    // A warm environment's timeout starts with the invoke; wait for the handler only to see its log line.
    await waitFor(() => t.sink.messages(fn.functionName).some((m) => m.endsWith('\tINFO\thanging')), 'the handler to start')
    t.clock.advance(2999)
    await new Promise((resolve) => setImmediate(resolve))
    assert.equal(t.runtime.busy(fn.key), 1)
    t.clock.advance(1)
    const result = await pending
    assert.equal(result.outcome, 'error')
    assert.equal(result.errorType, 'Sandbox.Timedout')
    assert.deepEqual(json(result), { errorType: 'Sandbox.Timedout', errorMessage: 'RequestId: slow-1 Error: Task timed out after 3.00 seconds' })
    assert.match(result.log, /\tINFO\thanging\n/)
    assert.match(result.log, /Z slow-1 Task timed out after 3\.00 seconds\n/)
    assert.match(result.log, /REPORT RequestId: slow-1\t.*\tStatus: timeout\t/)
    await waitFor(() => !isRunning(pid), 'the timed-out process to be killed')
    const next = await t.runtime.invoke(fn, request(fn))
    assert.equal(next.outcome, 'success')
    assert.notEqual(json(next), pid, 'a fresh environment')
    assert.ok(next.initDurationMs !== undefined)
    t.pids.add(json(next))
  })

  it('ends an infinite loop with the timeout, also on a cold start', async () => {
    const fn = spec(t.code({ 'index.js': loopy }), { timeoutSeconds: 1.5 })
    const pending = t.runtime.invoke(fn, request(fn, { spin: true }, { requestId: 'spin-1' }))
    // Cold: the function's timeout starts when init is done and the invoke reaches the runtime.
    await waitFor(() => t.sink.messages(fn.functionName).some((m) => m.endsWith('\tspinning')), 'the handler to start')
    t.clock.advance(1500)
    const result = await pending
    assert.equal(result.errorType, 'Sandbox.Timedout')
    assert.equal(json(result).errorMessage, 'RequestId: spin-1 Error: Task timed out after 1.50 seconds')
    const next = await t.runtime.invoke(fn, request(fn))
    assert.equal(next.outcome, 'success')
    t.pids.add(json(next))
  })

  it('reports process.exit during an invoke as Runtime.ExitError', async () => {
    const fn = spec(t.code({ 'index.js': loopy }))
    const pid = json(await t.runtime.invoke(fn, request(fn))) as number
    const three = await t.runtime.invoke(fn, request(fn, { exit: 3 }, { requestId: 'exit-3' }))
    assert.equal(three.errorType, 'Runtime.ExitError')
    assert.deepEqual(json(three), { errorType: 'Runtime.ExitError', errorMessage: 'RequestId: exit-3 Error: Runtime exited with error: exit status 3' })
    assert.match(three.log, /Status: error\tError Type: Runtime.ExitError\t/)
    assert.equal(isRunning(pid), false)
    const zero = await t.runtime.invoke(fn, request(fn, { exit: 0 }, { requestId: 'exit-0' }))
    assert.equal(json(zero).errorMessage, 'RequestId: exit-0 Error: Runtime exited without providing a reason')
    const after = await t.runtime.invoke(fn, request(fn))
    assert.equal(after.outcome, 'success')
    t.pids.add(json(after))
  })

  it('survives an environment that dies between invokes', async () => {
    const fn = spec(t.code({ 'index.js': loopy }))
    const pid = json(await t.runtime.invoke(fn, request(fn))) as number
    const answered = await t.runtime.invoke(fn, request(fn, { crashLater: true }))
    assert.equal(json(answered), 'answered')
    await waitFor(() => !isRunning(pid), 'the crashed process to exit')
    const next = await t.runtime.invoke(fn, request(fn))
    assert.equal(next.outcome, 'success')
    assert.notEqual(json(next), pid)
    t.pids.add(json(next))
  })

  it('ends a memory blow-up in that environment only (Runtime.OutOfMemory)', async () => {
    const fn = spec(t.code({
      'index.js': 'exports.handler = async (e) => { if (!e.grow) return process.pid; const keep = []; for (;;) keep.push(new Array(1e6).fill(7)) }',
    }), { memoryMb: 128 })
    const other = spec(t.code({ 'index.js': 'exports.handler = async () => process.pid' }))
    const bystander = json(await t.runtime.invoke(other, request(other))) as number
    const result = await t.runtime.invoke(fn, request(fn, { grow: true }, { requestId: 'oom-1' }))
    assert.equal(result.outcome, 'error')
    assert.equal(result.errorType, 'Runtime.OutOfMemory')
    assert.match(json(result).errorMessage, /^RequestId: oom-1 Error: Runtime exited with error: signal: /)
    assert.equal(isRunning(bystander), true)
    t.pids.add(bystander)
  })

  it('dispose stops idle environments at once and lets one in flight finish its invocation first', async () => {
    const fn = spec(t.code({ 'index.js': loopy }), { timeoutSeconds: 3 })
    const idlePid = json(await t.runtime.invoke(fn, request(fn))) as number
    await t.runtime.dispose(fn.key)
    assert.equal(isRunning(idlePid), false, 'an idle environment of a retired pool stops')
    const fresh = spec(fn.codeDir, { key: `${fn.key}:v2`, functionName: fn.functionName, functionArn: fn.functionArn })
    const busyPid = json(await t.runtime.invoke(fresh, request(fresh))) as number
    assert.notEqual(busyPid, idlePid)
    const pending = t.runtime.invoke(fresh, request(fresh, { hang: true }, { requestId: 'in-flight' }))
    await waitFor(() => t.sink.messages(fn.functionName).filter((m) => m.endsWith('\tINFO\thanging')).length > 0, 'the handler to start')
    await t.runtime.dispose(fresh.key)
    assert.equal(isRunning(busyPid), true, 'an invocation in flight is not cut short (AWS lets it finish)')
    t.clock.advance(3000)
    const ended = await pending
    assert.equal(ended.errorType, 'Sandbox.Timedout')
    await waitFor(() => !isRunning(busyPid), 'the retired environment to stop after its last invocation')
  })
})
