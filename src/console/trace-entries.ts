// The console's timeline: the gateway's API calls (api-log.ts) and the fabric's hops (fabric/trace.ts)
// as one list in the order they happened (their shared sequence numbers), filtered by service,
// resource and text. Built only when read; recording never formats anything.
import type { NumberedHop, TraceLog } from '../fabric/trace.ts'
import type { ApiCallLog, ApiCallRow } from './api-log.ts'

export interface TraceEntry {
  seq: number
  at: number
  kind: 'api' | 'hop'
  service: string
  operation?: string
  status?: number
  durationMs?: number
  resource?: string
  requestId?: string
  /** A hop's event or message id. */
  id?: string
  source?: string
  target?: string
  outcome?: string
  attempt?: number
  /** What the target made of a hop (its message id); for a call, the ids its answer carried, comma-separated. */
  ref?: string
  detail?: string
  account?: string
  region?: string
}

export interface TraceLogs {
  hops: TraceLog
  calls: ApiCallLog
}

/** ARN service names that are not Nimbus's service names. */
const arnServices: Record<string, string> = { events: 'eventbridge', monitoring: 'cloudwatch', 'execute-api': 'apigateway' }

/** The Nimbus service an ARN belongs to (`arn:aws:sqs:…` → sqs); an endpoint URL → its scheme. */
export function serviceOfArn(arn: string): string {
  if (!arn.startsWith('arn:')) return arn.startsWith('https:') ? 'https' : arn.startsWith('http:') ? 'http' : arn.split(':', 1)[0] ?? ''
  const name = arn.split(':', 3)[2] ?? ''
  return arnServices[name] ?? name
}

export function callEntry(row: ApiCallRow): TraceEntry {
  const entry: TraceEntry = { seq: row.seq, at: row.at, kind: 'api', service: row.service, operation: row.operation, status: row.status,
    durationMs: row.durationMs, requestId: row.requestId }
  if (row.resource !== undefined) entry.resource = row.resource
  if (row.refs.length > 0) entry.ref = row.refs.join(',')
  if (row.detail !== undefined) entry.detail = row.detail
  if (row.account !== undefined) entry.account = row.account
  if (row.region !== undefined) entry.region = row.region
  return entry
}

export function hopEntry(hop: NumberedHop): TraceEntry {
  const entry: TraceEntry = { seq: hop.seq, at: hop.at, kind: 'hop', service: serviceOfArn(hop.source), resource: hop.target, id: hop.id,
    source: hop.source, target: hop.target, outcome: hop.outcome, attempt: hop.attempt }
  if (hop.ref !== undefined) entry.ref = hop.ref
  return entry
}

/** Both logs after `since`, in sequence order. */
export function allEntries(logs: TraceLogs, since = 0): TraceEntry[] {
  const calls = logs.calls.rows(since)
  const hops = logs.hops.numbered(since)
  const entries: TraceEntry[] = new Array<TraceEntry>(calls.length + hops.length)
  let i = 0
  let j = 0
  let k = 0
  while (i < calls.length || j < hops.length) {
    if (j >= hops.length || (i < calls.length && calls[i]!.seq < hops[j]!.seq)) entries[k++] = callEntry(calls[i++]!)
    else entries[k++] = hopEntry(hops[j++]!)
  }
  return entries
}

export interface TraceFilter {
  service?: string
  resource?: string
  /** Case-insensitive text anywhere in the entry's names and ids. */
  q?: string
}

export function matchesFilter(entry: TraceEntry, filter: TraceFilter): boolean {
  if (filter.service !== undefined && entry.service !== filter.service &&
    !(entry.kind === 'hop' && serviceOfArn(entry.target ?? '') === filter.service)) return false
  if (filter.resource !== undefined && !names(entry).some((name) => name.includes(filter.resource!))) return false
  if (filter.q !== undefined) {
    const q = filter.q.toLowerCase()
    const text = [...names(entry), entry.operation, entry.requestId, entry.id, entry.ref, entry.outcome, entry.detail, String(entry.status ?? '')]
    if (!text.some((t) => t !== undefined && t.toLowerCase().includes(q))) return false
  }
  return true
}

function names(entry: TraceEntry): string[] {
  return [entry.resource, entry.source, entry.target].filter((n): n is string => n !== undefined)
}
