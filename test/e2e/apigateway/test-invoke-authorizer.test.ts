// TestInvokeAuthorizer with the SDK: a TOKEN authorizer's policy comes back (clientStatus 0, the policy
// as JSON text, the context under `authorization`), a missing token and an "Unauthorized" error are 401,
// a REQUEST authorizer sees the query string and stage variables the test describes.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateAuthorizerCommand, TestInvokeAuthorizerCommand } from '@aws-sdk/client-api-gateway'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { apiGatewayClient, createApi } from '../../helpers/apigateway.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()

const authorizerCode = `exports.handler = async (event) => {
  const token = event.type === 'TOKEN' ? event.authorizationToken : event.queryStringParameters.token + '/' + event.stageVariables.env
  if (token === 'deny') throw new Error('Unauthorized')
  return { principalId: 'user-' + token, context: { seen: token, n: 1 },
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] } }
}`

describe('TestInvokeAuthorizer', () => {
  it('runs TOKEN and REQUEST authorizers with the described request', async () => {
    const client = apiGatewayClient(nimbus.current)
    const lambda = lambdaClient(nimbus.current)
    const name = await createFunction(lambda, authorizerCode)
    const arn = (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.FunctionArn!
    lambda.destroy()
    const uri = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`
    const api = await createApi(client)
    const token = await client.send(new CreateAuthorizerCommand({
      restApiId: api.id, name: 'token', type: 'TOKEN', authorizerUri: uri, identitySource: 'method.request.header.Authorization',
    }))
    const allowed = await client.send(new TestInvokeAuthorizerCommand({ restApiId: api.id, authorizerId: token.id, headers: { Authorization: 'alice' } }))
    assert.equal(allowed.clientStatus, 0)
    assert.equal(allowed.principalId, 'user-alice')
    assert.equal((JSON.parse(allowed.policy!) as { Statement: Array<{ Effect: string }> }).Statement[0]!.Effect, 'Allow')
    assert.deepEqual(allowed.authorization, { seen: ['alice'], n: ['1'] })
    assert.ok(typeof allowed.latency === 'number' && allowed.log!.length > 0)

    assert.equal((await client.send(new TestInvokeAuthorizerCommand({ restApiId: api.id, authorizerId: token.id, headers: {} }))).clientStatus, 401)
    assert.equal((await client.send(new TestInvokeAuthorizerCommand({ restApiId: api.id, authorizerId: token.id, headers: { Authorization: 'deny' } }))).clientStatus, 401)

    const request = await client.send(new CreateAuthorizerCommand({
      restApiId: api.id, name: 'request', type: 'REQUEST', authorizerUri: uri, identitySource: 'method.request.querystring.token',
    }))
    const byQuery = await client.send(new TestInvokeAuthorizerCommand({
      restApiId: api.id, authorizerId: request.id, pathWithQueryString: '/pets?token=bob', stageVariables: { env: 'dev' },
    }))
    assert.deepEqual([byQuery.clientStatus, byQuery.principalId], [0, 'user-bob/dev'])

    const missing = await sdkError(client.send(new TestInvokeAuthorizerCommand({ restApiId: api.id, authorizerId: 'nope12' })))
    assert.deepEqual([missing.name, missing.status], ['NotFoundException', 404])
  })
  it('reads identity sources as a method request does: a repeated query parameter\'s last value, context.x', async () => {
    const client = apiGatewayClient(nimbus.current)
    const lambda = lambdaClient(nimbus.current)
    const name = await createFunction(lambda, authorizerCode)
    const arn = (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.FunctionArn!
    lambda.destroy()
    const api = await createApi(client)
    const request = await client.send(new CreateAuthorizerCommand({
      restApiId: api.id, name: 'request', type: 'REQUEST', authorizerUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`,
      identitySource: 'method.request.querystring.token, context.apiId',
    }))
    const test = (pathWithQueryString: string) => client.send(new TestInvokeAuthorizerCommand({
      restApiId: api.id, authorizerId: request.id, pathWithQueryString, stageVariables: { env: 'dev' },
    }))
    const both = await test('/pets?token=bob')
    assert.deepEqual([both.clientStatus, both.principalId], [0, 'user-bob/dev'])
    // The last of a repeated parameter is empty: the source is missing, as on the invoke path.
    assert.equal((await test('/pets?token=bob&token=')).clientStatus, 401)
  })
})
