// One custom domain resource, two APIs: apigateway's CreateBasePathMapping/DeleteBasePathMapping, UpdateDomainName
// and tags acting on a domain created through apigatewayv2, and apigatewayv2's UpdateDomainName and tags on one
// created through apigateway — each API showing the change in its own fields, the mappings served by Host.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateBasePathMappingCommand, CreateDomainNameCommand, DeleteBasePathMappingCommand, GetBasePathMappingsCommand, GetDomainNameCommand,
  GetTagsCommand as GetRestTagsCommand, TagResourceCommand as TagRestResourceCommand, UntagResourceCommand as UntagRestResourceCommand,
  UpdateBasePathMappingCommand, UpdateDomainNameCommand,
} from '@aws-sdk/client-api-gateway'
import {
  CreateApiCommand, CreateApiMappingCommand, CreateDomainNameCommand as CreateDomainNameV2Command, CreateStageCommand, GetApiMappingsCommand,
  GetDomainNameCommand as GetDomainNameV2Command, GetTagsCommand, TagResourceCommand, UntagResourceCommand,
  UpdateDomainNameCommand as UpdateDomainNameV2Command,
} from '@aws-sdk/client-apigatewayv2'
import { apiGatewayClient, createApi, createPath, deploy, mockMethod, sendTo } from '../../helpers/apigateway.ts'
import { apiGatewayV2Client } from '../../helpers/apigatewayv2.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const cert = (name: string) => `arn:aws:acm:us-east-1:000000000000:certificate/${name}`
const get = (host: string, path: string) => sendTo(nimbus.current, `${host}:${new URL(nimbus.current.endpoint).port}`, path, {})

describe('API Gateway custom domains: one resource, two APIs', () => {
  it('apigateway maps, updates and tags a domain created through apigatewayv2', async () => {
    const rest = apiGatewayClient(nimbus.current)
    const http = apiGatewayV2Client(nimbus.current)
    const name = `v2.${uniqueName('shared')}.localhost`.toLowerCase()
    const arn = `arn:aws:apigateway:us-east-1::/domainnames/${name}`
    await http.send(new CreateDomainNameV2Command({ DomainName: name, DomainNameConfigurations: [{ CertificateArn: cert('a'), EndpointType: 'REGIONAL' }],
      Tags: { team: 'web' } }))
    const api = await createApi(rest)
    await mockMethod(rest, api.id, await createPath(rest, api, '/pets'), 'GET', 200, '{"stage": "$context.stage", "path": "$context.path"}')
    await deploy(rest, api.id, 'prod')

    // CreateBasePathMapping: with a stage, and without (the path's next segment names it), both served by Host.
    assert.deepEqual(await rest.send(new CreateBasePathMappingCommand({ domainName: name, restApiId: api.id, stage: 'prod', basePath: 'shop' })).then(
      (m) => [m.basePath, m.restApiId, m.stage]), ['shop', api.id, 'prod'])
    await rest.send(new CreateBasePathMappingCommand({ domainName: name, restApiId: api.id }))
    assert.deepEqual((await get(name, '/shop/pets')).json(), { stage: 'prod', path: '/shop/pets' })
    assert.deepEqual((await get(name, '/prod/pets')).json(), { stage: 'prod', path: '/prod/pets' })
    const v2Mappings = (await http.send(new GetApiMappingsCommand({ DomainName: name }))).Items!
    assert.deepEqual(v2Mappings.map((m) => [m.ApiMappingKey, m.ApiId, m.Stage]).sort(), [['', api.id, '(none)'], ['shop', api.id, 'prod']])
    const taken = await sdkError(rest.send(new CreateBasePathMappingCommand({ domainName: name, restApiId: api.id, stage: 'prod', basePath: 'shop' })))
    assert.deepEqual([taken.name, taken.message], ['ConflictException', 'Base path already exists for this domain name'])
    const badStage = await sdkError(rest.send(new CreateBasePathMappingCommand({ domainName: name, restApiId: api.id, stage: 'nope', basePath: 'x' })))
    assert.equal(badStage.name, 'BadRequestException')
    // UpdateBasePathMapping moves the API mapping (same ApiMappingId) to its new key.
    const shopId = v2Mappings.find((m) => m.ApiMappingKey === 'shop')!.ApiMappingId
    const moved = await rest.send(new UpdateBasePathMappingCommand({ domainName: name, basePath: 'shop',
      patchOperations: [{ op: 'replace', path: '/basePath', value: 'store' }] }))
    assert.deepEqual([moved.basePath, moved.restApiId, moved.stage], ['store', api.id, 'prod'])
    assert.deepEqual((await get(name, '/store/pets')).json(), { stage: 'prod', path: '/store/pets' })
    assert.equal((await get(name, '/shop/pets')).status, 403)
    const movedV2 = (await http.send(new GetApiMappingsCommand({ DomainName: name }))).Items!.find((m) => m.ApiMappingKey === 'store')!
    assert.equal(movedV2.ApiMappingId, shopId)
    const clash = await sdkError(rest.send(new UpdateBasePathMappingCommand({ domainName: name, basePath: 'store',
      patchOperations: [{ op: 'replace', path: '/basePath', value: '(none)' }] })))
    assert.equal(clash.name, 'ConflictException')
    await rest.send(new DeleteBasePathMappingCommand({ domainName: name, basePath: '(none)' }))
    assert.deepEqual((await rest.send(new GetBasePathMappingsCommand({ domainName: name }))).items!.map((m) => m.basePath), ['store'])
    assert.equal((await get(name, '/prod/pets')).status, 404)
    const noMapping = await sdkError(rest.send(new DeleteBasePathMappingCommand({ domainName: name, basePath: 'nope' })))
    assert.equal(noMapping.name, 'NotFoundException')

    // UpdateDomainName's REGIONAL paths: apigatewayv2 shows the new certificate and policy in DomainNameConfigurations.
    const updated = await rest.send(new UpdateDomainNameCommand({ domainName: name, patchOperations: [
      { op: 'replace', path: '/regionalCertificateArn', value: cert('b') }, { op: 'replace', path: '/securityPolicy', value: 'TLS_1_0' },
    ] }))
    assert.deepEqual([updated.regionalCertificateArn, updated.securityPolicy, updated.endpointConfiguration?.types], [cert('b'), 'TLS_1_0', ['REGIONAL']])
    const config = (await http.send(new GetDomainNameV2Command({ DomainName: name }))).DomainNameConfigurations![0]!
    assert.deepEqual([config.CertificateArn, config.SecurityPolicy, config.EndpointType], [cert('b'), 'TLS_1_0', 'REGIONAL'])
    const toEdge = await sdkError(rest.send(new UpdateDomainNameCommand({ domainName: name,
      patchOperations: [{ op: 'replace', path: '/endpointConfiguration/types/0', value: 'EDGE' }] })))
    assert.equal(toEdge.name, 'BadRequestException')

    // Tags through either API are the one domain's.
    await rest.send(new TagRestResourceCommand({ resourceArn: arn, tags: { env: 'test' } }))
    assert.deepEqual((await rest.send(new GetRestTagsCommand({ resourceArn: arn }))).tags, { team: 'web', env: 'test' })
    assert.deepEqual((await http.send(new GetTagsCommand({ ResourceArn: arn }))).Tags, { team: 'web', env: 'test' })
    await rest.send(new UntagRestResourceCommand({ resourceArn: arn, tagKeys: ['team'] }))
    assert.deepEqual((await http.send(new GetDomainNameV2Command({ DomainName: name }))).Tags, { env: 'test' })
    assert.deepEqual((await rest.send(new GetDomainNameCommand({ domainName: name }))).tags, { env: 'test' })
  })

  it('apigatewayv2 updates and tags a domain created through apigateway; apigateway shows the change in its own fields', async () => {
    const rest = apiGatewayClient(nimbus.current)
    const http = apiGatewayV2Client(nimbus.current)
    const name = `v1.${uniqueName('shared')}.localhost`.toLowerCase()
    const arn = `arn:aws:apigateway:us-east-1::/domainnames/${name}`
    await rest.send(new CreateDomainNameCommand({ domainName: name, regionalCertificateArn: cert('a'), endpointConfiguration: { types: ['REGIONAL'] },
      tags: { team: 'api' } }))
    const updated = await http.send(new UpdateDomainNameV2Command({ DomainName: name,
      DomainNameConfigurations: [{ CertificateArn: cert('c'), SecurityPolicy: 'TLS_1_0' }],
      MutualTlsAuthentication: { TruststoreUri: 's3://bucket/truststore.pem' } }))
    assert.deepEqual([updated.DomainNameConfigurations?.[0]?.CertificateArn, updated.DomainNameConfigurations?.[0]?.SecurityPolicy], [cert('c'), 'TLS_1_0'])
    assert.equal(updated.MutualTlsAuthentication?.TruststoreUri, 's3://bucket/truststore.pem')
    const seen = await rest.send(new GetDomainNameCommand({ domainName: name }))
    assert.deepEqual([seen.regionalCertificateArn, seen.securityPolicy, seen.mutualTlsAuthentication?.truststoreUri],
      [cert('c'), 'TLS_1_0', 's3://bucket/truststore.pem'])
    const edge = await sdkError(http.send(new UpdateDomainNameV2Command({ DomainName: name, DomainNameConfigurations: [{ EndpointType: 'EDGE' }] })))
    assert.equal(edge.name, 'BadRequestException')
    const missing = await sdkError(http.send(new UpdateDomainNameV2Command({ DomainName: `none.${name}`, DomainNameConfigurations: [{ CertificateArn: cert('c') }] })))
    assert.equal(missing.name, 'NotFoundException')

    await http.send(new TagResourceCommand({ ResourceArn: arn, Tags: { env: 'prod' } }))
    assert.deepEqual((await rest.send(new GetRestTagsCommand({ resourceArn: arn }))).tags, { team: 'api', env: 'prod' })
    await http.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['team'] }))
    assert.deepEqual((await http.send(new GetTagsCommand({ ResourceArn: arn }))).Tags, { env: 'prod' })
    assert.deepEqual((await rest.send(new GetDomainNameCommand({ domainName: name }))).tags, { env: 'prod' })
  })

  it('an EDGE domain created through apigateway shows apigatewayv2 its CloudFront name', async () => {
    const rest = apiGatewayClient(nimbus.current)
    const http = apiGatewayV2Client(nimbus.current)
    const name = `edge.${uniqueName('shared')}.localhost`.toLowerCase()
    const created = await rest.send(new CreateDomainNameCommand({ domainName: name, certificateArn: cert('e') }))
    const config = (await http.send(new GetDomainNameV2Command({ DomainName: name }))).DomainNameConfigurations![0]!
    assert.deepEqual([config.EndpointType, config.ApiGatewayDomainName, config.HostedZoneId, config.CertificateArn],
      ['EDGE', created.distributionDomainName, 'Z2FDTNDATAQYW2', cert('e')])
  })

  it('a domain mapping a WebSocket API takes no REST API', async () => {
    const rest = apiGatewayClient(nimbus.current)
    const http = apiGatewayV2Client(nimbus.current)
    const name = `ws.${uniqueName('shared')}.localhost`.toLowerCase()
    await http.send(new CreateDomainNameV2Command({ DomainName: name, DomainNameConfigurations: [{ CertificateArn: cert('a'), EndpointType: 'REGIONAL' }] }))
    const ws = await http.send(new CreateApiCommand({ Name: uniqueName('ws'), ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))
    await http.send(new CreateStageCommand({ ApiId: ws.ApiId!, StageName: 'live' }))
    await http.send(new CreateApiMappingCommand({ DomainName: name, ApiId: ws.ApiId!, Stage: 'live', ApiMappingKey: 'chat' }))
    const api = await createApi(rest)
    await mockMethod(rest, api.id, api.root, 'GET', 200, '{}')
    await deploy(rest, api.id, 'prod')
    const viaRest = await sdkError(rest.send(new CreateBasePathMappingCommand({ domainName: name, restApiId: api.id, stage: 'prod', basePath: 'r' })))
    assert.equal(viaRest.name, 'BadRequestException')
    const viaHttp = await sdkError(http.send(new CreateApiMappingCommand({ DomainName: name, ApiId: api.id, Stage: 'prod', ApiMappingKey: 'r' })))
    assert.equal(viaHttp.name, 'BadRequestException')
  })
})
