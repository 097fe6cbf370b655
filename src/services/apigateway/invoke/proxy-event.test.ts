// The Lambda proxy event, built for speed, serializes character for character as the straightforward
// construction below (maps of headers and query, spreads for the optional identity and authorizer members)
// does: every header, query, body, identity and authorizer shape.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { HttpRequest } from '../../../protocol/http.ts'
import type { ApiData, StageData } from '../store.ts'
import { binaryType } from './binary.ts'
import { proxyEvent } from './proxy-event.ts'
import { clfTime, type InvokeContext, sourceIp } from './request-context.ts'

/** The event as AWS documents it, written plainly: what proxyEvent must serialize as. */
function reference(ctx: InvokeContext, traceId: string): Record<string, unknown> {
  const { request, route, stage, api, target } = ctx
  const single: Record<string, string> = {}
  const multi: Record<string, string[]> = {}
  const raw = request.rawHeaders
  if (raw !== undefined) {
    for (let i = 0; i + 1 < raw.length; i += 2) {
      single[raw[i]!] = raw[i + 1]!
      ;(multi[raw[i]!] ??= []).push(raw[i + 1]!)
    }
  } else {
    for (const [name, value] of Object.entries(request.headers)) {
      single[name] = value
      multi[name] = [value]
    }
  }
  const sent = new Set(Object.keys(single).map((n) => n.toLowerCase()))
  const host = request.headers['host']
  const colon = host?.lastIndexOf(':') ?? -1
  const added = {
    'X-Amzn-Trace-Id': `${traceId};Sampled=0`, 'X-Forwarded-For': sourceIp(request),
    'X-Forwarded-Port': host !== undefined && colon > host.lastIndexOf(']') ? host.slice(colon + 1) : '80', 'X-Forwarded-Proto': 'http',
  }
  for (const [name, value] of Object.entries(added)) {
    if (sent.has(name.toLowerCase())) continue
    single[name] = value
    multi[name] = [value]
  }
  const query: Record<string, string> = {}
  const multiQuery: Record<string, string[]> = {}
  for (const [name, value] of request.query) {
    query[name] = value
    ;(multiQuery[name] ??= []).push(value)
  }
  const hasQuery = Object.keys(query).length > 0
  const binary = binaryType(api.binaryMediaTypes, request.headers['content-type'])
  const body = request.body.length === 0 ? null : binary ? request.body.toString('base64') : request.body.toString('utf8')
  return {
    resource: route.resource.path, path: target.requestPath ?? target.path, httpMethod: request.method,
    headers: single, multiValueHeaders: multi, queryStringParameters: hasQuery ? query : null, multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: Object.keys(route.pathParameters).length === 0 ? null : route.pathParameters,
    stageVariables: Object.keys(stage.variables).length === 0 ? null : stage.variables,
    requestContext: {
      resourceId: route.resource.id, resourcePath: route.resource.path, httpMethod: request.method, extendedRequestId: ctx.extendedRequestId,
      requestTime: clfTime(ctx.now), path: target.requestPath ?? `/${stage.stageName}${target.path}`, accountId: api.account,
      protocol: 'HTTP/1.1', stage: stage.stageName, domainPrefix: target.domainName.split('.')[0], requestTimeEpoch: ctx.now,
      requestId: ctx.requestId,
      identity: {
        cognitoIdentityPoolId: null, accountId: null, cognitoIdentityId: null, caller: null,
        sourceIp: sourceIp(request), principalOrgId: null, accessKey: null, cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null, userArn: null, userAgent: request.headers['user-agent'] ?? null, user: null,
        ...(ctx.apiKey !== undefined && { apiKey: ctx.apiKey.value, apiKeyId: ctx.apiKey.id }),
        ...ctx.iamCaller,
      },
      domainName: target.domainName, deploymentId: stage.deploymentId, apiId: api.id,
      ...(ctx.authorizer !== undefined && { authorizer: ctx.authorizer }),
    },
    body, isBase64Encoded: body !== null && binary,
  }
}

function request(raw: string[] | undefined, extra: Partial<HttpRequest> = {}, rawQuery = ''): HttpRequest {
  const headers: Record<string, string> = {}
  const pairs = raw ?? []
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const name = pairs[i]!.toLowerCase()
    headers[name] = headers[name] === undefined ? pairs[i + 1]! : `${headers[name]}, ${pairs[i + 1]!}`
  }
  return { method: 'GET', rawPath: '/bench/hello', query: new URLSearchParams(rawQuery), rawQuery, headers, body: Buffer.alloc(0),
    remoteAddress: '::ffff:127.0.0.1', ...(raw !== undefined && { rawHeaders: raw }), ...extra }
}

function context(req: HttpRequest, extra: Partial<InvokeContext> = {}): InvokeContext {
  const api = { id: 'abc123defg', account: '000000000000', binaryMediaTypes: ['image/png'] } as unknown as ApiData
  const stage = { stageName: 'bench', deploymentId: 'dep123', variables: {} } as unknown as StageData
  return {
    api, stage, request: req, requestId: 'c0ffee00-0000-4000-8000-000000000001', extendedRequestId: 'BQGojGkCoAMF1kg=', now: 1_796_515_200_123,
    target: { apiId: api.id, stage: 'bench', path: '/hello', domainName: 'abc123defg.execute-api.localhost' },
    route: { resource: { id: 'res001', path: '/hello', methods: {} }, method: { httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: false, methodResponses: {} }, pathParameters: {} },
    ...extra,
  }
}

const trace = 'Root=1-69270000-0123456789abcdef01234567'

function same(ctx: InvokeContext, what: string): void {
  assert.equal(JSON.stringify(proxyEvent(ctx, trace)), JSON.stringify(reference(ctx, trace)), what)
}

test('the proxy event serializes as the plainly written one, whatever the request', () => {
  const host = ['Host', 'abc123defg.execute-api.localhost:4566']
  same(context(request(host)), 'only a Host')
  same(context(request(['Host', 'x.execute-api.localhost', 'User-Agent', 'curl/8 "quoted" \\ ü', 'Accept', '*/*'])), 'escaped values, user agent')
  same(context(request([...host, 'X-Forwarded-For', '10.0.0.1', 'x-amzn-trace-id', 'Root=1-own', 'X-Forwarded-Port', '443', 'X-FORWARDED-PROTO', 'https'])), 'added headers sent by the client')
  same(context(request([...host, 'Accept', 'a', 'accept', 'b', 'Accept', 'c'])), 'repeated names, differently cased')
  same(context(request([...host, '123', 'numeric', '7', 'x'])), 'integer-like names')
  same(context(request(undefined, { headers: { host: 'x.execute-api.localhost', 'user-agent': 'in-process' } })), 'no raw headers (in process)')
  same(context(request(host, {}, 'a=1&b=2&a=3&empty=&sp=x+y%20z')), 'query string, repeated and encoded')
  same(context(request([...host, 'Content-Type', 'application/json'], { method: 'POST', body: Buffer.from('{"a":"é\\n"}') })), 'a text body')
  same(context(request([...host, 'Content-Type', 'image/png'], { method: 'PUT', body: Buffer.from([0, 1, 2, 255]) })), 'a binary body')
  same(context(request(host, { remoteAddress: '::1' })), 'IPv6 caller')
  same(context(request(host), { target: { apiId: 'a', stage: 's', path: '/', domainName: 'localhost' } }), 'a domain without a dot')
  same(context(request(['Host', 'example.com:8443'])), 'a port in Host')
  const req = request(host)
  same(context(req, {
    target: { apiId: 'abc123defg', stage: 'v1', path: '/pets/7', domainName: 'api.example.com', requestPath: '/v1/pets/7' },
    route: { resource: { id: 'r2', path: '/pets/{id}', methods: {} }, method: { httpMethod: 'ANY', authorizationType: 'CUSTOM', apiKeyRequired: true, methodResponses: {} }, pathParameters: { id: '7' } },
    stage: { stageName: 'v1', deploymentId: 'd2', variables: { fn: 'x', 'q"uote': 'y' } } as unknown as StageData,
  }), 'custom domain, path parameters, stage variables')
  same(context(req, { authorizer: { principalId: 'me', integrationLatency: 3, claims: { a: [1, null] } } }), 'authorizer context')
  same(context(req, { apiKey: { id: 'key1', value: 'secret' } }), 'API key')
  same(context(req, { iamCaller: { accessKey: 'AKIA', accountId: '111122223333', caller: 'AIDA', user: 'AIDA', userArn: 'arn:aws:iam::111122223333:user/u' } }), 'IAM caller')
})
