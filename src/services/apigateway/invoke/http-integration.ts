// HTTP and HTTP_PROXY integrations of REST APIs: the request sent to the backend URL (path
// parameters and stage variables filled into the integration `uri`), through Nimbus's outbound
// client on the integration timeout (Nimbus's clock), and AWS's header handling both ways.
import type { IncomingHttpHeaders } from 'node:http'
import type { HttpClient, OutboundOutcome } from '../../../core/http-client.ts'
import type { HttpResponse } from '../../../protocol/http.ts'
import type { ApiGatewayState, IntegrationData } from '../store.ts'
import { gatewayResponses, idHeaders, type ResponseIds } from './gateway-responses.ts'
import type { BackendResult, MappedRequest } from './mapping.ts'
import { mapRequestParameters, type MappedParams } from './parameter-mapping.ts'
import type { InvokeContext } from './request-context.ts'
import { methodParams } from './template-variables.ts'

export interface HttpIntegrationDeps {
  state: ApiGatewayState
  http?: HttpClient
  log: (line: string) => void
}

/** A backend answer is kept up to API Gateway's 10 MB payload limit. */
const maxBackendBytes = 10 * 1024 * 1024

/**
 * Request headers API Gateway doesn't pass to an HTTP backend: hop-by-hop ones and those AWS's
 * header table lists as dropped or generated (Host is the backend's, Content-Length the body's) [R].
 */
const droppedRequestHeaders = new Set(['host', 'connection', 'keep-alive', 'content-length', 'content-md5', 'expect', 'max-forwards',
  'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'server', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'via',
  'www-authenticate'])

/** Backend response headers AWS renames `x-amzn-Remapped-{name}` so they can't clash with its own [R: AWS's header table]. */
const remappedResponseHeaders = new Set(['authorization', 'connection', 'content-length', 'content-md5', 'date', 'max-forwards',
  'server', 'user-agent', 'www-authenticate', 'x-amzn-requestid'])

/** Backend response headers AWS drops (hop-by-hop) [R]. */
const droppedResponseHeaders = new Set(['keep-alive', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect', 'host'])

/** The backend URL: `${stageVariables.x}` and `{name}` (a mapped `integration.request.path.name`, else the method's path parameter) filled in. */
function backendUrl(integration: IntegrationData, ctx: InvokeContext, path: Record<string, string>): string {
  const withVariables = (integration.uri ?? '').replace(/\$\{stageVariables\.(\w+)\}/g, (_, name: string) => ctx.stage.variables[name] ?? '')
  return withVariables.replace(/\{([\w.-]+)\+?\}/g, (whole, name: string) => {
    const value = path[name] ?? ctx.route.pathParameters[name]
    // A greedy `{proxy}` keeps its slashes; each segment is encoded again for the wire.
    return value === undefined ? whole : value.split('/').map(encodeURIComponent).join('/')
  })
}

function withQuery(url: string, query: string): string {
  if (query === '') return url
  return `${url}${url.includes('?') ? '&' : '?'}${query}`
}

function send(deps: HttpIntegrationDeps, integration: IntegrationData, ctx: InvokeContext, url: string, headers: Record<string, string>,
  body: Buffer): Promise<OutboundOutcome> {
  if (deps.http === undefined) return Promise.resolve({ error: 'no outbound HTTP client', timedOut: false })
  const configured = (integration.httpMethod ?? 'ANY').toUpperCase()
  const method = configured === 'ANY' ? ctx.request.method : configured
  headers['user-agent'] ??= `AmazonAPIGateway_${ctx.api.id}`
  headers['x-amzn-apigateway-api-id'] = ctx.api.id
  const sendsBody = body.length > 0 || !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(method)
  deps.state.inFlight++
  return deps.http.send({
    method, url, headers, ...(sendsBody && { body }), timeoutMs: integration.timeoutInMillis ?? 29_000, keepBodyBytes: maxBackendBytes,
  }).finally(() => {
    deps.state.inFlight--
  })
}

function logFailure(deps: HttpIntegrationDeps, ctx: InvokeContext, url: string, error: string): void {
  deps.log(`[nimbus] apigateway ${ctx.api.id} ${ctx.request.method} ${ctx.route.resource.path}: the HTTP integration to ${url} failed: ${error}`)
}

/** The client's address as API Gateway appends it to X-Forwarded-For. */
function clientIp(ctx: InvokeContext): string {
  const address = ctx.request.remoteAddress ?? '127.0.0.1'
  return address.startsWith('::ffff:') ? address.slice(7) : address
}

/**
 * HTTP_PROXY: the method request as it came — method (unless the integration names one), query
 * string, headers, body — to the backend, and its answer as it is, AWS's header handling aside.
 */
export async function httpProxy(deps: HttpIntegrationDeps, integration: IntegrationData, ctx: InvokeContext, ids: ResponseIds,
  traceId: string): Promise<HttpResponse> {
  const mapped = mapRequestParameters(integration.requestParameters, ctx, methodParams(ctx))
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(ctx.request.headers)) if (!droppedRequestHeaders.has(name)) headers[name] = value
  const forwarded = ctx.request.headers['x-forwarded-for']
  headers['x-forwarded-for'] = forwarded === undefined ? clientIp(ctx) : `${forwarded}, ${clientIp(ctx)}`
  headers['x-amzn-trace-id'] = traceId
  for (const [name, value] of Object.entries(mapped.header)) headers[name.toLowerCase()] = value
  const url = withQuery(backendUrl(integration, ctx, mapped.path), proxyQuery(ctx, mapped))
  const outcome = await send(deps, integration, ctx, url, headers, ctx.request.body)
  if ('error' in outcome) {
    logFailure(deps, ctx, url, outcome.error)
    // [R] A backend that doesn't answer in time is INTEGRATION_TIMEOUT (504); one that can't be reached a 500.
    return outcome.timedOut ? gatewayResponses.timeout(ids) : gatewayResponses.internal(ids)
  }
  const responseHeaders = proxiedResponseHeaders(outcome.rawHeaders ?? [])
  Object.assign(responseHeaders, idHeaders(ids))
  return { status: outcome.status, headers: responseHeaders, body: outcome.bytes ?? Buffer.from(outcome.body) }
}

/** The request's own query string as sent; mapped `integration.request.querystring.x` replace a key's values. */
function proxyQuery(ctx: InvokeContext, mapped: MappedParams): string {
  if (Object.keys(mapped.querystring).length === 0) return ctx.request.rawQuery ?? ctx.request.query.toString()
  const query = new URLSearchParams(ctx.request.query)
  for (const [k, v] of Object.entries(mapped.querystring)) query.set(k, v)
  return query.toString()
}

/** Repeated headers stay repeated (Set-Cookie); AWS's renamed and dropped ones are applied. */
function proxiedResponseHeaders(raw: readonly string[]): Record<string, string> {
  const values = new Map<string, string[]>()
  for (let i = 0; i + 1 < raw.length; i += 2) {
    let name = raw[i]!.toLowerCase()
    if (droppedResponseHeaders.has(name)) continue
    if (remappedResponseHeaders.has(name)) name = `x-amzn-remapped-${name}`
    const list = values.get(name)
    if (list === undefined) values.set(name, [raw[i + 1]!])
    else list.push(raw[i + 1]!)
  }
  const headers: Record<string, string> = {}
  // Several values go out as repeated header lines (Node writes an array so).
  for (const [name, list] of values) headers[name] = (list.length === 1 ? list[0]! : list) as string
  return headers
}

/**
 * HTTP (custom): the mapped request — template body, mapped headers, query string and path — to the
 * backend. The status code is the selector the integration responses' patterns match.
 * Throws when the backend can't be reached (the caller answers 500).
 */
export async function httpBackend(deps: HttpIntegrationDeps, integration: IntegrationData, ctx: InvokeContext,
  mapped: MappedRequest): Promise<BackendResult | 'timeout'> {
  const headers: Record<string, string> = { 'content-type': ctx.request.headers['content-type'] ?? 'application/json' }
  for (const [name, value] of Object.entries(mapped.params.header)) headers[name.toLowerCase()] = value
  const url = withQuery(backendUrl(integration, ctx, mapped.params.path), new URLSearchParams(mapped.params.querystring).toString())
  const outcome = await send(deps, integration, ctx, url, headers, mapped.bytes ?? Buffer.from(mapped.body, 'utf8'))
  if ('error' in outcome) {
    logFailure(deps, ctx, url, outcome.error)
    if (outcome.timedOut) return 'timeout'
    throw new Error(outcome.error)
  }
  return {
    status: outcome.status, headers: flatHeaders(outcome.headers), body: outcome.body, ...(outcome.bytes !== undefined && { bytes: outcome.bytes }),
    selector: String(outcome.status),
  }
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value
  return out
}
