// `npm run bench`: Nimbus vs a bare node:http ceiling vs moto_server, side by side, in one bounded run.
// Prints a table of absolute numbers and ratios and overwrites bench/RESULTS.md with it (see report.ts).
// Benchmarks are never timed tests: the machine is shared and noisy, so read the ratios.
// "Nimbus" is the compiled JS (what `npm start` and the `nimbus` bin run), built fresh into a temp dir.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { apiGatewaySection } from './apigateway-section.ts'
import { autoScalingSection } from './autoscaling.ts'
import { cloudWatchSection } from './cloudwatch.ts'
import { consoleBench } from './console.ts'
import { durableBench } from './durable.ts'
import { dynamoSection } from './dynamodb.ts'
import { kinesisBench } from './kinesis.ts'
import { describeErrors, flood, hasErrors, type LoadResult } from './load.ts'
import { type LambdaResults, lambdaBench } from './lambda.ts'
import { fmt, report, type TargetState } from './report.ts'
import { roundTrips } from './roundtrip.ts'
import { serviceBenches } from './services.ts'
import { createQueue, purgeQueue, sendMessageBatchBody, sendMessageBody, sqsHeaders } from './sqs.ts'
import {
  buildCompiledNimbus, cpuMs, exePath, helloSpec, installCleanup, keepLog, motoSpec, nimbusSourceSpec, nimbusSpec, nodeStartupFloor,
  removeTempDirs, rssMb, type Started, startTarget, stopAll, type TargetId, type TargetSpec,
} from './servers.ts'

const { values: flags } = parseArgs({
  options: {
    seconds: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    workers: { type: 'string' },
    'rrd-processes': { type: 'string' },
    rounds: { type: 'string' },
    'slow-connections': { type: 'string' },
    spawns: { type: 'string' },
    'no-moto': { type: 'boolean' },
    'no-write': { type: 'boolean' },
    'no-source': { type: 'boolean' },
    'no-lambda': { type: 'boolean' },
    'lambda-invokes': { type: 'string' },
    'esm-messages': { type: 'string' },
    'no-services': { type: 'boolean' },
    'no-cloudwatch': { type: 'boolean' },
    'no-autoscaling': { type: 'boolean' },
    'no-apigateway': { type: 'boolean' },
    'no-durable': { type: 'boolean' },
    'no-dynamodb': { type: 'boolean' },
    'stored-messages': { type: 'string' },
    rules: { type: 'string' },
    'no-kinesis': { type: 'boolean' },
    'kinesis-flood-seconds': { type: 'string' },
    'no-console': { type: 'boolean' },
  },
})

const SECONDS = Number(flags.seconds ?? 8)
const WARMUP = Number(flags.warmup ?? 2)
const CONNECTIONS = Number(flags.connections ?? 50)
/** Round-trip workers (one keep-alive socket each), split over RRD_PROCESSES client processes (0 = in this process). */
const RRD_WORKERS = Number(flags.workers ?? 64)
const RRD_PROCESSES = Number(flags['rrd-processes'] ?? 2)
const SPAWNS = Number(flags.spawns ?? 3)
const ROUNDS = Number(flags.rounds ?? 2)
/** Concurrency for servers that close every connection (moto): they saturate at 1. */
const SLOW_CONNECTIONS = Number(flags['slow-connections'] ?? 10)
/** Lambda: fresh functions for cold start, sequential warm invokes, seconds per invokes/s cell, messages through the mapping. */
const LAMBDA = {
  coldFunctions: 5,
  warmInvokes: Number(flags['lambda-invokes'] ?? 2000),
  tailEvery: 10,
  throughputSeconds: 3,
  esmMessages: Number(flags['esm-messages'] ?? 20_000),
}
const TARGETS = {
  helloShareMin: 0.5,
  motoRatioMin: 20,
  firstCallMaxMs: 150,
  lambdaOverheadP50MaxMs: 2,
  lambdaColdStartMaxMs: 150,
}

const repoRoot = resolve(import.meta.dirname, '..')
const errorText = (error: unknown) => error instanceof Error ? error.message : String(error)

function log(line: string): void {
  console.log(`[bench ${((performance.now() - started) / 1000).toFixed(1).padStart(5)}s] ${line}`)
}
const started = performance.now()

async function main(): Promise<void> {
  installCleanup()
  const notes: string[] = []
  // Other work on the machine moves every absolute number (the ratios less): say how busy it was.
  const loadAtStart = loadavg().map((n) => n.toFixed(2)).join(' / ')

  // The main Nimbus target is the compiled JS, built fresh (never a possibly stale dist/).
  let nimbus: TargetState
  try {
    const buildStart = performance.now()
    nimbus = { spec: nimbusSpec(buildCompiledNimbus()), firstCallMs: [], idleRssMb: [] }
    log(`compiled src/ with tsc (tsconfig.build.json) into a temp dir in ${(performance.now() - buildStart).toFixed(0)} ms`)
  } catch (error) {
    const why = errorText(error).split('\n')[0] ?? ''
    nimbus = { spec: nimbusSpec(''), firstCallMs: [], idleRssMb: [], failure: `tsc build failed: ${why}` }
    log(`could not compile src/ with tsc; Nimbus is not measured: ${why}`)
  }
  const specs: TargetSpec[] = [helloSpec()]
  const moto = flags['no-moto'] === true ? undefined : motoSpec()
  if (moto === undefined) {
    const why = flags['no-moto'] === true ? '--no-moto given' : 'moto_server is not on PATH'
    console.log(`note: ${why}; skipping the moto target.`)
    notes.push(`moto skipped: ${why}.`)
  } else {
    specs.push(moto)
    if (moto.note !== undefined) notes.push(`moto: ${moto.note}.`)
  }
  const states = new Map<TargetId, TargetState>(specs.map((spec) => [spec.id, { spec, firstCallMs: [], idleRssMb: [] }]))
  states.set('nimbus', nimbus)
  const source: TargetState | undefined = flags['no-source'] === true
    ? undefined
    : { spec: nimbusSourceSpec(), firstCallMs: [], idleRssMb: [] }
  const order = (['hello', 'nimbus', 'moto'] as const).map((id) => states.get(id)).filter((s) => s !== undefined)
  const alive = () => order.filter((s) => s.running !== undefined && s.failure === undefined)

  const floor = await nodeStartupFloor()
  log(`node startup floor: \`node -e 0\` ${floor.plainMs.toFixed(0)} ms,` +
    ` empty .ts file ${floor.typeScriptMs.toFixed(0)} ms (spawn → exit)`)
  notes.push(`Node startup floor on this machine (spawn → exit, median of 3): \`node -e 0\` ${floor.plainMs.toFixed(0)} ms;` +
    ` an empty .ts file (type stripping) ${floor.typeScriptMs.toFixed(0)} ms. The difference is Node loading and running its` +
    ' type stripper, which the hello server and Nimbus from src/cli.ts pay (per file) and the compiled Nimbus does not.')

  // 1. Spawn → first successful call, interleaved across targets; the last round's processes stay up
  //    (Nimbus from TypeScript source is only spawned for this row).
  const spawnOrder = source === undefined ? order : [...order.slice(0, 2), source, ...order.slice(2)]
  for (let round = 0; round < SPAWNS; round++) {
    for (const state of spawnOrder) {
      if (state.failure !== undefined) continue
      try {
        const target = await startTarget(state.spec)
        state.firstCallMs.push(target.firstCallMs)
        state.idleRssMb.push(target.idleRssMb)
        log(`${state.spec.label}: spawn ${round + 1}/${SPAWNS}: first call after ${target.firstCallMs.toFixed(0)} ms,` +
          ` RSS ${target.idleRssMb.toFixed(1)} MB (pid ${target.serverPid})`)
        if (round < SPAWNS - 1 || state === source) await target.stop()
        else state.running = target
      } catch (error) {
        state.failure = errorText(error)
        log(`${state.spec.label}: FAILED to start: ${state.failure}`)
      }
    }
  }

  let motoVersion = 'n/a'
  const motoState = states.get('moto')
  if (motoState?.running !== undefined) motoVersion = pythonModuleVersion(motoState.running.serverPid, 'moto')

  // 2. Does each target keep connections alive? (moto's Werkzeug dev server closes every one.)
  for (const state of alive()) {
    try {
      const probe = await createQueue((state.running as Started).port, 'bench-probe')
      if (probe.connectionClose) {
        state.closesConnections = true
        notes.push(`${state.spec.label} answers \`Connection: close\` to every request (no keep-alive). autocannon stalls on` +
          ' such servers, so its floods run on a node:http client that reconnects per request (as an SDK would against it),' +
          ` and floods and round trips use ${SLOW_CONNECTIONS} concurrent requests/workers: its throughput is flat from 1 to 50` +
          ' (it is bound by the server), and 50 only piles up queueing until requests time out.')
      }
    } catch (error) {
      state.failure = errorText(error)
      log(`${state.spec.label}: FAILED to create a queue: ${state.failure}`)
    }
  }

  // 3. Measurements. Each cell is split into ROUNDS slices that rotate through the targets
  //    (hello, Nimbus, moto, hello, Nimbus, moto…) so machine noise hits them alike. Every slice gets a fresh
  //    queue, purged afterwards (PurgeQueue works once a minute per queue), so backlogs never carry over.
  const sendVerify = (body: string) => body.includes('"MessageId"')
  const batchVerify = (body: string) => body.includes('"Successful"') && !/"Failed"\s*:\s*\[\s*\{/.test(body)
  type Key = 'send' | 'batch' | 'rrd'
  const slow = (s: TargetState) => s.closesConnections === true
  interface Slice { state: TargetState, port: number, queueUrl: string, warmup: number, seconds: number }
  const floodSlice = (operation: string, body: (queueUrl: string) => string, verify: (body: string) => boolean) =>
    ({ state, port, queueUrl, warmup, seconds }: Slice) => flood({
      port,
      headers: sqsHeaders(operation),
      body: body(queueUrl),
      connections: slow(state) ? SLOW_CONNECTIONS : CONNECTIONS,
      warmupSeconds: warmup,
      seconds,
      verify,
      serverClosesConnections: slow(state),
    })
  const measurements: Array<{ key: Key, title: string, run: (slice: Slice) => Promise<LoadResult> }> = [
    {
      key: 'send',
      title: `SendMessage flood (${CONNECTIONS} keep-alive connections, pipelining 1)`,
      run: floodSlice('SendMessage', sendMessageBody, sendVerify),
    },
    {
      key: 'batch',
      title: `SendMessageBatch flood (10 × 100 B entries, ${CONNECTIONS} connections)`,
      run: async (slice) => {
        const result = await floodSlice('SendMessageBatch', sendMessageBatchBody, batchVerify)(slice)
        return { ...result, perSecond: result.perSecond * 10 }
      },
    },
    {
      key: 'rrd',
      title: `Send→Receive→Delete round trips (${RRD_WORKERS} workers in ${RRD_PROCESSES} client processes)`,
      run: ({ state, port, queueUrl, warmup, seconds }) => roundTrips({
        port,
        queueUrl,
        workers: slow(state) ? Math.min(SLOW_CONNECTIONS, RRD_WORKERS) : RRD_WORKERS,
        processes: RRD_PROCESSES,
        warmupSeconds: warmup,
        seconds,
      }),
    },
  ]
  const sendCpuUs = new Map<TargetId, number[]>()
  for (const measurement of measurements) {
    log(`${measurement.title}: ${ROUNDS} × ${(SECONDS / ROUNDS).toFixed(1)} s slices per target, interleaved`)
    const slices = new Map<TargetId, LoadResult[]>()
    for (let round = 0; round < ROUNDS; round++) {
      for (const state of alive()) {
        const running = state.running as Started
        let queueUrl: string
        try {
          queueUrl = (await createQueue(running.port, `bench-${measurement.key}-${round + 1}`)).queueUrl
        } catch (error) {
          log(`  ${state.spec.label}: CreateQueue failed: ${errorText(error)}`)
          continue
        }
        try {
          const warmup = round === 0 ? WARMUP : 0
          const cpuBefore = cpuMs(running.serverPid)
          const result = await measurement.run({ state, port: running.port, queueUrl, warmup, seconds: SECONDS / ROUNDS })
          // Server CPU per request, from slices without a warm-up (all their CPU went to counted requests).
          if (measurement.key === 'send' && warmup === 0 && result.ok > 0) {
            sendCpuUs.set(state.spec.id, [...(sendCpuUs.get(state.spec.id) ?? []), (cpuMs(running.serverPid) - cpuBefore) * 1000 / result.ok])
          }
          slices.set(state.spec.id, [...(slices.get(state.spec.id) ?? []), result])
          const flag = hasErrors(result) ? `  ⚠ ${describeErrors(result)}` : ''
          log(`  ${state.spec.label.padEnd(26)} ${fmt(result.perSecond).padStart(8)}/s  p50 ${result.latencyP50Ms.toFixed(1)} ms` +
            `  p99 ${result.latencyP99Ms.toFixed(1)} ms${flag}${result.note === undefined ? '' : `  (${result.note})`}`)
        } catch (error) {
          log(`  ${state.spec.label}: measurement failed: ${errorText(error)}`)
        }
        const purgeStart = performance.now()
        const purged = await purgeQueue(running.port, queueUrl)
        const purgeMs = performance.now() - purgeStart
        if (!purged) log(`  ${state.spec.label}: PurgeQueue failed`)
        if (purgeMs > 1_000) log(`  ${state.spec.label}: PurgeQueue took ${(purgeMs / 1000).toFixed(1)} s`)
        if (running.child.exitCode !== null || running.child.signalCode !== null) {
          state.failure = `process died during ${measurement.key}`
          keepLog(running.logPath)
          log(`  ${state.spec.label}: ${state.failure}; see ${running.logPath}`)
        }
      }
    }
    for (const state of order) {
      const results = slices.get(state.spec.id)
      if (results !== undefined && results.length > 0) state[measurement.key] = combine(results)
    }
  }
  for (const state of alive()) state.loadedRssMb = rssMb((state.running as Started).serverPid)
  const cpuPerSend = (id: TargetId) => {
    const values = sendCpuUs.get(id) ?? []
    return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length
  }
  const [helloCpu, nimbusCpu] = [cpuPerSend('hello'), cpuPerSend('nimbus')]
  if (helloCpu !== undefined && nimbusCpu !== undefined) {
    notes.push(`SendMessage, serving process CPU (user + system) per request, from /proc: hello ${helloCpu.toFixed(1)} µs, Nimbus` +
      ` ${nimbusCpu.toFixed(1)} µs (hello / Nimbus ${(helloCpu / nimbusCpu * 100).toFixed(0)} %: what the rate ratio would be if both were bound by` +
      ' their own CPU alone; steadier than rates on a shared machine).')
  }

  // 3b. The durable column: SendMessage/s with --data-dir vs in memory, and start-up with stored messages (bench/durable.ts).
  let durableSection: string | undefined
  if (flags['no-durable'] === true) {
    notes.push('Durable section skipped: --no-durable given.')
  } else if (nimbus.running !== undefined && nimbus.failure === undefined) {
    log('Durable: SQS SendMessage and S3 1 KiB PUT with --data-dir vs in memory, interleaved; start-up with stored messages')
    try {
      durableSection = await durableBench({
        nimbusSpec: nimbus.spec, inMemory: nimbus.running, seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS,
        storedMessages: Number(flags['stored-messages'] ?? 100_000), log,
      })
    } catch (error) {
      log(`Durable section failed: ${errorText(error)}`)
      notes.push(`Durable section failed: ${errorText(error)}`)
    }
  }

  // 4. Lambda, on the same Nimbus child: a Node handler created and invoked over HTTP (bench/lambda.ts).
  let lambda: (LambdaResults & { rssMb: number }) | undefined
  if (flags['no-lambda'] === true) {
    notes.push('Lambda section skipped: --no-lambda given.')
  } else if (nimbus.running !== undefined && nimbus.failure === undefined) {
    const hello = states.get('hello')
    const helloPort = hello?.running !== undefined && hello.failure === undefined ? hello.running.port : undefined
    log(`Lambda (Node handler on Nimbus over HTTP): ${LAMBDA.coldFunctions} cold starts, ${LAMBDA.warmInvokes} warm invokes,` +
      ` 1 and 8 in flight × ${LAMBDA.throughputSeconds} s, ${LAMBDA.esmMessages} messages through an SQS event source mapping`)
    const results = await lambdaBench({ port: nimbus.running.port, helloPort, ...LAMBDA, log })
    lambda = { ...results, rssMb: rssMb(nimbus.running.serverPid) }
    log(`Lambda section took ${results.seconds.toFixed(1)} s`)
  }

  // 5. SNS and EventBridge on the same Nimbus and moto children (bench/services.ts).
  let servicesSection: string | undefined
  if (flags['no-services'] === true) {
    notes.push('SNS/EventBridge section skipped: --no-services given.')
  } else {
    const serviceTarget = (state: TargetState | undefined) => state?.running === undefined || state.failure !== undefined
      ? undefined : { label: state.spec.label, port: state.running.port, closesConnections: state.closesConnections === true,
        serverPid: state.running.serverPid }
    log(`SNS (publish, fan-out to 10 queues), EventBridge (PutEvents through 1/100/1,000 rules), S3 objects; ${SECONDS / ROUNDS} s per cell`)
    servicesSection = await serviceBenches({
      nimbus: serviceTarget(nimbus), moto: serviceTarget(states.get('moto')), seconds: SECONDS / ROUNDS, rounds: ROUNDS,
      hello: serviceTarget(states.get('hello')),
      nimbusSpec: nimbus.failure === undefined ? nimbus.spec : undefined,
      ruleCounts: (flags.rules ?? '1,100,1000').split(',').map(Number), log,
    })
  }

  // 6. CloudWatch: PutMetricData beside moto and the node:http ceiling; the 30-day alarm jump (bench/cloudwatch.ts).
  let cloudWatch: string | undefined
  if (flags['no-cloudwatch'] === true) {
    notes.push('CloudWatch section skipped: --no-cloudwatch given.')
  } else {
    const target = (state: TargetState | undefined) => state?.running === undefined || state.failure !== undefined
      ? undefined : { label: state.spec.label, port: state.running.port, closesConnections: state.closesConnections === true,
        serverPid: state.running.serverPid }
    log(`CloudWatch (PutMetricData; 30-day jump with 100 alarms); ${SECONDS / ROUNDS} s per cell`)
    cloudWatch = await cloudWatchSection({ hello: target(states.get('hello')), nimbus: target(nimbus), moto: target(states.get('moto')),
      seconds: SECONDS / ROUNDS, log })
  }

  // 6b. Auto Scaling: 24 h of target tracking for 100 groups × 10 instances in process; DescribeAutoScalingGroups beside moto (bench/autoscaling.ts).
  let autoScaling: string | undefined
  if (flags['no-autoscaling'] === true) {
    notes.push('Auto Scaling section skipped: --no-autoscaling given.')
  } else {
    const target = (state: TargetState | undefined) => state?.running === undefined || state.failure !== undefined
      ? undefined : { label: state.spec.label, port: state.running.port }
    log('Auto Scaling (24 h × 100 groups of target tracking in one clock jump; DescribeAutoScalingGroups over 100 groups)')
    autoScaling = await autoScalingSection({ nimbus: target(nimbus), moto: target(states.get('moto')), seconds: SECONDS / ROUNDS, log })
  }

  // 6c. API Gateway: MOCK vs the ceiling, Lambda proxy vs direct Invoke and vs serverless-offline (bench/apigateway-section.ts).
  let apiGateway: string | undefined
  if (flags['no-apigateway'] === true) {
    notes.push('API Gateway section skipped: --no-apigateway given.')
  } else {
    const running = (state: TargetState | undefined) => state?.running === undefined || state.failure !== undefined ? undefined : state.running
    const n = running(nimbus)
    const h = running(states.get('hello'))
    log('API Gateway: MOCK vs node:http, Lambda proxy vs direct Invoke and vs serverless-offline, 8 connections')
    apiGateway = await apiGatewaySection({ nimbus: n === undefined ? undefined : { label: nimbus.spec.label, port: n.port },
      nimbusSpec: n === undefined ? undefined : nimbus.spec,
      hello: h === undefined ? undefined : { port: h.port }, seconds: SECONDS / ROUNDS, log })
  }

  // 6. DynamoDB on the same Nimbus and moto children, beside dynalite and the hello ceiling (bench/dynamodb.ts).
  let dynamoDbSection: string | undefined
  if (flags['no-dynamodb'] === true) {
    notes.push('DynamoDB section skipped: --no-dynamodb given.')
  } else {
    const target = (state: TargetState | undefined) => state?.running === undefined || state.failure !== undefined
      ? undefined : { label: state.spec.label, port: state.running.port, closesConnections: state.closesConnections === true }
    log(`DynamoDB: PutItem, GetItem, Query of 100 items; ${SECONDS / ROUNDS} s per cell, hello / Nimbus / dynalite / moto`)
    dynamoDbSection = await dynamoSection({
      hello: target(states.get('hello')), nimbus: target(nimbus), moto: target(states.get('moto')),
      seconds: SECONDS / ROUNDS, connections: CONNECTIONS, log,
    })
  }

  // 6. Kinesis: its own Nimbus, moto_server and kinesalite children, one after the other (bench/kinesis.ts).
  let kinesisSection: string | undefined
  if (flags['no-kinesis'] === true) {
    notes.push('Kinesis section skipped: --no-kinesis given.')
  } else {
    const floodSeconds = Number(flags['kinesis-flood-seconds'] ?? 60)
    log(`Kinesis: PutRecords/GetRecords vs moto_server and kinesalite, ${SECONDS} s each; RSS flood ${floodSeconds} s in memory and on disk`)
    try {
      kinesisSection = await kinesisBench({ nimbus: nimbus.failure === undefined ? nimbus.spec : undefined, seconds: SECONDS, floodSeconds, log })
    } catch (error) {
      log(`Kinesis section failed: ${errorText(error)}`)
      notes.push(`Kinesis section failed: ${errorText(error)}`)
    }
  }

  // 7. The web console: SendMessage/s with the trace log on vs off, and its first page load (bench/console.ts).
  let consoleSection: string | undefined
  if (flags['no-console'] === true) {
    notes.push('Web console section skipped: --no-console given.')
  } else if (nimbus.failure === undefined) {
    log('Web console: SendMessage/s trace on vs off (interleaved 2 s slices); first page with 1,000 queues and 10,000 trace entries')
    try {
      consoleSection = await consoleBench({ nimbus: nimbus.spec, seconds: 2, rounds: 10, connections: CONNECTIONS, log })
    } catch (error) {
      log(`Web console section failed: ${errorText(error)}`)
      notes.push(`Web console section failed: ${errorText(error)}`)
    }
  }

  await stopAll()
  removeTempDirs()
  log('all child processes stopped')
  notes.push(`Machine load (1 / 5 / 15-minute load average, all processes on the machine): ${loadAtStart} at the start,` +
    ` ${loadavg().map((n) => n.toFixed(2)).join(' / ')} at the end.`)

  // 7. Report.
  const sqsLambda = report({
    hello: states.get('hello'),
    nimbus,
    nimbusSource: source,
    moto: states.get('moto'),
    notes,
    motoVersion,
    lambda,
    lambdaConfig: LAMBDA,
    config: {
      spawns: SPAWNS, seconds: SECONDS, warmup: WARMUP, rounds: ROUNDS, connections: CONNECTIONS,
      rrdWorkers: RRD_WORKERS, rrdProcesses: RRD_PROCESSES, slowConnections: SLOW_CONNECTIONS,
    },
    targets: TARGETS,
  })
  const markdown = [sqsLambda, durableSection, servicesSection, cloudWatch, autoScaling, apiGateway, dynamoDbSection, kinesisSection, consoleSection].filter((part) => part !== undefined)
    .map((part) => part.trimEnd()).join('\n\n') + '\n'
  console.log('\n' + markdown)
  if (flags['no-write'] !== true) {
    writeFileSync(join(repoRoot, 'bench', 'RESULTS.md'), markdown)
    console.log('(written to bench/RESULTS.md)')
  }
}

/** Slices of one cell → one result: total successes over total time, mean p50, worst p99, all errors. */
function combine(results: LoadResult[]): LoadResult {
  const sum = (pick: (r: LoadResult) => number) => results.reduce((acc, r) => acc + pick(r), 0)
  const statusCodes: Record<string, number> = {}
  for (const r of results) for (const [code, n] of Object.entries(r.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n
  const seconds = sum((r) => r.seconds)
  const notes = [...new Set(results.map((r) => r.note).filter((n) => n !== undefined))]
  return {
    perSecond: sum((r) => r.perSecond * r.seconds) / seconds,
    ok: sum((r) => r.ok),
    seconds,
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    mismatches: sum((r) => r.mismatches),
    latencyP50Ms: sum((r) => r.latencyP50Ms) / results.length,
    latencyP99Ms: Math.max(...results.map((r) => r.latencyP99Ms)),
    statusCodes,
    ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
  }
}

function pythonModuleVersion(pid: number, module: string): string {
  const python = exePath(pid)
  if (python === undefined) return 'unknown'
  try {
    const code = `import ${module}; print(${module}.__version__)`
    return execFileSync(python, ['-c', code], { encoding: 'utf8', timeout: 15_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return 'unknown'
  }
}

main().catch(async (error: unknown) => {
  console.error('bench failed:', error)
  await stopAll()
  process.exit(1)
})
