// Invoking real handler code through @aws-sdk/client-lambda: Node and Python, results, errors,
// logs, timeouts on the manual clock, throttles, and SDK calls from inside a handler.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { InvokeCommand, PutFunctionConcurrencyCommand, type InvokeCommandOutput } from '@aws-sdk/client-lambda'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { createFunction, decode, lambdaClient } from '../../helpers/lambda.ts'

const nimbus = useNimbus()
const invoke = (name: string, payload: unknown, extra: Record<string, unknown> = {}): Promise<InvokeCommandOutput> =>
  lambdaClient(nimbus.current).send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)), ...extra }))

/** Resolves when the function's log group receives a line containing `text` (listens; never sleeps). */
function whenLogged(name: string, text: string): Promise<void> {
  return new Promise((resolve) => {
    const off = nimbus.current.services.logs.onAppended((e) => {
      if (e.logGroupName === `/aws/lambda/${name}` && e.events.some((ev) => ev.message.includes(text))) {
        off()
        resolve()
      }
    })
  })
}

describe('Lambda invoke', () => {
  it('runs a Node handler and returns its result with the executed version', async () => {
    const name = await createFunction(lambdaClient(nimbus.current),
      'exports.handler = async (event, context) => ({ got: event, fn: context.functionName, region: process.env.AWS_REGION })')
    const out = await invoke(name, { a: 1 })
    assert.equal(out.StatusCode, 200)
    assert.equal(out.FunctionError, undefined)
    assert.equal(out.ExecutedVersion, '$LATEST')
    assert.deepEqual(decode(out.Payload), { got: { a: 1 }, fn: name, region: 'us-east-1' })
  })

  it('reports a thrown error as Unhandled with errorType and errorMessage, and tails the log', async () => {
    const name = await createFunction(lambdaClient(nimbus.current),
      'exports.handler = async () => { console.log("about to fail"); throw new TypeError("bad input") }')
    const out = await invoke(name, {}, { LogType: 'Tail' })
    assert.equal(out.StatusCode, 200)
    assert.equal(out.FunctionError, 'Unhandled')
    const body = decode(out.Payload) as { errorType: string; errorMessage: string }
    assert.equal(body.errorType, 'TypeError')
    assert.equal(body.errorMessage, 'bad input')
    const log = Buffer.from(out.LogResult ?? '', 'base64').toString('utf8')
    assert.match(log, /START RequestId: /)
    assert.match(log, /about to fail/)
    assert.match(log, /REPORT RequestId: .*Duration: /)
  })

  it('returns null for a handler that returns nothing, and runs Python handlers', async () => {
    const node = await createFunction(lambdaClient(nimbus.current), 'exports.handler = async () => {}')
    assert.equal(Buffer.from((await invoke(node, {})).Payload!).toString(), 'null')
    const python = await createFunction(lambdaClient(nimbus.current),
      [{ path: 'app.py', content: 'def handler(event, context):\n    return {"py": event["n"] * 2, "fn": context.function_name}\n' }],
      { Runtime: 'python3.12', Handler: 'app.handler' })
    assert.deepEqual(decode((await invoke(python, { n: 21 })).Payload), { py: 42, fn: python })
  })

  it('times out on the clock: "Task timed out after 1.00 seconds", then recovers', async () => {
    const name = await createFunction(lambdaClient(nimbus.current),
      // The interval keeps the event loop busy: with an empty loop the runtime would answer null at once.
      'exports.handler = async (e) => { if (!e.hang) return "fine"; console.log("hanging now"); return new Promise(() => setInterval(() => {}, 60_000)) }',
      { Timeout: 1 })
    const logged = whenLogged(name, 'hanging now')
    const pending = invoke(name, { hang: true })
    // The timeout counts from when the handler has the event; its log line says it has.
    await logged
    await advance(nimbus.current, 1_000)
    const out = await pending
    assert.equal(out.FunctionError, 'Unhandled')
    const body = decode(out.Payload) as { errorType: string; errorMessage: string }
    assert.equal(body.errorType, 'Sandbox.Timedout')
    assert.match(body.errorMessage, /Task timed out after 1\.00 seconds/)
    assert.equal(decode((await invoke(name, {})).Payload), 'fine')
  })

  it('throttles with 429 when reserved concurrency is 0', async () => {
    const lambda = lambdaClient(nimbus.current)
    const name = await createFunction(lambda, 'exports.handler = async () => 1')
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 0 }))
    try {
      await invoke(name, {})
      assert.fail('expected a throttle')
    } catch (error) {
      const e = error as { name: string; Reason?: string; $metadata: { httpStatusCode: number } }
      assert.equal(e.name, 'TooManyRequestsException')
      assert.equal(e.$metadata.httpStatusCode, 429)
      assert.equal(e.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded')
    }
  })

  it('rejects bad payloads and unknown qualifiers with AWS errors', async () => {
    const lambda = lambdaClient(nimbus.current)
    const name = await createFunction(lambda, 'exports.handler = async () => 1')
    const bad = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{not json') })).catch((e: Error) => e)
    assert.equal((bad as Error).name, 'InvalidRequestContentException')
    const big = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify('x'.repeat(6 * 1024 * 1024))) })).catch((e: Error) => e)
    assert.equal((big as Error).name, 'RequestTooLargeException')
    const missing = await lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: '9' })).catch((e: Error) => e)
    assert.equal((missing as Error).name, 'ResourceNotFoundException')
    assert.match((missing as Error).message, new RegExp(`function:${name}:9$`))
    const dry = await lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'DryRun' }))
    assert.equal(dry.StatusCode, 204)
  })

  it('lets a handler call Nimbus through the SDK with AWS_ENDPOINT_URL', async () => {
    const name = await createFunction(lambdaClient(nimbus.current), `
      exports.handler = async () => {
        const r = await fetch(process.env.AWS_ENDPOINT_URL + '/_nimbus/health')
        return { status: r.status, endpoint: process.env.AWS_ENDPOINT_URL }
      }`)
    const out = decode((await invoke(name, {})).Payload) as { status: number; endpoint: string }
    assert.equal(out.status, 200)
    assert.equal(out.endpoint, nimbus.current.endpoint)
  })
})

describe('Lambda after a reset', () => {
  it('runs functions again after POST /_nimbus/reset', async () => {
    const first = await createFunction(lambdaClient(nimbus.current), 'exports.handler = async () => "before"')
    assert.equal(decode((await invoke(first, {})).Payload), 'before')
    nimbus.current.reset()
    const again = await createFunction(lambdaClient(nimbus.current), 'exports.handler = async () => "after"')
    assert.equal(decode((await invoke(again, {})).Payload), 'after')
  })

  it('lets an invocation in flight finish when the function is updated meanwhile', async () => {
    const lambda = lambdaClient(nimbus.current)
    const { UpdateFunctionConfigurationCommand } = await import('@aws-sdk/client-lambda')
    const name = await createFunction(lambda, `
      exports.handler = async (e) => {
        if (e.wait) { console.log("waiting now"); await new Promise((r) => setTimeout(r, 200)); return "finished" }
        return "quick"
      }`, { Timeout: 30 })
    const logged = whenLogged(name, 'waiting now')
    const pending = invoke(name, { wait: true })
    await logged
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Description: 'changed' }))
    const out = await pending
    assert.equal(out.FunctionError, undefined)
    assert.equal(decode(out.Payload), 'finished')
  })
})
