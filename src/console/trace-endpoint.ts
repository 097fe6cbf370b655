// GET /_nimbus/trace: the timeline as JSON for the console and scripts —
// `?service=&resource=&q=&since=<seq>&limit=` → `{ entries, next }`. A plain `?limit=` call (no
// new-style filter) also carries the hop log as before: `{ hops, total, capacity }`.
import type { HttpRequest, HttpResponse } from '../protocol/http.ts'
import { json, refuse } from './json.ts'
import { allEntries, matchesFilter, type TraceFilter, type TraceLogs } from './trace-entries.ts'

/** Entries per answer when no limit is asked (the newest; page with `since`). */
const defaultLimit = 1000

export function traceEndpoint(request: HttpRequest, logs: TraceLogs): HttpResponse {
  if (request.method !== 'GET') return refuse(405, 'MethodNotAllowed', 'Use GET.')
  const limitText = request.query.get('limit')
  const sinceText = request.query.get('since')
  if (limitText !== null && !isCount(limitText)) return refuse(400, 'InvalidLimit', 'limit must be a non-negative integer.')
  if (sinceText !== null && !isCount(sinceText)) return refuse(400, 'InvalidSince', 'since must be a sequence number (a non-negative integer).')
  const filter: TraceFilter = {}
  for (const key of ['service', 'resource', 'q'] as const) {
    const value = request.query.get(key)
    if (value !== null && value !== '') filter[key] = value
  }
  const since = sinceText === null ? 0 : Number(sinceText)
  const matched = allEntries(logs, since).filter((entry) => matchesFilter(entry, filter))
  const limit = limitText === null ? defaultLimit : Number(limitText)
  // After `since`: the oldest first, so a client pages forward; else the newest `limit`.
  const entries = sinceText !== null ? matched.slice(0, limit) : matched.slice(Math.max(0, matched.length - limit))
  const last = entries.at(-1)?.seq
  const next = sinceText !== null && entries.length < matched.length ? last! : Math.max(since, logs.hops.sequence.value - 1)
  const answer: Record<string, unknown> = { entries, next }
  const legacy = sinceText === null && filter.service === undefined && filter.resource === undefined && filter.q === undefined
  if (legacy) {
    Object.assign(answer, { hops: logs.hops.read(limitText === null ? logs.hops.capacity : Number(limitText)), total: logs.hops.total,
      capacity: logs.hops.capacity })
  }
  return json(200, answer)
}

function isCount(text: string): boolean {
  return /^\d+$/.test(text) && Number.isSafeInteger(Number(text))
}
