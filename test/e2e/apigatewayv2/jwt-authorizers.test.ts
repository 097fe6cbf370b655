// HTTP API JWT authorizers end to end: the authorizer control plane, routes with AuthorizationType
// JWT, and at request time RS256 tokens checked against the JWKS a local issuer serves (discovery
// document → jwks_uri): 401 without a token or with a bad one, expiry on the manual clock, 403 without
// a required scope, and the claims and scopes in the event's requestContext.authorizer.jwt.
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import {
  CreateApiCommand, CreateAuthorizerCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, DeleteAuthorizerCommand,
  GetAuthorizerCommand, GetRouteCommand,
} from '@aws-sdk/client-apigatewayv2'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { apiGatewayV2Client, invokeHttpApi } from '../../helpers/apigatewayv2.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
let issuer = ''
let server: Server

before(async () => {
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json')
    if (req.url === '/.well-known/openid-configuration') res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }))
    else if (req.url === '/jwks') res.end(JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] }))
    else res.writeHead(404).end('{}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
after(() => new Promise<void>((resolve) => server.close(() => resolve())))

function token(claims: Record<string, unknown>, key: KeyObject = privateKey, kid = 'k1'): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const signed = `${part({ alg: 'RS256', typ: 'JWT', kid })}.${part(claims)}`
  return `${signed}.${sign('RSA-SHA256', Buffer.from(signed), key).toString('base64url')}`
}

const echo = `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event.requestContext.authorizer ?? null) })`

describe('HTTP API JWT authorizers', () => {
  it('checks tokens against the issuer JWKS, expiry on the clock, audience and scopes', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const lambda = lambdaClient(nimbus.current)
    const fn = (await lambda.send(new GetFunctionCommand({ FunctionName: await createFunction(lambda, echo) }))).Configuration!.FunctionArn!
    const api = await client.send(new CreateApiCommand({ Name: uniqueName('http'), ProtocolType: 'HTTP' }))
    const integration = await client.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fn, PayloadFormatVersion: '2.0' }))
    const authorizer = await client.send(new CreateAuthorizerCommand({
      ApiId: api.ApiId, Name: 'jwt', AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: issuer, Audience: ['my-app'] },
    }))
    assert.deepEqual((await client.send(new GetAuthorizerCommand({ ApiId: api.ApiId, AuthorizerId: authorizer.AuthorizerId }))).JwtConfiguration,
      { Issuer: issuer, Audience: ['my-app'] })
    await assert.rejects(client.send(new CreateAuthorizerCommand({ ApiId: api.ApiId, Name: 'x', AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] })),
      { name: 'BadRequestException' })
    const target = `integrations/${integration.IntegrationId}`
    const open = await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /me', Target: target, AuthorizationType: 'JWT', AuthorizerId: authorizer.AuthorizerId }))
    await client.send(new CreateRouteCommand({
      ApiId: api.ApiId, RouteKey: 'GET /admin', Target: target, AuthorizationType: 'JWT', AuthorizerId: authorizer.AuthorizerId, AuthorizationScopes: ['admin'],
    }))
    assert.equal((await client.send(new GetRouteCommand({ ApiId: api.ApiId, RouteId: open.RouteId }))).AuthorizerId, authorizer.AuthorizerId)
    await assert.rejects(client.send(new DeleteAuthorizerCommand({ ApiId: api.ApiId, AuthorizerId: authorizer.AuthorizerId })), { name: 'ConflictException' })
    await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }))

    const now = Math.floor(nimbus.current.clock.now() / 1000)
    const good = token({ iss: issuer, aud: 'my-app', sub: 'user-1', exp: now + 300, scope: 'read write', groups: ['a', 'b'] })
    const get = (path: string, bearer?: string) =>
      invokeHttpApi(nimbus.current, api.ApiId!, path, { headers: bearer === undefined ? {} : { Authorization: `Bearer ${bearer}` } })

    const missing = await get('/me')
    assert.equal(missing.status, 401)
    assert.deepEqual(missing.json(), { message: 'Unauthorized' })
    for (const bad of [
      'not-a-jwt',
      token({ iss: issuer, aud: 'my-app', exp: now + 300 }, other),
      token({ iss: issuer, aud: 'someone-else', exp: now + 300 }),
      token({ iss: 'https://elsewhere', aud: 'my-app', exp: now + 300 }),
      token({ iss: issuer, aud: 'my-app', exp: now + 300 }, privateKey, 'unknown-kid'),
    ]) assert.equal((await get('/me', bad)).status, 401)

    const ok = await get('/me', good)
    assert.equal(ok.status, 200)
    const seen = ok.json() as { jwt: { claims: Record<string, string>; scopes: string[] } }
    assert.equal(seen.jwt.claims['sub'], 'user-1')
    assert.equal(seen.jwt.claims['exp'], String(now + 300))
    assert.equal(seen.jwt.claims['groups'], '[a b]')
    assert.deepEqual(seen.jwt.scopes, ['read', 'write'])

    const forbidden = await get('/admin', good)
    assert.equal(forbidden.status, 403)
    assert.deepEqual(forbidden.json(), { message: 'Forbidden' })
    assert.equal((await get('/admin', token({ iss: issuer, client_id: 'my-app', exp: now + 300, scope: 'admin' }))).status, 200,
      'client_id stands for aud (Cognito access tokens)')

    await advance(nimbus.current, 301_000)
    assert.equal((await get('/me', good)).status, 401, 'expired on the clock')
  })
})
