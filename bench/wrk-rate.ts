// Requests/s of one HTTP target driven by wrk (a C load generator, one thread): far less CPU per request
// than autocannon in the bench's own Node.js process, which shares the machine's cores with the servers
// it measures. Used by the API Gateway section for its Lambda-proxy cells when wrk is on PATH.
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { wrkPath } from './s3-wrk.ts'
import { tempDir } from './servers.ts'
import { parseWrkOutput } from './wrk-output.ts'

const run = promisify(execFile)

export interface WrkTarget {
  url: string
  method?: string
  headers?: Record<string, string>
  body?: string
}

/** A wrk script setting the method and body (wrk has no flags for them). */
function script(method: string, body: string | undefined): string {
  const path = join(tempDir('nimbus-bench-wrk-'), 'request.lua')
  const lines = [`wrk.method = ${JSON.stringify(method)}`]
  if (body !== undefined) lines.push(`wrk.body = ${JSON.stringify(body)}`)
  writeFileSync(path, lines.join('\n') + '\n')
  return path
}

/** `connections` keep-alive connections for `seconds`: 2xx responses per second and how many were not 2xx. */
export async function wrkRate(target: WrkTarget, seconds: number, connections: number): Promise<{ perSecond: number; non2xx: number }> {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s']
  // wrk adds `Host: <url's host>` unless a header named exactly `Host` is given: a `host` would make two.
  for (const [name, value] of Object.entries(target.headers ?? {})) args.push('-H', `${name.toLowerCase() === 'host' ? 'Host' : name}: ${value}`)
  if (target.method !== undefined && target.method !== 'GET' || target.body !== undefined) args.push('-s', script(target.method ?? 'GET', target.body))
  args.push(target.url)
  const { stdout } = await run(wrkPath()!, args, { timeout: (seconds + 30) * 1000 })
  const out = parseWrkOutput(stdout)
  const elapsed = out.seconds > 0 ? out.seconds : seconds
  return { perSecond: (out.requests - out.non2xx) / elapsed, non2xx: out.non2xx + out.socketErrors }
}
