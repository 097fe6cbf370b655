// Custom domain names for WebSocket APIs ("Map API stages to a custom domain name for WebSocket APIs"):
// an API mapping's key routes `wss://{domain}/{key}` by Host to the API's stage — the events' domainName
// is the custom domain — and a domain takes WebSocket APIs or HTTP APIs, never both.
import assert from 'node:assert/strict'
import type { Socket } from 'node:net'
import { describe, it } from 'node:test'
import {
  CreateApiCommand, CreateApiMappingCommand, CreateDomainNameCommand, CreateIntegrationCommand, CreateIntegrationResponseCommand, CreateRouteCommand,
  CreateRouteResponseCommand, CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2'
import { encodeFrame } from '../../../src/protocol/websocket.ts'
import { apiGatewayV2Client } from '../../helpers/apigatewayv2.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { portOf, rawUpgrade, readFrame } from '../../helpers/websocket.ts'

const nimbus = useNimbus()

/** A WebSocket API whose `whoami` route answers the request context's domainName and stage. */
async function webSocketApi(): Promise<string> {
  const client = apiGatewayV2Client(nimbus.current)
  const { ApiId } = await client.send(new CreateApiCommand({ Name: uniqueName('ws'), ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))
  const { IntegrationId } = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'MOCK', RequestTemplates: { $default: '{"statusCode": 200}' } }))
  await client.send(new CreateIntegrationResponseCommand({ ApiId, IntegrationId, IntegrationResponseKey: '$default',
    ResponseTemplates: { $default: '$context.domainName $context.stage' } }))
  const route = await client.send(new CreateRouteCommand({ ApiId, RouteKey: 'whoami', Target: `integrations/${IntegrationId}`, RouteResponseSelectionExpression: '$default' }))
  await client.send(new CreateRouteResponseCommand({ ApiId, RouteId: route.RouteId, RouteResponseKey: '$default' }))
  await client.send(new CreateStageCommand({ ApiId, StageName: 'production', AutoDeploy: true }))
  return ApiId!
}

describe('WebSocket API custom domain names', { timeout: 60_000 }, () => {
  it('routes wss://{domain}/{mapping key} to the mapped stage by Host', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const apiId = await webSocketApi()
    const domain = `chat.${uniqueName('ws')}.localhost`.toLowerCase()
    const created = await client.send(new CreateDomainNameCommand({ DomainName: domain, DomainNameConfigurations: [{ EndpointType: 'REGIONAL' }] }))
    await client.send(new CreateApiMappingCommand({ DomainName: domain, ApiId: apiId, Stage: 'production', ApiMappingKey: 'orders' }))
    const host = `${domain}:${portOf(nimbus.current)}`
    const upgrade = await rawUpgrade(nimbus.current, host, '/orders')
    assert.equal(upgrade.status, 101)
    const socket = (upgrade as { socket: Socket }).socket
    socket.write(encodeFrame(0x1, Buffer.from('{"action":"whoami"}'), Buffer.from([9, 8, 7, 6])))
    const frame = await readFrame(socket)
    assert.equal(frame.payload.toString('utf8'), `${domain} production`)
    socket.destroy()
    // The regional name AWS gives the domain (`d-….execute-api…`) routes the same way.
    const regional = created.DomainNameConfigurations![0]!.ApiGatewayDomainName!
    assert.equal((await rawUpgrade(nimbus.current, `${regional}:${portOf(nimbus.current)}`, '/orders')).status, 101)
    // A path no mapping names, or more than the key: 403, as an invoke URL naming no stage.
    assert.equal((await rawUpgrade(nimbus.current, host, '/other')).status, 403)
    assert.equal((await rawUpgrade(nimbus.current, host, '/orders/more')).status, 403)
  })

  it('refuses to map WebSocket and HTTP APIs to the same domain name', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const apiId = await webSocketApi()
    const http = await client.send(new CreateApiCommand({ Name: uniqueName('http'), ProtocolType: 'HTTP' }))
    await client.send(new CreateStageCommand({ ApiId: http.ApiId, StageName: '$default', AutoDeploy: true }))
    const domain = `mixed.${uniqueName('ws')}.localhost`.toLowerCase()
    await client.send(new CreateDomainNameCommand({ DomainName: domain }))
    await client.send(new CreateApiMappingCommand({ DomainName: domain, ApiId: apiId, Stage: 'production', ApiMappingKey: 'ws' }))
    const error = await sdkError(client.send(new CreateApiMappingCommand({ DomainName: domain, ApiId: http.ApiId, Stage: '$default', ApiMappingKey: 'http' })))
    assert.equal(error.name, 'BadRequestException')
    // Another WebSocket API's stage is fine.
    const second = await webSocketApi()
    await client.send(new CreateApiMappingCommand({ DomainName: domain, ApiId: second, Stage: 'production', ApiMappingKey: 'second' }))
    const upgrade = await rawUpgrade(nimbus.current, `${domain}:${portOf(nimbus.current)}`, '/second')
    assert.equal(upgrade.status, 101)
    if ('socket' in upgrade) upgrade.socket.destroy()
  })
})
