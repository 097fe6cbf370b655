// Kinesis Data Streams, side by side in one run: Nimbus, moto_server and kinesalite (npm) each get
// a stream with enough shards that AWS's per-shard limits don't bind, then PutRecords (500 × 1 KiB
// a call) and GetRecords records/s. Then Nimbus alone: peak RSS during a flood of 5 MiB PutRecords
// calls (8 in flight, 16 shards) in memory and with --data-dir (records on disk). Run alone with
// `node bench/kinesis.ts [seconds] [flood seconds]`, or as a section of `npm run bench`.
import { type ChildProcess, spawn } from 'node:child_process'
import { Agent, request } from 'node:http'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { fmt } from './report.ts'
import { freePort, installCleanup, motoSpec, rssMb, resolveServerPid, stopAll, stopChild, tempDir, trackChild } from './servers.ts'
import { sqsCall } from './sqs.ts'

const repoRoot = resolve(import.meta.dirname, '..')
export const KINESIS_TARGET_MOTO_RATIO = 5
export const KINESIS_TARGET_KINESALITE_RATIO = 10
const SHARDS = 200
const IN_FLIGHT = 8

const headers = (operation: string) => ({
  'content-type': 'application/x-amz-json-1.1',
  'x-amz-target': `Kinesis_20131202.${operation}`,
  // kinesalite wants a date beside the signature (as AWS does); nobody checks the signature.
  'x-amz-date': '20260101T000000Z',
  authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=0',
})

interface Target { label: string; command: string; args: (port: number) => string[] }
interface Running { label: string; port: number; pid: number; child: ChildProcess; agent: Agent }

async function call(t: Running, operation: string, input: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await sqsCall(t.port, operation, input, { agent: t.agent, timeoutMs: 60_000, headers: headers(operation) })
  let json: Record<string, unknown> = {}
  try {
    json = JSON.parse(res.text) as Record<string, unknown>
  } catch {
    json = { raw: res.text.slice(0, 200) }
  }
  return { status: res.status, json }
}

async function start(target: Target): Promise<Running> {
  const port = await freePort()
  const child = spawn(target.command, target.args(port), { cwd: repoRoot, stdio: 'ignore', env: process.env })
  trackChild(child)
  const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT * 2 })
  const running = { label: target.label, port, pid: 0, child, agent }
  for (let i = 0; i < 3000; i++) {
    try {
      if ((await call(running, 'ListStreams', {})).status === 200) return { ...running, pid: resolveServerPid(child.pid ?? 0) }
    } catch {
      // not listening yet
    }
    await sleep(10)
  }
  throw new Error(`${target.label} did not answer ListStreams`)
}

async function stop(t: Running): Promise<void> {
  t.agent.destroy()
  await stopChild(t.child)
}

async function activeStream(t: Running, name: string, shards: number): Promise<void> {
  const created = await call(t, 'CreateStream', { StreamName: name, ShardCount: shards })
  if (created.status !== 200) throw new Error(`${t.label}: CreateStream ${created.status} ${JSON.stringify(created.json)}`)
  for (let i = 0; i < 600; i++) {
    const d = await call(t, 'DescribeStreamSummary', { StreamName: name })
    if ((d.json['StreamDescriptionSummary'] as { StreamStatus?: string } | undefined)?.StreamStatus === 'ACTIVE') return
    await sleep(50)
  }
  throw new Error(`${t.label}: stream ${name} never became ACTIVE`)
}

/** One body per loop, each with its own partition keys, so records spread evenly over the shards. */
function putRecordsBodies(stream: string, count: number, bytes: number): string[] {
  const data = Buffer.alloc(bytes, 'k').toString('base64')
  return Array.from({ length: IN_FLIGHT }, (_, loop) => JSON.stringify({ StreamName: stream,
    Records: Array.from({ length: count }, (_, i) => ({ PartitionKey: `pk-${loop}-${i}-${stream}`, Data: data })) }))
}

/** One call with a prebuilt body; only the status and FailedRecordCount are read (the client must not be the bottleneck). */
function putCall(t: Running, body: Buffer): Promise<{ status: number; failed: number }> {
  return new Promise((resolvePut, reject) => {
    const req = request({ host: '127.0.0.1', port: t.port, method: 'POST', path: '/', agent: t.agent,
      headers: { ...headers('PutRecords'), 'content-length': String(body.length) } }, (res) => {
      let tail = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { tail += chunk })
      res.on('end', () => resolvePut({ status: res.statusCode ?? 0, failed: Number(/"FailedRecordCount":\s*(\d+)/.exec(tail)?.[1] ?? 0) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** IN_FLIGHT loops of PutRecords for `seconds`: records accepted per second. */
async function putFlood(t: Running, seconds: number, texts: string[]): Promise<{ perSecond: number; failed: number; errors: number }> {
  const bodies = texts.map((text) => Buffer.from(text))
  const count = (JSON.parse(texts[0]!) as { Records: unknown[] }).Records.length
  let accepted = 0
  let failed = 0
  let errors = 0
  const until = performance.now() + seconds * 1000
  const t0 = performance.now()
  await Promise.all(bodies.map(async (body) => {
    while (performance.now() < until) {
      try {
        const r = await putCall(t, body)
        if (r.status !== 200) { errors++; continue }
        accepted += count - r.failed
        failed += r.failed
      } catch {
        errors++
      }
    }
  }))
  return { perSecond: accepted / ((performance.now() - t0) / 1000), failed, errors }
}

/** Reads every shard from TRIM_HORIZON to its end (IN_FLIGHT shards at a time): records read per second. */
async function readAll(t: Running, stream: string, shards: number, maxSeconds: number): Promise<{ perSecond: number; records: number }> {
  let records = 0
  const ids = Array.from({ length: shards }, (_, i) => `shardId-${String(i).padStart(12, '0')}`)
  const t0 = performance.now()
  const deadline = t0 + maxSeconds * 1000
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    for (let id = ids.shift(); id !== undefined && performance.now() < deadline; id = ids.shift()) {
      const it = await call(t, 'GetShardIterator', { StreamName: stream, ShardId: id, ShardIteratorType: 'TRIM_HORIZON' })
      let iterator = it.json['ShardIterator'] as string | undefined
      while (iterator !== undefined && performance.now() < deadline) {
        const r = await call(t, 'GetRecords', { ShardIterator: iterator, Limit: 10_000 })
        if (r.status !== 200) { await sleep(100); continue } // throttled: AWS's 5 calls or 2 MiB per shard per second
        const got = (r.json['Records'] as unknown[]).length
        records += got
        // Caught up (MillisBehindLatest 0) or empty: the shard is read; no extra call to see it empty.
        const done = got === 0 || r.json['MillisBehindLatest'] === 0
        iterator = done ? undefined : r.json['NextShardIterator'] as string | undefined
      }
    }
  }))
  return { perSecond: records / ((performance.now() - t0) / 1000), records }
}

export interface KinesisBenchOptions {
  /** The compiled Nimbus's command; else Nimbus runs from its TypeScript source. */
  nimbus?: { command: string; args: (port: number) => string[] }
  seconds: number
  floodSeconds: number
  /** Which flood runs: in memory, with --data-dir, or both (the default). */
  floodModes?: Array<'memory' | 'disk'>
  log: (line: string) => void
}

export async function kinesisBench(options: KinesisBenchOptions): Promise<string> {
  const { log } = options
  const nimbus: Target = { label: 'Nimbus', ...(options.nimbus ?? { command: process.execPath,
    args: (port: number) => [join(repoRoot, 'src', 'cli.ts'), 'start', '--port', String(port), '--host', '127.0.0.1'] }) }
  const moto = motoSpec()
  const targets: Target[] = [nimbus]
  if (moto !== undefined) targets.push({ label: 'moto_server', command: moto.command, args: moto.args })
  targets.push({ label: 'kinesalite', command: join(repoRoot, 'node_modules', '.bin', 'kinesalite'),
    args: (port) => ['--port', String(port), '--shardLimit', '10000', '--createStreamMs', '0'] })
  const rows: string[] = []
  const results = new Map<string, { put: number; get: number }>()
  for (const target of options.seconds > 0 ? targets : []) {
    let running: Running | undefined
    try {
      running = await start(target)
      const stream = `bench-${Date.now()}`
      await activeStream(running, stream, SHARDS)
      const put = await putFlood(running, options.seconds, putRecordsBodies(stream, 500, 1024))
      const get = await readAll(running, stream, SHARDS, options.seconds * 3)
      results.set(target.label, { put: put.perSecond, get: get.perSecond })
      log(`  ${target.label.padEnd(12)} PutRecords ${fmt(put.perSecond).padStart(8)} records/s (${put.failed} throttled, ${put.errors} errors);` +
        ` GetRecords ${fmt(get.perSecond).padStart(8)} records/s (${get.records} read); RSS ${fmt(rssMb(running.pid))} MB`)
      rows.push(`| ${target.label} | ${fmt(put.perSecond)} | ${fmt(get.perSecond)} | ${fmt(rssMb(running.pid))} |`)
    } catch (error) {
      log(`  ${target.label}: failed: ${String(error)}`)
      rows.push(`| ${target.label} | failed | failed | |`)
    } finally {
      if (running !== undefined) await stop(running)
    }
  }
  // Nimbus's label is the run's own ('Nimbus (compiled JS)' in `npm run bench`, 'Nimbus' alone).
  const n = results.get(nimbus.label)
  const ratio = (peer: string, min: number) => {
    const p = results.get(peer)
    if (n === undefined || p === undefined) return `- ${peer}: n/a`
    const put = n.put / p.put
    return `- vs ${peer}: PutRecords ${put.toFixed(1)}× (target ≥ ${min}×: ${put >= min ? 'met' : 'NOT met'}), GetRecords ${(n.get / p.get).toFixed(1)}×`
  }
  const flood = options.floodSeconds > 0 ? await rssFlood(nimbus, options.floodSeconds, options.floodModes ?? ['memory', 'disk'], log) : ['(flood skipped)']
  return [
    '## Kinesis Data Streams',
    '',
    `${SHARDS} shards each, ${IN_FLIGHT} PutRecords calls in flight (500 records × 1 KiB), ${options.seconds} s; then every shard read ` +
      'from TRIM_HORIZON with GetRecords (Limit 10,000). JSON over HTTP/1.1 keep-alive for all three.',
    '',
    '| target | PutRecords records/s | GetRecords records/s | RSS after, MB |',
    '| --- | ---: | ---: | ---: |',
    ...rows,
    '',
    ratio('moto_server', KINESIS_TARGET_MOTO_RATIO),
    ratio('kinesalite', KINESIS_TARGET_KINESALITE_RATIO),
    '',
    ...flood,
  ].join('\n')
}

/** Each flood record's data; its partition key ("pk-<loop>-<i>-flood-<13-digit ms>") is 27–29 bytes more. */
const FLOOD_RECORD_BYTES = 10 * 1024 - 32
const FLOOD_KEY_BYTES = 28

/** Records the Kinesis service retains, from /_nimbus/health (undefined when it does not say). */
async function retainedRecords(t: Running): Promise<number | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${t.port}/_nimbus/health`)
    const body = await res.json() as { services?: Record<string, { retainedRecords?: number }> }
    return body.services?.['kinesis']?.retainedRecords
  } catch {
    return undefined
  }
}

/** Peak RSS above idle while 8 × 5 MiB PutRecords calls are in flight against 16 shards, in memory and with --data-dir. */
async function rssFlood(nimbus: Target, seconds: number, modes: Array<'memory' | 'disk'>, log: (line: string) => void): Promise<string[]> {
  const lines = [`Flood: ${IN_FLIGHT} PutRecords calls of 500 × 10 KiB (≈ 5 MiB) in flight against 16 shards for ${seconds} s ` +
    '(the shards accept 16 MiB/s; the rest is throttled per record, as on AWS).', '',
    '| Nimbus | idle RSS, MB | peak RSS, MB | peak above idle, MB | 5 s after, above idle, MB | records retained (data, MB) | peak growth / retained | growth / retained after the first sixth |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |']
  for (const disk of modes.map((m) => m === 'disk')) {
    const target = disk ? { ...nimbus, args: (port: number) => [...nimbus.args(port), '--data-dir', tempDir('nimbus-bench-kinesis-')] } : nimbus
    const running = await start(target)
    try {
      const stream = `flood-${Date.now()}`
      await activeStream(running, stream, 16)
      const idle = rssMb(running.pid)
      let peak = idle
      const sampler = setInterval(() => { peak = Math.max(peak, rssMb(running.pid)) }, 250)
      // RSS and records retained once the flood is under way (a sixth in): what the rest of it adds is
      // the growth per byte retained, apart from the working set the first calls bring (V8's young
      // generation and JIT code, the staging buffers, malloc's arenas).
      let early: { rss: number; records: number } | undefined
      const earlyTimer = setTimeout(() => {
        void retainedRecords(running).then((records) => { if (records !== undefined) early = { rss: rssMb(running.pid), records } })
      }, seconds * 1000 / 6)
      const put = await putFlood(running, seconds, putRecordsBodies(stream, 500, FLOOD_RECORD_BYTES))
      clearInterval(sampler)
      clearTimeout(earlyTimer)
      const end = rssMb(running.pid)
      // The sampler may have missed the last quarter second: the end is a sample too.
      peak = Math.max(peak, end)
      // What stays once the calls' bodies are let go: RSS after a few quiet seconds.
      await sleep(5_000)
      const settled = rssMb(running.pid)
      // Exactly what the shards hold (Nimbus's health counts it): data and keys, in MiB as RSS is read.
      const retained = await retainedRecords(running) ?? Math.round(put.perSecond * seconds)
      const recordMb = (FLOOD_RECORD_BYTES + FLOOD_KEY_BYTES) / 1_048_576
      const retainedMb = retained * recordMb
      const label = disk ? '--data-dir' : 'in memory'
      const ratio = (peak - idle) / retainedMb
      const marginal = early === undefined || retained <= early.records ? undefined : (end - early.rss) / ((retained - early.records) * recordMb)
      const marginalText = marginal === undefined ? 'n/a' : `${marginal.toFixed(2)}×`
      log(`  flood ${label.padEnd(10)} idle ${fmt(idle)} MB, peak ${fmt(peak)} MB (+${fmt(peak - idle)}), at end +${fmt(end - idle)}, ` +
        `settled +${fmt(settled - idle)}, ${fmt(retained)} records retained (${fmt(retainedMb)} MB), peak growth ${ratio.toFixed(2)}× retained, ` +
        `after the first sixth ${marginalText}, ${put.errors} errors`)
      lines.push(`| ${label} | ${fmt(idle)} | ${fmt(peak)} | ${fmt(peak - idle)} | ${fmt(settled - idle)} | ${fmt(retained)} (${fmt(retainedMb)} MB) | ` +
        `${ratio.toFixed(2)}× | ${marginalText} |`)
    } finally {
      await stop(running)
    }
  }
  lines.push('', 'Target: with --data-dir, < 300 MB above idle (retained records live in segment files); in memory, RSS grows by no more than the data retained (peak growth / retained ≤ 1.00).')
  return lines
}

if (import.meta.filename === process.argv[1]) {
  installCleanup()
  // `node bench/kinesis.ts 0 60 disk`: the flood alone (seconds 0 skips the side-by-side), one mode.
  const [seconds = '10', floodSeconds = '60', mode] = process.argv.slice(2)
  const floodModes = mode === 'memory' || mode === 'disk' ? [mode as 'memory' | 'disk'] : undefined
  kinesisBench({ seconds: Number(seconds), floodSeconds: Number(floodSeconds), floodModes, log: (line) => console.log(line) })
    .then((markdown) => console.log(`\n${markdown}`))
    .catch((error: unknown) => console.error(error))
    .finally(() => void stopAll())
}
