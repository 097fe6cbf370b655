// The console's view of Nimbus's JSON contract (/_nimbus/api, /_nimbus/trace, /_nimbus/clock, SSE at
// /_nimbus/events): its types, and fetch wrappers that turn `{error, message}` answers into errors.

export interface Column { key: string; label: string }
export interface ResourceType { type: string; label: string; columns: Column[] }
export interface ServiceInfo { name: string; label: string; resourceTypes: ResourceType[] }
export interface ServicesAnswer { services: ServiceInfo[]; accounts: string[]; regions: string[] }
export type FieldValue = string | number | boolean | null
export interface ResourceItem { id: string; name: string; arn?: string; fields: Record<string, FieldValue> }
export interface Section { title: string; kind: 'kv' | 'table' | 'json' | 'text' | 'log'; data: unknown }
export interface Link { label: string; service: string; type: string; id: string }
export interface ActionParam { key: string; label: string; kind: 'text' | 'json' | 'number' }
export interface Action { name: string; label: string; params: ActionParam[] }
export interface Series { label: string; points: [number, number][] }
export interface Chart { title: string; series: Series[]; thresholds?: { label: string; value: number }[] }
export interface ResourceDetail extends ResourceItem {
  service: string; type: string; sections: Section[]; links: Link[]; actions: Action[]; charts: Chart[]
}
export interface TraceEntry {
  seq: number; at: number; kind: 'api' | 'hop'; service: string; operation?: string; status?: number
  durationMs?: number; resource?: string; requestId?: string; id?: string; source?: string; target?: string
  outcome?: string; attempt?: number; ref?: string; detail?: string
}
export interface TraceAnswer { entries: TraceEntry[]; next: number }
export interface PathNode { key: string; label: string; service: string; arn?: string }
export interface PathEdge { from: string; to: string; seq: number; at: number; outcome: string; attempt?: number; detail?: string }
export interface PathAnswer { nodes: PathNode[]; edges: PathEdge[]; pending: { target: string; at: number; attempt: number }[] }
export interface ClockState { mode: string; now: number; iso?: string }
export interface Due { at: number; what: string; service: string }

export class ApiError extends Error {
  readonly code: string
  constructor(code: string, message: string) {
    super(message)
    this.code = code
  }
}

async function answer<T>(response: Response): Promise<T> {
  const text = await response.text()
  let body: unknown
  try {
    body = text === '' ? {} : JSON.parse(text)
  } catch {
    throw new ApiError('BadAnswer', `${response.status}: ${text.slice(0, 200)}`)
  }
  if (!response.ok) {
    const { error, message } = body as { error?: string; message?: string }
    throw new ApiError(error ?? String(response.status), message ?? `HTTP ${response.status}`)
  }
  return body as T
}

export async function getJson<T>(path: string, params: Record<string, string | number | undefined> = {}): Promise<T> {
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') query.set(key, String(value))
  const text = query.toString()
  return answer<T>(await fetch(text === '' ? path : `${path}?${text}`, { headers: { accept: 'application/json' } }))
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  // Nimbus's own endpoints take only JSON from its own origin (see gateway/internal-api.ts).
  return answer<T>(await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }))
}

export const api = {
  services: () => getJson<ServicesAnswer>('/_nimbus/api/services'),
  resources: (p: { service: string; type: string; account?: string; region?: string; q?: string }) =>
    getJson<{ items: ResourceItem[] }>('/_nimbus/api/resources', p),
  resource: (service: string, type: string, id: string) => getJson<ResourceDetail>('/_nimbus/api/resource', { service, type, id }),
  action: (service: string, type: string, id: string, action: string, params: Record<string, unknown>) =>
    postJson<{ ok: true; result: unknown }>('/_nimbus/api/action', { service, type, id, action, params }),
  trace: (p: { service?: string; resource?: string; q?: string; since?: number; limit?: number }) => getJson<TraceAnswer>('/_nimbus/trace', p),
  path: (seq: number) => getJson<PathAnswer>('/_nimbus/trace/path', { seq }),
  clock: () => getJson<ClockState>('/_nimbus/clock'),
  moveClock: (body: { advanceMs: number } | { setTo: string }) => postJson<ClockState>('/_nimbus/clock', body),
  due: () => getJson<{ due: Due[] }>('/_nimbus/clock/next'),
}
