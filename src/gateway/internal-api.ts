// Nimbus's own endpoints: /_nimbus/health (also /_localstack/health), /_nimbus/clock, /_nimbus/reset,
// the console's (/_nimbus/trace, /_nimbus/api/…: console/routes.ts), and each service's own under /_nimbus/<service>/.
import { type ConsoleDeps, handleConsole } from '../console/routes.ts'
import type { TraceLog } from '../fabric/trace.ts'
import type { HttpRequest, HttpResponse } from '../protocol/http.ts'
import type { ServiceHandle } from '../services/service.ts'
import type { InitStatus } from '../init-scripts.ts'
import { clockEndpoint, type MovableClock } from './internal-clock.ts'
import { consoleUi, isConsolePath } from './console-ui.ts'

export interface InternalApiDeps {
  clock: MovableClock
  services: readonly ServiceHandle[]
  version: string
  /** The HTTP server's sockets: open connections and requests in flight (this one included). */
  server?: () => Record<string, unknown>
  /** The init scripts' progress; undefined when there are none. */
  init?: () => InitStatus | undefined
  /** The delivery fabric's trace log, read-only at GET /_nimbus/trace. */
  trace?: TraceLog
  /** The console's endpoints (trace timeline, resources, actions); without it only the hop log is served. */
  console?: ConsoleDeps
}

export function isInternalPath(rawPath: string): boolean {
  return rawPath.startsWith('/_nimbus/') || rawPath.startsWith('/_localstack/')
}

export function handleInternal(request: HttpRequest, deps: InternalApiDeps): HttpResponse | Promise<HttpResponse> {
  const path = request.rawPath.split('?')[0] ?? ''
  const refused = refuseUnsafe(request)
  if (refused !== undefined) return refused
  if (path === '/_nimbus/health' || path === '/_localstack/health') {
    // 503 while init scripts run: "wait until health answers 200" then means "initialised" for CI.
    const init = deps.init?.()
    return json(init?.state === 'running' ? 503 : 200, { ...health(deps), init: init?.state ?? 'done',
      ...(init === undefined ? {} : { initScripts: init.scripts }) })
  }
  if (path === '/_nimbus/clock') return clockEndpoint(request, deps.clock)
  if (isConsolePath(path)) return consoleUi(request, path)
  const console = deps.console === undefined ? undefined : handleConsole(request, path, deps.console)
  if (console !== undefined) return console
  if (path === '/_nimbus/trace' && deps.trace !== undefined) return trace(request, deps.trace)
  if (path === '/_nimbus/reset' && request.method === 'POST') {
    for (const service of deps.services) service.reset()
    deps.trace?.clear()
    deps.console?.hops.clear()
    deps.console?.calls.clear()
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

/** The newest hops (all held, or `?limit=`), oldest first: the rows are built only now. */
function trace(request: HttpRequest, log: TraceLog): HttpResponse {
  if (request.method !== 'GET') return json(405, { error: 'MethodNotAllowed', message: 'Use GET.' })
  const text = request.query.get('limit')
  const limit = text === null ? log.capacity : Number(text)
  if (text !== null && (!/^\d+$/.test(text) || !Number.isSafeInteger(limit))) {
    return json(400, { error: 'InvalidLimit', message: 'limit must be a non-negative integer.' })
  }
  return json(200, { hops: log.read(limit), total: log.total, capacity: log.capacity })
}

function json(status: number, body: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
}
