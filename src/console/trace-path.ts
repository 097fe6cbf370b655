// GET /_nimbus/trace/path?seq=<n> (or ?id=<event or message id>): one event's whole path as a graph.
// Entries are linked by the ids they carry: an API call's request id and the ids its answer gave
// (MessageId, EventId), a hop's event id and the `ref` its target answered (the SQS message it made),
// so an S3 upload → its notification hop → the SQS message → the Lambda attempts → the DLQ are one
// component. Deliveries still waiting on the clock for that event (retries) come as `pending`.
import type { Pending } from '../fabric/types.ts'
import type { HttpRequest, HttpResponse } from '../protocol/http.ts'
import { json, refuse } from './json.ts'
import { allEntries, serviceOfArn, type TraceEntry, type TraceLogs } from './trace-entries.ts'

interface PathNode {
  key: string
  label: string
  service: string
  arn?: string
}

interface PathEdge {
  from: string
  to: string
  seq: number
  at: number
  outcome: string
  attempt?: number
  detail?: string
}

export function tracePath(request: HttpRequest, logs: TraceLogs, pending: () => readonly Pending[]): HttpResponse {
  if (request.method !== 'GET') return refuse(405, 'MethodNotAllowed', 'Use GET.')
  const seqText = request.query.get('seq')
  const id = request.query.get('id')
  if ((seqText === null) === (id === null || id === '')) return refuse(400, 'MissingParameter', 'Name the event with ?seq=<n> or ?id=<id> (one of them).')
  if (seqText !== null && !/^\d+$/.test(seqText)) return refuse(400, 'InvalidSeq', 'seq must be a sequence number.')
  const entries = allEntries(logs)
  const ids = new Set<string>()
  if (seqText !== null) {
    const start = entries.find((e) => e.seq === Number(seqText))
    if (start === undefined) return refuse(404, 'EntryNotFound', `No trace entry ${seqText} is held (the log keeps the newest ${logs.hops.capacity}).`)
    for (const linked of idsOf(start)) ids.add(linked)
  } else ids.add(id!)
  const path = component(entries, ids)
  return json(200, graph(path, ids, pending()))
}

/** The ids an entry carries: what links it to the entries before and after it. */
function idsOf(entry: TraceEntry): string[] {
  const refs = entry.ref === undefined ? [] : entry.ref.split(',')
  return entry.kind === 'api' ? [entry.requestId!, ...refs] : [entry.id!, ...refs]
}

/** Every entry sharing an id with the set, growing the set until nothing more joins (a few passes). */
function component(entries: readonly TraceEntry[], ids: Set<string>): TraceEntry[] {
  const joined = new Set<TraceEntry>()
  for (let grew = true; grew;) {
    grew = false
    for (const entry of entries) {
      if (joined.has(entry)) continue
      const own = idsOf(entry)
      if (!own.some((x) => ids.has(x))) continue
      joined.add(entry)
      for (const x of own) ids.add(x)
      grew = true
    }
  }
  return entries.filter((e) => joined.has(e))
}

function graph(path: readonly TraceEntry[], ids: ReadonlySet<string>, waiting: readonly Pending[]) {
  const nodes = new Map<string, PathNode>()
  const edges: PathEdge[] = []
  const node = (key: string) => {
    if (!nodes.has(key)) nodes.set(key, key === 'client'
      ? { key, label: 'API client', service: 'client' }
      : { key, label: labelOf(key), service: serviceOfArn(key), ...(key.startsWith('arn:') && { arn: key }) })
    return key
  }
  for (const e of path) {
    if (e.kind === 'api') {
      const to = node(resourceArn(e))
      edges.push({ from: node('client'), to, seq: e.seq, at: e.at, outcome: e.status! < 400 ? 'delivered' : 'failed',
        detail: `${e.operation} ${e.status}` })
      continue
    }
    // A rule's delivery: the bus it matched on comes first (EventBridge matched the event there).
    const bus = /^arn:([^:]+):events:([^:]*):([^:]*):rule\/(?:([^/]+)\/)?[^/]+$/.exec(e.source!)
    if (bus !== null && !edges.some((x) => x.to === e.source)) {
      const busArn = `arn:${bus[1]}:events:${bus[2]}:${bus[3]}:event-bus/${bus[4] ?? 'default'}`
      edges.push({ from: node(busArn), to: node(e.source!), seq: e.seq, at: e.at, outcome: 'matched' })
    }
    edges.push({ from: node(e.source!), to: node(e.target!), seq: e.seq, at: e.at, outcome: e.outcome!, attempt: e.attempt,
      ...(e.outcome === 'filtered' ? { detail: 'the subscription\'s filter policy did not match' } : e.ref === undefined ? {} : { detail: `made ${e.ref}` }) })
  }
  const pending = waiting.filter((p) => ids.has(p.delivery.id)).map((p) => {
    node(p.delivery.source)
    node(p.delivery.target)
    return { target: p.delivery.target, at: p.dueAt, attempt: p.attempts + 1 }
  })
  return { nodes: [...nodes.values()], edges, pending }
}

/** A resource's name from its ARN or URL (the last path or ARN segment). */
function labelOf(key: string): string {
  if (key.startsWith('arn:aws:s3:::')) return key.slice('arn:aws:s3:::'.length)
  const cut = Math.max(key.lastIndexOf(':'), key.lastIndexOf('/'))
  return cut < 0 || cut === key.length - 1 ? key : key.slice(cut + 1)
}

/** The ARN an API call's resource names, so the call's edge meets the hops from that resource. */
function resourceArn(e: TraceEntry): string {
  const r = e.resource
  const where = `${e.region ?? 'us-east-1'}:${e.account ?? '000000000000'}`
  if (r?.startsWith('arn:') === true) return r
  switch (e.service) {
    case 's3': return r === undefined ? 's3' : `arn:aws:s3:::${r}`
    case 'sqs': {
      // A queue URL: …/<account>/<name>.
      const parts = r?.split('/') ?? []
      return parts.length >= 2 ? `arn:aws:sqs:${e.region ?? 'us-east-1'}:${parts.at(-2)}:${parts.at(-1)}` : 'sqs'
    }
    case 'lambda': return r === undefined ? 'lambda' : `arn:aws:lambda:${where}:function:${r}`
    case 'eventbridge': return `arn:aws:events:${where}:event-bus/${r ?? 'default'}`
    case 'logs': return r === undefined ? 'logs' : `arn:aws:logs:${where}:log-group:${r}`
    case 'dynamodb': return r === undefined ? 'dynamodb' : `arn:aws:dynamodb:${where}:table/${r}`
    case 'kinesis': return r === undefined ? 'kinesis' : `arn:aws:kinesis:${where}:stream/${r}`
    default: return r ?? e.service
  }
}
