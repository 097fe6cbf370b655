// Customised gateway responses at request time: an answer API Gateway made itself (Missing
// Authentication Token, Unauthorized, Invalid request body, a timeout…) takes the status, headers
// (`gatewayresponse.header.X`) and body template of its type's customised response in the stage's
// deployment — else of DEFAULT_4XX / DEFAULT_5XX — with `$context.error.*` for the template.
import type { HttpRequest, HttpResponse } from '../../../protocol/http.ts'
import type { ApiData, DeploymentData, StageData } from '../api-data.ts'
import { clfTime, type InvokeContext, requestContext } from '../invoke/request-context.ts'
import { gatewayMadeOf, idHeaders, type ResponseIds } from '../invoke/gateway-responses.ts'
import type { InvokeTarget } from '../invoke/invoke-url.ts'
import { inputVariable, plainMap, renderVtl, utilVariable, type Value } from '../vtl/index.ts'
import { customisedFor, defaultTemplate } from './catalog.ts'

/** What the request reached before the gateway answered: filled in as serving goes. */
export interface ResponseScope {
  api?: ApiData
  stage?: StageData
  deployment?: DeploymentData
  ctx?: InvokeContext
  /** The resource the path named when it has no such method (no ctx then). */
  resource?: { resource: { id: string; path: string }; pathParameters: Record<string, string> }
}

export function applyGatewayResponses(response: HttpResponse, scope: ResponseScope, request: HttpRequest, target: InvokeTarget, ids: ResponseIds,
  now: number, log: (line: string) => void): HttpResponse {
  const made = gatewayMadeOf(response)
  const { api, stage, deployment } = scope
  if (made === undefined || api === undefined || stage === undefined || deployment === undefined) return response
  // Gateway responses are deployed with the API; a deployment made before they were kept uses the API's own.
  const customised = customisedFor(made.type, response.status, deployment.gatewayResponses ?? api.gatewayResponses ?? {})
  if (customised === undefined) return response
  const custom = customised.response
  const status = custom.statusCode !== undefined && /^[1-5]\d\d$/.test(custom.statusCode) ? Number(custom.statusCode) : response.status
  const context = contextOf(scope, request, target, ids, now)
  context.error = {
    message: made.message, messageString: JSON.stringify(made.message), responseType: made.type,
    validationErrorString: made.validationErrorString ?? '',
  }
  const [mediaType, template] = pickTemplate(custom.responseTemplates, request.headers['accept'])
  let body: string
  try {
    body = renderVtl(template, new Map<string, Value>([
      ['context', plainMap(context)], ['stageVariables', plainMap(stage.variables)], ['util', utilVariable],
      ['input', inputVariable(request.body.toString('utf8'), { path: pathParameters(scope), querystring: Object.fromEntries(request.query), header: { ...request.headers } })],
    ]))
  } catch (error) {
    log(`[nimbus] apigateway ${api.id}: the ${customised.own ? made.type : 'default'} gateway response template failed: ${error instanceof Error ? error.message : String(error)}; answering the default response`)
    return response
  }
  const headers: Record<string, string> = { ...response.headers, 'content-type': mediaType, ...idHeaders(ids) }
  for (const [name, source] of Object.entries(custom.responseParameters ?? {})) {
    const header = /^gatewayresponse\.header\.(.+)$/.exec(name)?.[1]
    const value = header === undefined ? undefined : sourceValue(source, scope, request, stage, context)
    if (header !== undefined && value !== undefined) headers[header.toLowerCase()] = value
  }
  return { status, headers, body }
}

/** The template for the first media type the request accepts that has one, else `application/json`'s, else the first; AWS's default without any. */
function pickTemplate(templates: Record<string, string> | undefined, accept: string | undefined): [string, string] {
  const entries = Object.entries(templates ?? {})
  if (entries.length === 0) return ['application/json', defaultTemplate]
  for (const range of (accept ?? '').split(',').map((a) => a.split(';')[0]!.trim().toLowerCase())) {
    const found = entries.find(([type]) => type.toLowerCase() === range)
    if (found !== undefined) return found
  }
  return entries.find(([type]) => type === 'application/json') ?? entries[0]!
}

/** `$context` as far as the request got: the whole request context once a method matched. */
function contextOf(scope: ResponseScope, request: HttpRequest, target: InvokeTarget, ids: ResponseIds, now: number): Record<string, unknown> {
  if (scope.ctx !== undefined) return { ...requestContext(scope.ctx) }
  return {
    apiId: scope.api?.id, accountId: scope.api?.account, stage: scope.stage?.stageName, deploymentId: scope.stage?.deploymentId,
    httpMethod: request.method, path: target.requestPath ?? `/${scope.stage?.stageName ?? ''}${target.path}`, requestId: ids.requestId,
    extendedRequestId: ids.extendedRequestId, domainName: target.domainName, domainPrefix: target.domainName.split('.')[0],
    protocol: 'HTTP/1.1', requestTime: clfTime(now), requestTimeEpoch: now,
    ...(scope.resource !== undefined && { resourcePath: scope.resource.resource.path, resourceId: scope.resource.resource.id }),
  }
}

const pathParameters = (scope: ResponseScope): Record<string, string> => scope.ctx?.route.pathParameters ?? scope.resource?.pathParameters ?? {}

/** A `responseParameters` source: `'static'`, `method.request.{header,querystring,path}.x`, `method.input.params.x`, `stageVariables.x`, `context.x`. */
function sourceValue(source: string, scope: ResponseScope, request: HttpRequest, stage: StageData, context: Record<string, unknown>): string | undefined {
  if (source.length >= 2 && source.startsWith("'") && source.endsWith("'")) return source.slice(1, -1)
  const m = /^method\.request\.(header|multivalueheader|querystring|multivaluequerystring|path)\.(.+)$/.exec(source)
  if (m !== null) {
    const [, kind, name] = m as unknown as [string, string, string]
    if (kind.endsWith('header')) return request.headers[name.toLowerCase()]
    if (kind === 'querystring') return request.query.getAll(name).at(-1)
    if (kind === 'multivaluequerystring') return request.query.has(name) ? request.query.getAll(name).join(',') : undefined
    return pathParameters(scope)[name]
  }
  // The OpenAPI gateway response example's `method.input.params.x`: as `$input.params('x')` looks, path, query string, header [R].
  const input = /^method\.input\.params\.(.+)$/.exec(source)?.[1]
  if (input !== undefined) return pathParameters(scope)[input] ?? request.query.getAll(input).at(-1) ?? request.headers[input.toLowerCase()]
  if (source.startsWith('stageVariables.')) return stage.variables[source.slice('stageVariables.'.length)]
  if (source.startsWith('context.')) {
    const value = source.slice('context.'.length).split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | null | undefined)?.[k], context)
    return value === undefined || value === null || typeof value === 'object' ? undefined : String(value)
  }
  return undefined
}
