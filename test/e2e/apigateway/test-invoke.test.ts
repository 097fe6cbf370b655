// TestInvokeMethod (`aws apigateway test-invoke-method`, the console's Test): a method's integration
// run as the API stands, before any deployment — a MOCK with its templates and path/query values,
// and a Lambda proxy whose event carries the test stage and the stage variables given.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateResourceCommand, PutIntegrationCommand, PutMethodCommand, TestInvokeMethodCommand } from '@aws-sdk/client-api-gateway'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { apiGatewayClient, createApi, createPath, mockMethod } from '../../helpers/apigateway.ts'
import { awsCli } from '../../helpers/aws-cli.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()

describe('TestInvokeMethod', () => {
  it('runs a MOCK method without a deployment: status, mapped body, headers and a log', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const pet = await createPath(client, api, '/pets/{petId}')
    await mockMethod(client, api.id, pet, 'GET', 200, '{"id": "$input.params(\'petId\')", "type": "$input.params(\'type\')", "stage": "$context.stage"}')
    const out = await client.send(new TestInvokeMethodCommand({ restApiId: api.id, resourceId: pet, httpMethod: 'GET',
      pathWithQueryString: '/pets/42?type=dog' }))
    assert.equal(out.status, 200)
    assert.deepEqual(JSON.parse(out.body!), { id: '42', type: 'dog', stage: 'test-invoke-stage' })
    assert.equal(out.headers!['Content-Type'], 'application/json')
    assert.deepEqual(out.multiValueHeaders!['Content-Type'], ['application/json'])
    assert.match(out.log!, /^Execution log for request [0-9a-f-]{36}\n\w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4} : Starting execution for request/)
    assert.match(out.log!, /Method completed with status: 200/)
    assert.equal(typeof out.latency, 'number')
    const missing = await sdkError(client.send(new TestInvokeMethodCommand({ restApiId: api.id, resourceId: pet, httpMethod: 'POST' })))
    assert.deepEqual([missing.name, missing.status], ['NotFoundException', 404])
  })

  it('invokes a Lambda proxy integration from the AWS CLI, with the stage variables given', async () => {
    const client = apiGatewayClient(nimbus.current)
    const lambda = lambdaClient(nimbus.current)
    const name = await createFunction(lambda, `exports.handler = async (event) => ({ statusCode: 201, headers: { 'X-Echo': 'yes' },
      body: JSON.stringify({ path: event.path, stage: event.requestContext.stage, vars: event.stageVariables, q: event.queryStringParameters, body: event.body }) })`)
    const arn = (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.FunctionArn!
    const api = await createApi(client)
    const items = await createPath(client, api, '/items')
    await client.send(new PutMethodCommand({ restApiId: api.id, resourceId: items, httpMethod: 'POST', authorizationType: 'NONE' }))
    await client.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: items, httpMethod: 'POST', type: 'AWS_PROXY',
      integrationHttpMethod: 'POST', uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations` }))
    const out = await awsCli<{ status: number; body: string; headers: Record<string, string> }>(nimbus.current, 'apigateway', 'test-invoke-method',
      '--rest-api-id', api.id, '--resource-id', items, '--http-method', 'POST', '--path-with-query-string', '/items?color=red',
      '--body', '{"n":1}', '--stage-variables', 'env=test')
    assert.equal(out.status, 201)
    assert.equal(out.headers['X-Echo'], 'yes')
    assert.deepEqual(JSON.parse(out.body), { path: '/items', stage: 'test-invoke-stage', vars: { env: 'test' }, q: { color: 'red' }, body: '{"n":1}' })
  })

  it('matches a resource added after an earlier test invocation (the live API, not a snapshot)', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const pets = await createPath(client, api, '/pets')
    await mockMethod(client, api.id, pets, 'GET', 200, '{"list": true}')
    assert.equal((await client.send(new TestInvokeMethodCommand({ restApiId: api.id, resourceId: pets, httpMethod: 'GET' }))).status, 200)
    // Added after the first test: its {petId} must still come from the path.
    const pet = (await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: pets, pathPart: '{petId}' }))).id!
    await mockMethod(client, api.id, pet, 'GET', 200, '{"id": "$input.params(\'petId\')"}')
    const out = await client.send(new TestInvokeMethodCommand({ restApiId: api.id, resourceId: pet, httpMethod: 'GET', pathWithQueryString: '/pets/7' }))
    assert.deepEqual(JSON.parse(out.body!), { id: '7' })
  })
})
