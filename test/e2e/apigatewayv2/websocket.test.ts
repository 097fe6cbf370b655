// WebSocket APIs end to end: the control plane through @aws-sdk/client-apigatewayv2, real WebSocket
// clients, and a chat where the `send` route's Lambda posts to the other connection through
// @aws-sdk/client-apigatewaymanagementapi pointed at Nimbus (connection ids kept in DynamoDB).
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import {
  CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateRouteResponseCommand, CreateStageCommand, GetApiCommand,
  GetRouteResponsesCommand, GetRoutesCommand,
} from '@aws-sdk/client-apigatewayv2'
import { ApiGatewayManagementApiClient, DeleteConnectionCommand, GetConnectionCommand, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi'
import { ScanCommand } from '@aws-sdk/client-dynamodb'
import { activeTable, dynamoClient } from '../../helpers/dynamodb.ts'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { apiGatewayV2Client } from '../../helpers/apigatewayv2.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { advance, testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { managementClient, openSocket, pathFormUrl, portOf, rawUpgrade, readFrame } from '../../helpers/websocket.ts'
import { encodeFrame } from '../../../src/protocol/websocket.ts'

const nimbus = useNimbus(process.env.WS_DEBUG === '1' ? { log: (line) => console.error(line) } : {})

/** One function for every route, as the AWS chat sample is written: connection ids live in a DynamoDB table. */
const chat = `
const { DynamoDBClient, PutItemCommand, DeleteItemCommand, ScanCommand } = require('@aws-sdk/client-dynamodb')
const { ApiGatewayManagementApiClient, PostToConnectionCommand } = require('@aws-sdk/client-apigatewaymanagementapi')
const db = new DynamoDBClient({})
exports.handler = async (event) => {
  const { routeKey, connectionId, apiId, stage } = event.requestContext
  const TableName = process.env.TABLE
  const query = event.queryStringParameters || {}
  if (routeKey === '$connect') {
    if (query.show === '1') return { statusCode: 403, body: JSON.stringify(event) }
    if (query.deny === '1') return { statusCode: 401, body: 'not you' }
    if (query.status) return { statusCode: Number(query.status) }
    await db.send(new PutItemCommand({ TableName, Item: { id: { S: connectionId } } }))
    return { statusCode: 200, ...(query.protocol ? { headers: { 'Sec-WebSocket-Protocol': query.protocol } } : {}) }
  }
  if (routeKey === '$disconnect') {
    await db.send(new DeleteItemCommand({ TableName, Key: { id: { S: connectionId } } }))
    return { statusCode: 200 }
  }
  if (routeKey === 'echo') return { statusCode: 200, body: JSON.stringify(event) }
  if (routeKey === 'fail') throw new Error('failing on purpose')
  if (routeKey === 'send') {
    // The management API at Nimbus's path-form URL (AWS: https://{domainName}/{stage}).
    const management = new ApiGatewayManagementApiClient({ endpoint: process.env.AWS_ENDPOINT_URL + '/restapis/' + apiId + '/' + stage + '/_user_request_' })
    const { Items } = await db.send(new ScanCommand({ TableName }))
    for (const item of Items) {
      if (item.id.S !== connectionId) await management.send(new PostToConnectionCommand({ ConnectionId: item.id.S, Data: Buffer.from(JSON.parse(event.body).data) }))
    }
    return { statusCode: 200 }
  }
  return { statusCode: 200, body: 'default: ' + event.body }
}`

async function chatApi(options: { withDefault?: boolean } = {}): Promise<{ apiId: string; table: string }> {
  const client = apiGatewayV2Client(nimbus.current)
  const table = await activeTable(nimbus.current, dynamoClient(nimbus.current), {
    TableName: uniqueName('connections'), BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  })
  const lambda = lambdaClient(nimbus.current)
  // The function finds the SDK as on AWS, where the Node runtimes include it.
  const name = await createFunction(lambda, chat, { Timeout: 30, Environment: { Variables: { TABLE: table, NODE_PATH: join(process.cwd(), 'node_modules') } } })
  const arn = (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.FunctionArn!
  const api = await client.send(new CreateApiCommand({ Name: uniqueName('ws'), ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))
  const integration = await client.send(new CreateIntegrationCommand({
    ApiId: api.ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`,
  }))
  const target = `integrations/${integration.IntegrationId}`
  for (const key of ['$connect', '$disconnect', 'send', 'fail']) {
    await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: key, Target: target }))
  }
  // `echo` (and `$default`) are two-way: the route response sends the function's body back.
  for (const key of ['echo', ...(options.withDefault === true ? ['$default'] : [])]) {
    const route = await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: key, Target: target, RouteResponseSelectionExpression: '$default' }))
    await client.send(new CreateRouteResponseCommand({ ApiId: api.ApiId, RouteId: route.RouteId, RouteResponseKey: '$default' }))
  }
  await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'dev', AutoDeploy: true }))
  return { apiId: api.ApiId!, table }
}

const scanIds = async (table: string) => {
  const db = dynamoClient(nimbus.current)
  return ((await db.send(new ScanCommand({ TableName: table }))).Items ?? []).map((i) => i['id']!.S!)
}

describe('WebSocket APIs', { timeout: 60_000 }, () => {
  it('are created with a route selection expression, routes, route responses and stages', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    await assert.rejects(client.send(new CreateApiCommand({ Name: 'ws', ProtocolType: 'WEBSOCKET' })), { name: 'BadRequestException' })
    const api = await client.send(new CreateApiCommand({ Name: 'ws', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))
    assert.equal(api.ProtocolType, 'WEBSOCKET')
    assert.equal(api.RouteSelectionExpression, '$request.body.action')
    assert.equal(api.ApiEndpoint, `ws://${api.ApiId}.execute-api.localhost:${portOf(nimbus.current)}`)
    assert.equal((await client.send(new GetApiCommand({ ApiId: api.ApiId }))).ProtocolType, 'WEBSOCKET')
    const mock = await client.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'MOCK', RequestTemplates: { '$default': '{"statusCode": 200}' } }))
    assert.equal(mock.IntegrationType, 'MOCK')
    assert.deepEqual(mock.RequestTemplates, { '$default': '{"statusCode": 200}' })
    await assert.rejects(client.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: 'arn:aws:lambda:us-east-1:000000000000:function:x', PayloadFormatVersion: '2.0' })),
      { name: 'BadRequestException' })
    const route = await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'sendmessage', Target: `integrations/${mock.IntegrationId}`, RouteResponseSelectionExpression: '$default' }))
    assert.equal(route.RouteResponseSelectionExpression, '$default')
    await assert.rejects(client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'sendmessage' })), { name: 'ConflictException' })
    const response = await client.send(new CreateRouteResponseCommand({ ApiId: api.ApiId, RouteId: route.RouteId, RouteResponseKey: '$default' }))
    assert.deepEqual((await client.send(new GetRouteResponsesCommand({ ApiId: api.ApiId, RouteId: route.RouteId }))).Items?.map((r) => r.RouteResponseId), [response.RouteResponseId])
    await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: '$connect', Target: `integrations/${mock.IntegrationId}` }))
    assert.deepEqual((await client.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items?.map((r) => r.RouteKey).sort(), ['$connect', 'sendmessage'])
    await assert.rejects(client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default' })), { name: 'BadRequestException' })
    const stage = await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'prod', AutoDeploy: true }))
    assert.ok(stage.DeploymentId !== undefined || stage.AutoDeploy === true)
    // A MOCK `$connect` accepts; a message to the MOCK route has nothing to send back.
    const socket = await openSocket(pathFormUrl(nimbus.current, api.ApiId!, 'prod'))
    socket.send('{"action":"nothing-here"}')
    assert.match(await socket.next(), /^\{"message": "Forbidden", "connectionId":"[^"]+", "requestId":"[^"]+"\}$/)
    socket.socket.close()
    await socket.closed
  })

  it('runs a chat: $connect stores the id, send posts to the other connection through @connections, $disconnect removes it', async () => {
    const { apiId, table } = await chatApi()
    const alice = await openSocket(pathFormUrl(nimbus.current, apiId, 'dev'))
    const bob = await openSocket(pathFormUrl(nimbus.current, apiId, 'dev'))
    assert.equal((await scanIds(table)).length, 2)
    alice.send(JSON.stringify({ action: 'send', data: 'hello bob' }))
    assert.equal(await bob.next(), 'hello bob')
    bob.send(JSON.stringify({ action: 'send', data: 'hi alice' }))
    assert.equal(await alice.next(), 'hi alice')
    // Two-way route: the function's body comes back; the MESSAGE event as AWS shapes it.
    alice.send(JSON.stringify({ action: 'echo', n: 1 }))
    const event = JSON.parse(await alice.next()) as { body: string; isBase64Encoded: boolean; requestContext: Record<string, unknown> }
    assert.equal(event.body, '{"action":"echo","n":1}')
    assert.equal(event.isBase64Encoded, false)
    assert.equal(event.requestContext['eventType'], 'MESSAGE')
    assert.equal(event.requestContext['routeKey'], 'echo')
    assert.equal(event.requestContext['stage'], 'dev')
    assert.equal(event.requestContext['apiId'], apiId)
    assert.equal(event.requestContext['messageDirection'], 'IN')
    assert.equal(typeof event.requestContext['connectionId'], 'string')
    assert.equal(typeof event.requestContext['messageId'], 'string')
    assert.equal(typeof event.requestContext['connectedAt'], 'number')
    // No route for the action and no `$default`: AWS's error frame. A failing function: Internal server error.
    alice.send(JSON.stringify({ action: 'nope' }))
    assert.match(await alice.next(), /^\{"message": "Forbidden", "connectionId":"[^"]+", "requestId":"[^"]+"\}$/)
    alice.send(JSON.stringify({ action: 'fail' }))
    assert.match(await alice.next(), /^\{"message": "Internal server error", "connectionId":"[^"]+"/)
    bob.socket.close(1000, 'bye')
    await bob.closed
    // `$disconnect` ran (best effort, asynchronously): the table loses bob's id.
    for (let i = 0; i < 200 && (await scanIds(table)).length !== 1; i++) await new Promise((r) => setTimeout(r, 25))
    assert.equal((await scanIds(table)).length, 1)
    alice.socket.close()
    await alice.closed
  })

  it('serves @connections at the API URL: GetConnection, PostToConnection, DeleteConnection, GoneException', async () => {
    const { apiId, table } = await chatApi({ withDefault: true })
    const socket = await openSocket(pathFormUrl(nimbus.current, apiId, 'dev'))
    // Non-JSON bodies (and actions without a route) go to `$default`.
    socket.send('plain text')
    assert.equal(await socket.next(), 'default: plain text')
    const [id] = await scanIds(table)
    const management = managementClient(nimbus.current, apiId, 'dev')
    const info = await management.send(new GetConnectionCommand({ ConnectionId: id }))
    assert.equal(info.Identity?.SourceIp, '127.0.0.1')
    assert.ok(info.ConnectedAt instanceof Date && info.LastActiveAt instanceof Date)
    await management.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from('{"from":"server"}') }))
    assert.equal(await socket.next(), '{"from":"server"}')
    // Nimbus's plain endpoint (AWS_ENDPOINT_URL) works too: connection ids are unique.
    const plain = new ApiGatewayManagementApiClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 })
    assert.equal((await plain.send(new GetConnectionCommand({ ConnectionId: id }))).Identity?.UserAgent, info.Identity?.UserAgent)
    // The host form naming another API: that API has no such connection.
    await assert.rejects(managementClient(nimbus.current, 'otherapi12', 'dev').send(new GetConnectionCommand({ ConnectionId: id })), { name: 'GoneException' })
    await management.send(new DeleteConnectionCommand({ ConnectionId: id }))
    assert.equal((await socket.closed).code, 1000)
    const gone = await management.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from('x') })).catch((e: unknown) => e)
    assert.equal((gone as { name: string }).name, 'GoneException')
    assert.equal((gone as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode, 410)
    await assert.rejects(management.send(new GetConnectionCommand({ ConnectionId: 'AAAAAAAAAAAAAAA=' })), { name: 'GoneException' })
  })

  it('hands $connect the handshake (host form), refuses on a non-2xx answer and passes the subprotocol', async () => {
    const { apiId } = await chatApi()
    const host = `${apiId}.execute-api.localhost:${portOf(nimbus.current)}`
    const shown = await rawUpgrade(nimbus.current, host, '/dev?show=1&x=a&x=b', { 'User-Agent': 'ws-test' })
    assert.equal(shown.status, 403)
    const event = JSON.parse((shown as { body: string }).body) as Record<string, Record<string, unknown>>
    assert.equal(event['requestContext']!['eventType'], 'CONNECT')
    assert.equal(event['requestContext']!['routeKey'], '$connect')
    assert.equal(event['requestContext']!['domainName'], `${apiId}.execute-api.localhost`)
    assert.equal((event['requestContext']!['identity'] as Record<string, unknown>)['userAgent'], 'ws-test')
    assert.equal(event['headers']!['sec-websocket-version'], '13')
    assert.equal(event['headers']!['X-Forwarded-Proto'], 'http')
    assert.deepEqual(event['multiValueQueryStringParameters'], { show: ['1'], x: ['a', 'b'] })
    assert.equal(event['queryStringParameters']!['x'], 'b')
    const denied = await rawUpgrade(nimbus.current, host, '/dev?deny=1')
    assert.equal(denied.status, 401)
    // A status no HTTP answer has is a 500; a subprotocol carrying CR/LF is dropped, not written.
    assert.equal((await rawUpgrade(nimbus.current, host, '/dev?status=1000')).status, 500)
    const injected = await rawUpgrade(nimbus.current, host, '/dev?protocol=a%0D%0AX-Evil%3A%201')
    assert.equal(injected.status, 101)
    assert.equal(injected.headers['x-evil'], undefined)
    ;(injected as { socket: import('node:net').Socket }).socket.destroy()
    const unknownStage = await rawUpgrade(nimbus.current, host, '/nostage')
    assert.equal(unknownStage.status, 403)
    const accepted = await rawUpgrade(nimbus.current, host, '/dev?protocol=chat', { 'Sec-WebSocket-Protocol': 'chat' })
    assert.equal(accepted.status, 101)
    assert.equal(accepted.headers['sec-websocket-protocol'], 'chat')
    const { socket } = accepted as { socket: import('node:net').Socket }
    socket.write(encodeFrame(0x1, Buffer.from('{"action":"nope"}'), Buffer.from([1, 2, 3, 4])))
    const frame = await readFrame(socket)
    assert.equal(frame.opcode, 0x1)
    assert.match(frame.payload.toString('utf8'), /"message": "Forbidden"/)
    socket.destroy()
    // A plain HTTP request to the WebSocket URL is refused.
    const plain = await fetch(`http://127.0.0.1:${portOf(nimbus.current)}/restapis/${apiId}/dev/_user_request_`)
    assert.equal(plain.status, 403)
  })

  it('closes a frame over 32 KB with 1009 and an idle connection after 10 minutes of clock', async () => {
    const { apiId } = await chatApi({ withDefault: true })
    const big = await openSocket(pathFormUrl(nimbus.current, apiId, 'dev'))
    big.send('x'.repeat(33 * 1024))
    assert.equal((await big.closed).code, 1009)
    const idle = await openSocket(pathFormUrl(nimbus.current, apiId, 'dev'))
    await advance(nimbus.current, 9 * 60_000)
    idle.send('still here')
    assert.equal(await idle.next(), 'default: still here')
    await advance(nimbus.current, 10 * 60_000)
    assert.equal((await idle.closed).code, 1001)
    // However busy, a connection ends after 2 hours (a MOCK-only API: each message answers the Forbidden frame).
    const client = apiGatewayV2Client(nimbus.current)
    const mockApi = await client.send(new CreateApiCommand({ Name: uniqueName('ws'), ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))
    const mock = await client.send(new CreateIntegrationCommand({ ApiId: mockApi.ApiId, IntegrationType: 'MOCK' }))
    await client.send(new CreateRouteCommand({ ApiId: mockApi.ApiId, RouteKey: '$connect', Target: `integrations/${mock.IntegrationId}` }))
    await client.send(new CreateStageCommand({ ApiId: mockApi.ApiId, StageName: 'live', AutoDeploy: true }))
    const busy = await openSocket(pathFormUrl(nimbus.current, mockApi.ApiId!, 'live'))
    for (let minute = 0; minute < 117; minute += 9) {
      busy.send('{"action":"ping"}')
      assert.match(await busy.next(), /"message": "Forbidden"/)
      await advance(nimbus.current, 9 * 60_000)
    }
    busy.send('{"action":"ping"}')
    assert.match(await busy.next(), /"message": "Forbidden"/)
    await advance(nimbus.current, 3 * 60_000)
    assert.equal((await busy.closed).code, 1001)
  })

  it('answers bad handshakes and bad frames without harm: Nimbus keeps serving', async () => {
    const { apiId } = await chatApi({ withDefault: true })
    const host = `${apiId}.execute-api.localhost:${portOf(nimbus.current)}`
    assert.equal((await rawUpgrade(nimbus.current, host, '/dev', { 'sec-websocket-key': 'short' })).status, 400)
    assert.equal((await rawUpgrade(nimbus.current, host, '/dev', { 'sec-websocket-version': '8' })).status, 400)
    assert.equal((await rawUpgrade(nimbus.current, `nosuchapi1.execute-api.localhost:${portOf(nimbus.current)}`, '/dev')).status, 404)
    assert.equal((await rawUpgrade(nimbus.current, `localhost:${portOf(nimbus.current)}`, '/')).status, 404)
    // An HTTP API takes no upgrade: its own answer to the request (no route: 404).
    const http = await apiGatewayV2Client(nimbus.current).send(new CreateApiCommand({ Name: uniqueName('http'), ProtocolType: 'HTTP' }))
    await apiGatewayV2Client(nimbus.current).send(new CreateStageCommand({ ApiId: http.ApiId, StageName: '$default', AutoDeploy: true }))
    const refused = await rawUpgrade(nimbus.current, `${http.ApiId}.execute-api.localhost:${portOf(nimbus.current)}`, '/')
    assert.equal(refused.status, 404)
    assert.equal((refused as { body: string }).body, '{"message":"Not Found"}')
    // An unmasked client frame is a protocol error: closed with 1002.
    const raw = await rawUpgrade(nimbus.current, host, '/dev')
    assert.equal(raw.status, 101)
    const { socket } = raw as { socket: import('node:net').Socket }
    socket.write(encodeFrame(0x1, Buffer.from('unmasked')))
    const close = await readFrame(socket)
    assert.equal(close.opcode, 0x8)
    assert.equal(close.payload.readUInt16BE(0), 1002)
    socket.destroy()
    // A client signing its upgrade (SigV4 in the query, scope `execute-api`) still reaches the API.
    const signed = '?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20260101%2Fus-east-1%2Fexecute-api%2Faws4_request&X-Amz-Signature=00'
    const client = await openSocket(pathFormUrl(nimbus.current, apiId, 'dev', signed))
    // A binary frame: AWS "rejects it and disconnects the client with code 1003".
    client.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]))
    assert.equal((await client.closed).code, 1003)
    const health = await (await fetch(`${nimbus.current.endpoint}/_nimbus/health`)).json() as { services: Record<string, Record<string, unknown>> }
    assert.equal(health.services['apigatewayv2']?.['webSocketConnections'] !== undefined, true)
  })
})
