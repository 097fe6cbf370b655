// API Gateway's REST API control plane through @aws-sdk/client-api-gateway: APIs, resources,
// methods, integrations, deployments, stages and tags, with AWS's error codes, messages and statuses.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, CreateStageCommand, DeleteMethodCommand, DeleteRestApiCommand,
  DeleteStageCommand, GetDeploymentsCommand, GetIntegrationCommand, GetMethodCommand, GetResourcesCommand, GetRestApiCommand,
  GetRestApisCommand, GetStageCommand, GetStagesCommand, GetTagsCommand, PutIntegrationCommand, PutIntegrationResponseCommand,
  PutMethodCommand, TagResourceCommand, UntagResourceCommand,
} from '@aws-sdk/client-api-gateway'
import { apiGatewayClient, createApi, createPath, mockMethod } from '../../helpers/apigateway.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest, signedBy } from '../../helpers/raw-http.ts'

const nimbus = useNimbus()

async function rejects(promise: Promise<unknown>, name: string, message: string, status: number): Promise<void> {
  await assert.rejects(promise, (error: { name: string; message: string; $metadata: { httpStatusCode: number } }) => {
    assert.equal(error.name, name)
    assert.equal(error.message, message)
    assert.equal(error.$metadata.httpStatusCode, status)
    return true
  })
}

describe('API Gateway control plane', () => {
  it('creates, reads, lists and deletes REST APIs with a root resource', async () => {
    const client = apiGatewayClient(nimbus.current)
    const created = await client.send(new CreateRestApiCommand({ name: 'pets', description: 'd', tags: { team: 'a' } }))
    assert.match(created.id!, /^[a-z0-9]{10}$/)
    assert.match(created.rootResourceId!, /^[a-z0-9]{10}$/)
    assert.equal(created.$metadata.httpStatusCode, 201)
    assert.deepEqual(created.endpointConfiguration, { types: ['EDGE'] })
    assert.equal(created.apiKeySource, 'HEADER')
    assert.ok(created.createdDate instanceof Date)
    const got = await client.send(new GetRestApiCommand({ restApiId: created.id! }))
    assert.equal(got.name, 'pets')
    assert.deepEqual(got.tags, { team: 'a' })
    const resources = await client.send(new GetResourcesCommand({ restApiId: created.id! }))
    assert.deepEqual(resources.items, [{ id: created.rootResourceId, path: '/' }])
    const list = await client.send(new GetRestApisCommand({}))
    assert.ok(list.items!.some((a) => a.id === created.id))
    await client.send(new DeleteRestApiCommand({ restApiId: created.id! }))
    await rejects(client.send(new GetRestApiCommand({ restApiId: created.id! })), 'NotFoundException',
      `Invalid API identifier specified 000000000000:${created.id}`, 404)
  })

  it('builds the resource tree and refuses duplicates, second variables and bad path parts', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const petId = await createPath(client, api, '/pets/{petId}')
    const pets = (await client.send(new GetResourcesCommand({ restApiId: api.id }))).items!.find((r) => r.path === '/pets')!
    const nested = await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: petId, pathPart: 'toys' }))
    assert.equal(nested.path, '/pets/{petId}/toys')
    assert.equal(nested.parentId, petId)
    await rejects(client.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.root, pathPart: 'pets' })),
      'ConflictException', 'Another resource with the same parent already has this name: pets', 409)
    await rejects(client.send(new CreateResourceCommand({ restApiId: api.id, parentId: pets.id!, pathPart: '{other}' })),
      'BadRequestException', `A sibling (${petId}) of this resource already has a variable path part -- only one is allowed`, 400)
    await rejects(client.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.root, pathPart: 'a b' })),
      'BadRequestException', "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.", 400)
    const greedy = await createPath(client, api, '/{proxy+}')
    await rejects(client.send(new CreateResourceCommand({ restApiId: api.id, parentId: greedy, pathPart: 'x' })),
      'BadRequestException', 'Cannot create a child of a resource with a greedy path variable: {proxy+}', 400)
    await rejects(client.send(new CreateResourceCommand({ restApiId: api.id, parentId: 'nope', pathPart: 'x' })),
      'NotFoundException', 'Invalid Resource identifier specified', 404)
    await rejects(client.send(new GetResourcesCommand({ restApiId: 'missingapi' })),
      'NotFoundException', 'Invalid API identifier specified 000000000000:missingapi', 404)
  })

  it('puts, reads and deletes methods and integrations', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const resource = await createPath(client, api, '/things')
    const method = await client.send(new PutMethodCommand({
      restApiId: api.id, resourceId: resource, httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: true }))
    assert.equal(method.httpMethod, 'GET')
    assert.equal(method.apiKeyRequired, true)
    await rejects(client.send(new PutMethodCommand({ restApiId: api.id, resourceId: resource, httpMethod: 'GET', authorizationType: 'NONE' })),
      'ConflictException', 'Method already exists for this resource', 409)
    await rejects(client.send(new PutMethodCommand({ restApiId: api.id, resourceId: resource, httpMethod: 'FETCH', authorizationType: 'NONE' })),
      'BadRequestException', 'Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY', 400)
    await rejects(client.send(new GetIntegrationCommand({ restApiId: api.id, resourceId: resource, httpMethod: 'GET' })),
      'NotFoundException', 'No integration defined for method', 404)
    const uri = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:f/invocations'
    const integration = await client.send(new PutIntegrationCommand({
      restApiId: api.id, resourceId: resource, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri }))
    assert.equal(integration.type, 'AWS_PROXY')
    assert.equal(integration.timeoutInMillis, 29000)
    assert.equal(integration.passthroughBehavior, 'WHEN_NO_MATCH')
    const read = await client.send(new GetMethodCommand({ restApiId: api.id, resourceId: resource, httpMethod: 'GET' }))
    assert.equal(read.methodIntegration?.uri, uri)
    const embedded = await client.send(new GetResourcesCommand({ restApiId: api.id, embed: ['methods'] }))
    assert.equal(embedded.items!.find((r) => r.id === resource)!.resourceMethods!['GET']!.methodIntegration?.type, 'AWS_PROXY')
    await rejects(client.send(new PutIntegrationResponseCommand({ restApiId: api.id, resourceId: resource, httpMethod: 'GET', statusCode: '200' })),
      'NotFoundException', 'Invalid Response status code specified', 404)
    await client.send(new DeleteMethodCommand({ restApiId: api.id, resourceId: resource, httpMethod: 'GET' }))
    await rejects(client.send(new GetMethodCommand({ restApiId: api.id, resourceId: resource, httpMethod: 'GET' })),
      'NotFoundException', 'Invalid Method identifier specified', 404)
  })

  it('deploys to stages with variables, and tags APIs and stages', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    await rejects(client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' })),
      'BadRequestException', "The REST API doesn't contain any methods", 400)
    const resource = await createPath(client, api, '/m')
    await client.send(new PutMethodCommand({ restApiId: api.id, resourceId: resource, httpMethod: 'GET', authorizationType: 'NONE' }))
    await rejects(client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' })),
      'BadRequestException', 'No integration defined for method', 400)
    await client.send(new DeleteMethodCommand({ restApiId: api.id, resourceId: resource, httpMethod: 'GET' }))
    await mockMethod(client, api.id, resource, 'GET', 200, '{}')
    const deployment = await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev', variables: { a: '1' } }))
    assert.match(deployment.id!, /^[a-z0-9]{6}$/)
    const stage = await client.send(new GetStageCommand({ restApiId: api.id, stageName: 'dev' }))
    assert.equal(stage.deploymentId, deployment.id)
    assert.deepEqual(stage.variables, { a: '1' })
    const created = await client.send(new CreateStageCommand({ restApiId: api.id, stageName: 'prod', deploymentId: deployment.id!,
      variables: { b: '2' }, tags: { env: 'prod' } }))
    assert.equal(created.stageName, 'prod')
    await rejects(client.send(new CreateStageCommand({ restApiId: api.id, stageName: 'prod', deploymentId: deployment.id! })),
      'ConflictException', 'Stage already exists', 409)
    await rejects(client.send(new CreateStageCommand({ restApiId: api.id, stageName: 'x', deploymentId: 'nope' })),
      'NotFoundException', 'Invalid Deployment identifier specified', 404)
    assert.deepEqual((await client.send(new GetStagesCommand({ restApiId: api.id }))).item!.map((s) => s.stageName).sort(), ['dev', 'prod'])
    assert.equal((await client.send(new GetDeploymentsCommand({ restApiId: api.id }))).items!.length, 1)
    const apiArn = `arn:aws:apigateway:us-east-1::/restapis/${api.id}`
    await client.send(new TagResourceCommand({ resourceArn: apiArn, tags: { k: 'v', drop: 'x' } }))
    await client.send(new UntagResourceCommand({ resourceArn: apiArn, tagKeys: ['drop'] }))
    assert.deepEqual((await client.send(new GetTagsCommand({ resourceArn: apiArn }))).tags, { k: 'v' })
    assert.deepEqual((await client.send(new GetTagsCommand({ resourceArn: `${apiArn}/stages/prod` }))).tags, { env: 'prod' })
    // A malformed percent escape in the ARN is a bad ARN, not an internal failure.
    for (const bad of [`${apiArn}%zz`, 'arn:aws:apigateway:us-east-1:000000000000:/domainnames/a%zz.example.com+abcd1234']) {
      await rejects(client.send(new GetTagsCommand({ resourceArn: bad })), 'BadRequestException', `Invalid ARN specified in the request: ${bad}`, 400)
    }
    await client.send(new DeleteStageCommand({ restApiId: api.id, stageName: 'prod' }))
    await rejects(client.send(new GetStageCommand({ restApiId: api.id, stageName: 'prod' })),
      'NotFoundException', 'Invalid Stage identifier specified', 404)
  })

  it('answers an operation Nimbus lacks with its not-implemented error', async () => {
    // apigateway serves every operation of its model (domain name access associations were the last it lacked);
    // apigatewayv2 signs as `apigateway` too: its `/v2/` calls reach it, and what it lacks says so.
    const v2 = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: '/v2/apis', headers: signedBy('apigateway') })
    assert.equal(v2.status, 200)
    assert.ok(Array.isArray(JSON.parse(v2.body).items))
    const lacking = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: '/v2/portals', headers: signedBy('apigateway') })
    assert.equal(lacking.status, 501)
    assert.equal(lacking.headers['x-amzn-errortype'], 'NotImplemented')
    assert.match(JSON.parse(lacking.body).message, /apigatewayv2/)
  })
})
