// Routing rules of custom domain names (apigatewayv2's CreateRoutingRule & co.) end to end: the rules' control plane
// with AWS's checks, and requests to the domain's Host routed by them — priority order, header globs, base paths
// stripped or kept, the fall-back to API mappings per RoutingMode, and a request nothing routes.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateDomainNameCommand as CreateRestDomainCommand, GetDomainNameCommand as GetRestDomainCommand, UpdateDomainNameCommand as UpdateRestDomainCommand,
  CreateBasePathMappingCommand } from '@aws-sdk/client-api-gateway'
import {
  CreateApiCommand, CreateApiMappingCommand, CreateDomainNameCommand, CreateRoutingRuleCommand, CreateStageCommand, DeleteRoutingRuleCommand,
  GetDomainNameCommand, GetRoutingRuleCommand, ListRoutingRulesCommand, PutRoutingRuleCommand, UpdateDomainNameCommand,
} from '@aws-sdk/client-apigatewayv2'
import { apiGatewayClient, createApi, createPath, deploy, mockMethod, sendTo } from '../../helpers/apigateway.ts'
import { apiGatewayV2Client } from '../../helpers/apigatewayv2.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const cert = 'arn:aws:acm:us-east-1:000000000000:certificate/rules'

/** A REST API (REGIONAL, or PRIVATE) answering `{"api": label, "stage", "path"}` at `/pets` (and `/{proxy+}` below the root), deployed to `prod`. */
async function restApi(label: string, type: 'REGIONAL' | 'PRIVATE' = 'REGIONAL'): Promise<string> {
  const rest = apiGatewayClient(nimbus.current)
  // A private REST API deploys only with a resource policy (AWS refuses one without).
  const policy = type === 'PRIVATE' ? JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }] }) : undefined
  const api = await createApi(rest, { endpointConfiguration: { types: [type] }, policy })
  const template = `{"api": "${label}", "stage": "$context.stage", "resource": "$context.resourcePath"}`
  await mockMethod(rest, api.id, await createPath(rest, api, '/pets'), 'GET', 200, template)
  await mockMethod(rest, api.id, await createPath(rest, api, '/users/pets'), 'GET', 200, template)
  await deploy(rest, api.id, 'prod')
  return api.id
}

const invokeApi = (apiId: string, strip = false) => [{ InvokeApi: { ApiId: apiId, Stage: 'prod', StripBasePath: strip } }]

describe('API Gateway routing rules', () => {
  it('routes a domain\'s requests by its rules in priority order, then its API mappings, per RoutingMode', async () => {
    const http = apiGatewayV2Client(nimbus.current)
    const name = `${uniqueName('rules')}.localhost`.toLowerCase()
    const get = (path: string, headers: Record<string, string> = {}) =>
      sendTo(nimbus.current, `${name}:${new URL(nimbus.current.endpoint).port}`, path, { headers })
    const [one, two, three, mapped] = [await restApi('one'), await restApi('two'), await restApi('three'), await restApi('mapped')]
    const created = await http.send(new CreateDomainNameCommand({ DomainName: name, DomainNameConfigurations: [{ CertificateArn: cert, EndpointType: 'REGIONAL' }],
      RoutingMode: 'ROUTING_RULE_ONLY' }))
    assert.equal(created.RoutingMode, 'ROUTING_RULE_ONLY')

    // AWS's example: a header rule first, headers and a base path next, a catch-all last.
    const first = await http.send(new CreateRoutingRuleCommand({ DomainName: name, Priority: 10, Actions: invokeApi(one),
      Conditions: [{ MatchHeaders: { AnyOf: [{ Header: 'Hello', ValueGlob: 'World' }] } }] }))
    assert.match(first.RoutingRuleId!, /^[a-z0-9]+$/)
    assert.equal(first.RoutingRuleArn, `arn:aws:apigateway:us-east-1:000000000000:/domainnames/${name}/routingrules/${first.RoutingRuleId}`)
    await http.send(new CreateRoutingRuleCommand({ DomainName: name, Priority: 50, Actions: invokeApi(two, true), Conditions: [
      { MatchHeaders: { AnyOf: [{ Header: 'Accept', ValueGlob: 'image/webp' }] } }, { MatchHeaders: { AnyOf: [{ Header: 'pet', ValueGlob: 'Dog-*' }] } },
      { MatchBasePaths: { AnyOf: ['users'] } },
    ] }))
    const catchAll = await http.send(new CreateRoutingRuleCommand({ DomainName: name, Priority: 100, Actions: invokeApi(three), Conditions: [] }))

    assert.deepEqual((await get('/pets', { hello: 'World' })).json(), { api: 'one', stage: 'prod', resource: '/pets' })
    // Header values are case-sensitive: `world` is no match, and the catch-all takes it.
    assert.deepEqual((await get('/pets', { Hello: 'world' })).json(), { api: 'three', stage: 'prod', resource: '/pets' })
    // Both headers and the base path: the second rule, `users` stripped before the API sees the path.
    const both = { Accept: 'image/webp', Pet: 'Dog-Bella' }
    assert.deepEqual((await get('/users/pets', both)).json(), { api: 'two', stage: 'prod', resource: '/pets' })
    // The first rule matching wins, whatever else would.
    assert.deepEqual((await get('/users/pets', { ...both, Hello: 'World' })).json(), { api: 'one', stage: 'prod', resource: '/users/pets' })
    // One header missing, or a glob not matching: the catch-all, the path kept whole.
    assert.deepEqual((await get('/users/pets', { Pet: 'Dog-Bella' })).json(), { api: 'three', stage: 'prod', resource: '/users/pets' })
    assert.deepEqual((await get('/users/pets', { ...both, Pet: 'Cat-Tom' })).json(), { api: 'three', stage: 'prod', resource: '/users/pets' })

    // PutRoutingRule replaces a rule in place (same id): the catch-all now answers only `*beta*` cookies.
    await http.send(new PutRoutingRuleCommand({ DomainName: name, RoutingRuleId: catchAll.RoutingRuleId!, Priority: 100, Actions: invokeApi(three),
      Conditions: [{ MatchHeaders: { AnyOf: [{ Header: 'cookie', ValueGlob: '*ux=beta*' }] } }] }))
    assert.deepEqual((await get('/pets', { Cookie: 'a=1; ux=beta; b=2' })).json(), { api: 'three', stage: 'prod', resource: '/pets' })
    // ROUTING_RULE_ONLY, nothing matching: the domain's answer for a path nothing serves (an apigatewayv2 domain's 404) [R].
    const unrouted = await get('/pets', { Cookie: 'ux=stable' })
    assert.deepEqual([unrouted.status, unrouted.json()], [404, { message: 'Not Found' }])

    // An API mapping is ignored while the mode is ROUTING_RULE_ONLY, and used after the rules once it's ROUTING_RULE_THEN_API_MAPPING.
    await http.send(new CreateApiMappingCommand({ DomainName: name, ApiId: mapped, Stage: 'prod', ApiMappingKey: '' }))
    assert.equal((await get('/pets')).status, 404)
    const updated = await http.send(new UpdateDomainNameCommand({ DomainName: name, RoutingMode: 'ROUTING_RULE_THEN_API_MAPPING' }))
    assert.equal(updated.RoutingMode, 'ROUTING_RULE_THEN_API_MAPPING')
    assert.deepEqual((await get('/pets')).json(), { api: 'mapped', stage: 'prod', resource: '/pets' })
    assert.deepEqual((await get('/pets', { hello: 'World' })).json(), { api: 'one', stage: 'prod', resource: '/pets' })
    // API_MAPPING_ONLY: the rules are kept but not evaluated.
    await http.send(new UpdateDomainNameCommand({ DomainName: name, RoutingMode: 'API_MAPPING_ONLY' }))
    assert.deepEqual((await get('/pets', { hello: 'World' })).json(), { api: 'mapped', stage: 'prod', resource: '/pets' })
    assert.equal((await http.send(new GetDomainNameCommand({ DomainName: name }))).RoutingMode, 'API_MAPPING_ONLY')

    // ListRoutingRules by priority, paged; GetRoutingRule; DeleteRoutingRule.
    const listed = await http.send(new ListRoutingRulesCommand({ DomainName: name, MaxResults: 2 }))
    assert.deepEqual(listed.RoutingRules!.map((r) => r.Priority), [10, 50])
    const rest = await http.send(new ListRoutingRulesCommand({ DomainName: name, NextToken: listed.NextToken }))
    assert.deepEqual([rest.RoutingRules!.map((r) => r.Priority), rest.NextToken], [[100], undefined])
    const got = await http.send(new GetRoutingRuleCommand({ DomainName: name, RoutingRuleId: first.RoutingRuleId! }))
    assert.deepEqual([got.Priority, got.Conditions, got.Actions], [10, [{ MatchHeaders: { AnyOf: [{ Header: 'Hello', ValueGlob: 'World' }] } }],
      [{ InvokeApi: { ApiId: one, Stage: 'prod', StripBasePath: false } }]])
    await http.send(new DeleteRoutingRuleCommand({ DomainName: name, RoutingRuleId: first.RoutingRuleId! }))
    const gone = await sdkError(http.send(new GetRoutingRuleCommand({ DomainName: name, RoutingRuleId: first.RoutingRuleId! })))
    assert.deepEqual([gone.name, gone.status], ['NotFoundException', 404])
  })

  it('checks rules as AWS does', async () => {
    const http = apiGatewayV2Client(nimbus.current)
    const name = `${uniqueName('rules-bad')}.localhost`.toLowerCase()
    const api = await restApi('a')
    await http.send(new CreateDomainNameCommand({ DomainName: name, DomainNameConfigurations: [{ CertificateArn: cert, EndpointType: 'REGIONAL' }] }))
    const create = (Priority: number, Conditions: object[], Actions: object[] = invokeApi(api)) =>
      sdkError(http.send(new CreateRoutingRuleCommand({ DomainName: name, Priority, Conditions, Actions } as never)))
    await http.send(new CreateRoutingRuleCommand({ DomainName: name, Priority: 5, Actions: invokeApi(api), Conditions: [] }))
    const taken = await create(5, [])
    assert.deepEqual([taken.name, taken.status], ['ConflictException', 409])
    for (const priority of [0, 1_000_001]) assert.equal((await create(priority, [])).name, 'BadRequestException')
    const header = (ValueGlob: string) => ({ MatchHeaders: { AnyOf: [{ Header: 'x-version', ValueGlob }] } })
    assert.equal((await create(6, [header('a'), header('b'), header('c')])).name, 'BadRequestException')
    assert.equal((await create(6, [{ MatchBasePaths: { AnyOf: ['a'] } }, { MatchBasePaths: { AnyOf: ['b'] } }])).name, 'BadRequestException')
    assert.equal((await create(6, [header('be*ta')])).name, 'BadRequestException')
    assert.equal((await create(6, [], [...invokeApi(api), ...invokeApi(api)])).name, 'BadRequestException')
    assert.equal((await create(6, [], [{ InvokeApi: { ApiId: api, Stage: 'nope' } }])).name, 'BadRequestException')
    assert.equal((await create(6, [], [{ InvokeApi: { ApiId: 'nosuchapi', Stage: 'prod' } }])).name, 'NotFoundException')
    // HTTP APIs are no target of a routing rule.
    const httpApi = await http.send(new CreateApiCommand({ Name: 'rules-http', ProtocolType: 'HTTP' }))
    await http.send(new CreateStageCommand({ ApiId: httpApi.ApiId!, StageName: 'prod' }))
    const notRest = await create(6, [], [{ InvokeApi: { ApiId: httpApi.ApiId!, Stage: 'prod' } }])
    assert.deepEqual([notRest.name, notRest.message], ['BadRequestException', 'Routing rules can only target REST APIs'])
    const noDomain = await sdkError(http.send(new ListRoutingRulesCommand({ DomainName: 'nope.example.com' })))
    assert.equal(noDomain.name, 'NotFoundException')
    const badMode = await sdkError(http.send(new UpdateDomainNameCommand({ DomainName: name, RoutingMode: 'SOMETIMES' as never })))
    assert.equal(badMode.name, 'BadRequestException')
  })

  it('takes rules on a domain created through apigateway, with its routingMode in apigateway\'s spelling', async () => {
    const restClient = apiGatewayClient(nimbus.current)
    const http = apiGatewayV2Client(nimbus.current)
    const name = `${uniqueName('rules-rest')}.localhost`.toLowerCase()
    const get = (path: string, headers: Record<string, string> = {}) =>
      sendTo(nimbus.current, `${name}:${new URL(nimbus.current.endpoint).port}`, path, { headers })
    const [ruled, mapped] = [await restApi('ruled'), await restApi('mapped')]
    const created = await restClient.send(new CreateRestDomainCommand({ domainName: name, regionalCertificateArn: cert,
      endpointConfiguration: { types: ['REGIONAL'] }, routingMode: 'ROUTING_RULE_THEN_BASE_PATH_MAPPING' }))
    assert.equal(created.routingMode, 'ROUTING_RULE_THEN_BASE_PATH_MAPPING')
    assert.equal((await http.send(new GetDomainNameCommand({ DomainName: name }))).RoutingMode, 'ROUTING_RULE_THEN_API_MAPPING')
    await restClient.send(new CreateBasePathMappingCommand({ domainName: name, restApiId: mapped, stage: 'prod' }))
    await http.send(new CreateRoutingRuleCommand({ DomainName: name, Priority: 1, Actions: invokeApi(ruled, true),
      Conditions: [{ MatchBasePaths: { AnyOf: ['v2', 'beta/v2'] } }, { MatchHeaders: { AnyOf: [{ Header: 'x-version', ValueGlob: '*-beta' }, { Header: 'x-beta', ValueGlob: '*' }] } }] }))
    assert.deepEqual((await get('/beta/v2/pets', { 'X-Version': '2-beta' })).json(), { api: 'ruled', stage: 'prod', resource: '/pets' })
    assert.deepEqual((await get('/v2/pets', { 'x-beta': 'yes' })).json(), { api: 'ruled', stage: 'prod', resource: '/pets' })
    assert.deepEqual((await get('/pets', { 'x-beta': 'yes' })).json(), { api: 'mapped', stage: 'prod', resource: '/pets' })
    // No rule matching: the `(none)` mapping, whose API has no `/v2/pets`.
    const unmatched = await get('/v2/pets', { 'X-Version': '2-stable' })
    assert.deepEqual([unmatched.status, unmatched.json()], [403, { message: 'Missing Authentication Token' }])

    // Only the rules: the base path mapping no longer answers.
    const onlyRules = await restClient.send(new UpdateRestDomainCommand({ domainName: name, patchOperations: [{ op: 'replace', path: '/routingMode', value: 'ROUTING_RULE_ONLY' }] }))
    assert.equal(onlyRules.routingMode, 'ROUTING_RULE_ONLY')
    assert.equal((await get('/pets')).status, 403)
    assert.equal((await restClient.send(new GetRestDomainCommand({ domainName: name }))).routingMode, 'ROUTING_RULE_ONLY')
    const listed = await http.send(new ListRoutingRulesCommand({ DomainName: name }))
    assert.deepEqual(listed.RoutingRules!.map((r) => r.Conditions!.length), [2])
  })

  it('takes rules on a private domain by DomainNameId, private APIs only; a public domain\'s rules target no private API', async () => {
    const restClient = apiGatewayClient(nimbus.current)
    const http = apiGatewayV2Client(nimbus.current)
    const name = `${uniqueName('rules-private')}.localhost`.toLowerCase()
    const [privateApi, publicApi] = [await restApi('private', 'PRIVATE'), await restApi('public')]
    const publicDomain = await restClient.send(new CreateRestDomainCommand({ domainName: name, regionalCertificateArn: cert,
      endpointConfiguration: { types: ['REGIONAL'] }, routingMode: 'ROUTING_RULE_ONLY' }))
    const privateDomain = await restClient.send(new CreateRestDomainCommand({ domainName: name, certificateArn: cert,
      endpointConfiguration: { types: ['PRIVATE'] }, routingMode: 'ROUTING_RULE_ONLY' }))
    const DomainNameId = privateDomain.domainNameId!
    assert.equal(publicDomain.domainNameId, undefined)

    // AWS's routing rule considerations: public domain → regional/edge APIs, private domain → private APIs [R: the messages].
    const toPrivate = await sdkError(http.send(new CreateRoutingRuleCommand({ DomainName: name, Priority: 1, Conditions: [], Actions: invokeApi(privateApi) })))
    assert.deepEqual([toPrivate.name, toPrivate.status, toPrivate.message],
      ['BadRequestException', 400, `A routing rule of public domain name ${name} cannot target private API ${privateApi}`])
    const toPublic = await sdkError(http.send(new CreateRoutingRuleCommand({ DomainName: name, DomainNameId, Priority: 1, Conditions: [], Actions: invokeApi(publicApi) })))
    assert.deepEqual([toPublic.name, toPublic.message],
      ['BadRequestException', `A routing rule of private domain name ${name} can only target a private API: ${publicApi} is not private`])

    const rule = await http.send(new CreateRoutingRuleCommand({ DomainName: name, DomainNameId, Priority: 1, Conditions: [], Actions: invokeApi(privateApi) }))
    assert.equal(rule.RoutingRuleArn, `arn:aws:apigateway:us-east-1:000000000000:/domainnames/${name}+${DomainNameId}/routingrules/${rule.RoutingRuleId}`)
    await http.send(new CreateRoutingRuleCommand({ DomainName: name, Priority: 1, Conditions: [], Actions: invokeApi(publicApi) }))
    // Each domain keeps its own rules; the id addresses the private one, a wrong id nothing.
    const priorities = async (id?: string) => (await http.send(new ListRoutingRulesCommand({ DomainName: name, DomainNameId: id }))).RoutingRules!
      .map((r) => r.Actions![0]!.InvokeApi!.ApiId)
    assert.deepEqual([await priorities(DomainNameId), await priorities()], [[privateApi], [publicApi]])
    assert.equal((await http.send(new GetRoutingRuleCommand({ DomainName: name, DomainNameId, RoutingRuleId: rule.RoutingRuleId! }))).Priority, 1)
    const wrongId = await sdkError(http.send(new ListRoutingRulesCommand({ DomainName: name, DomainNameId: 'zzzzzzzz' })))
    assert.deepEqual([wrongId.name, wrongId.status], ['NotFoundException', 404])
    const otherDomain = await sdkError(http.send(new GetRoutingRuleCommand({ DomainName: name, RoutingRuleId: rule.RoutingRuleId! })))
    assert.equal(otherDomain.name, 'NotFoundException')
    await http.send(new PutRoutingRuleCommand({ DomainName: name, DomainNameId, RoutingRuleId: rule.RoutingRuleId!, Priority: 2, Conditions: [],
      Actions: invokeApi(privateApi, true) }))
    assert.equal((await http.send(new GetRoutingRuleCommand({ DomainName: name, DomainNameId, RoutingRuleId: rule.RoutingRuleId! }))).Priority, 2)
    // The Host serves the public domain of the name.
    const served = await sendTo(nimbus.current, `${name}:${new URL(nimbus.current.endpoint).port}`, '/pets', {})
    assert.deepEqual(served.json(), { api: 'public', stage: 'prod', resource: '/pets' })
    await http.send(new DeleteRoutingRuleCommand({ DomainName: name, DomainNameId, RoutingRuleId: rule.RoutingRuleId! }))
    assert.deepEqual(await priorities(DomainNameId), [])
  })
})
