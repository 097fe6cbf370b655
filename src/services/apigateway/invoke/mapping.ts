// Non-proxy integrations' request and response mapping: the request template chosen by Content-Type
// and the passthrough behaviour, the integration response chosen by selection pattern, its
// parameters and response template (chosen by Accept), `$context.responseOverride`, and the payload
// conversions of binary media types and contentHandling (content-handling.ts).
import type { HttpResponse } from '../../../protocol/http.ts'
import type * as T from '../generated/types.ts'
import type { IntegrationData } from '../store.ts'
import { javaMatches, renderVtl, type RequestParams, type VtlMap } from '../vtl/index.ts'
import { decodeBase64, isBinary, passthroughRequest, passthroughResponse } from './content-handling.ts'
import { mapRequestParameters, type MappedParams, mapResponseParameters } from './parameter-mapping.ts'
import type { InvokeContext } from './request-context.ts'
import { overrides, statusOverride, templateVariables } from './template-variables.ts'

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
export function mapRequest(ctx: InvokeContext, integration: IntegrationData, context: VtlMap, params: RequestParams): MappedRequest | undefined {
  const templates = integration.requestTemplates ?? {}
  const type = mediaType(ctx.request.headers['content-type']) ?? 'application/json'
  const key = Object.keys(templates).find((k) => k.toLowerCase() === type)
  // A binary payload reaches a template as base64 text (`$input.body`), as AWS's conversion guide says.
  const binary = isBinary(ctx.api.binaryMediaTypes, ctx.request.headers['content-type'])
  const handling = integration.contentHandling
  let body: string
  let bytes: Buffer | undefined
  if (key !== undefined && (templates[key] ?? '') !== '') {
    body = renderVtl(templates[key]!, templateVariables(ctx, context, ctx.request.body.toString(binary ? 'base64' : 'utf8'), params))
    if (handling === 'CONVERT_TO_BINARY') bytes = decodeBase64(body)
  } else if (key !== undefined || passesThrough(integration.passthroughBehavior, Object.keys(templates).length)) {
    if (binary || handling !== undefined) ({ text: body, bytes } = passthroughRequest(ctx.request.body, binary, handling))
    else body = ctx.request.body.toString('utf8')
  } else return undefined
  const mapped = mapRequestParameters(integration.requestParameters, ctx, params)
  // A template's $context.requestOverride wins over the mapped parameters.
  for (const kind of ['header', 'querystring', 'path'] as const) Object.assign(mapped[kind], overrides(context, 'requestOverride', kind))
  return { body, ...(bytes !== undefined && { bytes }), params: mapped }
}

function passesThrough(behaviour: string | undefined, templateCount: number): boolean {
  if (behaviour === 'NEVER') return false
  if (behaviour === 'WHEN_NO_TEMPLATES') return templateCount === 0
  return true
}

/** The integration response whose selection pattern matches the whole selector, else the default one (no pattern). */
export function selectResponse(integration: IntegrationData, selector: string): T.IntegrationResponse | undefined {
  const responses = Object.values(integration.integrationResponses)
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
export function mapResponse(ctx: InvokeContext, integration: IntegrationData, context: VtlMap, params: RequestParams,
  backend: BackendResult): HttpResponse | undefined {
  const response = selectResponse(integration, backend.selector)
  if (response === undefined) return undefined
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  for (const [name, value] of Object.entries(mapResponseParameters(response.responseParameters, ctx, backend))) headers[name.toLowerCase()] = value
  const chosen = responseTemplate(response.responseTemplates ?? {}, ctx.request.headers['accept'])
  const binaryTypes = ctx.api.binaryMediaTypes
  const handling = response.contentHandling
  const payloadBinary = isBinary(binaryTypes, backend.headers['content-type'])
  let body: string | Buffer = backend.body
  if (chosen !== undefined) headers['content-type'] = chosen[0]
  // [R] An empty template passes the backend's body through, as no template does.
  if (chosen !== undefined && chosen[1] !== '') {
    const input = payloadBinary ? (backend.bytes ?? Buffer.from(backend.body)).toString('base64') : backend.body
    body = renderVtl(chosen[1], templateVariables(ctx, context, input, params))
    if (handling === 'CONVERT_TO_BINARY') body = decodeBase64(body)
  } else if (binaryTypes.length > 0 || handling !== undefined) {
    const acceptBinary = isBinary(binaryTypes, ctx.request.headers['accept']?.split(',')[0])
    body = passthroughResponse(backend.bytes ?? Buffer.from(backend.body), payloadBinary, acceptBinary, binaryTypes.length > 0, handling)
  }
  for (const [name, value] of Object.entries(overrides(context, 'responseOverride', 'header'))) headers[name.toLowerCase()] = value
  return { status: statusOverride(context) ?? Number(response.statusCode), headers, body }
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
