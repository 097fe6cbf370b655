// The PATCH operations deploy tools call: UpdateRestApi, UpdateResource, UpdateMethod,
// UpdateMethodResponse, UpdateIntegration, UpdateIntegrationResponse, UpdateDeployment and
// Get/UpdateAccount — their paths (`~1` escaping), ops (add/remove/replace/move/copy), all-or-nothing
// application, AWS's refusals, and a redeployed API serving the patched integration.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateResourceCommand, GetAccountCommand, GetDeploymentCommand, GetIntegrationCommand, GetMethodCommand, GetResourcesCommand, GetRestApiCommand,
  UpdateAccountCommand, UpdateDeploymentCommand, UpdateIntegrationCommand, UpdateIntegrationResponseCommand, UpdateMethodCommand,
  UpdateMethodResponseCommand, UpdateResourceCommand, UpdateRestApiCommand,
} from '@aws-sdk/client-api-gateway'
import { apiGatewayClient, createApi, createPath, deploy, invoke, mockMethod } from '../../helpers/apigateway.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()

describe('API Gateway PATCH operations', () => {
  it('UpdateRestApi replaces members, adds and removes binary media types and switches the endpoint type', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const updated = await client.send(new UpdateRestApiCommand({ restApiId: api.id, patchOperations: [
      { op: 'replace', path: '/name', value: 'renamed' }, { op: 'replace', path: '/description', value: 'patched' },
      { op: 'add', path: '/binaryMediaTypes/image~1png', value: '' }, { op: 'add', path: '/binaryMediaTypes/application~1octet-stream' },
      { op: 'replace', path: '/apiKeySource', value: 'AUTHORIZER' }, { op: 'replace', path: '/minimumCompressionSize', value: '1024' },
      { op: 'replace', path: '/endpointConfiguration/types/EDGE', value: 'REGIONAL' },
    ] }))
    assert.equal(updated.name, 'renamed')
    assert.equal(updated.description, 'patched')
    assert.deepEqual(updated.binaryMediaTypes, ['image/png', 'application/octet-stream'])
    assert.equal(updated.apiKeySource, 'AUTHORIZER')
    assert.equal(updated.minimumCompressionSize, 1024)
    assert.deepEqual(updated.endpointConfiguration?.types, ['REGIONAL'])
    await client.send(new UpdateRestApiCommand({ restApiId: api.id, patchOperations: [{ op: 'remove', path: '/binaryMediaTypes/image~1png' }] }))
    assert.deepEqual((await client.send(new GetRestApiCommand({ restApiId: api.id }))).binaryMediaTypes, ['application/octet-stream'])

    // A bad patch refuses the whole request: the name stays.
    const error = await sdkError(client.send(new UpdateRestApiCommand({ restApiId: api.id, patchOperations: [
      { op: 'replace', path: '/name', value: 'never' }, { op: 'replace', path: '/rootResourceId', value: 'x' }] })))
    assert.equal(error.name, 'BadRequestException')
    assert.match(error.message, /^Invalid patch path {2}'\/rootResourceId' specified for op 'replace'\. Must be one of: \[\/name, /)
    assert.equal((await client.send(new GetRestApiCommand({ restApiId: api.id }))).name, 'renamed')
  })

  it('UpdateResource renames and moves a resource with its subtree', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const pets = await createPath(client, api, '/pets')
    await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: pets, pathPart: '{id}' }))
    const renamed = await client.send(new UpdateResourceCommand({ restApiId: api.id, resourceId: pets,
      patchOperations: [{ op: 'replace', path: '/pathPart', value: 'animals' }] }))
    assert.equal(renamed.path, '/animals')
    const zoo = await createPath(client, api, '/zoo')
    await client.send(new UpdateResourceCommand({ restApiId: api.id, resourceId: pets, patchOperations: [{ op: 'replace', path: '/parentId', value: zoo }] }))
    const paths = (await client.send(new GetResourcesCommand({ restApiId: api.id }))).items!.map((r) => r.path).sort()
    assert.deepEqual(paths, ['/', '/zoo', '/zoo/animals', '/zoo/animals/{id}'])
    const bad = await sdkError(client.send(new UpdateResourceCommand({ restApiId: api.id, resourceId: pets,
      patchOperations: [{ op: 'replace', path: '/pathPart', value: 'a b' }] })))
    assert.equal(bad.name, 'BadRequestException')
  })

  it('UpdateMethod, UpdateMethodResponse, UpdateIntegration and UpdateIntegrationResponse patch what a redeployment serves', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const resource = await createPath(client, api, '/pets')
    await mockMethod(client, api.id, resource, 'GET', 200, '{"v": 1}')
    const key = { restApiId: api.id, resourceId: resource, httpMethod: 'GET' }
    const method = await client.send(new UpdateMethodCommand({ ...key, patchOperations: [
      { op: 'add', path: '/requestParameters/method.request.querystring.color', value: 'true' },
      { op: 'add', path: '/requestParameters/method.request.header.X-Tag', value: 'false' },
      { op: 'replace', path: '/operationName', value: 'listPets' },
      { op: 'copy', from: '/requestParameters/method.request.querystring.color', path: '/requestParameters/method.request.querystring.size' },
      { op: 'move', from: '/requestParameters/method.request.header.X-Tag', path: '/requestParameters/method.request.header.X-Label' },
    ] }))
    assert.equal(method.operationName, 'listPets')
    assert.deepEqual(method.requestParameters, { 'method.request.querystring.color': true, 'method.request.querystring.size': true,
      'method.request.header.X-Label': false })
    const response = await client.send(new UpdateMethodResponseCommand({ ...key, statusCode: '200', patchOperations: [
      { op: 'add', path: '/responseParameters/method.response.header.X-Color', value: 'false' },
      { op: 'add', path: '/responseModels/application~1json', value: 'Empty' }] }))
    assert.deepEqual(response.responseParameters, { 'method.response.header.X-Color': false })
    assert.deepEqual(response.responseModels, { 'application/json': 'Empty' })

    await client.send(new UpdateIntegrationCommand({ ...key, patchOperations: [
      { op: 'replace', path: '/timeoutInMillis', value: '1000' }, { op: 'replace', path: '/passthroughBehavior', value: 'WHEN_NO_TEMPLATES' },
      { op: 'add', path: '/cacheKeyParameters/method.request.querystring.color' },
      { op: 'replace', path: '/requestTemplates/application~1json', value: '{"statusCode": 200}' }] }))
    const integration = await client.send(new GetIntegrationCommand(key))
    assert.equal(integration.timeoutInMillis, 1000)
    assert.equal(integration.passthroughBehavior, 'WHEN_NO_TEMPLATES')
    assert.deepEqual(integration.cacheKeyParameters, ['method.request.querystring.color'])
    await client.send(new UpdateIntegrationResponseCommand({ ...key, statusCode: '200', patchOperations: [
      { op: 'replace', path: '/responseTemplates/application~1json', value: '{"v": 2, "color": "$input.params(\'color\')"}' },
      { op: 'add', path: '/responseParameters/method.response.header.X-Color', value: "'static'" }] }))
    await deploy(client, api.id, 'dev')
    const answer = await invoke(nimbus.current, 'path', api.id, 'dev', '/pets?color=red')
    assert.deepEqual(answer.json(), { v: 2, color: 'red' })
    assert.equal(answer.headers['x-color'], 'static')

    const timeout = await sdkError(client.send(new UpdateIntegrationCommand({ ...key, patchOperations: [{ op: 'replace', path: '/timeoutInMillis', value: '30001' }] })))
    assert.equal(timeout.name, 'BadRequestException')
    const unknown = await sdkError(client.send(new UpdateMethodCommand({ ...key, patchOperations: [{ op: 'replace', path: '/httpMethod', value: 'POST' }] })))
    assert.equal(unknown.name, 'BadRequestException')
    const authorizer = await sdkError(client.send(new UpdateMethodCommand({ ...key, patchOperations: [{ op: 'replace', path: '/authorizerId', value: 'nope' }] })))
    assert.equal(authorizer.name, 'NotFoundException')
    assert.equal((await client.send(new GetMethodCommand(key))).authorizerId, undefined)
  })

  it('UpdateDeployment patches the description; GetAccount shows the default throttle and UpdateAccount sets the role', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    await mockMethod(client, api.id, api.root, 'GET', 200, '{}')
    const deploymentId = await deploy(client, api.id, 'dev')
    await client.send(new UpdateDeploymentCommand({ restApiId: api.id, deploymentId, patchOperations: [{ op: 'replace', path: '/description', value: 'first' }] }))
    assert.equal((await client.send(new GetDeploymentCommand({ restApiId: api.id, deploymentId }))).description, 'first')

    const account = await client.send(new GetAccountCommand({}))
    assert.deepEqual(account.throttleSettings, { burstLimit: 5000, rateLimit: 10000 })
    const role = 'arn:aws:iam::000000000000:role/apigw-logs'
    const updated = await client.send(new UpdateAccountCommand({ patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: role }] }))
    assert.equal(updated.cloudwatchRoleArn, role)
    assert.equal((await client.send(new GetAccountCommand({}))).cloudwatchRoleArn, role)
    const throttle = await sdkError(client.send(new UpdateAccountCommand({ patchOperations: [{ op: 'replace', path: '/throttleSettings/rateLimit', value: '1' }] })))
    assert.equal(throttle.name, 'BadRequestException')
  })
})
