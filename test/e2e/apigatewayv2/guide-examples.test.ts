// HTTP APIs as the developer guide's examples use them, checked against what the guide says they do:
// the parameter mapping examples (add a header, rename one, change the response by status code, and
// remove mappings again with UpdateIntegration's empty values); the API reference's error bodies
// (`message`, the wire name of the error shapes' Message member); the 10 MB payload quota; the stages
// guide's stage variables naming a Lambda integration's function and its alias; the Lambda authorizer
// guide's two example functions (simple response and IAM policy, contexts with arrays and maps); the
// OpenAPI extension examples' `$default` route with a numeric `payloadFormatVersion: 1.0`, and the AWS
// variables for OpenAPI import.
import assert from 'node:assert/strict'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import {
  CreateApiCommand, CreateAuthorizerCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, GetIntegrationsCommand, GetRoutesCommand,
  ImportApiCommand, UpdateIntegrationCommand,
} from '@aws-sdk/client-apigatewayv2'
import { CreateAliasCommand, GetFunctionCommand, PublishVersionCommand } from '@aws-sdk/client-lambda'
import { apiGatewayV2Client, invokeHttpApi } from '../../helpers/apigatewayv2.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest, signedBy } from '../../helpers/raw-http.ts'

const nimbus = useNimbus()

let backend: Server
let base = ''
const seen: IncomingHttpHeaders[] = []

before(async () => {
  // Answers 500 for /fail, 404 for /missing, else 200, and records the headers it got.
  backend = createServer((req, res) => {
    seen.push(req.headers)
    req.resume()
    req.on('end', () => {
      res.writeHead(req.url?.startsWith('/fail') === true ? 500 : req.url?.startsWith('/missing') === true ? 404 : 200, { 'content-type': 'application/json' })
      res.end('{}')
    })
  })
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`
})

after(async () => {
  backend.closeAllConnections()
  await new Promise((resolve) => backend.close(resolve))
})

describe('the parameter mapping guide\'s examples', () => {
  it('adds and renames request headers, changes the response by status, and UpdateIntegration removes mappings given empty values', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const api = await client.send(new CreateApiCommand({ Name: uniqueName('mapping'), ProtocolType: 'HTTP' }))
    const apiId = api.ApiId!
    const integration = await client.send(new CreateIntegrationCommand({
      ApiId: apiId, IntegrationType: 'HTTP_PROXY', PayloadFormatVersion: '1.0', IntegrationUri: `${base}/{proxy}`, IntegrationMethod: 'ANY',
      RequestParameters: { 'append:header.header1': '$context.requestId', 'append:header.header2': '$request.header.old', 'remove:header.old': "''" },
      ResponseParameters: {
        500: { 'append:header.header1': '$context.requestId', 'overwrite:statuscode': '403' },
        404: { 'append:header.error': '$stageVariables.environmentId' },
      },
    }))
    await client.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'ANY /{proxy+}', Target: `integrations/${integration.IntegrationId}` }))
    await client.send(new CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true, StageVariables: { environmentId: 'env-1' } }))

    const ok = await invokeHttpApi(nimbus.current, apiId, '/ok', { headers: { old: 'renamed' } })
    assert.equal(ok.status, 200)
    const got = seen.at(-1)!
    assert.equal(got['header1'], ok.headers['apigw-requestid'])
    assert.equal(got['header2'], 'renamed')
    assert.equal(got['old'], undefined)
    const failed = await invokeHttpApi(nimbus.current, apiId, '/fail')
    assert.equal(failed.status, 403)
    assert.equal(failed.headers['header1'], failed.headers['apigw-requestid'])
    const missing = await invokeHttpApi(nimbus.current, apiId, '/missing')
    assert.equal(missing.status, 404)
    assert.equal(missing.headers['error'], 'env-1')

    // "Remove configured parameter mappings": an empty value drops that key, an empty map that status; the rest stays.
    const updated = await client.send(new UpdateIntegrationCommand({
      ApiId: apiId, IntegrationId: integration.IntegrationId, RequestParameters: { 'append:header.header1': '' }, ResponseParameters: { 500: {} },
    }))
    assert.deepEqual(updated.RequestParameters, { 'append:header.header2': '$request.header.old', 'remove:header.old': "''" })
    assert.deepEqual(updated.ResponseParameters, { 404: { 'append:header.error': '$stageVariables.environmentId' } })
    await invokeHttpApi(nimbus.current, apiId, '/ok', { headers: { old: 'again' } })
    assert.equal(seen.at(-1)!['header1'], undefined)
    assert.equal(seen.at(-1)!['header2'], 'again')
    const unmapped = await invokeHttpApi(nimbus.current, apiId, '/fail')
    assert.equal(unmapped.status, 500)
    assert.equal(unmapped.headers['header1'], undefined)
    assert.equal((await invokeHttpApi(nimbus.current, apiId, '/missing')).headers['error'], 'env-1')
  })
})

describe('the API reference\'s errors', () => {
  it('sends NotFoundException, BadRequestException and ConflictException bodies with `message`, as the error shapes name it', async () => {
    const get = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: '/v2/apis/nope', headers: signedBy('apigateway') })
    assert.equal(get.status, 404)
    assert.equal(get.headers['x-amzn-errortype'], 'NotFoundException')
    assert.deepEqual(JSON.parse(get.body), { message: 'Invalid API identifier specified nope' })
    const bad = await rawRequest(nimbus.current.endpoint, {
      path: '/v2/apis', headers: { ...signedBy('apigateway'), 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x', protocolType: 'SOAP' }),
    })
    assert.equal(bad.status, 400)
    assert.equal(bad.headers['x-amzn-errortype'], 'BadRequestException')
    assert.equal(typeof (JSON.parse(bad.body) as { message?: unknown }).message, 'string')
    const client = apiGatewayV2Client(nimbus.current)
    const api = await client.send(new CreateApiCommand({ Name: uniqueName('errors'), ProtocolType: 'HTTP' }))
    const route = () => rawRequest(nimbus.current.endpoint, {
      path: `/v2/apis/${api.ApiId}/routes`, headers: { ...signedBy('apigateway'), 'content-type': 'application/json' }, body: JSON.stringify({ routeKey: 'GET /x' }),
    })
    assert.equal((await route()).status, 201)
    const conflict = await route()
    assert.equal(conflict.status, 409)
    assert.deepEqual(JSON.parse(conflict.body), { message: 'Route with key GET /x already exists for this API' })
  })
})

describe('the HTTP API quotas', () => {
  it('refuses a payload over 10 MB with 413 before any route runs, and keeps serving', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const api = await client.send(new CreateApiCommand({ Name: uniqueName('quota'), ProtocolType: 'HTTP', Target: base }))
    const big = await invokeHttpApi(nimbus.current, api.ApiId!, '/upload', { method: 'POST', body: Buffer.alloc(10 * 1024 * 1024 + 1) })
    assert.equal(big.status, 413)
    assert.equal(big.text, 'HTTP content length exceeded 10485760 bytes.')
    // Past what Nimbus buffers at all (16 MiB), still the HTTP API's own 413, named by apigw-requestid alone.
    const huge = await invokeHttpApi(nimbus.current, api.ApiId!, '/upload', { method: 'POST', body: Buffer.alloc(17 * 1024 * 1024) })
    assert.equal(huge.status, 413)
    assert.equal(huge.text, 'HTTP content length exceeded 10485760 bytes.')
    assert.equal(typeof huge.headers['apigw-requestid'], 'string')
    assert.equal(huge.headers['x-amzn-requestid'], undefined)
    const fits = await invokeHttpApi(nimbus.current, api.ApiId!, '/upload', { method: 'POST', body: Buffer.alloc(1024 * 1024) })
    assert.equal(fits.status, 200)
  })
})

describe('the stages guide\'s stage variables', () => {
  it('names a Lambda integration\'s function and its alias by stage variables, per stage', async () => {
    const lambda = lambdaClient(nimbus.current)
    const source = (tag: string) => `exports.handler = async (e, ctx) => ({ statusCode: 200, body: '${tag} ' + ctx.invokedFunctionArn })`
    const first = await createFunction(lambda, source('first'))
    const second = await createFunction(lambda, source('second'))
    const { Version } = await lambda.send(new PublishVersionCommand({ FunctionName: second }))
    await lambda.send(new CreateAliasCommand({ FunctionName: second, Name: 'live', FunctionVersion: Version }))
    const client = apiGatewayV2Client(nimbus.current)
    const api = await client.send(new CreateApiCommand({ Name: uniqueName('stagevars'), ProtocolType: 'HTTP' }))
    const byName = await client.send(new CreateIntegrationCommand({
      ApiId: api.ApiId, IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0',
      IntegrationUri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:${stageVariables.fn}/invocations',
    }))
    const byAlias = await client.send(new CreateIntegrationCommand({
      ApiId: api.ApiId, IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0',
      IntegrationUri: `arn:aws:lambda:us-east-1:000000000000:function:${second}:\${stageVariables.alias}`,
    }))
    await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /name', Target: `integrations/${byName.IntegrationId}` }))
    await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /alias', Target: `integrations/${byAlias.IntegrationId}` }))
    await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'one', AutoDeploy: true, StageVariables: { fn: first, alias: 'live' } }))
    await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'two', AutoDeploy: true, StageVariables: { fn: second, alias: 'live' } }))
    assert.equal((await invokeHttpApi(nimbus.current, api.ApiId!, '/one/name')).text, `first arn:aws:lambda:us-east-1:000000000000:function:${first}`)
    assert.equal((await invokeHttpApi(nimbus.current, api.ApiId!, '/two/name')).text, `second arn:aws:lambda:us-east-1:000000000000:function:${second}`)
    assert.equal((await invokeHttpApi(nimbus.current, api.ApiId!, '/one/alias')).text, `second arn:aws:lambda:us-east-1:000000000000:function:${second}:live`)
  })
})

// The guide's example authorizers ("Example Lambda authorizer functions"), as written.
const guideContext = '{ "stringKey": "value", "numberKey": 1, "booleanKey": true, "arrayKey": ["value1", "value2"], "mapKey": { "value1": "value2" } }'
const simpleAuthorizer = `exports.handler = async(event) => {
    let response = { "isAuthorized": false, "context": ${guideContext} };
    if (event.headers.authorization === "secretToken") {
        response = { "isAuthorized": true, "context": ${guideContext} };
    }
    return response;
};`
const policyAuthorizer = `exports.handler = async(event) => {
  const effect = event.headers.authorization == "secretToken" ? "Allow" : "Deny";
  return {
    "principalId": "abcdef",
    "policyDocument": { "Version": "2012-10-17", "Statement": [{ "Action": "execute-api:Invoke", "Effect": effect, "Resource": event.routeArn }] },
    "context": ${guideContext}
  };
};`

describe('the Lambda authorizer guide\'s example functions', () => {
  it('allows secretToken and passes the context on whole, arrays and maps included, for the simple and the IAM policy answers', async () => {
    const lambda = lambdaClient(nimbus.current)
    const arnOf = async (source: string) =>
      (await lambda.send(new GetFunctionCommand({ FunctionName: await createFunction(lambda, source) }))).Configuration!.FunctionArn!
    const echo = await arnOf('exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify(e.requestContext.authorizer) })')
    const client = apiGatewayV2Client(nimbus.current)
    const api = await client.send(new CreateApiCommand({ Name: uniqueName('authorizers'), ProtocolType: 'HTTP' }))
    const integration = await client.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: echo, PayloadFormatVersion: '2.0' }))
    for (const [path, source, simple] of [['/simple', simpleAuthorizer, true], ['/policy', policyAuthorizer, false]] as const) {
      const authorizer = await client.send(new CreateAuthorizerCommand({
        ApiId: api.ApiId, AuthorizerType: 'REQUEST', Name: path.slice(1), IdentitySource: ['$request.header.Authorization'],
        AuthorizerUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${await arnOf(source)}/invocations`,
        AuthorizerPayloadFormatVersion: '2.0', EnableSimpleResponses: simple,
      }))
      await client.send(new CreateRouteCommand({
        ApiId: api.ApiId, RouteKey: `GET ${path}`, Target: `integrations/${integration.IntegrationId}`, AuthorizationType: 'CUSTOM', AuthorizerId: authorizer.AuthorizerId,
      }))
    }
    await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }))
    for (const path of ['/simple', '/policy']) {
      const allowed = await invokeHttpApi(nimbus.current, api.ApiId!, path, { headers: { authorization: 'secretToken' } })
      assert.equal(allowed.status, 200, path)
      assert.deepEqual(allowed.json(), { lambda: JSON.parse(guideContext) }, path)
      const denied = await invokeHttpApi(nimbus.current, api.ApiId!, path, { headers: { authorization: 'other' } })
      assert.equal(denied.status, 403, path)
      assert.deepEqual(denied.json(), { message: 'Forbidden' })
      const missing = await invokeHttpApi(nimbus.current, api.ApiId!, path)
      assert.equal(missing.status, 401, path)
      assert.deepEqual(missing.json(), { message: 'Unauthorized' })
    }
  })
})

describe('the OpenAPI extension examples', () => {
  it('imports a `/$default` any-method route, payload format versions written as numbers (JSON 1.0, YAML 2.0) and AWS variables', async () => {
    const lambda = lambdaClient(nimbus.current)
    const hello = (await lambda.send(new GetFunctionCommand({ FunctionName: await createFunction(lambda,
      'exports.handler = async (e) => ({ statusCode: 200, body: e.version + " " + (e.resource ?? e.routeKey) })') }))).Configuration!.FunctionArn!
    // The AWS variables for OpenAPI import resolve for HTTP APIs too.
    const name = hello.split(':').at(-1)!
    const uri = `arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/arn:aws:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${name}/invocations`
    const client = apiGatewayV2Client(nimbus.current)
    const json = JSON.stringify({
      openapi: '3.0.1', info: { title: uniqueName('default-route'), version: '1.0' },
      paths: { '/$default': { 'x-amazon-apigateway-any-method': { isDefaultRoute: true, 'x-amazon-apigateway-integration': {
        type: 'AWS_PROXY', httpMethod: 'POST', uri, timeoutInMillis: 1000, connectionType: 'INTERNET', payloadFormatVersion: 1.0,
      } } } },
    }).replace('"payloadFormatVersion":1', '"payloadFormatVersion":1.0')
    assert.match(json, /"payloadFormatVersion":1\.0/)
    const imported = await client.send(new ImportApiCommand({ Body: json }))
    const integrations = await client.send(new GetIntegrationsCommand({ ApiId: imported.ApiId }))
    assert.deepEqual(integrations.Items?.map((i) => [i.IntegrationType, i.PayloadFormatVersion, i.TimeoutInMillis]), [['AWS_PROXY', '1.0', 1000]])
    assert.equal(integrations.Items?.[0]?.IntegrationUri, `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${hello}/invocations`)
    assert.deepEqual((await client.send(new GetRoutesCommand({ ApiId: imported.ApiId }))).Items?.map((r) => r.RouteKey), ['$default'])
    await client.send(new CreateStageCommand({ ApiId: imported.ApiId, StageName: '$default', AutoDeploy: true }))
    assert.equal((await invokeHttpApi(nimbus.current, imported.ApiId!, '/anything')).text, '1.0 $default')

    const yaml = [
      'openapi: 3.0.1', 'info:', `  title: ${uniqueName('yaml')}`, '  version: "1.0"', 'paths:', '  /hello:', '    get:',
      '      x-amazon-apigateway-integration:', '        type: aws_proxy', '        httpMethod: POST', `        uri: ${uri}`, '        payloadFormatVersion: 2.0', '',
    ].join('\n')
    const fromYaml = await client.send(new ImportApiCommand({ Body: yaml }))
    assert.deepEqual((await client.send(new GetIntegrationsCommand({ ApiId: fromYaml.ApiId }))).Items?.map((i) => i.PayloadFormatVersion), ['2.0'])
    await client.send(new CreateStageCommand({ ApiId: fromYaml.ApiId, StageName: '$default', AutoDeploy: true }))
    assert.equal((await invokeHttpApi(nimbus.current, fromYaml.ApiId!, '/hello')).text, '2.0 GET /hello')
  })
})
