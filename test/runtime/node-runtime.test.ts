// The Node.js runtime end to end: real processes behind the Runtime API, handlers in each module
// style, the context object, AWS's log format and the errors AWS's Node runtime reports.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { json, request, spec, testExecutor, testRuntime } from './helpers.ts'

const t = testRuntime()
after(() => t.cleanUp())

async function run(files: Record<string, string>, payload: unknown = {}, overrides: Parameters<typeof spec>[1] = {}) {
  const fn = spec(t.code(files), overrides)
  const result = await t.runtime.invoke(fn, request(fn, payload))
  return { fn, result }
}

describe('node runtime: handlers', () => {
  it('runs a CommonJS handler and reuses the warm environment', async () => {
    const fn = spec(t.code({ 'index.js': 'exports.handler = async (event) => ({ pid: process.pid, got: event.n })' }))
    const first = await t.runtime.invoke(fn, request(fn, { n: 1 }))
    const second = await t.runtime.invoke(fn, request(fn, { n: 2 }))
    assert.equal(first.outcome, 'success')
    assert.equal(json(first).got, 1)
    assert.equal(json(second).got, 2)
    assert.equal(json(second).pid, json(first).pid, 'same process for a warm invoke')
    assert.ok(first.initDurationMs !== undefined && first.initDurationMs > 0)
    assert.equal(second.initDurationMs, undefined)
    t.pids.add(json(first).pid)
  })

  it('runs an .mjs handler and a .js handler in a "type": "module" package', async () => {
    const mjs = await run({ 'app.mjs': 'export const handler = async () => ({ style: "mjs", pid: process.pid })' }, {}, { handler: 'app.handler' })
    assert.deepEqual(json(mjs.result).style, 'mjs')
    const typed = await run({
      'package.json': '{"type":"module"}',
      'src/main.js': 'const top = await Promise.resolve("tla"); export async function handler() { return { top, pid: process.pid } }',
    }, {}, { handler: 'src/main.handler' })
    assert.equal(typed.result.outcome, 'success', typed.result.payload.toString())
    assert.equal(json(typed.result).top, 'tla')
    t.pids.add(json(mjs.result).pid).add(json(typed.result).pid)
  })

  it('supports callback handlers, waiting for the event loop to empty by default', async () => {
    const handler = (waits: boolean) => `exports.handler = (event, context, callback) => {
      context.callbackWaitsForEmptyEventLoop = ${waits}
      const result = { later: 'not yet', pid: process.pid }
      setTimeout(() => { result.later = 'ran' }, 30)
      callback(null, result)
    }`
    const waiting = await run({ 'index.js': handler(true) })
    assert.equal(json(waiting.result).later, 'ran', 'the result is sent once the event loop is empty')
    const quick = await run({ 'index.js': handler(false) })
    assert.equal(json(quick.result).later, 'not yet')
    const failing = await run({ 'index.js': `exports.handler = (e, c, cb) => cb(new TypeError('bad input'))` })
    assert.equal(failing.result.outcome, 'error')
    assert.equal(json(failing.result).errorType, 'TypeError')
    const legacy = await run({ 'index.js': `exports.handler = (e, context) => { context.succeed({ via: 'succeed' }) }` })
    assert.deepEqual(json(legacy.result), { via: 'succeed' })
    const sync = await run({ 'index.js': `exports.handler = () => { setTimeout(() => {}, 5) }` })
    assert.equal(sync.result.payload.toString(), 'null', 'a sync handler without callback ends with null when idle')
    t.pids.add(json(waiting.result).pid).add(json(quick.result).pid)
  })

  it('gives the handler the full context object', async () => {
    const { fn, result } = await run({
      'index.js': `exports.handler = async (event, context) => ({
        functionName: context.functionName, functionVersion: context.functionVersion,
        invokedFunctionArn: context.invokedFunctionArn, memoryLimitInMB: context.memoryLimitInMB,
        awsRequestId: context.awsRequestId, logGroupName: context.logGroupName, logStreamName: context.logStreamName,
        remaining: context.getRemainingTimeInMillis(), waits: context.callbackWaitsForEmptyEventLoop,
        clientContext: context.clientContext, trace: process.env._X_AMZN_TRACE_ID, pid: process.pid,
        fns: [typeof context.done, typeof context.succeed, typeof context.fail],
      })`,
    }, {}, { memoryMb: 256, timeoutSeconds: 7 })
    t.pids.add(json(result).pid)
    const again = await t.runtime.invoke(fn, request(fn, {}, {
      requestId: 'fixed-request-id', invokedFunctionArn: `${fn.functionArn}:live`, traceId: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1',
      clientContext: Buffer.from(JSON.stringify({ custom: { tenant: 'a' } })).toString('base64'),
    }))
    const ctx = json(again)
    assert.equal(ctx.functionName, fn.functionName)
    assert.equal(ctx.functionVersion, '$LATEST')
    assert.equal(ctx.invokedFunctionArn, `${fn.functionArn}:live`)
    assert.equal(ctx.memoryLimitInMB, '256')
    assert.equal(ctx.awsRequestId, 'fixed-request-id')
    assert.equal(ctx.logGroupName, `/aws/lambda/${fn.functionName}`)
    assert.match(ctx.logStreamName, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/)
    assert.ok(ctx.remaining > 6000 && ctx.remaining <= 7000, `remaining ${ctx.remaining}`)
    assert.equal(ctx.waits, true)
    assert.deepEqual(ctx.clientContext, { custom: { tenant: 'a' } })
    assert.equal(ctx.trace, 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1')
    assert.deepEqual(ctx.fns, ['function', 'function', 'function'])
    assert.match(json(result).trace, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/)
  })

  it('keeps _X_AMZN_TRACE_ID an ordinary variable (spread, listed, in child processes) without handing it to setenv', async () => {
    const fn = spec(t.code({ 'index.js': `const { execFileSync } = require('node:child_process')
      exports.handler = async () => ({
        read: process.env._X_AMZN_TRACE_ID, has: '_X_AMZN_TRACE_ID' in process.env,
        listed: Object.keys(process.env).filter((k) => k === '_X_AMZN_TRACE_ID').length, spread: { ...process.env }._X_AMZN_TRACE_ID,
        child: execFileSync('sh', ['-c', 'printf %s "$_X_AMZN_TRACE_ID"']).toString(),
        flags: process.execArgv.filter((a) => a.startsWith('--max-')), pid: process.pid,
        limits: require('node:worker_threads').resourceLimits,
      })` }))
    const traces = ['Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1', 'Root=1-5759e989-bd862e3fe1be46a994272794;Sampled=0']
    for (const traceId of traces) {
      const out = json(await t.runtime.invoke(fn, request(fn, {}, { traceId })))
      t.pids.add(out.pid)
      assert.deepEqual([out.read, out.has, out.listed, out.spread, out.child], [traceId, true, 1, traceId, traceId])
      // AWS's Node bootstrap: a tenth of the memory young (semi-spaces of half that), 90% old — a worker's as its resource limits.
      if (testExecutor === 'process') assert.deepEqual(out.flags, ['--max-semi-space-size=6', '--max-old-space-size=115'])
      else assert.deepEqual([out.limits.maxYoungGenerationSizeMb, out.limits.maxOldGenerationSizeMb], [18, 115])
    }
  })

  it('sets AWS standard variables, Nimbus credentials and the function variables', async () => {
    const { fn, result } = await run({ 'index.js': 'exports.handler = async () => ({ ...process.env, pid: process.pid })' }, {}, {
      environment: { TABLE: 'orders', AWS_REGION: 'eu-west-9', AWS_LAMBDA_FUNCTION_NAME: 'spoofed' },
    })
    const env = json(result)
    t.pids.add(env.pid)
    assert.equal(env.AWS_ENDPOINT_URL, 'http://127.0.0.1:4566')
    assert.equal(env.AWS_ACCESS_KEY_ID, fn.account)
    assert.ok(env.AWS_SECRET_ACCESS_KEY && env.AWS_SESSION_TOKEN)
    assert.equal(env.TABLE, 'orders')
    assert.equal(env.AWS_REGION, 'us-east-1', 'reserved names are not overridden')
    assert.equal(env.AWS_DEFAULT_REGION, 'us-east-1')
    assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, fn.functionName)
    assert.equal(env.AWS_LAMBDA_FUNCTION_VERSION, '$LATEST')
    assert.equal(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, '128')
    assert.equal(env.AWS_LAMBDA_LOG_GROUP_NAME, `/aws/lambda/${fn.functionName}`)
    assert.equal(env.AWS_EXECUTION_ENV, 'AWS_Lambda_nodejs22.x')
    assert.equal(env.LAMBDA_TASK_ROOT, fn.codeDir)
    assert.equal(env._HANDLER, 'index.handler')
    assert.equal(env.TZ, ':UTC')
    // A worker has no HTTP Runtime API: its bootstrap talks over the worker's port.
    if (testExecutor === 'worker') assert.equal(env.AWS_LAMBDA_RUNTIME_API, undefined)
    else assert.match(env.AWS_LAMBDA_RUNTIME_API, /^127\.0\.0\.1:\d+$/)
    assert.ok(env.LAMBDA_RUNTIME_DIR)
    for (const leaked of Object.keys(process.env).filter((k) => k.startsWith('npm_') || k === 'NODE_TEST_CONTEXT')) {
      assert.equal(env[leaked], undefined, `${leaked} leaked from Nimbus's environment`)
    }
  })

  it('finds modules in layers through NODE_PATH, later layers first', async () => {
    const early = t.code({ 'nodejs/node_modules/greeting/index.js': 'module.exports = "from early layer"', 'nodejs/node_modules/only-early/index.js': 'module.exports = 1' })
    const late = t.code({ 'nodejs/node22/node_modules/greeting/index.js': 'module.exports = "from late layer"' })
    const { result } = await run({ 'index.js': 'exports.handler = async () => ({ greeting: require("greeting"), early: require("only-early"), pid: process.pid })' }, {}, { layerDirs: [early, late] })
    assert.equal(result.outcome, 'success', result.payload.toString())
    assert.deepEqual({ ...json(result), pid: 0 }, { greeting: 'from late layer', early: 1, pid: 0 })
    t.pids.add(json(result).pid)
  })
})

describe('node runtime: results and errors', () => {
  it('returns body null when the handler returns undefined', async () => {
    const { result } = await run({ 'index.js': 'exports.handler = async () => undefined' })
    assert.equal(result.outcome, 'success')
    assert.equal(result.payload.toString(), 'null')
    const str = await run({ 'index.js': 'exports.handler = async () => "text"' })
    assert.equal(str.result.payload.toString(), '"text"')
  })

  it('reports a thrown error as {errorType, errorMessage, trace}', async () => {
    const { result } = await run({ 'index.js': 'class OrderError extends Error { name = "OrderError" }\nexports.handler = async () => { throw new OrderError("no stock") }' })
    assert.equal(result.outcome, 'error')
    assert.equal(result.errorType, 'OrderError')
    const body = json(result)
    assert.equal(body.errorType, 'OrderError')
    assert.equal(body.errorMessage, 'no stock')
    assert.ok(Array.isArray(body.trace) && body.trace[0] === 'OrderError: no stock')
    assert.match(result.log, /\tERROR\tInvoke Error \t\{"errorType":"OrderError"/)
  })

  it('fails a response over 6 MB with Function.ResponseSizeTooLarge', async () => {
    const { result } = await run({ 'index.js': 'exports.handler = async () => "x".repeat(6 * 1024 * 1024 + 200)' })
    assert.equal(result.outcome, 'error')
    assert.equal(result.errorType, 'Function.ResponseSizeTooLarge')
    assert.deepEqual(json(result), {
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
    })
  })

  it('reports init errors: missing file, missing export, syntax error, top-level throw', async () => {
    const missing = await run({ 'other.js': '' })
    assert.equal(missing.result.errorType, 'Runtime.ImportModuleError')
    assert.match(json(missing.result).errorMessage, /^Error: Cannot find module 'index'/)
    const noExport = await run({ 'index.js': 'exports.other = () => 1' })
    assert.equal(noExport.result.errorType, 'Runtime.HandlerNotFound')
    assert.equal(json(noExport.result).errorMessage, 'index.handler is undefined or not exported')
    const syntax = await run({ 'index.js': 'exports.handler = async () => {' })
    assert.equal(syntax.result.errorType, 'Runtime.UserCodeSyntaxError')
    assert.match(json(syntax.result).errorMessage, /^SyntaxError: /)
    const esmSyntax = await run({ 'index.mjs': 'export const handler = ;' })
    assert.equal(esmSyntax.result.errorType, 'Runtime.UserCodeSyntaxError')
    const thrown = await run({ 'index.js': 'throw new RangeError("bad config")' })
    assert.equal(thrown.result.errorType, 'RangeError')
    assert.equal(json(thrown.result).errorMessage, 'bad config')
    for (const { result } of [missing, noExport, syntax, thrown]) {
      assert.equal(result.outcome, 'error')
      assert.match(result.log, /INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error/)
      assert.match(result.log, /REPORT RequestId: .*\tStatus: error\tError Type: /)
    }
  })

  it('retries init on the next invoke after an init error (the environment is recycled)', async () => {
    const fn = spec(t.code({ 'index.js': 'if (!require("fs").existsSync(__dirname + "/ok")) throw new Error("not yet")\nexports.handler = async () => process.pid' }))
    const first = await t.runtime.invoke(fn, request(fn))
    assert.equal(first.errorType, 'Error')
    const { writeFileSync } = await import('node:fs')
    writeFileSync(`${fn.codeDir}/ok`, '')
    const second = await t.runtime.invoke(fn, request(fn))
    assert.equal(second.outcome, 'success')
    t.pids.add(json(second))
  })
})

describe('node runtime: logs', () => {
  it('writes console output in AWS format between START, END and REPORT on the environment stream', async () => {
    const fn = spec(t.code({ 'index.js': `console.log('init line')
      exports.handler = async (event, context) => {
        console.log('hello', { a: 1 }); console.warn('careful'); console.error('bad\\nworse'); console.debug('dbg')
        process.stdout.write('raw line\\n')
        return process.pid
      }` }))
    const cold = await t.runtime.invoke(fn, request(fn, {}, { requestId: 'req-1' }))
    const warm = await t.runtime.invoke(fn, request(fn, {}, { requestId: 'req-2' }))
    t.pids.add(json(cold))
    const lines = cold.log.slice(0, -1).split('\n')
    assert.ok(lines.some((l) => /^\d{4}-\d\d-\d\dT[\d:.]+Z\tundefined\tINFO\tinit line$/.test(l)), cold.log)
    const start = lines.indexOf('START RequestId: req-1 Version: $LATEST')
    assert.ok(start >= 0, cold.log)
    const body = lines.slice(start + 1)
    assert.match(body[0]!, /^\d{4}-\d\d-\d\dT[\d:.]+Z\treq-1\tINFO\thello \{ a: 1 \}$/)
    assert.match(body[1]!, /\treq-1\tWARN\tcareful$/)
    assert.match(body[2]!, /\treq-1\tERROR\tbad$/, 'a multi-line message stays one event')
    assert.equal(body[3], 'worse')
    assert.match(body[4]!, /\treq-1\tDEBUG\tdbg$/)
    assert.equal(body[5], 'raw line')
    assert.equal(body[6], 'END RequestId: req-1')
    assert.match(body[7]!, /^REPORT RequestId: req-1\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms\t$/)
    assert.doesNotMatch(warm.log, /Init Duration/)
    assert.match(warm.log, /^START RequestId: req-2 Version: \$LATEST\n/)
    // The sink got the same events, on one stream for the environment, under the function's name.
    const events = t.sink.events.filter((e) => e.functionName === fn.functionName)
    assert.equal(new Set(events.map((e) => e.logStream)).size, 1)
    assert.deepEqual(new Set(events.map((e) => `${e.account} ${e.region} ${e.logGroup}`)), new Set([`${fn.account} us-east-1 /aws/lambda/${fn.functionName}`]))
    assert.match(events[0]!.logStream, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/)
    assert.ok(events.some((e) => e.message === 'bad\nworse'.split('\n').join('\n') || e.message.endsWith('ERROR\tbad\nworse')))
    assert.ok(events.some((e) => e.message.startsWith('REPORT RequestId: req-2')))
    assert.ok(events.every((e) => e.timestamp === t.clock.now()), 'events are stamped with the clock')
  })
})
