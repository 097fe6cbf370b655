// GET /_nimbus/api/services, /_nimbus/api/resources, /_nimbus/api/resource and POST /_nimbus/api/action:
// every service's console declarations (services/console-view.ts), read through its definition —
// never its private state. A service not loaded yet has no resources (it has no state): listing
// it loads nothing; its catalog comes from its descriptor.
import { newRequestId } from '../core/ids.ts'
import type { Clock } from '../core/clock.ts'
import { isAwsError } from '../protocol/errors.ts'
import type { HttpRequest, HttpResponse } from '../protocol/http.ts'
import { ConsoleError, type ConsoleItem, type ConsoleView } from '../services/console-view.ts'
import type { OperationContext, ServiceHandle } from '../services/service.ts'
import type { ApiCallLog } from './api-log.ts'
import { refOf } from './call-facts.ts'
import { json, refuse } from './json.ts'

export interface ResourceDeps {
  services: readonly ServiceHandle[]
  clock: Clock
  /** The region Nimbus was started with: always listed, even before anything exists. */
  region: string
  /** Console actions are API calls too: recorded as `console:<action>`, so the timeline shows what they caused. */
  calls?: ApiCallLog
}

const defaultAccount = '000000000000'
/** The region of a global service's resources (IAM): they list under every region. */
const global = 'global'

export function servicesList(deps: ResourceDeps): HttpResponse {
  const accounts = new Set([defaultAccount])
  const regions = new Set([deps.region])
  const services = []
  for (const handle of deps.services) {
    const catalog = handle.descriptor.consoleCatalog
    if (catalog === undefined) continue
    services.push({ name: handle.descriptor.name, label: catalog.label, resourceTypes: catalog.resourceTypes })
    const view = handle.loaded?.()?.console
    if (view === undefined) continue
    for (const type of catalog.resourceTypes) {
      for (const item of view.list(type.type)) {
        accounts.add(item.account)
        if (item.region !== global) regions.add(item.region)
      }
    }
  }
  return json(200, { services, accounts: [...accounts].sort(), regions: [...regions].sort() })
}

export function resourcesList(request: HttpRequest, deps: ResourceDeps): HttpResponse {
  const found = viewOf(request, deps)
  if ('status' in found) return found
  const { view, type } = found
  const account = request.query.get('account') || undefined
  const region = request.query.get('region') || undefined
  const q = (request.query.get('q') ?? '').toLowerCase()
  const items = view === undefined ? [] : view.list(type).filter((item) => (account === undefined || item.account === account) &&
    (region === undefined || item.region === region || item.region === global) && (q === '' || matches(item, q)))
  return json(200, { items: items.map(({ id, name, arn, account: a, region: r, fields }) => ({ id, name, arn, account: a, region: r, fields })) })
}

export function resourceDetail(request: HttpRequest, deps: ResourceDeps): HttpResponse {
  const found = viewOf(request, deps)
  if ('status' in found) return found
  const id = request.query.get('id')
  if (id === null || id === '') return refuse(400, 'MissingParameter', 'Name the resource with ?id= (its id or ARN).')
  const detail = found.view?.detail(found.type, id)
  if (detail === undefined) return refuse(404, 'ResourceNotFound', `No ${found.type} ${id} in ${found.service}.`)
  const { item } = detail
  return json(200, { id: item.id, name: item.name, arn: item.arn, account: item.account, region: item.region, service: found.service,
    type: found.type, fields: item.fields, sections: detail.sections, links: detail.links ?? [], actions: detail.actions ?? [],
    charts: detail.charts ?? [] })
}

export async function runAction(request: HttpRequest, deps: ResourceDeps): Promise<HttpResponse> {
  let body: Record<string, unknown>
  try {
    body = JSON.parse(request.body.toString('utf8') || '{}') as Record<string, unknown>
  } catch {
    return refuse(400, 'InvalidJson', 'The body must be JSON: { service, type, id, action, params }.')
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return refuse(400, 'InvalidJson', 'The body must be a JSON object.')
  const { service, type, id, action } = body
  if (typeof service !== 'string' || typeof type !== 'string' || typeof id !== 'string' || typeof action !== 'string') {
    return refuse(400, 'MissingParameter', 'The body needs service, type, id and action (strings), and params (an object).')
  }
  const params = body['params'] ?? {}
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return refuse(400, 'InvalidParameter', 'params must be a JSON object.')
  const query = new URLSearchParams({ service, type })
  const found = viewOf({ ...request, query }, deps, true)
  if ('status' in found) return found
  const item = found.view?.detail(type, id)?.item
  if (item === undefined) return refuse(404, 'ResourceNotFound', `No ${type} ${id} in ${service}.`)
  // The resource is there; its service just declares no actions (DynamoDB tables, EC2 instances…).
  if (found.view?.act === undefined) return refuse(400, 'UnknownAction', `No action "${action}" here.`)
  const ctx = context(item, deps.clock, request)
  const at = deps.clock.now()
  const started = performance.now()
  const answer = await act(found.view, type, id, action, params as Record<string, unknown>, ctx)
  deps.calls?.record(at, service, `console:${action}`, answer.status, performance.now() - started, ctx.requestId, item.arn, undefined,
    answer.status === 200 ? refOf(answer.result) : undefined, ctx.caller)
  return answer.status === 200 ? json(200, { ok: true, result: answer.result ?? null }) : refuse(answer.status, answer.error!, answer.message!)
}

async function act(view: ConsoleView, type: string, id: string, action: string, params: Record<string, unknown>, ctx: OperationContext):
  Promise<{ status: number; result?: unknown; error?: string; message?: string }> {
  try {
    return { status: 200, result: await view.act!(type, id, action, params, ctx) }
  } catch (error) {
    if (error instanceof ConsoleError) return { status: error.status, error: error.code, message: error.message }
    if (isAwsError(error)) return { status: error.status >= 500 ? 502 : 400, error: error.code, message: error.message }
    return { status: 500, error: 'ActionFailed', message: error instanceof Error ? error.message : String(error) }
  }
}

/** The service's view and the type asked for, or the refusal. `load`: an action may load the service. */
function viewOf(request: HttpRequest, deps: ResourceDeps, load = false):
  { service: string; type: string; view: ConsoleView | undefined } | HttpResponse {
  const service = request.query.get('service')
  const type = request.query.get('type')
  if (service === null || type === null) return refuse(400, 'MissingParameter', 'Name the service and type: ?service=sqs&type=queue.')
  const handle = deps.services.find((s) => s.descriptor.name === service)
  const catalog = handle?.descriptor.consoleCatalog
  if (handle === undefined || catalog === undefined) return refuse(404, 'UnknownService', `The console shows no service "${service}".`)
  if (!catalog.resourceTypes.some((t) => t.type === type)) {
    return refuse(404, 'UnknownResourceType', `${service} has no resource type "${type}" (it has ${catalog.resourceTypes.map((t) => t.type).join(', ')}).`)
  }
  return { service, type, view: (load ? handle.definition() : handle.loaded?.())?.console }
}

function matches(item: ConsoleItem, q: string): boolean {
  return item.name.toLowerCase().includes(q) || item.arn.toLowerCase().includes(q) || item.id.toLowerCase().includes(q)
}

/** An operation context in the resource's account and region, as if its owner called (the console is the account's owner). */
function context(item: ConsoleItem, clock: Clock, request: HttpRequest): OperationContext {
  return { caller: { account: item.account, region: item.region, accessKeyId: 'test' }, requestId: newRequestId(), clock,
    protocol: 'json', host: request.headers['host'] ?? 'localhost', signal: new AbortController().signal }
}
