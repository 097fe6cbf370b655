// WebSocket APIs' data mapping ("Set up data mapping for WebSocket APIs"), end to end: integration
// request parameters from the handshake's query string and headers, `context.*`, `stageVariables.*`,
// the message body and static values, into an HTTP backend's headers, query string and path; the
// route's required request parameters refusing `$connect`; the mapping expressions CreateIntegration checks;
// and ContentHandlingStrategy ("Binary media types for WebSocket APIs"), with binary frames closing with 1003.
import assert from 'node:assert/strict'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import {
  CreateApiCommand, CreateIntegrationCommand, CreateIntegrationResponseCommand, CreateRouteCommand, CreateRouteResponseCommand, CreateStageCommand, UpdateIntegrationCommand, UpdateRouteCommand,
} from '@aws-sdk/client-apigatewayv2'
import { apiGatewayV2Client } from '../../helpers/apigatewayv2.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { openSocket, pathFormUrl, portOf, rawUpgrade } from '../../helpers/websocket.ts'

const nimbus = useNimbus()

/** What the backend saw: each request's URL, headers and body. */
type Seen = { url: string; headers: IncomingHttpHeaders; body: string; bytes: Buffer }
const seen: Seen[] = []
let arrived: ((request: Seen) => void) | undefined
/** The next request the backend gets. */
const nextRequest = () => new Promise<Seen>((resolve) => { arrived = resolve })
/** Not UTF-8: the backend's binary answer. */
const backendBytes = Buffer.from([0x00, 0x01, 0xfe, 0xff, 0x80])
let backend: Server
let backendUrl = ''
before(async () => {
  backend = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const bytes = Buffer.concat(chunks)
      const request = { url: req.url ?? '', headers: req.headers, body: bytes.toString('utf8'), bytes }
      seen.push(request)
      arrived?.(request)
      if (req.url === '/bytes') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' })
        return res.end(backendBytes)
      }
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"ok":true}')
    })
  })
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve))
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`
})
after(() => new Promise<void>((resolve) => backend.close(() => resolve())))

async function webSocketApi(): Promise<string> {
  const client = apiGatewayV2Client(nimbus.current)
  const { ApiId } = await client.send(new CreateApiCommand({ Name: uniqueName('ws'), ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))
  return ApiId!
}

describe('WebSocket API data mapping', { timeout: 60_000 }, () => {
  it("maps the handshake's query string and headers, context, stage variables and static values on $connect", async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const ApiId = await webSocketApi()
    const { IntegrationId } = await client.send(new CreateIntegrationCommand({
      ApiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'POST', IntegrationUri: `${backendUrl}/connect/{tenant}`,
    }))
    const { RouteId } = await client.send(new CreateRouteCommand({ ApiId, RouteKey: '$connect', Target: `integrations/${IntegrationId}` }))
    // The guide's two steps: declare the query string parameter on the route, then map it.
    await client.send(new UpdateRouteCommand({ ApiId, RouteId, RequestParameters: { 'route.request.querystring.authToken': { Required: false } } }))
    await client.send(new UpdateIntegrationCommand({ ApiId, IntegrationId, RequestParameters: {
      'integration.request.header.authToken': 'route.request.querystring.authToken',
      'integration.request.header.connectionId': 'context.connectionId',
      'integration.request.header.x-client': 'route.request.header.X-Client',
      'integration.request.querystring.tier': 'stageVariables.tier',
      'integration.request.querystring.fixed': "'static value'",
      'integration.request.path.tenant': 'route.request.querystring.tenant',
      'integration.request.header.x-absent': 'route.request.header.x-not-sent',
    } }))
    await client.send(new CreateStageCommand({ ApiId, StageName: 'dev', AutoDeploy: true, StageVariables: { tier: 'gold' } }))
    seen.length = 0
    const upgrade = await rawUpgrade(nimbus.current, `${ApiId}.execute-api.localhost:${portOf(nimbus.current)}`, '/dev?authToken=abc123&tenant=acme',
      { 'X-Client': 'cli/1.0', 'x-unmapped': 'not forwarded' })
    assert.equal(upgrade.status, 101)
    if ('socket' in upgrade) upgrade.socket.destroy()
    const [request] = seen
    assert.ok(request)
    assert.equal(request.url, '/connect/acme?tier=gold&fixed=static+value')
    assert.equal(request.headers['authtoken'], 'abc123')
    assert.match(String(request.headers['connectionid']), /^[\w=-]+$/)
    assert.equal(request.headers['x-client'], 'cli/1.0')
    // Unmapped client headers and a source the handshake lacks don't reach the backend.
    assert.equal(request.headers['x-unmapped'], undefined)
    assert.equal(request.headers['x-absent'], undefined)
  })

  it("maps a message body's field and the connection id into an HTTP integration's headers", async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const ApiId = await webSocketApi()
    const { IntegrationId } = await client.send(new CreateIntegrationCommand({
      ApiId, IntegrationType: 'HTTP', IntegrationMethod: 'POST', IntegrationUri: `${backendUrl}/message`,
      RequestParameters: {
        'integration.request.header.x-user': 'route.request.body.user.name',
        'integration.request.header.connectionId': 'context.connectionId',
        'integration.request.querystring.route': 'context.routeKey',
        // Headers exist only on $connect: on a message, nothing is mapped.
        'integration.request.header.x-agent': 'route.request.header.User-Agent',
      },
    }))
    await client.send(new CreateRouteCommand({ ApiId, RouteKey: 'send', Target: `integrations/${IntegrationId}` }))
    await client.send(new CreateStageCommand({ ApiId, StageName: 'dev', AutoDeploy: true }))
    const socket = await openSocket(pathFormUrl(nimbus.current, ApiId, 'dev'))
    const next = nextRequest()
    socket.send(JSON.stringify({ action: 'send', user: { name: 'ada' } }))
    const request = await next
    socket.socket.close()
    await socket.closed
    assert.equal(request!.url, '/message?route=send')
    assert.equal(request!.headers['x-user'], 'ada')
    assert.match(String(request!.headers['connectionid']), /^[\w=-]+$/)
    assert.equal(request!.headers['x-agent'], undefined)
    assert.equal(JSON.parse(request!.body).user.name, 'ada')
  })

  it("refuses $connect with 400 when a required route request parameter is missing, and accepts it when present", async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const ApiId = await webSocketApi()
    const { IntegrationId } = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'MOCK', RequestTemplates: { $default: '{"statusCode": 200}' } }))
    await client.send(new CreateRouteCommand({
      ApiId, RouteKey: '$connect', Target: `integrations/${IntegrationId}`,
      RequestParameters: { 'route.request.querystring.token': { Required: true }, 'route.request.header.X-Team': { Required: true }, 'route.request.header.X-Opt': { Required: false } },
    }))
    await client.send(new CreateStageCommand({ ApiId, StageName: 'dev', AutoDeploy: true }))
    const host = `${ApiId}.execute-api.localhost:${portOf(nimbus.current)}`
    const refused = await rawUpgrade(nimbus.current, host, '/dev')
    assert.equal(refused.status, 400)
    assert.deepEqual(JSON.parse('body' in refused ? refused.body : ''), { message: 'Missing required request parameters: [token, X-Team]' })
    const blank = await rawUpgrade(nimbus.current, host, '/dev?token=', { 'X-Team': 'red' })
    assert.equal(blank.status, 400)
    const accepted = await rawUpgrade(nimbus.current, host, '/dev?token=t1', { 'X-Team': 'red' })
    assert.equal(accepted.status, 101)
    if ('socket' in accepted) accepted.socket.destroy()
  })

  it('CreateIntegration refuses a mapping expression outside AWS\'s table', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const ApiId = await webSocketApi()
    const badTarget = await sdkError(client.send(new CreateIntegrationCommand({
      ApiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'POST', IntegrationUri: backendUrl, RequestParameters: { 'append:header.x': "'v'" },
    })))
    assert.equal(badTarget.name, 'BadRequestException')
    const badSource = await sdkError(client.send(new CreateIntegrationCommand({
      ApiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'POST', IntegrationUri: backendUrl, RequestParameters: { 'integration.request.header.x': 'method.request.header.y' },
    })))
    assert.equal(badSource.name, 'BadRequestException')
  })

  it('CONVERT_TO_BINARY decodes a base64 message for the backend; CONVERT_TO_TEXT answers its bytes as base64, CONVERT_TO_BINARY as a binary frame', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const ApiId = await webSocketApi()
    const http = await client.send(new CreateIntegrationCommand({
      ApiId, IntegrationType: 'HTTP', IntegrationMethod: 'POST', IntegrationUri: `${backendUrl}/bytes`, ContentHandlingStrategy: 'CONVERT_TO_BINARY',
    }))
    await client.send(new CreateIntegrationResponseCommand({ ApiId, IntegrationId: http.IntegrationId, IntegrationResponseKey: '$default', ContentHandlingStrategy: 'CONVERT_TO_TEXT' }))
    const mock = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'MOCK', RequestTemplates: { $default: '{"statusCode": 200}' } }))
    await client.send(new CreateIntegrationResponseCommand({
      ApiId, IntegrationId: mock.IntegrationId, IntegrationResponseKey: '$default', ContentHandlingStrategy: 'CONVERT_TO_BINARY',
      ResponseTemplates: { $default: Buffer.from('hi!').toString('base64') },
    }))
    for (const [key, id] of [['$default', http.IntegrationId], ['blob', mock.IntegrationId]] as const) {
      const route = await client.send(new CreateRouteCommand({ ApiId, RouteKey: key, Target: `integrations/${id}`, RouteResponseSelectionExpression: '$default' }))
      await client.send(new CreateRouteResponseCommand({ ApiId, RouteId: route.RouteId, RouteResponseKey: '$default' }))
    }
    await client.send(new CreateStageCommand({ ApiId, StageName: 'dev', AutoDeploy: true }))
    const socket = await openSocket(pathFormUrl(nimbus.current, ApiId, 'dev'))
    const kinds: string[] = []
    socket.socket.addEventListener('message', (event) => kinds.push(typeof event.data === 'string' ? 'text' : 'binary'))
    const sent = Buffer.from([0xde, 0xad, 0xbe, 0xef])
    const next = nextRequest()
    socket.send(sent.toString('base64'))
    assert.deepEqual((await next).bytes, sent)
    assert.equal(await socket.next(), backendBytes.toString('base64'))
    socket.send(JSON.stringify({ action: 'blob' }))
    assert.equal(await socket.next(), 'hi!')
    assert.deepEqual(kinds, ['text', 'binary'])
    socket.socket.close()
    await socket.closed
    const bad = await sdkError(client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'MOCK', ContentHandlingStrategy: 'CONVERT_TO_JSON' as never })))
    assert.equal(bad.name, 'BadRequestException')
  })

  it('closes the connection with 1003 on a binary frame, as AWS does, and runs $disconnect', async () => {
    const ApiId = await webSocketApi()
    const client = apiGatewayV2Client(nimbus.current)
    const { IntegrationId } = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'POST', IntegrationUri: `${backendUrl}/gone` }))
    await client.send(new CreateRouteCommand({ ApiId, RouteKey: '$disconnect', Target: `integrations/${IntegrationId}` }))
    await client.send(new CreateStageCommand({ ApiId, StageName: 'dev', AutoDeploy: true }))
    const socket = await openSocket(pathFormUrl(nimbus.current, ApiId, 'dev'))
    const disconnected = nextRequest()
    socket.send(Buffer.from([1, 2, 3]))
    assert.equal((await socket.closed).code, 1003)
    assert.equal((await disconnected).url, '/gone')
  })
})
