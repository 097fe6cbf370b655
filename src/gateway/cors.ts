// CORS for browser SDKs: preflights are answered for every service; responses expose AWS's headers.
// A loaded service with its own rules (S3's bucket CORS) answers its preflights and headers itself.
import type { HttpRequest, HttpResponse } from '../protocol/http.ts'

const exposed = 'x-amzn-RequestId, x-amzn-ErrorType, x-amzn-query-error, x-amz-request-id, x-amz-id-2, ETag, ' +
  'x-amz-version-id, x-amz-delete-marker, x-amz-function-error, x-amz-log-result, x-amz-executed-version, Content-Length, Date'

export function isPreflight(request: HttpRequest): boolean {
  return request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined
}

export function preflightResponse(request: HttpRequest): HttpResponse {
  return {
    status: 200,
    headers: {
      'access-control-allow-origin': request.headers['origin'] ?? '*',
      'access-control-allow-methods': 'GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH',
      'access-control-allow-headers': request.headers['access-control-request-headers'] ?? '*',
      'access-control-max-age': '86400',
      'access-control-expose-headers': exposed,
    },
    body: '',
  }
}

/** Responses a service answered by its own CORS rules: the gateway adds nothing of its own to them. */
const serviceAnswered = new WeakSet<HttpResponse>()

/** Applies a service's own CORS headers (`ServiceCors.headers`); undefined keeps the gateway's default. */
export function withServiceCors(response: HttpResponse, headers: Record<string, string> | undefined): HttpResponse {
  if (headers === undefined) return response
  Object.assign(response.headers, headers)
  serviceAnswered.add(response)
  return response
}

export function addCorsHeaders(request: HttpRequest, response: HttpResponse): void {
  if (serviceAnswered.has(response)) return
  const origin = request.headers['origin']
  if (origin === undefined) return
  response.headers['access-control-allow-origin'] ??= origin
  response.headers['access-control-expose-headers'] ??= exposed
}
