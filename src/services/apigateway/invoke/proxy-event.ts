// The Lambda proxy integration's event, payload format 1.0, field by field as AWS documents it
// ("Input format of a Lambda function for proxy integration").
import type { HttpRequest } from '../../../protocol/http.ts'
import { binaryType } from './binary.ts'
import { type InvokeContext, requestContext, sourceIp } from './request-context.ts'

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
