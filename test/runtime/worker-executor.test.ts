// What only the worker executor has to get right: one worker per environment in Nimbus's own
// process, its own process.env and working directory, and no function misbehaviour (endless loop,
// late throw, process.exit, memory blow-up) reaching Nimbus or another environment.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { json, request, spec, testRuntime, waitFor } from './helpers.ts'

const t = testRuntime('worker')
after(() => t.cleanUp())

const code = `const { threadId } = require('node:worker_threads')
let calls = 0
exports.handler = async (event) => {
  calls += 1
  if (event.spin) { console.log('spinning'); for (;;) {} }
  if (event.exit !== undefined) process.exit(event.exit)
  if (event.crashLater) { setTimeout(() => { throw new Error('late failure') }, 100); return 'answered' }
  if (event.heap) { const keep = []; for (;;) keep.push(new Array(1e6).fill(7)) }
  if (event.buffers) { const keep = []; for (let i = 0; i < 64; i++) { keep.push(Buffer.alloc(16 * 1024 * 1024, 1)); await new Promise((r) => setImmediate(r)) } return keep.length }
  if (event.wait) return new Promise((resolve) => setTimeout(() => resolve({ threadId }), event.wait))
  return { threadId, calls, pid: process.pid }
}`

describe('worker executor', () => {
  it('runs in a worker thread of Nimbus, one per environment, reused warm', async () => {
    const fn = spec(t.code({ 'index.js': code }))
    const first = json(await t.runtime.invoke(fn, request(fn)))
    const second = json(await t.runtime.invoke(fn, request(fn)))
    assert.equal(first.pid, process.pid)
    assert.notEqual(first.threadId, 0, 'not the main thread')
    assert.equal(second.threadId, first.threadId, 'the warm environment is reused')
    assert.equal(second.calls, 2, 'init ran once')
    // Two at once: two environments, as with processes.
    const [a, b] = await Promise.all([t.runtime.invoke(fn, request(fn, { wait: 20 })), t.runtime.invoke(fn, request(fn, { wait: 20 }))])
    assert.notEqual(json(a).threadId, json(b).threadId)
  })

  it('gives the function its own process.env and the task root as working directory', async () => {
    const fn = spec(t.code({
      'index.js': `const path = require('node:path')
exports.handler = async () => {
  process.env.SET_BY_FUNCTION = 'yes'
  const before = process.cwd()
  const resolved = path.resolve('data.json')
  process.chdir('sub')
  const after = process.cwd()
  let missing
  try { process.chdir('nope') } catch (e) { missing = e.code }
  process.chdir('..')
  return { before, resolved, after, missing, table: process.env.TABLE, runtimeApi: process.env.AWS_LAMBDA_RUNTIME_API ?? null }
}`,
      'sub/x.txt': 'x',
    }), { environment: { TABLE: 'orders' } })
    const out = json(await t.runtime.invoke(fn, request(fn)))
    assert.deepEqual(out, {
      before: fn.codeDir, resolved: `${fn.codeDir}/data.json`, after: `${fn.codeDir}/sub`, missing: 'ENOENT', table: 'orders', runtimeApi: null,
    })
    assert.equal(process.env.SET_BY_FUNCTION, undefined, "the function's variables stay in its worker")
    assert.equal(process.env.TABLE, undefined)
    assert.notEqual(process.cwd(), fn.codeDir)
  })

  it('terminates an endless synchronous loop at the timeout; Nimbus keeps running', async () => {
    const fn = spec(t.code({ 'index.js': code }), { timeoutSeconds: 2 })
    const warm = json(await t.runtime.invoke(fn, request(fn)))
    const pending = t.runtime.invoke(fn, request(fn, { spin: true }, { requestId: 'spin-w' }))
    await waitFor(() => t.sink.messages(fn.functionName).some((m) => m.endsWith('\tspinning')), 'the handler to start')
    t.clock.advance(2000)
    const result = await pending
    assert.deepEqual(json(result), { errorType: 'Sandbox.Timedout', errorMessage: 'RequestId: spin-w Error: Task timed out after 2.00 seconds' })
    assert.match(result.log, /REPORT RequestId: spin-w\t.*\tStatus: timeout\t/)
    const next = json(await t.runtime.invoke(fn, request(fn)))
    assert.notEqual(next.threadId, warm.threadId, 'a fresh environment')
    assert.equal(next.calls, 1)
  })

  it('ends process.exit() in a handler as Runtime.ExitError, for that environment only', async () => {
    const fn = spec(t.code({ 'index.js': code }))
    const result = await t.runtime.invoke(fn, request(fn, { exit: 1 }, { requestId: 'exit-w' }))
    assert.deepEqual(json(result), { errorType: 'Runtime.ExitError', errorMessage: 'RequestId: exit-w Error: Runtime exited with error: exit status 1' })
    const next = await t.runtime.invoke(fn, request(fn))
    assert.equal(next.outcome, 'success')
    assert.equal(json(next).calls, 1)
  })

  it('survives a throw in a timer after the handler answered', async () => {
    const fn = spec(t.code({ 'index.js': code }))
    const answered = await t.runtime.invoke(fn, request(fn, { crashLater: true }))
    assert.equal(answered.outcome, 'success', answered.payload.toString())
    assert.equal(json(answered), 'answered')
    await waitFor(() => t.sink.messages(fn.functionName).some((m) => m.includes('late failure')), 'the late error to be logged')
    const next = await t.runtime.invoke(fn, request(fn))
    assert.equal(next.outcome, 'success')
    assert.equal(json(next).calls, 1, 'the crashed environment was replaced')
  })

  it('ends an invocation with an unhandled rejection as Runtime.UnhandledPromiseRejection, and the environment with it', async () => {
    const fn = spec(t.code({ 'index.js': "exports.handler = async () => { Promise.reject(new TypeError('nope')); await new Promise((r) => setTimeout(r, 20)); return 'never' }" }))
    const result = await t.runtime.invoke(fn, request(fn))
    assert.equal(result.errorType, 'Runtime.UnhandledPromiseRejection')
    assert.equal(json(result).errorMessage, 'TypeError: nope')
    assert.equal(json(result).trace[0], 'Runtime.UnhandledPromiseRejection: TypeError: nope')
    assert.equal((await t.runtime.invoke(fn, request(fn))).errorType, 'Runtime.UnhandledPromiseRejection', 'a fresh environment, same outcome')
  })

  it('ends a heap blow-up and a Buffer blow-up with Runtime.OutOfMemory', async () => {
    const fn = spec(t.code({ 'index.js': code }), { memoryMb: 128, timeoutSeconds: 60 })
    const heap = await t.runtime.invoke(fn, request(fn, { heap: true }, { requestId: 'heap-w' }))
    assert.deepEqual(json(heap), { errorType: 'Runtime.OutOfMemory', errorMessage: 'RequestId: heap-w Error: Runtime exited with error: signal: killed' })
    assert.match(heap.log, /Max Memory Used: 128 MB\t.*Status: error\tError Type: Runtime\.OutOfMemory/)
    const buffers = await t.runtime.invoke(fn, request(fn, { buffers: true }, { requestId: 'buf-w' }))
    assert.equal(buffers.errorType, 'Runtime.OutOfMemory')
    const next = await t.runtime.invoke(fn, request(fn))
    assert.equal(next.outcome, 'success')
  })

  it('writes START, END, REPORT and console lines as the process executor does', async () => {
    const fn = spec(t.code({ 'index.js': "exports.handler = async () => { console.log('hello\\nworld'); console.warn({ a: 1 }); return 1 }" }))
    const result = await t.runtime.invoke(fn, request(fn, {}, { requestId: 'log-w' }))
    const messages = t.sink.messages(fn.functionName)
    assert.match(messages[0]!, /^INIT_START Runtime Version: nodejs22\.x\.nimbus\t/)
    assert.equal(messages[1], 'START RequestId: log-w Version: $LATEST')
    assert.match(messages[2]!, /^\d{4}-\d\d-\d\dT[\d:.]+Z\tlog-w\tINFO\thello\nworld$/)
    assert.match(messages[3]!, /\tlog-w\tWARN\t\{ a: 1 \}$/)
    assert.equal(messages[4], 'END RequestId: log-w')
    assert.match(messages[5]!, /^REPORT RequestId: log-w\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms\t$/)
    assert.match(result.log, /\tINFO\thello\nworld\n/)
  })
})
