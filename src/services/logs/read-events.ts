// Reading events back: GetLogEvents' forward/backward pages over one stream, and FilterLogEvents'
// interleaved search across a group's streams. Both stop at a limit or AWS's 1 MB response size.
import { logsErrors } from './errors.ts'
import { limits } from './limits.ts'
import { compareKeys, type EventKey, formatKey, type LogEvent, lowerBound, parseKey, zeroKey } from './log-event.ts'
import type { LogGroup } from './log-group.ts'
import type { LogStream } from './log-stream.ts'

export interface StreamQuery {
  startTime?: number
  /** Exclusive, as GetLogEvents documents. */
  endTime?: number
  nextToken?: string
  limit?: number
  startFromHead?: boolean
}

export interface StreamPage {
  events: LogEvent[]
  nextForwardToken: string
  nextBackwardToken: string
}

/**
 * Tokens are AWS-shaped, `f/<56 digits>/s` and `b/<56 digits>/s`: a direction and an event key.
 * `f/K` reads events after K, `b/K` events before K; a page that finds nothing hands back the
 * token it was given, which is how clients (the SDK's paginator, `--follow` loops) know to stop.
 */
function parseStreamToken(token: string): { direction: 'f' | 'b'; key: EventKey } {
  const match = /^([fb])\/(\d{56})(?:\/s)?$/.exec(token)
  const key = match === null ? undefined : parseKey(match[2]!)
  if (match === null || key === undefined) throw logsErrors.invalidToken()
  return { direction: match[1] as 'f' | 'b', key }
}

const token = (direction: 'f' | 'b', key: EventKey) => `${direction}/${formatKey(key)}/s`

export function readStream(stream: LogStream, query: StreamQuery): StreamPage {
  const { from, to } = stream.range(query.startTime, query.endTime)
  const events = stream.events
  const limit = query.limit ?? limits.maxEventsLimit
  const given = query.nextToken === undefined ? undefined : parseStreamToken(query.nextToken)
  const forward = given === undefined ? query.startFromHead === true : given.direction === 'f'
  let page: LogEvent[]
  if (forward) {
    const after = given?.key ?? zeroKey
    const start = Math.max(from, lowerBound(events, (e) => compareKeys(e, after) > 0))
    page = takeWithin(events, start, to, limit, 1)
  } else {
    const before = given?.key
    const end = before === undefined ? to : Math.min(to, lowerBound(events, (e) => compareKeys(e, before) >= 0))
    page = takeWithin(events, end - 1, from - 1, limit, -1).reverse()
  }
  const first = page[0]
  const last = page[page.length - 1]
  const fallback = given?.key ?? zeroKey
  return {
    events: page,
    nextForwardToken: token('f', last ?? fallback),
    nextBackwardToken: token('b', first ?? fallback),
  }
}

/** Events from index `start` stepping by `step` until `stop` (exclusive), within the count and byte caps. */
function takeWithin(events: readonly LogEvent[], start: number, stop: number, limit: number, step: 1 | -1): LogEvent[] {
  const out: LogEvent[] = []
  let bytes = 0
  for (let i = start; i !== stop && out.length < limit; i += step) {
    const event = events[i]!
    if (bytes + event.size > limits.maxResponseBytes && out.length > 0) break
    bytes += event.size
    out.push(event)
  }
  return out
}

export interface GroupQuery {
  streamNames?: readonly string[]
  streamPrefix?: string
  /** Inclusive, both ends, as FilterLogEvents documents. */
  startTime?: number
  endTime?: number
  matches: (message: string) => boolean
  limit?: number
  after?: EventKey
}

export interface FoundEvent {
  stream: LogStream
  event: LogEvent
}

export interface GroupPage {
  found: FoundEvent[]
  searched: LogStream[]
  /** The key of the last event returned when more matched than fit. */
  next: EventKey | undefined
}

export function filterGroup(group: LogGroup, query: GroupQuery): GroupPage {
  const names = query.streamNames === undefined ? undefined : new Set(query.streamNames)
  const searched = group.sortedStreams().filter((s) =>
    (names === undefined || names.has(s.name)) && (query.streamPrefix === undefined || s.name.startsWith(query.streamPrefix)))
  const matched: FoundEvent[] = []
  const endExclusive = query.endTime === undefined ? undefined : query.endTime + 1
  for (const stream of searched) {
    const { from, to } = stream.range(query.startTime, endExclusive)
    const after = query.after
    const start = after === undefined ? from : Math.max(from, lowerBound(stream.events, (e) => compareKeys(e, after) > 0))
    for (let i = start; i < to; i++) {
      const event = stream.events[i]!
      if (query.matches(event.message)) matched.push({ stream, event })
    }
  }
  matched.sort((a, b) => compareKeys(a.event, b.event))
  const limit = query.limit ?? limits.maxEventsLimit
  const found: FoundEvent[] = []
  let bytes = 0
  for (const item of matched) {
    if (found.length >= limit || (bytes + item.event.size > limits.maxResponseBytes && found.length > 0)) break
    bytes += item.event.size
    found.push(item)
  }
  const last = found[found.length - 1]
  return { found, searched, next: found.length < matched.length && last !== undefined ? last.event : undefined }
}

/** FilterLogEvents' event id: the event's key, 56 digits like AWS's. */
export const eventId = (event: LogEvent): string => formatKey(event)
