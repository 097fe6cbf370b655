// The Runtime API server on its own: the routes, statuses and headers a runtime relies on.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { rawRequest } from '../helpers/raw-http.ts'
import { MAX_RESPONSE_BYTES, RuntimeApiServer, type Delivery, type ReportedError } from '../../src/runtime/runtime-api.ts'

const events: { kind: string; id?: string; body?: string; error?: ReportedError }[] = []
const server = new RuntimeApiServer({
  ready: () => events.push({ kind: 'ready' }),
  initError: (error) => events.push({ kind: 'initError', error }),
  response: (id, body) => events.push({ kind: 'response', id, body: body.toString() }),
  responseTooLarge: (id) => events.push({ kind: 'tooLarge', id }),
  invocationError: (id, error) => events.push({ kind: 'error', id, error }),
})
let base = ''
before(async () => {
  base = `http://${await server.listen()}/2018-06-01/runtime`
})
after(() => server.close())

const delivery = (requestId: string, extra: Partial<Delivery> = {}): Delivery => ({
  requestId, payload: Buffer.from('{"k":1}'), deadlineMs: 1_700_000_003_000,
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f:live', traceId: 'Root=1-abc;Sampled=0', ...extra,
})

describe('runtime API server', () => {
  it('long-polls /next until an invocation is delivered, with the Lambda headers', async () => {
    const next = fetch(`${base}/invocation/next`)
    await waitForEvent('ready')
    server.deliver(delivery('req-1', { clientContext: '{"custom":{"a":"b"}}' }))
    const res = await next
    assert.equal(res.status, 200)
    assert.equal(await res.text(), '{"k":1}')
    assert.equal(res.headers.get('lambda-runtime-aws-request-id'), 'req-1')
    assert.equal(res.headers.get('lambda-runtime-deadline-ms'), '1700000003000')
    assert.equal(res.headers.get('lambda-runtime-invoked-function-arn'), 'arn:aws:lambda:us-east-1:123456789012:function:f:live')
    assert.equal(res.headers.get('lambda-runtime-trace-id'), 'Root=1-abc;Sampled=0')
    assert.equal(res.headers.get('lambda-runtime-client-context'), '{"custom":{"a":"b"}}')
  })

  it('accepts one answer per invocation: 202, then 403; 400 for an unknown id', async () => {
    const ok = await fetch(`${base}/invocation/req-1/response`, { method: 'POST', body: '"done"' })
    assert.equal(ok.status, 202)
    assert.deepEqual(await ok.json(), { status: 'OK' })
    assert.deepEqual(events.at(-1), { kind: 'response', id: 'req-1', body: '"done"' })
    const again = await fetch(`${base}/invocation/req-1/response`, { method: 'POST', body: '"twice"' })
    assert.equal(again.status, 403)
    assert.equal((await again.json() as { errorType: string }).errorType, 'InvalidStateTransition')
    const unknown = await fetch(`${base}/invocation/nobody/error`, { method: 'POST', body: '{}' })
    assert.equal(unknown.status, 400)
    assert.equal((await unknown.json() as { errorType: string }).errorType, 'InvalidRequestID')
  })

  it('delivers an invocation queued before the runtime polls', async () => {
    server.deliver(delivery('req-2', { clientContext: 'bad\nheader' }))
    const res = await fetch(`${base}/invocation/next`)
    assert.equal(res.headers.get('lambda-runtime-aws-request-id'), 'req-2')
    assert.equal(res.headers.get('lambda-runtime-client-context'), null, 'an unsendable header is left out')
    await res.arrayBuffer()
  })

  it('takes the error type from the body, else from Lambda-Runtime-Function-Error-Type', async () => {
    const body = '{"errorType":"BodyError","errorMessage":"m","stackTrace":[]}'
    const res = await fetch(`${base}/invocation/req-2/error`, { method: 'POST', body, headers: { 'Lambda-Runtime-Function-Error-Type': 'HeaderError' } })
    assert.equal(res.status, 202)
    assert.equal(events.at(-1)!.error!.errorType, 'BodyError')
    assert.equal(events.at(-1)!.error!.payload.toString(), body)
    for (const [id, text, header, expected] of [['req-3', 'not json', 'Runtime.Crashed', 'Runtime.Crashed'], ['req-4', '', undefined, 'Runtime.UnknownReason']] as const) {
      server.deliver(delivery(id))
      await (await fetch(`${base}/invocation/next`)).arrayBuffer()
      const headers: Record<string, string> = header === undefined ? {} : { 'Lambda-Runtime-Function-Error-Type': header }
      await (await fetch(`${base}/invocation/${id}/error`, { method: 'POST', body: text, headers })).arrayBuffer()
      const error = events.at(-1)!.error!
      assert.equal(error.errorType, expected)
      assert.deepEqual(JSON.parse(error.payload.toString()), { errorType: expected, errorMessage: text })
    }
  })

  it('answers a response over 6 MB with 413 and reports it', async () => {
    server.deliver(delivery('big'))
    await (await fetch(`${base}/invocation/next`)).arrayBuffer()
    const res = await fetch(`${base}/invocation/big/response`, { method: 'POST', body: Buffer.alloc(MAX_RESPONSE_BYTES + 1, 97) })
    assert.equal(res.status, 413)
    assert.equal((await res.json() as { errorType: string }).errorType, 'RequestEntityTooLarge')
    assert.deepEqual(events.at(-1), { kind: 'tooLarge', id: 'big' })
  })

  it('takes init errors, and 404s anything else', async () => {
    const res = await fetch(`${base}/init/error`, { method: 'POST', body: '{"errorType":"Runtime.ImportModuleError","errorMessage":"x"}' })
    assert.equal(res.status, 202)
    assert.equal(events.at(-1)!.error!.errorType, 'Runtime.ImportModuleError')
    assert.equal((await fetch(`${base}/invocation/next/extra`)).status, 404)
    assert.equal((await fetch(`http://${new URL(base).host}/other`)).status, 404)
  })

  it('refuses browsers (an Origin header) and rebinding names (a foreign Host) without touching the invocation', async () => {
    const root = `http://${new URL(base).host}`
    const fromPage = await rawRequest(root, { method: 'GET', path: '/2018-06-01/runtime/invocation/next', headers: { origin: 'https://evil.example' } })
    assert.equal(fromPage.status, 403)
    const rebound = await rawRequest(root, { path: '/2018-06-01/runtime/invocation/x/response', body: '"forged"', headers: { host: 'evil.example' } })
    assert.equal(rebound.status, 403)
    assert.ok(!events.some((e) => e.body === '"forged"'))
    const local = await rawRequest(root, { path: '/2018-06-01/runtime/init/error', body: '{}', headers: { host: `localhost:${new URL(base).port}` } })
    assert.equal(local.status, 202)
  })
})

async function waitForEvent(kind: string): Promise<void> {
  for (let i = 0; i < 100_000 && !events.some((e) => e.kind === kind); i += 1) await new Promise((r) => setImmediate(r))
  assert.ok(events.some((e) => e.kind === kind), `no ${kind} event`)
}
