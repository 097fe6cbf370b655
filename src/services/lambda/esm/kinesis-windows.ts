// Tumbling windows (TumblingWindowInSeconds) for a Kinesis mapping: which window a record falls in
// (by its approximate arrival time, windows aligned to multiples of their length), the fields Lambda
// adds to the event, and the state the function must answer (no `state` → a failed invocation).
import type { InvokeResult } from '../../../runtime/types.ts'
import type { ShardRecord } from './shard-reader.ts'
import type { Throttled } from '../invoker.ts'

/** One shard's open window and the state carried between its invocations. */
export interface OpenWindow {
  start: number
  end: number
  state: unknown
  /** The state answered passed the 1 MB limit: the window's final invocation comes next, flagged as early. */
  terminatedEarly?: boolean
}

/** AWS: "A window ends early only if the state exceeds the maximum allowed size of 1 MB" (read as 1 MiB of JSON). */
export const maxWindowStateBytes = 1_048_576

/** Whether the state a function answered ends its window early. */
export function stateTooLarge(state: unknown): boolean {
  return Buffer.byteLength(JSON.stringify(state) ?? '') > maxWindowStateBytes
}

/** The window a record belongs to. */
export function windowOf(arrival: number, seconds: number): { start: number; end: number } {
  const length = seconds * 1000
  const start = Math.floor(arrival / length) * length
  return { start, end: start + length }
}

/** How many of `records` (oldest first) fall in the first one's window. */
export function sameWindow(records: readonly ShardRecord[], seconds: number): number {
  if (records.length === 0) return 0
  const { start } = windowOf(records[0]!.approximateArrivalTimestamp, seconds)
  const index = records.findIndex((r) => windowOf(r.approximateArrivalTimestamp, seconds).start !== start)
  return index < 0 ? records.length : index
}

/** What Lambda adds after `Records` (key order as AWS sends it); times are ISO 8601 without milliseconds. */
export function windowFields(window: OpenWindow, shardId: string, streamArn: string, final: boolean) {
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
  return {
    window: { start: iso(window.start), end: iso(window.end) }, state: window.state ?? {}, shardId, eventSourceARN: streamArn,
    isFinalInvokeForWindow: final, isWindowTerminatedEarly: final && window.terminatedEarly === true,
  }
}

/** The `state` a successful invocation answered; undefined when it answered none (AWS then counts the invocation as failed). */
export function answeredState(result: InvokeResult | Throttled): unknown {
  if ('throttled' in result || result.outcome === 'error') return undefined
  try {
    const body = JSON.parse(result.payload.toString('utf8')) as unknown
    return body !== null && typeof body === 'object' && 'state' in body ? (body as { state: unknown }).state ?? undefined : undefined
  } catch {
    return undefined
  }
}
