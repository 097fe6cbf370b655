// GET /_nimbus/clock/next[?limit=N]: what is due on the clock, soonest first — the fabric's deliveries
// waiting for their first attempt or a retry, and what each loaded service declares (a scheduled
// rule's next run, a delayed message turning visible). A service never loaded has nothing due.
import type { Pending } from '../fabric/types.ts'
import type { HttpRequest, HttpResponse } from '../protocol/http.ts'
import type { ServiceHandle } from '../services/service.ts'
import { json, refuse } from './json.ts'

export interface DueItem {
  at: number
  what: string
  service: string
}

export function clockNext(request: HttpRequest, services: readonly ServiceHandle[], pending: () => readonly Pending[]): HttpResponse {
  if (request.method !== 'GET') return refuse(405, 'MethodNotAllowed', 'Use GET.')
  const text = request.query.get('limit')
  if (text !== null && !/^\d+$/.test(text)) return refuse(400, 'InvalidLimit', 'limit must be a non-negative integer.')
  const limit = text === null ? 20 : Math.min(Number(text), 1000)
  const due: DueItem[] = pending().slice(0, limit).map((p) => ({ at: p.dueAt, service: p.delivery.owner,
    what: `${p.attempts === 0 ? 'delivery' : `retry ${p.attempts}`} of ${p.delivery.id} to ${p.delivery.target}` }))
  for (const handle of services) {
    const view = handle.loaded?.()?.console
    for (const item of view?.due?.(limit) ?? []) due.push({ ...item, service: handle.descriptor.name })
  }
  due.sort((a, b) => a.at - b.at)
  return json(200, { due: due.slice(0, limit) })
}
