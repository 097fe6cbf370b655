// HTTP APIs (apigatewayv2) end to end: quick create, routes with path parameters and greedy
// proxies, the payload 2.0 event field by field and 1.0, the simple response form, AWS's own
// 404/500 answers, named stages, and the control plane's NotFound/BadRequest errors.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateApiCommand, CreateDeploymentCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, DeleteApiCommand,
  GetApiCommand, GetApisCommand, GetIntegrationsCommand, GetRoutesCommand, GetStageCommand, ImportApiCommand,
} from '@aws-sdk/client-apigatewayv2'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { apiGatewayV2Client, invokeHttpApi } from '../../helpers/apigatewayv2.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

const echo = `exports.handler = async (event) => ({ statusCode: 201, headers: { 'X-Echo': 'yes' }, cookies: ['a=1', 'b=2'],
  body: JSON.stringify(event) })`

async function functionArn(source: string): Promise<string> {
  const lambda = lambdaClient(nimbus.current)
  const name = await createFunction(lambda, source)
  return (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.FunctionArn!
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>

describe('HTTP APIs (apigatewayv2)', () => {
  it('quick create serves every request at $default with payload 2.0, field by field', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const target = await functionArn(echo)
    const api = await client.send(new CreateApiCommand({ Name: uniqueName('http'), ProtocolType: 'HTTP', Target: target }))
    assert.match(api.ApiId!, /^[a-z0-9]{10}$/)
    assert.equal(api.ProtocolType, 'HTTP')
    assert.equal(api.RouteSelectionExpression, '${request.method} ${request.path}')
    assert.match(api.ApiEndpoint!, new RegExp(`^http://${api.ApiId}\\.execute-api\\.localhost:\\d+$`))
    const routes = (await client.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items!
    assert.deepEqual(routes.map((r) => [r.RouteKey, r.ApiGatewayManaged]), [['$default', true]])
    const stage = await client.send(new GetStageCommand({ ApiId: api.ApiId, StageName: '$default' }))
    assert.equal(stage.AutoDeploy, true)
    assert.ok(stage.DeploymentId)

    const res = await invokeHttpApi(nimbus.current, api.ApiId!, '/some/path?x=1&x=2&y=z', {
      method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'test-agent', cookie: 'c1=v1; c2=v2', 'x-multi': ['p', 'q'] },
      body: '{"hello":"world"}',
    })
    assert.equal(res.status, 201)
    assert.equal(res.headers['x-echo'], 'yes')
    assert.deepEqual(res.headers['set-cookie'], ['a=1', 'b=2'])
    assert.ok(res.headers['apigw-requestid'])
    assert.equal(res.headers['x-amzn-requestid'], undefined, 'HTTP APIs answer with apigw-requestid only')
    const event = res.json() as Json
    assert.equal(event.version, '2.0')
    assert.equal(event.routeKey, '$default')
    assert.equal(event.rawPath, '/some/path')
    assert.equal(event.rawQueryString, 'x=1&x=2&y=z')
    assert.deepEqual(event.cookies, ['c1=v1', 'c2=v2'])
    assert.equal(event.headers['content-type'], 'application/json')
    assert.equal(event.headers['user-agent'], 'test-agent')
    assert.match(event.headers['x-multi'], /^p, ?q$/)
    assert.equal(event.headers.cookie, undefined)
    assert.deepEqual(event.queryStringParameters, { x: '1,2', y: 'z' })
    assert.equal(event.pathParameters, undefined)
    assert.equal(event.stageVariables, undefined)
    assert.equal(event.body, '{"hello":"world"}')
    assert.equal(event.isBase64Encoded, false)
    const rc = event.requestContext
    assert.equal(rc.accountId, '000000000000')
    assert.equal(rc.apiId, api.ApiId)
    assert.equal(rc.domainName, `${api.ApiId}.execute-api.localhost`)
    assert.equal(rc.domainPrefix, api.ApiId)
    assert.deepEqual(rc.http, { method: 'POST', path: '/some/path', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test-agent' })
    assert.equal(rc.requestId, res.headers['apigw-requestid'])
    assert.equal(rc.routeKey, '$default')
    assert.equal(rc.stage, '$default')
    assert.match(rc.time, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/)
    assert.equal(typeof rc.timeEpoch, 'number')
  })

  it('passes a header and a query parameter named __proto__ in the 2.0 event like any other', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const api = await client.send(new CreateApiCommand({ Name: uniqueName('http'), ProtocolType: 'HTTP', Target: await functionArn(echo) }))
    // An own "__proto__" key (an object literal's would set the prototype instead).
    const headers = JSON.parse('{"__proto__": "h1", "x-other": "o"}') as Record<string, string>
    const res = await invokeHttpApi(nimbus.current, api.ApiId!, '/odd?__proto__=q1&__proto__=q2', { headers })
    assert.equal(res.status, 201)
    const event = JSON.parse(res.text) as Record<string, Record<string, unknown>>
    const own = (map: Record<string, unknown> | undefined, name: string) => (map !== undefined && Object.hasOwn(map, name) ? map[name] : undefined)
    assert.equal(own(event.headers, '__proto__'), 'h1')
    assert.equal(own(event.headers, 'x-other'), 'o')
    assert.equal(own(event.queryStringParameters, '__proto__'), 'q1,q2')
  })

  it('selects the most specific route, passes path parameters, serves a named stage, answers 404 and 500', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const api = await client.send(new CreateApiCommand({ Name: uniqueName('http'), ProtocolType: 'HTTP' }))
    const id = api.ApiId!
    const echoArn = await functionArn(`exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify(e) })`)
    const v2 = await client.send(new CreateIntegrationCommand({ ApiId: id, IntegrationType: 'AWS_PROXY', IntegrationUri: echoArn, PayloadFormatVersion: '2.0' }))
    const v1 = await client.send(new CreateIntegrationCommand({ ApiId: id, IntegrationType: 'AWS_PROXY', IntegrationUri: echoArn, PayloadFormatVersion: '1.0' }))
    const simple = await client.send(new CreateIntegrationCommand({ ApiId: id, IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0',
      IntegrationUri: await functionArn(`exports.handler = async () => ({ hello: 'simple' })`) }))
    const text = await client.send(new CreateIntegrationCommand({ ApiId: id, IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0',
      IntegrationUri: await functionArn(`exports.handler = async () => 'Hello from Lambda!'`) }))
    const failing = await client.send(new CreateIntegrationCommand({ ApiId: id, IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0',
      IntegrationUri: await functionArn(`exports.handler = async () => { throw new Error('boom') }`) }))
    const route = async (key: string, integrationId: string) =>
      client.send(new CreateRouteCommand({ ApiId: id, RouteKey: key, Target: `integrations/${integrationId}` }))
    await route('GET /items/{id}', v2.IntegrationId!)
    await route('ANY /{proxy+}', v2.IntegrationId!)
    await route('GET /legacy/{name}', v1.IntegrationId!)
    await route('GET /simple', simple.IntegrationId!)
    await route('GET /text', text.IntegrationId!)
    await route('GET /fail', failing.IntegrationId!)
    await client.send(new CreateStageCommand({ ApiId: id, StageName: 'dev', StageVariables: { color: 'blue' } }))
    await client.send(new CreateDeploymentCommand({ ApiId: id, StageName: 'dev' }))

    const item = (await invokeHttpApi(nimbus.current, id, '/dev/items/42')).json() as Json
    assert.equal(item.routeKey, 'GET /items/{id}')
    assert.deepEqual(item.pathParameters, { id: '42' })
    assert.deepEqual(item.stageVariables, { color: 'blue' })
    assert.equal(item.rawPath, '/dev/items/42')
    assert.equal(item.requestContext.stage, 'dev')
    const proxied = (await invokeHttpApi(nimbus.current, id, '/dev/a/b/c', { method: 'DELETE' })).json() as Json
    assert.equal(proxied.routeKey, 'ANY /{proxy+}')
    assert.deepEqual(proxied.pathParameters, { proxy: 'a/b/c' })
    const legacy = (await invokeHttpApi(nimbus.current, id, '/dev/legacy/rex?q=1&q=2')).json() as Json
    assert.equal(legacy.version, '1.0')
    assert.equal(legacy.httpMethod, 'GET')
    assert.equal(legacy.resource, '/legacy/{name}')
    assert.deepEqual(legacy.pathParameters, { name: 'rex' })
    assert.deepEqual(legacy.multiValueQueryStringParameters, { q: ['1', '2'] })

    const simpleRes = await invokeHttpApi(nimbus.current, id, '/dev/simple')
    assert.equal(simpleRes.status, 200)
    assert.equal(simpleRes.headers['content-type'], 'application/json')
    assert.deepEqual(simpleRes.json(), { hello: 'simple' })
    const textRes = await invokeHttpApi(nimbus.current, id, '/dev/text')
    assert.equal(textRes.status, 200)
    assert.equal(textRes.text, 'Hello from Lambda!')

    const failed = await invokeHttpApi(nimbus.current, id, '/dev/fail')
    assert.equal(failed.status, 500)
    assert.deepEqual(failed.json(), { message: 'Internal Server Error' })
    // No $default stage: a path naming no stage is not found; the `/` root matches no route.
    const noStage = await invokeHttpApi(nimbus.current, id, '/nostage/items/1')
    assert.equal(noStage.status, 404)
    assert.deepEqual(noStage.json(), { message: 'Not Found' })
    const noRoute = await invokeHttpApi(nimbus.current, id, '/dev')
    assert.equal(noRoute.status, 404)
    assert.deepEqual(noRoute.json(), { message: 'Not Found' })
  })

  it('answers NotFoundException and BadRequestException as AWS words them; DeleteApi deletes', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    await assert.rejects(client.send(new GetApiCommand({ ApiId: 'nosuchapi1' })), { name: 'NotFoundException', message: 'Invalid API identifier specified nosuchapi1' })
    const api = await client.send(new CreateApiCommand({ Name: uniqueName('http'), ProtocolType: 'HTTP' }))
    await assert.rejects(client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'FETCH /x' })), { name: 'BadRequestException' })
    await assert.rejects(client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /x', Target: 'integrations/nope' })),
      { name: 'BadRequestException' })
    await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /x' }))
    await assert.rejects(client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /x' })), { name: 'ConflictException' })
    await assert.rejects(client.send(new GetStageCommand({ ApiId: api.ApiId, StageName: 'nope' })), { name: 'NotFoundException' })
    // WebSocket APIs are served (websocket.test.ts); without a route selection expression AWS refuses one.
    await assert.rejects(client.send(new CreateApiCommand({ Name: 'ws', ProtocolType: 'WEBSOCKET' })), { name: 'BadRequestException' })
    assert.ok((await client.send(new GetApisCommand({}))).Items!.some((a) => a.ApiId === api.ApiId))
    await client.send(new DeleteApiCommand({ ApiId: api.ApiId }))
    await assert.rejects(client.send(new GetApiCommand({ ApiId: api.ApiId })), { name: 'NotFoundException' })
  })

  it('refuses AWS, HTTP and MOCK integrations (HTTP APIs take proxy integrations only); ImportApi warns of them', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const api = await client.send(new CreateApiCommand({ Name: uniqueName('http'), ProtocolType: 'HTTP' }))
    const message = 'Currently, an API with a protocol type of HTTP may only be associated with proxy integrations (AWS_PROXY, HTTP_PROXY)'
    for (const type of ['MOCK', 'HTTP', 'AWS'] as const) {
      await assert.rejects(client.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: type, IntegrationUri: 'http://127.0.0.1:1/x', IntegrationMethod: 'GET' })),
        { name: 'BadRequestException', message })
    }
    const body = JSON.stringify({
      openapi: '3.0.1', info: { title: 'mocked', version: '1' },
      paths: { '/pets': { get: { responses: { 200: { description: 'ok' } }, 'x-amazon-apigateway-integration': { type: 'mock' } } } },
    })
    // The import guide: such an integration is a warning, which blocks the import only with FailOnWarnings.
    const warning = `Unable to create integration of type MOCK for route GET /pets: ${message}`
    await assert.rejects(client.send(new ImportApiCommand({ Body: body, FailOnWarnings: true })),
      { name: 'BadRequestException', message: `Warnings found during import:\n\t${warning}` })
    assert.ok(!(await client.send(new GetApisCommand({}))).Items!.some((a) => a.Name === 'mocked'))
    const imported = await client.send(new ImportApiCommand({ Body: body }))
    assert.deepEqual(imported.Warnings, [warning])
    assert.equal((await client.send(new GetIntegrationsCommand({ ApiId: imported.ApiId }))).Items!.length, 0)
    assert.equal((await client.send(new GetIntegrationsCommand({ ApiId: api.ApiId }))).Items!.length, 0)
  })
})
