// API Gateway as its API reference and developer guide document it: PutIntegration's checks of the
// integration `uri` (an http(s) URL for HTTP types, an apigateway ARN with path/action for AWS
// types, Lambda or Firehose only for AWS_PROXY) on PutIntegration and on an OpenAPI import; the
// `lambda:path//2015-03-31/…` form the calculator tutorial writes; the gateway's own 403 answers.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateResourceCommand, CreateRestApiCommand, GetResourcesCommand, ImportRestApiCommand, PutIntegrationCommand, PutMethodCommand,
} from '@aws-sdk/client-api-gateway'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { apiGatewayClient, createApi, createPath, deploy, invoke, mockMethod, nonProxyMethod } from '../../helpers/apigateway.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()

describe('PutIntegration uri checks', () => {
  it('answers BadRequestException with AWS\'s messages for a bad HTTP URL, an ARN without path/action and AWS_PROXY to another service', async () => {
    const client = apiGatewayClient(nimbus.current)
    const { id: restApiId } = await client.send(new CreateRestApiCommand({ name: uniqueName('uris') }))
    const root = (await client.send(new GetResourcesCommand({ restApiId }))).items!.find((r) => r.path === '/')!
    const { id: resourceId } = await client.send(new CreateResourceCommand({ restApiId, parentId: root.id, pathPart: 'items' }))
    await client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod: 'POST', authorizationType: 'NONE' }))
    const put = (type: 'HTTP' | 'HTTP_PROXY' | 'AWS' | 'AWS_PROXY', uri: string) =>
      client.send(new PutIntegrationCommand({ restApiId, resourceId, httpMethod: 'POST', type, integrationHttpMethod: 'POST', uri }))
    const refused = async (type: 'HTTP' | 'HTTP_PROXY' | 'AWS' | 'AWS_PROXY', uri: string) => {
      const e = await sdkError(put(type, uri))
      return [e.name, e.status, e.message]
    }
    assert.deepEqual(await refused('HTTP', 'example.com/items'), ['BadRequestException', 400, 'Invalid HTTP endpoint specified for URI'])
    assert.deepEqual(await refused('HTTP_PROXY', 'ftp://example.com/'), ['BadRequestException', 400, 'Invalid HTTP endpoint specified for URI'])
    assert.deepEqual(await refused('AWS', 'arn:aws:lambda:us-east-1:000000000000:function:f'), ['BadRequestException', 400, 'Invalid ARN specified in the request'])
    assert.deepEqual(await refused('AWS', 'arn:aws:apigateway:us-east-1:sqs:000000000000/queue'),
      ['BadRequestException', 400, 'AWS ARN for integration must contain path or action'])
    assert.deepEqual(await refused('AWS_PROXY', 'arn:aws:apigateway:us-east-1:sqs:path/000000000000/queue'), ['BadRequestException', 400,
      "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations."])
    // What the guide's examples use is accepted: URLs (stage variables too), action and path ARNs, Lambda for AWS_PROXY.
    assert.equal((await put('HTTP', 'https://${stageVariables.host}/items')).uri, 'https://${stageVariables.host}/items')
    assert.equal((await put('HTTP_PROXY', 'http://petstore-demo-endpoint.execute-api.com/petstore/pets')).type, 'HTTP_PROXY')
    assert.equal((await put('AWS', 'arn:aws:apigateway:us-east-1:kinesis:action/PutRecord')).type, 'AWS')
    assert.equal((await put('AWS', 'arn:aws:apigateway:us-east-1:my-bucket.s3:path/key')).type, 'AWS')
    const lambda = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:f/invocations'
    assert.equal((await put('AWS_PROXY', lambda)).uri, lambda)
  })

  it('refuses an OpenAPI import whose HTTP integration has no usable URL, as AWS words import errors', async () => {
    const client = apiGatewayClient(nimbus.current)
    const body = JSON.stringify({ openapi: '3.0.1', info: { title: uniqueName('bad-uri'), version: '1' }, paths: { '/': { get: {
      responses: { 200: { description: 'ok' } },
      'x-amazon-apigateway-integration': { type: 'http_proxy', httpMethod: 'GET', uri: 'not a url' } } } } })
    const e = await sdkError(client.send(new ImportRestApiCommand({ body: Buffer.from(body) })))
    assert.deepEqual([e.name, e.status, e.message], ['BadRequestException', 400,
      "Errors found during import:\n\tUnable to put integration on 'GET' for resource at path '/': Invalid HTTP endpoint specified for URI"])
  })
})

describe('the gateway\'s own answers', () => {
  it('answers an unknown path and an undefined method with 403 Missing Authentication Token, on both URL forms', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    await mockMethod(client, api.id, await createPath(client, api, '/pets'), 'GET', 200, '{"ok": true}')
    await deploy(client, api.id, 'dev')
    for (const form of ['host', 'path'] as const) {
      const ok = await invoke(nimbus.current, form, api.id, 'dev', '/pets')
      assert.deepEqual([ok.status, ok.json()], [200, { ok: true }])
      for (const [method, path] of [['GET', '/nowhere'], ['DELETE', '/pets']]) {
        const missing = await invoke(nimbus.current, form, api.id, 'dev', path!, { method })
        assert.equal(missing.status, 403)
        assert.deepEqual(missing.json(), { message: 'Missing Authentication Token' })
        assert.equal(missing.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException')
        assert.match(String(missing.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/)
      }
    }
  })
})

describe('the developer guide\'s Lambda URI forms', () => {
  it('invokes a function named by `lambda:path//2015-03-31/functions/…` (the calculator tutorial\'s form), non-proxy and proxy', async () => {
    const client = apiGatewayClient(nimbus.current)
    const lambda = lambdaClient(nimbus.current)
    const name = await createFunction(lambda, `exports.handler = async (event) => event.a !== undefined
      ? { c: event.a + event.b }
      : { statusCode: 200, body: JSON.stringify({ proxied: event.path }) }`)
    const arn = (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.FunctionArn!
    const uri = `arn:aws:apigateway:us-east-1:lambda:path//2015-03-31/functions/${arn}/invocations`
    const api = await createApi(client)
    await nonProxyMethod(client, { restApiId: api.id, resourceId: await createPath(client, api, '/calc'), httpMethod: 'POST' },
      { type: 'AWS', integrationHttpMethod: 'POST', uri }, [{ statusCode: '200' }])
    const proxy = await createPath(client, api, '/proxied')
    await client.send(new PutMethodCommand({ restApiId: api.id, resourceId: proxy, httpMethod: 'GET', authorizationType: 'NONE' }))
    await client.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: proxy, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri }))
    await deploy(client, api.id, 'test')
    const calc = await invoke(nimbus.current, 'path', api.id, 'test', '/calc', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a": 2, "b": 3}' })
    assert.deepEqual([calc.status, calc.json()], [200, { c: 5 }])
    const proxied = await invoke(nimbus.current, 'host', api.id, 'test', '/proxied')
    assert.deepEqual([proxied.status, proxied.json()], [200, { proxied: '/proxied' }])
  })
})
