// `nimbus clock [advance <duration> | set <time>] [--endpoint <url>]`: shows or moves the manual clock
// of a running Nimbus through POST /_nimbus/clock (at --endpoint, else AWS_ENDPOINT_URL, else
// http://127.0.0.1:4566). Durations are like 90s, 15m, 1h30m, 2d; times ISO 8601 or epoch ms.

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** Milliseconds in `1h30m`, `500ms`, `2d`, `1.5h`; undefined when it isn't one. */
export function parseDuration(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(text)) return undefined
  let total = 0
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) total += Number(amount) * UNITS[unit!]!
  return Math.round(total)
}

export const clockUsage = `Usage: nimbus clock [--endpoint <url>]                     show the clock of a running Nimbus
       nimbus clock advance <duration> [--endpoint <url>]  move a manual clock forward (90s, 15m, 1h30m, 2d)
       nimbus clock set <time> [--endpoint <url>]          move it to a later time (2027-01-01T00:00:00Z or epoch ms)`

/** Runs the command and returns the exit code; problems are thrown as one-line errors. */
export async function clockCommand(args: readonly string[], endpointFlag: string | undefined): Promise<number> {
  const endpoint = (endpointFlag ?? process.env['AWS_ENDPOINT_URL'] ?? 'http://127.0.0.1:4566').replace(/\/+$/, '')
  const [action, value, ...extra] = args
  let body: Record<string, unknown> | undefined
  if (action === undefined && value === undefined) body = undefined
  else if (action === 'advance' && value !== undefined && extra.length === 0) {
    const ms = parseDuration(value)
    if (ms === undefined) throw new Error(`"${value}" is not a duration: use ms, s, m, h, d, e.g. 90s, 15m, 1h30m`)
    body = { advanceMs: ms }
  } else if (action === 'set' && value !== undefined && extra.length === 0) {
    body = { setTo: /^\d+$/.test(value) ? Number(value) : value }
  } else {
    console.error(clockUsage)
    return 2
  }
  let response: Response
  try {
    response = await fetch(`${endpoint}/_nimbus/clock`, body === undefined ? {} : {
      // Nimbus's own endpoints take only JSON bodies (a web page can't send those cross-origin).
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    })
  } catch {
    throw new Error(`nothing answers at ${endpoint}: is Nimbus running? (set --endpoint or AWS_ENDPOINT_URL)`)
  }
  const answer = await response.json().catch(() => ({})) as { mode?: string; now?: number; message?: string }
  if (!response.ok) throw new Error(answer.message ?? `${endpoint} answered ${response.status}`)
  console.log(`${answer.mode} clock at ${new Date(answer.now ?? 0).toISOString()} (${answer.now})`)
  return 0
}
