#!/usr/bin/env node
// `nimbus start [--port 4566] [--host 127.0.0.1] [--region us-east-1] [--clock system|manual] [--data-dir <folder>]
//   [--cors-origins <list>] [--allowed-hosts <list>] [--shutdown-grace <seconds>] [--init-dir <folder>] [--enforce-iam]
//   [--verify-signatures] [--log-requests] [--trace-capacity <entries>] [--no-trace] [--seed <text>]`
// (NIMBUS_DATA_DIR stands for --data-dir when the option is not given), and `nimbus clock …`
// (cli-clock.ts) against a running Nimbus.
import { parseArgs } from 'node:util'
import { clockCommand, clockUsage } from './cli-clock.ts'
import { splitList } from './config.ts'
import { capYoungGeneration } from './core/young-generation.ts'
import { startNimbus } from './emulator.ts'
import { version } from './version.ts'

const usage = `Usage: nimbus start [--port 4566] [--host 127.0.0.1] [--region us-east-1] [--clock system|manual] [--data-dir <folder>]
                    [--cors-origins <origin,…>] [--allowed-hosts <name,…>] [--shutdown-grace <seconds, default 10>]
                    [--init-dir <folder of scripts>] [--init-timeout <seconds per script, default 300>]
                    [--enforce-iam] [--verify-signatures] [--log-requests] [--trace-capacity <entries, default 10000>] [--no-trace]
                    [--seed <text: ids AWS makes random come from it, for repeatable runs>]
                    [--lambda-executor process|worker (Node.js functions: a process, or a worker thread, per environment)]
                    [--api-gateway-account-throttle <rate>,<burst> (API Gateway's account limit, default 10000,5000 as AWS)]
                    [--firehose-put-quota <records>,<requests>,<MiB> (Firehose Direct PUT per stream and second, default AWS's per Region)]
${clockUsage.replace('Usage: ', '       ')}
       nimbus --version`

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      region: { type: 'string' },
      clock: { type: 'string' },
      'data-dir': { type: 'string' },
      'cors-origins': { type: 'string' },
      'allowed-hosts': { type: 'string' },
      'shutdown-grace': { type: 'string' },
      endpoint: { type: 'string' },
      'init-dir': { type: 'string' },
      'init-timeout': { type: 'string' },
      'enforce-iam': { type: 'boolean' },
      'verify-signatures': { type: 'boolean' },
      'log-requests': { type: 'boolean' },
      'trace-capacity': { type: 'string' },
      'no-trace': { type: 'boolean' },
      seed: { type: 'string' },
      'lambda-executor': { type: 'string' },
      'api-gateway-account-throttle': { type: 'string' },
      'firehose-put-quota': { type: 'string' },
      version: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.version === true) {
    console.log(version)
    return 0
  }
  const command = positionals[0] ?? 'start'
  if (command === 'clock' && values.help !== true) return clockCommand(positionals.slice(1), values.endpoint)
  if (values.help === true || command !== 'start') {
    console.log(usage)
    return values.help === true ? 0 : 2
  }
  const port = values.port === undefined ? 4566 : /^\d+$/.test(values.port) ? Number(values.port) : NaN
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number (0 to 65535; 0 picks a free one), not ${values.port}`)
  const clock = values.clock ?? 'system'
  if (clock !== 'system' && clock !== 'manual') throw new Error('--clock must be system or manual')
  const grace = values['shutdown-grace'] === undefined ? undefined : Number(values['shutdown-grace'])
  if (grace !== undefined && !(Number.isFinite(grace) && grace >= 0)) throw new Error('--shutdown-grace must be a number of seconds')
  const initTimeout = values['init-timeout'] === undefined ? undefined : Number(values['init-timeout'])
  if (initTimeout !== undefined && !(Number.isFinite(initTimeout) && initTimeout > 0)) throw new Error('--init-timeout must be a number of seconds')
  const traceCapacity = values['trace-capacity'] === undefined ? undefined : /^\d+$/.test(values['trace-capacity']) ? Number(values['trace-capacity']) : NaN
  if (Number.isNaN(traceCapacity)) throw new Error(`--trace-capacity must be a number of entries (0 or more), not ${values['trace-capacity']}`)
  const executor = values['lambda-executor']
  if (executor !== undefined && executor !== 'process' && executor !== 'worker') throw new Error(`--lambda-executor must be process or worker, not ${executor}`)
  const throttle = values['api-gateway-account-throttle']
  const limits = throttle === undefined ? undefined : /^(\d+(?:\.\d+)?),(\d+)$/.exec(throttle)
  if (limits === null || (limits !== undefined && (Number(limits[1]) <= 0 || Number(limits[2]) < 1))) {
    throw new Error(`--api-gateway-account-throttle must be <requests per second>,<burst>, both above 0, e.g. 10000,5000, not ${throttle}`)
  }
  const putQuota = values['firehose-put-quota']
  const quota = putQuota === undefined ? undefined : /^(\d+),(\d+),(\d+(?:\.\d+)?)$/.exec(putQuota)
  if (quota === null) throw new Error(`--firehose-put-quota must be <records>,<requests>,<MiB> per second, e.g. 500000,2000,5, not ${putQuota}`)
  // This process is Nimbus's own (not a host embedding it): its young generation stays small under floods.
  capYoungGeneration()
  const nimbus = await startNimbus({ port, host: values.host, region: values.region, clock, dataDir: values['data-dir'] ?? (process.env.NIMBUS_DATA_DIR || undefined),
    initDir: values['init-dir'], initTimeoutMs: initTimeout === undefined ? undefined : initTimeout * 1000,
    // Unset flags leave the NIMBUS_CORS_ORIGINS / NIMBUS_ALLOWED_HOSTS environment variables to config.ts.
    corsOrigins: values['cors-origins'] === undefined ? undefined : splitList(values['cors-origins']),
    allowedHosts: values['allowed-hosts'] === undefined ? undefined : splitList(values['allowed-hosts']),
    shutdownGraceMs: grace === undefined ? undefined : grace * 1000, ...(values['enforce-iam'] === true && { enforceIam: true }),
    ...(values['verify-signatures'] === true && { verifySignatures: true }), ...(values['log-requests'] === true && { logRequests: true }),
    ...(traceCapacity !== undefined && { traceCapacity }), ...(values['no-trace'] === true && { trace: false }),
    ...(values.seed !== undefined && { seed: values.seed }), ...(executor !== undefined && { lambdaExecutor: executor }),
    ...(limits !== undefined && { apiGatewayAccountThrottle: { rateLimit: Number(limits[1]), burstLimit: Number(limits[2]) } }),
    ...(quota !== undefined && { firehoseDirectPutQuota: { recordsPerSecond: Number(quota[1]), requestsPerSecond: Number(quota[2]), mibPerSecond: Number(quota[3]) } }) })
  console.log(`Nimbus ${version} ready on ${nimbus.endpoint} (region ${nimbus.region}, ${clock} clock)`)
  // Function output shows on Nimbus's console too, one line per log event, prefixed by function.
  const mirror = consoleMirror()
  // The last group's function name is kept: a busy function's lines arrive per invocation.
  let lastGroup: string | undefined
  let lastFn: string | undefined
  nimbus.services.logs.onAppended((appended) => {
    if (appended.logGroupName !== lastGroup) {
      lastGroup = appended.logGroupName
      lastFn = /^\/aws\/lambda\/(.+)$/.exec(lastGroup)?.[1]
    }
    const fn = lastFn
    if (fn === undefined) return
    for (const event of appended.events) mirror(`[lambda:${fn}] ${event.message.endsWith('\n') ? event.message.slice(0, -1) : event.message}`)
  })
  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`Nimbus stopping (${signal}): finishing requests in flight`)
    // A second signal while draining means "now".
    const now = () => process.exit(0)
    process.once('SIGINT', now)
    process.once('SIGTERM', now)
    void nimbus.stop().then(() => process.exit(0), (error: unknown) => {
      console.error(`nimbus: stop failed: ${String(error)}`)
      process.exit(1)
    })
  }
  process.once('SIGINT', () => shutdown('SIGINT'))
  process.once('SIGTERM', () => shutdown('SIGTERM'))
  // `npm start` runs Nimbus under `sh -c`: npm hands SIGTERM to that shell, which dies without passing
  // it on. Run by npm, Nimbus stops when its parent is gone instead of serving on as an orphan.
  if (process.env['npm_lifecycle_event'] !== undefined) {
    const parent = process.ppid
    setInterval(() => process.ppid !== parent && shutdown('npm stopped'), 200).unref()
  }
  return -1
}

/** Console output not yet taken by the terminal or pipe past which function lines are skipped, not queued. */
const MAX_CONSOLE_BACKLOG = 1024 * 1024
/** Real time function output lines wait for company before they are written to the console (not noticeable there). */
const CONSOLE_BATCH_MS = 10

/**
 * Prints function output lines unless stdout is not keeping up: a pipe nobody reads would otherwise
 * queue every line in Nimbus's memory. Skipped lines are counted and reported once it catches up;
 * they stay in CloudWatch Logs.
 */
function consoleMirror(): (line: string) => void {
  let skipped = 0
  // Lines are written together at most every CONSOLE_BATCH_MS: a busy function (START, END, REPORT per
  // invoke, thousands of invokes a second) costs one write per batch, not one per line or per event-loop
  // turn (a write to a file or terminal is a synchronous system call, ≈5 µs per proxied request when
  // made per turn). Lines still pending when Nimbus exits are written then.
  let pending: string[] = []
  const flush = () => {
    if (pending.length === 0) return
    const text = pending.join('\n') + '\n'
    pending = []
    process.stdout.write(text)
  }
  process.on('exit', flush)
  return (line) => {
    if (process.stdout.writableLength > MAX_CONSOLE_BACKLOG) {
      skipped += 1
      return
    }
    if (pending.length === 0) setTimeout(flush, CONSOLE_BATCH_MS).unref()
    if (skipped > 0) {
      pending.push(`[nimbus] ${skipped} lines of function output not shown (console not keeping up); they are in CloudWatch Logs`)
      skipped = 0
    }
    pending.push(line)
  }
}

main(process.argv.slice(2)).then((code) => {
  if (code >= 0) process.exit(code)
}, (error: unknown) => {
  console.error(`nimbus: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
