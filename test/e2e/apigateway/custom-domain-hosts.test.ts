// Custom domain names and Nimbus's DNS-rebinding guard: a domain the user created through either API (a name the
// guard's rules don't allow, e.g. `api.example.com`) is served by Host without `--allowed-hosts`, for as long as it
// exists — and such a Host reaches only that domain's APIs, never the AWS control plane or Nimbus's own endpoints.
import assert from 'node:assert/strict'
import { request } from 'node:http'
import { describe, it } from 'node:test'
import { CreateBasePathMappingCommand, CreateDomainNameCommand, DeleteDomainNameCommand, GetRestApisCommand } from '@aws-sdk/client-api-gateway'
import { CreateApiCommand, CreateApiMappingCommand, CreateDomainNameCommand as CreateDomainNameV2Command } from '@aws-sdk/client-apigatewayv2'
import { ListFunctionsCommand } from '@aws-sdk/client-lambda'
import { apiGatewayClient, createApi, createPath, deploy, mockMethod, sendTo } from '../../helpers/apigateway.ts'
import { apiGatewayV2Client } from '../../helpers/apigatewayv2.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const cert = 'arn:aws:acm:us-east-1:000000000000:certificate/hosts'
/** A SigV4-shaped Authorization header for Lambda (Nimbus doesn't verify signatures by default). */
const lambdaAuth = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261205/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=abc'

/** A WebSocket opening handshake to `host`: the status and body Nimbus answers (a refusal never upgrades). */
function upgrade(host: string): Promise<{ status: number; body: string }> {
  const url = new URL(nimbus.current.endpoint)
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: url.port, path: '/', headers: { host, connection: 'Upgrade', upgrade: 'websocket',
      'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } })
    req.on('response', (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('upgrade', (_res, socket) => {
      socket.destroy()
      reject(new Error('upgraded'))
    })
    req.on('error', reject)
    req.end()
  })
}

/**
 * A POST whose headers are sent with `Expect: 100-continue` to `host`; once Nimbus has let them through (its 100 Continue),
 * `between` runs, then the body follows. The status and body Nimbus answers.
 */
function postAfterContinue(host: string, path: string, headers: Record<string, string>, body: string,
  between: () => Promise<void>): Promise<{ status: number; body: string }> {
  const url = new URL(nimbus.current.endpoint)
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: url.port, path, method: 'POST',
      headers: { host, expect: '100-continue', 'content-length': String(Buffer.byteLength(body)), ...headers } })
    req.on('continue', () => void between().then(() => req.end(body), reject))
    req.on('response', (res) => {
      let text = ''
      res.on('data', (c: Buffer) => (text += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
    })
    req.on('error', reject)
    req.flushHeaders()
  })
}

describe('custom domain names and the Host check', () => {
  it('serves a domain the user created by its Host, without --allowed-hosts, while it exists', async () => {
    const rest = apiGatewayClient(nimbus.current)
    const name = `${uniqueName('api')}.example.com`.toLowerCase()
    const port = new URL(nimbus.current.endpoint).port
    const get = (host: string, path = '/pets') => sendTo(nimbus.current, `${host}:${port}`, path, {})
    const refusedBefore = await get(name)
    assert.equal(refusedBefore.status, 403)
    assert.match(refusedBefore.text, /Host header is not a name Nimbus answers to/)

    const api = await createApi(rest)
    await mockMethod(rest, api.id, await createPath(rest, api, '/pets'), 'GET', 200, '{"served": "$context.domainName"}')
    await deploy(rest, api.id, 'prod')
    await rest.send(new CreateDomainNameCommand({ domainName: name, regionalCertificateArn: cert, endpointConfiguration: { types: ['REGIONAL'] } }))
    await rest.send(new CreateBasePathMappingCommand({ domainName: name, restApiId: api.id, stage: 'prod' }))
    const served = await get(name)
    assert.deepEqual([served.status, served.json()], [200, { served: name }])
    // Any case, no port; a name below the domain is no domain of the user's.
    assert.equal((await sendTo(nimbus.current, name.toUpperCase(), '/pets', {})).status, 200)
    assert.match((await get(`x.${name}`)).text, /Host header is not a name Nimbus answers to/)
    // A REST domain takes no WebSocket: the API's answer, not the Host check's.
    assert.deepEqual(await upgrade(`${name}:${port}`), { status: 403, body: '{"message":"Forbidden"}' })
    assert.match((await upgrade(`x.${name}:${port}`)).body, /Host header is not a name Nimbus answers to/)

    await rest.send(new DeleteDomainNameCommand({ domainName: name }))
    const refusedAfter = await get(name)
    assert.equal(refusedAfter.status, 403)
    assert.match(refusedAfter.text, /Host header is not a name Nimbus answers to/)
  })

  it('serves an apigatewayv2 domain too; such a Host never reaches the control plane or Nimbus\'s own endpoints', async () => {
    const http = apiGatewayV2Client(nimbus.current)
    const lambda = lambdaClient(nimbus.current)
    const name = `${uniqueName('web')}.example.org`.toLowerCase()
    const port = new URL(nimbus.current.endpoint).port
    const send = (path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
      sendTo(nimbus.current, `${name}:${port}`, path, options)
    const fn = await createFunction(lambda, 'exports.handler = async (event) => ({ statusCode: 200, body: "fn:" + event.rawPath })')
    const target = (await lambda.send(new ListFunctionsCommand({}))).Functions!.find((f) => f.FunctionName === fn)!.FunctionArn!
    const api = await http.send(new CreateApiCommand({ Name: uniqueName('hosts'), ProtocolType: 'HTTP', Target: target }))
    await http.send(new CreateDomainNameV2Command({ DomainName: name, DomainNameConfigurations: [{ CertificateArn: cert, EndpointType: 'REGIONAL' }] }))
    await http.send(new CreateApiMappingCommand({ DomainName: name, ApiId: api.ApiId!, Stage: '$default' }))
    assert.deepEqual([(await send('/hello')).status, (await send('/hello')).text], [200, 'fn:/hello'])

    // A page that rebinds the name to 127.0.0.1 is same-origin with it and may send any header: every request still goes
    // to the HTTP API (its $default route answers), not to Lambda's API, DynamoDB, or /_nimbus.
    const signed = await send('/2015-03-31/functions', { headers: { authorization: lambdaAuth } })
    assert.deepEqual([signed.status, signed.text], [200, 'fn:/2015-03-31/functions'])
    const targeted = await send('/', { method: 'POST', headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/x-amz-json-1.0' },
      body: '{}' })
    assert.deepEqual([targeted.status, targeted.text], [200, 'fn:/'])
    const health = await send('/_nimbus/health')
    assert.equal(health.text, 'fn:/_nimbus/health')
    const reset = await send('/_nimbus/reset', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    assert.equal(reset.text, 'fn:/_nimbus/reset')
    assert.ok((await lambda.send(new ListFunctionsCommand({}))).Functions!.some((f) => f.FunctionName === fn), 'nothing was reset')
  })

  it('refuses a request whose domain was deleted while its body arrived (never the control plane)', async () => {
    const rest = apiGatewayClient(nimbus.current)
    const name = `${uniqueName('gone')}.example.net`.toLowerCase()
    const port = new URL(nimbus.current.endpoint).port
    await rest.send(new CreateDomainNameCommand({ domainName: name, regionalCertificateArn: cert, endpointConfiguration: { types: ['REGIONAL'] } }))
    const apiName = uniqueName('smuggled')
    // Same-origin with the rebound name, a page may send an Authorization header of its own making.
    const auth = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261205/us-east-1/apigateway/aws4_request, SignedHeaders=host, Signature=abc'
    const answer = await postAfterContinue(`${name}:${port}`, '/restapis', { authorization: auth, 'content-type': 'application/json' },
      JSON.stringify({ name: apiName }), async () => { await rest.send(new DeleteDomainNameCommand({ domainName: name })) })
    assert.equal(answer.status, 403)
    assert.match(answer.body, /Host header is not a name Nimbus answers to/)
    assert.ok(!(await rest.send(new GetRestApisCommand({ limit: 500 }))).items!.some((a) => a.name === apiName), 'no REST API was created')
  })
})
