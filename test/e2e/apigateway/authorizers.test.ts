// API Gateway Lambda authorizers end to end: the Authorizers control plane, TOKEN and REQUEST
// authorizers at request time (401 on a missing identity, 403 on a deny, the policy evaluated
// against each request's method ARN, principalId and context reaching the integration as
// requestContext.authorizer) and the result cache expiring on the manual clock.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateAuthorizerCommand, DeleteAuthorizerCommand, GetAuthorizerCommand, GetAuthorizersCommand, PutIntegrationCommand, PutMethodCommand,
  UpdateAuthorizerCommand,
} from '@aws-sdk/client-api-gateway'
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { apiGatewayClient, createApi, createPath, deploy, invoke } from '../../helpers/apigateway.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

/** A backend answering with the requestContext.authorizer it received. */
const echo = `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ authorizer: event.requestContext.authorizer ?? null }) })`

/**
 * A TOKEN authorizer: `allow` allows the whole stage, `narrow` only the method ARN it was asked
 * about, `deny` denies, `unauthorized` fails as the blueprint does, `broken` answers no policy.
 * Its context carries a nonce, so a cached answer is recognisable.
 */
const tokenAuthorizer = `exports.handler = async (event) => {
  const token = event.authorizationToken
  if (token === 'unauthorized') throw new Error('Unauthorized')
  if (token === 'broken') return { principalId: 'x' }
  const stageArn = event.methodArn.split('/').slice(0, 2).join('/') + '/*'
  const statement = { Action: 'execute-api:Invoke', Effect: token === 'deny' ? 'Deny' : 'Allow', Resource: token === 'narrow' ? event.methodArn : stageArn }
  return { principalId: 'user-' + token, policyDocument: { Version: '2012-10-17', Statement: [statement] },
    context: { nonce: String(Math.random()), count: 3, admin: true, type: event.type, arn: event.methodArn } }
}`

/** A REQUEST authorizer allowing when the `tenant` query parameter is `acme`, echoing what it saw in its context. */
const requestAuthorizer = `exports.handler = async (event) => ({ principalId: 'tenant',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:*', Effect: event.queryStringParameters.tenant === 'acme' ? 'Allow' : 'Deny', Resource: ['*'] }] },
  context: { type: event.type, header: event.headers['X-Tenant-Key'], path: event.path, resource: event.resource, hasBody: 'body' in event } })`

async function functionArn(source: string): Promise<string> {
  const lambda = lambdaClient(nimbus.current)
  const name = await createFunction(lambda, source)
  return (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.FunctionArn!
}

const uriOf = (arn: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`

async function securedMethod(client: APIGatewayClient, apiId: string, resourceId: string, authorizerId: string, backend: string): Promise<void> {
  await client.send(new PutMethodCommand({ restApiId: apiId, resourceId, httpMethod: 'GET', authorizationType: 'CUSTOM', authorizerId }))
  await client.send(new PutIntegrationCommand({ restApiId: apiId, resourceId, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: uriOf(backend) }))
}

describe('API Gateway Lambda authorizers', () => {
  it('creates, reads, updates and deletes authorizers', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const created = await client.send(new CreateAuthorizerCommand({
      restApiId: api.id, name: 'tok', type: 'TOKEN', authorizerUri: uriOf('arn:aws:lambda:us-east-1:000000000000:function:f'),
      identitySource: 'method.request.header.Authorization',
    }))
    assert.match(created.id!, /^[a-z0-9]{6}$/)
    assert.equal(created.authorizerResultTtlInSeconds, 300)
    assert.equal((await client.send(new GetAuthorizerCommand({ restApiId: api.id, authorizerId: created.id! }))).name, 'tok')
    const updated = await client.send(new UpdateAuthorizerCommand({
      restApiId: api.id, authorizerId: created.id!, patchOperations: [{ op: 'replace', path: '/authorizerResultTtlInSeconds', value: '60' }],
    }))
    assert.equal(updated.authorizerResultTtlInSeconds, 60)
    const list = await client.send(new GetAuthorizersCommand({ restApiId: api.id }))
    assert.deepEqual(list.items!.map((a) => a.id), [created.id])
    await assert.rejects(client.send(new CreateAuthorizerCommand({ restApiId: api.id, name: 'x', type: 'TOKEN', identitySource: 'method.request.header.A' })),
      { name: 'BadRequestException' })
    await assert.rejects(client.send(new CreateAuthorizerCommand({
      restApiId: api.id, name: 'x', type: 'TOKEN', authorizerUri: created.authorizerUri, identitySource: 'method.request.header.A', authorizerResultTtlInSeconds: 3601,
    })), { name: 'BadRequestException' })

    await client.send(new PutMethodCommand({ restApiId: api.id, resourceId: api.root, httpMethod: 'GET', authorizationType: 'CUSTOM', authorizerId: created.id }))
    await assert.rejects(client.send(new DeleteAuthorizerCommand({ restApiId: api.id, authorizerId: created.id! })), { name: 'ConflictException' })
    await client.send(new PutMethodCommand({ restApiId: api.id, resourceId: await createPath(client, api, '/x'), httpMethod: 'GET', authorizationType: 'NONE' }))
    const other = await client.send(new CreateAuthorizerCommand({ restApiId: api.id, name: 'req', type: 'REQUEST', authorizerUri: created.authorizerUri, authorizerResultTtlInSeconds: 0 }))
    await client.send(new DeleteAuthorizerCommand({ restApiId: api.id, authorizerId: other.id! }))
    await assert.rejects(client.send(new GetAuthorizerCommand({ restApiId: api.id, authorizerId: other.id! })),
      { name: 'NotFoundException', message: 'Invalid Authorizer identifier specified' })
  })

  it('enforces a TOKEN authorizer: 401, 403, 500, context passed on, the cached policy evaluated per method ARN', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const [authFn, backend] = await Promise.all([functionArn(tokenAuthorizer), functionArn(echo)])
    const authorizer = await client.send(new CreateAuthorizerCommand({
      restApiId: api.id, name: 'tok', type: 'TOKEN', authorizerUri: uriOf(authFn), identitySource: 'method.request.header.Authorization',
      identityValidationExpression: '[a-z]+', authorizerResultTtlInSeconds: 60,
    }))
    await securedMethod(client, api.id, await createPath(client, api, '/a'), authorizer.id!, backend)
    await securedMethod(client, api.id, await createPath(client, api, '/b'), authorizer.id!, backend)
    await deploy(client, api.id, 'dev')
    const get = (path: string, token?: string) =>
      invoke(nimbus.current, 'path', api.id, 'dev', path, { headers: token === undefined ? {} : { Authorization: token } })

    const missing = await get('/a')
    assert.equal(missing.status, 401)
    assert.deepEqual(missing.json(), { message: 'Unauthorized' })
    assert.equal(missing.headers['x-amzn-errortype'], 'UnauthorizedException')
    assert.equal((await get('/a', 'NOT-LOWER')).status, 401, 'the validation expression refuses it without calling the function')
    const unauthorized = await get('/a', 'unauthorized')
    assert.equal(unauthorized.status, 401)
    assert.deepEqual(unauthorized.json(), { message: 'Unauthorized' })
    const denied = await get('/a', 'deny')
    assert.equal(denied.status, 403)
    assert.deepEqual(denied.json(), { Message: 'User is not authorized to access this resource with an explicit deny' })
    assert.equal(denied.headers['x-amzn-errortype'], 'AccessDeniedException')
    const broken = await get('/a', 'broken')
    assert.equal(broken.status, 500)
    assert.equal(broken.headers['x-amzn-errortype'], 'AuthorizerConfigurationException')

    const first = await get('/a', 'allow')
    assert.equal(first.status, 200)
    const seen = (first.json() as { authorizer: Record<string, unknown> }).authorizer
    assert.equal(seen['principalId'], 'user-allow')
    // AWS stringifies the context's numbers and booleans (the mapping template reference's $context.authorizer.property).
    assert.equal(seen['count'], '3')
    assert.equal(seen['admin'], 'true')
    assert.equal(seen['type'], 'TOKEN')
    assert.equal(seen['arn'], `arn:aws:execute-api:us-east-1:000000000000:${api.id}/dev/GET/a`)
    assert.equal(typeof seen['integrationLatency'], 'number')
    const again = (await get('/b', 'allow')).json() as { authorizer: Record<string, unknown> }
    assert.equal(again.authorizer['nonce'], seen['nonce'], 'the second request within the TTL is answered from the cache')
    await advance(nimbus.current, 60_000)
    const expired = (await get('/a', 'allow')).json() as { authorizer: Record<string, unknown> }
    assert.notEqual(expired.authorizer['nonce'], seen['nonce'], 'after the TTL the function runs again')

    // `narrow` allows only /a: its cached policy answers /b with an implicit deny, as on AWS.
    assert.equal((await get('/a', 'narrow')).status, 200)
    const other = await get('/b', 'narrow')
    assert.equal(other.status, 403)
    assert.deepEqual(other.json(), { Message: 'User is not authorized to access this resource' })
  })

  it('enforces a REQUEST authorizer on its identity sources, with the request event', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const [authFn, backend] = await Promise.all([functionArn(requestAuthorizer), functionArn(echo)])
    const authorizer = await client.send(new CreateAuthorizerCommand({
      restApiId: api.id, name: 'req', type: 'REQUEST', authorizerUri: uriOf(authFn), authorizerResultTtlInSeconds: 0,
      identitySource: 'method.request.header.X-Tenant-Key, method.request.querystring.tenant',
    }))
    await securedMethod(client, api.id, await createPath(client, api, '/items/{id}'), authorizer.id!, backend)
    await deploy(client, api.id, 'dev')

    const noHeader = await invoke(nimbus.current, 'host', api.id, 'dev', '/items/7?tenant=acme')
    assert.equal(noHeader.status, 401)
    assert.deepEqual(noHeader.json(), { message: 'Unauthorized' })
    const deny = await invoke(nimbus.current, 'host', api.id, 'dev', '/items/7?tenant=other', { headers: { 'X-Tenant-Key': 'k1' } })
    assert.equal(deny.status, 403)
    const ok = await invoke(nimbus.current, 'host', api.id, 'dev', '/items/7?tenant=acme', { headers: { 'X-Tenant-Key': 'k1' } })
    assert.equal(ok.status, 200)
    assert.deepEqual((ok.json() as { authorizer: unknown }).authorizer, {
      principalId: 'tenant', integrationLatency: 0, type: 'REQUEST', header: 'k1', path: '/items/7', resource: '/items/{id}', hasBody: 'false',
    })
  })
})
