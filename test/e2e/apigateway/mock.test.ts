// API Gateway MOCK integrations and the data plane's own answers: status selection by the request
// template and selection patterns, static response templates and headers, the execute-api host
// forms, missing-token 403s, unknown stages and APIs, redeployment, and malformed control-plane bodies.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand } from '@aws-sdk/client-api-gateway'
import { apiGatewayClient, createApi, createPath, deploy, invoke, mockMethod } from '../../helpers/apigateway.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest, signedBy } from '../../helpers/raw-http.ts'

const nimbus = useNimbus()

describe('API Gateway MOCK integrations and invoke URLs', () => {
  it('answers a MOCK integration at every execute-api host form and the path form', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    await mockMethod(client, api.id, await createPath(client, api, '/hello'), 'GET', 200, '{"stage": "$context.stage", "v": "$stageVariables.v"}')
    await deploy(client, api.id, 'dev', { v: 'x' })
    for (const hostSuffix of ['execute-api.localhost', 'execute-api.us-east-1.amazonaws.com', 'execute-api.localhost.localstack.cloud']) {
      const res = await invoke(nimbus.current, 'host', api.id, 'dev', '/hello', { hostSuffix })
      assert.equal(res.status, 200, hostSuffix)
      assert.deepEqual(res.json(), { stage: 'dev', v: 'x' })
      assert.equal(res.headers['content-type'], 'application/json')
      assert.ok(res.headers['x-amz-apigw-id'])
    }
    const viaPath = await invoke(nimbus.current, 'path', api.id, 'dev', '/hello')
    assert.equal(viaPath.status, 200)
    assert.deepEqual(viaPath.json(), { stage: 'dev', v: 'x' })
  })

  it('selects the integration response by the status the request template names, with static headers', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const resource = await createPath(client, api, '/teapot')
    const common = { restApiId: api.id, resourceId: resource, httpMethod: 'POST' }
    await client.send(new PutMethodCommand({ ...common, authorizationType: 'NONE' }))
    await client.send(new PutIntegrationCommand({ ...common, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 418}' } }))
    for (const statusCode of ['200', '418']) await client.send(new PutMethodResponseCommand({ ...common, statusCode }))
    await client.send(new PutIntegrationResponseCommand({ ...common, statusCode: '200', responseTemplates: { 'application/json': '{"ok":true}' } }))
    await client.send(new PutIntegrationResponseCommand({ ...common, statusCode: '418', selectionPattern: '4\\d{2}',
      responseParameters: { 'method.response.header.X-Kind': "'teapot'" }, responseTemplates: { 'application/json': '{"short":"stout"}' } }))
    await deploy(client, api.id, 'v1')
    const res = await invoke(nimbus.current, 'host', api.id, 'v1', '/teapot', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    assert.equal(res.status, 418)
    assert.equal(res.headers['x-kind'], 'teapot')
    assert.deepEqual(res.json(), { short: 'stout' })
  })

  it('answers 403 Missing Authentication Token for an unknown path or method, and Forbidden for an unknown stage or API', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    await mockMethod(client, api.id, await createPath(client, api, '/only-get'), 'GET', 200, '{}')
    await deploy(client, api.id, 'dev')
    for (const [path, method] of [['/nowhere', 'GET'], ['/only-get', 'POST'], ['/', 'GET']] as const) {
      for (const form of ['host', 'path'] as const) {
        const res = await invoke(nimbus.current, form, api.id, 'dev', path, { method })
        assert.equal(res.status, 403, `${form} ${method} ${path}`)
        assert.deepEqual(res.json(), { message: 'Missing Authentication Token' })
        assert.equal(res.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException')
      }
    }
    for (const [id, stage] of [[api.id, 'nostage'], ['unknownapi', 'dev']]) {
      const res = await invoke(nimbus.current, 'host', id!, stage!, '/only-get')
      assert.equal(res.status, 403)
      assert.deepEqual(res.json(), { message: 'Forbidden' })
    }
  })

  it('serves the deployed snapshot until the API is deployed again', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    await mockMethod(client, api.id, await createPath(client, api, '/a'), 'GET', 200, '{"v":1}')
    await deploy(client, api.id, 'dev')
    await mockMethod(client, api.id, await createPath(client, api, '/b'), 'GET', 200, '{"v":2}')
    assert.equal((await invoke(nimbus.current, 'host', api.id, 'dev', '/b')).status, 403, 'not deployed yet')
    await deploy(client, api.id, 'dev')
    assert.deepEqual((await invoke(nimbus.current, 'host', api.id, 'dev', '/b')).json(), { v: 2 })
  })

  it('answers bad invoke requests (broken percent-encoding, >10 MB bodies, an unreachable HTTP backend) and keeps serving', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const resource = await createPath(client, api, '/x')
    await mockMethod(client, api.id, resource, 'GET', 200, '{"ok":1}')
    await client.send(new PutMethodCommand({ restApiId: api.id, resourceId: resource, httpMethod: 'POST', authorizationType: 'NONE' }))
    await client.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: resource, httpMethod: 'POST', type: 'HTTP_PROXY',
      integrationHttpMethod: 'POST', uri: 'http://127.0.0.1:9/' }))
    await deploy(client, api.id, 'dev')
    assert.equal((await invoke(nimbus.current, 'path', api.id, '%E0%A4%A', '/x')).status, 403)
    assert.equal((await invoke(nimbus.current, 'host', api.id, 'dev', '/%E0%A4%A')).status, 403)
    const big = await invoke(nimbus.current, 'host', api.id, 'dev', '/x', { method: 'POST', body: Buffer.alloc(10 * 1024 * 1024 + 1) })
    assert.equal(big.status, 413)
    // The execute-api front end's plain-text refusal, as AWS answers it.
    assert.equal(big.text, 'HTTP content length exceeded 10485760 bytes.')
    // Past what Nimbus buffers at all (16 MiB): the same answer, not the gateway's generic one.
    const huge = await invoke(nimbus.current, 'host', api.id, 'dev', '/x', { method: 'POST', body: Buffer.alloc(17 * 1024 * 1024) })
    assert.equal(huge.status, 413)
    assert.equal(huge.text, 'HTTP content length exceeded 10485760 bytes.')
    assert.equal(typeof huge.headers['x-amz-apigw-id'], 'string')
    const http = await invoke(nimbus.current, 'host', api.id, 'dev', '/x', { method: 'POST', body: '{}' })
    assert.equal(http.status, 500)
    assert.deepEqual(http.json(), { message: 'Internal server error' })
    assert.deepEqual((await invoke(nimbus.current, 'host', api.id, 'dev', '/x')).json(), { ok: 1 })
  })

  it('answers malformed control-plane bodies with an AWS error and keeps serving', async () => {
    const res = await rawRequest(nimbus.current.endpoint, {
      path: '/restapis', headers: { 'content-type': 'application/json', ...signedBy('apigateway') }, body: '{not json',
    })
    assert.ok(res.status >= 400 && res.status < 500, String(res.status))
    assert.ok(res.headers['x-amzn-errortype'])
    const unsigned = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: '/restapis/abc' })
    assert.equal(unsigned.status, 403)
    const api = await createApi(apiGatewayClient(nimbus.current))
    assert.match(api.id, /^[a-z0-9]{10}$/)
  })
})
