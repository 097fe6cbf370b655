// REST APIs' HTTP_PROXY and HTTP integrations against a local backend: method, path ({proxy}),
// query, headers and body through and the answer back (AWS's remapped and dropped headers),
// mapping templates and parameter mappings, status-code selection patterns, the integration timeout
// on the manual clock (504) and a backend that refuses connections (500).
import assert from 'node:assert/strict'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { apiGatewayClient, createApi, createPath, deploy, invoke, nonProxyMethod } from '../../helpers/apigateway.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

interface Seen { method: string; url: string; headers: IncomingHttpHeaders; body: string }

let backend: Server
let base = ''
const seen: Seen[] = []

before(async () => {
  backend = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      if (req.url?.startsWith('/hang')) return
      const status = Number(/status=(\d{3})/.exec(req.url ?? '')?.[1] ?? 200)
      res.setHeader('content-type', 'application/json')
      res.setHeader('set-cookie', ['a=1', 'b=2'])
      res.setHeader('server', 'test-backend')
      res.setHeader('x-backend', 'yes')
      res.writeHead(status)
      res.end(JSON.stringify({ method: req.method, url: req.url, got: Buffer.concat(chunks).toString('utf8') }))
    })
  })
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`
})

after(async () => {
  backend.closeAllConnections()
  await new Promise((resolve) => backend.close(resolve))
})

const inFlight = () => (nimbus.current.health().apigateway as { inFlight?: number }).inFlight ?? 0

describe('API Gateway HTTP_PROXY and HTTP integrations', () => {
  it('passes method, {proxy} path, query, headers and body to the backend and its answer back, in both URL forms', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const proxy = await createPath(client, api, '/shop/{proxy+}')
    await nonProxyMethod(client, { restApiId: api.id, resourceId: proxy, httpMethod: 'ANY' }, {
      type: 'HTTP_PROXY', integrationHttpMethod: 'ANY', uri: `${base}/backend/{proxy}`,
      requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy', 'integration.request.header.X-Stage': 'stageVariables.s' },
    }, [])
    await deploy(client, api.id, 'dev', { s: 'blue' })
    for (const form of ['host', 'path'] as const) {
      seen.length = 0
      const res = await invoke(nimbus.current, form, api.id, 'dev', '/shop/a/b%20c?x=1&x=2&y=z', {
        method: 'PUT', headers: { 'content-type': 'text/plain', 'x-custom': 'hello', connection: 'keep-alive' }, body: 'payload',
      })
      assert.equal(res.status, 200, form)
      assert.deepEqual(res.json(), { method: 'PUT', url: '/backend/a/b%20c?x=1&x=2&y=z', got: 'payload' })
      const got = seen[0]!
      assert.equal(got.headers['x-custom'], 'hello')
      assert.equal(got.headers['x-stage'], 'blue')
      assert.equal(got.headers['connection'] === 'keep-alive', false, 'hop-by-hop headers are not passed on')
      assert.equal(got.headers['content-type'], 'text/plain')
      assert.equal(got.headers['x-amzn-apigateway-api-id'], api.id)
      assert.equal(got.headers['x-forwarded-for'], '127.0.0.1')
      assert.match(String(got.headers['x-amzn-trace-id']), /^Root=1-/)
      assert.equal(got.headers.host, new URL(base).host)
      // The answer: headers as the backend sent them, Set-Cookie repeated, Server renamed (AWS's header table).
      assert.equal(res.headers['x-backend'], 'yes')
      assert.deepEqual(res.headers['set-cookie'], ['a=1', 'b=2'])
      assert.equal(res.headers['server'] === 'test-backend', false)
      assert.equal(res.headers['x-amzn-remapped-server'], 'test-backend')
      assert.ok(res.headers['x-amzn-remapped-date'])
      assert.ok(res.headers['x-amzn-requestid'])
    }
  })

  it('passes the backend status through and answers 500 when the backend refuses the connection', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const status = await createPath(client, api, '/status')
    await nonProxyMethod(client, { restApiId: api.id, resourceId: status, httpMethod: 'GET' },
      { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${base}/echo` }, [])
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const deadPort = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const dead = await createPath(client, api, '/dead')
    await nonProxyMethod(client, { restApiId: api.id, resourceId: dead, httpMethod: 'GET' },
      { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `http://127.0.0.1:${deadPort}/x` }, [])
    await deploy(client, api.id, 'dev')
    const notFound = await invoke(nimbus.current, 'host', api.id, 'dev', '/status?status=404')
    assert.equal(notFound.status, 404)
    const refused = await invoke(nimbus.current, 'path', api.id, 'dev', '/dead')
    assert.equal(refused.status, 500)
    assert.deepEqual(refused.json(), { message: 'Internal server error' })
    // Nimbus keeps serving.
    assert.equal((await invoke(nimbus.current, 'host', api.id, 'dev', '/status')).status, 200)
  })

  it('runs an HTTP integration with mapping templates, parameter mappings and status-code selection patterns', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const pets = await createPath(client, api, '/pets/{id}')
    await nonProxyMethod(client, { restApiId: api.id, resourceId: pets, httpMethod: 'POST' }, {
      type: 'HTTP', integrationHttpMethod: 'POST', uri: `${base}/items/{itemId}`,
      requestParameters: {
        'integration.request.path.itemId': 'method.request.path.id',
        'integration.request.header.X-From': 'method.request.header.X-Client',
        'integration.request.querystring.status': 'method.request.querystring.want',
      },
      requestTemplates: { 'application/json': '{"name": "$input.path(\'$.name\')", "stage": "$context.stage"}' },
    }, [
      { statusCode: '200', responseTemplates: { 'application/json': '{"echo": $input.json(\'$.got\'), "seen": "$input.path(\'$.url\')"}' },
        responseParameters: { 'method.response.header.X-Backend': 'integration.response.header.x-backend' } },
      { statusCode: '400', selectionPattern: '4\\d{2}', responseTemplates: { 'application/json': '{"failed": true}' } },
    ])
    await deploy(client, api.id, 'v1')
    seen.length = 0
    const ok = await invoke(nimbus.current, 'host', api.id, 'v1', '/pets/7?want=200', {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-client': 'tester' }, body: '{"name":"rex"}',
    })
    assert.equal(ok.status, 200)
    assert.equal(ok.headers['x-backend'], 'yes')
    assert.deepEqual(ok.json(), { echo: '{"name": "rex", "stage": "v1"}', seen: '/items/7?status=200' })
    assert.equal(seen[0]!.headers['x-from'], 'tester')
    assert.equal(seen[0]!.headers['x-client'], undefined, 'a non-proxy integration sends only mapped headers')
    const failed = await invoke(nimbus.current, 'path', api.id, 'v1', '/pets/7?want=422', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"rex"}',
    })
    assert.equal(failed.status, 400)
    assert.deepEqual(failed.json(), { failed: true })
  })

  it('answers 504 Endpoint request timed out when the backend outlasts timeoutInMillis on the clock', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const slow = await createPath(client, api, '/slow')
    await nonProxyMethod(client, { restApiId: api.id, resourceId: slow, httpMethod: 'GET' },
      { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${base}/hang`, timeoutInMillis: 5_000 }, [])
    const custom = await createPath(client, api, '/slow-custom')
    await nonProxyMethod(client, { restApiId: api.id, resourceId: custom, httpMethod: 'GET' },
      { type: 'HTTP', integrationHttpMethod: 'GET', uri: `${base}/hang` }, [{ statusCode: '200' }])
    await deploy(client, api.id, 'dev')
    for (const [path, ms] of [['/slow', 5_000], ['/slow-custom', 29_000]] as const) {
      const pending = invoke(nimbus.current, 'host', api.id, 'dev', path)
      while (inFlight() === 0) await new Promise((resolve) => setImmediate(resolve))
      await advance(nimbus.current, ms - 1)
      assert.equal(inFlight(), 1, `${path} still waiting`)
      await advance(nimbus.current, 1)
      const res = await pending
      assert.equal(res.status, 504, path)
      assert.deepEqual(res.json(), { message: 'Endpoint request timed out' })
    }
  })

  it('lets a browser preflight reach the API: an OPTIONS MOCK method answers it, no OPTIONS method is Missing Authentication Token', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const items = await createPath(client, api, '/items')
    await nonProxyMethod(client, { restApiId: api.id, resourceId: items, httpMethod: 'OPTIONS' },
      { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } },
      [{ statusCode: '200', responseParameters: {
        'method.response.header.Access-Control-Allow-Origin': "'https://app.example'",
        'method.response.header.Access-Control-Allow-Methods': "'GET,OPTIONS'",
      } }])
    await createPath(client, api, '/bare').then((bare) => nonProxyMethod(client, { restApiId: api.id, resourceId: bare, httpMethod: 'GET' },
      { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${base}/bare` }, []))
    await deploy(client, api.id, 'dev')
    const preflight = { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' } }
    const res = await invoke(nimbus.current, 'host', api.id, 'dev', '/items', preflight)
    assert.equal(res.status, 200)
    assert.equal(res.headers['access-control-allow-origin'], 'https://app.example')
    assert.equal(res.headers['access-control-allow-methods'], 'GET,OPTIONS')
    const none = await invoke(nimbus.current, 'path', api.id, 'dev', '/bare', preflight)
    assert.equal(none.status, 403)
    assert.deepEqual(none.json(), { message: 'Missing Authentication Token' })
  })
})
