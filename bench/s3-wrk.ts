// S3 1 MiB GET and PUT on Nimbus next to a bare node:http server doing the least the same exchange
// needs (answering 1 MiB from memory; reading a 1 MiB body), both driven by wrk at 8 keep-alive
// connections in interleaved slices. wrk is a C load generator: a Node client would cap both servers.
// Skipped with a note when wrk is not on PATH (`apt-get install wrk`; .ci/bench installs it).
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { accessSync, constants, writeFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { promisify } from 'node:util'
import { fmt } from './report.ts'
import { HOST } from './sqs.ts'
import { cpuMs, tempDir } from './servers.ts'
import { parseWrkOutput } from './wrk-output.ts'

const run = promisify(execFile)

export const S3_WRK_CONNECTIONS = 8
export const S3_TARGET_GET_SHARE = 0.75
export const S3_TARGET_PUT_SHARE = 0.5
const SIZE = 1024 * 1024

export interface WrkResult {
  perSecond: number
  /** The serving process's CPU time (user + system) per request, ms: steadier than rates on a shared machine. */
  cpuMsPerRequest?: number
  non2xx: number
  socketErrors: number
  p50Ms: number | undefined
}

export function wrkPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue
    try {
      accessSync(join(dir, 'wrk'), constants.X_OK)
      return join(dir, 'wrk')
    } catch {
      // not here
    }
  }
  return undefined
}

/** The same SigV4-shaped headers bench/s3.ts sends (unsigned payload; Nimbus checks no signature by default). */
const s3Headers = [
  'Authorization: AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=0',
  'X-Amz-Date: 20260101T000000Z',
  'X-Amz-Content-Sha256: UNSIGNED-PAYLOAD',
]

/** A wrk script sending `size` bytes as every request's body (wrk has no body flag). */
function putScript(size: number): string {
  const path = join(tempDir('nimbus-bench-wrk-'), 'put.lua')
  writeFileSync(path, `wrk.method = "PUT"\nwrk.body = string.rep("\\1", ${size})\n`)
  return path
}

export async function wrk(port: number, path: string, options: { seconds: number; connections: number; put?: string }): Promise<WrkResult> {
  const args = ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--latency', '--timeout', '10s']
  for (const header of s3Headers) args.push('-H', header)
  if (options.put !== undefined) args.push('-s', options.put)
  args.push(`http://${HOST}:${port}${path}`)
  const { stdout } = await run(wrkPath()!, args, { timeout: (options.seconds + 30) * 1000 })
  const { requestsPerSecond, non2xx, socketErrors, p50Ms } = parseWrkOutput(stdout)
  return { perSecond: requestsPerSecond, non2xx, socketErrors, p50Ms }
}

export interface S3WrkOptions {
  nimbusPort: number
  helloPort: number
  /** Serving pids, for the CPU-per-request column. */
  nimbusPid: number
  helloPid: number
  seconds: number
  rounds: number
  log: (line: string) => void
  /** Creates the bucket and the object the GETs read, with a real PUT. */
  prepare: (bucket: string, key: string, body: Buffer) => Promise<void>
}

interface Pair { nimbus: WrkResult[]; bare: WrkResult[] }

/**
 * CPU ms one MD5 of 1 MiB costs here (OpenSSL through node:crypto, the fastest Node has). A PUT must
 * compute it before answering (the ETag), so it bounds the PUT share when both servers are CPU-bound.
 */
export function md5CpuMsPerMiB(rounds = 50): number {
  const body = Buffer.alloc(SIZE, 1)
  const before = process.cpuUsage()
  for (let i = 0; i < rounds; i++) createHash('md5').update(body).digest()
  const used = process.cpuUsage(before)
  return (used.user + used.system) / 1000 / rounds
}

/** The markdown rows (or the note saying why there are none). */
export async function s3WrkSection(options: S3WrkOptions): Promise<string> {
  const title = `### S3 1 MiB vs a bare node:http server (wrk, ${S3_WRK_CONNECTIONS} connections)`
  if (wrkPath() === undefined) {
    options.log('  wrk is not on PATH: skipping the S3 1 MiB vs bare-server rows (apt-get install wrk)')
    return `${title}\n\nSkipped: wrk is not on PATH (\`apt-get install wrk\`, or run \`.ci/bench\`, which installs it).`
  }
  const bucket = `wrk-${Date.now()}`
  await options.prepare(bucket, 'get-1mib', Buffer.alloc(SIZE, 1))
  const put = putScript(SIZE)
  // wrk takes whole seconds.
  const slice = Math.max(1, Math.round(options.seconds / options.rounds))
  const cells: Record<'get' | 'put', Pair> = { get: { nimbus: [], bare: [] }, put: { nimbus: [], bare: [] } }
  for (const op of ['get', 'put'] as const) {
    for (let round = 0; round < options.rounds; round++) {
      for (const who of ['bare', 'nimbus'] as const) {
        const port = who === 'bare' ? options.helloPort : options.nimbusPort
        const pid = who === 'bare' ? options.helloPid : options.nimbusPid
        const path = who === 'bare' ? (op === 'get' ? `/bare/${SIZE}` : '/bare/put') : `/${bucket}/${op === 'get' ? 'get-1mib' : 'put-1mib'}`
        const cpuBefore = cpuMs(pid)
        const result = await wrk(port, path, { seconds: slice, connections: S3_WRK_CONNECTIONS, ...(op === 'put' ? { put } : {}) })
        const requests = result.perSecond * slice
        if (requests > 0) result.cpuMsPerRequest = (cpuMs(pid) - cpuBefore) / requests
        cells[op][who].push(result)
        options.log(`  wrk ${op.toUpperCase()} 1 MiB ${who.padEnd(6)} ${fmt(result.perSecond).padStart(7)}/s` +
          `${result.p50Ms === undefined ? '' : `  p50 ${result.p50Ms.toFixed(1)} ms`}` +
          `${result.cpuMsPerRequest === undefined ? '' : `  CPU ${result.cpuMsPerRequest.toFixed(2)} ms/request`}` +
          `${result.non2xx + result.socketErrors > 0 ? `  ⚠ ${result.non2xx} non-2xx, ${result.socketErrors} socket errors` : ''}`)
      }
    }
  }
  const mean = (results: WrkResult[], pick = (r: WrkResult) => r.perSecond) => results.reduce((sum, r) => sum + pick(r), 0) / results.length
  const cpu = (results: WrkResult[]) => mean(results, (r) => r.cpuMsPerRequest ?? 0).toFixed(2)
  const md5Ms = md5CpuMsPerMiB()
  const bareCpu = mean(cells.put.bare, (r) => r.cpuMsPerRequest ?? 0)
  const lines = [title, '',
    `Each cell ${options.rounds} × ${slice} s slices, bare and Nimbus interleaved; wrk -t1 -c${S3_WRK_CONNECTIONS} with the` +
    ' SigV4-shaped headers above. Bare: `GET` answers a prebuilt 1 MiB buffer, `PUT` reads the body and answers 200.',
    'Nimbus (a freshly started compiled Nimbus, in memory) GETs one 1 MiB object; its PUTs overwrite one key (MD5 ETag, body kept).', '',
    `MD5 of 1 MiB costs ${md5Ms.toFixed(2)} ms of CPU on this machine (node:crypto/OpenSSL, measured in the bench process): a` +
    ' PUT must hash before it answers (ETag = MD5), so with both servers CPU-bound a PUT can reach at most bare CPU / (bare CPU + MD5)' +
    (bareCpu > 0 ? ` = ${(bareCpu / (bareCpu + md5Ms)).toFixed(2)} of the bare server here.` : ' of the bare server.') +
    ' CRC64NVME for uploads sent without a checksum is computed on the first read asking for it, not on the PUT.', '',
    '| Measurement | bare node:http, /s | Nimbus, /s | Nimbus / bare | target | verdict | server CPU ms / request, bare → Nimbus |',
    '|---|---|---|---|---|---|---|']
  for (const [op, target] of [['get', S3_TARGET_GET_SHARE], ['put', S3_TARGET_PUT_SHARE]] as const) {
    const bare = mean(cells[op].bare)
    const nimbus = mean(cells[op].nimbus)
    const share = bare > 0 ? nimbus / bare : 0
    const failed = cells[op].nimbus.some((r) => r.non2xx + r.socketErrors > 0)
    const slices = cells[op].nimbus.map((r, i) => (r.perSecond / (cells[op].bare[i]?.perSecond ?? Infinity)).toFixed(2)).join(', ')
    lines.push(`| ${op.toUpperCase()} 1 MiB | ${fmt(bare)} | ${fmt(nimbus)} | ${share.toFixed(2)} (slices: ${slices}) | ≥ ${target} |` +
      ` ${failed ? 'FAIL (errors)' : share >= target ? 'PASS' : 'MISS'} | ${cpu(cells[op].bare)} → ${cpu(cells[op].nimbus)} |`)
  }
  return lines.join('\n')
}
