// Live updates from Nimbus's server-sent events (/_nimbus/events): `trace` entries and `clock` moves,
// fanned out to whichever views listen. One EventSource for the whole page; trace entries are handed
// over in batches (at most five a second), so a busy Nimbus doesn't redraw the page per call.
import { useEffect } from 'preact/hooks'
import type { ClockState, TraceEntry } from './api.ts'

type Listeners = { trace: Set<(batch: TraceEntry[]) => void>; clock: Set<(c: ClockState) => void> }
const listeners: Listeners = { trace: new Set(), clock: new Set() }
let source: EventSource | undefined
let batch: TraceEntry[] = []
let flushing: ReturnType<typeof setTimeout> | undefined

function flush(): void {
  flushing = undefined
  const entries = batch
  batch = []
  for (const listen of listeners.trace) listen(entries)
}

function connect(): void {
  if (source !== undefined || typeof EventSource === 'undefined') return
  source = new EventSource('/_nimbus/events')
  source.addEventListener('trace', (e) => {
    batch.push(JSON.parse((e as MessageEvent<string>).data) as TraceEntry)
    flushing ??= setTimeout(flush, 200)
  })
  source.addEventListener('clock', (e) => {
    const clock = JSON.parse((e as MessageEvent<string>).data) as ClockState
    for (const listen of listeners.clock) listen(clock)
  })
}

/** Tells the clock bar (and anything else listening) that the clock moved, e.g. after a button press. */
export function announceClock(clock: ClockState): void {
  for (const listen of listeners.clock) listen(clock)
}

export function useLive<K extends keyof Listeners>(kind: K, listener: Listeners[K] extends Set<infer F> ? F : never): void {
  useEffect(() => {
    connect()
    const set = listeners[kind] as Set<typeof listener>
    set.add(listener)
    return () => { set.delete(listener) }
  }, [kind, listener])
}
