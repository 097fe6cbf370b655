// HTTP API Lambda authorizers answering IAM policies (payload 1.0, and 2.0 without
// EnableSimpleResponses): the 1.0 event (methodArn, identitySource joined) and the 2.0 one (routeArn),
// the policy evaluated against the route ARN as REST APIs do (Allow → served with the context;
// Deny or no matching Allow → 403 Forbidden; no valid policy → 500), and a cached policy evaluated
// afresh for each request's route ARN; ResetAuthorizersCache.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateApiCommand, CreateAuthorizerCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, GetAuthorizerCommand,
  ResetAuthorizersCacheCommand } from '@aws-sdk/client-apigatewayv2'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { apiGatewayV2Client, invokeHttpApi } from '../../helpers/apigatewayv2.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

const echo = `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event.requestContext.authorizer ?? null) })`
/** `allow`: Allow on GET /{prefix}/things/* of any stage; `deny`: an explicit Deny; `elsewhere`: an Allow that doesn't match; `bad`: no policy. */
const authorizerSource = `exports.handler = async (event) => {
  const key = event.version === '1.0' ? event.identitySource : event.identitySource[0]
  const arn = event.routeArn ?? event.methodArn
  const base = arn.split('/')[0]
  if (key === 'bad') return { principalId: 'u', context: {} }
  const resource = key === 'elsewhere' ? base + '/*/POST/nothing' : base + '/*/GET/*/things/*'
  return { principalId: 'user-' + key, policyDocument: { Version: '2012-10-17', Statement: [
    { Action: 'execute-api:Invoke', Effect: key === 'deny' ? 'Deny' : 'Allow', Resource: resource }] },
    context: { nonce: String(Math.random()), version: event.version, arn, token: event.authorizationToken ?? 'none' } }
}`

async function arnOf(source: string): Promise<string> {
  const lambda = lambdaClient(nimbus.current)
  return (await lambda.send(new GetFunctionCommand({ FunctionName: await createFunction(lambda, source) }))).Configuration!.FunctionArn!
}

describe('HTTP API Lambda authorizers answering IAM policies', () => {
  it('evaluates the policy against the route ARN for payload 1.0 and 2.0', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const [backend, authFn] = await Promise.all([arnOf(echo), arnOf(authorizerSource)])
    const { ApiId } = await client.send(new CreateApiCommand({ Name: uniqueName('http'), ProtocolType: 'HTTP' }))
    const { IntegrationId } = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: backend, PayloadFormatVersion: '2.0' }))
    for (const [version, prefix, ttl] of [['1.0', 'v1', 0], ['2.0', 'v2', 300]] as const) {
      const authorizer = await client.send(new CreateAuthorizerCommand({
        ApiId, Name: `policy-${prefix}`, AuthorizerType: 'REQUEST', AuthorizerUri: authFn, AuthorizerPayloadFormatVersion: version,
        IdentitySource: ['$request.header.x-key'], AuthorizerResultTtlInSeconds: ttl,
      }))
      assert.equal((await client.send(new GetAuthorizerCommand({ ApiId, AuthorizerId: authorizer.AuthorizerId }))).EnableSimpleResponses, false)
      for (const path of [`/${prefix}/things/{id}`, `/${prefix}/other`]) {
        await client.send(new CreateRouteCommand({ ApiId, RouteKey: `GET ${path}`, Target: `integrations/${IntegrationId}`,
          AuthorizationType: 'CUSTOM', AuthorizerId: authorizer.AuthorizerId }))
      }
    }
    await client.send(new CreateStageCommand({ ApiId, StageName: '$default', AutoDeploy: true }))
    const call = (path: string, key?: string) => invokeHttpApi(nimbus.current, ApiId!, path, { headers: key === undefined ? {} : { 'x-key': key } })
    const arn = (path: string) => `arn:aws:execute-api:us-east-1:000000000000:${ApiId}/$default/GET${path}`

    // Payload 1.0: REST's REQUEST event.
    const v1 = await call('/v1/things/1', 'allow')
    assert.equal(v1.status, 200, v1.text)
    const context = (v1.json() as { lambda: Record<string, string> }).lambda
    assert.deepEqual({ ...context, nonce: undefined }, { nonce: undefined, version: '1.0', arn: arn('/v1/things/1'), token: 'allow' })
    assert.deepEqual([(await call('/v1/things/1', 'deny')).status, (await call('/v1/things/1', 'deny')).json()], [403, { message: 'Forbidden' }])
    assert.equal((await call('/v1/things/1', 'elsewhere')).status, 403)
    assert.deepEqual([(await call('/v1/things/1', 'bad')).status, (await call('/v1/things/1', 'bad')).json()], [500, { message: 'Internal Server Error' }])
    assert.deepEqual([(await call('/v1/things/1')).status, (await call('/v1/things/1')).json()], [401, { message: 'Unauthorized' }])

    // Payload 2.0 without simple responses: the routeArn; the cached policy is evaluated for each request.
    const first = await call('/v2/things/1', 'allow')
    assert.equal(first.status, 200, first.text)
    const cached = (first.json() as { lambda: Record<string, string> }).lambda
    assert.equal(cached.version, '2.0')
    assert.equal(cached.arn, arn('/v2/things/1'))
    const again = await call('/v2/things/2', 'allow')
    assert.equal((again.json() as { lambda: Record<string, string> }).lambda.nonce, cached.nonce, 'the cached answer')
    assert.equal((await call('/v2/other', 'allow')).status, 403, "the cached policy doesn't allow /v2/other")
    assert.equal((await call('/v2/things/3', 'deny')).status, 403)

    // ResetAuthorizersCache drops the stage's cached answers: the next request calls the function again.
    await client.send(new ResetAuthorizersCacheCommand({ ApiId, StageName: '$default' }))
    const fresh = await call('/v2/things/2', 'allow')
    assert.notEqual((fresh.json() as { lambda: Record<string, string> }).lambda.nonce, cached.nonce)
    await assert.rejects(client.send(new ResetAuthorizersCacheCommand({ ApiId, StageName: 'nope' })), { name: 'NotFoundException' })
  })
})
