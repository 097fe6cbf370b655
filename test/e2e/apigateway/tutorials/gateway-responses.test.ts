// Walks the developer guide's gateway response customisation: the console walk-through (MISSING_AUTHENTICATION_TOKEN
// turned into a 404 with four mapped headers and a body template of $context and $stageVariables, tried with curl on
// a petId the API has no such method for) and the OpenAPI example of the same customisation (statusCode written
// as a number, headers from `method.input.params.*`), imported.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GetGatewayResponseCommand, ImportRestApiCommand, PutGatewayResponseCommand } from '@aws-sdk/client-api-gateway'
import { apiGatewayClient, createApi, createPath, deploy, invoke, mockMethod } from '../../../helpers/apigateway.ts'
import { useNimbus } from '../../../helpers/nimbus.ts'

const nimbus = useNimbus()

const consoleTemplate = '{\n     "message":"$context.error.messageString",\n     "type": "$context.error.responseType",\n' +
  '     "statusCode": "\'404\'",\n     "stage": "$context.stage",\n     "resourcePath": "$context.resourcePath",\n' +
  '     "stageVariables.a": "$stageVariables.a"\n}'

describe('the gateway response guide', () => {
  it('answers the console walk-through\'s customised 404 with the mapped headers and the rendered template', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const pet = await createPath(client, api, 'pets/{petId}')
    await mockMethod(client, api.id, pet, 'GET', 200, '{"id": 5}')
    await client.send(new PutGatewayResponseCommand({
      restApiId: api.id, responseType: 'MISSING_AUTHENTICATION_TOKEN', statusCode: '404',
      responseParameters: {
        'gatewayresponse.header.Access-Control-Allow-Origin': "'a.b.c'",
        'gatewayresponse.header.x-request-id': 'method.request.header.x-amzn-RequestId',
        'gatewayresponse.header.x-request-path': 'method.request.path.petId',
        'gatewayresponse.header.x-request-query': 'method.request.querystring.q',
      },
      responseTemplates: { 'application/json': consoleTemplate },
    }))
    await deploy(client, api.id, 'custErr', { a: 'a' })

    // A method the resource doesn't have: the resource's path and petId are known to the response.
    const posted = await invoke(nimbus.current, 'host', api.id, 'custErr', '/pets/5?q=1',
      { method: 'POST', headers: { 'x-amzn-RequestId': '123344566', 'content-length': '0' } })
    assert.equal(posted.status, 404)
    assert.equal(posted.headers['content-type'], 'application/json')
    assert.equal(posted.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException')
    assert.equal(posted.headers['access-control-allow-origin'], 'a.b.c')
    assert.equal(posted.headers['x-request-id'], '123344566')
    assert.equal(posted.headers['x-request-path'], '5')
    assert.equal(posted.headers['x-request-query'], '1')
    // $context.error.messageString is the message already quoted, so the console's template quotes it twice.
    assert.equal(posted.text, consoleTemplate.replace('$context.error.messageString', '"Missing Authentication Token"')
      .replace('$context.error.responseType', 'MISSING_AUTHENTICATION_TOKEN').replace('$context.stage', 'custErr')
      .replace('$context.resourcePath', '/pets/{petId}').replace('$stageVariables.a', 'a'))

    // The guide's curl: /pets/5/type names no resource at all — still the customised 404, no petId to map.
    const unknown = await invoke(nimbus.current, 'host', api.id, 'custErr', '/pets/5/type?q=1', { headers: { 'x-amzn-RequestId': '123344566' } })
    assert.equal(unknown.status, 404)
    assert.equal(unknown.headers['x-request-query'], '1')
    assert.equal(unknown.headers['x-request-path'], undefined)
    assert.match(unknown.text, /"type": "MISSING_AUTHENTICATION_TOKEN",/)
    // The method the API has is untouched.
    assert.equal((await invoke(nimbus.current, 'host', api.id, 'custErr', '/pets/5')).status, 200)
  })

  it('imports the OpenAPI example: a numeric statusCode, `method.input.params.*` headers, the message unquoted in the template', async () => {
    const client = apiGatewayClient(nimbus.current)
    const definition = {
      swagger: '2.0', info: { title: 'custom-responses', version: '1' },
      paths: { '/pets/{petId}': { get: {
        parameters: [{ name: 'petId', in: 'path', required: true, type: 'string' }], responses: { 200: { description: 'ok' } },
        'x-amazon-apigateway-integration': { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' },
          responses: { default: { statusCode: '200' } } },
      } } },
      'x-amazon-apigateway-gateway-responses': { MISSING_AUTHENTICATION_TOKEN: {
        statusCode: 404,
        responseParameters: {
          'gatewayresponse.header.x-request-path': 'method.input.params.petId',
          'gatewayresponse.header.x-request-query': 'method.input.params.q',
          'gatewayresponse.header.Access-Control-Allow-Origin': "'a.b.c'",
          'gatewayresponse.header.x-request-header': 'method.input.params.Accept',
        },
        responseTemplates: { 'application/json': '{\n     "message": $context.error.messageString,\n     "type":  "$context.error.responseType",\n' +
          '     "stage":  "$context.stage",\n     "resourcePath":  "$context.resourcePath",\n     "stageVariables.a":  "$stageVariables.a",\n' +
          '     "statusCode": "\'404\'"\n}' },
      } },
    }
    const api = await client.send(new ImportRestApiCommand({ body: Buffer.from(JSON.stringify(definition)) }))
    const stored = await client.send(new GetGatewayResponseCommand({ restApiId: api.id, responseType: 'MISSING_AUTHENTICATION_TOKEN' }))
    assert.deepEqual([stored.statusCode, stored.defaultResponse], ['404', false])
    await deploy(client, api.id!, 'custErr', { a: 'a' })
    const answer = await invoke(nimbus.current, 'path', api.id!, 'custErr', '/pets/5?q=1',
      { method: 'DELETE', headers: { accept: 'application/json', 'content-length': '0' } })
    assert.equal(answer.status, 404)
    assert.deepEqual([answer.headers['x-request-path'], answer.headers['x-request-query'], answer.headers['x-request-header'],
      answer.headers['access-control-allow-origin']], ['5', '1', 'application/json', 'a.b.c'])
    assert.deepEqual(answer.json(), { message: 'Missing Authentication Token', type: 'MISSING_AUTHENTICATION_TOKEN', stage: 'custErr',
      resourcePath: '/pets/{petId}', 'stageVariables.a': 'a', statusCode: "'404'" })
  })
})
