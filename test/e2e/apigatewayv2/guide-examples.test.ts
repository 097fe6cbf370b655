// HTTP APIs as the developer guide's examples use them, checked against what the guide says they do:
// the parameter mapping examples (add a header, rename one, change the response by status code, and
// remove mappings again with UpdateIntegration's empty values); the API reference's error bodies
// (`message`, the wire name of the error shapes' Message member); the 10 MB payload quota; the stages
// guide's stage variables naming a Lambda integration's function and its alias.
import assert from 'node:assert/strict'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, UpdateIntegrationCommand } from '@aws-sdk/client-apigatewayv2'
import { CreateAliasCommand, PublishVersionCommand } from '@aws-sdk/client-lambda'
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
