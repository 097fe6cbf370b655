// Nimbus's console endpoints, under the gateway's own /_nimbus/ paths: the JSON API the web console
// reads (/_nimbus/api/…), the trace timeline and an event's path, what is due on the clock, and the
// live event stream. Reads only: the trace logs, the fabric's pending deliveries and each service's
// console declarations (services/console-view.ts).
import type { Clock } from '../core/clock.ts'
import type { Pending } from '../fabric/types.ts'
import type { HttpRequest, HttpResponse } from '../protocol/http.ts'
import type { ServiceHandle } from '../services/service.ts'
import { clockNext } from './clock-next.ts'
import type { EventStreams } from './event-stream.ts'
import { refuse } from './json.ts'
import { resourceDetail, resourcesList, runAction, servicesList } from './resources.ts'
import type { TraceLogs } from './trace-entries.ts'
import { traceEndpoint } from './trace-endpoint.ts'
import { tracePath } from './trace-path.ts'

export interface ConsoleDeps extends TraceLogs {
  services: readonly ServiceHandle[]
  clock: Clock
  region: string
  /** The fabric's deliveries waiting on the clock (first attempts scheduled, retries), due order. */
  pending: () => readonly Pending[]
  /** The live streams at /_nimbus/events (the composition root ends them on stop). */
  events: EventStreams
}

/** The answer for a console path, or undefined when the path is none of the console's. */
export function handleConsole(request: HttpRequest, path: string, deps: ConsoleDeps): HttpResponse | Promise<HttpResponse> | undefined {
  if (path === '/_nimbus/trace') return traceEndpoint(request, deps)
  if (path === '/_nimbus/trace/path') return tracePath(request, deps, deps.pending)
  if (path === '/_nimbus/clock/next') return clockNext(request, deps.services, deps.pending)
  if (path === '/_nimbus/events') return deps.events.subscribe(request)
  if (!path.startsWith('/_nimbus/api/')) return undefined
  const name = path.slice('/_nimbus/api/'.length)
  if (name === 'action') return request.method === 'POST' ? runAction(request, deps) : refuse(405, 'MethodNotAllowed', 'Use POST.')
  const read = name === 'services' ? () => servicesList(deps) : name === 'resources' ? resourcesList
    : name === 'resource' ? resourceDetail : undefined
  if (read === undefined) return refuse(404, 'NotFound', `No console endpoint ${path}.`)
  if (request.method !== 'GET') return refuse(405, 'MethodNotAllowed', 'Use GET.')
  return read(request, deps)
}
