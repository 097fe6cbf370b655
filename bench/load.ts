// Raw keep-alive request floods (autocannon); the Send→Receive→Delete round trips live in roundtrip.ts.
import { Agent } from 'node:http'
import { performance } from 'node:perf_hooks'
import autocannon from 'autocannon'
import { HOST, sqsCall } from './sqs.ts'

export interface LoadResult {
  /** Successful (2xx, body verified) operations per second. */
  perSecond: number
  ok: number
  seconds: number
  non2xx: number
  errors: number
  timeouts: number
  mismatches: number
  latencyP50Ms: number
  latencyP99Ms: number
  statusCodes: Record<string, number>
  note?: string
}

/** Counts one measurement's outcomes: status codes, failures by kind, latencies of the good ones. */
export class Tally {
  readonly statusCodes: Record<string, number> = {}
  readonly latencies: number[] = []
  ok = 0
  non2xx = 0
  errors = 0
  timeouts = 0
  mismatches = 0

  /** Records a response status; true when it is a 2xx. */
  status(code: number): boolean {
    this.statusCodes[code] = (this.statusCodes[code] ?? 0) + 1
    const good = code >= 200 && code <= 299
    if (!good) this.non2xx++
    return good
  }
  success(latencyMs: number): void {
    this.ok++
    this.latencies.push(latencyMs)
  }
  failure(error: unknown): void {
    if (error instanceof SyntaxError) {
      this.mismatches++
      return
    }
    this.errors++
    if (error instanceof Error && error.message.startsWith('timed out')) this.timeouts++
  }
  result(seconds: number): LoadResult {
    const { ok, non2xx, errors, timeouts, mismatches, statusCodes } = this
    return { perSecond: ok / seconds, ok, seconds, non2xx, errors, timeouts, mismatches, ...percentiles([...this.latencies]), statusCodes }
  }
}

export function hasErrors(result: LoadResult): boolean {
  return result.non2xx + result.errors + result.timeouts + result.mismatches > 0
}

export function describeErrors(result: LoadResult): string {
  const parts: string[] = []
  const codes = Object.entries(result.statusCodes).filter(([code]) => !code.startsWith('2')).map(([code, n]) => `${code}×${n}`)
  if (result.non2xx > 0) parts.push(`${result.non2xx} non-2xx (${codes.join(', ')})`)
  if (result.errors - result.timeouts > 0) parts.push(`${result.errors - result.timeouts} transport errors`)
  if (result.timeouts > 0) parts.push(`${result.timeouts} timeouts`)
  if (result.mismatches > 0) parts.push(`${result.mismatches} bad bodies`)
  return parts.join(', ')
}

export interface FloodOptions {
  port: number
  headers: Record<string, string>
  body: string
  connections: number
  warmupSeconds: number
  seconds: number
  /** Checks each response body; a false counts as a mismatch. */
  verify: (body: string) => boolean
  /**
   * The server answers `Connection: close` to everything (moto's Werkzeug dev server does). autocannon
   * stalls on such servers (one request per connection, then a 10 s timeout), so these get a node:http
   * client with the same connection count that opens a new connection per request, as an SDK would.
   */
  serverClosesConnections?: boolean
}

/** autocannon against 127.0.0.1:port: a warm-up run (discarded), then the measured run. */
export async function flood(options: FloodOptions): Promise<LoadResult> {
  if (options.serverClosesConnections === true) return floodHttp(options)
  const base = {
    url: `http://${HOST}:${options.port}/`,
    method: 'POST',
    headers: options.headers, // autocannon adds Content-Length itself (a second one makes it send nothing)
    body: options.body,
    connections: options.connections,
    pipelining: 1,
    timeout: 10,
    verifyBody: options.verify,
  }
  if (options.warmupSeconds > 0) await autocannon({ ...base, duration: options.warmupSeconds })
  const result = await autocannon({ ...base, duration: options.seconds })
  const ok = Math.max(0, result['2xx'] - result.mismatches)
  const statusCodes: Record<string, number> = {}
  for (const [code, stat] of Object.entries(result.statusCodeStats)) statusCodes[code] = stat.count
  return {
    perSecond: ok / result.duration,
    ok,
    seconds: result.duration,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    mismatches: result.mismatches,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    statusCodes,
  }
}

/** The same flood on node:http: `connections` concurrent loops, one request at a time each. */
async function floodHttp(options: FloodOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections })
  const call = { agent, timeoutMs: 10_000, headers: options.headers }
  const operation = (options.headers['x-amz-target'] ?? '').replace(/^AmazonSQS\./, '')
  const t0 = performance.now()
  const measureFrom = t0 + options.warmupSeconds * 1000
  const measureTo = measureFrom + options.seconds * 1000
  const tally = new Tally()
  const loop = async () => {
    while (performance.now() < measureTo) {
      const start = performance.now()
      try {
        const res = await sqsCall(options.port, operation, options.body, call)
        const end = performance.now()
        if (end < measureFrom || end >= measureTo) continue
        if (!tally.status(res.status)) continue
        if (!options.verify(res.text)) tally.mismatches++
        else tally.success(end - start)
      } catch (error) {
        tally.failure(error)
      }
    }
  }
  await Promise.all(Array.from({ length: options.connections }, loop))
  agent.destroy()
  return { ...tally.result(options.seconds), note: 'node:http client (server closes every connection)' }
}

export function percentiles(latencies: number[]): { latencyP50Ms: number, latencyP99Ms: number } {
  latencies.sort((a, b) => a - b)
  const pick = (q: number) =>
    latencies.length === 0 ? Number.NaN : latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] as number
  return { latencyP50Ms: pick(0.5), latencyP99Ms: pick(0.99) }
}
