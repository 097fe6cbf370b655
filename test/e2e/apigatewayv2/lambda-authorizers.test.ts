// HTTP API Lambda authorizers (REQUEST, payload 2.0, simple responses) end to end: 401 when an
// identity source is missing, 403 on isAuthorized false, the context in requestContext.authorizer.lambda,
// and the result cached for the TTL on the manual clock.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateApiCommand, CreateAuthorizerCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { apiGatewayV2Client, invokeHttpApi } from '../../helpers/apigatewayv2.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

const echo = `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event.requestContext.authorizer ?? null) })`
/** Allows the key `open`; its context carries a nonce (to recognise a cached answer) and what it was sent. */
const authorizerSource = `exports.handler = async (event) => ({ isAuthorized: event.headers['x-key'] === 'open',
  context: { nonce: String(Math.random()), type: event.type, version: event.version, routeArn: event.routeArn, identity: event.identitySource } })`

async function arnOf(source: string): Promise<string> {
  const lambda = lambdaClient(nimbus.current)
  return (await lambda.send(new GetFunctionCommand({ FunctionName: await createFunction(lambda, source) }))).Configuration!.FunctionArn!
}

describe('HTTP API Lambda authorizers', () => {
  it('calls the function with the 2.0 event, honours simple responses and caches on the clock', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const [backend, authFn] = await Promise.all([arnOf(echo), arnOf(authorizerSource)])
    const api = await client.send(new CreateApiCommand({ Name: uniqueName('http'), ProtocolType: 'HTTP' }))
    const integration = await client.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: backend, PayloadFormatVersion: '2.0' }))
    await assert.rejects(client.send(new CreateAuthorizerCommand({
      ApiId: api.ApiId, Name: 'iam', AuthorizerType: 'REQUEST', AuthorizerUri: authFn, AuthorizerPayloadFormatVersion: '1.0', IdentitySource: [], EnableSimpleResponses: true,
    })), { name: 'BadRequestException' })
    const authorizer = await client.send(new CreateAuthorizerCommand({
      ApiId: api.ApiId, Name: 'lambda', AuthorizerType: 'REQUEST', IdentitySource: ['$request.header.x-key'], AuthorizerResultTtlInSeconds: 60,
      AuthorizerUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${authFn}/invocations`,
      AuthorizerPayloadFormatVersion: '2.0', EnableSimpleResponses: true,
    }))
    assert.equal(authorizer.EnableSimpleResponses, true)
    await client.send(new CreateRouteCommand({
      ApiId: api.ApiId, RouteKey: 'GET /things/{id}', Target: `integrations/${integration.IntegrationId}`, AuthorizationType: 'CUSTOM',
      AuthorizerId: authorizer.AuthorizerId,
    }))
    await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }))
    const get = (key?: string) => invokeHttpApi(nimbus.current, api.ApiId!, '/things/9', { headers: key === undefined ? {} : { 'x-key': key } })

    const missing = await get()
    assert.equal(missing.status, 401)
    assert.deepEqual(missing.json(), { message: 'Unauthorized' })
    const denied = await get('closed')
    assert.equal(denied.status, 403)
    assert.deepEqual(denied.json(), { message: 'Forbidden' })
    const ok = await get('open')
    assert.equal(ok.status, 200)
    const context = (ok.json() as { lambda: Record<string, unknown> }).lambda
    assert.equal(context['type'], 'REQUEST')
    assert.equal(context['version'], '2.0')
    assert.equal(context['routeArn'], `arn:aws:execute-api:us-east-1:000000000000:${api.ApiId}/$default/GET/things/9`)
    assert.deepEqual(context['identity'], ['open'])
    assert.equal(((await get('open')).json() as { lambda: Record<string, unknown> }).lambda['nonce'], context['nonce'], 'cached within the TTL')
    await advance(nimbus.current, 60_000)
    assert.notEqual(((await get('open')).json() as { lambda: Record<string, unknown> }).lambda['nonce'], context['nonce'], 'called again after it')
  })
})
