// A REST API request whose Lambda payload is over Lambda's 6 MB synchronous limit (6291456 bytes) is
// refused by API Gateway before the function is called: 413 `{"message": "Request Too Long"}`, for a
// Lambda proxy integration (the event with the body in it) and a non-proxy one (the mapped body); an
// asynchronous non-proxy call (`X-Amz-Invocation-Type: 'Event'`) over Lambda's 1 MB asynchronous limit gets the
// same 413 and is never queued; and a GET's body, which a client may send, still reaches the function.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { apiGatewayClient, createApi, createPath, deploy, invoke, lambdaProxyMethod, nonProxyMethod } from '../../helpers/apigateway.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { watchFunctionLog } from '../../helpers/function-log.ts'

const nimbus = useNimbus()

/** Answers the size of what it was sent, so a passing request shows it reached the function. */
const sizer = `exports.handler = async (event) => ({ statusCode: 200, body: event.body === null ? 'none' : String((event.body ?? event).length) })`

async function functionArn(): Promise<string> {
  const lambda = lambdaClient(nimbus.current)
  const name = await createFunction(lambda, sizer)
  return (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.FunctionArn!
}

const lambdaLimit = 6 * 1024 * 1024

describe('API Gateway → Lambda payload limit', () => {
  it('answers 413 Request Too Long for a proxy event over 6 MB, and calls the function under it', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const resource = await createPath(client, api, '/upload')
    await lambdaProxyMethod(client, api.id, resource, 'POST', await functionArn())
    await deploy(client, api.id, 'dev')
    // The body alone fits Lambda's limit; the event around it does not.
    const over = await invoke(nimbus.current, 'host', api.id, 'dev', '/upload', { method: 'POST', body: 'a'.repeat(lambdaLimit - 10) })
    assert.equal(over.status, 413)
    assert.equal(over.text, '{"message": "Request Too Long"}')
    assert.equal(over.headers['content-type'], 'application/json')
    assert.equal(over.headers['x-amzn-errortype'], 'BadRequestException')
    assert.match(String(over.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/)
    const under = await invoke(nimbus.current, 'host', api.id, 'dev', '/upload', { method: 'POST', body: 'a'.repeat(5 * 1024 * 1024) })
    assert.equal(under.status, 200)
    assert.equal(under.text, String(5 * 1024 * 1024))
  })

  it('answers 413 for a non-proxy Lambda integration whose mapped body is over 6 MB', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const resource = await createPath(client, api, '/upload')
    const arn = await functionArn()
    await nonProxyMethod(client, { restApiId: api.id, resourceId: resource, httpMethod: 'POST' }, {
      type: 'AWS', integrationHttpMethod: 'POST', uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`,
    }, [{ statusCode: '200' }])
    await deploy(client, api.id, 'dev')
    const over = await invoke(nimbus.current, 'host', api.id, 'dev', '/upload', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify('a'.repeat(lambdaLimit)),
    })
    assert.equal(over.status, 413)
    assert.equal(over.text, '{"message": "Request Too Long"}')
    assert.equal(over.headers['x-amzn-errortype'], 'BadRequestException')
    const under = await invoke(nimbus.current, 'host', api.id, 'dev', '/upload', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify('a'.repeat(1000)),
    })
    assert.equal(under.status, 200)
  })
  it('answers 413 for an asynchronous non-proxy call whose mapped body is over Lambda\'s 1 MB asynchronous limit, and queues none', async () => {
    const client = apiGatewayClient(nimbus.current)
    const lambda = lambdaClient(nimbus.current)
    const name = await createFunction(lambda, `exports.handler = async (event) => { console.log('got ' + JSON.stringify(event).length) }`)
    const arn = (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.FunctionArn!
    const log = watchFunctionLog(nimbus.current, name)
    const api = await createApi(client)
    const resource = await createPath(client, api, '/events')
    await nonProxyMethod(client, { restApiId: api.id, resourceId: resource, httpMethod: 'POST' }, {
      type: 'AWS', integrationHttpMethod: 'POST', uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`,
      requestParameters: { 'integration.request.header.X-Amz-Invocation-Type': "'Event'" },
    }, [{ statusCode: '200', responseTemplates: { 'application/json': '{"queued": true}' } }])
    await deploy(client, api.id, 'dev')
    const send = (chars: number) => invoke(nimbus.current, 'host', api.id, 'dev', '/events', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify('a'.repeat(chars)),
    })
    // 1 MB of characters plus the JSON quotes: one byte over is enough; far under the 6 MB synchronous limit.
    const over = await send(1024 * 1024 - 1)
    assert.equal(over.status, 413)
    assert.equal(over.text, '{"message": "Request Too Long"}')
    assert.equal(over.headers['x-amzn-errortype'], 'BadRequestException')
    const atLimit = await send(1024 * 1024 - 2)
    assert.deepEqual([atLimit.status, atLimit.json()], [200, { queued: true }])
    // The one queued event runs; the refused one never does.
    await log.waitFor('got ')
    assert.deepEqual(log.matching('got '), [log.matching(`got ${1024 * 1024}`)[0]])
    log.stop()
  })

  it('passes a GET request\'s body on, whether sent with a Content-Length or chunked (no bodiless shortcut for it)', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const resource = await createPath(client, api, '/search')
    await lambdaProxyMethod(client, api.id, resource, 'GET', await functionArn())
    await deploy(client, api.id, 'dev')
    // Node's client declares no length for a GET's body on its own: the header is given.
    const sized = await invoke(nimbus.current, 'host', api.id, 'dev', '/search', { method: 'GET', headers: { 'Content-Length': '12' }, body: '{"q":"cats"}' })
    assert.deepEqual([sized.status, sized.text], [200, '12'])
    const chunked = await invoke(nimbus.current, 'host', api.id, 'dev', '/search', {
      method: 'GET', headers: { 'Transfer-Encoding': 'chunked' }, body: '{"q":"dogs!"}',
    })
    assert.deepEqual([chunked.status, chunked.text], [200, '13'])
    const none = await invoke(nimbus.current, 'host', api.id, 'dev', '/search', { method: 'GET' })
    assert.deepEqual([none.status, none.text], [200, 'none'], 'a bodiless GET: the event\'s body is null')
  })
})
