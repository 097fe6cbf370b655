// OpenAPI import end to end: the Swagger 2.0 DefinitionBody SAM writes (aws_proxy to a function,
// `x-amazon-apigateway-any-method` on `{proxy+}`) imported, deployed and invoked through the Lambda
// proxy; an OpenAPI 3 YAML body with the `x-amazon-apigateway-*` extensions read into methods,
// integrations, authorizers, validators and models; `basepath`, PutRestApi merge/overwrite, and
// AWS's BadRequestException for malformed input and failonwarnings.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateRestApiCommand, GetAuthorizersCommand, GetGatewayResponseCommand, GetModelCommand, GetModelsCommand, GetRequestValidatorsCommand, GetMethodCommand, GetResourcesCommand, GetRestApiCommand, ImportRestApiCommand,
  PutRestApiCommand,
} from '@aws-sdk/client-api-gateway'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { apiGatewayClient, deploy, invoke } from '../../helpers/apigateway.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()

const echo = `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ resource: event.resource, path: event.path,
  method: event.httpMethod, proxy: event.pathParameters && event.pathParameters.proxy }) })`

/** The Swagger document SAM generates for a function's Api events, its `Fn::Sub` uri resolved as CloudFormation does. */
function samDefinition(functionArn: string): string {
  const integration = {
    httpMethod: 'POST', type: 'aws_proxy',
    uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functionArn}/invocations`,
  }
  return JSON.stringify({
    swagger: '2.0',
    info: { version: '1.0', title: 'sam-app' },
    paths: {
      '/hello': {
        get: { 'x-amazon-apigateway-integration': integration, responses: {} },
        // SAM's Cors: an OPTIONS method answered by a MOCK integration with the CORS headers.
        options: {
          consumes: ['application/json'], produces: ['application/json'], summary: 'CORS support',
          responses: { 200: { description: 'Default response for CORS method', headers: {
            'Access-Control-Allow-Methods': { type: 'string' }, 'Access-Control-Allow-Origin': { type: 'string' } } } },
          'x-amazon-apigateway-integration': { type: 'mock', requestTemplates: { 'application/json': '{\n  "statusCode" : 200\n}\n' },
            responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '{}\n' }, responseParameters: {
              'method.response.header.Access-Control-Allow-Methods': "'GET,OPTIONS'", 'method.response.header.Access-Control-Allow-Origin': "'*'" } } } },
        },
      },
      '/items/{proxy+}': { 'x-amazon-apigateway-any-method': { 'x-amazon-apigateway-integration': integration, responses: {} } },
    },
  })
}

const petsYaml = `openapi: 3.0.1
info:
  title: Pets
  description: pets as YAML
  version: "2024-01-01"
servers:
  - url: https://example.com/{basePath}
    variables:
      basePath:
        default: v1
x-amazon-apigateway-api-key-source: HEADER
x-amazon-apigateway-binary-media-types:
  - image/png
x-amazon-apigateway-request-validators:
  all:
    validateRequestBody: true
    validateRequestParameters: true
x-amazon-apigateway-gateway-responses:
  MISSING_AUTHENTICATION_TOKEN:
    statusCode: 404
    responseParameters:
      gatewayresponse.header.X-Nimbus: "'imported'"
    responseTemplates:
      application/json: '{"message": "no route"}'
x-amazon-apigateway-policy:
  Version: "2012-10-17"
  Statement:
    - Effect: Allow
      Principal: "*"
      Action: execute-api:Invoke
      Resource: "*"
paths:
  /pets/{petId}:
    get:
      operationId: getPet
      parameters:
        - name: petId
          in: path
          required: true
          schema: {type: string}
        - name: verbose
          in: query
          schema: {type: string}
      security:
        - tokenAuth: []
      x-amazon-apigateway-request-validator: all
      responses:
        "200":
          description: a pet
          headers:
            X-Pet: {schema: {type: string}}
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
        "404":
          description: none
      x-amazon-apigateway-integration:
        type: mock
        passthroughBehavior: when_no_templates
        requestTemplates:
          application/json: |
            #if($input.params('petId') == "0")
            {"statusCode": 404}
            #else
            {"statusCode": 200}
            #end
        cacheKeyParameters: [method.request.path.petId]
        timeoutInMillis: 5000
        responses:
          default:
            statusCode: "200"
            responseParameters:
              method.response.header.X-Pet: "'yes'"
            responseTemplates:
              application/json: '{"id": "$input.params(''petId'')"}'
          "404":
            statusCode: "404"
            responseTemplates:
              application/json: '{"message": "no pet"}'
    post:
      security:
        - api_key: []
      requestBody:
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Pet'
      responses:
        "201": {description: created}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 201}'}
        responses:
          default: {statusCode: "201"}
components:
  schemas:
    Pet:
      type: object
      properties:
        id: {type: string}
        tags: {type: array, items: {$ref: "#/components/schemas/Tag"}}
    Tag:
      type: string
  securitySchemes:
    api_key:
      type: apiKey
      name: x-api-key
      in: header
    tokenAuth:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: custom
      x-amazon-apigateway-authorizer:
        type: token
        authorizerUri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:auth/invocations
        authorizerResultTtlInSeconds: 60
`

async function functionArn(source: string): Promise<string> {
  const lambda = lambdaClient(nimbus.current)
  const name = await createFunction(lambda, source)
  return (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.FunctionArn!
}

describe('API Gateway OpenAPI import', () => {
  it('imports the Swagger document SAM writes, deploys it and serves it through the Lambda proxy', async () => {
    const client = apiGatewayClient(nimbus.current)
    const arn = await functionArn(echo)
    const api = await client.send(new ImportRestApiCommand({ body: Buffer.from(samDefinition(arn)), parameters: { endpointConfigurationTypes: 'REGIONAL' } }))
    assert.equal(api.name, 'sam-app')
    assert.equal(api.version, '1.0')
    assert.deepEqual(api.endpointConfiguration?.types, ['REGIONAL'])
    assert.equal(api.warnings, undefined)
    const resources = (await client.send(new GetResourcesCommand({ restApiId: api.id, embed: ['methods'] }))).items!
    assert.deepEqual(resources.map((r) => r.path).sort(), ['/', '/hello', '/items', '/items/{proxy+}'])
    const proxy = resources.find((r) => r.path === '/items/{proxy+}')!
    const any = proxy.resourceMethods!.ANY!
    assert.equal(any.authorizationType, 'NONE')
    assert.equal(any.methodIntegration?.type, 'AWS_PROXY')
    assert.equal(any.methodIntegration?.httpMethod, 'POST')
    assert.equal(any.methodIntegration?.passthroughBehavior, 'WHEN_NO_MATCH')
    assert.equal(any.methodIntegration?.timeoutInMillis, 29000)

    await deploy(client, api.id!, 'Prod')
    const hello = await invoke(nimbus.current, 'host', api.id!, 'Prod', '/hello')
    assert.equal(hello.status, 200)
    assert.deepEqual(hello.json(), { resource: '/hello', path: '/hello', method: 'GET', proxy: null })
    const cors = await invoke(nimbus.current, 'host', api.id!, 'Prod', '/hello', { method: 'OPTIONS', headers: { 'content-type': 'application/json' } })
    assert.equal(cors.status, 200)
    assert.equal(cors.headers['access-control-allow-origin'], '*')
    assert.equal(cors.headers['access-control-allow-methods'], 'GET,OPTIONS')
    // Node's fetch against the path form of the invoke URL.
    const response = await fetch(`${nimbus.current.endpoint}/restapis/${api.id!}/Prod/_user_request_/items/a/b`, { method: 'DELETE' })
    assert.equal(response.status, 200)
    assert.deepEqual(await response.json(), { resource: '/items/{proxy+}', path: '/items/a/b', method: 'DELETE', proxy: 'a/b' })
  })

  it('reads an OpenAPI 3 YAML body with its x-amazon-apigateway extensions, prepending the base path', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await client.send(new ImportRestApiCommand({ body: Buffer.from(petsYaml), parameters: { basepath: 'prepend' } }))
    assert.equal(api.description, 'pets as YAML')
    assert.deepEqual(api.binaryMediaTypes, ['image/png'])
    assert.equal(api.apiKeySource, 'HEADER')
    assert.equal(JSON.parse(api.policy!).Statement[0].Action, 'execute-api:Invoke')
    const resources = (await client.send(new GetResourcesCommand({ restApiId: api.id }))).items!
    assert.deepEqual(resources.map((r) => r.path).sort(), ['/', '/v1', '/v1/pets', '/v1/pets/{petId}'])
    const petId = resources.find((r) => r.path === '/v1/pets/{petId}')!.id!

    const get = await client.send(new GetMethodCommand({ restApiId: api.id, resourceId: petId, httpMethod: 'GET' }))
    assert.equal(get.operationName, 'getPet')
    assert.equal(get.authorizationType, 'CUSTOM')
    assert.deepEqual(get.requestParameters, { 'method.request.path.petId': true, 'method.request.querystring.verbose': false })
    assert.deepEqual(get.methodResponses?.['200']?.responseParameters, { 'method.response.header.X-Pet': false })
    assert.deepEqual(get.methodResponses?.['200']?.responseModels, { 'application/json': 'Pet' })
    assert.ok(get.requestValidatorId)
    const integration = get.methodIntegration!
    assert.equal(integration.type, 'MOCK')
    assert.equal(integration.passthroughBehavior, 'WHEN_NO_TEMPLATES')
    assert.deepEqual(integration.cacheKeyParameters, ['method.request.path.petId'])
    assert.equal(integration.timeoutInMillis, 5000)
    assert.equal(integration.integrationResponses?.['404']?.selectionPattern, '404')
    assert.equal(integration.integrationResponses?.['200']?.selectionPattern, undefined)

    const authorizers = (await client.send(new GetAuthorizersCommand({ restApiId: api.id }))).items!
    assert.equal(authorizers.length, 1)
    assert.equal(authorizers[0]!.id, get.authorizerId)
    assert.equal(authorizers[0]!.name, 'tokenAuth')
    assert.equal(authorizers[0]!.type, 'TOKEN')
    assert.equal(authorizers[0]!.identitySource, 'method.request.header.Authorization')
    assert.equal(authorizers[0]!.authorizerResultTtlInSeconds, 60)

    const post = await client.send(new GetMethodCommand({ restApiId: api.id, resourceId: petId, httpMethod: 'POST' }))
    assert.equal(post.apiKeyRequired, true)
    assert.equal(post.authorizationType, 'NONE')
    assert.deepEqual(post.requestModels, { 'application/json': 'Pet' })

    const validators = (await client.send(new GetRequestValidatorsCommand({ restApiId: api.id }))).items!
    assert.deepEqual(validators.map((v) => [v.id, v.name, v.validateRequestBody, v.validateRequestParameters]), [[get.requestValidatorId, 'all', true, true]])
    const pet = await client.send(new GetModelCommand({ restApiId: api.id, modelName: 'Pet' }))
    assert.equal(pet.contentType, 'application/json')
    // A reference to another model names it by its URL in the API, as AWS rewrites it.
    assert.equal(JSON.parse(pet.schema!).properties.tags.items.$ref, `https://apigateway.amazonaws.com/restapis/${api.id!}/models/Tag`)
    const names = (await client.send(new GetModelsCommand({ restApiId: api.id }))).items!.map((m) => m.name).sort()
    assert.deepEqual(names, ['Empty', 'Error', 'Pet', 'Tag'])
    const custom = await client.send(new GetGatewayResponseCommand({ restApiId: api.id, responseType: 'MISSING_AUTHENTICATION_TOKEN' }))
    assert.equal(custom.statusCode, '404')
    assert.equal(custom.defaultResponse, false)
    await deploy(client, api.id!, 'dev')
    const unknown = await invoke(nimbus.current, 'path', api.id!, 'dev', '/nowhere')
    assert.equal(unknown.status, 404)
    assert.equal(unknown.headers['x-nimbus'], 'imported')
    assert.deepEqual(unknown.json(), { message: 'no route' })
  })

  it('reads a Swagger 2.0 YAML body (definitions, securityDefinitions, body parameters) and splits its base path', async () => {
    const client = apiGatewayClient(nimbus.current)
    const swagger = `swagger: "2.0"
info: {title: orders, version: "1"}
basePath: /prod/shop
consumes: [application/json]
securityDefinitions:
  sigv4:
    type: apiKey
    name: Authorization
    in: header
    x-amazon-apigateway-authtype: awsSigv4
definitions:
  Order:
    type: object
    required: [item]
    properties:
      item: {type: string}
paths:
  /orders:
    post:
      security: [{sigv4: []}]
      parameters:
        - in: body
          name: order
          required: true
          schema: {$ref: "#/definitions/Order"}
        - {in: header, name: X-Trace, required: true, type: string}
      responses:
        "200":
          description: ok
          schema: {$ref: "#/definitions/Order"}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses: {default: {statusCode: "200", responseTemplates: {application/json: '{"ok": true}'}}}
`
    const api = await client.send(new ImportRestApiCommand({ body: Buffer.from(swagger), parameters: { basepath: 'split' } }))
    const resources = (await client.send(new GetResourcesCommand({ restApiId: api.id }))).items!
    assert.deepEqual(resources.map((r) => r.path).sort(), ['/', '/shop', '/shop/orders'])
    const post = await client.send(new GetMethodCommand({ restApiId: api.id, resourceId: resources.find((r) => r.path === '/shop/orders')!.id,
      httpMethod: 'POST' }))
    assert.equal(post.authorizationType, 'AWS_IAM')
    assert.deepEqual(post.requestModels, { 'application/json': 'Order' })
    assert.deepEqual(post.requestParameters, { 'method.request.header.X-Trace': true })
    assert.deepEqual(post.methodResponses?.['200']?.responseModels, { 'application/json': 'Order' })
    assert.deepEqual(post.methodIntegration?.integrationResponses?.['200']?.responseTemplates, { 'application/json': '{"ok": true}' })
  })

  it('merges into and overwrites an existing API with PutRestApi', async () => {
    const client = apiGatewayClient(nimbus.current)
    const created = await client.send(new CreateRestApiCommand({ name: 'to-update' }))
    const mock = (path: string) => JSON.stringify({
      openapi: '3.0.1', info: { title: 'updated', version: '1' },
      paths: { [path]: { get: { responses: { 200: { description: 'ok' } }, 'x-amazon-apigateway-integration': {
        type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' },
        responses: { default: { statusCode: '200', responseTemplates: { 'application/json': `{"at": "${path}"}` } } } } } } },
    })
    await client.send(new PutRestApiCommand({ restApiId: created.id, body: Buffer.from(mock('/a')) }))
    const merged = await client.send(new PutRestApiCommand({ restApiId: created.id, mode: 'merge', body: Buffer.from(mock('/b')) }))
    assert.equal(merged.name, 'updated')
    assert.equal(merged.rootResourceId, created.rootResourceId)
    let paths = (await client.send(new GetResourcesCommand({ restApiId: created.id }))).items!.map((r) => r.path).sort()
    assert.deepEqual(paths, ['/', '/a', '/b'])
    await deploy(client, created.id!, 'dev')
    assert.deepEqual((await invoke(nimbus.current, 'path', created.id!, 'dev', '/a')).json(), { at: '/a' })

    await client.send(new PutRestApiCommand({ restApiId: created.id, mode: 'overwrite', body: Buffer.from(mock('/c')) }))
    paths = (await client.send(new GetResourcesCommand({ restApiId: created.id }))).items!.map((r) => r.path).sort()
    assert.deepEqual(paths, ['/', '/c'])
    // The stage serves its deployment until the API is deployed again.
    assert.equal((await invoke(nimbus.current, 'path', created.id!, 'dev', '/a')).status, 200)
    await deploy(client, created.id!, 'dev')
    assert.equal((await invoke(nimbus.current, 'path', created.id!, 'dev', '/a')).status, 403)
    assert.deepEqual((await invoke(nimbus.current, 'path', created.id!, 'dev', '/c')).json(), { at: '/c' })
  })

  it('answers malformed definitions with AWS\'s BadRequestException and keeps serving', async () => {
    const client = apiGatewayClient(nimbus.current)
    for (const body of ['{"swagger": ', 'not: [valid', '{"info": {"title": "x"}}', 'a: &anchor 1', '[1, 2]', 'openapi: 3.1.0']) {
      const error = await sdkError(client.send(new ImportRestApiCommand({ body: Buffer.from(body) })))
      assert.equal(error.name, 'BadRequestException', body)
      assert.equal(error.message, 'Invalid OpenAPI input.', body)
      assert.equal(error.status, 400)
    }
    assert.equal((await sdkError(client.send(new ImportRestApiCommand({ body: Buffer.from('') })))).name, 'BadRequestException')
    const badPath = JSON.stringify({ swagger: '2.0', info: { title: 'x' }, paths: { '/a b': { get: { responses: {} } } } })
    const pathError = await sdkError(client.send(new ImportRestApiCommand({ body: Buffer.from(badPath) })))
    assert.equal(pathError.name, 'BadRequestException')
    assert.match(pathError.message, /^Errors found during import:\n\tUnable to create resource at path '\/a b': /)
    const noUri = JSON.stringify({ swagger: '2.0', info: { title: 'x' },
      paths: { '/': { get: { responses: {}, 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST' } } } } })
    assert.match((await sdkError(client.send(new ImportRestApiCommand({ body: Buffer.from(noUri) })))).message,
      /Unable to put integration on 'GET' for resource at path '\/': Invalid ARN specified in the request/)
    // Every error is listed, the import going through the whole definition first (failOnWarnings or not).
    const twoErrors = JSON.stringify({ swagger: '2.0', info: { title: 'x' }, paths: {
      '/a b': { get: { responses: {} } },
      '/ok': { get: { responses: {}, 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST' } } },
      '/fine': { get: { responses: {}, 'x-amazon-apigateway-integration': { type: 'mock' } } } } })
    const both = await sdkError(client.send(new ImportRestApiCommand({ body: Buffer.from(twoErrors), failOnWarnings: false })))
    assert.equal(both.name, 'BadRequestException')
    const lines = both.message.split('\n\t')
    assert.equal(lines[0], 'Errors found during import:')
    assert.equal(lines.length, 3, both.message)
    assert.match(lines[1]!, /^Unable to create resource at path '\/a b'/)
    assert.equal(lines[2], "Unable to put integration on 'GET' for resource at path '/ok': Invalid ARN specified in the request")

    // A reference to a model the document doesn't define is a warning: listed, or fatal with failonwarnings.
    const missingModel = JSON.stringify({ swagger: '2.0', info: { title: 'warned' },
      paths: { '/': { post: { parameters: [{ in: 'body', name: 'b', schema: { $ref: '#/definitions/Missing' } }], responses: {} } } } })
    const warned = await client.send(new ImportRestApiCommand({ body: Buffer.from(missingModel) }))
    assert.equal(warned.warnings?.length, 1)
    assert.match(warned.warnings![0]!, /Missing/)
    const strict = await sdkError(client.send(new ImportRestApiCommand({ body: Buffer.from(missingModel), failOnWarnings: true })))
    assert.equal(strict.name, 'BadRequestException')
    assert.match(strict.message, /^Warnings found during import:\n\t/)

    // A failed PutRestApi leaves the API as it was.
    const kept = await sdkError(client.send(new PutRestApiCommand({ restApiId: warned.id, mode: 'overwrite', body: Buffer.from(badPath) })))
    assert.equal(kept.name, 'BadRequestException')
    assert.equal((await client.send(new GetRestApiCommand({ restApiId: warned.id }))).name, 'warned')
    const missing = await sdkError(client.send(new PutRestApiCommand({ restApiId: 'nosuchapi0', body: Buffer.from(badPath) })))
    assert.equal(missing.name, 'NotFoundException')
  })
})
