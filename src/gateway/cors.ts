// CORS for browser SDKs. Only trusted origins get answers for the AWS APIs: loopback pages (a dev
// server on localhost) and the origins the user lists (--cors-origins); any other page gets no
// Access-Control-Allow-* headers, so it can't read answers or send non-simple requests. A loaded
// service with its own rules (S3's bucket CORS) answers its preflights and headers itself, for any origin, as AWS does.
import type { HttpRequest, HttpResponse } from '../protocol/http.ts'

const exposed = 'x-amzn-RequestId, x-amzn-ErrorType, x-amzn-query-error, x-amz-request-id, x-amz-id-2, ETag, ' +
  'x-amz-version-id, x-amz-delete-marker, x-amz-function-error, x-amz-log-result, x-amz-executed-version, Content-Length, Date'

/** Which browser origins the gateway answers: loopback ones always, plus the configured list (`*`: every origin). */
export interface CorsOrigins {
  readonly any: boolean
  readonly listed: ReadonlySet<string>
}

export function corsOrigins(configured: readonly string[]): CorsOrigins {
  const listed = new Set(configured.map((o) => o.trim().toLowerCase().replace(/\/+$/, '')).filter((o) => o !== ''))
  return { any: listed.has('*'), listed }
}

/** `http(s)://localhost`, `127.0.0.1`, `[::1]` or `*.localhost`, any port: a page served from the developer's own machine. */
export function isLoopbackOrigin(origin: string): boolean {
  const rest = origin.startsWith('http://') ? origin.slice(7) : origin.startsWith('https://') ? origin.slice(8) : undefined
  if (rest === undefined) return false
  let host = rest.toLowerCase()
  if (host.startsWith('[::1]')) return host.length === 5 || host[5] === ':'
  const colon = host.lastIndexOf(':')
  if (colon !== -1) host = host.slice(0, colon)
  return host === 'localhost' || host === '127.0.0.1' || host.endsWith('.localhost')
}

export function originAllowed(origin: string, allowed: CorsOrigins): boolean {
  return allowed.any || isLoopbackOrigin(origin) || allowed.listed.has(origin.toLowerCase())
}

/**
 * A request a web page made that Nimbus doesn't trust: an `Origin` that is neither loopback nor listed, or no
 * `Origin` on a browser's cross-site no-cors request (an `<img>`, a link, a form GET: `Sec-Fetch-Site: cross-site`).
 * Such a page can put a presigned-looking query or SigV2 form fields in a simple request, but not an Authorization header.
 */
export function fromUntrustedPage(request: HttpRequest, allowed: CorsOrigins): boolean {
  const origin = request.headers['origin']
  if (origin !== undefined) return !originAllowed(origin, allowed)
  return request.headers['sec-fetch-site'] === 'cross-site' && !allowed.any
}

export function isPreflight(request: HttpRequest): boolean {
  return request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined
}

/**
 * The gateway's own preflight answer: every method and the requested headers for a trusted origin;
 * 403 with no allow headers for any other. Private Network Access (a public page reaching a local
 * server) is granted only to trusted origins that ask for it.
 */
export function preflightResponse(request: HttpRequest, allowed: CorsOrigins): HttpResponse {
  const origin = request.headers['origin']
  if (origin === undefined || !originAllowed(origin, allowed)) {
    return { status: 403, headers: { 'content-type': 'text/plain', vary: 'Origin' }, body: 'CORS request refused: origin not allowed.' }
  }
  const headers: Record<string, string> = {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH',
    'access-control-allow-headers': request.headers['access-control-request-headers'] ?? '*',
    'access-control-max-age': '86400',
    'access-control-expose-headers': exposed,
    vary: 'Origin',
  }
  if (request.headers['access-control-request-private-network'] === 'true') headers['access-control-allow-private-network'] = 'true'
  return { status: 200, headers, body: '' }
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

export function addCorsHeaders(request: HttpRequest, response: HttpResponse, allowed: CorsOrigins): void {
  if (serviceAnswered.has(response)) return
  const origin = request.headers['origin']
  if (origin === undefined || !originAllowed(origin, allowed)) return
  response.headers['access-control-allow-origin'] ??= origin
  response.headers['access-control-expose-headers'] ??= exposed
  response.headers['vary'] ??= 'Origin'
}
