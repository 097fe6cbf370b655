// HTTP APIs' HTTP_PROXY integrations against a local backend (path variables, query, headers,
// body; request and response parameter mapping; quick create with a URL; 503 on the clock, 500 when
// refused), CorsConfiguration applied by the gateway (preflights, CORS headers, the backend's own
// ignored) and the Update* operations (UpdateApi, DeleteCorsConfiguration, UpdateRoute,
// UpdateIntegration, UpdateStage).
import assert from 'node:assert/strict'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import {
  CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, DeleteCorsConfigurationCommand, GetApiCommand,
  UpdateApiCommand, UpdateIntegrationCommand, UpdateRouteCommand, UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2'
import { sendTo } from '../../helpers/apigateway.ts'
import { apiGatewayV2Client, invokeHttpApi } from '../../helpers/apigatewayv2.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

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
      res.setHeader('content-type', 'application/json')
      res.setHeader('x-backend', 'yes')
      res.setHeader('set-cookie', ['a=1', 'b=2'])
      res.setHeader('access-control-allow-origin', 'https://backend.example')
      res.writeHead(Number(/status=(\d{3})/.exec(req.url ?? '')?.[1] ?? 200))
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

const inFlight = () => (nimbus.current.health().apigatewayv2 as { inFlight?: number }).inFlight ?? 0

/** An HTTP API with an AutoDeploy `$default` stage and one HTTP_PROXY route. */
async function proxyApi(routeKey: string, uri: string, extra: Record<string, unknown> = {}, cors?: Record<string, unknown>) {
  const client = apiGatewayV2Client(nimbus.current)
  const api = await client.send(new CreateApiCommand({ Name: uniqueName('http'), ProtocolType: 'HTTP', ...(cors && { CorsConfiguration: cors }) }))
  const integration = await client.send(new CreateIntegrationCommand({
    ApiId: api.ApiId!, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'ANY', IntegrationUri: uri, PayloadFormatVersion: '1.0', ...extra,
  }))
  const route = await client.send(new CreateRouteCommand({ ApiId: api.ApiId!, RouteKey: routeKey, Target: `integrations/${integration.IntegrationId}` }))
  await client.send(new CreateStageCommand({ ApiId: api.ApiId!, StageName: '$default', AutoDeploy: true }))
  return { client, apiId: api.ApiId!, integrationId: integration.IntegrationId!, routeId: route.RouteId! }
}

describe('HTTP API HTTP_PROXY integrations', () => {
  it('passes method, path variables, query, headers and body through, with parameter mapping both ways, in both URL forms', async () => {
    const { apiId } = await proxyApi('ANY /items/{proxy+}', `${base}/api/{proxy}`, {
      RequestParameters: {
        'append:header.x-added': 'static-${request.path.proxy}', 'overwrite:querystring.q': '$request.header.x-q', 'remove:header.x-drop': "''",
      },
      ResponseParameters: { 200: { 'append:header.x-resp': '$response.header.x-backend', 'overwrite:statuscode': '202' } },
    })
    const port = new URL(nimbus.current.endpoint).port
    for (const [host, path] of [[`${apiId}.execute-api.localhost:${port}`, '/items/a/b?q=1&z=2'],
      [`localhost:${port}`, `/restapis/${apiId}/$default/_user_request_/items/a/b?q=1&z=2`]]) {
      seen.length = 0
      const res = await sendTo(nimbus.current, host!, path!, {
        method: 'POST', headers: { 'content-type': 'text/plain', 'x-q': 'mapped', 'x-drop': 'gone', 'x-keep': 'kept' }, body: 'hello',
      })
      assert.equal(res.status, 202, host)
      assert.deepEqual(res.json(), { method: 'POST', url: '/api/a/b?q=mapped&z=2', got: 'hello' })
      assert.equal(res.headers['x-resp'], 'yes')
      assert.deepEqual(res.headers['set-cookie'], ['a=1', 'b=2'])
      assert.ok(res.headers['apigw-requestid'])
      const got = seen[0]!
      assert.equal(got.headers['x-keep'], 'kept')
      assert.equal(got.headers['x-drop'], undefined)
      assert.equal(got.headers['x-added'], 'static-a/b')
      assert.match(String(got.headers['forwarded']), /for=127\.0\.0\.1;host=.+;proto=http/)
      assert.equal(got.headers.host, new URL(base).host)
    }
  })

  it('serves a quick-created API whose Target is a URL, and answers 503 on the clock and 500 for a refused connection', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const quick = await client.send(new CreateApiCommand({ Name: uniqueName('quick'), ProtocolType: 'HTTP', Target: `${base}/quick` }))
    const res = await invokeHttpApi(nimbus.current, quick.ApiId!, '/whatever?x=1')
    assert.equal(res.status, 200)
    assert.deepEqual(res.json(), { method: 'GET', url: '/quick?x=1', got: '' })

    const { apiId } = await proxyApi('GET /slow', `${base}/hang`, { TimeoutInMillis: 2_000 })
    const pending = invokeHttpApi(nimbus.current, apiId, '/slow')
    while (inFlight() === 0) await new Promise((resolve) => setImmediate(resolve))
    await advance(nimbus.current, 1_999)
    assert.equal(inFlight(), 1)
    await advance(nimbus.current, 1)
    const slow = await pending
    assert.equal(slow.status, 503)
    assert.deepEqual(slow.json(), { message: 'Service Unavailable' })

    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const deadPort = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const dead = await proxyApi('GET /dead', `http://127.0.0.1:${deadPort}/`)
    const refused = await invokeHttpApi(nimbus.current, dead.apiId, '/dead')
    assert.equal(refused.status, 500)
    assert.deepEqual(refused.json(), { message: 'Internal Server Error' })
  })

  it('refuses bad mapping keys and URIs', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const api = await client.send(new CreateApiCommand({ Name: uniqueName('bad'), ProtocolType: 'HTTP' }))
    const bad = await sdkError(client.send(new CreateIntegrationCommand({
      ApiId: api.ApiId!, IntegrationType: 'HTTP_PROXY', IntegrationUri: `${base}/x`, RequestParameters: { 'replace:header.x': 'y' },
    })))
    assert.equal(bad.name, 'BadRequestException')
    const notUrl = await sdkError(client.send(new CreateIntegrationCommand({ ApiId: api.ApiId!, IntegrationType: 'HTTP_PROXY', IntegrationUri: 'nope' })))
    assert.equal(notUrl.name, 'BadRequestException')
  })
})

// A Nimbus where only apigatewayv2 has served anything: API Gateway, which serves the invoke hosts, is not loaded.
const fresh = useNimbus()

describe('HTTP API CORS configuration and updates', () => {
  const origin = 'https://app.example.com'

  it('answers a browser\'s first request, a preflight, by the API\'s configuration (not the gateway\'s refusal)', async () => {
    const client = apiGatewayV2Client(fresh.current)
    const { ApiId } = await client.send(new CreateApiCommand({ Name: uniqueName('cors-first'), ProtocolType: 'HTTP',
      CorsConfiguration: { AllowOrigins: [origin], AllowMethods: ['GET'] } }))
    await client.send(new CreateStageCommand({ ApiId, StageName: '$default', AutoDeploy: true }))
    const preflight = await invokeHttpApi(fresh.current, ApiId!, '/items', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET' } })
    assert.equal(preflight.status, 204)
    assert.equal(preflight.headers['access-control-allow-origin'], origin)
    assert.equal(preflight.headers['access-control-allow-methods'], 'GET')
    assert.equal(typeof preflight.headers['apigw-requestid'], 'string')
    assert.equal(preflight.headers['x-amzn-requestid'], undefined)
  })

  it('answers preflights itself and puts the configured headers on answers, ignoring the backend\'s', async () => {
    const { client, apiId } = await proxyApi('ANY /items', `${base}/items`, {}, {
      AllowOrigins: [origin], AllowMethods: ['GET', 'POST'], AllowHeaders: ['content-type', 'x-token'], ExposeHeaders: ['x-backend'],
      MaxAge: 300, AllowCredentials: true,
    })
    const got = await client.send(new GetApiCommand({ ApiId: apiId }))
    assert.deepEqual(got.CorsConfiguration?.AllowOrigins, [origin])
    seen.length = 0
    const preflight = await invokeHttpApi(nimbus.current, apiId, '/items', {
      method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-token' },
    })
    assert.equal(preflight.status, 204)
    assert.equal(preflight.headers['access-control-allow-origin'], origin)
    assert.equal(preflight.headers['access-control-allow-methods'], 'GET,POST')
    assert.equal(preflight.headers['access-control-allow-headers'], 'content-type,x-token')
    assert.equal(preflight.headers['access-control-max-age'], '300')
    assert.equal(preflight.headers['access-control-allow-credentials'], 'true')
    assert.equal(seen.length, 0, 'the preflight never reached the backend')
    // Also for a path no route has.
    assert.equal((await invokeHttpApi(nimbus.current, apiId, '/nowhere', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET' } })).status, 204)

    const res = await invokeHttpApi(nimbus.current, apiId, '/items', { headers: { origin } })
    assert.equal(res.status, 200)
    assert.equal(res.headers['access-control-allow-origin'], origin)
    assert.equal(res.headers['access-control-expose-headers'], 'x-backend')
    assert.equal(res.headers['access-control-allow-credentials'], 'true')
    const other = await invokeHttpApi(nimbus.current, apiId, '/items', { headers: { origin: 'https://evil.example' } })
    assert.equal(other.headers['access-control-allow-origin'], undefined, 'the backend\'s CORS header is ignored')

    // UpdateApi replaces the configuration (the AutoDeploy stage serves it at once); DeleteCorsConfiguration removes it.
    await client.send(new UpdateApiCommand({ ApiId: apiId, Name: 'renamed', CorsConfiguration: { AllowOrigins: ['https://*'] } }))
    assert.equal((await client.send(new GetApiCommand({ ApiId: apiId }))).Name, 'renamed')
    const wildcard = await invokeHttpApi(nimbus.current, apiId, '/items', { headers: { origin: 'https://any.example' } })
    assert.equal(wildcard.headers['access-control-allow-origin'], 'https://any.example')
    await client.send(new DeleteCorsConfigurationCommand({ ApiId: apiId }))
    assert.equal((await client.send(new GetApiCommand({ ApiId: apiId }))).CorsConfiguration, undefined)
    const plain = await invokeHttpApi(nimbus.current, apiId, '/items', { headers: { origin } })
    assert.equal(plain.headers['access-control-allow-origin'], 'https://backend.example', 'without CORS configuration the backend\'s header passes')
    const credentialsStar = await sdkError(client.send(new UpdateApiCommand({ ApiId: apiId, CorsConfiguration: { AllowOrigins: ['*'], AllowCredentials: true } })))
    assert.equal(credentialsStar.name, 'BadRequestException')
  })

  it('updates routes, integrations and stages', async () => {
    const { client, apiId, integrationId, routeId } = await proxyApi('GET /one', `${base}/one`)
    assert.equal((await invokeHttpApi(nimbus.current, apiId, '/one')).status, 200)
    const route = await client.send(new UpdateRouteCommand({ ApiId: apiId, RouteId: routeId, RouteKey: 'GET /two' }))
    assert.equal(route.RouteKey, 'GET /two')
    const integration = await client.send(new UpdateIntegrationCommand({ ApiId: apiId, IntegrationId: integrationId, IntegrationUri: `${base}/two` }))
    assert.equal(integration.IntegrationUri, `${base}/two`)
    assert.equal(integration.IntegrationType, 'HTTP_PROXY')
    assert.equal((await invokeHttpApi(nimbus.current, apiId, '/one')).status, 404)
    assert.deepEqual((await invokeHttpApi(nimbus.current, apiId, '/two')).json(), { method: 'GET', url: '/two', got: '' })
    const stage = await client.send(new UpdateStageCommand({ ApiId: apiId, StageName: '$default', Description: 'd', StageVariables: { a: 'b' } }))
    assert.equal(stage.Description, 'd')
    assert.deepEqual(stage.StageVariables, { a: 'b' })
    const missing = await sdkError(client.send(new UpdateRouteCommand({ ApiId: apiId, RouteId: 'nope123', RouteKey: 'GET /x' })))
    assert.equal(missing.name, 'NotFoundException')
  })
})
