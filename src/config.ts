// Nimbus's settings, with defaults, from options or the command line.
import { readFileSync } from 'node:fs'
import regions from './aws-regions.json' with { type: 'json' }
import type { ClockMode } from './core/clock.ts'

export interface NimbusOptions {
  /** 4566 by default; 0 picks a free port. */
  port?: number
  host?: string
  region?: string
  /** 'system' (default) or 'manual': time moves only through clock.advance() or POST /_nimbus/clock. */
  clock?: ClockMode
  /** Where a manual clock starts (epoch ms); default now. */
  clockStart?: number
  /**
   * With a seed, ids AWS makes random come from it instead (EC2's instance, reservation, network
   * interface and root volume ids at launch): the same scenario gives the same ids at every run.
   */
  seed?: string
  /** Log lines (ready line, errors). Default: console.error for errors only. */
  log?: (line: string) => void
  /**
   * A folder for data Nimbus keeps on disk (S3 object bodies); default none: everything in memory.
   * It must be new, empty or already Nimbus's (marked by a `.nimbus-data-dir` file); others are refused.
   */
  dataDir?: string
  /**
   * Browser origins, besides loopback pages (`http://localhost:*`…), that get CORS answers from the
   * AWS APIs (`https://app.example.test`; `*` for every origin). Default: NIMBUS_CORS_ORIGINS (comma-separated), else none.
   */
  corsOrigins?: readonly string[]
  /**
   * Host names Nimbus answers to besides IPs, localhost, `*.localhost`, AWS names and this machine's
   * name (DNS-rebinding guard; `.example.test` also takes its subdomains, `*` turns the guard off).
   * Default: NIMBUS_ALLOWED_HOSTS (comma-separated), else none.
   */
  allowedHosts?: readonly string[]
  /** A client must finish sending a request's headers within this (slowloris); default 60 s. */
  headersTimeoutMs?: number
  /** A request body that stops arriving for this long is dropped (a slow but moving upload is not); default 60 s. */
  bodyIdleTimeoutMs?: number
  /** An idle keep-alive connection is closed after this; default 65 s. */
  keepAliveTimeoutMs?: number
  /**
   * Open connections at most; past it the oldest connection not serving a request (idle keep-alive,
   * silent, or still sending headers) is closed to make room. Default 4,096 (less when the process's
   * open-file limit is lower).
   */
  maxConnections?: number
  /** On stop (SIGTERM, SIGINT, `stop()`), how long in-flight requests get to finish; default 10 s. */
  shutdownGraceMs?: number
  /** Function log bytes CloudWatch Logs keeps in memory per log group; the oldest events go first. Default 64 MiB. */
  maxLogGroupBytes?: number
  /**
   * A folder of scripts to run once Nimbus listens (init-scripts.ts); default NIMBUS_INIT_DIR, else
   * none. Health answers 503 until they have run.
   */
  initDir?: string
  /** How long one init script may run before it is killed and counted failed; default 5 minutes. */
  initTimeoutMs?: number
  /**
   * Evaluate IAM users' and role sessions' identity policies before each operation (action level;
   * services/authorization.ts). Default false (NIMBUS_ENFORCE_IAM=1 turns it on): nothing is denied by policy.
   */
  enforceIam?: boolean
  /**
   * Check every request's AWS Signature Version 4 (Authorization header, presigned URL, S3 POST
   * policy) against the known credentials: `test`/`test`, IAM users' access keys, STS's temporary
   * credentials with their session token. Default false (NIMBUS_VERIFY_SIGNATURES=1 turns it on):
   * any key and signature pass.
   */
  verifySignatures?: boolean
  /**
   * Entries each trace log keeps (the fabric's delivery hops, and the API calls the gateway answers):
   * default 10,000 each, or NIMBUS_TRACE_CAPACITY. The console's timeline and GET /_nimbus/trace read them.
   */
  traceCapacity?: number
  /** False (`--no-trace`, NIMBUS_TRACE=0) records nothing: the console's timeline stays empty. Default true. */
  trace?: boolean
  /**
   * One line per API call (service, operation, status, duration): true prints them on stdout
   * (`--log-requests`, NIMBUS_LOG_REQUESTS=1), a function receives them. Default off.
   */
  logRequests?: boolean | ((line: string) => void)
  /**
   * API Gateway's account-level throttle (every REST and HTTP API of an account in a region shares it):
   * AWS's 10,000 requests per second with bursts of 5,000 by default; GetAccount shows it. Lower it to
   * see 429s in tests.
   */
  apiGatewayAccountThrottle?: { rateLimit: number; burstLimit: number }
  /**
   * Firehose's Direct PUT quota per delivery stream and second (PutRecord and PutRecordBatch together),
   * for every Region. Default AWS's: 500,000 records, 2,000 requests and 5 MiB a second in us-east-1,
   * us-west-2 and eu-west-1, 100,000 / 1,000 / 1 MiB elsewhere. Raised for benchmarks.
   */
  firehoseDirectPutQuota?: { recordsPerSecond: number; requestsPerSecond: number; mibPerSecond: number }
  /**
   * What runs Node.js Lambda functions: `process` (default: a process per execution environment, as
   * isolated as a local process gets) or `worker` (a worker thread per environment inside Nimbus:
   * several times the throughput, with the limits the Lambda README lists). Default:
   * NIMBUS_LAMBDA_EXECUTOR, else `process`. Python and custom runtimes always run as processes.
   */
  lambdaExecutor?: 'process' | 'worker'
  /**
   * How long one match of a user-supplied regular expression may run (Firehose JQ, API Gateway
   * model `pattern`s, VTL and TOKEN authorizers' identityValidationExpression, CloudWatch Logs
   * `%regex%`) before it counts as failed; default 1,000 ms. Once one turn of the event loop has
   * waited 3 bounds on such matches, its further ones fail at once. Process-wide: the last Nimbus
   * started in a process sets it. Lowered in tests.
   */
  regexBudgetMs?: number
}

export interface NimbusConfig {
  port: number
  host: string
  region: string
  clock: ClockMode
  clockStart: number | undefined
  seed: string | undefined
  log: (line: string) => void
  dataDir: string | undefined
  corsOrigins: readonly string[]
  allowedHosts: readonly string[]
  headersTimeoutMs: number
  bodyIdleTimeoutMs: number
  keepAliveTimeoutMs: number
  maxConnections: number
  shutdownGraceMs: number
  maxLogGroupBytes: number
  initDir: string | undefined
  initTimeoutMs: number
  enforceIam: boolean
  verifySignatures: boolean
  /** 0 when tracing is off. */
  traceCapacity: number
  logRequests: ((line: string) => void) | undefined
  apiGatewayAccountThrottle: { rateLimit: number; burstLimit: number } | undefined
  firehoseDirectPutQuota: { recordsPerSecond: number; requestsPerSecond: number; mibPerSecond: number } | undefined
  lambdaExecutor: 'process' | 'worker'
  regexBudgetMs: number
}

/** A comma-separated list (flag or environment variable). */
export function splitList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '')
}

export function resolveConfig(options: NimbusOptions = {}): NimbusConfig {
  return {
    port: options.port ?? 4566,
    host: options.host ?? '127.0.0.1',
    region: checkRegion(options.region ?? 'us-east-1'),
    clock: options.clock ?? 'system',
    clockStart: options.clockStart,
    seed: options.seed ?? (process.env['NIMBUS_SEED'] || undefined),
    log: options.log ?? ((line) => console.error(line)),
    dataDir: options.dataDir,
    corsOrigins: options.corsOrigins ?? splitList(process.env['NIMBUS_CORS_ORIGINS']),
    allowedHosts: options.allowedHosts ?? splitList(process.env['NIMBUS_ALLOWED_HOSTS']),
    headersTimeoutMs: options.headersTimeoutMs ?? 60_000,
    bodyIdleTimeoutMs: options.bodyIdleTimeoutMs ?? 60_000,
    keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? 65_000,
    maxConnections: options.maxConnections ?? defaultMaxConnections(),
    shutdownGraceMs: options.shutdownGraceMs ?? 10_000,
    maxLogGroupBytes: options.maxLogGroupBytes ?? 64 * 1024 * 1024,
    initDir: options.initDir ?? (process.env['NIMBUS_INIT_DIR'] || undefined),
    initTimeoutMs: options.initTimeoutMs ?? 300_000,
    enforceIam: options.enforceIam ?? process.env['NIMBUS_ENFORCE_IAM'] === '1',
    verifySignatures: options.verifySignatures ?? process.env['NIMBUS_VERIFY_SIGNATURES'] === '1',
    traceCapacity: (options.trace ?? process.env['NIMBUS_TRACE'] !== '0') ? traceCapacity(options.traceCapacity) : 0,
    logRequests: requestLog(options.logRequests ?? process.env['NIMBUS_LOG_REQUESTS'] === '1'),
    apiGatewayAccountThrottle: accountThrottle(options.apiGatewayAccountThrottle),
    firehoseDirectPutQuota: putQuota(options.firehoseDirectPutQuota),
    lambdaExecutor: lambdaExecutor(options.lambdaExecutor ?? (process.env['NIMBUS_LAMBDA_EXECUTOR'] || 'process')),
    regexBudgetMs: regexBudget(options.regexBudgetMs),
  }
}

function regexBudget(ms: number | undefined): number {
  if (ms === undefined) return 1000
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) throw new Error(`regexBudgetMs must be a number above 0, not ${String(ms)}`)
  return ms
}

/** Firehose's Direct PUT quota: each of its three a number above 0 (0 would refuse every put), else a start-up error. */
function putQuota(quota: NimbusOptions['firehoseDirectPutQuota']): NimbusConfig['firehoseDirectPutQuota'] {
  if (quota === undefined) return undefined
  for (const name of ['recordsPerSecond', 'requestsPerSecond', 'mibPerSecond'] as const) {
    const value = quota[name]
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new Error(`firehoseDirectPutQuota.${name} must be a number above 0, not ${String(value)}`)
    }
  }
  return quota
}

/**
 * API Gateway's account-level throttle: a rate above 0 (requests per second; fractions allowed) and a whole burst of 1 or
 * more (0 of either would refuse every request, NaN would let every one through), else a start-up error.
 */
function accountThrottle(limits: NimbusOptions['apiGatewayAccountThrottle']): NimbusConfig['apiGatewayAccountThrottle'] {
  if (limits === undefined) return undefined
  const { rateLimit, burstLimit } = limits as { rateLimit: unknown; burstLimit: unknown }
  if (typeof rateLimit !== 'number' || !Number.isFinite(rateLimit) || rateLimit <= 0) {
    throw new Error(`apiGatewayAccountThrottle.rateLimit must be a number of requests per second above 0, not ${String(rateLimit)}`)
  }
  if (typeof burstLimit !== 'number' || !Number.isSafeInteger(burstLimit) || burstLimit < 1) {
    throw new Error(`apiGatewayAccountThrottle.burstLimit must be a whole number of requests, 1 or more, not ${String(burstLimit)}`)
  }
  return { rateLimit, burstLimit }
}

/** `process` or `worker`; anything else is a start-up error. */
function lambdaExecutor(value: string): 'process' | 'worker' {
  if (value !== 'process' && value !== 'worker') throw new Error(`the Lambda executor must be process or worker, not ${value}`)
  return value
}

/** The option, else NIMBUS_TRACE_CAPACITY, else 10,000; a capacity that isn't a whole number ≥ 0 is a start-up error. */
function traceCapacity(option: number | undefined): number {
  const env = process.env['NIMBUS_TRACE_CAPACITY']
  const value = option ?? (env === undefined || env === '' ? 10_000 : Number(env))
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`the trace capacity must be a whole number of entries (0 or more), not ${String(option ?? env)}`)
  return value
}

function requestLog(option: boolean | ((line: string) => void)): ((line: string) => void) | undefined {
  if (typeof option === 'function') return option
  return option ? (line) => console.log(line) : undefined
}

/**
 * AWS's regions (aws-regions.json, every partition, from botocore: scripts/aws-tables.ts) and any
 * named in NIMBUS_EXTRA_REGIONS, for a region newer than the table. A typo (`us-east1`) would
 * otherwise put every resource in a region no client asks for.
 */
export function checkRegion(region: string): string {
  if ((regions as string[]).includes(region) || splitList(process.env['NIMBUS_EXTRA_REGIONS']).includes(region)) return region
  const near = (regions as string[]).filter((r) => r.replaceAll('-', '') === region.toLowerCase().replaceAll(/[-_ ]/g, ''))
  throw new Error(`--region ${region} is not an AWS region${near.length > 0 ? ` (did you mean ${near[0]}?)` : ''}; `
    + 'a region newer than Nimbus can be allowed with NIMBUS_EXTRA_REGIONS')
}

/** 4,096, or less when the open-file limit (Linux /proc) would run out first: accept() would fail before the cap helps. */
function defaultMaxConnections(): number {
  try {
    const limits = readFileSync('/proc/self/limits', 'latin1')
    const soft = Number(/^Max open files\s+(\d+)/m.exec(limits)?.[1])
    // Room for Nimbus's own files: data-dir blobs, function pipes, Runtime API sockets.
    if (Number.isFinite(soft) && soft > 0) return Math.max(64, Math.min(4096, soft - 256))
  } catch {
    // Not Linux: the default stands.
  }
  return 4096
}
