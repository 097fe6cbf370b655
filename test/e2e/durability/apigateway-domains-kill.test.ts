// API Gateway's one set of custom domain names survives `kill -9`: the built CLI on a data dir, domains created
// through apigateway and apigatewayv2, each mapped, updated and tagged through the other API, is killed and started
// again on the same folder. Both APIs list both domains with their mappings, tags and certificates, and both
// serve by Host — a REST API and an HTTP API on each other's domains. Routing rules and routing modes (on a private
// domain of apigateway's and a domain of apigatewayv2's), a private domain's access association, and a private domain
// sharing a public domain's name (private names are their own namespace, by domainNameId) last too.
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, describe, it } from 'node:test'
import {
  CreateBasePathMappingCommand, CreateDomainNameAccessAssociationCommand, CreateDomainNameCommand, GetBasePathMappingsCommand, GetDomainNameAccessAssociationsCommand,
  GetDomainNameCommand, GetDomainNamesCommand, TagResourceCommand as TagRestResourceCommand, UpdateDomainNameCommand,
} from '@aws-sdk/client-api-gateway'
import {
  CreateApiCommand, CreateApiMappingCommand, CreateDomainNameCommand as CreateDomainNameV2Command, GetApiMappingsCommand,
  CreateRoutingRuleCommand, GetDomainNameCommand as GetDomainNameV2Command, GetDomainNamesCommand as GetDomainNamesV2Command, ListRoutingRulesCommand,
  TagResourceCommand,
} from '@aws-sdk/client-apigatewayv2'
import type { Nimbus } from '../../../src/index.ts'
import { apiGatewayClient, createApi, createPath, deploy, mockMethod, sendTo } from '../../helpers/apigateway.ts'
import { apiGatewayV2Client } from '../../helpers/apigatewayv2.ts'
import { killTestDir } from '../../helpers/spawn-cli.ts'

const { dataDir, processes } = killTestDir('nimbus-apigw-domains-kill-')
const backend = createServer((req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: req.url })))
after(async () => {
  backend.closeAllConnections()
  await new Promise((resolve) => backend.close(resolve))
})

const cert = (name: string) => `arn:aws:acm:us-east-1:000000000000:certificate/${name}`
const restName = 'rest.kill.localhost'
const httpName = 'http.kill.localhost'
const privateName = 'private.kill.localhost'
const rulesName = 'rules.kill.localhost'
const kill = { MatchHeaders: { AnyOf: [{ Header: 'x-kill', ValueGlob: 'y*' }] } }
const arnOf = (name: string) => `arn:aws:apigateway:us-east-1::/domainnames/${name}`

describe('API Gateway custom domains on a data dir, killed with SIGKILL', () => {
  it('keeps both APIs\' domains, their mappings, updates and tags, and serves them by Host', async () => {
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve))
    const base = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`
    const first = await processes.start(['--data-dir', dataDir])
    let nimbus = { endpoint: first.endpoint } as Nimbus
    let rest = apiGatewayClient(nimbus)
    let http = apiGatewayV2Client(nimbus)
    const api = await createApi(rest)
    await mockMethod(rest, api.id, await createPath(rest, api, '/pets'), 'GET', 200, '{"stage": "$context.stage", "path": "$context.path"}')
    await deploy(rest, api.id, 'prod')
    // A private REST API deploys only with a resource policy (AWS refuses one without).
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }] })
    const privateApi = await createApi(rest, { endpointConfiguration: { types: ['PRIVATE'] }, policy })
    await mockMethod(rest, privateApi.id, await createPath(rest, privateApi, '/pets'), 'GET', 200, '{"private": true, "path": "$context.path"}')
    await deploy(rest, privateApi.id, 'prod')
    const httpApi = await http.send(new CreateApiCommand({ Name: 'kill', ProtocolType: 'HTTP', Target: `${base}/backend` }))

    // A REST domain mapping the HTTP API (through apigatewayv2), an HTTP domain mapping the REST API (through apigateway).
    await rest.send(new CreateDomainNameCommand({ domainName: restName, regionalCertificateArn: cert('r'), endpointConfiguration: { types: ['REGIONAL'] } }))
    await rest.send(new CreateBasePathMappingCommand({ domainName: restName, restApiId: api.id, stage: 'prod', basePath: 'shop' }))
    await http.send(new CreateApiMappingCommand({ DomainName: restName, ApiId: httpApi.ApiId!, Stage: '$default', ApiMappingKey: 'web' }))
    await http.send(new TagResourceCommand({ ResourceArn: arnOf(restName), Tags: { via: 'v2' } }))
    await http.send(new CreateDomainNameV2Command({ DomainName: httpName, DomainNameConfigurations: [{ CertificateArn: cert('h'), EndpointType: 'REGIONAL' }] }))
    await http.send(new CreateApiMappingCommand({ DomainName: httpName, ApiId: httpApi.ApiId!, Stage: '$default', ApiMappingKey: 'web' }))
    await rest.send(new CreateBasePathMappingCommand({ domainName: httpName, restApiId: api.id }))
    await rest.send(new UpdateDomainNameCommand({ domainName: httpName, patchOperations: [{ op: 'replace', path: '/regionalCertificateArn', value: cert('h2') }] }))
    await rest.send(new TagRestResourceCommand({ resourceArn: arnOf(httpName), tags: { via: 'v1' } }))
    // Routing rules on a private domain (rules only) and on an apigatewayv2 domain (rules, then its mappings); an access association.
    const privateDomain = await rest.send(new CreateDomainNameCommand({ domainName: privateName, certificateArn: cert('p'),
      endpointConfiguration: { types: ['PRIVATE'] }, routingMode: 'ROUTING_RULE_ONLY' }))
    await http.send(new CreateRoutingRuleCommand({ DomainName: privateName, DomainNameId: privateDomain.domainNameId, Priority: 7, Conditions: [kill],
      Actions: [{ InvokeApi: { ApiId: privateApi.id, Stage: 'prod', StripBasePath: true } }] }))
    // A private domain sharing the public REST domain's name (private names are their own namespace), with its own mapping.
    const privateTwin = await rest.send(new CreateDomainNameCommand({ domainName: restName, certificateArn: cert('t'), endpointConfiguration: { types: ['PRIVATE'] } }))
    await rest.send(new CreateBasePathMappingCommand({ domainName: restName, domainNameId: privateTwin.domainNameId, restApiId: privateApi.id, stage: 'prod', basePath: 'twin' }))
    await rest.send(new CreateDomainNameAccessAssociationCommand({ domainNameArn: privateDomain.domainNameArn!, accessAssociationSourceType: 'VPCE',
      accessAssociationSource: 'vpce-0123456789abcdef0' }))
    await http.send(new CreateDomainNameV2Command({ DomainName: rulesName, DomainNameConfigurations: [{ CertificateArn: cert('k'), EndpointType: 'REGIONAL' }],
      RoutingMode: 'ROUTING_RULE_THEN_API_MAPPING' }))
    await http.send(new CreateApiMappingCommand({ DomainName: rulesName, ApiId: api.id, Stage: 'prod', ApiMappingKey: 'mapped' }))
    await http.send(new CreateRoutingRuleCommand({ DomainName: rulesName, Priority: 3, Conditions: [kill, { MatchBasePaths: { AnyOf: ['ruled'] } }],
      Actions: [{ InvokeApi: { ApiId: api.id, Stage: 'prod', StripBasePath: true } }] }))
    rest.destroy()
    http.destroy()

    await processes.kill(first)

    const second = await processes.start(['--data-dir', dataDir])
    nimbus = { endpoint: second.endpoint } as Nimbus
    rest = apiGatewayClient(nimbus)
    http = apiGatewayV2Client(nimbus)
    const port = new URL(second.endpoint).port
    const get = (host: string, path: string) => sendTo(nimbus, `${host}:${port}`, path, {})

    const restNames = (await rest.send(new GetDomainNamesCommand({}))).items!.map((d) => d.domainName).sort()
    const httpNames = (await http.send(new GetDomainNamesV2Command({}))).Items!.map((d) => d.DomainName).sort()
    assert.deepEqual(restNames, [httpName, privateName, restName, restName, rulesName])
    // apigatewayv2 knows no private domains.
    assert.deepEqual(httpNames, [httpName, restName, rulesName])
    const twinMappings = (await rest.send(new GetBasePathMappingsCommand({ domainName: restName, domainNameId: privateTwin.domainNameId }))).items!
    assert.deepEqual(twinMappings.map((m) => [m.basePath, m.restApiId]), [['twin', privateApi.id]])
    assert.deepEqual((await rest.send(new GetDomainNameCommand({ domainName: restName }))).tags, { via: 'v2' })
    const httpDomain = await http.send(new GetDomainNameV2Command({ DomainName: httpName }))
    assert.deepEqual([httpDomain.Tags, httpDomain.DomainNameConfigurations?.[0]?.CertificateArn], [{ via: 'v1' }, cert('h2')])
    const restMappings = (await rest.send(new GetBasePathMappingsCommand({ domainName: restName }))).items!
    assert.deepEqual(restMappings.map((m) => [m.basePath, m.restApiId, m.stage]).sort(), [['shop', api.id, 'prod'], ['web', httpApi.ApiId, '$default']])
    const httpMappings = (await http.send(new GetApiMappingsCommand({ DomainName: httpName }))).Items!
    assert.deepEqual(httpMappings.map((m) => [m.ApiMappingKey, m.ApiId, m.Stage]).sort(), [['', api.id, '(none)'], ['web', httpApi.ApiId, '$default']])

    assert.deepEqual((await get(restName, '/shop/pets')).json(), { stage: 'prod', path: '/shop/pets' })
    assert.deepEqual((await get(restName, '/web/x?a=1')).json(), { url: '/backend?a=1' })
    assert.deepEqual((await get(httpName, '/prod/pets')).json(), { stage: 'prod', path: '/prod/pets' })
    assert.deepEqual((await get(httpName, '/web/y')).json(), { url: '/backend' })

    const privateId = privateDomain.domainNameId
    assert.equal((await rest.send(new GetDomainNameCommand({ domainName: privateName, domainNameId: privateId }))).routingMode, 'ROUTING_RULE_ONLY')
    assert.deepEqual((await http.send(new ListRoutingRulesCommand({ DomainName: privateName, DomainNameId: privateId }))).RoutingRules!.map((r) => r.Priority), [7])
    const kept = (await rest.send(new GetDomainNameAccessAssociationsCommand({}))).items!
    assert.deepEqual(kept.map((a) => [a.domainNameArn, a.accessAssociationSource]), [[arnOf(privateName).replace('::', ':000000000000:') + `+${privateId}`,
      'vpce-0123456789abcdef0']])
    const yes = { method: 'GET', headers: { 'X-Kill': 'yes' } }
    assert.deepEqual((await sendTo(nimbus, `${privateName}:${port}`, '/pets', yes)).json(), { private: true, path: '/pets' })
    assert.equal((await get(privateName, '/pets')).status, 403)
    assert.equal((await http.send(new GetDomainNameV2Command({ DomainName: rulesName }))).RoutingMode, 'ROUTING_RULE_THEN_API_MAPPING')
    assert.deepEqual((await sendTo(nimbus, `${rulesName}:${port}`, '/ruled/pets', yes)).json(), { stage: 'prod', path: '/ruled/pets' })
    assert.deepEqual((await get(rulesName, '/mapped/pets')).json(), { stage: 'prod', path: '/mapped/pets' })
    rest.destroy()
    http.destroy()
  })
})
