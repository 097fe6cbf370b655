// API Gateway → Lambda proxy integration end to end: the payload 1.0 event as the function sees it
// (path parameters, multi-value query strings and headers, body, base64 binary, stage variables, the
// function picked by a stage variable),
// the response mapping, {proxy+}, both invoke URL forms, 502 on a malformed response or a function
// error, and the 29 s integration timeout stepped on the manual clock (504).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateResourceCommand } from '@aws-sdk/client-api-gateway'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { apiGatewayClient, createApi, createPath, deploy, invoke, lambdaProxyMethod } from '../../helpers/apigateway.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

/** A function answering with the event it received (as JSON) and a custom header. */
const echo = `exports.handler = async (event) => ({ statusCode: 200, headers: { 'X-Echo': 'yes' },
  multiValueHeaders: { 'X-Multi': ['a', 'b'] }, body: JSON.stringify(event) })`

async function functionArn(source: string, timeout?: number): Promise<string> {
  const lambda = lambdaClient(nimbus.current)
  const name = await createFunction(lambda, source, timeout === undefined ? {} : { Timeout: timeout })
  return (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.FunctionArn!
}

describe('API Gateway Lambda proxy integration', () => {
  it('passes the payload 1.0 event field by field and maps the response, in both URL forms', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client, { binaryMediaTypes: ['application/octet-stream'] })
    const resource = await createPath(client, api, '/pets/{petId}')
    await lambdaProxyMethod(client, api.id, resource, 'POST', await functionArn(echo))
    const deploymentId = await deploy(client, api.id, 'dev', { color: 'blue' })

    const hostForm = await invoke(nimbus.current, 'host', api.id, 'dev', '/pets/42?tag=a&tag=b&single=x', {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Repeat': ['one', 'two'], 'User-Agent': 'test-agent' },
      body: '{"name":"rex"}',
    })
    assert.equal(hostForm.status, 200)
    assert.equal(hostForm.headers['x-echo'], 'yes')
    assert.equal(hostForm.headers['x-multi'], 'a, b')
    assert.equal(hostForm.headers['content-type'], 'application/json')
    assert.match(String(hostForm.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/)
    assert.match(String(hostForm.headers['x-amz-apigw-id']), /^[A-Za-z0-9+/]{15}=$/)
    assert.match(String(hostForm.headers['x-amzn-trace-id']), /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Sampled=0$/)
    const event = hostForm.json() as Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(event.resource, '/pets/{petId}')
    assert.equal(event.path, '/pets/42')
    assert.equal(event.httpMethod, 'POST')
    assert.equal(event.headers['Content-Type'], 'application/json')
    assert.equal(event.headers['X-Repeat'], 'two', 'headers keeps a repeated header\'s last value')
    assert.deepEqual(event.multiValueHeaders['X-Repeat'], ['one', 'two'])
    assert.equal(event.headers['User-Agent'], 'test-agent')
    assert.match(event.headers['X-Amzn-Trace-Id'], /^Root=1-/)
    assert.equal(event.headers['X-Forwarded-For'], '127.0.0.1')
    assert.deepEqual(event.queryStringParameters, { tag: 'b', single: 'x' })
    assert.deepEqual(event.multiValueQueryStringParameters, { tag: ['a', 'b'], single: ['x'] })
    assert.deepEqual(event.pathParameters, { petId: '42' })
    assert.deepEqual(event.stageVariables, { color: 'blue' })
    assert.equal(event.body, '{"name":"rex"}')
    assert.equal(event.isBase64Encoded, false)
    const rc = event.requestContext
    assert.equal(rc.accountId, '000000000000')
    assert.equal(rc.apiId, api.id)
    assert.equal(rc.resourceId, resource)
    assert.equal(rc.resourcePath, '/pets/{petId}')
    assert.equal(rc.httpMethod, 'POST')
    assert.equal(rc.path, '/dev/pets/42')
    assert.equal(rc.stage, 'dev')
    assert.equal(rc.deploymentId, deploymentId)
    assert.equal(rc.requestId, hostForm.headers['x-amzn-requestid'])
    assert.equal(rc.extendedRequestId, hostForm.headers['x-amz-apigw-id'])
    assert.match(rc.requestTime, /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/)
    assert.equal(rc.requestTimeEpoch, nimbus.current.clock.now())
    assert.equal(rc.protocol, 'HTTP/1.1')
    assert.equal(rc.domainName, `${api.id}.execute-api.localhost`)
    assert.equal(rc.domainPrefix, api.id)
    assert.equal(rc.identity.sourceIp, '127.0.0.1')
    assert.equal(rc.identity.userAgent, 'test-agent')
    assert.equal(rc.identity.caller, null)

    const pathForm = await invoke(nimbus.current, 'path', api.id, 'dev', '/pets/7', { method: 'POST' })
    assert.equal(pathForm.status, 200)
    const second = pathForm.json() as Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual(second.pathParameters, { petId: '7' })
    assert.equal(second.queryStringParameters, null)
    assert.equal(second.multiValueQueryStringParameters, null)
    assert.equal(second.body, null)
    assert.equal(second.isBase64Encoded, false)
    // The path form names the API's invoke host, not the server's address, as AWS's events always do.
    assert.deepEqual([second.requestContext.domainName, second.requestContext.domainPrefix], [`${api.id}.execute-api.localhost`, api.id])
  })

  it('sends a binary body base64-encoded and decodes a base64 response for a binary media type', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client, { binaryMediaTypes: ['application/octet-stream'] })
    const resource = await createPath(client, api, '/blob')
    await lambdaProxyMethod(client, api.id, resource, 'PUT', await functionArn(`exports.handler = async (event) => ({ statusCode: 201,
      headers: { 'Content-Type': 'application/octet-stream' }, isBase64Encoded: true,
      body: Buffer.from(event.isBase64Encoded + ':' + event.body).toString('base64') })`))
    await deploy(client, api.id, 'v1')
    const bytes = Buffer.from([0, 1, 2, 250, 255])
    const res = await invoke(nimbus.current, 'path', api.id, 'v1', '/blob', {
      method: 'PUT', headers: { 'Content-Type': 'application/octet-stream', Accept: 'application/octet-stream' }, body: bytes,
    })
    assert.equal(res.status, 201)
    assert.equal(res.text, `true:${bytes.toString('base64')}`)
  })

  it('routes the most specific resource: a literal over {param} over {proxy+}, with ANY', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const fn = await functionArn('exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify([e.resource, e.pathParameters]) })')
    await lambdaProxyMethod(client, api.id, await createPath(client, api, '/{proxy+}'), 'ANY', fn)
    const items = await createPath(client, api, '/items')
    await lambdaProxyMethod(client, api.id, items, 'GET', fn)
    const item = (await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: items, pathPart: '{id}' }))).id!
    await lambdaProxyMethod(client, api.id, item, 'GET', fn)
    await deploy(client, api.id, 'prod')
    const get = async (path: string, method = 'GET') => (await invoke(nimbus.current, 'host', api.id, 'prod', path, { method })).json()
    assert.deepEqual(await get('/items'), ['/items', null])
    assert.deepEqual(await get('/items/9'), ['/items/{id}', { id: '9' }])
    assert.deepEqual(await get('/items/9/parts/x'), ['/{proxy+}', { proxy: 'items/9/parts/x' }])
    assert.deepEqual(await get('/other', 'DELETE'), ['/{proxy+}', { proxy: 'other' }])
    const root = await invoke(nimbus.current, 'host', api.id, 'prod', '/')
    assert.equal(root.status, 403, 'a greedy {proxy+} does not match the root')
    assert.deepEqual(root.json(), { message: 'Missing Authentication Token' })
    assert.equal(root.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException')
  })

  it('picks the function per stage from ${stageVariables.x} in the integration URI, on every request', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const one = await functionArn('exports.handler = async () => ({ statusCode: 200, body: "one" })')
    const two = await functionArn('exports.handler = async () => ({ statusCode: 200, body: "two" })')
    const name = (arn: string) => arn.slice(arn.lastIndexOf(':') + 1)
    // The literal `${stageVariables.fn}` in place of the function name, as SAM and the console write it.
    await lambdaProxyMethod(client, api.id, await createPath(client, api, '/which'), 'GET', one.replace(/[^:]+$/, '${stageVariables.fn}'))
    await deploy(client, api.id, 'a', { fn: name(one) })
    await deploy(client, api.id, 'b', { fn: name(two) })
    for (let i = 0; i < 2; i++) {
      assert.equal((await invoke(nimbus.current, 'host', api.id, 'a', '/which')).text, 'one')
      assert.equal((await invoke(nimbus.current, 'host', api.id, 'b', '/which')).text, 'two')
    }
  })

  it('passes a header and a query parameter named __proto__ like any other (not a 500)', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    await lambdaProxyMethod(client, api.id, await createPath(client, api, '/odd'), 'GET', await functionArn(echo))
    await deploy(client, api.id, 'dev')
    // An own "__proto__" key (an object literal's would set the prototype instead).
    const headers = JSON.parse('{"__proto__": "h1", "X-Other": "o"}') as Record<string, string>
    const res = await invoke(nimbus.current, 'host', api.id, 'dev', '/odd?__proto__=q1&__proto__=q2', { headers })
    assert.equal(res.status, 200)
    const event = JSON.parse(res.text, (_key, value: unknown) => value) as Record<string, Record<string, unknown>>
    const own = (map: Record<string, unknown> | undefined, name: string) => (map !== undefined && Object.hasOwn(map, name) ? map[name] : undefined)
    assert.equal(own(event.headers, '__proto__'), 'h1')
    assert.deepEqual(own(event.multiValueHeaders, '__proto__'), ['h1'])
    assert.equal(own(event.headers, 'X-Other'), 'o')
    assert.equal(own(event.queryStringParameters, '__proto__'), 'q2')
    assert.deepEqual(own(event.multiValueQueryStringParameters, '__proto__'), ['q1', 'q2'])
  })

  it('answers 502 Internal server error for a malformed response and for a function error', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const cases = {
      'no-status': 'exports.handler = async () => ({ body: "x" })',
      'object-body': 'exports.handler = async () => ({ statusCode: 200, body: { a: 1 } })',
      'extra-key': 'exports.handler = async () => ({ statusCode: 200, body: "x", foo: 1 })',
      'not-json-object': 'exports.handler = async () => "hello"',
      'throws': 'exports.handler = async () => { throw new Error("boom") }',
    }
    for (const [path, source] of Object.entries(cases)) {
      await lambdaProxyMethod(client, api.id, await createPath(client, api, `/${path}`), 'GET', await functionArn(source))
    }
    await deploy(client, api.id, 'dev')
    for (const path of Object.keys(cases)) {
      const res = await invoke(nimbus.current, 'path', api.id, 'dev', `/${path}`)
      assert.equal(res.status, 502, path)
      assert.deepEqual(res.json(), { message: 'Internal server error' }, path)
      assert.equal(res.headers['x-amzn-errortype'], 'InternalServerErrorException')
    }
  })

  it('answers 504 Endpoint request timed out once 29 s pass on the clock', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const fn = await functionArn('exports.handler = () => new Promise((resolve) => setTimeout(() => resolve({ statusCode: 200 }), 600000))', 120)
    await lambdaProxyMethod(client, api.id, await createPath(client, api, '/slow'), 'GET', fn)
    await deploy(client, api.id, 'dev')
    const pending = invoke(nimbus.current, 'host', api.id, 'dev', '/slow')
    const inFlight = () => (nimbus.current.health().apigateway as { inFlight?: number }).inFlight ?? 0
    while (inFlight() === 0) await new Promise((resolve) => setImmediate(resolve))
    await advance(nimbus.current, 28_999)
    assert.equal(inFlight(), 1, 'still waiting at 28.999 s')
    await advance(nimbus.current, 1)
    const res = await pending
    assert.equal(res.status, 504)
    assert.deepEqual(res.json(), { message: 'Endpoint request timed out' })
  })
})
