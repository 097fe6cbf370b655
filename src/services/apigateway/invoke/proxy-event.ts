// The Lambda proxy integration's event, payload format 1.0, field by field as AWS documents it
// ("Input format of a Lambda function for proxy integration"). Built for one JSON.stringify per request:
// no intermediate arrays, sets or spread objects on the usual path (a request's largest piece of JavaScript).
import { pushOwn, setOwn } from '../../../core/own-keys.ts'
import type { HttpRequest } from '../../../protocol/http.ts'
import { binaryType } from './binary.ts'
import { type InvokeContext, requestContext, sourceIp } from './request-context.ts'

/** `traceId` goes to the function as the X-Amzn-Trace-Id header, with the X-Forwarded-* headers AWS adds. */
export function proxyEvent(ctx: InvokeContext, traceId: string): Record<string, unknown> {
  const { request, route, stage } = ctx
  const headers: Record<string, string> = {}
  const multiValueHeaders: Record<string, string[]> = {}
  headerMaps(request, headers, multiValueHeaders)
  // Unless the client sent them (any case): requestContext.identity.sourceIp is the X-Forwarded-For.
  const sent = request.headers
  if (sent['x-amzn-trace-id'] === undefined) add(headers, multiValueHeaders, 'X-Amzn-Trace-Id', `${traceId};Sampled=0`)
  if (sent['x-forwarded-for'] === undefined) add(headers, multiValueHeaders, 'X-Forwarded-For', sourceIp(request))
  if (sent['x-forwarded-port'] === undefined) add(headers, multiValueHeaders, 'X-Forwarded-Port', port(sent['host']))
  if (sent['x-forwarded-proto'] === undefined) add(headers, multiValueHeaders, 'X-Forwarded-Proto', 'http')
  let query: Record<string, string> | null = null
  let multiQuery: Record<string, string[]> | null = null
  if (request.query.size !== 0) {
    query = {}
    multiQuery = {}
    for (const [name, value] of request.query) {
      setOwn(query, name, value)
      pushOwn(multiQuery, name, value)
    }
  }
  const binary = binaryType(ctx.api.binaryMediaTypes, sent['content-type'])
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
    pathParameters: isEmpty(route.pathParameters) ? null : route.pathParameters,
    stageVariables: isEmpty(stage.variables) ? null : stage.variables,
    requestContext: requestContext(ctx),
    body,
    isBase64Encoded: body !== null && binary,
  }
}

function isEmpty(map: Record<string, string>): boolean {
  for (const _ in map) return false
  return true
}

/** Names as the client sent them; a repeated header's last value in `headers`, every value in `multiValueHeaders`. */
function headerMaps(request: HttpRequest, single: Record<string, string>, multi: Record<string, string[]>): void {
  const raw = request.rawHeaders
  if (raw !== undefined) {
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = raw[i]!
      setOwn(single, name, raw[i + 1]!)
      pushOwn(multi, name, raw[i + 1]!)
    }
  } else {
    for (const name in request.headers) {
      setOwn(single, name, request.headers[name]!)
      setOwn(multi, name, [request.headers[name]!])
    }
  }
}

function add(single: Record<string, string>, multi: Record<string, string[]>, name: string, value: string): void {
  single[name] = value
  multi[name] = [value]
}

/** The port the client called (`X-Forwarded-Port`). */
function port(host: string | undefined): string {
  const colon = host?.lastIndexOf(':') ?? -1
  return host !== undefined && colon > host.lastIndexOf(']') ? host.slice(colon + 1) : '80'
}
