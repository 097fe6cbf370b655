// Runtimes through the Lambda service: a Python error payload, a custom runtime (provided.al2023) whose
// bootstrap speaks the Runtime API itself, ESM handlers, a layer's node module, and an alias invoked by
// qualifier (aws-behaviour.md §2.1, §2.3).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateAliasCommand, InvokeCommand, PublishLayerVersionCommand, PublishVersionCommand, UpdateFunctionCodeCommand,
  type InvokeCommandOutput,
} from '@aws-sdk/client-lambda'
import { useNimbus } from '../../helpers/nimbus.ts'
import { createFunction, decode, lambdaClient } from '../../helpers/lambda.ts'
import { makeZip } from '../../helpers/zip.ts'

const nimbus = useNimbus()
const invoke = (name: string, payload: unknown, extra: Record<string, unknown> = {}): Promise<InvokeCommandOutput> =>
  lambdaClient(nimbus.current).send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)), ...extra }))

/** A custom runtime: the Runtime API loop written by hand, as a `provided.al2023` bootstrap does it. */
const pythonBootstrap = `#!/usr/bin/env python3
import json, os, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
base = 'http://' + os.environ['AWS_LAMBDA_RUNTIME_API'] + '/2018-06-01/runtime'
while True:
    with opener.open(base + '/invocation/next') as r:
        request_id = r.headers['Lambda-Runtime-Aws-Request-Id']
        invoked_arn = r.headers['Lambda-Runtime-Invoked-Function-Arn']
        deadline = int(r.headers['Lambda-Runtime-Deadline-Ms'])
        event = json.loads(r.read())
    print('custom runtime got', json.dumps(event), flush=True)
    if event.get('fail'):
        body = {'errorMessage': 'custom failure', 'errorType': 'CustomError', 'stackTrace': []}
        req = urllib.request.Request(base + '/invocation/' + request_id + '/error', data=json.dumps(body).encode(),
                                     method='POST', headers={'Lambda-Runtime-Function-Error-Type': 'CustomError'})
    else:
        body = {'echo': event, 'requestId': request_id, 'arn': invoked_arn, 'handler': os.environ['_HANDLER'],
                'deadlineIsNumber': deadline > 0}
        req = urllib.request.Request(base + '/invocation/' + request_id + '/response', data=json.dumps(body).encode(), method='POST')
    with opener.open(req) as r:
        assert r.status == 202
`

describe('Lambda runtimes through the service', () => {
  it('answers a Python exception with errorMessage, errorType, requestId and stackTrace', async () => {
    const name = await createFunction(lambdaClient(nimbus.current), [{ path: 'app.py', content: [
      'def handler(event, context):',
      '    print("about to raise")',
      '    raise ValueError("bad thing " + str(event["n"]))',
      '',
    ].join('\n') }], { Runtime: 'python3.12', Handler: 'app.handler' })
    const out = await invoke(name, { n: 7 })
    assert.equal(out.StatusCode, 200)
    assert.equal(out.FunctionError, 'Unhandled')
    const body = decode(out.Payload) as { errorMessage: string; errorType: string; requestId: string; stackTrace: string[] }
    assert.deepEqual(Object.keys(body), ['errorMessage', 'errorType', 'requestId', 'stackTrace'])
    assert.equal(body.errorMessage, 'bad thing 7')
    assert.equal(body.errorType, 'ValueError')
    assert.equal(body.requestId, out.$metadata.requestId)
    assert.equal(body.stackTrace.length, 1)
    assert.match(body.stackTrace[0]!, /^ {2}File ".*app\.py", line 3, in handler\n {4}raise ValueError\("bad thing " \+ str\(event\["n"\]\)\)\n$/)
  })

  it('runs a provided.al2023 bootstrap that implements the Runtime API loop itself', async () => {
    const lambda = lambdaClient(nimbus.current)
    const name = await createFunction(lambda, [{ path: 'bootstrap', content: pythonBootstrap, mode: 0o755 }],
      { Runtime: 'provided.al2023', Handler: 'function.handler' })
    const out = await invoke(name, { hi: 'there' }, { LogType: 'Tail' })
    assert.equal(out.FunctionError, undefined)
    assert.deepEqual(decode(out.Payload), {
      echo: { hi: 'there' }, requestId: out.$metadata.requestId, handler: 'function.handler', deadlineIsNumber: true,
      arn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    })
    assert.match(Buffer.from(out.LogResult!, 'base64').toString(), /custom runtime got \{"hi": "there"\}/)

    // The same process serves the next invocation, and reports errors through /error.
    const failed = await invoke(name, { fail: true })
    assert.equal(failed.FunctionError, 'Unhandled')
    assert.deepEqual(decode(failed.Payload), { errorMessage: 'custom failure', errorType: 'CustomError', stackTrace: [] })
    assert.deepEqual((decode((await invoke(name, { again: 1 })).Payload) as { echo: unknown }).echo, { again: 1 })
  })

  it('runs ES module handlers (index.mjs, top-level await)', async () => {
    const name = await createFunction(lambdaClient(nimbus.current), [{ path: 'index.mjs', content: `
      import { basename } from 'node:path'
      const ready = await Promise.resolve('loaded')
      export const handler = async (event, context) => ({ ready, file: basename(new URL(import.meta.url).pathname), fn: context.functionName, got: event })
    ` }])
    const out = await invoke(name, { x: 1 })
    assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString())
    assert.deepEqual(decode(out.Payload), { ready: 'loaded', file: 'index.mjs', fn: name, got: { x: 1 } })
  })

  it("loads a node module from a layer's nodejs/node_modules", async () => {
    const lambda = lambdaClient(nimbus.current)
    const layer = await lambda.send(new PublishLayerVersionCommand({
      LayerName: 'greeter-layer', CompatibleRuntimes: ['nodejs22.x'],
      Content: { ZipFile: makeZip([{ path: 'nodejs/node_modules/greeter/index.js', content: 'module.exports = (who) => `hello ${who} from a layer`' }]) },
    }))
    const name = await createFunction(lambda, 'const greet = require("greeter"); exports.handler = async (e) => greet(e.who)',
      { Layers: [layer.LayerVersionArn!] })
    assert.equal(decode((await invoke(name, { who: 'world' })).Payload), 'hello world from a layer')
  })

  it('invokes the version an alias points at and reports it as ExecutedVersion', async () => {
    const lambda = lambdaClient(nimbus.current)
    const source = (tag: string) => `exports.handler = async (e, context) => ({ tag: '${tag}', version: process.env.AWS_LAMBDA_FUNCTION_VERSION, arn: context.invokedFunctionArn })`
    const name = await createFunction(lambda, source('v1'))
    const published = await lambda.send(new PublishVersionCommand({ FunctionName: name }))
    assert.equal(published.Version, '1')
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: makeZip([{ path: 'index.js', content: source('latest') }]) }))
    await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }))
    const arn = `arn:aws:lambda:us-east-1:000000000000:function:${name}`

    const byQualifier = await invoke(name, {}, { Qualifier: 'live' })
    assert.equal(byQualifier.ExecutedVersion, '1')
    assert.deepEqual(decode(byQualifier.Payload), { tag: 'v1', version: '1', arn: `${arn}:live` })
    const byName = await invoke(`${name}:live`, {})
    assert.equal(byName.ExecutedVersion, '1')
    const byVersion = await invoke(name, {}, { Qualifier: '1' })
    assert.deepEqual([byVersion.ExecutedVersion, (decode(byVersion.Payload) as { arn: string }).arn], ['1', `${arn}:1`])
    const latest = await invoke(name, {})
    assert.equal(latest.ExecutedVersion, '$LATEST')
    assert.deepEqual(decode(latest.Payload), { tag: 'latest', version: '$LATEST', arn })
  })
})
