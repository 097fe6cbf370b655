// WebSocket APIs' non-proxy integrations (AWS, HTTP, MOCK) as AWS's "data transformations for WebSocket
// APIs" describe them: the request template chosen by the integration's TemplateSelectionExpression
// (else the passthrough behaviour decides), the backend — a MOCK's own `statusCode`, an HTTP endpoint, a
// Lambda function or AWS service (REST APIs' backends, through apigateway's port) — then the integration
// response whose key (`/regex/` or `$default`) matches the selector (a Lambda error's errorMessage, else
// the status code), its response template chosen by its own TemplateSelectionExpression. HTTP_PROXY
// sends the message as it is and its answer comes back as it is.
import type { HttpClient } from '../../../core/http-client.ts'
import type { BackendAnswer, MappingPort, TemplateInput } from '../../apigateway/port.ts'
import type { IntegrationData, IntegrationResponseData } from '../data.ts'
import type { HttpApiState } from '../store.ts'
import { integrationPayload, replyPayload, responsePayload } from './content-handling.ts'
import { type Handshake, mapRequestParameters, withMappedUrl } from './request-mapping.ts'
import { bodyLookup, evaluateSelection, type SelectionLookup } from './selection.ts'

export interface NonProxyDeps {
  state: HttpApiState
  /** REST APIs' templates and backends (apigateway's port, loaded on first use). */
  mapping?: () => MappingPort
  http?: HttpClient
}

/** What the route's request offers a template: the message (or ''), its parameters and `$context`. */
export interface RouteRequest {
  body: string
  params: TemplateInput['params']
  context: Record<string, unknown>
  stageVariables: Record<string, string>
  account: string
  /** `$connect`'s: the handshake's headers and query string, which request parameters may map. */
  handshake?: Handshake
}

/** `reply` undefined: no integration response matched (a two-way route can't answer; a one-way route needs none). */
export type MappedOutcome = { ok: true; status: number; reply?: string | Buffer } | { ok: false; reason: string; message?: string }

const maxBackendBytes = 10 * 1024 * 1024

/** The backend runs on the integration timeout (Nimbus's clock); its answer is mapped by the integration responses. */
export async function runNonProxy(deps: NonProxyDeps, integration: IntegrationData, request: RouteRequest): Promise<MappedOutcome> {
  const mapping = deps.mapping?.()
  if (mapping === undefined) return { ok: false, reason: 'mapping templates need API Gateway (REST APIs), which is not loaded' }
  const input = (body: string): TemplateInput => ({ body, params: request.params, context: request.context, stageVariables: request.stageVariables })
  let mapped: string
  try {
    const chosen = requestTemplate(integration, request.body)
    // PassthroughBehavior NEVER with no template for the key: AWS's 415 [R: the frame's wording].
    if ('refused' in chosen) return { ok: false, reason: 'no request template matches and PassthroughBehavior is NEVER', message: 'Unsupported Media Type' }
    mapped = chosen.template === undefined ? request.body : mapping.render(chosen.template, input(request.body))
  } catch (error) {
    return { ok: false, reason: `the request template failed: ${error instanceof Error ? error.message : String(error)}` }
  }
  const backend = await deps.state.within(integration.timeoutInMillis, () => callBackend(deps, mapping, integration, request, mapped))
  if (backend === 'timeout') return { ok: false, reason: `the ${integration.type} integration did not answer within ${integration.timeoutInMillis} ms` }
  if ('failed' in backend) return { ok: false, reason: backend.failed }
  const response = selectResponse(mapping, integration, backend.selector)
  // AWS logs "No match for output mapping and no default output mapping configured".
  if (response === undefined) return { ok: true, status: backend.status }
  const requestBody = bodyLookup(request.body)
  const lookup: SelectionLookup = (name) => {
    if (name === 'integration.response.statuscode') return String(backend.status)
    const header = /^integration\.response\.(?:multivalue)?header\.(.+)$/.exec(name)?.[1]
    if (header !== undefined) return Object.entries(backend.headers).find(([k]) => k.toLowerCase() === header.toLowerCase())?.[1]
    return requestBody(name)
  }
  const templates = response.responseTemplates ?? {}
  const key = response.templateSelectionExpression === undefined ? '$default' : evaluateSelection(response.templateSelectionExpression, lookup)
  const template = (key === undefined ? undefined : templates[key]) ?? templates['$default']
  const payload = responsePayload(response.contentHandlingStrategy, backend.body, backend.bytes)
  try {
    const reply = template === undefined ? payload : mapping.render(template, input(payload))
    return { ok: true, status: backend.status, reply: replyPayload(response.contentHandlingStrategy, reply) }
  } catch (error) {
    return { ok: false, reason: `the response template failed: ${error instanceof Error ? error.message : String(error)}` }
  }
}

/**
 * The template the integration's TemplateSelectionExpression picks (no expression, or no template for
 * its key: the `$default` one);
 * no template: the body passes as it is; refused: the passthrough behaviour forbids it.
 */
function requestTemplate(integration: IntegrationData, body: string): { template?: string } | { refused: true } {
  const templates = integration.requestTemplates ?? {}
  const expression = integration.templateSelectionExpression
  const key = expression === undefined ? '$default' : evaluateSelection(expression, bodyLookup(body))
  // `$default` is the catch-all key (AWS's selection expression table).
  const found = (key === undefined ? undefined : templates[key]) ?? templates['$default']
  if (found !== undefined) return { template: found }
  const behaviour = integration.passthroughBehavior ?? 'WHEN_NO_MATCH'
  if (behaviour === 'NEVER') return { refused: true }
  if (behaviour === 'WHEN_NO_TEMPLATES' && Object.keys(templates).length > 0) return { refused: true }
  return {}
}

async function callBackend(deps: NonProxyDeps, mapping: MappingPort, integration: IntegrationData, request: RouteRequest, body: string):
  Promise<(BackendAnswer & { bytes?: Buffer }) | { failed: string }> {
  if (integration.type === 'MOCK') {
    // As REST APIs' MOCK: the status the mapped request names (`{"statusCode": 200}`), 200 without one [R].
    const status = Number(/"?statusCode"?\s*:\s*"?(\d{3})/.exec(body)?.[1] ?? 200)
    return { status, headers: {}, body: '', selector: String(status) }
  }
  if (integration.type === 'HTTP') {
    const answer = await sendHttp(deps, integration, request, integrationPayload(integration.contentHandlingStrategy, body))
    return 'failed' in answer ? answer : { ...answer, selector: String(answer.status) }
  }
  const uri = integration.uri ?? ''
  // The integration's request parameters (SQS's form `Content-Type` header, a `connectionId` header…) go with the call.
  const { header: headers } = mapRequestParameters(integration.requestParameters, request)
  try {
    const answer = await mapping.callAws({
      uri, method: integration.method ?? 'POST', body, headers, account: request.account, stageVariables: request.stageVariables, now: deps.state.clock.now(),
    })
    return answer ?? { failed: `${uri} names nothing Nimbus can call` }
  } catch (error) {
    return { failed: `the AWS integration ${uri} failed: ${error instanceof Error ? error.message : String(error)}` }
  }
}

/** An HTTP or HTTP_PROXY backend: the integration's method (POST by default) with the body; `${stageVariables.x}` in the URI. */
export async function sendHttp(deps: NonProxyDeps, integration: IntegrationData, request: RouteRequest, body: string | Buffer):
  Promise<{ status: number; headers: Record<string, string>; body: string; bytes?: Buffer } | { failed: string }> {
  if (deps.http === undefined) return { failed: 'no HTTP client' }
  const mapped = mapRequestParameters(integration.requestParameters, request)
  const uri = (integration.uri ?? '').replace(/\$\{stageVariables\.([\w]+)\}/g, (_, name: string) => request.stageVariables[name] ?? '')
  const url = withMappedUrl(uri, mapped)
  const method = (integration.method ?? 'POST').toUpperCase()
  const sendsBody = !['GET', 'HEAD'].includes(method)
  // None of the client's headers go to the backend unless a request parameter maps them (AWS's knowledge center:
  // "By default, WebSocket APIs don't pass the ConnectionId"; `integration.request.header.X` does).
  const outcome = await deps.http.send({
    method: method === 'ANY' ? 'POST' : method, url, headers: withHeaders({ 'content-type': 'application/json' }, mapped.header), ...(sendsBody && { body }),
    timeoutMs: integration.timeoutInMillis, keepBodyBytes: maxBackendBytes,
  })
  if ('error' in outcome) return { failed: `the HTTP integration to ${url} failed: ${outcome.error}` }
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(outcome.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value
  return { status: outcome.status, headers, body: outcome.body, ...(outcome.bytes !== undefined && { bytes: outcome.bytes }) }
}

/** The base headers with the mapped ones over them (a mapped `Content-Type` replaces the default, whatever its case). */
function withHeaders(base: Record<string, string>, mapped: Record<string, string>): Record<string, string> {
  const out = { ...base }
  for (const [name, value] of Object.entries(mapped)) {
    for (const key of Object.keys(out)) if (key.toLowerCase() === name.toLowerCase()) delete out[key]
    out[name] = value
  }
  return out
}

/** A key `/regex/` whose pattern matches the whole selector (Java's String.matches), else the `$default` one. */
function selectResponse(mapping: MappingPort, integration: IntegrationData, selector: string): IntegrationResponseData | undefined {
  const responses = Object.values(integration.responses ?? {})
  for (const response of responses) {
    const pattern = /^\/(.*)\/$/s.exec(response.key)?.[1]
    if (pattern !== undefined && mapping.matches(pattern, selector)) return response
  }
  return responses.find((r) => r.key === '$default')
}
