// REST API resource policies at request time, as AWS's resource policy guide and its "How API Gateway
// resource policies affect authorization workflow" tables describe them: the abbreviated
// `execute-api:/…` resource expanded on save, the policy served as deployed (a change needs a
// redeployment), IpAddress/NotIpAddress on the client's address, aws:SourceVpce never matching,
// Referer, dates, NotResource, account principals for AWS_IAM callers, and a Lambda authorizer's
// two phases — with AWS's 403 `{"Message": "User: anonymous is not authorized …"}` bodies.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateAuthorizerCommand, CreateRestApiCommand, GetRestApiCommand, ImportRestApiCommand, UpdateMethodCommand, UpdateRestApiCommand,
} from '@aws-sdk/client-api-gateway'
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { apiGatewayClient, createPath, deploy, invoke, mockMethod, sendTo } from '../../helpers/apigateway.ts'
import { signedHeaders } from '../../helpers/execute-api-signer.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

const allowAll = { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }
const policyOf = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement })

/** A REST API with MOCK methods GET /pets and GET /admin, created with `policy`, deployed to `dev`. */
async function apiWith(client: APIGatewayClient, policy: string | undefined, authorizationType = 'NONE'): Promise<string> {
  const api = await client.send(new CreateRestApiCommand({ name: uniqueName('rp'), policy }))
  const ids = { id: api.id!, root: api.rootResourceId! }
  for (const path of ['/pets', '/admin']) {
    const resourceId = await createPath(client, ids, path)
    await mockMethod(client, api.id!, resourceId, 'GET', 200, `{"path": "${path}"}`)
    if (authorizationType !== 'NONE') {
      await client.send(new UpdateMethodCommand({ restApiId: api.id!, resourceId, httpMethod: 'GET', patchOperations: [
        { op: 'replace', path: '/authorizationType', value: authorizationType }] }))
    }
  }
  await deploy(client, api.id!, 'dev')
  return api.id!
}

const arnOf = (apiId: string, rest: string) => `arn:aws:execute-api:us-east-1:000000000000:${apiId}/${rest}`

describe('API Gateway REST API resource policies', () => {
  it('expands execute-api:/ on save and on import, as AWS stores it', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await client.send(new CreateRestApiCommand({ name: uniqueName('rp'), policy: policyOf(allowAll) }))
    const stored = JSON.parse((await client.send(new GetRestApiCommand({ restApiId: api.id! }))).policy!)
    assert.equal(stored.Statement[0].Resource, arnOf(api.id!, '*'))
    await client.send(new UpdateRestApiCommand({ restApiId: api.id!, patchOperations: [
      { op: 'replace', path: '/policy', value: policyOf({ ...allowAll, Resource: ['execute-api:/dev/GET/pets'] }) }] }))
    const updated = JSON.parse((await client.send(new GetRestApiCommand({ restApiId: api.id! }))).policy!)
    assert.deepEqual(updated.Statement[0].Resource, [arnOf(api.id!, 'dev/GET/pets')])
    const imported = await client.send(new ImportRestApiCommand({ body: new TextEncoder().encode(JSON.stringify({
      openapi: '3.0.1', info: { title: uniqueName('imp'), version: '1' }, paths: {},
      'x-amazon-apigateway-policy': { Version: '2012-10-17', Statement: [allowAll] },
    })) }))
    assert.equal(JSON.parse(imported.policy!).Statement[0].Resource, arnOf(imported.id!, '*'))
  })

  it('refuses a policy that does not parse when saved, with AWS\'s BadRequestException; an empty one removes it', async () => {
    const client = apiGatewayClient(nimbus.current)
    const invalid = 'Invalid policy document. Please check the policy syntax and ensure that Principals are valid.'
    const bad = ['{"Version": "2012-10-17", "Statement": [', policyOf({ ...allowAll, Effect: 'Maybe' }),
      policyOf({ ...allowAll, Condition: { IpAddresss: { 'aws:SourceIp': '127.0.0.1/32' } } }),
      policyOf({ ...allowAll, Condition: { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '192.0.2.300/32'] } } })]
    for (const policy of bad) {
      await assert.rejects(client.send(new CreateRestApiCommand({ name: uniqueName('rp'), policy })), (error: Error & { $metadata: { httpStatusCode?: number } }) => {
        assert.equal(error.name, 'BadRequestException')
        assert.equal(error.message, invalid)
        assert.equal(error.$metadata.httpStatusCode, 400)
        return true
      })
    }
    const apiId = await apiWith(client, policyOf(allowAll))
    await assert.rejects(client.send(new UpdateRestApiCommand({ restApiId: apiId, patchOperations: [{ op: 'replace', path: '/policy', value: bad[2] }] })),
      { name: 'BadRequestException', message: invalid })
    // A Sid needn't be IAM's alphanumeric one here.
    await client.send(new UpdateRestApiCommand({ restApiId: apiId, patchOperations: [{ op: 'replace', path: '/policy', value: policyOf({ Sid: 'deny-all', ...allowAll, Effect: 'Deny' }) }] }))
    await client.send(new UpdateRestApiCommand({ restApiId: apiId, patchOperations: [{ op: 'replace', path: '/policy', value: '' }] }))
    await deploy(client, apiId, 'dev')
    assert.equal((await invoke(nimbus.current, 'host', apiId, 'dev', '/pets')).status, 200)
  })

  it('no authorization: needs an Allow; a Deny on the client address wins with an explicit deny', async () => {
    const client = apiGatewayClient(nimbus.current)
    // The x-amazon-apigateway-policy example: allow all, deny a source IP block (here the client's own, 127.0.0.1).
    const apiId = await apiWith(client, policyOf(allowAll,
      { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: ['execute-api:/dev/GET/admin'], Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } } }))
    const pets = await invoke(nimbus.current, 'host', apiId, 'dev', '/pets')
    assert.equal(pets.status, 200, pets.text)
    for (const form of ['host', 'path'] as const) {
      const admin = await invoke(nimbus.current, form, apiId, 'dev', '/admin', { headers: { 'X-Forwarded-For': '203.0.113.9' } })
      assert.equal(admin.status, 403)
      assert.equal(admin.headers['x-amzn-errortype'], 'AccessDeniedException')
      assert.deepEqual(admin.json(), {
        Message: `User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${arnOf(apiId, 'dev/GET/admin')} with an explicit deny`,
      })
    }
    // Only an Allow for another address range: an implicit deny (no "with an explicit deny").
    const onlyOthers = await apiWith(client, policyOf({ ...allowAll, Condition: { IpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '198.51.100.0/24'] } } }))
    const refused = await fetch(`${nimbus.current.endpoint}/restapis/${onlyOthers}/dev/_user_request_/pets`)
    assert.equal(refused.status, 403)
    assert.deepEqual(await refused.json(), {
      Message: `User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${arnOf(onlyOthers, 'dev/GET/pets')}`,
    })
    // NotIpAddress with the client's address outside the block: allowed.
    const notIp = await apiWith(client, policyOf({ ...allowAll, Condition: { NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } }))
    assert.equal((await invoke(nimbus.current, 'host', notIp, 'dev', '/pets')).status, 200)
  })

  it('a policy change serves once the API is redeployed', async () => {
    const client = apiGatewayClient(nimbus.current)
    const apiId = await apiWith(client, undefined)
    assert.equal((await invoke(nimbus.current, 'host', apiId, 'dev', '/pets')).status, 200)
    await client.send(new UpdateRestApiCommand({ restApiId: apiId, patchOperations: [
      { op: 'replace', path: '/policy', value: policyOf({ Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }) }] }))
    assert.equal((await invoke(nimbus.current, 'host', apiId, 'dev', '/pets')).status, 200, 'not deployed yet')
    await deploy(client, apiId, 'dev')
    const denied = await invoke(nimbus.current, 'host', apiId, 'dev', '/pets')
    assert.equal(denied.status, 403)
    assert.match((denied.json() as { Message: string }).Message, /with an explicit deny$/)
  })

  it('reads NotResource, aws:SourceVpce (never from a VPC endpoint), aws:Referer and dates', async () => {
    const client = apiGatewayClient(nimbus.current)
    // The private API example: deny unless from vpce-1a2b3c4d — Nimbus has no VPC endpoints, so always denied.
    const vpce = await apiWith(client, policyOf(allowAll,
      { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } }))
    assert.equal((await invoke(nimbus.current, 'host', vpce, 'dev', '/pets')).status, 403)
    const fromVpc = await apiWith(client, policyOf({ ...allowAll, Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-2f09a348' } } }))
    assert.equal((await invoke(nimbus.current, 'host', fromVpc, 'dev', '/pets')).status, 403)
    // NotResource: everything but /admin is allowed.
    const notResource = await apiWith(client, policyOf({ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', NotResource: 'execute-api:/*/GET/admin' }))
    assert.equal((await invoke(nimbus.current, 'host', notResource, 'dev', '/pets')).status, 200)
    assert.equal((await invoke(nimbus.current, 'host', notResource, 'dev', '/admin')).status, 403)
    const referer = await apiWith(client, policyOf({ ...allowAll, Condition: { StringLike: { 'aws:Referer': ['https://*.example.com/*'] } } }))
    assert.equal((await invoke(nimbus.current, 'host', referer, 'dev', '/pets')).status, 403)
    assert.equal((await invoke(nimbus.current, 'host', referer, 'dev', '/pets', { headers: { Referer: 'https://www.example.com/page' } })).status, 200)
    // Dates on Nimbus's clock.
    const dated = await apiWith(client, policyOf({ ...allowAll, Condition: { DateLessThan: { 'aws:CurrentTime': '2000-01-01T00:00:00Z' } } }))
    assert.equal((await invoke(nimbus.current, 'host', dated, 'dev', '/pets')).status, 403)
  })

  it('AWS_IAM: the same account passes unless denied; another account needs the policy to name it', async () => {
    const client = apiGatewayClient(nimbus.current)
    const apiId = await apiWith(client, policyOf(
      { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111111111111:root'] }, Action: 'execute-api:Invoke', Resource: 'execute-api:/dev/GET/pets' },
      { Effect: 'Deny', Principal: { AWS: '000000000000' }, Action: 'execute-api:Invoke', Resource: 'execute-api:/dev/GET/admin' }), 'AWS_IAM')
    const host = `${apiId}.execute-api.localhost:${new URL(nimbus.current.endpoint).port}`
    const call = async (credentials: { accessKeyId: string; secretAccessKey: string }, path: string) =>
      sendTo(nimbus.current, host, path, { headers: await signedHeaders(nimbus.current, credentials, 'GET', host, path) })
    assert.equal((await call(testCredentials, '/dev/pets')).status, 200)
    const denied = await call(testCredentials, '/dev/admin')
    assert.equal(denied.status, 403)
    assert.deepEqual(denied.json(), {
      Message: `User: arn:aws:iam::000000000000:root is not authorized to perform: execute-api:Invoke on resource: ${arnOf(apiId, 'dev/GET/admin')} with an explicit deny`,
    })
    const other = { accessKeyId: '111111111111', secretAccessKey: 'test' }
    assert.equal((await call(other, '/dev/pets')).status, 200)
    const notNamed = await call({ accessKeyId: '222222222222', secretAccessKey: 'test' }, '/dev/pets')
    assert.equal(notNamed.status, 403)
    assert.deepEqual(notNamed.json(), {
      Message: `User: arn:aws:iam::222222222222:root is not authorized to perform: execute-api:Invoke on resource: ${arnOf(apiId, 'dev/GET/pets')}`,
    })
  })

  it('a policy without conditions answers each method and caller alike on every request (its decisions are kept)', async () => {
    const client = apiGatewayClient(nimbus.current)
    const open = await apiWith(client, policyOf(allowAll, { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/dev/GET/admin' }))
    for (let round = 0; round < 3; round++) {
      for (const form of ['host', 'path'] as const) {
        assert.equal((await invoke(nimbus.current, form, open, 'dev', '/pets')).status, 200)
        const admin = await invoke(nimbus.current, form, open, 'dev', '/admin')
        assert.equal(admin.status, 403)
        assert.match((admin.json() as { Message: string }).Message, new RegExp(`${arnOf(open, 'dev/GET/admin')} with an explicit deny$`))
      }
    }
    // AWS_IAM: each caller's answer is its own, whichever asked first.
    const iam = await apiWith(client, policyOf(
      { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111111111111:root'] }, Action: 'execute-api:Invoke', Resource: 'execute-api:/dev/GET/*' }), 'AWS_IAM')
    const host = `${iam}.execute-api.localhost:${new URL(nimbus.current.endpoint).port}`
    const call = async (accessKeyId: string, path: string) =>
      (await sendTo(nimbus.current, host, path, { headers: await signedHeaders(nimbus.current, { accessKeyId, secretAccessKey: 'test' }, 'GET', host, path) })).status
    for (let round = 0; round < 2; round++) {
      assert.deepEqual([await call('222222222222', '/dev/pets'), await call('111111111111', '/dev/pets'), await call('000000000000', '/dev/pets'),
        await call('222222222222', '/dev/admin'), await call('111111111111', '/dev/admin')], [403, 200, 200, 403, 200])
    }
    // A redeployed policy is a new revision: nothing kept from the old one answers.
    await client.send(new UpdateRestApiCommand({ restApiId: open, patchOperations: [{ op: 'replace', path: '/policy', value: policyOf(allowAll) }] }))
    await deploy(client, open, 'dev')
    assert.equal((await invoke(nimbus.current, 'host', open, 'dev', '/admin')).status, 200)
  })

  it('Lambda authorizer: an explicit Deny refuses before the authorizer runs; its silence is overruled by an Allow', async () => {
    const client = apiGatewayClient(nimbus.current)
    const lambda = lambdaClient(nimbus.current)
    // Allows only the ARN named in the token, so `other` leaves the request neither allowed nor denied.
    const name = await createFunction(lambda, `exports.handler = async (event) => ({ principalId: 'u',
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.authorizationToken === 'other' ? 'arn:aws:execute-api:*:*:nope/*' : event.methodArn }] } })`)
    const fn = (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.FunctionArn!
    const build = async (policy: string) => {
      const api = await client.send(new CreateRestApiCommand({ name: uniqueName('rp'), policy }))
      const auth = await client.send(new CreateAuthorizerCommand({ restApiId: api.id!, name: 'tok', type: 'TOKEN', identitySource: 'method.request.header.Authorization',
        authorizerUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fn}/invocations`, authorizerResultTtlInSeconds: 0 }))
      const resourceId = await createPath(client, { id: api.id!, root: api.rootResourceId! }, '/pets')
      await mockMethod(client, api.id!, resourceId, 'GET', 200, '{"ok": true}')
      await client.send(new UpdateMethodCommand({ restApiId: api.id!, resourceId, httpMethod: 'GET', patchOperations: [
        { op: 'replace', path: '/authorizationType', value: 'CUSTOM' }, { op: 'replace', path: '/authorizerId', value: auth.id! }] }))
      await deploy(client, api.id!, 'dev')
      return api.id!
    }
    const denyAll = await build(policyOf({ Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }))
    // Denied before the authorizer: no token needed to get the resource policy's 403 rather than a 401.
    const early = await invoke(nimbus.current, 'host', denyAll, 'dev', '/pets')
    assert.equal(early.status, 403)
    assert.match((early.json() as { Message: string }).Message, /^User: anonymous is not authorized .* with an explicit deny$/)
    // Table A: authorizer silent, resource policy Allow → allowed; authorizer silent, policy silent → the authorizer's implicit deny.
    const allowing = await build(policyOf(allowAll))
    assert.equal((await invoke(nimbus.current, 'host', allowing, 'dev', '/pets', { headers: { Authorization: 'other' } })).status, 200)
    const silent = await build(policyOf({ ...allowAll, Resource: 'execute-api:/*/POST/*' }))
    assert.equal((await invoke(nimbus.current, 'host', silent, 'dev', '/pets', { headers: { Authorization: 'mine' } })).status, 200)
    const neither = await invoke(nimbus.current, 'host', silent, 'dev', '/pets', { headers: { Authorization: 'other' } })
    assert.equal(neither.status, 403)
    assert.deepEqual(neither.json(), { Message: 'User is not authorized to access this resource' })
  })
})
