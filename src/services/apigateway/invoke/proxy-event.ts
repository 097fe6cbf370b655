// The Lambda proxy integration's event, payload format 1.0, field by field as AWS documents it
// ("Input format of a Lambda function for proxy integration").
import type { HttpRequest } from '../../../protocol/http.ts'
import { binaryType } from './binary.ts'
import { clfTime, type InvokeContext, requestContext, sourceIp } from './request-context.ts'

/** `traceId` goes to the function as the X-Amzn-Trace-Id header, with the X-Forwarded-* headers AWS adds. */
export function proxyEvent(ctx: InvokeContext, traceId: string): Record<string, unknown> {
  const { request, route, stage } = ctx
  const { single: headers, multi: multiValueHeaders } = headerMaps(request, {
    'X-Amzn-Trace-Id': `${traceId};Sampled=0`,
    // requestContext.identity.sourceIp, without building the whole requestContext a second time.
    'X-Forwarded-For': sourceIp(request),
    'X-Forwarded-Port': port(request.headers['host']),
    'X-Forwarded-Proto': 'http',
  })
  const { single: query, multi: multiQuery } = queryMaps(request.query)
  const binary = binaryType(ctx.api.binaryMediaTypes, request.headers['content-type'])
  const body = request.body.length === 0 ? null : binary ? request.body.toString('base64') : request.body.toString('utf8')
  return {
    resource: route.resource.path,
    // Through a custom domain, the path as called (base path included), as AWS's event has it.
    path: ctx.target.requestPath ?? ctx.target.path,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: query,
    multiValueQueryStringParameters: multiQuery,
    pathParameters: Object.keys(route.pathParameters).length === 0 ? null : route.pathParameters,
    stageVariables: Object.keys(stage.variables).length === 0 ? null : stage.variables,
    requestContext: requestContext(ctx),
    body,
    isBase64Encoded: body !== null && binary,
  }
}

/**
 * `JSON.stringify(proxyEvent(ctx, traceId))`, the same text character for character, written straight
 * as JSON: no event object, no header maps, no generic serializer walking them (the proxied request's
 * largest piece of JavaScript). The rare shapes (repeated or unusual header names, an API key, an IAM
 * caller) take the object's path for their part.
 */
export function proxyEventJson(ctx: InvokeContext, traceId: string): string {
  const { request, route, stage, target } = ctx
  const q = JSON.stringify
  const ip = sourceIp(request)
  const trace = `${traceId};Sampled=0`
  const forwardedPort = port(request.headers['host'])
  const added = [trace, ip, forwardedPort]
  let headers: string
  let multi: string
  const fast = request.rawHeaders === undefined ? undefined : headerJson(request.rawHeaders, request.headers, added)
  if (fast !== undefined) {
    headers = fast.single
    multi = fast.multi
  } else {
    const maps = headerMaps(request, addedHeaders(trace, ip, forwardedPort))
    headers = q(maps.single)
    multi = q(maps.multi)
  }
  let query = 'null'
  let multiQuery = 'null'
  if (request.query.size !== 0) {
    const maps = queryMaps(request.query)
    if (maps.single !== null) {
      query = q(maps.single)
      multiQuery = q(maps.multi)
    }
  }
  const binary = binaryType(ctx.api.binaryMediaTypes, request.headers['content-type'])
  const body = request.body.length === 0 ? 'null' : q(binary ? request.body.toString('base64') : request.body.toString('utf8'))
  const resourcePath = q(route.resource.path)
  const method = q(request.method)
  return `{"resource":${resourcePath},"path":${q(target.requestPath ?? target.path)},"httpMethod":${method},` +
    `"headers":${headers},"multiValueHeaders":${multi},"queryStringParameters":${query},"multiValueQueryStringParameters":${multiQuery},` +
    `"pathParameters":${isEmpty(route.pathParameters) ? 'null' : q(route.pathParameters)},` +
    `"stageVariables":${isEmpty(stage.variables) ? 'null' : q(stage.variables)},` +
    `"requestContext":{"resourceId":${q(route.resource.id)},"resourcePath":${resourcePath},"httpMethod":${method},` +
    `"extendedRequestId":${q(ctx.extendedRequestId)},"requestTime":${q(clfTime(ctx.now))},` +
    `"path":${q(target.requestPath ?? `/${stage.stageName}${target.path}`)},"accountId":${q(ctx.api.account)},"protocol":"HTTP/1.1",` +
    `"stage":${q(stage.stageName)},"domainPrefix":${q(target.domainName.split('.')[0])},"requestTimeEpoch":${q(ctx.now)},` +
    `"requestId":${q(ctx.requestId)},"identity":${identityJson(ctx, ip)},"domainName":${q(target.domainName)},` +
    `"deploymentId":${q(stage.deploymentId)},"apiId":${q(ctx.api.id)}${ctx.authorizer === undefined ? '' : `,"authorizer":${q(ctx.authorizer)}`}},` +
    `"body":${body},"isBase64Encoded":${body !== 'null' && binary}}`
}

function isEmpty(map: Record<string, string>): boolean {
  for (const _ in map) return false
  return true
}

/** requestContext.identity as JSON; an API key or IAM caller (members replaced in place, as a spread does) takes the object's path. */
function identityJson(ctx: InvokeContext, ip: string): string {
  if (ctx.apiKey !== undefined || ctx.iamCaller !== undefined) return JSON.stringify((requestContext(ctx) as { identity: unknown }).identity)
  const agent = ctx.request.headers['user-agent']
  return '{"cognitoIdentityPoolId":null,"accountId":null,"cognitoIdentityId":null,"caller":null,' +
    `"sourceIp":${JSON.stringify(ip)},"principalOrgId":null,"accessKey":null,"cognitoAuthenticationType":null,` +
    `"cognitoAuthenticationProvider":null,"userArn":null,"userAgent":${agent === undefined ? 'null' : JSON.stringify(agent)},"user":null}`
}

/** The headers API Gateway adds unless the client sent them, lower-cased (as request.headers has them) and as added. */
const addedNames = [['x-amzn-trace-id', 'X-Amzn-Trace-Id'], ['x-forwarded-for', 'X-Forwarded-For'], ['x-forwarded-port', 'X-Forwarded-Port']] as const

function addedHeaders(trace: string, ip: string, forwardedPort: string): Record<string, string> {
  // requestContext.identity.sourceIp is the X-Forwarded-For, without building the whole requestContext a second time.
  return { 'X-Amzn-Trace-Id': trace, 'X-Forwarded-For': ip, 'X-Forwarded-Port': forwardedPort, 'X-Forwarded-Proto': 'http' }
}

/**
 * `headers` and `multiValueHeaders` as JSON straight from the raw headers; undefined when a plain
 * object's key order or keys would differ from the order sent (a repeated name, an integer-like name,
 * `__proto__`), for headerMaps to do it.
 */
function headerJson(raw: readonly string[], lower: Readonly<Record<string, string>>, added: readonly string[]):
  { single: string; multi: string } | undefined {
  let single = '{'
  let multi = '{'
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!
    const first = name.charCodeAt(0)
    if ((first >= 48 && first <= 57) || name === '__proto__') return undefined
    for (let j = 0; j < i; j += 2) if (raw[j] === name) return undefined
    const key = JSON.stringify(name)
    const value = JSON.stringify(raw[i + 1]!)
    const comma = i === 0 ? '' : ','
    single += `${comma}${key}:${value}`
    multi += `${comma}${key}:[${value}]`
  }
  for (let k = 0; k < addedNames.length; k++) {
    const [name, as] = addedNames[k]!
    if (lower[name] !== undefined) continue
    const value = JSON.stringify(added[k]!)
    const comma = single.length === 1 ? '' : ','
    single += `${comma}"${as}":${value}`
    multi += `${comma}"${as}":[${value}]`
  }
  if (lower['x-forwarded-proto'] === undefined) {
    const comma = single.length === 1 ? '' : ','
    single += `${comma}"X-Forwarded-Proto":"http"`
    multi += `${comma}"X-Forwarded-Proto":["http"]`
  }
  return { single: `${single}}`, multi: `${multi}}` }
}

/** Names as the client sent them; a repeated header's last value in `headers`, every value in `multiValueHeaders`. */
function headerMaps(request: HttpRequest, added: Record<string, string>):
  { single: Record<string, string>; multi: Record<string, string[]> } {
  const single: Record<string, string> = {}
  const multi: Record<string, string[]> = {}
  const raw = request.rawHeaders
  if (raw !== undefined) {
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = raw[i]!
      single[name] = raw[i + 1]!
      ;(multi[name] ??= []).push(raw[i + 1]!)
    }
  } else {
    for (const [name, value] of Object.entries(request.headers)) {
      single[name] = value
      multi[name] = [value]
    }
  }
  const sent = new Set(Object.keys(single).map((n) => n.toLowerCase()))
  for (const [name, value] of Object.entries(added)) {
    if (sent.has(name.toLowerCase())) continue
    single[name] = value
    multi[name] = [value]
  }
  return { single, multi }
}

/** The port the client called (`X-Forwarded-Port`). */
function port(host: string | undefined): string {
  const colon = host?.lastIndexOf(':') ?? -1
  return host !== undefined && colon > host.lastIndexOf(']') ? host.slice(colon + 1) : '80'
}

/** The last value of a repeated parameter in `queryStringParameters`, every value in the multi-value map. */
function queryMaps(query: URLSearchParams): { single: Record<string, string> | null; multi: Record<string, string[]> | null } {
  const single: Record<string, string> = {}
  const multi: Record<string, string[]> = {}
  for (const [name, value] of query) {
    single[name] = value
    ;(multi[name] ??= []).push(value)
  }
  return Object.keys(single).length === 0 ? { single: null, multi: null } : { single, multi }
}
