// HTTP APIs walked as the developer guide shows them to a new user: quick create with the AWS CLI
// (`create-api --target`), the Lambda proxy payload formats 2.0 and 1.0 as "Create AWS Lambda proxy
// integrations for HTTP APIs" prints them (duplicate headers and query strings, cookies, the body and
// `isBase64Encoded`), the access logging guide's JSON log format, and `export-api` of the result.
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2'
import { CreateLogGroupCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { apiGatewayV2Client, invokeHttpApi } from '../../../helpers/apigatewayv2.ts'
import { awsCli } from '../../../helpers/aws-cli.ts'
import { createFunction, lambdaClient } from '../../../helpers/lambda.ts'
import { logsClient } from '../../../helpers/logs.ts'
import { uniqueName, useNimbus } from '../../../helpers/nimbus.ts'

const nimbus = useNimbus()

// An HTTP backend recording what reached it: path (with query) and headers; /teapot answers 418.
let backend = ''
const seen: { url: string; headers: IncomingHttpHeaders }[] = []
const server = createServer((req, res) => {
  seen.push({ url: req.url ?? '', headers: req.headers })
  req.resume()
  req.on('end', () => {
    res.writeHead(req.url?.startsWith('/teapot') === true ? 418 : 200, { 'content-type': 'application/json', 'x-backend': 'yes' })
    res.end('{}')
  })
})
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  backend = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
after(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

/** Answers with the event it got, as the guide's examples print events. */
const echo = `exports.handler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) })`

async function echoArn(): Promise<string> {
  const lambda = lambdaClient(nimbus.current)
  const name = await createFunction(lambda, echo)
  return (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.FunctionArn!
}

type Event = Record<string, unknown> & { headers: Record<string, string>; requestContext: Record<string, unknown> }

describe('HTTP API tutorials, walked', { timeout: 60_000 }, () => {
  it('quick create (aws apigatewayv2 create-api --target): a $default route, a 2.0 Lambda proxy integration and an auto-deployed $default stage', async () => {
    const arn = await echoArn()
    const api = await awsCli<Record<string, unknown>>(nimbus.current, 'apigatewayv2', 'create-api', '--name', 'my-api', '--protocol-type', 'HTTP', '--target', arn)
    const apiId = api['ApiId'] as string
    assert.equal(api['ProtocolType'], 'HTTP')
    assert.equal(api['RouteSelectionExpression'], '${request.method} ${request.path}')
    assert.equal(api['ApiKeySelectionExpression'], '$request.header.x-api-key')
    assert.equal(api['DisableExecuteApiEndpoint'], false)
    assert.match(api['ApiEndpoint'] as string, new RegExp(`^http://${apiId}\\.execute-api\\.localhost:\\d+$`))
    const routes = await awsCli<{ Items: Record<string, unknown>[] }>(nimbus.current, 'apigatewayv2', 'get-routes', '--api-id', apiId)
    const integrations = await awsCli<{ Items: Record<string, unknown>[] }>(nimbus.current, 'apigatewayv2', 'get-integrations', '--api-id', apiId)
    const stages = await awsCli<{ Items: Record<string, unknown>[] }>(nimbus.current, 'apigatewayv2', 'get-stages', '--api-id', apiId)
    assert.equal(routes.Items.length, 1)
    assert.equal(integrations.Items.length, 1)
    assert.equal(stages.Items.length, 1)
    const [route] = routes.Items
    const [integration] = integrations.Items
    const [stage] = stages.Items
    assert.equal(route!['RouteKey'], '$default')
    assert.equal(route!['ApiGatewayManaged'], true)
    assert.equal(route!['Target'], `integrations/${integration!['IntegrationId'] as string}`)
    assert.deepEqual({ ...integration, IntegrationId: 'id' }, {
      ApiGatewayManaged: true, ConnectionType: 'INTERNET', IntegrationId: 'id', IntegrationMethod: 'POST', IntegrationType: 'AWS_PROXY',
      IntegrationUri: arn, PayloadFormatVersion: '2.0', TimeoutInMillis: 30000,
    })
    assert.equal(stage!['StageName'], '$default')
    assert.equal(stage!['AutoDeploy'], true)
    assert.equal(stage!['ApiGatewayManaged'], true)
    // The function answers at the API's root and any path, every method.
    const res = await invokeHttpApi(nimbus.current, apiId, '/anything/here', { method: 'DELETE' })
    assert.equal(res.status, 200)
    assert.equal((res.json() as Event)['routeKey'], '$default')
  })

  it("payload 2.0 as the guide prints it: duplicate headers and query strings joined with commas, cookies apart, rawPath and rawQueryString", async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const arn = await echoArn()
    const { ApiId } = await client.send(new CreateApiCommand({ Name: uniqueName('payload'), ProtocolType: 'HTTP', Target: arn })) as { ApiId: string }
    const res = await invokeHttpApi(nimbus.current, ApiId, '/my/path?parameter1=value1&parameter1=value2&parameter2=value', {
      method: 'POST', headers: { header1: 'value1', header2: ['value1', 'value2'], cookie: 'cookie1=a; cookie2=b', 'content-type': 'text/plain' },
      body: 'Hello from Lambda',
    })
    assert.equal(res.status, 200)
    const event = res.json() as Event
    assert.equal(event['version'], '2.0')
    assert.equal(event['routeKey'], '$default')
    assert.equal(event['rawPath'], '/my/path')
    assert.equal(event['rawQueryString'], 'parameter1=value1&parameter1=value2&parameter2=value')
    assert.deepEqual(event['cookies'], ['cookie1=a', 'cookie2=b'])
    assert.equal(event.headers['header1'], 'value1')
    assert.equal(event.headers['header2'], 'value1,value2')
    assert.equal(event.headers['cookie'], undefined)
    assert.deepEqual(event['queryStringParameters'], { parameter1: 'value1,value2', parameter2: 'value' })
    assert.equal(event['body'], 'Hello from Lambda')
    assert.equal(event['isBase64Encoded'], false)
    assert.equal(event['multiValueHeaders'], undefined)
    const http = event.requestContext['http'] as Record<string, unknown>
    assert.deepEqual({ ...http, userAgent: 'x' }, { method: 'POST', path: '/my/path', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'x' })
    assert.equal(event.requestContext['stage'], '$default')
    assert.match(event.requestContext['time'] as string, /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/)
  })

  it('payload 1.0 as the guide prints it: headers keep the last value, multiValueHeaders and multiValueQueryStringParameters each one', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const arn = await echoArn()
    const { ApiId } = await client.send(new CreateApiCommand({ Name: uniqueName('payload1'), ProtocolType: 'HTTP' })) as { ApiId: string }
    const { IntegrationId } = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: arn, PayloadFormatVersion: '1.0' }))
    await client.send(new CreateRouteCommand({ ApiId, RouteKey: 'POST /my/{name}', Target: `integrations/${IntegrationId}` }))
    await client.send(new CreateStageCommand({ ApiId, StageName: '$default', AutoDeploy: true }))
    const res = await invokeHttpApi(nimbus.current, ApiId, '/my/path?parameter1=value1&parameter1=value2&parameter2=value', {
      method: 'POST', headers: { header1: 'value1', header2: ['value1', 'value2'], 'content-type': 'application/json' }, body: '{"a":1}',
    })
    assert.equal(res.status, 200)
    const event = res.json() as Event
    assert.equal(event['version'], '1.0')
    assert.equal(event['resource'], '/my/{name}')
    assert.equal(event['path'], '/my/path')
    assert.equal(event['httpMethod'], 'POST')
    assert.equal(event.headers['header2'], 'value2')
    const multi = event['multiValueHeaders'] as Record<string, string[]>
    assert.deepEqual(multi['header1'], ['value1'])
    assert.deepEqual(multi['header2'], ['value1', 'value2'])
    assert.deepEqual(event['multiValueQueryStringParameters'], { parameter1: ['value1', 'value2'], parameter2: ['value'] })
    assert.deepEqual(event['pathParameters'], { name: 'path' })
    assert.equal(event['body'], '{"a":1}')
    assert.equal(event['isBase64Encoded'], false)
  })

  it('a form or a body without Content-Type reaches the function base64-encoded; JSON, XML and text/* as they are', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const arn = await echoArn()
    const { ApiId } = await client.send(new CreateApiCommand({ Name: uniqueName('bodies'), ProtocolType: 'HTTP', Target: arn })) as { ApiId: string }
    const body = async (headers: Record<string, string>, text: string) => {
      const event = (await invokeHttpApi(nimbus.current, ApiId, '/', { method: 'POST', headers, body: text })).json() as Event
      return [event['body'], event['isBase64Encoded']]
    }
    const b64 = (text: string) => Buffer.from(text).toString('base64')
    assert.deepEqual(await body({ 'content-type': 'application/x-www-form-urlencoded' }, 'a=1&b=2'), [b64('a=1&b=2'), true])
    assert.deepEqual(await body({}, 'raw'), [b64('raw'), true])
    assert.deepEqual(await body({ 'content-type': 'application/octet-stream' }, 'bytes'), [b64('bytes'), true])
    assert.deepEqual(await body({ 'content-type': 'multipart/form-data; boundary=x' }, '--x--'), [b64('--x--'), true])
    assert.deepEqual(await body({ 'content-type': 'application/json' }, '{"a":1}'), ['{"a":1}', false])
    assert.deepEqual(await body({ 'content-type': 'application/xml' }, '<a/>'), ['<a/>', false])
    assert.deepEqual(await body({ 'content-type': 'text/csv; charset=utf-8' }, 'a,b'), ['a,b', false])
  })

  it("writes the access logging guide's JSON format to CloudWatch Logs, and export-api describes the API", async () => {
    const arn = await echoArn()
    const logs = logsClient(nimbus.current)
    const group = uniqueName('/http-api/access')
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }))
    const api = await awsCli<{ ApiId: string }>(nimbus.current, 'apigatewayv2', 'create-api', '--name', 'logged', '--protocol-type', 'HTTP', '--target', arn)
    const format = '{ "requestId":"$context.requestId", "ip": "$context.identity.sourceIp", "requestTime":"$context.requestTime", "httpMethod":"$context.httpMethod","routeKey":"$context.routeKey", "status":"$context.status","protocol":"$context.protocol", "responseLength":"$context.responseLength" }'
    const updated = await awsCli<{ AccessLogSettings: Record<string, string> }>(nimbus.current, 'apigatewayv2', 'update-stage', '--api-id', api.ApiId,
      '--stage-name', '$default', '--access-log-settings', JSON.stringify({ DestinationArn: `arn:aws:logs:us-east-1:000000000000:log-group:${group}`, Format: format }))
    assert.equal(updated.AccessLogSettings['Format'], format)
    const res = await invokeHttpApi(nimbus.current, api.ApiId, '/pets?x=1')
    assert.equal(res.status, 200)
    const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: group }))
    assert.equal(events?.length, 1)
    const line = JSON.parse(events![0]!.message!) as Record<string, string>
    assert.equal(line['requestId'], res.headers['apigw-requestid'])
    assert.deepEqual({ ...line, requestId: 'id', requestTime: 't' }, {
      requestId: 'id', ip: '127.0.0.1', requestTime: 't', httpMethod: 'GET', routeKey: '$default', status: '200', protocol: 'HTTP/1.1',
      responseLength: String(res.body.length),
    })
    // The export the guide shows: OpenAPI 3.0.1 with the integration as an x-amazon-apigateway-integration.
    const file = join(mkdtempSync(join(tmpdir(), 'export-')), 'stage-definitions.json')
    await awsCli(nimbus.current, 'apigatewayv2', 'export-api', '--api-id', api.ApiId, '--output-type', 'JSON', '--specification', 'OAS30', file)
    const exported = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
    rmSync(dirname(file), { recursive: true })
    assert.equal(exported['openapi'], '3.0.1')
    assert.equal((exported['info'] as Record<string, unknown>)['title'], 'logged')
    const path = (exported['paths'] as Record<string, Record<string, Record<string, unknown>>>)['/$default']!
    assert.deepEqual(path['x-amazon-apigateway-any-method']!['x-amazon-apigateway-integration'], {
      type: 'aws_proxy', uri: arn, httpMethod: 'POST', payloadFormatVersion: '2.0', connectionType: 'INTERNET', timeoutInMillis: 30000,
    })
  })

  it('parameter mapping as the guide describes it: a repeated header read as "value1,value2", append:querystring, overwrite:path, overwrite:statuscode', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const { ApiId } = await client.send(new CreateApiCommand({ Name: uniqueName('mapping'), ProtocolType: 'HTTP' }))
    const { IntegrationId } = await client.send(new CreateIntegrationCommand({
      ApiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'ANY', PayloadFormatVersion: '1.0', IntegrationUri: backend,
      RequestParameters: {
        'append:header.copied': '$request.header.header1', 'append:querystring.from': '$request.querystring.q',
        'overwrite:header.route': '${context.routeKey} ${request.path.name}', 'overwrite:path': '/${request.path.name}',
      },
    }))
    await client.send(new CreateRouteCommand({ ApiId, RouteKey: 'GET /things/{name}', Target: `integrations/${IntegrationId}` }))
    await client.send(new CreateStageCommand({ ApiId, StageName: '$default', AutoDeploy: true }))
    seen.length = 0
    const res = await invokeHttpApi(nimbus.current, ApiId!, '/things/widget?q=a&q=b', { headers: { header1: ['value1', 'value2'] } })
    assert.equal(res.status, 200)
    assert.equal(seen.length, 1)
    const [call] = seen
    assert.equal(call!.headers['copied'], 'value1,value2')
    assert.equal(call!.headers['route'], 'GET /things/{name} widget')
    const url = new URL(call!.url, 'http://x')
    assert.equal(url.pathname, '/widget')
    assert.deepEqual(url.searchParams.getAll('from'), ['a,b'])
    // The backend's 418 becomes a 200 carrying the backend's header under another name.
    const teapot = await client.send(new CreateIntegrationCommand({
      ApiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'ANY', PayloadFormatVersion: '1.0', IntegrationUri: `${backend}/teapot`,
      ResponseParameters: { 418: { 'overwrite:statuscode': '200', 'append:header.was': '$response.header.x-backend' } },
    }))
    await client.send(new CreateRouteCommand({ ApiId, RouteKey: 'GET /teapot', Target: `integrations/${teapot.IntegrationId}` }))
    const brewed = await invokeHttpApi(nimbus.current, ApiId!, '/teapot')
    assert.equal(brewed.status, 200)
    assert.equal(brewed.headers['was'], 'yes')
  })
})
