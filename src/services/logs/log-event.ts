// A stored log event and its position key: (timestamp, ingestion sequence), unique across Nimbus.
// The key orders a stream (and an interleaved group) and is what tokens and event ids encode.

export interface LogEvent {
  readonly timestamp: number
  readonly message: string
  readonly ingestionTime: number
  /** Ingestion order across the whole service: ties on timestamp keep arrival order. */
  readonly seq: number
  /** UTF-8 message bytes plus AWS's 26-byte per-event overhead (batch and response limits). */
  readonly size: number
}

export interface EventKey {
  timestamp: number
  seq: number
}

export const zeroKey: EventKey = { timestamp: 0, seq: 0 }

export function compareKeys(a: EventKey, b: EventKey): number {
  return a.timestamp - b.timestamp || a.seq - b.seq
}

/** 56 digits, like AWS's event ids and token bodies: 20 for the timestamp, 36 for the sequence. */
export function formatKey(key: EventKey): string {
  return String(key.timestamp).padStart(20, '0') + String(key.seq).padStart(36, '0')
}

export function parseKey(digits: string): EventKey | undefined {
  if (!/^\d{56}$/.test(digits)) return undefined
  return { timestamp: Number(digits.slice(0, 20)), seq: Number(digits.slice(20)) }
}

/** The first index in `events` (sorted by key) whose event satisfies `isAfter` (monotone). */
export function lowerBound(events: readonly LogEvent[], isAfter: (event: LogEvent) => boolean): number {
  let lo = 0
  let hi = events.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (isAfter(events[mid]!)) hi = mid
    else lo = mid + 1
  }
  return lo
}
