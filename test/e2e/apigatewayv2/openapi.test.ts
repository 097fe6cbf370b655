// HTTP APIs and OpenAPI end to end: ImportApi of a YAML definition (Lambda proxy routes with payload
// 2.0, `$default`, a JWT authorizer, CORS) served after a `$default` AutoDeploy stage is added;
// ExportApi as JSON and YAML re-imported; ReimportApi replacing the routes; malformed input refused
// and failed imports leaving nothing behind.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateStageCommand, ExportApiCommand, GetApisCommand, GetAuthorizersCommand, GetIntegrationsCommand, GetRoutesCommand, ImportApiCommand,
  ReimportApiCommand,
} from '@aws-sdk/client-apigatewayv2'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { parseYaml } from '../../../src/core/yaml.ts'
import { apiGatewayV2Client, invokeHttpApi } from '../../helpers/apigatewayv2.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()

const echo = `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ version: event.version, routeKey: event.routeKey,
  path: event.rawPath ?? event.path }) })`

async function functionArn(): Promise<string> {
  const lambda = lambdaClient(nimbus.current)
  const name = await createFunction(lambda, echo)
  return (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.FunctionArn!
}

function definition(arn: string): string {
  return `openapi: "3.0.1"
info:
  title: http-pets
  version: "1.0"
x-amazon-apigateway-cors:
  allowOrigins: ["https://example.com"]
  allowMethods: [GET, POST]
  maxAge: 300
paths:
  /pets/{id}:
    get:
      operationId: getPet
      security:
        - jwtAuth: [pets/read]
      x-amazon-apigateway-integration:
        $ref: "#/components/x-amazon-apigateway-integrations/pets"
  /pets:
    x-amazon-apigateway-any-method:
      x-amazon-apigateway-integration:
        $ref: "#/components/x-amazon-apigateway-integrations/pets"
  /$default:
    x-amazon-apigateway-any-method:
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations
        payloadFormatVersion: "1.0"
components:
  securitySchemes:
    jwtAuth:
      type: oauth2
      flows: {}
      x-amazon-apigateway-authorizer:
        type: jwt
        identitySource: "$request.header.Authorization"
        jwtConfiguration:
          issuer: https://issuer.example.com
          audience: [pets-api]
  x-amazon-apigateway-integrations:
    pets:
      type: aws_proxy
      httpMethod: POST
      uri: ${arn}
      payloadFormatVersion: "2.0"
      timeoutInMillis: 10000
`
}

describe('HTTP API OpenAPI import and export', () => {
  it('imports routes, integrations, a JWT authorizer and CORS, and serves them once a stage exists', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const arn = await functionArn()
    const api = await client.send(new ImportApiCommand({ Body: definition(arn) }))
    assert.equal(api.Name, 'http-pets')
    assert.equal(api.Version, '1.0')
    assert.deepEqual(api.CorsConfiguration?.AllowOrigins, ['https://example.com'])
    const routes = (await client.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items!
    assert.deepEqual(routes.map((r) => r.RouteKey).sort(), ['$default', 'ANY /pets', 'GET /pets/{id}'])
    const integrations = (await client.send(new GetIntegrationsCommand({ ApiId: api.ApiId }))).Items!
    assert.equal(integrations.length, 2, 'routes naming the same integration share it')
    const shared = integrations.find((i) => i.PayloadFormatVersion === '2.0')!
    assert.equal(shared.TimeoutInMillis, 10000)
    const getPet = routes.find((r) => r.RouteKey === 'GET /pets/{id}')!
    assert.equal(getPet.Target, `integrations/${shared.IntegrationId!}`)
    assert.equal(getPet.AuthorizationType, 'JWT')
    assert.deepEqual(getPet.AuthorizationScopes, ['pets/read'])
    const authorizers = (await client.send(new GetAuthorizersCommand({ ApiId: api.ApiId }))).Items!
    assert.equal(authorizers[0]!.AuthorizerId, getPet.AuthorizerId)
    assert.equal(authorizers[0]!.JwtConfiguration?.Issuer, 'https://issuer.example.com')

    await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }))
    const pets = await invokeHttpApi(nimbus.current, api.ApiId!, '/pets', { method: 'POST' })
    assert.equal(pets.status, 200)
    assert.deepEqual(pets.json(), { version: '2.0', routeKey: 'ANY /pets', path: '/pets' })
    const other = await invokeHttpApi(nimbus.current, api.ApiId!, '/anything/else')
    assert.deepEqual(other.json(), { version: '1.0', path: '/anything/else' })
    assert.equal((await invokeHttpApi(nimbus.current, api.ApiId!, '/pets/1')).status, 401, 'the JWT authorizer guards the route')
  })

  it('exports as JSON and YAML, re-imports the export, and ReimportApi replaces the routes', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const arn = await functionArn()
    const api = await client.send(new ImportApiCommand({ Body: definition(arn) }))
    const json = await client.send(new ExportApiCommand({ ApiId: api.ApiId, Specification: 'OAS30', OutputType: 'JSON' }))
    const doc = JSON.parse(Buffer.from(json.body!).toString('utf8'))
    assert.equal(doc.openapi, '3.0.1')
    assert.equal(doc.paths['/pets/{id}'].get['x-amazon-apigateway-integration'].payloadFormatVersion, '2.0')
    assert.deepEqual(doc.paths['/pets/{id}'].get.security, [{ jwtAuth: ['pets/read'] }])
    assert.equal(doc.paths['/$default']['x-amazon-apigateway-any-method']['x-amazon-apigateway-integration'].payloadFormatVersion, '1.0')
    assert.equal(doc.components.securitySchemes.jwtAuth['x-amazon-apigateway-authorizer'].jwtConfiguration.issuer, 'https://issuer.example.com')
    assert.deepEqual(doc['x-amazon-apigateway-cors'].allowMethods, ['GET', 'POST'])
    const bare = JSON.parse(Buffer.from((await client.send(new ExportApiCommand({ ApiId: api.ApiId, Specification: 'OAS30', OutputType: 'JSON',
      IncludeExtensions: false }))).body!).toString('utf8'))
    assert.equal(bare.paths['/pets/{id}'].get['x-amazon-apigateway-integration'], undefined)

    const yaml = Buffer.from((await client.send(new ExportApiCommand({ ApiId: api.ApiId, Specification: 'OAS30', OutputType: 'YAML' }))).body!).toString('utf8')
    assert.deepEqual(parseYaml(yaml), doc)
    const copy = await client.send(new ImportApiCommand({ Body: yaml }))
    const copied = (await client.send(new GetRoutesCommand({ ApiId: copy.ApiId }))).Items!.map((r) => r.RouteKey).sort()
    assert.deepEqual(copied, ['$default', 'ANY /pets', 'GET /pets/{id}'])

    await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }))
    const only = JSON.stringify({ openapi: '3.0.1', info: { title: 'replaced', version: '2' }, paths: { '/only': { get: {
      'x-amazon-apigateway-integration': { type: 'aws_proxy', uri: arn, httpMethod: 'POST', payloadFormatVersion: '2.0' } } } } })
    const replaced = await client.send(new ReimportApiCommand({ ApiId: api.ApiId, Body: only }))
    assert.equal(replaced.Name, 'replaced')
    assert.equal(replaced.CorsConfiguration, undefined)
    assert.deepEqual((await client.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items!.map((r) => r.RouteKey), ['GET /only'])
    assert.deepEqual((await invokeHttpApi(nimbus.current, api.ApiId!, '/only')).json(), { version: '2.0', routeKey: 'GET /only', path: '/only' })
    assert.equal((await invokeHttpApi(nimbus.current, api.ApiId!, '/pets', { method: 'POST' })).status, 404)
  })

  it('refuses malformed definitions and leaves no half-imported API', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const count = async () => (await client.send(new GetApisCommand({}))).Items?.length ?? 0
    const before = await count()
    for (const body of ['{"openapi": ', 'swagger: "2.0"\ninfo: {title: x}', '- a\n- b']) {
      const error = await sdkError(client.send(new ImportApiCommand({ Body: body })))
      assert.equal(error.name, 'BadRequestException', body)
      assert.equal(error.message, 'Invalid OpenAPI input.')
    }
    const badRoute = JSON.stringify({ openapi: '3.0.1', info: { title: 'bad' }, paths: { '/a b': { get: {} } } })
    assert.equal((await sdkError(client.send(new ImportApiCommand({ Body: badRoute })))).name, 'BadRequestException')
    assert.equal(await count(), before)
    const missing = JSON.stringify({ openapi: '3.0.1', info: { title: 'warned' }, paths: { '/a': { get: { security: [{ nope: [] }] } } } })
    const strict = await sdkError(client.send(new ImportApiCommand({ Body: missing, FailOnWarnings: true })))
    assert.match(strict.message, /^Warnings found during import:/)
    assert.equal(await count(), before)
    const warned = await client.send(new ImportApiCommand({ Body: missing }))
    assert.equal(warned.Warnings?.length, 1)

    const kept = await sdkError(client.send(new ReimportApiCommand({ ApiId: warned.ApiId, Body: badRoute })))
    assert.equal(kept.name, 'BadRequestException')
    assert.deepEqual((await client.send(new GetRoutesCommand({ ApiId: warned.ApiId }))).Items!.map((r) => r.RouteKey), ['GET /a'])
    const spec = await sdkError(client.send(new ExportApiCommand({ ApiId: warned.ApiId, Specification: 'RAML', OutputType: 'JSON' })))
    assert.equal(spec.name, 'BadRequestException')
  })
})
