// Nimbus's own endpoints: /_nimbus/health (also /_localstack/health), /_nimbus/clock, /_nimbus/reset,
// and each service's own under /_nimbus/<service>/.
import type { Clock } from '../core/clock.ts'
import type { HttpRequest, HttpResponse } from '../protocol/http.ts'
import type { ServiceHandle } from '../services/service.ts'

export interface InternalApiDeps {
  clock: Clock & { advance(ms: number): void }
  services: readonly ServiceHandle[]
  version: string
  /** The HTTP server's sockets: open connections and requests in flight (this one included). */
  server?: () => Record<string, unknown>
}

export function isInternalPath(rawPath: string): boolean {
  return rawPath.startsWith('/_nimbus/') || rawPath.startsWith('/_localstack/')
}

export function handleInternal(request: HttpRequest, deps: InternalApiDeps): HttpResponse {
  const path = request.rawPath.split('?')[0] ?? ''
  const refused = refuseUnsafe(request)
  if (refused !== undefined) return refused
  if (path === '/_nimbus/health' || path === '/_localstack/health') return json(200, health(deps))
  if (path === '/_nimbus/clock') return clock(request, deps)
  if (path === '/_nimbus/reset' && request.method === 'POST') {
    for (const service of deps.services) service.reset()
    return json(200, { reset: true })
  }
  const service = deps.services.find((s) => path.startsWith(`/_nimbus/${s.descriptor.name}/`))
  const answer = service?.definition().internalRoutes?.(request, path.slice(`/_nimbus/${service.descriptor.name}/`.length))
  if (answer !== undefined) return answer
  return json(404, { error: 'NotFound', message: `No Nimbus endpoint ${request.method} ${path}` })
}

/**
 * Nimbus's mutating endpoints (reset, clock, each service's DELETE…) are no AWS API and carry no
 * signature, so they take only what a web page can't send without CORS's consent: a JSON body, from
 * no other origin. A page's form or `text/plain` fetch gets 415; any cross-origin request 403.
 */
function refuseUnsafe(request: HttpRequest): HttpResponse | undefined {
  if (request.method === 'GET' || request.method === 'HEAD') return undefined
  const origin = request.headers['origin']
  if (origin !== undefined && !sameOrigin(origin, request.headers['host'])) {
    return json(403, { error: 'CrossOriginRefused', message: 'Nimbus\'s own endpoints refuse requests from other origins.' })
  }
  const type = (request.headers['content-type'] ?? '').toLowerCase()
  if (!type.startsWith('application/json')) {
    return json(415, { error: 'UnsupportedMediaType', message: 'Send Content-Type: application/json (an empty body is fine).' })
  }
  return undefined
}

/** `Origin: http://127.0.0.1:4566` matches `Host: 127.0.0.1:4566` (the console, served by Nimbus itself). */
function sameOrigin(origin: string, host: string | undefined): boolean {
  const rest = origin.startsWith('http://') ? origin.slice(7) : origin.startsWith('https://') ? origin.slice(8) : undefined
  return rest !== undefined && host !== undefined && rest.toLowerCase() === host.toLowerCase()
}

function health(deps: InternalApiDeps): Record<string, unknown> {
  const services: Record<string, unknown> = {}
  for (const service of deps.services) services[service.descriptor.name] = service.health()
  return { edition: 'nimbus', version: deps.version, services, clock: { mode: deps.clock.mode, now: deps.clock.now() },
    ...(deps.server === undefined ? {} : { server: deps.server() }) }
}

function clock(request: HttpRequest, deps: InternalApiDeps): HttpResponse {
  const { clock } = deps
  if (request.method === 'GET') return json(200, { mode: clock.mode, now: clock.now() })
  if (request.method !== 'POST') return json(405, { error: 'MethodNotAllowed', message: 'Use GET or POST.' })
  if (clock.mode !== 'manual') {
    return json(409, { error: 'ClockNotManual', message: 'Start Nimbus with a manual clock (--clock manual) to move time.' })
  }
  let body: { advanceMs?: unknown }
  try {
    body = JSON.parse(request.body.toString('utf8') || '{}') as { advanceMs?: unknown }
  } catch {
    return json(400, { error: 'InvalidJson', message: 'The body must be JSON like {"advanceMs": 1000}.' })
  }
  const ms = body.advanceMs
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    return json(400, { error: 'InvalidAdvance', message: 'advanceMs must be a non-negative number.' })
  }
  clock.advance(ms)
  return json(200, { mode: clock.mode, now: clock.now() })
}

function json(status: number, body: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
}
