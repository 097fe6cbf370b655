// The Python runtime on the host's python3: handlers, context, logging, AWS's error bodies.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { json, request, spec, testRuntime } from './helpers.ts'

const t = testRuntime()
after(() => t.cleanUp())

const py = (files: Record<string, string>, overrides: Parameters<typeof spec>[1] = {}) =>
  spec(t.code(files), { runtime: 'python3.12', handler: 'app.handler', ...overrides })

describe('python runtime', () => {
  it('runs a handler with the context object, and reuses the environment', async () => {
    const fn = py({
      'app.py': `import logging, os
logger = logging.getLogger()
logger.setLevel(logging.INFO)
def handler(event, context):
    print("got", event["n"])
    logger.info("via logging")
    return {"pid": os.getpid(), "n": event["n"], "name": context.function_name, "id": context.aws_request_id,
            "memory": context.memory_limit_in_mb, "arn": context.invoked_function_arn, "group": context.log_group_name,
            "stream": context.log_stream_name, "remaining": context.get_remaining_time_in_millis(),
            "endpoint": os.environ["AWS_ENDPOINT_URL"], "env": os.environ["AWS_EXECUTION_ENV"], "key": os.environ["AWS_ACCESS_KEY_ID"]}
`,
    }, { timeoutSeconds: 5 })
    const first = await t.runtime.invoke(fn, request(fn, { n: 1 }, { requestId: 'py-1' }))
    assert.equal(first.outcome, 'success', first.payload.toString())
    const body = json(first)
    assert.equal(body.n, 1)
    assert.equal(body.name, fn.functionName)
    assert.equal(body.id, 'py-1')
    assert.equal(body.memory, '128')
    assert.equal(body.arn, fn.functionArn)
    assert.equal(body.group, `/aws/lambda/${fn.functionName}`)
    assert.match(body.stream, /\[\$LATEST\][0-9a-f]{32}$/)
    assert.ok(body.remaining > 4000 && body.remaining <= 5000)
    assert.equal(body.endpoint, 'http://127.0.0.1:4566')
    assert.equal(body.env, 'AWS_Lambda_python3.12')
    assert.equal(body.key, fn.account)
    assert.match(first.log, /\ngot 1\n/)
    assert.match(first.log, /\n\[INFO\]\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\tpy-1\tvia logging\n/)
    const second = await t.runtime.invoke(fn, request(fn, { n: 2 }))
    assert.equal(json(second).pid, body.pid)
    t.pids.add(body.pid)
  })

  it('reports a raised exception as {errorMessage, errorType, requestId, stackTrace}', async () => {
    const fn = py({ 'app.py': 'def handler(event, context):\n    raise ValueError("bad order")\n' })
    const result = await t.runtime.invoke(fn, request(fn, {}, { requestId: 'py-err' }))
    assert.equal(result.outcome, 'error')
    assert.equal(result.errorType, 'ValueError')
    const body = json(result)
    assert.equal(body.errorMessage, 'bad order')
    assert.equal(body.errorType, 'ValueError')
    assert.equal(body.requestId, 'py-err')
    assert.equal(body.stackTrace.length, 1)
    assert.match(body.stackTrace[0], /app\.py", line 2, in handler\n {4}raise ValueError\("bad order"\)\n/)
    assert.match(result.log, /\[ERROR\] ValueError: bad order\nTraceback \(most recent call last\):\n/)
  })

  it('reports init errors: missing module, syntax error, missing handler', async () => {
    const missing = await t.runtime.invoke(...call(py({ 'other.py': '' })))
    assert.equal(missing.errorType, 'Runtime.ImportModuleError')
    assert.equal(json(missing).errorMessage, "Unable to import module 'app': No module named 'app'")
    const syntax = await t.runtime.invoke(...call(py({ 'app.py': 'def handler(:\n' })))
    assert.equal(syntax.errorType, 'Runtime.UserCodeSyntaxError')
    assert.match(json(syntax).errorMessage, /^Syntax error in module 'app': /)
    const noHandler = await t.runtime.invoke(...call(py({ 'app.py': 'x = 1\n' })))
    assert.equal(noHandler.errorType, 'Runtime.HandlerNotFound')
    assert.equal(json(noHandler).errorMessage, "Handler 'handler' missing on module 'app'")
    const dotted = await t.runtime.invoke(...call(py({ 'pkg/__init__.py': '', 'pkg/mod.py': 'def go(e, c):\n    return "dotted"\n' }, { handler: 'pkg.mod.go' })))
    assert.equal(json(dotted), 'dotted')
  })

  it('finds layer packages through PYTHONPATH, and returns null for None', async () => {
    const layer = t.code({ 'python/shared_lib.py': 'VALUE = "from layer"\n', 'python/lib/python3.12/site-packages/sitepkg.py': 'VALUE = 2\n' })
    const fn = py({ 'app.py': 'import shared_lib, sitepkg\ndef handler(e, c):\n    return [shared_lib.VALUE, sitepkg.VALUE] if e.get("v") else None\n' }, { layerDirs: [layer] })
    assert.deepEqual(json(await t.runtime.invoke(fn, request(fn, { v: 1 }))), ['from layer', 2])
    assert.equal((await t.runtime.invoke(fn, request(fn))).payload.toString(), 'null')
  })

  it('gives user code each invocation\'s _X_AMZN_TRACE_ID in os.environ without setting it in the C environment', async () => {
    const fn = py({ 'app.py': `import ctypes, os
libc = ctypes.CDLL(None)
libc.getenv.restype = ctypes.c_char_p
def handler(event, context):
    key = "_X_AMZN_TRACE_ID"
    return {"read": os.environ[key], "get": os.getenv(key), "has": key in os.environ, "copied": dict(os.environ).get(key),
            "listed": [k for k in os.environ if k == key], "bytes": os.environb[key.encode()].decode(),
            "c": (libc.getenv(key.encode()) or b"").decode(), "pid": os.getpid()}
` })
    const traces = ['Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1', 'Root=1-5759e989-bd862e3fe1be46a994272794;Sampled=0']
    const pids = new Set<number>()
    for (const traceId of traces) {
      const result = await t.runtime.invoke(fn, request(fn, {}, { traceId }))
      assert.equal(result.outcome, 'success', result.payload.toString())
      const out = json(result)
      pids.add(out.pid)
      t.pids.add(out.pid)
      assert.deepEqual([out.read, out.get, out.has, out.copied, out.listed, out.bytes], [traceId, traceId, true, traceId, ['_X_AMZN_TRACE_ID'], traceId])
      // The C library's environment never gets it (glibc's setenv keeps every distinct value: a leak an invocation).
      assert.equal(out.c, '')
    }
    assert.equal(pids.size, 1) // one warm process read both ids
  })

  it('doesn\'t leave a _X_AMZN_TRACE_ID user code set itself in the C environment for the next invocation; children given os.environ get the current one', async () => {
    const fn = py({ 'app.py': `import os, subprocess
KEY = "_X_AMZN_TRACE_ID"
def child(**kw):
    return subprocess.run(["sh", "-c", 'printf %s "$_X_AMZN_TRACE_ID"'], capture_output=True, text=True, **kw).stdout
def handler(event, context):
    before = {"inherited": child(), "given": child(env=os.environ), "copied": child(env=os.environ.copy()), "read": os.environ.get(KEY)}
    if event.get("set"):
        os.environ[KEY] = event["set"]
    if event.get("delete"):
        del os.environ[KEY]
    return {**before, "after": child(), "pid": os.getpid()}
` })
    const traces = ['Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1', 'Root=1-5759e989-bd862e3fe1be46a994272794;Sampled=0',
      'Root=1-5759e990-bd862e3fe1be46a994272795;Sampled=1']
    const run = async (traceId: string, event: Record<string, unknown>) => {
      const result = await t.runtime.invoke(fn, request(fn, event, { traceId }))
      assert.equal(result.outcome, 'success', result.payload.toString())
      t.pids.add(json(result).pid)
      return json(result)
    }
    // User code sets its own id: its children see it for the rest of that invocation.
    const first = await run(traces[0]!, { set: 'Root=user-set' })
    assert.deepEqual([first.inherited, first.given, first.copied, first.read, first.after], ['', traces[0], traces[0], traces[0], 'Root=user-set'])
    // The next invocation's id is the one os.environ holds, and the C environment holds no stale one.
    const second = await run(traces[1]!, { delete: true })
    assert.deepEqual([second.inherited, second.given, second.copied, second.read, second.after], ['', traces[1], traces[1], traces[1], ''])
    // Deleted by user code, the next invocation has its own id again.
    const third = await run(traces[2]!, {})
    assert.deepEqual([third.inherited, third.given, third.read], ['', traces[2], traces[2]])
    assert.equal(new Set([first.pid, second.pid, third.pid]).size, 1) // one warm process
  })

  it('turns a memory blow-up into MemoryError in that invocation only', async () => {
    const fn = py({ 'app.py': 'def handler(e, c):\n    if e.get("grow"):\n        return len(bytearray(4 * 1024 ** 3))\n    return "fine"\n' })
    const blown = await t.runtime.invoke(fn, request(fn, { grow: true }))
    assert.equal(blown.errorType, 'MemoryError')
    assert.equal(json(await t.runtime.invoke(fn, request(fn))), 'fine')
  })
})

function call(fn: ReturnType<typeof py>) {
  return [fn, request(fn)] as const
}
