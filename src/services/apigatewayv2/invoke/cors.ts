// CORS for HTTP APIs, applied by the gateway as AWS documents it ("Configure CORS for HTTP APIs"):
// a preflight (OPTIONS with Origin and Access-Control-Request-Method) is answered without invoking
// a route, and a request with an Origin gets the configured headers on its answer — the
// integration's own Access-Control-* headers are ignored.
import { compileGlob, globTokens } from '../../../core/glob.ts'
import type { CorsData } from '../data.ts'
import type { InvokeRequest, InvokeResponse } from '../port.ts'

export function isPreflight(request: InvokeRequest): boolean {
  return request.method === 'OPTIONS' && request.headers['origin'] !== undefined && request.headers['access-control-request-method'] !== undefined
}

/** The Access-Control-Allow-Origin value for an allowed origin: `*` when every origin is, else the origin itself. */
function allowedOrigin(cors: CorsData, origin: string): string | undefined {
  const origins = cors.allowOrigins ?? []
  if (origins.includes('*')) return '*'
  const lower = origin.toLowerCase()
  for (const allowed of origins) {
    const pattern = allowed.toLowerCase()
    // `https://*` allows any origin of that scheme (AWS's documented wildcard form).
    if (pattern.includes('*')) {
      if (compileGlob(globTokens(pattern, false))(lower)) return origin
    } else if (pattern === lower) return origin
  }
  return undefined
}

/** AWS's answer to a preflight: 204, with the configured headers when the origin is allowed [R: nothing but the id otherwise]. */
export function preflightResponse(cors: CorsData, request: InvokeRequest, requestId: string): InvokeResponse {
  const headers: Record<string, string> = { 'apigw-requestid': requestId }
  const origin = allowedOrigin(cors, request.headers['origin'] ?? '')
  if (origin !== undefined) {
    headers['access-control-allow-origin'] = origin
    if (cors.allowMethods !== undefined && cors.allowMethods.length > 0) headers['access-control-allow-methods'] = cors.allowMethods.join(',')
    if (cors.allowHeaders !== undefined && cors.allowHeaders.length > 0) headers['access-control-allow-headers'] = cors.allowHeaders.join(',')
    if (cors.maxAge !== undefined) headers['access-control-max-age'] = String(cors.maxAge)
    if (cors.allowCredentials === true) headers['access-control-allow-credentials'] = 'true'
    if (cors.exposeHeaders !== undefined && cors.exposeHeaders.length > 0) headers['access-control-expose-headers'] = cors.exposeHeaders.join(',')
  }
  return { status: 204, headers, body: '' }
}

/** Any other answer to a request with an Origin: the integration's CORS headers out, the configured ones in. */
export function withCors(cors: CorsData, request: InvokeRequest, response: InvokeResponse): InvokeResponse {
  const sent = request.headers['origin']
  if (sent === undefined) return response
  for (const name of Object.keys(response.headers)) if (name.toLowerCase().startsWith('access-control-')) delete response.headers[name]
  const origin = allowedOrigin(cors, sent)
  if (origin === undefined) return response
  response.headers['access-control-allow-origin'] = origin
  if (cors.allowCredentials === true) response.headers['access-control-allow-credentials'] = 'true'
  if (cors.exposeHeaders !== undefined && cors.exposeHeaders.length > 0) response.headers['access-control-expose-headers'] = cors.exposeHeaders.join(',')
  return response
}
