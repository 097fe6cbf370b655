// Renders one benchmark run as Markdown (bench/RESULTS.md): the side-by-side table, the targets, the notes.
import { availableParallelism, cpus, totalmem } from 'node:os'
import type { LambdaResults } from './lambda.ts'
import { describeErrors, hasErrors, type LoadResult } from './load.ts'
import type { Started, TargetSpec } from './servers.ts'

export interface TargetState {
  spec: TargetSpec
  firstCallMs: number[]
  idleRssMb: number[]
  running?: Started
  closesConnections?: boolean
  send?: LoadResult
  batch?: LoadResult
  rrd?: LoadResult
  loadedRssMb?: number
  failure?: string
}

export interface ReportInput {
  hello: TargetState | undefined
  /** The main Nimbus target: compiled JS, the form `npm start` and the `nimbus` bin run. */
  nimbus: TargetState | undefined
  /** Nimbus from src/cli.ts (type stripping): spawn time only, for information. */
  nimbusSource: TargetState | undefined
  moto: TargetState | undefined
  notes: string[]
  motoVersion: string
  /** The Lambda section (Nimbus only; hello answers the same invoke bytes as the floor), with Nimbus's RSS after it. */
  lambda: (LambdaResults & { rssMb: number }) | undefined
  lambdaConfig: { coldFunctions: number, warmInvokes: number, tailEvery: number, throughputSeconds: number, esmMessages: number }
  config: {
    spawns: number
    seconds: number
    warmup: number
    rounds: number
    connections: number
    rrdWorkers: number
    rrdProcesses: number
    slowConnections: number
  }
  targets: {
    helloShareMin: number
    motoRatioMin: number
    firstCallMaxMs: number
    lambdaOverheadP50MaxMs: number
    lambdaColdStartMaxMs: number
  }
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] as number : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

export function fmt(n: number | undefined, digits = 0): string {
  if (n === undefined || !Number.isFinite(n)) return '—'
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

function ratio(a: number | undefined, b: number | undefined, style: 'pct' | 'x'): string {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '—'
  return style === 'pct' ? `${((a / b) * 100).toFixed(0)}%` : `${(a / b).toFixed(1)}×`
}

type Key = 'send' | 'batch' | 'rrd'

export function report(input: ReportInput): string {
  const { hello, nimbus, nimbusSource, moto, config, targets: goals } = input
  const columns = [hello, nimbus, moto].filter((s): s is TargetState => s !== undefined)
  const footnotes: string[] = []
  const cell = (state: TargetState, key: Key) => {
    const result = state[key]
    if (result === undefined) return '—'
    if (!hasErrors(result)) return fmt(result.perSecond)
    footnotes.push(`${state.spec.label} ${key}: ${describeErrors(result)}`)
    return `${fmt(result.perSecond)} ⚠[${footnotes.length}]`
  }
  const value = (state: TargetState | undefined, key: Key) => state?.[key]?.perSecond
  const firstCall = (state: TargetState | undefined) => state === undefined ? undefined : median(state.firstCallMs)
  const idleRss = (state: TargetState | undefined) => state === undefined ? undefined : median(state.idleRssMb)
  const latency = (result: LoadResult | undefined) =>
    result === undefined ? '—' : `${result.latencyP50Ms.toFixed(1)} / ${result.latencyP99Ms.toFixed(1)}`
  /** A metric row: one cell per column, then Nimbus / hello and Nimbus / moto. */
  const row = (metric: string, cellOf: (s: TargetState) => string, pick?: (s: TargetState | undefined) => number | undefined,
    style: 'pct' | 'x' = 'x') => [
    metric,
    ...columns.map(cellOf),
    pick === undefined ? '' : ratio(pick(nimbus), pick(hello), style),
    pick === undefined ? '' : ratio(pick(nimbus), pick(moto), 'x'),
  ]

  const sourceFirst = firstCall(nimbusSource)
  const sourceCell = nimbusSource?.failure !== undefined ? 'failed' : fmt(sourceFirst)
  const header = ['Metric', ...columns.map((s) => s.spec.label), 'Nimbus / hello', 'Nimbus / moto']
  const rows: string[][] = [
    row(`Spawn → first call, ms (median of ${config.spawns})`, (s) => fmt(firstCall(s)), firstCall),
    ...(nimbusSource === undefined ? [] : [[
      'Spawn → first call, Nimbus from TypeScript source (node src/cli.ts), ms — for information',
      ...columns.map((s) => s === nimbus ? sourceCell : ''),
      ratio(sourceFirst, firstCall(hello), 'x'),
      ratio(sourceFirst, firstCall(moto), 'x'),
    ]]),
    row('Idle RSS, MB (after first call)', (s) => fmt(idleRss(s), 1), idleRss),
    row('SendMessage / s', (s) => cell(s, 'send'), (s) => value(s, 'send'), 'pct'),
    row('SendMessageBatch messages / s (req/s × 10)', (s) => cell(s, 'batch'), (s) => value(s, 'batch'), 'pct'),
    row('Send→Receive→Delete round trips / s', (s) => cell(s, 'rrd'), (s) => value(s, 'rrd'), 'pct'),
    row('SendMessage latency p50 / p99, ms', (s) => latency(s.send)),
    row('Round-trip latency p50 / p99, ms', (s) => latency(s.rrd)),
    row('RSS after all load, MB', (s) => fmt(s.loadedRssMb, 1)),
  ]
  const table = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n')

  const nimbusFailed = nimbus?.failure !== undefined
  const verdict = (ok: boolean | undefined) => ok === undefined ? (nimbusFailed ? 'FAILED (see notes)' : 'n/a') : ok ? 'PASS' : 'MISS'
  const share = (a: number | undefined, b: number | undefined) => a === undefined || b === undefined ? undefined : a / b
  const helloShare = share(value(nimbus, 'send'), value(hello, 'send'))
  const motoRatio = share(value(nimbus, 'send'), value(moto, 'send'))
  const nimbusFirst = firstCall(nimbus)
  const firstKnown = nimbusFirst !== undefined && Number.isFinite(nimbusFirst)
  const runs = nimbus?.firstCallMs.map((v) => v.toFixed(0)).join(', ') ?? '—'
  const targets = [
    '| Target | Goal | Measured | Verdict |',
    '| --- | --- | --- | --- |',
    `| Nimbus SendMessage/s vs hello-world ceiling | ≥ ${goals.helloShareMin * 100}% | ` +
      `${helloShare === undefined ? '—' : `${(helloShare * 100).toFixed(0)}%`} | ` +
      `${verdict(helloShare === undefined ? undefined : helloShare >= goals.helloShareMin)} |`,
    `| Nimbus / moto SendMessage/s | ≥ ${goals.motoRatioMin}× | ${motoRatio === undefined ? '—' : `${motoRatio.toFixed(1)}×`} | ` +
      `${verdict(motoRatio === undefined ? undefined : motoRatio >= goals.motoRatioMin)} |`,
    `| Nimbus spawn → first SQS call (compiled JS: \`npm start\` / the \`nimbus\` bin) | ≤ ${goals.firstCallMaxMs} ms | ` +
      `${fmt(nimbusFirst)} ms (runs: ${runs}) | ${verdict(firstKnown ? nimbusFirst <= goals.firstCallMaxMs : undefined)} |`,
    ...lambdaTargets(input),
  ].join('\n')

  const anyErrors = columns.some((s) => (['send', 'batch', 'rrd'] as const).some((k) => s[k] !== undefined && hasErrors(s[k])))
  const failures = [...columns, ...(nimbusSource === undefined ? [] : [nimbusSource])]
    .filter((s) => s.failure !== undefined).map((s) => `${s.spec.label}: ${s.failure?.split('\n')[0]}`)
  const rrdHello = value(hello, 'rrd')
  const rrdNimbus = value(nimbus, 'rrd')
  const rrdClientBound = rrdHello !== undefined && rrdNimbus !== undefined && Math.abs(rrdNimbus - rrdHello) / rrdHello < 0.15
  const cores = availableParallelism()
  const cpuModel = cpus()[0]?.model.trim() ?? 'unknown CPU'
  const lines = [
    '# Nimbus benchmark — latest run',
    '',
    'Generated by `npm run bench` (bench/run.ts); overwritten on every run. Benchmarks are not timed tests: the',
    'machine is shared and noisy, so compare the ratios, not the absolute numbers, across runs.',
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${cores} cores (nproc), ${cpuModel}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${process.platform}/${process.arch}`,
    `- Node ${process.version} (load generator, hello-world server and Nimbus all run on it); moto ${input.motoVersion}`,
    '- Nimbus = the compiled JS, built from src/ with tsconfig.build.json into a temp dir at the start of the run and started as ' +
      '`node cli.js start` (what `npm start` and the `nimbus` bin run); it is used for every metric.',
    `- Floods: autocannon in the benchmark process, ${config.connections} keep-alive connections, pipelining 1.` +
      ` Round trips: ${config.rrdWorkers} workers split over ${config.rrdProcesses === 0 ? 'the benchmark process (in-process)'
        : `${config.rrdProcesses} separate client process${config.rrdProcesses === 1 ? '' : 'es'}`},` +
      ' each worker on its own keep-alive socket with a minimal HTTP/1.1 client (bench/rawhttp.ts).',
    `- Each cell: ${config.warmup} s warm-up, then ${config.seconds} s measured as ${config.rounds} slices interleaved across` +
      ' the targets (fresh queue per slice). Latency p50 is the mean of the slices, p99 the worst slice.',
    `- Every target is a child process on 127.0.0.1; the load generators share the same ${cores} cores.`,
    `- Status: ${anyErrors || failures.length > 0 || (input.lambda?.failures.length ?? 0) > 0
      ? '⚠ **this run had errors** (see footnotes)'
      : 'no errors (every response 2xx with a valid body)'}`,
    '',
    '## SQS',
    '',
    table,
    '',
    ...(footnotes.length > 0 ? footnotes.map((f, i) => `⚠[${i + 1}] ${f}`).concat(['']) : []),
    ...lambdaSection(input),
    '## Targets',
    '',
    targets,
    '',
    '## Notes',
    '',
    '- hello = bare `node:http` server (bench/hello-server.ts) that reads the body and returns a canned SQS-shaped JSON body:' +
      ' the ceiling for these clients on this machine.',
    '- Throughput counts only 2xx responses whose body verified (MessageId present; batch: no Failed entries;' +
      ' round trips: DeleteMessage succeeded).',
    '- Spawn → first call: from `spawn()` to the first successful response, polling every ~2 ms with real calls' +
      ' (GET for hello, SQS ListQueues for Nimbus and moto), fresh connection per attempt. The "from TypeScript source"' +
      ' row spawns `node src/cli.ts start` (Node strips the types of every module it loads) and is not a target.',
    '- RSS: VmRSS of the serving process (for moto, the Python process itself), read from /proc. "After all load" includes' +
      " the heap V8 grew to hold the floods' backlogs (every slice's queue is purged afterwards, but V8 keeps the pages):" +
      ' a high-water mark, not a leak check.',
    `- Round trips: the clients run outside the benchmark process, so they never share an event loop with it; on ${cores}` +
      ' cores they still share the CPU with the server, so the hello ceiling is what one server core can answer while the' +
      ' clients use the rest.',
    ...(rrdClientBound
      ? ['- ⚠ Round trips: hello and Nimbus are within 15% of each other, so this row is likely bound by the load clients, not' +
        ' by the server.']
      : []),
    ...lambdaNotes(input),
    ...input.notes.map((n) => `- ${n}`),
    ...failures.map((f) => `- ⚠ failed: ${f}`),
    '',
  ]
  return lines.join('\n')
}

const ms = (n: number | undefined, digits = 2) => n === undefined || !Number.isFinite(n) ? '—' : n.toFixed(digits)
const pair = (l: { p50: number, p99: number } | undefined) => l === undefined ? '—' : `${ms(l.p50)} / ${ms(l.p99)}`

/** The Lambda table: Nimbus, the hello floor answering the same invoke bytes, and how far apart they are. */
function lambdaSection(input: ReportInput): string[] {
  const lambda = input.lambda
  if (lambda === undefined) return []
  const c = input.lambdaConfig
  const warm = lambda.warm
  const runs = (values: number[]) => values.length === 0 ? '—' : `${fmt(median(values))} (runs: ${values.map((v) => v.toFixed(0)).join(', ')})`
  const plus = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) ? '' : `+${(a - b).toFixed(2)} ms p50`
  const share = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined || b === 0 ? '' : `${((a / b) * 100).toFixed(0)}%`
  const rows: string[][] = [
    [`Cold start: CreateFunction sent → first Invoke answered, ms (median of ${c.coldFunctions} fresh functions)`,
      runs(lambda.coldCreateToInvokeMs), '', ''],
    ['Cold start: the first Invoke alone (after CreateFunction returned), ms (median)', runs(lambda.coldFirstInvokeMs), '', ''],
    ['Cold start: REPORT Init Duration of that first Invoke, ms (median)', runs(lambda.coldInitMs), '', ''],
    [`Warm Invoke latency p50 / p99, ms (${warm?.total.n ?? c.warmInvokes} sequential invokes, one keep-alive connection)`,
      pair(warm?.total), pair(warm?.hello), plus(warm?.total.p50, warm?.hello?.p50)],
    [`Handler's own time: REPORT Duration p50 / p99, ms (every ${c.tailEvery}th invoke, LogType: Tail; n ${warm?.handler.n ?? 0})`,
      pair(warm?.handler), '', ''],
    ['**Warm Invoke overhead** = wall time − REPORT Duration, per invoke, p50 / p99, ms (same sample)',
      pair(warm?.overhead), '', ''],
    ...lambda.throughput.flatMap((t) => [
      [`Invokes / s, ${t.inFlight} in flight${t.inFlight > 1 ? ` (${t.inFlight} environments)` : ''}, ${c.throughputSeconds} s` +
        `${t.nimbus.errors > 0 ? ` — ⚠ ${t.nimbus.errors} failed` : ''}`,
        fmt(t.nimbus.perSecond), fmt(t.hello?.perSecond), share(t.nimbus.perSecond, t.hello?.perSecond)],
      [`Invoke latency p50 / p99 at ${t.inFlight} in flight, ms`, pair(t.nimbus.latency), pair(t.hello?.latency),
        plus(t.nimbus.latency.p50, t.hello?.latency.p50)],
    ]),
    [`SQS → Lambda messages / s (${fmt(lambda.esm?.messages ?? c.esmMessages)} pre-loaded, event source mapping, BatchSize 10)`,
      lambda.esm === undefined ? '—' : `${fmt(lambda.esm.perSecond)} (${lambda.esm.seconds.toFixed(2)} s to empty)`, '', ''],
    ['Nimbus RSS after the Lambda section, MB (its own process; environments not included)', fmt(lambda.rssMb, 1), '', ''],
  ]
  const header = ['Metric', input.nimbus?.spec.label ?? 'Nimbus', 'hello: same request bytes (node:http floor)', 'Nimbus vs hello']
  return [
    '## Lambda',
    '',
    [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n'),
    '',
    ...lambda.failures.map((f) => `⚠ Lambda ${f}`),
    ...(lambda.failures.length > 0 ? [''] : []),
  ]
}

function lambdaTargets(input: ReportInput): string[] {
  const { lambda, targets: goals } = input
  if (lambda === undefined) return []
  const overhead = lambda.warm?.overhead.p50
  const cold = median(lambda.coldCreateToInvokeMs)
  const verdict = (value: number | undefined, max: number) =>
    value === undefined || !Number.isFinite(value) ? 'FAILED (see notes)' : value < max ? 'PASS' : 'MISS'
  return [
    `| Lambda warm Invoke overhead p50 (wall time − REPORT Duration, Node handler) | < ${goals.lambdaOverheadP50MaxMs} ms | ` +
      `${ms(overhead)} ms | ${verdict(overhead, goals.lambdaOverheadP50MaxMs)} |`,
    `| Lambda cold start, Node handler: CreateFunction sent → first Invoke answered (median) | < ${goals.lambdaColdStartMaxMs} ms | ` +
      `${fmt(cold)} ms | ${verdict(cold, goals.lambdaColdStartMaxMs)} |`,
  ]
}

function lambdaNotes(input: ReportInput): string[] {
  if (input.lambda === undefined) return []
  const c = input.lambdaConfig
  return [
    '- Lambda: a Node handler `exports.handler = async (e) => e` (nodejs22.x, 128 MB), created from a zip built in memory and' +
      ' invoked over HTTP like an SDK (rest-json, `POST /2015-03-31/functions/<name>/invocations`, a 24-byte JSON event echoed' +
      ' back and checked), on the same compiled Nimbus child as the SQS section, after it. Invokes go through a minimal' +
      ' keep-alive HTTP/1.1 client (bench/rawhttp.ts) in the benchmark process. Cold-start functions are deleted right after' +
      ' their first Invoke, every other function at the end.',
    `- Lambda warm latency: ${c.warmInvokes} sequential invokes in 8 blocks, each followed by as many requests with the same` +
      ' bytes to the hello server (the floor: one node:http round trip on this machine). The latency row counts invokes without' +
      ` LogType; every ${c.tailEvery}th invoke asks for \`LogType: Tail\`, and its decoded X-Amz-Log-Result gives the REPORT` +
      ' Duration (from handing the event to the function process to its response reaching Nimbus); overhead is that invoke\'s' +
      ' wall time minus its Duration, so it also pays for building the tail (a few µs).',
    `- Lambda invokes/s: closed loops on 1 and 8 keep-alive connections, 0.5 s warm-up then ${c.throughputSeconds} s; the 8` +
      ' environments are started before the window. On 2 cores the 8 function processes, Nimbus and the client share the CPU.',
    `- SQS → Lambda: ${fmt(c.esmMessages)} messages of 100 B pre-loaded with SendMessageBatch, the function's 5 environments` +
      ' started first (Lambda begins with 5 concurrent batches per mapping); the clock starts at CreateEventSourceMapping and' +
      ' stops when ApproximateNumberOfMessages + NotVisible reads 0 (polled every 50 ms, so ± 50 ms). A failed batch would' +
      ' stay queued, so an empty queue means every batch succeeded.',
  ]
}
