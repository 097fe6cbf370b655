// CORS for browser SDKs: preflights are answered for every service; responses expose AWS's headers.
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

export function addCorsHeaders(request: HttpRequest, response: HttpResponse): void {
  const origin = request.headers['origin']
  if (origin === undefined) return
  response.headers['access-control-allow-origin'] ??= origin
  response.headers['access-control-expose-headers'] ??= exposed
}
