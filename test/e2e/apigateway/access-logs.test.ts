// Access logs of REST and HTTP API stages: UpdateStage / CreateStage AccessLogSettings, one log
// event per request in the destination CloudWatch Logs group with the format's `$context.*`
// variables filled in (`-` for none), read back with the real CloudWatch Logs client.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateLogGroupCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { GetStageCommand, UpdateStageCommand } from '@aws-sdk/client-api-gateway'
import {
  CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, GetStageCommand as GetStageV2Command,
} from '@aws-sdk/client-apigatewayv2'
import { apiGatewayClient, createApi, createPath, deploy, invoke, mockMethod } from '../../helpers/apigateway.ts'
import { apiGatewayV2Client, invokeHttpApi } from '../../helpers/apigatewayv2.ts'
import { logsClient } from '../../helpers/logs.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()

async function lines(group: string): Promise<string[]> {
  const events = await logsClient(nimbus.current).send(new FilterLogEventsCommand({ logGroupName: group }))
  return (events.events ?? []).map((e) => e.message!)
}

describe('API Gateway access logs', () => {
  it('writes one line per REST API request in the stage\'s format', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    await mockMethod(client, api.id, await createPath(client, api, '/pets'), 'GET', 200, '{"ok": true}')
    await deploy(client, api.id, 'dev')
    const group = uniqueName('/aws/apigateway/access')
    await logsClient(nimbus.current).send(new CreateLogGroupCommand({ logGroupName: group }))
    const arn = `arn:aws:logs:us-east-1:000000000000:log-group:${group}`
    const format = '{"requestId":"$context.requestId","method":"$context.httpMethod","resource":"$context.resourcePath","status":"$context.status",' +
      '"length":"$context.responseLength","ip":"$context.identity.sourceIp","error":"$context.error.message","stage":"${context.stage}"}'
    const bad = await sdkError(client.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'dev', patchOperations: [
      { op: 'replace', path: '/accessLogSettings/format', value: '$context.status' }] })))
    assert.equal(bad.name, 'BadRequestException')
    await client.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'dev', patchOperations: [
      { op: 'replace', path: '/accessLogSettings/destinationArn', value: arn }, { op: 'replace', path: '/accessLogSettings/format', value: format }] }))
    assert.deepEqual((await client.send(new GetStageCommand({ restApiId: api.id, stageName: 'dev' }))).accessLogSettings, { destinationArn: arn, format })

    const ok = await invoke(nimbus.current, 'host', api.id, 'dev', '/pets')
    const missing = await invoke(nimbus.current, 'path', api.id, 'dev', '/nowhere', { method: 'POST' })
    const logged = (await lines(group)).map((l) => JSON.parse(l) as Record<string, string>)
    assert.equal(logged.length, 2)
    assert.deepEqual(logged[0], {
      requestId: ok.headers['x-amzn-requestid'], method: 'GET', resource: '/pets', status: '200', length: '12', ip: '127.0.0.1', error: '-', stage: 'dev',
    })
    assert.deepEqual(logged[1], {
      requestId: missing.headers['x-amzn-requestid'], method: 'POST', resource: '-', status: '403', length: String(missing.body.length), ip: '127.0.0.1',
      error: 'Missing Authentication Token', stage: 'dev',
    })
    await client.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'dev', patchOperations: [{ op: 'remove', path: '/accessLogSettings' }] }))
    await invoke(nimbus.current, 'host', api.id, 'dev', '/pets')
    assert.equal((await lines(group)).length, 2, 'no more lines once access logging is off')
  })

  it('writes one line per HTTP API request in the stage\'s format', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const api = await client.send(new CreateApiCommand({ Name: uniqueName('http'), ProtocolType: 'HTTP' }))
    const integration = await client.send(new CreateIntegrationCommand({ ApiId: api.ApiId!, IntegrationType: 'HTTP_PROXY', IntegrationUri: 'http://127.0.0.1:9/x' }))
    await client.send(new CreateRouteCommand({ ApiId: api.ApiId!, RouteKey: 'GET /down', Target: `integrations/${integration.IntegrationId}` }))
    const group = uniqueName('/aws/http-api/access')
    const arn = `arn:aws:logs:us-east-1:000000000000:log-group:${group}`
    const format = '$context.requestId $context.routeKey $context.status $context.error.message'
    await client.send(new CreateStageCommand({ ApiId: api.ApiId!, StageName: '$default', AutoDeploy: true, AccessLogSettings: { DestinationArn: arn, Format: format } }))
    assert.equal((await client.send(new GetStageV2Command({ ApiId: api.ApiId!, StageName: '$default' }))).AccessLogSettings?.Format, format)
    const down = await invokeHttpApi(nimbus.current, api.ApiId!, '/down')
    const none = await invokeHttpApi(nimbus.current, api.ApiId!, '/none')
    assert.deepEqual(await lines(group), [
      `${String(down.headers['apigw-requestid'])} GET /down 500 Internal Server Error`,
      `${String(none.headers['apigw-requestid'])} - 404 Not Found`,
    ])
  })
})
