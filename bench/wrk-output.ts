// What the bench reads from wrk's report (wrk 4.x's text; it has no machine-readable output without a
// Lua script): one parser for every wrk caller (s3-wrk.ts, wrk-rate.ts).

export interface WrkOutput {
  /** Responses received, whatever their status ("N requests in T"). */
  requests: number
  /** How long wrk ran, in seconds (from the same line). */
  seconds: number
  /** wrk's own Requests/sec: every response, 2xx or not. */
  requestsPerSecond: number
  /** "Non-2xx or 3xx responses". */
  non2xx: number
  /** Connect, read, write and timeout errors together. */
  socketErrors: number
  /** The median latency (`--latency` only), in milliseconds. */
  p50Ms: number | undefined
}

const unitSeconds: Record<string, number> = { us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 }

export function parseWrkOutput(stdout: string): WrkOutput {
  const summary = /(\d+) requests in ([\d.]+)(us|ms|s|m|h)\b/.exec(stdout)
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout)
  const p50 = /^\s+50%\s+([\d.]+)(us|ms|s)\s*$/m.exec(stdout)
  return {
    requests: Number(summary?.[1] ?? 0),
    seconds: summary === null ? 0 : Number(summary[2]) * unitSeconds[summary[3]!]!,
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 0),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0),
    socketErrors: errors === null ? 0 : errors.slice(1).reduce((sum, n) => sum + Number(n), 0),
    p50Ms: p50 === null ? undefined : Number(p50[1]) * unitSeconds[p50[2]!]! * 1000,
  }
}
