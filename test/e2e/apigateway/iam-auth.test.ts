// AWS_IAM authorization on REST methods and HTTP API routes, with `--enforce-iam`: unsigned → 403
// (REST: Missing Authentication Token; HTTP APIs: Forbidden), a wrong secret → the front end's
// signature mismatch, an unknown key → "The security token included in the request is invalid.",
// an IAM user without execute-api:Invoke → 403, and the signed caller in `$context.identity`,
// the 1.0 event's identity and the 2.0 event's requestContext.authorizer.iam.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateAuthorizerCommand, PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand, UpdateMethodCommand, UpdateRestApiCommand,
} from '@aws-sdk/client-api-gateway'
import { CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, GetRouteCommand } from '@aws-sdk/client-apigatewayv2'
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam'
import { AddPermissionCommand, GetFunctionCommand } from '@aws-sdk/client-lambda'
import { apiGatewayClient, createApi, createPath, deploy, mockMethod, sendTo } from '../../helpers/apigateway.ts'
import { apiGatewayV2Client } from '../../helpers/apigatewayv2.ts'
import { signedHeaders } from '../../helpers/execute-api-signer.ts'
import { type Credentials, iamClient } from '../../helpers/iam.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus({ enforceIam: true })

async function userWithKey(policy?: object): Promise<{ arn: string; userId: string; credentials: Credentials }> {
  const iam = iamClient(nimbus.current)
  const name = uniqueName('caller')
  const { User } = await iam.send(new CreateUserCommand({ UserName: name }))
  if (policy !== undefined) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'invoke', PolicyDocument: JSON.stringify(policy) }))
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }))
  return { arn: User!.Arn!, userId: User!.UserId!, credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } }
}

const invokeAllowed = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] }

describe('API Gateway AWS_IAM authorization', () => {
  it('REST: needs a valid SigV4 signature and puts the caller in $context.identity', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const resourceId = await createPath(client, api, '/who')
    const method = { restApiId: api.id, resourceId, httpMethod: 'GET' }
    await client.send(new PutMethodCommand({ ...method, authorizationType: 'AWS_IAM' }))
    await client.send(new PutIntegrationCommand({ ...method, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }))
    await client.send(new PutMethodResponseCommand({ ...method, statusCode: '200' }))
    await client.send(new PutIntegrationResponseCommand({ ...method, statusCode: '200', responseTemplates: {
      'application/json': '{"arn": "$context.identity.userArn", "caller": "$context.identity.caller", "account": "$context.identity.accountId", "key": "$context.identity.accessKey"}',
    } }))
    await deploy(client, api.id, 'dev')
    const host = `${api.id}.execute-api.localhost:${new URL(nimbus.current.endpoint).port}`
    const call = async (credentials?: Credentials, path = '/dev/who', callHost = host) =>
      sendTo(nimbus.current, callHost, path, { headers: credentials === undefined ? {} : await signedHeaders(nimbus.current, credentials, 'GET', callHost, path) })

    const unsigned = await call()
    assert.equal(unsigned.status, 403)
    assert.deepEqual(unsigned.json(), { message: 'Missing Authentication Token' })
    assert.equal(unsigned.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException')

    const root = await call(testCredentials)
    assert.equal(root.status, 200, root.text)
    assert.deepEqual(root.json(), { arn: 'arn:aws:iam::000000000000:root', caller: '000000000000', account: '000000000000', key: 'test' })
    // The path form signs its own path and Host.
    const pathForm = await call(testCredentials, `/restapis/${api.id}/dev/_user_request_/who`, new URL(nimbus.current.endpoint).host)
    assert.equal(pathForm.status, 200, pathForm.text)

    const wrongSecret = await call({ accessKeyId: 'test', secretAccessKey: 'wrong' })
    assert.equal(wrongSecret.status, 403)
    assert.match((wrongSecret.json() as { message: string }).message, /^The request signature we calculated does not match the signature you provided/)
    assert.equal(wrongSecret.headers['x-amzn-errortype'], 'InvalidSignatureException')

    const unknown = await call({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' })
    assert.equal(unknown.status, 403)
    assert.deepEqual(unknown.json(), { message: 'The security token included in the request is invalid.' })

    // --enforce-iam: an IAM user needs execute-api:Invoke.
    const denied = await userWithKey()
    const refused = await call(denied.credentials)
    assert.equal(refused.status, 403)
    assert.deepEqual(refused.json(), {
      Message: `User: ${denied.arn} is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:000000000000:${api.id}/dev/GET/who`,
    })
    const allowed = await userWithKey(invokeAllowed)
    const served = await call(allowed.credentials)
    assert.equal(served.status, 200, served.text)
    assert.deepEqual(served.json(), { arn: allowed.arn, caller: allowed.userId, account: '000000000000', key: allowed.credentials.accessKeyId })
  })

  it('REST: a resource policy naming a user of the account lets it in without an identity policy; its Deny wins over one (Table A)', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const resourceId = await createPath(client, api, '/who')
    await mockMethod(client, api.id, resourceId, 'GET', 200, '{}')
    await client.send(new UpdateMethodCommand({ restApiId: api.id, resourceId, httpMethod: 'GET', patchOperations: [
      { op: 'replace', path: '/authorizationType', value: 'AWS_IAM' }] }))
    const named = await userWithKey()
    const denied = await userWithKey(invokeAllowed)
    await client.send(new UpdateRestApiCommand({ restApiId: api.id, patchOperations: [{ op: 'replace', path: '/policy', value: JSON.stringify({
      Version: '2012-10-17', Statement: [
        { Effect: 'Allow', Principal: { AWS: named.arn }, Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
        { Effect: 'Deny', Principal: { AWS: denied.arn }, Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
      ] }) }] }))
    await deploy(client, api.id, 'dev')
    const host = `${api.id}.execute-api.localhost:${new URL(nimbus.current.endpoint).port}`
    const call = async (credentials: Credentials) =>
      sendTo(nimbus.current, host, '/dev/who', { headers: await signedHeaders(nimbus.current, credentials, 'GET', host, '/dev/who') })
    assert.equal((await call(named.credentials)).status, 200)
    const refused = await call(denied.credentials)
    assert.equal(refused.status, 403)
    assert.deepEqual(refused.json(), {
      Message: `User: ${denied.arn} is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:000000000000:${api.id}/dev/GET/who with an explicit deny`,
    })
    // Neither the identity policies nor the resource policy allow: the implicit deny.
    const nobody = await userWithKey()
    assert.equal((await call(nobody.credentials)).status, 403)
  })

  it('REST: a Cognito user pool method answers 401 (Nimbus serves no user pool to validate tokens)', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const resourceId = await createPath(client, api, '/pool')
    const authorizer = await client.send(new CreateAuthorizerCommand({ restApiId: api.id, name: 'pool', type: 'COGNITO_USER_POOLS',
      providerARNs: ['arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_abc'], identitySource: 'method.request.header.Authorization' }))
    const method = { restApiId: api.id, resourceId, httpMethod: 'GET' }
    await client.send(new PutMethodCommand({ ...method, authorizationType: 'COGNITO_USER_POOLS', authorizerId: authorizer.id }))
    await client.send(new PutIntegrationCommand({ ...method, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }))
    await client.send(new PutMethodResponseCommand({ ...method, statusCode: '200' }))
    await client.send(new PutIntegrationResponseCommand({ ...method, statusCode: '200', responseTemplates: { 'application/json': '{}' } }))
    await deploy(client, api.id, 'dev')
    const host = `${api.id}.execute-api.localhost:${new URL(nimbus.current.endpoint).port}`
    for (const headers of [{}, { authorization: 'eyJhbGciOiJSUzI1NiJ9.e30.sig' }] as Record<string, string>[]) {
      const answer = await sendTo(nimbus.current, host, '/dev/pool', { headers })
      assert.deepEqual([answer.status, answer.json(), answer.headers['x-amzn-errortype']], [401, { message: 'Unauthorized' }, 'UnauthorizedException'])
    }
  })

  it('HTTP API: AWS_IAM routes need a signature; the caller reaches payload 2.0 and 1.0 events', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const lambda = lambdaClient(nimbus.current)
    const echo = `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ authorizer: event.requestContext.authorizer ?? null, identity: event.requestContext.identity ?? null }) })`
    const fn = (await lambda.send(new GetFunctionCommand({ FunctionName: await createFunction(lambda, echo) }))).Configuration!.FunctionArn!
    const { ApiId } = await client.send(new CreateApiCommand({ Name: uniqueName('iam'), ProtocolType: 'HTTP' }))
    for (const [version, path] of [['2.0', '/v2'], ['1.0', '/v1']] as const) {
      const { IntegrationId } = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fn, PayloadFormatVersion: version }))
      const route = await client.send(new CreateRouteCommand({ ApiId, RouteKey: `GET ${path}`, Target: `integrations/${IntegrationId}`, AuthorizationType: 'AWS_IAM' }))
      assert.equal((await client.send(new GetRouteCommand({ ApiId, RouteId: route.RouteId }))).AuthorizationType, 'AWS_IAM')
    }
    await client.send(new CreateStageCommand({ ApiId, StageName: '$default', AutoDeploy: true }))
    // --enforce-iam: the function's policy must let API Gateway invoke it, as on AWS.
    await lambda.send(new AddPermissionCommand({ FunctionName: fn, StatementId: 'apigateway-invoke', Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:us-east-1:000000000000:${ApiId}/*/*/*` }))
    const host = `${ApiId}.execute-api.localhost:${new URL(nimbus.current.endpoint).port}`
    const call = async (path: string, credentials?: Credentials) =>
      sendTo(nimbus.current, host, path, { headers: credentials === undefined ? {} : await signedHeaders(nimbus.current, credentials, 'GET', host, path) })

    const unsigned = await call('/v2')
    assert.equal(unsigned.status, 403)
    assert.deepEqual(unsigned.json(), { message: 'Forbidden' })
    const unknown = await call('/v2', { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' })
    assert.deepEqual([unknown.status, unknown.json()], [403, { message: 'The security token included in the request is invalid.' }])
    const wrong = await call('/v2', { accessKeyId: 'test', secretAccessKey: 'nope' })
    assert.equal(wrong.status, 403)
    assert.match((wrong.json() as { message: string }).message, /^The request signature we calculated does not match/)
    const denied = await userWithKey()
    assert.deepEqual((await call('/v2', denied.credentials)).json(), { message: 'Forbidden' })

    const allowed = await userWithKey(invokeAllowed)
    const v2 = await call('/v2', allowed.credentials)
    assert.equal(v2.status, 200, v2.text)
    assert.deepEqual((v2.json() as { authorizer: unknown }).authorizer, { iam: {
      accessKey: allowed.credentials.accessKeyId, accountId: '000000000000', callerId: allowed.userId, cognitoIdentity: null,
      principalOrgId: null, userArn: allowed.arn, userId: allowed.userId,
    } })
    const v1 = await call('/v1', testCredentials)
    assert.equal(v1.status, 200, v1.text)
    const identity = (v1.json() as { identity: Record<string, unknown> }).identity
    assert.deepEqual([identity.accessKey, identity.accountId, identity.caller, identity.user, identity.userArn],
      ['test', '000000000000', '000000000000', '000000000000', 'arn:aws:iam::000000000000:root'])
  })
})
