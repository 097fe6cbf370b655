// API Gateway gateway responses end to end: AWS's defaults as GetGatewayResponses lists them,
// customised ones (status, `gatewayresponse.header.*`, body templates with `$context.error.*`) on the
// gateway's own answers after a deployment, the DEFAULT_4XX / DEFAULT_5XX fallbacks, update and delete.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateModelCommand, CreateRequestValidatorCommand, DeleteGatewayResponseCommand, GetGatewayResponseCommand, GetGatewayResponsesCommand,
  PutGatewayResponseCommand, PutIntegrationCommand, PutMethodCommand, UpdateGatewayResponseCommand,
} from '@aws-sdk/client-api-gateway'
import { apiGatewayClient, createApi, createPath, deploy, invoke, mockMethod } from '../../helpers/apigateway.ts'
import { useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

describe('API Gateway gateway responses', () => {
  it('lists the default responses and applies customised ones once deployed', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    await mockMethod(client, api.id, await createPath(client, api, '/ok'), 'GET', 200, '{"ok": true}')
    await deploy(client, api.id, 'dev', { color: 'blue' })

    const all = await client.send(new GetGatewayResponsesCommand({ restApiId: api.id, limit: 500 }))
    assert.equal(all.items!.length, 21)
    assert.ok(all.items!.every((r) => r.defaultResponse === true))
    const missing = all.items!.find((r) => r.responseType === 'MISSING_AUTHENTICATION_TOKEN')!
    assert.equal(missing.statusCode, '403')
    assert.deepEqual(missing.responseTemplates, { 'application/json': '{"message":$context.error.messageString}' })
    assert.deepEqual(missing.responseParameters, {})
    assert.equal(all.items!.find((r) => r.responseType === 'DEFAULT_4XX')!.statusCode, undefined)
    assert.equal(all.items!.find((r) => r.responseType === 'INTEGRATION_TIMEOUT')!.statusCode, '504')

    const put = await client.send(new PutGatewayResponseCommand({
      restApiId: api.id, responseType: 'MISSING_AUTHENTICATION_TOKEN', statusCode: '404',
      responseParameters: {
        'gatewayresponse.header.Access-Control-Allow-Origin': "'*'", 'gatewayresponse.header.X-Stage': 'context.stage',
        'gatewayresponse.header.X-Color': 'stageVariables.color', 'gatewayresponse.header.X-Echo': 'method.request.header.x-echo',
      },
      responseTemplates: { 'application/json': '{"error": $context.error.messageString, "type": "$context.error.responseType", "path": "$context.path"}' },
    }))
    assert.equal(put.defaultResponse, false)
    assert.equal(put.statusCode, '404')
    assert.equal((await client.send(new GetGatewayResponseCommand({ restApiId: api.id, responseType: 'MISSING_AUTHENTICATION_TOKEN' }))).defaultResponse, false)

    const unknownPath = () => invoke(nimbus.current, 'host', api.id, 'dev', '/nope', { headers: { 'X-Echo': 'hi' } })
    const before = await unknownPath()
    assert.equal(before.status, 403, 'a gateway response serves once deployed')
    assert.deepEqual(before.json(), { message: 'Missing Authentication Token' })

    await deploy(client, api.id, 'dev')
    const after = await unknownPath()
    assert.equal(after.status, 404)
    assert.deepEqual(after.json(), { error: 'Missing Authentication Token', type: 'MISSING_AUTHENTICATION_TOKEN', path: '/dev/nope' })
    assert.equal(after.headers['access-control-allow-origin'], '*')
    assert.equal(after.headers['x-stage'], 'dev')
    assert.equal(after.headers['x-color'], 'blue')
    assert.equal(after.headers['x-echo'], 'hi')
    assert.equal(after.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException')
    assert.match(String(after.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/)
    assert.equal((await invoke(nimbus.current, 'host', api.id, 'dev', '/ok')).status, 200, 'the API itself answers as before')

    // UpdateGatewayResponse patches it; DeleteGatewayResponse returns the default.
    const updated = await client.send(new UpdateGatewayResponseCommand({
      restApiId: api.id, responseType: 'MISSING_AUTHENTICATION_TOKEN', patchOperations: [
        { op: 'replace', path: '/statusCode', value: '410' },
        { op: 'remove', path: '/responseParameters/gatewayresponse.header.X-Color' },
        { op: 'add', path: '/responseTemplates/text~1plain', value: 'gone: $context.error.message' },
      ],
    }))
    assert.equal(updated.statusCode, '410')
    assert.equal(updated.responseParameters!['gatewayresponse.header.X-Color'], undefined)
    await deploy(client, api.id, 'dev')
    const plain = await invoke(nimbus.current, 'path', api.id, 'dev', '/nope', { headers: { Accept: 'text/plain' } })
    assert.equal(plain.status, 410)
    assert.equal(plain.text, 'gone: Missing Authentication Token')
    assert.match(String(plain.headers['content-type']), /^text\/plain/)

    await client.send(new DeleteGatewayResponseCommand({ restApiId: api.id, responseType: 'MISSING_AUTHENTICATION_TOKEN' }))
    assert.equal((await client.send(new GetGatewayResponseCommand({ restApiId: api.id, responseType: 'MISSING_AUTHENTICATION_TOKEN' }))).defaultResponse, true)
    await assert.rejects(client.send(new DeleteGatewayResponseCommand({ restApiId: api.id, responseType: 'MISSING_AUTHENTICATION_TOKEN' })),
      { name: 'NotFoundException' })
    await assert.rejects(client.send(new PutGatewayResponseCommand({ restApiId: api.id, responseType: 'UNAUTHORIZED', statusCode: '99' })),
      { name: 'BadRequestException' })
    await assert.rejects(client.send(new PutGatewayResponseCommand({
      restApiId: api.id, responseType: 'UNAUTHORIZED', responseParameters: { 'method.response.header.X': "'x'" },
    })), { name: 'BadRequestException' })
    await assert.rejects(client.send(new GetGatewayResponseCommand({ restApiId: api.id, responseType: 'NOPE' as 'UNAUTHORIZED' })),
      { name: 'BadRequestException' })
    await deploy(client, api.id, 'dev')
    assert.equal((await unknownPath()).status, 403, 'the default again once deployed')
  })

  it('falls back to DEFAULT_4XX and DEFAULT_5XX, and offers the validation errors to templates', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    await client.send(new CreateModelCommand({
      restApiId: api.id, name: 'Pet', contentType: 'application/json', schema: JSON.stringify({ type: 'object', required: ['name'] }),
    }))
    const validator = await client.send(new CreateRequestValidatorCommand({ restApiId: api.id, validateRequestBody: true, validateRequestParameters: true }))
    const pets = await createPath(client, api, '/pets')
    await mockMethod(client, api.id, pets, 'GET', 200, '{}')
    await client.send(new PutMethodCommand({
      restApiId: api.id, resourceId: pets, httpMethod: 'POST', authorizationType: 'NONE', requestValidatorId: validator.id,
      requestModels: { 'application/json': 'Pet' }, requestParameters: { 'method.request.header.X-Tenant': true },
    }))
    await client.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: pets, httpMethod: 'POST', type: 'MOCK' }))
    // No integration response for the MOCK's 200: a configuration error, 500.
    await client.send(new PutGatewayResponseCommand({
      restApiId: api.id, responseType: 'DEFAULT_4XX', responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example'" },
    }))
    await client.send(new PutGatewayResponseCommand({
      restApiId: api.id, responseType: 'DEFAULT_5XX', statusCode: '503', responseTemplates: { 'application/json': '{"oops": "$context.error.responseType"}' },
    }))
    await client.send(new PutGatewayResponseCommand({
      restApiId: api.id, responseType: 'BAD_REQUEST_BODY', responseTemplates: { 'application/json': '{"errors": "$util.escapeJavaScript($context.error.validationErrorString)"}' },
    }))
    await deploy(client, api.id, 'dev')
    const post = (body: string, headers: Record<string, string>) =>
      invoke(nimbus.current, 'host', api.id, 'dev', '/pets', { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers } })

    const params = await post('{"name": "a"}', {})
    assert.equal(params.status, 400)
    assert.deepEqual(params.json(), { message: 'Missing required request parameters: [X-Tenant]' }, "DEFAULT_4XX's default template")
    assert.equal(params.headers['access-control-allow-origin'], 'https://app.example', "and DEFAULT_4XX's header")

    const body = await post('{}', { 'X-Tenant': 't' })
    assert.equal(body.status, 400)
    assert.match((body.json() as { errors: string }).errors, /^\[object has missing required properties \(\["name"\]\)\]$/)
    assert.equal(body.headers['access-control-allow-origin'], undefined, 'its own customised response, not DEFAULT_4XX')

    const missing = await invoke(nimbus.current, 'host', api.id, 'dev', '/nope')
    assert.equal(missing.status, 403)
    assert.equal(missing.headers['access-control-allow-origin'], 'https://app.example')

    const broken = await post('{"name": "a"}', { 'X-Tenant': 't' })
    assert.equal(broken.status, 503, "DEFAULT_5XX's status code")
    assert.deepEqual(broken.json(), { oops: 'API_CONFIGURATION_ERROR' })
  })
})
