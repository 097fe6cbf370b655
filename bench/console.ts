// The web console's costs, measured in one run: SQS SendMessage/s with the trace log on vs off
// (two compiled Nimbus processes, `--no-trace` the only difference, slices interleaved so the
// machine's noise falls on both), and the console's first page load with 1,000 queues and 10,000
// trace entries (the JSON requests the page makes, each cold, then warm medians).
// `node bench/console.ts` runs it alone (and rewrites its section of bench/RESULTS.md); `npm run bench` includes it.
import { readFileSync, writeFileSync } from 'node:fs'
import { Agent } from 'node:http'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { describeErrors, flood, hasErrors } from './load.ts'
import { fmt, median } from './report.ts'
import { ApiCallLog } from '../src/console/api-log.ts'
import { detailOf, refOf, resourceOf } from '../src/console/call-facts.ts'
import { TraceSequence } from '../src/fabric/trace.ts'
import { buildCompiledNimbus, cpuMs, installCleanup, nimbusSpec, removeTempDirs, startTarget, stopAll, type TargetSpec } from './servers.ts'
import { createQueue, httpGet, sendMessageBody, sqsCall, sqsHeaders } from './sqs.ts'

export interface ConsoleBenchOptions {
  /** The compiled Nimbus (nimbusSpec); both trace variants are started from it. */
  nimbus: TargetSpec
  /** Seconds per measured slice; `rounds` slices per variant, order alternating. */
  seconds: number
  rounds: number
  connections: number
  log: (line: string) => void
}

const TARGET_RATIO = 0.95
const TARGET_PAGE_MS = 300
/** What the console's first page asks for (the UI's own assets are counted when the UI is there). */
const firstPage = ['/_nimbus/ui', '/_nimbus/api/services', '/_nimbus/api/resources?service=sqs&type=queue', '/_nimbus/trace?limit=500',
  '/_nimbus/clock', '/_nimbus/clock/next']

export async function consoleBench(options: ConsoleBenchOptions): Promise<string> {
  const { log } = options
  const on = await startTarget(options.nimbus)
  const off = await startTarget({ ...options.nimbus, label: 'Nimbus --no-trace', args: (port) => [...options.nimbus.args(port), '--no-trace'] })
  const bodies = new Map<number, string>()
  for (const t of [on, off]) bodies.set(t.port, sendMessageBody((await createQueue(t.port, 'console-bench')).queueUrl))
  const rates = { on: [] as number[], off: [] as number[] }
  // Server CPU per request: steadier than throughput on a machine other processes share.
  const cpu = { on: [] as number[], off: [] as number[] }
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)
    for (const which of order) {
      const target = which === 'on' ? on : off
      const before = cpuMs(target.serverPid)
      const result = await flood({ port: target.port, headers: sqsHeaders('SendMessage'), body: bodies.get(target.port)!,
        connections: options.connections, warmupSeconds: round === 0 ? 1 : 0, seconds: options.seconds, verify: (text) => text.includes('MessageId') })
      const usedMs = cpuMs(target.serverPid) - before
      if (hasErrors(result)) log(`  ⚠ trace ${which}: ${describeErrors(result)}`)
      rates[which].push(result.perSecond)
      cpu[which].push(result.ok > 0 ? (usedMs * 1000) / result.ok : Number.NaN)
      log(`  round ${round + 1} trace ${which.padEnd(3)} SendMessage ${fmt(result.perSecond)}/s, ${cpu[which].at(-1)!.toFixed(1)} µs CPU each`)
    }
  }
  await on.stop()
  await off.stop()
  // Each round's two slices ran back to back, under the same load: the median of the rounds' ratios
  // follows the machine's drift less than a ratio of medians would.
  const ratios = rates.on.map((r, i) => r / rates.off[i]!)
  const ratio = median(ratios)
  const cpuRatio = median(cpu.off.map((c, i) => c / cpu.on[i]!))
  const recordNs = recordCost()
  log(`  trace on / off: ${ratio.toFixed(3)} (slices ${ratios.map((r) => r.toFixed(2)).join(', ')}); requests per CPU second on / off ${cpuRatio.toFixed(3)}; ` +
    `recording a call ${recordNs.toFixed(0)} ns`)

  const page = await pageLoad(options.nimbus, log)
  const sum = page.cold.reduce((n, c) => n + c.ms, 0)
  const ui = page.cold.find((c) => c.path === '/_nimbus/ui')
  return [
    '## Web console',
    '',
    `SQS SendMessage/s on two compiled Nimbus processes, the trace log on (default, 10,000 hops + 10,000 API calls) and off (\`--no-trace\`), ` +
      `${options.rounds} × ${options.seconds} s slices each, interleaved (order alternating), ${options.connections} connections.`,
    '',
    '| Measurement | trace on | trace off | on / off | target | verdict |',
    '|---|---|---|---|---|---|',
    `| SendMessage/s (median of slices; on / off: median of the rounds' ratios) | ${fmt(median(rates.on))} | ${fmt(median(rates.off))} | ${ratio.toFixed(3)} (rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')}) | ≥ ${TARGET_RATIO} | ${ratio >= TARGET_RATIO ? 'PASS' : 'MISS'} |`,
    `| server CPU µs per SendMessage (median; on / off: requests per CPU second, median of the rounds' ratios) | ${median(cpu.on).toFixed(1)} | ${median(cpu.off).toFixed(1)} | ${cpuRatio.toFixed(3)} | ≥ ${TARGET_RATIO} | ${cpuRatio >= TARGET_RATIO ? 'PASS' : 'MISS'} |`,
    '',
    `Recording one call in the API-call log (what the gateway does per request: resource, key and ids picked off the input and output, ` +
      `11 column writes), in process: ${recordNs.toFixed(0)} ns — against ${median(cpu.off).toFixed(0)} µs of server CPU per SendMessage.`,
    '',
    `First page load on a fresh Nimbus holding 1,000 queues and ${page.entries.toLocaleString('en-US')} trace entries: each request the page makes, ` +
      'on a new connection, the first time (cold) and the median of 5 more (warm).',
    '',
    '| Request | status | bytes | cold ms | warm ms |',
    '|---|---|---|---|---|',
    ...page.cold.map((c, i) => `| \`${c.path}\` | ${c.status} | ${fmt(c.bytes)} | ${c.ms.toFixed(1)} | ${page.warm[i]!.toFixed(1)} |`),
    `| **all, one after another** | | | **${sum.toFixed(1)}** | **${page.warm.reduce((n, m) => n + m, 0).toFixed(1)}** |`,
    '',
    `Target: first page < ${TARGET_PAGE_MS} ms — ${sum < TARGET_PAGE_MS ? 'PASS' : 'MISS'} (${sum.toFixed(0)} ms, requests made one after another; a browser makes them in parallel).` +
      (ui?.status === 404 ? ' The UI itself (`/_nimbus/ui`) was not served by this build: only its JSON requests are counted.' : ''),
    `Reading the whole trace (\`/_nimbus/trace?limit=20000\`, every entry held): ${page.fullTraceMs.toFixed(1)} ms.`,
  ].join('\n')
}

/** Nanoseconds per recorded call, the gateway's whole share of the trace (a warm loop over a full ring). */
function recordCost(): number {
  const log = new ApiCallLog(10_000, new TraceSequence())
  const input = { QueueUrl: 'http://127.0.0.1:4566/000000000000/q', MessageBody: 'x' }
  const output = { MessageId: '0b1c5e4a-8f0e-4a43-9d0e-4bd9b1a8c6f1', MD5OfMessageBody: 'x' }
  const scope = { account: '000000000000', region: 'us-east-1' }
  const run = (n: number) => {
    for (let i = 0; i < n; i++) log.record(i, 'sqs', 'SendMessage', 200, 0.1, 'req', resourceOf(input), detailOf(input), refOf(output), scope)
  }
  run(200_000)
  const t0 = performance.now()
  run(1_000_000)
  return ((performance.now() - t0) * 1e6) / 1_000_000
}

interface PageTiming {
  cold: Array<{ path: string; status: number; bytes: number; ms: number }>
  warm: number[]
  entries: number
  fullTraceMs: number
}

async function pageLoad(spec: TargetSpec, log: (line: string) => void): Promise<PageTiming> {
  const nimbus = await startTarget(spec)
  try {
    const agent = new Agent({ keepAlive: true, maxSockets: 32 })
    const urls: string[] = []
    for (let i = 0; i < 1000; i += 50) {
      urls.push(...await Promise.all(Array.from({ length: 50 }, async (_, j) => (await createQueue(nimbus.port, `page-${i + j}`)).queueUrl)))
    }
    for (let i = 0; i < 10_000; i += 100) {
      await Promise.all(Array.from({ length: 100 }, (_, j) => sqsCall(nimbus.port, 'SendMessage', sendMessageBody(urls[(i + j) % urls.length]!), { agent })))
    }
    agent.destroy()
    const held = (JSON.parse((await httpGet(nimbus.port, '/_nimbus/trace?limit=20000', 10_000)).text) as { entries: unknown[] }).entries.length
    log(`  page load: 1,000 queues, ${held.toLocaleString('en-US')} trace entries held`)
    const cold = []
    const paths = [...firstPage]
    for (let i = 0; i < paths.length; i++) {
      const path = paths[i]!
      const t0 = performance.now()
      const res = await httpGet(nimbus.port, path, 10_000)
      cold.push({ path, status: res.status, bytes: Buffer.byteLength(res.text), ms: performance.now() - t0 })
      // The page's own script and styles, when the UI is served: fetched right after it, as a browser does.
      if (path === '/_nimbus/ui' && res.status === 200) {
        const assets = [...res.text.matchAll(/(?:src|href)="(\/_nimbus\/ui\/[^"]+)"/g)].map((m) => m[1]!)
        paths.splice(i + 1, 0, ...assets)
      }
    }
    const warm = []
    for (const path of paths) {
      const times = []
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now()
        await httpGet(nimbus.port, path, 10_000)
        times.push(performance.now() - t0)
      }
      warm.push(median(times))
    }
    const t0 = performance.now()
    await httpGet(nimbus.port, '/_nimbus/trace?limit=20000', 10_000)
    const fullTraceMs = performance.now() - t0
    for (const c of cold) log(`  ${c.path.padEnd(48)} ${c.status} ${c.ms.toFixed(1)} ms cold`)
    return { cold, warm, entries: held, fullTraceMs }
  } finally {
    await nimbus.stop()
  }
}

/** Alone: build, measure, print, and replace the "## Web console" section of bench/RESULTS.md. */
if (import.meta.main) {
  installCleanup()
  const log = (line: string) => console.log(line)
  try {
    const section = await consoleBench({ nimbus: nimbusSpec(buildCompiledNimbus()), seconds: Number(process.env['SECONDS_PER_SLICE'] ?? 2),
      rounds: Number(process.env['ROUNDS'] ?? 10), connections: 50, log })
    console.log(`\n${section}`)
    const path = join(resolve(import.meta.dirname), 'RESULTS.md')
    const text = readFileSync(path, 'utf8')
    const start = text.indexOf('## Web console')
    const end = start < 0 ? -1 : text.indexOf('\n## ', start + 1)
    const next = start < 0 ? `${text.trimEnd()}\n\n${section}\n` : `${text.slice(0, start)}${section}\n${end < 0 ? '' : text.slice(end)}`
    writeFileSync(path, next)
  } finally {
    await stopAll()
    removeTempDirs()
  }
}
