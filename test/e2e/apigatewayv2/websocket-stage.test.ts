// WebSocket API stages end to end: ApiKeyRequired on `$connect` metered by REST APIs' usage plans
// (@aws-sdk/client-api-gateway; quota across a clock day), route throttling from RouteSettings and
// DefaultRouteSettings (429 on connect, an error frame on messages), access logs with the WebSocket
// `$context` variables, and the 1001 close frame open clients get when Nimbus stops.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateApiKeyCommand, CreateUsagePlanCommand, CreateUsagePlanKeyCommand } from '@aws-sdk/client-api-gateway'
import { CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateRouteResponseCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2'
import { CreateLogGroupCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { startNimbus, type Nimbus } from '../../../src/index.ts'
import { apiGatewayClient } from '../../helpers/apigateway.ts'
import { apiGatewayV2Client } from '../../helpers/apigatewayv2.ts'
import { logsClient } from '../../helpers/logs.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { openSocket, pathFormUrl, portOf, rawUpgrade } from '../../helpers/websocket.ts'

const nimbus = useNimbus()

/** A MOCK WebSocket API: `$connect` (with the given ApiKeyRequired) and a two-way `ping` answering `pong`. */
async function mockApi(nimbusNow: Nimbus, options: { apiKeyRequired?: boolean; stage?: Omit<ConstructorParameters<typeof CreateStageCommand>[0], 'ApiId' | 'StageName'> } = {}) {
  const client = apiGatewayV2Client(nimbusNow)
  const { ApiId } = await client.send(new CreateApiCommand({ Name: uniqueName('ws'), ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))
  const { IntegrationId } = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'MOCK', RequestTemplates: { '$default': '{"statusCode": 200}' } }))
  const target = `integrations/${IntegrationId}`
  await client.send(new CreateRouteCommand({ ApiId, RouteKey: '$connect', Target: target, ApiKeyRequired: options.apiKeyRequired ?? false }))
  const ping = await client.send(new CreateRouteCommand({ ApiId, RouteKey: 'ping', Target: target, RouteResponseSelectionExpression: '$default' }))
  await client.send(new CreateRouteResponseCommand({ ApiId, RouteId: ping.RouteId, RouteResponseKey: '$default' }))
  const { CreateIntegrationResponseCommand } = await import('@aws-sdk/client-apigatewayv2')
  await client.send(new CreateIntegrationResponseCommand({ ApiId, IntegrationId, IntegrationResponseKey: '$default', ResponseTemplates: { '$default': 'pong' } }))
  await client.send(new CreateStageCommand({ ApiId, StageName: 'dev', AutoDeploy: true, ...options.stage }))
  return { apiId: ApiId!, host: `${ApiId}.execute-api.localhost:${portOf(nimbusNow)}` }
}

const statusOf = async (nimbusNow: Nimbus, host: string, headers: Record<string, string> = {}) => {
  const answer = await rawUpgrade(nimbusNow, host, '/dev', headers)
  if (answer.status === 101) (answer as { socket: import('node:net').Socket }).socket.destroy()
  return [answer.status, (answer as { body?: string }).body]
}

describe('WebSocket API stages', { timeout: 60_000 }, () => {
  it('ApiKeyRequired on $connect: the x-api-key header, a usage plan of the stage, its quota on the clock', async () => {
    const { apiId, host } = await mockApi(nimbus.current, { apiKeyRequired: true })
    const rest = apiGatewayClient(nimbus.current)
    const key = await rest.send(new CreateApiKeyCommand({ name: uniqueName('key'), enabled: true }))
    const plan = await rest.send(new CreateUsagePlanCommand({ name: uniqueName('plan'), apiStages: [{ apiId, stage: 'dev' }], quota: { limit: 2, period: 'DAY' } }))
    const lonely = await rest.send(new CreateApiKeyCommand({ name: uniqueName('key'), enabled: true }))
    await rest.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }))

    assert.deepEqual(await statusOf(nimbus.current, host), [403, '{"message":"Forbidden"}'])
    assert.deepEqual(await statusOf(nimbus.current, host, { 'x-api-key': 'not-a-key' }), [403, '{"message":"Forbidden"}'])
    assert.deepEqual(await statusOf(nimbus.current, host, { 'x-api-key': lonely.value! }), [403, '{"message":"Forbidden"}'])
    assert.deepEqual(await statusOf(nimbus.current, host, { 'x-api-key': key.value! }), [101, undefined])
    assert.deepEqual(await statusOf(nimbus.current, host, { 'x-api-key': key.value! }), [101, undefined])
    assert.deepEqual(await statusOf(nimbus.current, host, { 'x-api-key': key.value! }), [429, '{"message":"Limit Exceeded"}'])
    await advance(nimbus.current, 86_400_000)
    assert.deepEqual(await statusOf(nimbus.current, host, { 'x-api-key': key.value! }), [101, undefined])
  })

  it('throttles by RouteSettings and DefaultRouteSettings: 429 on $connect, an error frame on messages', async () => {
    const { apiId, host } = await mockApi(nimbus.current, { stage: {
      DefaultRouteSettings: { ThrottlingRateLimit: 1, ThrottlingBurstLimit: 1 },
      RouteSettings: { ping: { ThrottlingRateLimit: 1, ThrottlingBurstLimit: 2 } },
    } })
    // `$connect` takes the default: one, then 429 until the clock moves.
    const socket = await openSocket(pathFormUrl(nimbus.current, apiId, 'dev'))
    assert.deepEqual(await statusOf(nimbus.current, host), [429, '{"message":"Too Many Requests"}'])
    await advance(nimbus.current, 1_000)
    assert.equal((await statusOf(nimbus.current, host))[0], 101)
    // `ping` has its own burst of two.
    const answers: string[] = []
    for (let i = 0; i < 3; i++) {
      socket.send('{"action":"ping"}')
      answers.push(await socket.next())
    }
    assert.deepEqual(answers.slice(0, 2), ['pong', 'pong'])
    assert.match(answers[2]!, /^\{"message": "Too Many Requests", "connectionId":"[^"]+", "requestId":"[^"]+"\}$/)
    socket.socket.close()
    await socket.closed
  })

  it('writes access logs for $connect, messages and $disconnect with the WebSocket $context variables', async () => {
    const logs = logsClient(nimbus.current)
    const group = uniqueName('/ws/access')
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }))
    const { apiId } = await mockApi(nimbus.current, { stage: { AccessLogSettings: {
      DestinationArn: `arn:aws:logs:us-east-1:000000000000:log-group:${group}`,
      Format: '$context.requestId $context.eventType $context.routeKey $context.status $context.connectionId $context.messageDirection $context.error.message',
    } } })
    const socket = await openSocket(pathFormUrl(nimbus.current, apiId, 'dev'))
    socket.send('{"action":"ping"}')
    assert.equal(await socket.next(), 'pong')
    socket.send('{"action":"nothing"}')
    assert.match(await socket.next(), /"message": "Forbidden"/)
    socket.socket.close()
    await socket.closed
    let lines: string[] = []
    for (let i = 0; i < 100 && lines.length < 4; i++) {
      lines = ((await logs.send(new FilterLogEventsCommand({ logGroupName: group }))).events ?? []).map((e) => e.message!)
      if (lines.length < 4) await new Promise((r) => setTimeout(r, 20))
    }
    const fields = lines.map((line) => line.split(' '))
    const connectionId = fields[0]![4]
    assert.deepEqual(fields.map((f) => [f[1], f[2], f[3], f[4], f[5]]), [
      ['CONNECT', '$connect', '200', connectionId, 'IN'],
      ['MESSAGE', 'ping', '200', connectionId, 'IN'],
      ['MESSAGE', 'nothing', '403', connectionId, 'IN'],
      ['DISCONNECT', '$disconnect', '200', connectionId, 'IN'],
    ])
    assert.equal(fields[2]![6], 'Forbidden')
    assert.equal(fields[1]![6], '-')
  })

  it('closes open connections with 1001 Going Away when Nimbus stops', async () => {
    const own = await startNimbus({ port: 0, clock: 'manual', log: () => {} })
    try {
      const { apiId } = await mockApi(own)
      const socket = await openSocket(pathFormUrl(own, apiId, 'dev'))
      await own.stop()
      assert.equal((await socket.closed).code, 1001)
    } finally {
      await own.stop()
    }
  })
})
