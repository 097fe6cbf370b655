// GET /_nimbus/events: Server-Sent Events for the live console — `event: trace` for each new trace
// entry (its `id` is the entry's seq, so a reconnecting EventSource resumes after the last one it
// saw), `event: clock` when the clock moves. The streams poll the trace logs a few times a second
// while someone listens: recording stays free of listeners, and nobody listening costs nothing.
import { PassThrough } from 'node:stream'
import type { Clock } from '../core/clock.ts'
import type { HttpRequest, HttpResponse } from '../protocol/http.ts'
import { refuse } from './json.ts'
import { allEntries, type TraceLogs } from './trace-entries.ts'

/** How often open streams look for new entries (real time: the console is watched by people). */
const pollMs = 250
/** A comment line this often keeps idle connections (and proxies) open. */
const heartbeatMs = 15_000

interface Listener {
  stream: PassThrough
  after: number
}

export class EventStreams {
  private readonly logs: TraceLogs
  private readonly clock: Clock
  private readonly listeners = new Set<Listener>()
  private timer: NodeJS.Timeout | undefined
  private lastClock = { now: NaN, mode: '' }
  private lastBeat = 0
  private readonly pollEvery: number

  constructor(logs: TraceLogs, clock: Clock, pollEvery = pollMs) {
    this.logs = logs
    this.clock = clock
    this.pollEvery = pollEvery
  }

  get open(): number {
    return this.listeners.size
  }

  /** A new stream: entries after `?since=` or Last-Event-ID (default: only what happens from now on), and the clock at once. */
  subscribe(request: HttpRequest): HttpResponse {
    if (request.method !== 'GET') return refuse(405, 'MethodNotAllowed', 'Use GET.')
    const from = request.query.get('since') ?? request.headers['last-event-id']
    if (from !== undefined && from !== null && !/^\d+$/.test(from)) return refuse(400, 'InvalidSince', 'since must be a sequence number.')
    const stream = new PassThrough()
    const listener: Listener = { stream, after: from === undefined || from === null ? this.logs.hops.sequence.value - 1 : Number(from) }
    this.listeners.add(listener)
    stream.once('close', () => this.listeners.delete(listener))
    stream.write(`retry: 1000\n\n${this.clockEvent()}`)
    this.send(listener)
    this.timer ??= setInterval(() => this.poll(), this.pollEvery).unref()
    return { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store',
      'x-accel-buffering': 'no' }, body: stream }
  }

  /** Nimbus is stopping: every stream ends, so the drain does not wait on them. */
  close(): void {
    for (const listener of this.listeners) listener.stream.end()
    this.listeners.clear()
    this.stopPolling()
  }

  private poll(): void {
    if (this.listeners.size === 0) return this.stopPolling()
    const now = this.clock.now()
    const moved = now !== this.lastClock.now || this.clock.mode !== this.lastClock.mode
    // A system clock moves all the time: once a second is plenty; a manual one, whenever it is moved.
    const clock = moved && (this.clock.mode === 'manual' || Number.isNaN(this.lastClock.now) || now - this.lastClock.now >= 1000)
      ? this.clockEvent() : ''
    const beat = Date.now() - this.lastBeat >= heartbeatMs
    if (beat) this.lastBeat = Date.now()
    for (const listener of this.listeners) {
      if (clock !== '') listener.stream.write(clock)
      if (beat) listener.stream.write(': keep-alive\n\n')
      this.send(listener)
    }
  }

  /** What the listener hasn't seen yet, one event per entry (nothing read when nothing was recorded). */
  private send(listener: Listener): void {
    if (this.logs.hops.sequence.value - 1 <= listener.after) return
    let text = ''
    for (const entry of allEntries(this.logs, listener.after)) {
      text += `id: ${entry.seq}\nevent: trace\ndata: ${JSON.stringify(entry)}\n\n`
      listener.after = entry.seq
    }
    if (text !== '') listener.stream.write(text)
  }

  private clockEvent(): string {
    const now = this.clock.now()
    this.lastClock = { now, mode: this.clock.mode }
    return `event: clock\ndata: ${JSON.stringify({ now, mode: this.clock.mode, iso: new Date(now).toISOString() })}\n\n`
  }

  private stopPolling(): void {
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
  }
}
