// GetExport end to end: a deployed stage as OpenAPI 3.0 JSON and Swagger 2.0 YAML, with and without
// the `integrations`/`authorizers`/`apigateway` extensions, and the export imported again as an
// API that serves the same answers.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateAuthorizerCommand, GetExportCommand, GetMethodCommand, GetResourcesCommand, ImportRestApiCommand, UpdateMethodCommand } from '@aws-sdk/client-api-gateway'
import { apiGatewayClient, createApi, createPath, deploy, invoke, nonProxyMethod } from '../../helpers/apigateway.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { parseYaml } from '../../../src/core/yaml.ts'

const nimbus = useNimbus()

const authorizerUri = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:auth/invocations'

/** A REST API built through the control plane: a MOCK GET /pets/{id} with two integration responses, deployed as `dev`. */
async function builtApi(): Promise<{ id: string; resource: string }> {
  const client = apiGatewayClient(nimbus.current)
  const api = await createApi(client)
  const resource = await createPath(client, api, '/pets/{id}')
  const method = { restApiId: api.id, resourceId: resource, httpMethod: 'GET' }
  await nonProxyMethod(client, method, {
    type: 'MOCK', requestTemplates: { 'application/json': '#if($input.params(\'id\') == "0"){"statusCode": 404}#else{"statusCode": 200}#end' },
  }, [
    { statusCode: '200', responseTemplates: { 'application/json': '{"id": "$input.params(\'id\')"}' } },
    { statusCode: '404', selectionPattern: '404', responseTemplates: { 'application/json': '{"message": "none"}' } },
  ])
  await deploy(client, api.id, 'dev')
  return { id: api.id, resource }
}

describe('API Gateway GetExport', () => {
  it('exports a stage as OpenAPI 3.0 JSON and Swagger 2.0 YAML, with the extensions asked for', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await builtApi()
    const plain = await client.send(new GetExportCommand({ restApiId: api.id, stageName: 'dev', exportType: 'oas30', accepts: 'application/json' }))
    assert.equal(plain.contentType, 'application/json')
    assert.match(plain.contentDisposition!, /^attachment; filename="oas30_.+\.json"$/)
    const doc = JSON.parse(Buffer.from(plain.body!).toString('utf8'))
    assert.equal(doc.openapi, '3.0.1')
    assert.deepEqual(doc.servers, [{ url: `https://${api.id}.execute-api.us-east-1.amazonaws.com/{basePath}`, variables: { basePath: { default: 'dev' } } }])
    const get = doc.paths['/pets/{id}'].get
    assert.deepEqual(Object.keys(get.responses).sort(), ['200', '404'])
    assert.equal(get['x-amazon-apigateway-integration'], undefined, 'no integrations without the extension')

    const withIntegrations = await client.send(new GetExportCommand({ restApiId: api.id, stageName: 'dev', exportType: 'swagger',
      accepts: 'application/yaml', parameters: { extensions: 'integrations' } }))
    assert.equal(withIntegrations.contentType, 'application/yaml')
    const swagger = parseYaml(Buffer.from(withIntegrations.body!).toString('utf8')) as Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(swagger.swagger, '2.0')
    assert.equal(swagger.basePath, '/dev')
    assert.equal(swagger.host, `${api.id}.execute-api.us-east-1.amazonaws.com`)
    const integration = swagger.paths['/pets/{id}'].get['x-amazon-apigateway-integration']
    assert.equal(integration.type, 'mock')
    assert.equal(integration.passthroughBehavior, 'when_no_match')
    assert.equal(integration.responses.default.statusCode, '200')
    assert.equal(integration.responses['404'].statusCode, '404')

    // Re-imported, the export serves the same answers.
    const again = await client.send(new ImportRestApiCommand({ body: withIntegrations.body! }))
    await deploy(client, again.id!, 'dev')
    assert.deepEqual((await invoke(nimbus.current, 'path', again.id!, 'dev', '/pets/7')).json(), { id: '7' })
    const none = await invoke(nimbus.current, 'path', again.id!, 'dev', '/pets/0')
    assert.equal(none.status, 404)
    assert.deepEqual(none.json(), { message: 'none' })
  })

  it('exports authorizers, API keys and the API-level extensions with extensions=apigateway', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await builtApi()
    const authorizer = await client.send(new CreateAuthorizerCommand({ restApiId: api.id, name: 'tokenAuth', type: 'TOKEN', authorizerUri,
      identitySource: 'method.request.header.Authorization' }))
    await client.send(new UpdateMethodCommand({ restApiId: api.id, resourceId: api.resource, httpMethod: 'GET', patchOperations: [
      { op: 'replace', path: '/authorizationType', value: 'CUSTOM' }, { op: 'replace', path: '/authorizerId', value: authorizer.id },
      { op: 'replace', path: '/apiKeyRequired', value: 'true' }] }))
    await deploy(client, api.id, 'dev')
    const exported = await client.send(new GetExportCommand({ restApiId: api.id, stageName: 'dev', exportType: 'oas30',
      parameters: { extensions: 'apigateway' } }))
    const doc = JSON.parse(Buffer.from(exported.body!).toString('utf8'))
    assert.deepEqual(doc.paths['/pets/{id}'].get.security, [{ tokenAuth: [] }, { api_key: [] }])
    assert.deepEqual(doc.components.securitySchemes.api_key, { type: 'apiKey', name: 'x-api-key', in: 'header' })
    assert.equal(doc.components.securitySchemes.tokenAuth['x-amazon-apigateway-authorizer'].authorizerUri, authorizerUri)
    assert.ok(doc.paths['/pets/{id}'].get['x-amazon-apigateway-integration'])

    const copy = await client.send(new ImportRestApiCommand({ body: exported.body! }))
    const resources = (await client.send(new GetResourcesCommand({ restApiId: copy.id }))).items!
    const method = await client.send(new GetMethodCommand({ restApiId: copy.id, resourceId: resources.find((r) => r.path === '/pets/{id}')!.id,
      httpMethod: 'GET' }))
    assert.equal(method.authorizationType, 'CUSTOM')
    assert.equal(method.apiKeyRequired, true)
    assert.ok(method.authorizerId)
  })

  it('answers unknown export types, Postman and unknown stages with AWS errors', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await builtApi()
    const raml = await sdkError(client.send(new GetExportCommand({ restApiId: api.id, stageName: 'dev', exportType: 'raml' })))
    assert.equal(raml.name, 'BadRequestException')
    const postman = await sdkError(client.send(new GetExportCommand({ restApiId: api.id, stageName: 'dev', exportType: 'oas30',
      parameters: { extensions: 'postman' } })))
    assert.equal(postman.name, 'BadRequestException')
    const stage = await sdkError(client.send(new GetExportCommand({ restApiId: api.id, stageName: 'nope', exportType: 'oas30' })))
    assert.equal(stage.name, 'NotFoundException')
  })
})
