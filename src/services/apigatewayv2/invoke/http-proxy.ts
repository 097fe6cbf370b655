// HTTP_PROXY integrations of HTTP APIs: the request passes to the IntegrationUri (path variables
// and stage variables filled in, the query string as sent) with its headers and body, parameter
// mapping applied, through Nimbus's outbound client on the integration timeout (Nimbus's clock);
// the backend's answer passes back as it is.
import type { HttpClient } from '../../../core/http-client.ts'
import type { IntegrationData } from '../data.ts'
import type { InvokeResponse } from '../port.ts'
import type { HttpApiState } from '../store.ts'
import type { ServiceCallFacts } from './aws-service.ts'
import { mapRequest, type MappedRequest } from './parameter-mapping.ts'

export interface HttpProxyDeps {
  state: HttpApiState
  http?: HttpClient
  log: (line: string) => void
}

export interface HttpProxyFacts extends ServiceCallFacts {
  traceId: string
  domainName: string
}

/** HTTP API payloads are capped at 10 MB. */
const maxBackendBytes = 10 * 1024 * 1024

/** Hop-by-hop headers and the ones the outbound request sets itself; the X-Forwarded-* ones become `Forwarded`. */
const droppedRequest = new Set(['host', 'connection', 'keep-alive', 'content-length', 'expect', 'proxy-authorization', 'proxy-connection',
  'te', 'trailer', 'transfer-encoding', 'upgrade', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-port'])
const droppedResponse = new Set(['connection', 'keep-alive', 'content-length', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade'])

function clientIp(facts: HttpProxyFacts): string {
  return (facts.request.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '')
}

/** `{name}` (and `{name+}`) from the route's path parameters, `${stageVariables.x}` from the stage. */
function backendUrl(integration: IntegrationData, facts: HttpProxyFacts): URL {
  const uri = (integration.uri ?? '').replace(/\$\{stageVariables\.(\w+)\}/g, (_, name: string) => facts.stage.variables[name] ?? '')
    .replace(/\{(\w+)\+?\}/g, (whole, name: string) => {
      const value = facts.selected.pathParameters[name]
      return value === undefined ? whole : value.split('/').map(encodeURIComponent).join('/')
    })
  return new URL(uri)
}

/** The answer, or why there was none: 'timeout' (the integration timeout on the clock) or 'failed' (refused, reset, bad URL). */
export async function httpProxy(deps: HttpProxyDeps, integration: IntegrationData, facts: HttpProxyFacts): Promise<InvokeResponse | 'timeout' | 'failed'> {
  const { request } = facts
  let url: URL
  try {
    url = backendUrl(integration, facts)
  } catch {
    deps.log(`[nimbus] apigatewayv2 ${facts.api.id}: ${integration.uri} is no URL`)
    return 'failed'
  }
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers)) if (!droppedRequest.has(name)) headers[name] = value
  // HTTP APIs turn X-Forwarded-* into a standard Forwarded header with the client's address, host and protocol appended.
  const earlier = (request.headers['x-forwarded-for'] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '').map((ip) => `for=${ip}`)
  headers['forwarded'] = [...earlier, `for=${clientIp(facts)};host=${facts.domainName};proto=http`].join(', ')
  headers['x-amzn-trace-id'] = facts.traceId
  const query = new URLSearchParams(url.search)
  for (const [k, v] of request.query) query.append(k, v)
  const mapped: MappedRequest = { headers, query }
  mapRequest(integration.requestParameters, facts, mapped)
  if (mapped.path !== undefined) url.pathname = mapped.path
  const search = mapped.query.toString()
  // The query as the client sent it when nothing changed it (keeps its exact encoding).
  const unchanged = integration.requestParameters === undefined && url.search === '' && request.rawQuery !== undefined
  url.search = unchanged ? (request.rawQuery === '' ? '' : `?${request.rawQuery}`) : search === '' ? '' : `?${search}`
  if (deps.http === undefined) return 'failed'
  const configured = (integration.method ?? 'ANY').toUpperCase()
  const method = configured === 'ANY' ? request.method : configured
  const sendsBody = request.body.length > 0 || !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(method)
  deps.state.inFlight++
  const outcome = await deps.http.send({
    method, url: url.toString(), headers: mapped.headers, ...(sendsBody && { body: request.body }),
    timeoutMs: integration.timeoutInMillis, keepBodyBytes: maxBackendBytes,
  }).finally(() => {
    deps.state.inFlight--
  })
  if ('error' in outcome) {
    deps.log(`[nimbus] apigatewayv2 ${facts.api.id}: the HTTP_PROXY integration to ${url.toString()} failed: ${outcome.error}`)
    return outcome.timedOut ? 'timeout' : 'failed'
  }
  const responseHeaders: Record<string, string | string[]> = {}
  const raw = outcome.rawHeaders ?? []
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase()
    if (droppedResponse.has(name)) continue
    const prior = responseHeaders[name]
    responseHeaders[name] = prior === undefined ? raw[i + 1]! : [...(Array.isArray(prior) ? prior : [prior]), raw[i + 1]!]
  }
  // Repeated headers (Set-Cookie) go out as repeated lines: Node writes an array so.
  return { status: outcome.status, headers: responseHeaders as Record<string, string>, body: outcome.bytes ?? Buffer.from(outcome.body) }
}
