// Under `--enforce-iam`, API Gateway needs the Lambda function's resource policy to invoke it, as on
// AWS: without `aws lambda add-permission --principal apigateway.amazonaws.com` (with a SourceArn
// naming the method, route or authorizer) a REST API's Lambda proxy integration and Lambda authorizer,
// and an HTTP API's Lambda route, answer 500; an integration with a `credentials` role needs none. A
// WebSocket API's `$connect` is refused with 500, a message route — Lambda proxy or non-proxy (AWS) — answers the
// "Internal server error" frame.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateAuthorizerCommand, PutIntegrationCommand, PutMethodCommand } from '@aws-sdk/client-api-gateway'
import { CreateApiCommand, CreateAuthorizerCommand as CreateV2AuthorizerCommand, CreateIntegrationCommand, CreateIntegrationResponseCommand, CreateRouteCommand,
  CreateRouteResponseCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2'
import { AddPermissionCommand, GetFunctionCommand, RemovePermissionCommand } from '@aws-sdk/client-lambda'
import { apiGatewayClient, createApi, createPath, deploy, invoke, lambdaProxyMethod, sendTo } from '../../helpers/apigateway.ts'
import { apiGatewayV2Client } from '../../helpers/apigatewayv2.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { portOf, rawUpgrade, readFrame } from '../../helpers/websocket.ts'
import { encodeFrame } from '../../../src/protocol/websocket.ts'

const nimbus = useNimbus({ enforceIam: true })

const ok = `exports.handler = async () => ({ statusCode: 200, body: JSON.stringify({ ok: true }) })`
const allowAll = `exports.handler = async (event) => ({ principalId: 'u', policyDocument: { Version: '2012-10-17',
  Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' }] } })`

async function functionArn(source: string): Promise<string> {
  const lambda = lambdaClient(nimbus.current)
  return (await lambda.send(new GetFunctionCommand({ FunctionName: await createFunction(lambda, source) }))).Configuration!.FunctionArn!
}

const permit = (fn: string, sid: string, sourceArn: string) => lambdaClient(nimbus.current).send(new AddPermissionCommand({
  FunctionName: fn, StatementId: sid, Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: sourceArn,
}))

describe('API Gateway and the Lambda resource policy (--enforce-iam)', () => {
  it('REST: a Lambda proxy integration needs apigateway.amazonaws.com allowed from the method ARN', async () => {
    const client = apiGatewayClient(nimbus.current)
    const fn = await functionArn(ok)
    const api = await createApi(client)
    await lambdaProxyMethod(client, api.id, await createPath(client, api, '/pets'), 'GET', fn)
    await deploy(client, api.id, 'dev')
    const refused = await invoke(nimbus.current, 'host', api.id, 'dev', '/pets')
    assert.equal(refused.status, 500)
    assert.deepEqual(refused.json(), { message: 'Internal server error' })
    // A permission for another method's ARN doesn't help.
    await permit(fn, 'other-method', `arn:aws:execute-api:us-east-1:000000000000:${api.id}/*/POST/pets`)
    assert.equal((await invoke(nimbus.current, 'host', api.id, 'dev', '/pets')).status, 500)
    await permit(fn, 'apigateway-get', `arn:aws:execute-api:us-east-1:000000000000:${api.id}/*/GET/pets`)
    const served = await fetch(`${nimbus.current.endpoint}/restapis/${api.id}/dev/_user_request_/pets`)
    assert.equal(served.status, 200)
    assert.deepEqual(await served.json(), { ok: true })
    await lambdaClient(nimbus.current).send(new RemovePermissionCommand({ FunctionName: fn, StatementId: 'apigateway-get' }))
    assert.equal((await invoke(nimbus.current, 'host', api.id, 'dev', '/pets')).status, 500)
  })

  it('REST: an integration with a credentials role needs no permission; a Lambda authorizer needs its own', async () => {
    const client = apiGatewayClient(nimbus.current)
    const fn = await functionArn(ok)
    const authorizerFn = await functionArn(allowAll)
    const api = await createApi(client)
    const resourceId = await createPath(client, api, '/secure')
    const auth = await client.send(new CreateAuthorizerCommand({ restApiId: api.id, name: 'tok', type: 'TOKEN', identitySource: 'method.request.header.Authorization',
      authorizerUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${authorizerFn}/invocations`, authorizerResultTtlInSeconds: 0 }))
    await client.send(new PutMethodCommand({ restApiId: api.id, resourceId, httpMethod: 'GET', authorizationType: 'CUSTOM', authorizerId: auth.id }))
    await client.send(new PutIntegrationCommand({ restApiId: api.id, resourceId, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST',
      uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fn}/invocations`, credentials: 'arn:aws:iam::000000000000:role/apigw-invoke' }))
    await deploy(client, api.id, 'dev')
    const refused = await invoke(nimbus.current, 'host', api.id, 'dev', '/secure', { headers: { Authorization: 'token' } })
    assert.equal(refused.status, 500)
    assert.equal(refused.headers['x-amzn-errortype'], 'AuthorizerConfigurationException')
    await permit(authorizerFn, 'apigateway-authorizer', `arn:aws:execute-api:us-east-1:000000000000:${api.id}/authorizers/${auth.id}`)
    const served = await invoke(nimbus.current, 'host', api.id, 'dev', '/secure', { headers: { Authorization: 'token' } })
    assert.equal(served.status, 200, served.text)
  })

  it('HTTP API: a Lambda route needs the permission too', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const fn = await functionArn(ok)
    const { ApiId } = await client.send(new CreateApiCommand({ Name: uniqueName('perm'), ProtocolType: 'HTTP' }))
    const { IntegrationId } = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fn, PayloadFormatVersion: '2.0' }))
    await client.send(new CreateRouteCommand({ ApiId, RouteKey: 'GET /items/{id}', Target: `integrations/${IntegrationId}` }))
    await client.send(new CreateStageCommand({ ApiId, StageName: '$default', AutoDeploy: true }))
    const host = `${ApiId}.execute-api.localhost:${new URL(nimbus.current.endpoint).port}`
    const refused = await sendTo(nimbus.current, host, '/items/7', {})
    assert.equal(refused.status, 500)
    assert.deepEqual(refused.json(), { message: 'Internal Server Error' })
    await permit(fn, 'apigateway-route', `arn:aws:execute-api:us-east-1:000000000000:${ApiId}/*/*/items/*`)
    assert.equal((await sendTo(nimbus.current, host, '/items/7', {})).status, 200)
  })

  it('WebSocket API: $connect (500, refused) and message routes (the error frame) need the permission, as does an authorizer', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const [connectFn, messageFn, authorizerFn] = await Promise.all([functionArn(ok), functionArn(ok), functionArn(allowAll)])
    const { ApiId } = await client.send(new CreateApiCommand({ Name: uniqueName('perm'), ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))
    const connect = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: connectFn }))
    const message = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: messageFn }))
    const authorizer = await client.send(new CreateV2AuthorizerCommand({ ApiId, Name: 'auth', AuthorizerType: 'REQUEST', AuthorizerUri: authorizerFn,
      IdentitySource: ['route.request.querystring.token'] }))
    await client.send(new CreateRouteCommand({ ApiId, RouteKey: '$connect', Target: `integrations/${connect.IntegrationId}`,
      AuthorizationType: 'CUSTOM', AuthorizerId: authorizer.AuthorizerId }))
    const echo = await client.send(new CreateRouteCommand({ ApiId, RouteKey: 'echo', Target: `integrations/${message.IntegrationId}`, RouteResponseSelectionExpression: '$default' }))
    await client.send(new CreateRouteResponseCommand({ ApiId, RouteId: echo.RouteId, RouteResponseKey: '$default' }))
    await client.send(new CreateStageCommand({ ApiId, StageName: 'dev', AutoDeploy: true }))
    const host = `${ApiId}.execute-api.localhost:${portOf(nimbus.current)}`
    const base = `arn:aws:execute-api:us-east-1:000000000000:${ApiId}`

    // The authorizer's function first, then the $connect integration's: each refusal is a 500.
    const noAuthorizer = await rawUpgrade(nimbus.current, host, '/dev?token=t')
    assert.equal(noAuthorizer.status, 500)
    assert.equal('body' in noAuthorizer && noAuthorizer.body, '{"message":"Internal server error"}')
    await permit(authorizerFn, 'apigateway-authorizer', `${base}/authorizers/${authorizer.AuthorizerId}`)
    const noConnect = await rawUpgrade(nimbus.current, host, '/dev?token=t')
    assert.equal(noConnect.status, 500)
    await permit(connectFn, 'apigateway-connect', `${base}/*/$connect`)
    const upgraded = await rawUpgrade(nimbus.current, host, '/dev?token=t')
    assert.equal(upgraded.status, 101)
    const socket = (upgraded as { socket: import('node:net').Socket }).socket
    try {
      socket.write(encodeFrame(0x1, Buffer.from('{"action":"echo"}'), Buffer.from([1, 2, 3, 4])))
      const frame = JSON.parse((await readFrame(socket)).payload.toString('utf8')) as Record<string, string>
      assert.equal(frame.message, 'Internal server error')
      await permit(messageFn, 'apigateway-echo', `${base}/dev/echo`)
      socket.write(encodeFrame(0x1, Buffer.from('{"action":"echo"}'), Buffer.from([1, 2, 3, 4])))
      assert.deepEqual(JSON.parse((await readFrame(socket)).payload.toString('utf8')), { ok: true })
    } finally {
      socket.destroy()
    }
  })

  it('WebSocket API: a non-proxy (AWS) Lambda integration needs the permission as a proxy one does', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const fn = await functionArn(`exports.handler = async (event) => ({ pong: event.n })`)
    const { ApiId } = await client.send(new CreateApiCommand({ Name: uniqueName('perm'), ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))
    const { IntegrationId } = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS', IntegrationMethod: 'POST',
      IntegrationUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fn}/invocations`,
      RequestTemplates: { $default: '{"n": $input.json(\'$.n\')}' } }))
    await client.send(new CreateIntegrationResponseCommand({ ApiId, IntegrationId, IntegrationResponseKey: '$default' }))
    const ping = await client.send(new CreateRouteCommand({ ApiId, RouteKey: 'ping', Target: `integrations/${IntegrationId}`, RouteResponseSelectionExpression: '$default' }))
    await client.send(new CreateRouteResponseCommand({ ApiId, RouteId: ping.RouteId, RouteResponseKey: '$default' }))
    await client.send(new CreateStageCommand({ ApiId, StageName: 'dev', AutoDeploy: true }))
    const upgraded = await rawUpgrade(nimbus.current, `${ApiId}.execute-api.localhost:${portOf(nimbus.current)}`, '/dev')
    assert.equal(upgraded.status, 101)
    const socket = (upgraded as { socket: import('node:net').Socket }).socket
    const send = async (n: number) => {
      socket.write(encodeFrame(0x1, Buffer.from(JSON.stringify({ action: 'ping', n })), Buffer.from([1, 2, 3, 4])))
      return JSON.parse((await readFrame(socket)).payload.toString('utf8')) as Record<string, unknown>
    }
    try {
      assert.equal((await send(1)).message, 'Internal server error')
      // A permission for another route's ARN doesn't help; the route's does.
      await permit(fn, 'apigateway-other', `arn:aws:execute-api:us-east-1:000000000000:${ApiId}/dev/other`)
      assert.equal((await send(2)).message, 'Internal server error')
      await permit(fn, 'apigateway-ping', `arn:aws:execute-api:us-east-1:000000000000:${ApiId}/*/ping`)
      assert.deepEqual(await send(3), { pong: 3 })
      await lambdaClient(nimbus.current).send(new RemovePermissionCommand({ FunctionName: fn, StatementId: 'apigateway-ping' }))
      assert.equal((await send(4)).message, 'Internal server error')
    } finally {
      socket.destroy()
    }
  })
})
