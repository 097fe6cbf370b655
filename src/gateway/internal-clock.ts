// GET/POST /_nimbus/clock: the clock's mode and time; a manual clock moves forward by `advanceMs` or
// to `setTo` (ISO 8601 or epoch ms), never back: timers already run and messages already visible
// can't be undone, so an earlier time is refused rather than half-applied.
import type { Clock } from '../core/clock.ts'
import type { HttpRequest, HttpResponse } from '../protocol/http.ts'

export type MovableClock = Clock & { advance(ms: number): void }

export function clockEndpoint(request: HttpRequest, clock: MovableClock): HttpResponse {
  if (request.method === 'GET') return json(200, state(clock))
  if (request.method !== 'POST') return json(405, { error: 'MethodNotAllowed', message: 'Use GET or POST.' })
  if (clock.mode !== 'manual') {
    return json(409, { error: 'ClockNotManual', message: 'Start Nimbus with a manual clock (--clock manual) to move time.' })
  }
  let body: { advanceMs?: unknown; setTo?: unknown }
  try {
    body = JSON.parse(request.body.toString('utf8') || '{}') as { advanceMs?: unknown; setTo?: unknown }
  } catch {
    return json(400, { error: 'InvalidJson', message: 'The body must be JSON like {"advanceMs": 1000} or {"setTo": "2027-01-01T00:00:00Z"}.' })
  }
  if (body === null || typeof body !== 'object') return json(400, { error: 'InvalidJson', message: 'The body must be a JSON object.' })
  if (body.setTo !== undefined) {
    if (body.advanceMs !== undefined) return json(400, { error: 'InvalidClockMove', message: 'Give advanceMs or setTo, not both.' })
    const target = instant(body.setTo)
    if (target === undefined) {
      return json(400, { error: 'InvalidSetTo', message: 'setTo must be an ISO 8601 time like "2027-01-01T00:00:00Z" or epoch milliseconds.' })
    }
    const now = clock.now()
    if (target < now) {
      return json(400, { error: 'ClockMovesForwardOnly', message: `setTo ${new Date(target).toISOString()} is before the clock's time `
        + `${new Date(now).toISOString()}: the clock only moves forward (start Nimbus again to begin earlier).` })
    }
    clock.advance(target - now)
    return json(200, state(clock))
  }
  const ms = body.advanceMs
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    return json(400, { error: 'InvalidAdvance', message: 'advanceMs must be a non-negative number.' })
  }
  clock.advance(ms)
  return json(200, state(clock))
}

/** Epoch ms from an ISO string (with a zone, or UTC when it has none) or a number. */
function instant(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 && value <= 8.64e15 ? value : undefined
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined
  // A date-time without a zone is read as UTC (Date.parse would take local time), as AWS's timestamps are.
  const zoned = /T[\d:.]+$/.test(value) ? `${value}Z` : value
  const ms = Date.parse(zoned)
  return Number.isNaN(ms) ? undefined : ms
}

function state(clock: Clock): Record<string, unknown> {
  return { mode: clock.mode, now: clock.now(), iso: new Date(clock.now()).toISOString() }
}

function json(status: number, body: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
}
