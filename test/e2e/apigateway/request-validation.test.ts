// API Gateway models and request validators end to end: the built-in Empty and Error models, model
// CRUD with schema checks, request validators, and request validation at the invoke URL — 400 with
// AWS's "Missing required request parameters: [...]" and "Invalid request body" — as deployed.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateModelCommand, CreateRequestValidatorCommand, DeleteModelCommand, DeleteRequestValidatorCommand, GetMethodCommand, GetModelCommand,
  GetModelsCommand, GetRequestValidatorCommand, GetRequestValidatorsCommand, PutIntegrationCommand, PutIntegrationResponseCommand,
  PutMethodCommand, PutMethodResponseCommand, UpdateModelCommand, UpdateRequestValidatorCommand,
} from '@aws-sdk/client-api-gateway'
import { apiGatewayClient, createApi, createPath, deploy, invoke } from '../../helpers/apigateway.ts'
import { useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

const petSchema = JSON.stringify({
  $schema: 'http://json-schema.org/draft-04/schema#', title: 'Pet', type: 'object', required: ['name', 'type'],
  properties: { name: { type: 'string', minLength: 1 }, type: { type: 'string', enum: ['dog', 'cat'] }, price: { type: 'number', minimum: 0 } },
})

describe('API Gateway models and request validation', () => {
  it('creates APIs with the Empty and Error models and manages models', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const models = await client.send(new GetModelsCommand({ restApiId: api.id }))
    assert.deepEqual(models.items!.map((m) => m.name), ['Empty', 'Error'])
    const empty = await client.send(new GetModelCommand({ restApiId: api.id, modelName: 'Empty' }))
    assert.equal(empty.description, 'This is a default empty schema model')
    assert.equal(empty.contentType, 'application/json')
    assert.deepEqual(JSON.parse(empty.schema!), { $schema: 'http://json-schema.org/draft-04/schema#', title: 'Empty Schema', type: 'object' })
    assert.match(empty.id!, /^[a-z0-9]{6}$/)

    const pet = await client.send(new CreateModelCommand({ restApiId: api.id, name: 'Pet', contentType: 'application/json', schema: petSchema, description: 'a pet' }))
    assert.equal(pet.name, 'Pet')
    assert.equal(pet.schema, petSchema)
    await assert.rejects(client.send(new CreateModelCommand({ restApiId: api.id, name: 'Pet', contentType: 'application/json', schema: '{}' })),
      { name: 'ConflictException' })
    await assert.rejects(client.send(new CreateModelCommand({ restApiId: api.id, name: 'bad-name', contentType: 'application/json', schema: '{}' })),
      { name: 'BadRequestException' })
    await assert.rejects(client.send(new CreateModelCommand({ restApiId: api.id, name: 'Broken', contentType: 'application/json', schema: '{nope' })),
      { name: 'BadRequestException' })
    await assert.rejects(client.send(new CreateModelCommand({
      restApiId: api.id, name: 'Pets', contentType: 'application/json',
      schema: JSON.stringify({ type: 'array', items: { $ref: `https://apigateway.amazonaws.com/restapis/${api.id}/models/Nope` } }),
    })), { name: 'BadRequestException' }, 'a reference to a model that does not exist')
    await client.send(new CreateModelCommand({
      restApiId: api.id, name: 'Pets', contentType: 'application/json',
      schema: JSON.stringify({ type: 'array', items: { $ref: `https://apigateway.amazonaws.com/restapis/${api.id}/models/Pet` } }),
    }))
    const updated = await client.send(new UpdateModelCommand({
      restApiId: api.id, modelName: 'Pet', patchOperations: [{ op: 'replace', path: '/description', value: 'a better pet' }],
    }))
    assert.equal(updated.description, 'a better pet')
    await assert.rejects(client.send(new GetModelCommand({ restApiId: api.id, modelName: 'Nope' })), { name: 'NotFoundException' })

    const resource = await createPath(client, api, '/pets')
    await client.send(new PutMethodCommand({ restApiId: api.id, resourceId: resource, httpMethod: 'POST', authorizationType: 'NONE', requestModels: { 'application/json': 'Pet' } }))
    await assert.rejects(client.send(new DeleteModelCommand({ restApiId: api.id, modelName: 'Pet' })), { name: 'ConflictException' },
      'a model a method uses')
    await assert.rejects(client.send(new PutMethodCommand({
      restApiId: api.id, resourceId: resource, httpMethod: 'PUT', authorizationType: 'NONE', requestModels: { 'application/json': 'Nope' },
    })), { name: 'BadRequestException' })
    await client.send(new DeleteModelCommand({ restApiId: api.id, modelName: 'Error' }))
    assert.deepEqual((await client.send(new GetModelsCommand({ restApiId: api.id }))).items!.map((m) => m.name), ['Empty', 'Pet', 'Pets'])
  })

  it('validates required parameters and the body against the model, as deployed', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    await client.send(new CreateModelCommand({ restApiId: api.id, name: 'Pet', contentType: 'application/json', schema: petSchema }))
    const all = await client.send(new CreateRequestValidatorCommand({
      restApiId: api.id, name: 'all', validateRequestBody: true, validateRequestParameters: true,
    }))
    assert.match(all.id!, /^[a-z0-9]{6}$/)
    assert.deepEqual({ ...(await client.send(new GetRequestValidatorCommand({ restApiId: api.id, requestValidatorId: all.id! }))), $metadata: undefined },
      { id: all.id, name: 'all', validateRequestBody: true, validateRequestParameters: true, $metadata: undefined })
    await assert.rejects(client.send(new PutMethodCommand({
      restApiId: api.id, resourceId: api.root, httpMethod: 'GET', authorizationType: 'NONE', requestValidatorId: 'nope00',
    })), { name: 'BadRequestException' })

    const resource = await createPath(client, api, '/pets')
    const method = { restApiId: api.id, resourceId: resource, httpMethod: 'POST' }
    await client.send(new PutMethodCommand({
      ...method, authorizationType: 'NONE', requestValidatorId: all.id, requestModels: { 'application/json': 'Pet' },
      requestParameters: { 'method.request.querystring.owner': true, 'method.request.header.X-Tenant': true, 'method.request.querystring.tag': false },
    }))
    assert.equal((await client.send(new GetMethodCommand(method))).requestValidatorId, all.id)
    await client.send(new PutIntegrationCommand({ ...method, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }))
    await client.send(new PutMethodResponseCommand({ ...method, statusCode: '200' }))
    await client.send(new PutIntegrationResponseCommand({ ...method, statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } }))
    await deploy(client, api.id, 'dev')

    const post = (query: string, body: string, headers: Record<string, string> = { 'X-Tenant': 't1', 'Content-Type': 'application/json' }) =>
      invoke(nimbus.current, 'host', api.id, 'dev', `/pets${query}`, { method: 'POST', body, headers })
    const good = '{"name": "rex", "type": "dog", "price": 10}'
    const passed = await post('?owner=ann', good)
    assert.equal(passed.status, 200, passed.text)
    assert.deepEqual(passed.json(), { ok: true })

    const missing = await post('', good, { 'Content-Type': 'application/json' })
    assert.equal(missing.status, 400)
    assert.deepEqual(missing.json(), { message: 'Missing required request parameters: [owner, X-Tenant]' })
    assert.equal(missing.headers['x-amzn-errortype'], 'BadRequestException')
    const blank = await post('?owner=', good)
    assert.deepEqual(blank.json(), { message: 'Missing required request parameters: [owner]' }, 'a blank parameter counts as missing')

    for (const body of ['{"name": "rex"}', '{"name": "rex", "type": "fish"}', '{"name": "", "type": "dog"}', '{"name": "rex", "type": "dog", "price": -1}',
      '[1]', 'not json']) {
      const refused = await post('?owner=ann', body)
      assert.equal(refused.status, 400, body)
      assert.deepEqual(refused.json(), { message: 'Invalid request body' }, body)
      assert.equal(refused.headers['x-amzn-errortype'], 'BadRequestException')
    }
    const otherType = await post('?owner=ann', 'name=rex', { 'X-Tenant': 't1', 'Content-Type': 'text/plain' })
    assert.notEqual(otherType.status, 400, 'no model for the content type: the body is not validated')

    // A validator change serves only once deployed, as on AWS.
    await client.send(new UpdateRequestValidatorCommand({
      restApiId: api.id, requestValidatorId: all.id!, patchOperations: [{ op: 'replace', path: '/validateRequestBody', value: 'false' }],
    }))
    assert.equal((await post('?owner=ann', '{}')).status, 400, 'still the deployed validator')
    await deploy(client, api.id, 'dev')
    assert.equal((await post('?owner=ann', '{}')).status, 200, 'the body is no longer validated')
    assert.equal((await post('', '{}')).status, 400, 'the parameters still are')

    assert.equal((await client.send(new GetRequestValidatorsCommand({ restApiId: api.id }))).items!.length, 1)
    await client.send(new DeleteRequestValidatorCommand({ restApiId: api.id, requestValidatorId: all.id! }))
    await assert.rejects(client.send(new GetRequestValidatorCommand({ restApiId: api.id, requestValidatorId: all.id! })), { name: 'NotFoundException' })
  })

  it('validates with a $default model and a model referring to another', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    await client.send(new CreateModelCommand({ restApiId: api.id, name: 'Pet', contentType: 'application/json', schema: petSchema }))
    await client.send(new CreateModelCommand({
      restApiId: api.id, name: 'Pets', contentType: 'application/json',
      schema: JSON.stringify({ type: 'array', minItems: 1, items: { $ref: `https://apigateway.amazonaws.com/restapis/${api.id}/models/Pet` } }),
    }))
    const body = await client.send(new CreateRequestValidatorCommand({ restApiId: api.id, name: 'body', validateRequestBody: true }))
    const resource = await createPath(client, api, '/pets')
    const method = { restApiId: api.id, resourceId: resource, httpMethod: 'PUT' }
    await client.send(new PutMethodCommand({
      ...method, authorizationType: 'NONE', requestValidatorId: body.id, requestModels: { $default: 'Pets' },
      requestParameters: { 'method.request.querystring.owner': true },
    }))
    await client.send(new PutIntegrationCommand({ ...method, type: 'MOCK', passthroughBehavior: 'WHEN_NO_TEMPLATES', requestTemplates: { 'application/json': '{"statusCode": 200}' } }))
    await client.send(new PutMethodResponseCommand({ ...method, statusCode: '200' }))
    await client.send(new PutIntegrationResponseCommand({ ...method, statusCode: '200', responseTemplates: { 'application/json': '{}' } }))
    await deploy(client, api.id, 'dev')
    const put = (text: string, type = 'application/json') =>
      invoke(nimbus.current, 'path', api.id, 'dev', '/pets', { method: 'PUT', body: text, headers: { 'Content-Type': type } })
    assert.equal((await put('[{"name": "a", "type": "cat"}]')).status, 200, 'parameters are not validated by a body-only validator')
    assert.equal((await put('[{"name": "a", "type": "cow"}]')).status, 400)
    assert.equal((await put('[]', 'application/x-pets')).status, 400, '$default applies to any content type')
  })
})
