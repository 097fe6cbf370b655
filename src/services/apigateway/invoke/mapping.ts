// Non-proxy integrations' request and response mapping: the request template chosen by Content-Type
// and the passthrough behaviour, the integration response chosen by selection pattern, its
// parameters and response template (chosen by Accept), `$context.responseOverride`, and the payload
// conversions of binary media types and contentHandling (content-handling.ts).
import type { HttpResponse } from '../../../protocol/http.ts'
import type * as T from '../generated/types.ts'
import type { IntegrationData } from '../store.ts'
import { javaMatches, renderVtl } from '../vtl/index.ts'
import { decodeBase64, isBinary, passthroughRequest, passthroughResponse } from './content-handling.ts'
import { mapRequestParameters, type MappedParams, mapResponseParameters } from './parameter-mapping.ts'
import type { InvokeContext } from './request-context.ts'
import { overrides, statusOverride, type TemplateScope } from './template-variables.ts'

export interface MappedRequest {
  /** The integration request payload as text (what a Lambda function is sent). */
  body: string
  /** The payload's bytes where they aren't `body`'s UTF-8 (binary passthrough, CONVERT_TO_BINARY). */
  bytes?: Buffer
  params: MappedParams
}

/** What came back from the backend, before the integration response maps it. */
export interface BackendResult {
  status: number
  headers: Record<string, string>
  body: string
  /** The body's bytes as the backend sent them (binary payloads), where known. */
  bytes?: Buffer
  /** Matched against selection patterns: a Lambda function's errorMessage, else the status code. */
  selector: string
}

const mediaType = (header: string | undefined) => header?.split(';')[0]?.trim().toLowerCase() || undefined

/**
 * The request template for the request's Content-Type (`application/json` when it names none), or the
 * body as sent when the passthrough behaviour allows it. Undefined: 415 Unsupported Media Type.
 * Throws VtlError for a template that can't be rendered.
 */
export function mapRequest(ctx: InvokeContext, integration: IntegrationData, scope: TemplateScope): MappedRequest | undefined {
  const templates = integration.requestTemplates ?? {}
  const type = mediaType(ctx.request.headers['content-type']) ?? 'application/json'
  const key = Object.keys(templates).find((k) => k.toLowerCase() === type)
  // A binary payload reaches a template as base64 text (`$input.body`), as AWS's conversion guide says.
  const binary = isBinary(ctx.api.binaryMediaTypes, ctx.request.headers['content-type'])
  const handling = integration.contentHandling
  let body: string
  let bytes: Buffer | undefined
  if (key !== undefined && (templates[key] ?? '') !== '') {
    // The payload is decoded only for a template that reads `$input`.
    body = renderVtl(templates[key]!, () => scope.variables(ctx.request.body.toString(binary ? 'base64' : 'utf8'))())
    if (handling === 'CONVERT_TO_BINARY') bytes = decodeBase64(body)
  } else if (key !== undefined || passesThrough(integration.passthroughBehavior, Object.keys(templates).length)) {
    if (binary || handling !== undefined) ({ text: body, bytes } = passthroughRequest(ctx.request.body, binary, handling))
    else body = ctx.request.body.toString('utf8')
  } else return undefined
  const mapped = integration.requestParameters === undefined ? { header: {}, querystring: {}, path: {} }
    : mapRequestParameters(integration.requestParameters, ctx, scope.params)
  // A template's $context.requestOverride wins over the mapped parameters (none when no template read `$context`).
  const context = scope.contextIfBuilt
  if (context !== undefined) for (const kind of ['header', 'querystring', 'path'] as const) Object.assign(mapped[kind], overrides(context, 'requestOverride', kind))
  return { body, ...(bytes !== undefined && { bytes }), params: mapped }
}

function passesThrough(behaviour: string | undefined, templateCount: number): boolean {
  if (behaviour === 'NEVER') return false
  if (behaviour === 'WHEN_NO_TEMPLATES') return templateCount === 0
  return true
}

/**
 * A deployed integration's responses, listed once: its deployment is a snapshot that never changes, and
 * listing an object keyed by status codes (integer-like keys) costs more than a whole MOCK answer otherwise.
 */
const deployedResponses = new WeakMap<IntegrationData, T.IntegrationResponse[]>()

function responsesOf(integration: IntegrationData, deployed: boolean): T.IntegrationResponse[] {
  if (!deployed) return Object.values(integration.integrationResponses)
  let list = deployedResponses.get(integration)
  if (list === undefined) deployedResponses.set(integration, list = Object.values(integration.integrationResponses))
  return list
}

/**
 * The integration response whose selection pattern matches the whole selector, else the default one (no pattern).
 * `deployed`: the integration is a deployment's (never changed), not the API's current one (TestInvokeMethod's).
 */
export function selectResponse(integration: IntegrationData, selector: string, deployed = false): T.IntegrationResponse | undefined {
  const responses = responsesOf(integration, deployed)
  for (const response of responses) {
    const pattern = response.selectionPattern
    if (pattern === undefined || pattern === '') continue
    try {
      if (javaMatches(pattern, selector)) return response
    } catch {
      // An invalid pattern never matches.
    }
  }
  return responses.find((r) => r.selectionPattern === undefined || r.selectionPattern === '')
}

/**
 * The method response: the selected integration response's status, mapped headers and template
 * output (the backend's body as it is without a template). Undefined when no integration response
 * applies (AWS answers 500). Throws VtlError for a template that can't be rendered.
 */
export function mapResponse(ctx: InvokeContext, integration: IntegrationData, scope: TemplateScope, backend: BackendResult): HttpResponse | undefined {
  const response = selectResponse(integration, backend.selector, ctx.deployed === true)
  if (response === undefined) return undefined
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (response.responseParameters !== undefined) {
    for (const [name, value] of Object.entries(mapResponseParameters(response.responseParameters, ctx, backend))) headers[name.toLowerCase()] = value
  }
  const chosen = ctx.deployed === true ? deployedTemplate(response, ctx.request.headers['accept'])
    : responseTemplate(response.responseTemplates ?? {}, ctx.request.headers['accept'])
  const binaryTypes = ctx.api.binaryMediaTypes
  const handling = response.contentHandling
  let body: string | Buffer = backend.body
  if (chosen !== undefined) headers['content-type'] = chosen[0]
  // [R] An empty template passes the backend's body through, as no template does.
  if (chosen !== undefined && chosen[1] !== '') {
    const payloadBinary = isBinary(binaryTypes, backend.headers['content-type'])
    const input = () => payloadBinary ? (backend.bytes ?? Buffer.from(backend.body)).toString('base64') : backend.body
    body = renderVtl(chosen[1], () => scope.variables(input())())
    if (handling === 'CONVERT_TO_BINARY') body = decodeBase64(body)
  } else if (binaryTypes.length > 0 || handling !== undefined) {
    const payloadBinary = isBinary(binaryTypes, backend.headers['content-type'])
    const acceptBinary = isBinary(binaryTypes, ctx.request.headers['accept']?.split(',')[0])
    body = passthroughResponse(backend.bytes ?? Buffer.from(backend.body), payloadBinary, acceptBinary, binaryTypes.length > 0, handling)
  }
  const context = scope.contextIfBuilt
  if (context !== undefined) for (const [name, value] of Object.entries(overrides(context, 'responseOverride', 'header'))) headers[name.toLowerCase()] = value
  return { status: statusOverride(context) ?? Number(response.statusCode), headers, body }
}

/** A deployed integration response's template for the last Accept header seen (clients send the same one request after request). */
const deployedTemplates = new WeakMap<T.IntegrationResponse, { accept: string | undefined; chosen: [string, string] | undefined }>()

function deployedTemplate(response: T.IntegrationResponse, accept: string | undefined): [string, string] | undefined {
  const known = deployedTemplates.get(response)
  if (known !== undefined && known.accept === accept) return known.chosen
  const chosen = responseTemplate(response.responseTemplates ?? {}, accept)
  deployedTemplates.set(response, { accept, chosen })
  return chosen
}

/** [R] The first media type the Accept header lists that has a template, else `application/json`'s, else the first. */
function responseTemplate(templates: Record<string, string>, accept: string | undefined): [string, string] | undefined {
  const entries = Object.entries(templates)
  if (entries.length === 0) return undefined
  for (const wanted of (accept ?? '').split(',').map(mediaType)) {
    const found = entries.find(([type]) => type.toLowerCase() === wanted)
    if (found !== undefined) return found
  }
  return entries.find(([type]) => type.toLowerCase() === 'application/json') ?? entries[0]
}
