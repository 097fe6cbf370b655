// Warm execution environments per function version (FunctionSpec.key), and Lambda's concurrency
// rules around them: an idle environment is reused, a new one starts only while reserved and
// account concurrency allow, and a full function is throttled at once (AWS never queues a sync invoke).
import type { Timer } from '../core/clock.ts'
import { ExecutionEnvironment, REDISPATCH, type EnvironmentDeps } from './environment.ts'
import { ConcurrencyLimitError, type FunctionSpec, type InvokeRequest, type InvokeResult } from './types.ts'

export interface PoolOptions extends Omit<EnvironmentDeps, 'onGone'> {
  readonly accountConcurrency: number
  /** Clock time an idle environment stays warm before it is stopped (AWS: minutes, unspecified). */
  readonly keepWarmMs: number
}

interface Pool {
  readonly environments: Set<ExecutionEnvironment>
  /** Idle environments, most recently used last (reused first, so the rest can cool down). */
  readonly idle: ExecutionEnvironment[]
}

/** A warm environment that dies between invokes hands its invocation on; this bounds the hand-overs. */
const MAX_REDISPATCH = 3

export class EnvironmentPool {
  private readonly options: PoolOptions
  private readonly pools = new Map<string, Pool>()
  /** Invocations in progress per pool key. */
  private readonly busyByKey = new Map<string, number>()
  /** Busy environments per function (reserved concurrency spans all its versions). */
  private readonly busyByFunction = new Map<string, number>()
  /** The latest reserved concurrency seen per function: it is taken out of the account's pool. */
  private readonly reservations = new Map<string, number>()
  private unreservedBusy = 0
  private sweeper: Timer | undefined
  private stopped = false
  /** Busy environments of retired pools, finishing their last invocation. */
  private readonly retired = new Set<ExecutionEnvironment>()

  constructor(options: PoolOptions) {
    this.options = options
  }

  async invoke(spec: FunctionSpec, request: InvokeRequest): Promise<InvokeResult> {
    if (this.stopped) throw new Error('The Lambda runtime has been stopped.')
    this.reserve(spec)
    this.busyByKey.set(spec.key, this.busy(spec.key) + 1)
    try {
      for (let attempt = 0; ; attempt += 1) {
        if (this.stopped) throw new Error('The Lambda runtime has been stopped.')
        const env = this.take(spec)
        const outcome = await env.invoke(request)
        this.putBack(env)
        if (outcome !== REDISPATCH) return outcome
        if (attempt >= MAX_REDISPATCH) throw new Error(`No execution environment of ${spec.functionName} stayed up long enough to run ${request.requestId}.`)
      }
    } finally {
      const left = this.busy(spec.key) - 1
      if (left > 0) this.busyByKey.set(spec.key, left)
      else this.busyByKey.delete(spec.key)
      this.release(spec)
    }
  }

  busy(key: string): number {
    return this.busyByKey.get(key) ?? 0
  }

  /**
   * Retires a pool (its function was updated or deleted). Idle environments stop now; busy ones finish
   * the invocation they started on the code they started with, as on AWS, and stop when they come back.
   * `force` (shutdown) stops busy ones too.
   */
  async dispose(key: string, force = false): Promise<void> {
    const pool = this.pools.get(key)
    if (pool === undefined) return
    this.pools.delete(key)
    const idle = pool.idle.splice(0)
    for (const env of pool.environments) if (!idle.includes(env)) this.retired.add(env)
    const victims = force ? [...pool.environments] : idle
    await Promise.all(victims.map((env) => env.kill()))
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.sweeper?.cancel()
    this.sweeper = undefined
    await Promise.all([...this.pools.keys()].map((key) => this.dispose(key, true)))
    await Promise.all([...this.retired].map((env) => env.kill()))
    this.retired.clear()
  }

  /** Kills every process synchronously: for `process.on('exit')`, when nothing async runs any more. */
  killAllNow(): void {
    for (const pool of this.pools.values()) for (const env of pool.environments) env.killNow()
    for (const env of this.retired) env.killNow()
  }

  /** Takes a concurrency slot or throws ConcurrencyLimitError; callers get a rejected promise, not a queue. */
  private reserve(spec: FunctionSpec): void {
    const reserved = spec.reservedConcurrency
    const fnBusy = this.busyByFunction.get(spec.functionArn) ?? 0
    if (reserved !== undefined) {
      this.reservations.set(spec.functionArn, reserved)
      if (fnBusy >= reserved) throw new ConcurrencyLimitError('ReservedFunctionConcurrentInvocationLimitExceeded')
    } else {
      this.reservations.delete(spec.functionArn)
      let reservedTotal = 0
      for (const n of this.reservations.values()) reservedTotal += n
      if (this.unreservedBusy >= this.options.accountConcurrency - reservedTotal) {
        throw new ConcurrencyLimitError('ConcurrentInvocationLimitExceeded')
      }
      this.unreservedBusy += 1
    }
    this.busyByFunction.set(spec.functionArn, fnBusy + 1)
  }

  private release(spec: FunctionSpec): void {
    if (spec.reservedConcurrency === undefined) this.unreservedBusy -= 1
    const left = (this.busyByFunction.get(spec.functionArn) ?? 1) - 1
    if (left > 0) this.busyByFunction.set(spec.functionArn, left)
    else this.busyByFunction.delete(spec.functionArn)
  }

  private poolFor(key: string): Pool {
    let pool = this.pools.get(key)
    if (pool === undefined) {
      pool = { environments: new Set(), idle: [] }
      this.pools.set(key, pool)
    }
    return pool
  }

  /** An idle environment already polling /next, else one still finishing its last invoke, else a new one. */
  private take(spec: FunctionSpec): ExecutionEnvironment {
    const pool = this.poolFor(spec.key)
    const idle = pool.idle
    for (let i = idle.length - 1; i >= 0; i -= 1) {
      if (idle[i]!.ready) return idle.splice(i, 1)[0]!
    }
    while (idle.length > 0) {
      const env = idle.pop()!
      if (env.alive) return env
    }
    const env = new ExecutionEnvironment(spec, { ...this.options, onGone: (gone) => this.forget(spec.key, gone) })
    pool.environments.add(env)
    env.start()
    return env
  }

  private putBack(env: ExecutionEnvironment): void {
    const pool = this.pools.get(env.spec.key)
    if (!env.alive) return
    // Its pool was retired while it ran: it has served its last invocation.
    if (pool === undefined || !pool.environments.has(env)) {
      this.retired.delete(env)
      void env.kill()
      return
    }
    pool.idle.push(env)
    this.armSweeper()
  }

  private forget(key: string, env: ExecutionEnvironment): void {
    const pool = this.pools.get(key)
    if (pool === undefined) return
    pool.environments.delete(env)
    const i = pool.idle.indexOf(env)
    if (i >= 0) pool.idle.splice(i, 1)
    if (pool.environments.size === 0) this.pools.delete(key)
  }

  /** One timer for all pools: stops environments idle longer than keepWarmMs, as AWS reclaims them. */
  private armSweeper(): void {
    if (this.sweeper !== undefined || this.stopped) return
    const every = Math.max(1000, Math.min(60_000, this.options.keepWarmMs))
    this.sweeper = this.options.clock.after(every, () => {
      this.sweeper = undefined
      const cutoff = this.options.clock.now() - this.options.keepWarmMs
      let idleLeft = 0
      for (const pool of this.pools.values()) {
        for (const env of [...pool.idle]) {
          if (env.lastUsed <= cutoff) void env.kill()
          else idleLeft += 1
        }
      }
      if (idleLeft > 0) this.armSweeper()
    })
  }
}
