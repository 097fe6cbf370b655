// What a web page the developer visits can do to Nimbus: the reproduction (create and invoke
// a Lambda function with CORS "simple" requests), SQS/SNS form posts and a reset, all refused; CORS
// answers for loopback origins only; a rebinding Host refused before anything runs.
import assert from 'node:assert/strict'
import { hostname } from 'node:os'
import { describe, it } from 'node:test'
import { GetFunctionCommand, ListFunctionsCommand } from '@aws-sdk/client-lambda'
import { ListTopicsCommand } from '@aws-sdk/client-sns'
import { createFunction, lambdaClient, role } from '../../helpers/lambda.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest, type RawResponse } from '../../helpers/raw-http.ts'
import { snsClient } from '../../helpers/sns.ts'
import { sqsClient } from '../../helpers/sqs-clients.ts'
import { nodeHandlerZip } from '../../helpers/zip.ts'

const nimbus = useNimbus()
const evil = { origin: 'https://evil.example', 'content-type': 'text/plain' }

/** A page's `fetch(url, { method: 'POST', body, mode: 'no-cors' })`: no preflight, Origin and text/plain. */
const fromPage = (path: string, body: string, contentType = 'text/plain') =>
  rawRequest(nimbus.current.endpoint, { path, body, headers: { ...evil, 'content-type': contentType } })

function assertNoCors(response: RawResponse): void {
  for (const name of Object.keys(response.headers)) assert.doesNotMatch(name, /^access-control-allow/, name)
}

describe('a web page', () => {
  it('can neither create nor invoke a Lambda function (the issue\'s reproduction)', async () => {
    const FunctionName = uniqueName('page')
    const zip = nodeHandlerZip('exports.handler = async () => require("child_process").execSync("id").toString()')
    const body = JSON.stringify({ FunctionName, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: role, Code: { ZipFile: zip.toString('base64') } })
    const create = await fromPage('/2015-03-31/functions', body)
    assert.equal(create.status, 403)
    assert.equal(create.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException')
    assert.deepEqual(JSON.parse(create.body), { message: 'Missing Authentication Token' })
    assertNoCors(create)
    const listed = await lambdaClient(nimbus.current).send(new ListFunctionsCommand({}))
    assert.ok(!(listed.Functions ?? []).some((f) => f.FunctionName === FunctionName), 'no function was created')

    const existing = await createFunction(lambdaClient(nimbus.current), 'exports.handler = async () => "ran"')
    const invoke = await fromPage(`/2015-03-31/functions/${existing}/invocations`, '{}')
    assert.equal(invoke.status, 403)
    assert.doesNotMatch(invoke.body, /ran/)
    assertNoCors(invoke)
    const fn = await lambdaClient(nimbus.current).send(new GetFunctionCommand({ FunctionName: existing }))
    assert.equal(fn.Configuration?.FunctionName, existing, 'the signed API still works')
  })

  it('cannot send SQS or SNS calls as form posts', async () => {
    const QueueName = uniqueName('page')
    const sqs = await fromPage('/', `Action=CreateQueue&QueueName=${QueueName}&Version=2012-11-05`, 'application/x-www-form-urlencoded')
    assert.equal(sqs.status, 403)
    assert.match(sqs.body, /<Code>MissingAuthenticationToken<\/Code><Message>Request is missing Authentication Token<\/Message>/)
    assertNoCors(sqs)
    const queues = await sqsClient(nimbus.current, 'json').call('ListQueues', { QueueNamePrefix: QueueName })
    assert.equal(queues.QueueUrls, undefined)

    const Name = uniqueName('page')
    const sns = await fromPage('/', `Action=CreateTopic&Name=${Name}&Version=2010-03-31`, 'application/x-www-form-urlencoded')
    assert.equal(sns.status, 403)
    assert.match(sns.body, /<ErrorResponse xmlns="http:\/\/sns\.amazonaws\.com\/doc\/2010-03-31\/"><Error><Type>Sender<\/Type><Code>MissingAuthenticationToken<\/Code>/)
    const topics = await snsClient(nimbus.current).send(new ListTopicsCommand({}))
    assert.ok(!(topics.Topics ?? []).some((t) => t.TopicArn?.endsWith(`:${Name}`)))

    // The JSON protocol needs headers a page can't send without a preflight; unsigned it is refused too.
    const json = await rawRequest(nimbus.current.endpoint, { body: JSON.stringify({ QueueName }),
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.CreateQueue' } })
    assert.equal(json.status, 400)
    assert.equal((JSON.parse(json.body) as { __type: string }).__type.split('#')[1], 'MissingAuthenticationTokenException')
  })

  it('cannot pass a forged presigned query or SigV2 form signature off as signed (outside S3)', async () => {
    const FunctionName = uniqueName('page')
    const zip = nodeHandlerZip('exports.handler = async () => "x"')
    const body = JSON.stringify({ FunctionName, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: role, Code: { ZipFile: zip.toString('base64') } })
    const presigned = 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Flambda%2Faws4_request&X-Amz-Signature=00'
    const create = await fromPage(`/2015-03-31/functions?${presigned}`, body)
    assert.equal(create.status, 403)
    assert.deepEqual(JSON.parse(create.body), { message: 'Missing Authentication Token' })
    const listed = await lambdaClient(nimbus.current).send(new ListFunctionsCommand({}))
    assert.ok(!(listed.Functions ?? []).some((f) => f.FunctionName === FunctionName), 'no function was created')

    const QueueName = uniqueName('page')
    const sigv2 = await fromPage('/', `Action=CreateQueue&QueueName=${QueueName}&Version=2012-11-05&AWSAccessKeyId=AKID&Signature=c2ln`,
      'application/x-www-form-urlencoded')
    assert.equal(sigv2.status, 403)
    assert.match(sigv2.body, /<Code>MissingAuthenticationToken<\/Code>/)
    // An <img> or link: a cross-site GET carries no Origin, only Sec-Fetch-Site.
    const img = await rawRequest(nimbus.current.endpoint, { method: 'GET',
      path: `/?Action=CreateQueue&QueueName=${QueueName}&Version=2012-11-05&${presigned.replace('lambda', 'sqs')}`,
      headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' } })
    assert.equal(img.status, 403)
    const queues = await sqsClient(nimbus.current, 'json').call('ListQueues', { QueueNamePrefix: QueueName })
    assert.equal(queues.QueueUrls, undefined, 'no queue was created')

    // The same presigned-looking query from a trusted (loopback) page, or from no browser at all, counts as signed.
    const local = await rawRequest(nimbus.current.endpoint, { path: `/2015-03-31/functions?${presigned}`, body,
      headers: { origin: 'http://localhost:3000', 'content-type': 'application/json' } })
    assert.equal(local.status, 201, local.body)
  })

  it('cannot reset Nimbus or move its clock; a same-origin JSON request can', async () => {
    const sqs = sqsClient(nimbus.current, 'json')
    const { QueueUrl } = await sqs.call('CreateQueue', { QueueName: uniqueName('keep') })
    const crossOrigin = await fromPage('/_nimbus/reset', '')
    assert.equal(crossOrigin.status, 403)
    const crossOriginJson = await fromPage('/_nimbus/reset', '{}', 'application/json')
    assert.equal(crossOriginJson.status, 403)
    const notJson = await rawRequest(nimbus.current.endpoint, { path: '/_nimbus/reset', body: '', headers: { 'content-type': 'text/plain' } })
    assert.equal(notJson.status, 415)
    const form = await rawRequest(nimbus.current.endpoint, { path: '/_nimbus/clock', body: 'advanceMs=1000',
      headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    assert.equal(form.status, 415)
    const before = nimbus.current.clock.now()
    const clock = await fromPage('/_nimbus/clock', '{"advanceMs":1000}')
    assert.equal(clock.status, 403)
    assert.equal(nimbus.current.clock.now(), before)
    assert.ok((await sqs.call('ListQueues', {})).QueueUrls?.includes(QueueUrl!), 'nothing was reset')

    const host = new URL(nimbus.current.endpoint).host
    const sameOrigin = await rawRequest(nimbus.current.endpoint, { path: '/_nimbus/clock', body: '{"advanceMs":1000}',
      headers: { origin: `http://${host}`, 'content-type': 'application/json' } })
    assert.equal(sameOrigin.status, 200)
    assert.equal(nimbus.current.clock.now(), before + 1000)
    // Reads stay open to anyone: health, the clock.
    assert.equal((await rawRequest(nimbus.current.endpoint, { method: 'GET', path: '/_nimbus/health', headers: evil })).status, 200)
  })

  it('gets no CORS answers from a foreign origin; loopback origins do', async () => {
    const preflight = (origin: string, extra: Record<string, string> = {}) => rawRequest(nimbus.current.endpoint, { method: 'OPTIONS',
      path: '/2015-03-31/functions', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type', ...extra } })
    const foreign = await preflight('https://evil.example', { 'access-control-request-private-network': 'true' })
    assert.equal(foreign.status, 403)
    assertNoCors(foreign)
    for (const origin of ['http://localhost:3000', 'http://127.0.0.1:5173', 'http://[::1]:8080', 'http://app.localhost:3000', 'https://localhost']) {
      const ok = await preflight(origin)
      assert.equal(ok.status, 200, origin)
      assert.equal(ok.headers['access-control-allow-origin'], origin)
      assert.match(String(ok.headers['access-control-allow-methods']), /POST/)
    }
    // Private Network Access is granted to a trusted origin that asks, never to a foreign one (above).
    const pna = await preflight('http://localhost:3000', { 'access-control-request-private-network': 'true' })
    assert.equal(pna.headers['access-control-allow-private-network'], 'true')
    for (const origin of ['http://localhost.evil.example', 'http://127.0.0.1.evil.example', 'null', 'file://']) {
      assert.equal((await preflight(origin)).status, 403, origin)
    }
    // Actual responses: the allow header only for a loopback origin.
    const signed = { authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0' }
    const local = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: '/2015-03-31/functions', headers: { ...signed, origin: 'http://localhost:3000' } })
    assert.equal(local.status, 200)
    assert.equal(local.headers['access-control-allow-origin'], 'http://localhost:3000')
    const away = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: '/2015-03-31/functions', headers: { ...signed, origin: 'https://evil.example' } })
    assert.equal(away.status, 200)
    assertNoCors(away)
  })

  it('names a non-SigV4 Authorization header as AWS does', async () => {
    const sqs = await rawRequest(nimbus.current.endpoint, { body: '{}',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues', authorization: 'Bearer abc' } })
    assert.equal(sqs.status, 400)
    const body = JSON.parse(sqs.body) as { __type: string; message: string }
    assert.equal(body.__type.split('#')[1], 'IncompleteSignatureException')
    assert.equal(body.message, 'Authorization header requires \'Credential\' parameter. Authorization header requires \'Signature\' parameter. ' +
      'Authorization header requires \'SignedHeaders\' parameter. Authorization=Bearer abc')
    const s3 = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: '/', headers: { authorization: 'Bearer abc' } })
    assert.equal(s3.status, 400)
    assert.match(s3.body, /<Code>InvalidArgument<\/Code><Message>Unsupported Authorization Type<\/Message>/)
  })
})

describe('DNS rebinding', () => {
  const withHost = (host: string) => rawRequest(nimbus.current.endpoint, { method: 'GET', path: '/_nimbus/health', headers: { host } })

  it('refuses a Host that is not Nimbus\'s, before anything runs', async () => {
    for (const host of ['evil.example', `evil.example:${nimbus.current.port}`, 'localhost.evil.example', '127.0.0.1.nip.io']) {
      const refused = await withHost(host)
      assert.equal(refused.status, 403, host)
      assert.match(refused.body, /Host header/)
    }
    const lambda = await rawRequest(nimbus.current.endpoint, { path: '/2015-03-31/functions', body: '{}', headers: { ...evil, host: 'evil.example' } })
    assert.equal(lambda.status, 403)
    assert.equal(lambda.headers['x-amzn-errortype'], undefined, 'refused before the gateway identified a service')
  })

  it('answers IPs, localhost names, S3 virtual hosts, API Gateway hosts, AWS names and this machine', async () => {
    const port = nimbus.current.port
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, '[::1]', `10.0.0.5:${port}`, 'LOCALHOST',
      `bucket.s3.localhost.localstack.cloud:${port}`, `bucket.localhost:${port}`, 'abc123.execute-api.localhost', 'bucket.s3.amazonaws.com',
      'sqs.us-east-1.amazonaws.com', `${hostname()}:${port}`]) {
      assert.notEqual((await withHost(host)).status, 403, host)
    }
  })
})

describe('options', () => {
  const configured = useNimbus({ corsOrigins: ['https://app.example.test'], allowedHosts: ['nimbus.test', '.dev.test'] })

  it('--cors-origins adds origins; --allowed-hosts adds names', async () => {
    const preflight = (origin: string) => rawRequest(configured.current.endpoint, { method: 'OPTIONS', path: '/',
      headers: { origin, 'access-control-request-method': 'POST' } })
    assert.equal((await preflight('https://app.example.test')).headers['access-control-allow-origin'], 'https://app.example.test')
    assert.equal((await preflight('http://localhost:3000')).status, 200)
    assert.equal((await preflight('https://other.example.test')).status, 403)
    for (const host of ['nimbus.test', 'nimbus.test:4566', 'a.dev.test']) {
      const ok = await rawRequest(configured.current.endpoint, { method: 'GET', path: '/_nimbus/health', headers: { host } })
      assert.equal(ok.status, 200, host)
    }
    const other = await rawRequest(configured.current.endpoint, { method: 'GET', path: '/_nimbus/health', headers: { host: 'evil.test' } })
    assert.equal(other.status, 403)
  })
})
