// WebSocket APIs' `$connect` authorization end to end (with `--enforce-iam`): a Lambda REQUEST
// authorizer (401 without its identity sources, 403 on Deny, 500 on a failing function, its
// principalId and context in later events, its answer cached on the manual clock) and AWS_IAM
// (a SigV4-signed upgrade, in headers or a presigned URL a real WebSocket client opens).
import assert from 'node:assert/strict'
import type { Socket } from 'node:net'
import { describe, it } from 'node:test'
import {
  CreateApiCommand, CreateAuthorizerCommand, CreateIntegrationCommand, CreateRouteCommand, CreateRouteResponseCommand, CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2'
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam'
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi'
import { AddPermissionCommand, GetFunctionCommand } from '@aws-sdk/client-lambda'
import { SignatureV4 } from '@smithy/signature-v4'
import { apiGatewayV2Client } from '../../helpers/apigatewayv2.ts'
import { Sha256, signedHeaders } from '../../helpers/execute-api-signer.ts'
import { type Credentials, iamClient } from '../../helpers/iam.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { advance, testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { openSocket, portOf, rawUpgrade, readFrame } from '../../helpers/websocket.ts'
import { encodeFrame } from '../../../src/protocol/websocket.ts'

const nimbus = useNimbus({ enforceIam: true })

/** Every route: `$connect` accepts; others send back what the event's requestContext says of the caller. */
const backend = `exports.handler = async (event) => ({ statusCode: 200,
  body: JSON.stringify({ routeKey: event.requestContext.routeKey, authorizer: event.requestContext.authorizer ?? null, identity: event.requestContext.identity }) })`

/** Allows the token `open`, denies others; `boom` throws and `bad` answers no policy. The context carries a nonce (a cached answer keeps it). */
const authorizerSource = `exports.handler = async (event) => {
  const token = event.headers.Auth
  if (token === 'boom') throw new Error('authorizer failing on purpose')
  if (token === 'bad') return 'no policy'
  return {
    principalId: 'user-' + token,
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: token === 'open' ? 'Allow' : 'Deny', Resource: event.methodArn }] },
    context: { nonce: String(Math.random()), methodArn: event.methodArn, type: event.type, room: event.queryStringParameters.room,
      eventType: event.requestContext.eventType, stageVariable: event.stageVariables.tier },
  }
}`

/** A function API Gateway may invoke (with `--enforce-iam` its integrations and authorizers need the permission, as on AWS). */
async function arnOf(source: string): Promise<string> {
  const lambda = lambdaClient(nimbus.current)
  const name = await createFunction(lambda, source)
  await lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'apigateway', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }))
  return (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.FunctionArn!
}

/** A WebSocket API whose `$connect` has the given authorization and whose `echo` route is two-way. */
async function securedApi(auth: { AuthorizationType: 'CUSTOM' | 'AWS_IAM'; AuthorizerId?: string } | ((apiId: string) => Promise<{ AuthorizationType: 'CUSTOM'; AuthorizerId: string }>)) {
  const client = apiGatewayV2Client(nimbus.current)
  const fn = await arnOf(backend)
  const api = await client.send(new CreateApiCommand({ Name: uniqueName('ws'), ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))
  const apiId = api.ApiId!
  const { IntegrationId } = await client.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fn }))
  const target = `integrations/${IntegrationId}`
  const authorization = typeof auth === 'function' ? await auth(apiId) : auth
  await client.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: '$connect', Target: target, ...authorization }))
  const echo = await client.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'echo', Target: target, RouteResponseSelectionExpression: '$default' }))
  await client.send(new CreateRouteResponseCommand({ ApiId: apiId, RouteId: echo.RouteId, RouteResponseKey: '$default' }))
  await client.send(new CreateStageCommand({ ApiId: apiId, StageName: 'dev', AutoDeploy: true, StageVariables: { tier: 'gold' } }))
  return { apiId, target, host: `${apiId}.execute-api.localhost:${portOf(nimbus.current)}` }
}

/** Sends `{"action":"echo"}` on a raw upgraded socket and reads the answer. */
async function echoOver(socket: Socket): Promise<{ routeKey: string; authorizer: Record<string, unknown> | null; identity: Record<string, unknown> }> {
  socket.write(encodeFrame(0x1, Buffer.from('{"action":"echo"}'), Buffer.from([9, 8, 7, 6])))
  return JSON.parse((await readFrame(socket)).payload.toString('utf8')) as never
}

async function userWithKey(policy?: object): Promise<{ arn: string; credentials: Credentials }> {
  const iam = iamClient(nimbus.current)
  const name = uniqueName('caller')
  const { User } = await iam.send(new CreateUserCommand({ UserName: name }))
  if (policy !== undefined) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'invoke', PolicyDocument: JSON.stringify(policy) }))
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }))
  return { arn: User!.Arn!, credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } }
}

describe('WebSocket API authorization on $connect', { timeout: 60_000 }, () => {
  it('checks authorizers and route authorization as AWS does: REQUEST only, $connect only', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const fn = await arnOf(authorizerSource)
    const { ApiId } = await client.send(new CreateApiCommand({ Name: uniqueName('ws'), ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))
    await assert.rejects(client.send(new CreateAuthorizerCommand({
      ApiId, Name: 'jwt', AuthorizerType: 'JWT', IdentitySource: ['route.request.header.Auth'], JwtConfiguration: { Issuer: 'https://issuer', Audience: ['a'] },
    })), { name: 'BadRequestException' })
    await assert.rejects(client.send(new CreateAuthorizerCommand({
      ApiId, Name: 'bad', AuthorizerType: 'REQUEST', AuthorizerUri: fn, IdentitySource: ['$request.header.Auth'],
    })), { name: 'BadRequestException', message: 'Invalid identity source specified: $request.header.Auth' })
    const authorizer = await client.send(new CreateAuthorizerCommand({
      ApiId, Name: 'lambda', AuthorizerType: 'REQUEST', AuthorizerUri: fn, IdentitySource: ['route.request.header.Auth', 'route.request.querystring.room'],
    }))
    assert.deepEqual(authorizer.IdentitySource, ['route.request.header.Auth', 'route.request.querystring.room'])
    const mock = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'MOCK' }))
    await assert.rejects(client.send(new CreateRouteCommand({
      ApiId, RouteKey: 'echo', Target: `integrations/${mock.IntegrationId}`, AuthorizationType: 'CUSTOM', AuthorizerId: authorizer.AuthorizerId,
    })), { name: 'BadRequestException', message: 'Currently, authorization is restricted to the $connect route only' })
    await assert.rejects(client.send(new CreateRouteCommand({ ApiId, RouteKey: '$connect', AuthorizationType: 'JWT', AuthorizerId: authorizer.AuthorizerId })),
      { name: 'BadRequestException' })
    await assert.rejects(client.send(new CreateRouteCommand({ ApiId, RouteKey: '$connect', AuthorizationType: 'CUSTOM', AuthorizerId: 'nope' })),
      { name: 'BadRequestException' })
    const route = await client.send(new CreateRouteCommand({ ApiId, RouteKey: '$connect', AuthorizationType: 'CUSTOM', AuthorizerId: authorizer.AuthorizerId }))
    assert.equal(route.AuthorizationType, 'CUSTOM')
    assert.equal(route.AuthorizerId, authorizer.AuthorizerId)
  })

  it('runs a Lambda REQUEST authorizer before $connect: 401, 403, 500, the context in later events, the answer cached on the clock', async () => {
    const fn = await arnOf(authorizerSource)
    const client = apiGatewayV2Client(nimbus.current)
    const { apiId, host } = await securedApi(async (ApiId) => {
      const authorizer = await client.send(new CreateAuthorizerCommand({
        ApiId, Name: 'lambda', AuthorizerType: 'REQUEST', AuthorizerResultTtlInSeconds: 300,
        AuthorizerUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fn}/invocations`,
        IdentitySource: ['route.request.header.Auth', 'route.request.querystring.room'],
      }))
      return { AuthorizationType: 'CUSTOM', AuthorizerId: authorizer.AuthorizerId! }
    })
    const upgrade = (token: string | undefined, query = '?room=blue') => rawUpgrade(nimbus.current, host, `/dev${query}`, token === undefined ? {} : { Auth: token })

    // An identity source missing: 401 without calling the function.
    for (const missing of [await upgrade(undefined), await upgrade('open', '')]) {
      assert.deepEqual([missing.status, (missing as { body: string }).body], [401, '{"message":"Unauthorized"}'])
    }
    const denied = await upgrade('closed')
    assert.deepEqual([denied.status, (denied as { body: string }).body], [403, '{"message":"Forbidden"}'])
    for (const failing of ['boom', 'bad']) {
      const answer = await upgrade(failing)
      assert.deepEqual([answer.status, (answer as { body: string }).body], [500, '{"message":"Internal server error"}'])
    }

    const first = await upgrade('open')
    assert.equal(first.status, 101)
    const seen = await echoOver((first as { socket: Socket }).socket)
    assert.equal(seen.routeKey, 'echo')
    const authorizer = seen.authorizer!
    assert.equal(authorizer['principalId'], 'user-open')
    assert.equal(authorizer['methodArn'], `arn:aws:execute-api:us-east-1:000000000000:${apiId}/dev/$connect`)
    assert.equal(authorizer['type'], 'REQUEST')
    assert.equal(authorizer['room'], 'blue')
    assert.equal(authorizer['eventType'], 'CONNECT')
    assert.equal(authorizer['stageVariable'], 'gold')
    ;(first as { socket: Socket }).socket.destroy()

    // The same identity within the TTL: the cached answer (same nonce); after it, the function again.
    const cached = await upgrade('open')
    assert.equal((await echoOver((cached as { socket: Socket }).socket)).authorizer!['nonce'], authorizer['nonce'])
    ;(cached as { socket: Socket }).socket.destroy()
    await advance(nimbus.current, 300_000)
    const fresh = await upgrade('open')
    assert.notEqual((await echoOver((fresh as { socket: Socket }).socket)).authorizer!['nonce'], authorizer['nonce'])
    ;(fresh as { socket: Socket }).socket.destroy()
  })

  it('AWS_IAM: the upgrade must be SigV4-signed by a caller allowed execute-api:Invoke (headers or a presigned URL)', async () => {
    const { apiId, host } = await securedApi({ AuthorizationType: 'AWS_IAM' })
    const upgrade = async (credentials?: Credentials) =>
      rawUpgrade(nimbus.current, host, '/dev', credentials === undefined ? {} : await signedHeaders(nimbus.current, credentials, 'GET', host, '/dev'))

    const unsigned = await upgrade()
    assert.deepEqual([unsigned.status, (unsigned as { body: string }).body], [403, '{"message":"Forbidden"}'])
    const wrong = await upgrade({ accessKeyId: 'test', secretAccessKey: 'nope' })
    assert.equal(wrong.status, 403)
    assert.match((wrong as { body: string }).body, /The request signature we calculated does not match/)
    const notAllowed = await userWithKey()
    assert.equal((await upgrade(notAllowed.credentials)).status, 403)

    const allowed = await userWithKey({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] })
    const accepted = await upgrade(allowed.credentials)
    assert.equal(accepted.status, 101)
    const seen = await echoOver((accepted as { socket: Socket }).socket)
    assert.equal(seen.identity['userArn'], allowed.arn)
    assert.equal(seen.identity['accessKey'], allowed.credentials.accessKeyId)
    ;(accepted as { socket: Socket }).socket.destroy()

    // A real client with a presigned URL (the path form), as AWS's docs have IAM-authorized clients connect.
    const port = Number(portOf(nimbus.current))
    const signer = new SignatureV4({ service: 'execute-api', region: 'us-east-1', credentials: testCredentials, sha256: Sha256 })
    const presigned = await signer.presign({
      method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port, path: `/restapis/${apiId}/dev/_user_request_`, headers: { host: `127.0.0.1:${port}` },
    }, { signingDate: new Date(nimbus.current.clock.now()), expiresIn: 300 })
    const query = new URLSearchParams(presigned.query as Record<string, string>).toString()
    const socket = await openSocket(`ws://127.0.0.1:${port}${presigned.path}?${query}`)
    socket.send('{"action":"echo"}')
    const echoed = JSON.parse(await socket.next()) as { identity: Record<string, unknown> }
    assert.equal(echoed.identity['userArn'], 'arn:aws:iam::000000000000:root')
    socket.socket.close()
    await socket.closed
  })

  it('@connections calls need execute-api:ManageConnections with --enforce-iam', async () => {
    const { apiId } = await securedApi({ AuthorizationType: 'AWS_IAM' })
    const management = (credentials: Credentials) => new ApiGatewayManagementApiClient({
      endpoint: `${nimbus.current.endpoint}/restapis/${apiId}/dev/_user_request_`, region: 'us-east-1', credentials, maxAttempts: 1,
    })
    // The action AWS names is execute-api:ManageConnections, not the operation's name; allowed, a closed connection is Gone.
    const byName = await userWithKey({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:PostToConnection', Resource: '*' }] })
    const refused = await management(byName.credentials).send(new PostToConnectionCommand({ ConnectionId: 'AAAAAAAAAAAAAAA=', Data: Buffer.from('x') }))
      .catch((error: unknown) => error as { name: string; message: string; $metadata: { httpStatusCode: number } })
    assert.equal((refused as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode, 403)
    assert.match((refused as { message: string }).message, /execute-api:ManageConnections/)
    const allowed = await userWithKey({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:ManageConnections', Resource: '*' }] })
    await assert.rejects(management(allowed.credentials).send(new PostToConnectionCommand({ ConnectionId: 'AAAAAAAAAAAAAAA=', Data: Buffer.from('x') })),
      { name: 'GoneException' })
  })
})
