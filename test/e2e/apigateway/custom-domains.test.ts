// Custom domain names: REST APIs' CreateDomainName + base path mappings and HTTP APIs' domain
// names + API mappings, served at the domain's Host (any port) and its regional `d-…` name, with the
// base path stripped — `(none)`, one and several segments, a mapping without a stage; one set of domain
// names both APIs list, read and delete, apigatewayv2's API mappings on a REST domain naming REST and HTTP APIs.
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import {
  CreateBasePathMappingCommand, CreateDomainNameCommand, DeleteBasePathMappingCommand, DeleteDomainNameCommand, GetBasePathMappingsCommand,
  GetDomainNameCommand, GetDomainNamesCommand,
} from '@aws-sdk/client-api-gateway'
import {
  CreateApiCommand, CreateApiMappingCommand, CreateDomainNameCommand as CreateDomainNameV2Command, DeleteApiMappingCommand,
  DeleteDomainNameCommand as DeleteDomainNameV2Command, GetApiMappingsCommand,
  GetDomainNameCommand as GetDomainNameV2Command, GetDomainNamesCommand as GetDomainNamesV2Command, UpdateApiCommand,
} from '@aws-sdk/client-apigatewayv2'
import { apiGatewayClient, createApi, createPath, deploy, invoke, lambdaProxyMethod, mockMethod, sendTo } from '../../helpers/apigateway.ts'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { apiGatewayV2Client } from '../../helpers/apigatewayv2.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()

let backend: Server
let base = ''

before(async () => {
  backend = createServer((req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: req.url })))
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`
})

after(async () => {
  backend.closeAllConnections()
  await new Promise((resolve) => backend.close(resolve))
})

const port = () => new URL(nimbus.current.endpoint).port
const get = (host: string, path: string) => sendTo(nimbus.current, `${host}:${port()}`, path, {})

describe('API Gateway custom domain names', () => {
  it('routes a REST API custom domain by base path: (none), one segment, several, and a mapping without a stage', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    await mockMethod(client, api.id, await createPath(client, api, '/pets'), 'GET', 200, '{"stage": "$context.stage", "path": "$context.resourcePath"}')
    await mockMethod(client, api.id, api.root, 'GET', 200, '{"root": "$context.stage"}')
    await deploy(client, api.id, 'prod')
    await deploy(client, api.id, 'beta')
    const domainName = `api.${uniqueName('shop')}.localhost`.toLowerCase()
    const created = await client.send(new CreateDomainNameCommand({
      domainName, regionalCertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/abc', endpointConfiguration: { types: ['REGIONAL'] },
    }))
    assert.match(created.regionalDomainName!, /^d-[a-z0-9]{10}\.execute-api\.us-east-1\.amazonaws\.com$/)
    assert.equal(created.domainNameStatus, 'AVAILABLE')
    await client.send(new CreateBasePathMappingCommand({ domainName, restApiId: api.id, stage: 'prod' }))
    await client.send(new CreateBasePathMappingCommand({ domainName, restApiId: api.id, stage: 'beta', basePath: 'v2' }))
    await client.send(new CreateBasePathMappingCommand({ domainName, restApiId: api.id, stage: 'beta', basePath: 'v3/shop' }))
    await client.send(new CreateBasePathMappingCommand({ domainName, restApiId: api.id, basePath: 'any' }))

    assert.deepEqual((await get(domainName, '/pets')).json(), { stage: 'prod', path: '/pets' })
    assert.deepEqual((await get(domainName, '/')).json(), { root: 'prod' })
    assert.deepEqual((await get(domainName, '/v2/pets')).json(), { stage: 'beta', path: '/pets' })
    assert.deepEqual((await get(domainName, '/v3/shop/pets')).json(), { stage: 'beta', path: '/pets' })
    assert.deepEqual((await get(domainName, '/any/prod/pets')).json(), { stage: 'prod', path: '/pets' })
    assert.deepEqual((await get(created.regionalDomainName!, '/v2/pets')).json(), { stage: 'beta', path: '/pets' })
    const missing = await get(domainName, '/v2/nowhere')
    assert.equal(missing.status, 403)
    assert.deepEqual(missing.json(), { message: 'Missing Authentication Token' })

    const mappings = await client.send(new GetBasePathMappingsCommand({ domainName }))
    assert.deepEqual(mappings.items?.map((m) => m.basePath).sort(), ['(none)', 'any', 'v2', 'v3/shop'])
    assert.equal((await client.send(new GetDomainNamesCommand({}))).items?.some((d) => d.domainName === domainName), true)
    await client.send(new DeleteBasePathMappingCommand({ domainName, basePath: '(none)' }))
    const unmapped = await get(domainName, '/pets')
    assert.equal(unmapped.status, 403)
    assert.deepEqual(unmapped.json(), { message: 'Forbidden' })
    const conflict = await sdkError(client.send(new CreateBasePathMappingCommand({ domainName, restApiId: api.id, stage: 'prod', basePath: 'v2' })))
    assert.equal(conflict.name, 'ConflictException')
    await client.send(new DeleteDomainNameCommand({ domainName }))
    const gone = await sdkError(client.send(new GetDomainNameCommand({ domainName })))
    assert.equal(gone.name, 'NotFoundException')
  })

  it('gives $context.path the request path as called, base path included', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    await mockMethod(client, api.id, await createPath(client, api, '/pets'), 'GET', 200, '{"path": "$context.path", "resource": "$context.resourcePath"}')
    await deploy(client, api.id, 'prod')
    const domainName = `api.${uniqueName('paths')}.localhost`.toLowerCase()
    await client.send(new CreateDomainNameCommand({
      domainName, regionalCertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/abc', endpointConfiguration: { types: ['REGIONAL'] },
    }))
    await client.send(new CreateBasePathMappingCommand({ domainName, restApiId: api.id, stage: 'prod' }))
    await client.send(new CreateBasePathMappingCommand({ domainName, restApiId: api.id, stage: 'prod', basePath: 'v1' }))
    assert.deepEqual((await get(domainName, '/v1/pets')).json(), { path: '/v1/pets', resource: '/pets' })
    assert.deepEqual((await get(domainName, '/pets')).json(), { path: '/pets', resource: '/pets' })
    // The execute-api host keeps AWS's `/{stage}/…`.
    assert.deepEqual((await invoke(nimbus.current, 'host', api.id, 'prod', '/pets')).json(), { path: '/prod/pets', resource: '/pets' })
    // A Lambda proxy's event: its path and requestContext.path as called, its resource the resource's.
    const lambda = lambdaClient(nimbus.current)
    const fn = (await lambda.send(new GetFunctionCommand({ FunctionName: await createFunction(lambda,
      `exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify({ path: e.path, context: e.requestContext.path, resource: e.resource }) })`) }))).Configuration!.FunctionArn!
    await lambdaProxyMethod(client, api.id, await createPath(client, api, '/orders'), 'GET', fn)
    await deploy(client, api.id, 'prod')
    assert.deepEqual((await get(domainName, '/v1/orders')).json(), { path: '/v1/orders', context: '/v1/orders', resource: '/orders' })
    assert.deepEqual((await invoke(nimbus.current, 'host', api.id, 'prod', '/orders')).json(), { path: '/orders', context: '/prod/orders', resource: '/orders' })
  })

  it('routes an HTTP API custom domain by API mapping key to its stage', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const api = await client.send(new CreateApiCommand({ Name: uniqueName('http'), ProtocolType: 'HTTP', Target: `${base}/backend` }))
    const domainName = `www.${uniqueName('web')}.localhost`.toLowerCase()
    const created = await client.send(new CreateDomainNameV2Command({
      DomainName: domainName, DomainNameConfigurations: [{ CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/abc', EndpointType: 'REGIONAL' }],
    }))
    const regional = created.DomainNameConfigurations![0]!.ApiGatewayDomainName!
    assert.match(regional, /^d-[a-z0-9]{10}\.execute-api\.us-east-1\.amazonaws\.com$/)
    await client.send(new CreateApiMappingCommand({ DomainName: domainName, ApiId: api.ApiId!, Stage: '$default', ApiMappingKey: 'api/v1' }))
    const res = await get(domainName, '/api/v1/anything?x=1')
    assert.equal(res.status, 200)
    assert.deepEqual(res.json(), { url: '/backend?x=1' })
    assert.equal((await get(regional, '/api/v1/x')).status, 200)
    const unmapped = await get(domainName, '/other')
    assert.equal(unmapped.status, 404)
    assert.deepEqual(unmapped.json(), { message: 'Not Found' })
    assert.equal((await client.send(new GetApiMappingsCommand({ DomainName: domainName }))).Items?.[0]?.ApiMappingKey, 'api/v1')
    assert.equal((await client.send(new GetDomainNameV2Command({ DomainName: domainName }))).DomainName, domainName)
    // A browser preflight to the domain is the API's own request: with only the quick-created `$default`
    // route, that route takes it (AWS: `$default` catches OPTIONS too), and the CORS configuration's headers are added.
    await client.send(new UpdateApiCommand({ ApiId: api.ApiId!, CorsConfiguration: { AllowOrigins: ['*'], AllowMethods: ['GET'] } }))
    const preflight = await sendTo(nimbus.current, `${domainName}:${port()}`, '/api/v1/x', {
      method: 'OPTIONS', headers: { origin: 'https://site.example', 'access-control-request-method': 'GET' },
    })
    assert.equal(preflight.status, 200)
    assert.deepEqual(preflight.json(), { url: '/backend' })
    assert.equal(preflight.headers['access-control-allow-origin'], '*')
    const badStage = await sdkError(client.send(new CreateApiMappingCommand({ DomainName: domainName, ApiId: api.ApiId!, Stage: 'nope' })))
    assert.equal(badStage.name, 'BadRequestException')
  })

  it('shares one namespace of domain names between REST and HTTP APIs, as AWS does', async () => {
    const rest = apiGatewayClient(nimbus.current)
    const http = apiGatewayV2Client(nimbus.current)
    const restName = `rest.${uniqueName('shared')}.localhost`.toLowerCase()
    const httpName = `http.${uniqueName('shared')}.localhost`.toLowerCase()
    await rest.send(new CreateDomainNameCommand({ domainName: restName, regionalCertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/abc',
      endpointConfiguration: { types: ['REGIONAL'] } }))
    await http.send(new CreateDomainNameV2Command({ DomainName: httpName,
      DomainNameConfigurations: [{ CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/abc', EndpointType: 'REGIONAL' }] }))
    const fromHttp = await sdkError(http.send(new CreateDomainNameV2Command({ DomainName: restName,
      DomainNameConfigurations: [{ CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/abc', EndpointType: 'REGIONAL' }] })))
    assert.deepEqual([fromHttp.name, fromHttp.message], ['ConflictException', `The domain name resource already exists: ${restName}`])
    const fromRest = await sdkError(rest.send(new CreateDomainNameCommand({ domainName: httpName,
      regionalCertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/abc', endpointConfiguration: { types: ['REGIONAL'] } })))
    assert.deepEqual([fromRest.name, fromRest.message], ['ConflictException', 'The domain name you provided already exists.'])
  })

  it('both APIs list, read and delete the same domains; an API mapping on a REST domain names a REST or an HTTP API', async () => {
    const rest = apiGatewayClient(nimbus.current)
    const http = apiGatewayV2Client(nimbus.current)
    const restName = `rest.${uniqueName('both')}.localhost`.toLowerCase()
    const httpName = `http.${uniqueName('both')}.localhost`.toLowerCase()
    await rest.send(new CreateDomainNameCommand({ domainName: restName, regionalCertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/abc',
      endpointConfiguration: { types: ['REGIONAL'] } }))
    const httpDomain = await http.send(new CreateDomainNameV2Command({ DomainName: httpName,
      DomainNameConfigurations: [{ CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/abc', EndpointType: 'REGIONAL' }] }))

    // apigatewayv2 sees the REST domain, apigateway the HTTP one.
    const seenByHttp = await http.send(new GetDomainNameV2Command({ DomainName: restName }))
    assert.equal(seenByHttp.DomainNameConfigurations?.[0]?.EndpointType, 'REGIONAL')
    const httpNames = (await http.send(new GetDomainNamesV2Command({}))).Items!.map((d) => d.DomainName)
    assert.ok(httpNames.includes(restName) && httpNames.includes(httpName), String(httpNames))
    const seenByRest = await rest.send(new GetDomainNameCommand({ domainName: httpName }))
    assert.equal(seenByRest.regionalDomainName, httpDomain.DomainNameConfigurations![0]!.ApiGatewayDomainName)
    const restNames = (await rest.send(new GetDomainNamesCommand({}))).items!.map((d) => d.domainName)
    assert.ok(restNames.includes(restName) && restNames.includes(httpName), String(restNames))

    // API mappings on the REST domain: a REST API's stage and an HTTP API's, both served there.
    const restApi = await createApi(rest)
    await mockMethod(rest, restApi.id, await createPath(rest, restApi, '/pets'), 'GET', 200, '{"from": "rest", "stage": "$context.stage"}')
    await deploy(rest, restApi.id, 'prod')
    const httpApi = await http.send(new CreateApiCommand({ Name: uniqueName('http'), ProtocolType: 'HTTP', Target: `${base}/backend` }))
    const toRest = await http.send(new CreateApiMappingCommand({ DomainName: restName, ApiId: restApi.id, Stage: 'prod', ApiMappingKey: 'shop' }))
    const toHttp = await http.send(new CreateApiMappingCommand({ DomainName: restName, ApiId: httpApi.ApiId!, Stage: '$default', ApiMappingKey: 'web' }))
    assert.deepEqual((await get(restName, '/shop/pets')).json(), { from: 'rest', stage: 'prod' })
    assert.deepEqual((await get(restName, '/web/anything?x=1')).json(), { url: '/backend?x=1' })
    const mappings = (await http.send(new GetApiMappingsCommand({ DomainName: restName }))).Items!
    assert.deepEqual(mappings.map((m) => [m.ApiMappingKey, m.ApiId, m.Stage]).sort(), [['shop', restApi.id, 'prod'], ['web', httpApi.ApiId, '$default']])
    const basePaths = (await rest.send(new GetBasePathMappingsCommand({ domainName: restName }))).items!
    assert.deepEqual(basePaths.map((m) => [m.basePath, m.restApiId, m.stage]).sort(), [['shop', restApi.id, 'prod'], ['web', httpApi.ApiId, '$default']])
    const taken = await sdkError(http.send(new CreateApiMappingCommand({ DomainName: restName, ApiId: restApi.id, Stage: 'prod', ApiMappingKey: 'shop' })))
    assert.equal(taken.name, 'ConflictException')
    const noStage = await sdkError(http.send(new CreateApiMappingCommand({ DomainName: restName, ApiId: restApi.id, Stage: 'nope', ApiMappingKey: 'x' })))
    assert.equal(noStage.name, 'BadRequestException')
    await http.send(new DeleteApiMappingCommand({ DomainName: restName, ApiMappingId: toHttp.ApiMappingId }))
    assert.deepEqual((await rest.send(new GetBasePathMappingsCommand({ domainName: restName }))).items!.map((m) => m.basePath), ['shop'])
    assert.equal(toRest.ApiMappingKey, 'shop')

    // The HTTP domain's API mappings read as base path mappings; apigateway deletes it.
    await http.send(new CreateApiMappingCommand({ DomainName: httpName, ApiId: httpApi.ApiId!, Stage: '$default', ApiMappingKey: 'v1' }))
    assert.deepEqual((await rest.send(new GetBasePathMappingsCommand({ domainName: httpName }))).items, [{ basePath: 'v1', restApiId: httpApi.ApiId, stage: '$default' }])
    // A REST API on a domain created through apigatewayv2, as AWS allows: served by apigateway at the key.
    const restOnHttp = await http.send(new CreateApiMappingCommand({ DomainName: httpName, ApiId: restApi.id, Stage: 'prod', ApiMappingKey: 'r' }))
    assert.deepEqual([restOnHttp.ApiId, restOnHttp.Stage, restOnHttp.ApiMappingKey], [restApi.id, 'prod', 'r'])
    assert.deepEqual((await get(httpName, '/r/pets')).json(), { from: 'rest', stage: 'prod' })
    assert.deepEqual((await get(httpDomain.DomainNameConfigurations![0]!.ApiGatewayDomainName!, '/r/pets')).json(), { from: 'rest', stage: 'prod' })
    assert.deepEqual((await get(httpName, '/v1/anything')).json(), { url: '/backend' })
    const restMissing = await get(httpName, '/r/nowhere')
    assert.deepEqual([restMissing.status, restMissing.json()], [403, { message: 'Missing Authentication Token' }])
    const noMapping = await get(httpName, '/elsewhere')
    assert.deepEqual([noMapping.status, noMapping.json()], [404, { message: 'Not Found' }])
    const badRestStage = await sdkError(http.send(new CreateApiMappingCommand({ DomainName: httpName, ApiId: restApi.id, Stage: 'nope', ApiMappingKey: 'r2' })))
    assert.equal(badRestStage.name, 'BadRequestException')
    const restKeyTaken = await sdkError(http.send(new CreateApiMappingCommand({ DomainName: httpName, ApiId: restApi.id, Stage: 'prod', ApiMappingKey: 'v1' })))
    assert.equal(restKeyTaken.name, 'ConflictException')
    await rest.send(new DeleteDomainNameCommand({ domainName: httpName }))
    const gone = await sdkError(http.send(new GetDomainNameV2Command({ DomainName: httpName })))
    assert.equal(gone.name, 'NotFoundException')
  })

  it('apigatewayv2 deletes a domain created through apigateway: gone from both APIs and no longer served', async () => {
    const rest = apiGatewayClient(nimbus.current)
    const http = apiGatewayV2Client(nimbus.current)
    const api = await createApi(rest)
    await mockMethod(rest, api.id, api.root, 'GET', 200, '{"root": "$context.stage"}')
    await deploy(rest, api.id, 'prod')
    const domainName = `del.${uniqueName('both')}.localhost`.toLowerCase()
    await rest.send(new CreateDomainNameCommand({ domainName, regionalCertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/abc',
      endpointConfiguration: { types: ['REGIONAL'] } }))
    await rest.send(new CreateBasePathMappingCommand({ domainName, restApiId: api.id, stage: 'prod' }))
    assert.deepEqual((await get(domainName, '/')).json(), { root: 'prod' })

    await http.send(new DeleteDomainNameV2Command({ DomainName: domainName }))
    assert.equal((await sdkError(rest.send(new GetDomainNameCommand({ domainName })))).name, 'NotFoundException')
    assert.equal((await sdkError(http.send(new GetDomainNameV2Command({ DomainName: domainName })))).name, 'NotFoundException')
    assert.ok(!(await rest.send(new GetDomainNamesCommand({}))).items!.some((d) => d.domainName === domainName))
    assert.notEqual((await get(domainName, '/')).status, 200)
    // The name is free again, for either API.
    await http.send(new CreateDomainNameV2Command({ DomainName: domainName,
      DomainNameConfigurations: [{ CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/abc', EndpointType: 'REGIONAL' }] }))
    assert.equal((await rest.send(new GetDomainNameCommand({ domainName }))).domainName, domainName)
  })

  it('apigateway deletes an API mapping of a domain created through apigatewayv2 as its base path mapping', async () => {
    const rest = apiGatewayClient(nimbus.current)
    const http = apiGatewayV2Client(nimbus.current)
    const domainName = `bp.${uniqueName('both')}.localhost`.toLowerCase()
    await http.send(new CreateDomainNameV2Command({ DomainName: domainName,
      DomainNameConfigurations: [{ CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/abc', EndpointType: 'REGIONAL' }] }))
    const httpApi = await http.send(new CreateApiCommand({ Name: uniqueName('http'), ProtocolType: 'HTTP', Target: `${base}/backend` }))
    await http.send(new CreateApiMappingCommand({ DomainName: domainName, ApiId: httpApi.ApiId!, Stage: '$default', ApiMappingKey: 'v1' }))
    await http.send(new CreateApiMappingCommand({ DomainName: domainName, ApiId: httpApi.ApiId!, Stage: '$default' }))
    await rest.send(new DeleteBasePathMappingCommand({ domainName, basePath: 'v1' }))
    await rest.send(new DeleteBasePathMappingCommand({ domainName, basePath: '(none)' }))
    assert.deepEqual((await http.send(new GetApiMappingsCommand({ DomainName: domainName }))).Items, [])
    const missing = await sdkError(rest.send(new DeleteBasePathMappingCommand({ domainName, basePath: 'v1' })))
    assert.equal(missing.name, 'NotFoundException')
  })
})
