// OS-only runtimes: Nimbus executes the function's own `bootstrap`, which speaks the Runtime API
// itself (as AWS's runtime interface clients and custom runtimes do). Plus runtimes it can't run.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { json, request, spec, testRuntime } from './helpers.ts'

const t = testRuntime()
after(() => t.cleanUp())

/** A custom runtime in Python, using nothing but the Runtime API and the standard library. */
const pythonBootstrap = `#!/usr/bin/env python3
import json, os, urllib.request
api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/invocation/"
while True:
    with urllib.request.urlopen(api + "next") as r:
        request_id = r.headers["Lambda-Runtime-Aws-Request-Id"]
        deadline = int(r.headers["Lambda-Runtime-Deadline-Ms"])
        event = json.loads(r.read())
    print("handling", request_id, flush=True)
    if event.get("fail"):
        body = json.dumps({"errorMessage": "custom failure", "errorType": "CustomError"}).encode()
        req = urllib.request.Request(api + request_id + "/error", data=body, method="POST",
            headers={"Lambda-Runtime-Function-Error-Type": "CustomError"})
    else:
        body = json.dumps({"echo": event, "pid": os.getpid(), "handler": os.environ["_HANDLER"],
            "path": os.environ["PATH"], "hasDeadline": deadline > 0, "execEnv": os.environ.get("AWS_EXECUTION_ENV")}).encode()
        req = urllib.request.Request(api + request_id + "/response", data=body, method="POST")
    urllib.request.urlopen(req).read()
`

describe('provided runtimes', () => {
  it('runs the bootstrap in the code directory against the Runtime API', async () => {
    const layer = t.code({ 'bin/tool': { content: '#!/bin/sh\n', mode: 0o755 } })
    const fn = spec(t.code({ bootstrap: { content: pythonBootstrap, mode: 0o755 } }), {
      runtime: 'provided.al2023', handler: 'my.handler', layerDirs: [layer],
    })
    const result = await t.runtime.invoke(fn, request(fn, { hello: 'world' }, { requestId: 'custom-1' }))
    assert.equal(result.outcome, 'success', result.payload.toString())
    const body = json(result)
    assert.deepEqual(body.echo, { hello: 'world' })
    assert.equal(body.handler, 'my.handler')
    assert.equal(body.hasDeadline, true)
    assert.equal(body.execEnv, null, 'OS-only runtimes have no AWS_EXECUTION_ENV')
    // (A pyenv shim in front of python3 may put its own directory first.)
    assert.ok(body.path.split(':').includes(`${layer}/bin`), 'layer bin/ directories are on PATH')
    assert.match(result.log, /\nhandling custom-1\n/)
    const failed = await t.runtime.invoke(fn, request(fn, { fail: true }))
    assert.equal(failed.errorType, 'CustomError')
    assert.deepEqual(json(failed), { errorMessage: 'custom failure', errorType: 'CustomError' })
    const again = await t.runtime.invoke(fn, request(fn))
    assert.equal(json(again).pid, body.pid)
    t.pids.add(body.pid)
  })

  it('takes the bootstrap from a layer when the code has none', async () => {
    const layer = t.code({ bootstrap: { content: pythonBootstrap, mode: 0o755 } })
    const fn = spec(t.code({ 'README': 'no bootstrap here' }), { runtime: 'provided.al2', layerDirs: [layer] })
    const result = await t.runtime.invoke(fn, request(fn))
    assert.equal(result.outcome, 'success', result.payload.toString())
    t.pids.add(json(result).pid)
  })

  it('fails with Runtime.InvalidEntrypoint without a usable bootstrap', async () => {
    const dir = t.code({ 'README': '' })
    const fn = spec(dir, { runtime: 'provided.al2023' })
    const missing = await t.runtime.invoke(fn, request(fn, {}, { requestId: 'no-boot' }))
    assert.equal(missing.outcome, 'error')
    assert.equal(missing.errorType, 'Runtime.InvalidEntrypoint')
    assert.equal(json(missing).errorMessage, `RequestId: no-boot Error: Couldn't find valid bootstrap(s): [${dir}/bootstrap]`)
    const notExecutable = spec(t.code({ bootstrap: { content: '#!/bin/sh\n', mode: 0o644 } }), { runtime: 'provided.al2023' })
    const denied = await t.runtime.invoke(notExecutable, request(notExecutable))
    assert.equal(denied.errorType, 'Runtime.InvalidEntrypoint')
    assert.match(json(denied).errorMessage, /permission denied$/)
  })

  it('reports a bootstrap that exits during init as Runtime.ExitError', async () => {
    const fn = spec(t.code({ bootstrap: { content: '#!/bin/sh\necho "cannot start" >&2\nexit 7\n', mode: 0o755 } }), { runtime: 'provided.al2023' })
    const result = await t.runtime.invoke(fn, request(fn, {}, { requestId: 'early-exit' }))
    assert.equal(result.errorType, 'Runtime.ExitError')
    assert.equal(json(result).errorMessage, 'RequestId: early-exit Error: Runtime exited with error: exit status 7')
    assert.match(result.log, /^cannot start\nSTART RequestId: early-exit/, 'init output comes before START, as on AWS')
  })

  it('answers a runtime it cannot run with a clear error instead of failing', async () => {
    const fn = spec(t.code({ 'Main.java': '' }), { runtime: 'java21', handler: 'example.Handler' })
    const result = await t.runtime.invoke(fn, request(fn, {}, { requestId: 'java' }))
    assert.equal(result.outcome, 'error')
    assert.equal(result.errorType, 'Runtime.Unavailable')
    assert.match(json(result).errorMessage, /^RequestId: java Error: Nimbus cannot run the java21 runtime/)
  })
})
