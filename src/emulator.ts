// The composition root: clock, services, gateway and HTTP server. The only file that wires everything.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClock, ManualClock, type SystemClock } from './core/clock.ts'
import { ApiCallLog } from './console/api-log.ts'
import { EventStreams } from './console/event-stream.ts'
import { type Hop, TraceLog, TraceSequence } from './fabric/trace.ts'
import { type NimbusOptions, resolveConfig } from './config.ts'
import { setRegexBudget } from './core/bounded-regex.ts'
import { corsOrigins } from './gateway/cors.ts'
import { allowedHosts } from './gateway/host-check.ts'
import { type GatewayDeps, handleRequest } from './gateway/handle-request.ts'
import { createHttpServer } from './gateway/http-server.ts'
import { indexServices } from './gateway/identify-service.ts'
import { type InitRun, type InitStatus, planInitScripts, runInitScripts } from './init-scripts.ts'
import type { LambdaRuntimeApi, LogSink } from './runtime/types.ts'
import { iamAuthorizer } from './services/authorization.ts'
import { createServices, type Services } from './services/registry.ts'
import { claimDataDir } from './storage/data-dir.ts'
import { inMemory, type Persistence } from './storage/persistence/persistence.ts'
import { version } from './version.ts'

export interface Nimbus {
  /** e.g. http://127.0.0.1:4566 */
  readonly endpoint: string
  readonly port: number
  readonly region: string
  readonly clock: SystemClock | ManualClock
  /** Typed in-process ports, for embedding and tests. */
  readonly services: Services['ports']
  /** Each service's health line, as GET /_nimbus/health shows them. */
  health(): Record<string, unknown>
  /** The delivery fabric's newest hops (all it holds, or `limit`), oldest first, as GET /_nimbus/trace lists them. */
  trace(limit?: number): Hop[]
  /** Drops all state, as POST /_nimbus/reset does. */
  reset(): void
  /** Settles once the init scripts (`initDir`) have run: at once when there are none. */
  initialized(): Promise<InitStatus>
  /**
   * Drains and stops: no new connections, SQS long polls answer empty at once, in-flight requests
   * (uploads, downloads, invokes) get `shutdownGraceMs` to finish, then everything is closed.
   */
  stop(): Promise<void>
}

export async function startNimbus(options: NimbusOptions = {}): Promise<Nimbus> {
  const config = resolveConfig(options)
  setRegexBudget(config.regexBudgetMs)
  // Before anything is written: a folder holding someone else's files is refused, not emptied later.
  if (config.dataDir !== undefined) claimDataDir(config.dataDir)
  // A missing init folder is a start-up error, not a surprise once clients are already calling.
  if (config.initDir !== undefined) planInitScripts(config.initDir)
  // Only with a data dir is node:sqlite loaded at all; a store Nimbus can't use stops the start here.
  const persistence: Persistence = config.dataDir === undefined
    ? inMemory
    : (await import('./storage/persistence/sqlite-store.ts')).openSqlitePersistence(config.dataDir)
  try {
    return await start(config, persistence)
  } catch (error) {
    persistence.close()
    throw error
  }
}

async function start(config: ReturnType<typeof resolveConfig>, persistence: Persistence): Promise<Nimbus> {
  const clock = config.clock === 'manual' ? manualClock(config.clockStart, persistence) : createClock('system')
  // Function environments' temp folders (and, without a data dir, deployment packages) live here;
  // removed on stop. With a data dir it is `<dataDir>/tmp`, emptied at start too: no function process
  // outlives the Nimbus that started it, so what a killed Nimbus left there is nobody's. The data
  // dir's marker guarantees the folder holds only what Nimbus put there.
  const workDir = config.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'nimbus-')) : freshDir(join(config.dataDir, 'tmp'))
  let endpoint = ''
  // Function output goes to CloudWatch Logs, in the function's own account and region.
  const logSink: LogSink = {
    write: (target, stream, lines) => services.ports.logs.write(target.account, target.region, target.logGroup, stream, lines),
  }
  // Two trace logs, one numbering: the fabric's hops and the API calls the gateway answers (the console's timeline).
  const sequence = new TraceSequence()
  const hops = new TraceLog(config.traceCapacity, sequence)
  const calls = new ApiCallLog(config.traceCapacity, sequence)
  const events = new EventStreams({ hops, calls }, clock)
  // AWS calls a service makes in process (API Gateway's AWS integrations) run the gateway's pipeline
  // as a signed request would; the signature is Nimbus's own, so it isn't verified.
  let gateway: GatewayDeps | undefined
  const services = createServices({
    trace: hops, clock, log: config.log, workDir, endpoint: () => endpoint, dataDir: config.dataDir, maxLogGroupBytes: config.maxLogGroupBytes,
    persistence, enforceIam: config.enforceIam, seed: config.seed, apiGatewayAccountThrottle: config.apiGatewayAccountThrottle,
    firehoseDirectPutQuota: config.firehoseDirectPutQuota,
    awsCall: (request) => handleRequest(request, { ...gateway!, verifySignatures: false }, new AbortController().signal),
    lambdaRuntime: lazyRuntime(async () => {
      // Loaded on the first invoke: start-up stays fast for everyone not running functions yet.
      const { createLambdaRuntime } = await import('./runtime/index.ts')
      return createLambdaRuntime({ clock, endpoint, logSink, log: config.log, workDir: join(workDir, 'environments'), executor: config.lambdaExecutor })
    }),
  })
  const origins = corsOrigins(config.corsOrigins)
  const { server, connections } = createHttpServer({
    gateway: gateway = {
      index: indexServices(services.list), clock, defaultRegion: config.region, log: config.log, accessKeys: services.accessKeys,
      ...(config.enforceIam && { authorize: iamAuthorizer(services.accessKeys, services.ports.iam) }),
      ...(config.verifySignatures && { verifySignatures: true }),
      // Every call goes to CloudTrail's event history and trails; state-changing ones become "AWS API Call
      // via CloudTrail" events on the default bus once EventBridge has loaded (no rules before).
      onApiCall: services.onApiCall,
      ...(persistence.durable && { flushed: () => persistence.flushed() }),
      calls, ...(config.logRequests !== undefined && { logRequest: config.logRequests }), origins,
    },
    internal: {
      clock, services: services.list, version, init: () => init?.status(), trace: services.fabric.trace,
      console: { services: services.list, clock, region: config.region, hops, calls, pending: () => services.fabric.listWaiting(), events },
      server: () => ({ connections: connections.open, inFlight: connections.inFlight, evicted: connections.evicted }),
    },
    limits: config,
    security: { hosts: allowedHosts(config.allowedHosts), origins },
  })
  let init: InitRun | undefined
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(config.port, config.host, () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (error) {
    clock.stop()
    rmSync(workDir, { recursive: true, force: true })
    throw listenError(error, config.port, config.host)
  }
  const port = (server.address() as AddressInfo).port
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  endpoint = `http://${host}:${port}`
  try {
    services.resume()
  } catch (error) {
    server.close()
    throw error
  }
  if (config.initDir !== undefined) {
    // Scripts reach Nimbus through loopback when it listens on every interface.
    const reachable = endpoint.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//[::1]:')
    init = runInitScripts({ dir: config.initDir, endpoint: reachable, region: config.region, timeoutMs: config.initTimeoutMs, log: config.log })
  }
  let stopped: Promise<void> | undefined
  return {
    endpoint,
    port,
    region: config.region,
    clock,
    services: services.ports,
    health: () => Object.fromEntries(services.list.map((s) => [s.descriptor.name, s.health()])),
    trace: (limit) => services.fabric.trace.read(limit),
    reset: () => {
      services.list.forEach((s) => s.reset())
      hops.clear()
      calls.clear()
    },
    initialized: async () => (await init?.finished) ?? { state: 'done', scripts: [] },
    stop: () => {
      stopped ??= (async () => {
        await init?.stop()
        // The console's live streams never end on their own: they end now, so the drain need not wait for them.
        events.close()
        // Waits end now (SQS long polls answer empty) and open WebSockets get their close frame (1001)
        // before the drain ends idle sockets, so their connections close with the rest.
        for (const service of services.list) service.drain?.()
        await connections.drain(config.shutdownGraceMs)
        services.keepPendingDeliveries()
        await Promise.all(services.list.map((service) => service.stop()))
        clock.stop()
        persistence.close()
        rmSync(workDir, { recursive: true, force: true })
      })()
      return stopped
    },
  }
}

/** Listening failed: the reason in one line (the CLI prints it as is), for the usual causes. */
function listenError(error: unknown, port: number, host: string): Error {
  const code = (error as { code?: unknown } | null)?.code
  if (code === 'EADDRINUSE') return new Error(`port ${port} is in use: is Nimbus already running? use --port to pick another (0: any free port)`)
  if (code === 'EACCES') return new Error(`port ${port} needs privileges on this machine: use --port with a port above 1023`)
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new Error(`cannot listen on host ${host}: no such address on this machine (--host 127.0.0.1, or 0.0.0.0 for every interface)`)
  }
  return error instanceof Error ? error : new Error(String(error))
}

/**
 * With a data dir a manual clock resumes where it stood when Nimbus stopped (the stored time wins
 * over clockStart: the stored deadlines are on that timeline), and every move is stored.
 */
function manualClock(start: number | undefined, persistence: Persistence): ManualClock {
  if (!persistence.durable) return new ManualClock(start)
  const meta = persistence.table<{ now: number }>('nimbus_meta')
  const clock = new ManualClock(new Map(meta.load()).get('clock')?.now ?? start)
  meta.put('clock', { now: clock.now() })
  clock.onAdvanced = (now) => meta.put('clock', { now })
  return clock
}

function freshDir(dir: string): string {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  return dir
}

/** The runtime starts on the first invoke: by then the endpoint handlers call back to is known. */
function lazyRuntime(create: () => Promise<LambdaRuntimeApi>): LambdaRuntimeApi {
  let runtime: LambdaRuntimeApi | undefined
  let starting: Promise<LambdaRuntimeApi> | undefined
  const get = async (): Promise<LambdaRuntimeApi> => {
    starting ??= create().then((r) => (runtime = r))
    return starting
  }
  return {
    // No async wrapper once started: an invoke is one promise fewer.
    invoke: (spec, request) => runtime !== undefined ? runtime.invoke(spec, request) : get().then((r) => r.invoke(spec, request)),
    busy: (key) => runtime?.busy(key) ?? 0,
    dispose: (key) => runtime?.dispose(key) ?? Promise.resolve(),
    // A stopped runtime stays stopped; dropping it lets a reset Nimbus start a fresh one on the next invoke.
    stop: async () => {
      const pending = starting
      runtime = undefined
      starting = undefined
      await (await pending)?.stop()
    },
  }
}
