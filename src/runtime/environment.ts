// One execution environment: a sandbox running the runtime (a process behind its own Runtime API
// server, or a worker thread: sandbox.ts) and its log stream. It runs one invocation at a time, as
// classic Lambda environments do, and every way an invocation can end (answer, error, crash,
// timeout, init failure) resolves it exactly once.
import { randomBytes } from 'node:crypto'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { Clock, Timer } from '../core/clock.ts'
import { newTraceHeader } from '../core/ids.ts'
import { exitError, initFailureError, responseTooLarge, timeoutError, timeoutMessage, type InitFailure, type InvocationEnd } from './function-errors.ts'
import { endLine, LogTail, initReportLine, initStartLine, logStreamName, LogStreamWriter, reportLine, startLine } from './log-capture.ts'
import { exitDescription } from './process-launcher.ts'
import { ProcessSandbox } from './process-sandbox.ts'
import type { LambdaExecutor, Sandbox, SandboxEvents } from './sandbox.ts'
import { WorkerSandbox } from './worker-sandbox.ts'
import type { FunctionSpec, InvokeRequest, InvokeResult, LogSink } from './types.ts'

/** The invocation never reached this (warm) environment before it died: run it on another one. */
export const REDISPATCH: unique symbol = Symbol('redispatch')
export type EnvironmentOutcome = InvokeResult | typeof REDISPATCH

export interface EnvironmentDeps {
  readonly clock: Clock
  readonly endpoint: string
  readonly logSink: LogSink
  readonly workDir?: string
  readonly log: (line: string) => void
  /** Called once when the environment is gone (its process exited or it was killed). */
  readonly onGone: (env: ExecutionEnvironment) => void
  /** Real-time period of the memory watchdog while init or an invocation runs (default 100 ms). */
  readonly memoryCheckMs?: number
  /** What runs Node.js functions (default `process`); other runtimes always run as processes. */
  readonly executor?: LambdaExecutor
}

/** AWS gives an on-demand function's init 10 s before the function's own timeout applies. */
const INIT_LIMIT_MS = 10_000
/** What Lambda passes when an invoke has no payload. */
const EMPTY_EVENT = Buffer.from('{}')

interface Invocation {
  readonly request: InvokeRequest
  readonly resolve: (outcome: EnvironmentOutcome) => void
  readonly lines: LogTail
  readonly cold: boolean
  startedAt: number
  /** Clock time the function's timeout started. */
  clockStart?: number
  delivered: boolean
  done: boolean
  timer?: Timer
}

/** An invocation's result; its log is joined only for a caller that reads it (Invoke with `LogType: Tail`). */
class Outcome implements InvokeResult {
  readonly outcome: InvokeResult['outcome']
  readonly payload: Buffer
  readonly errorType: string | undefined
  readonly durationMs: number
  readonly initDurationMs: number | undefined
  private readonly lines: LogTail

  constructor(outcome: InvokeResult['outcome'], payload: Buffer, errorType: string | undefined, lines: LogTail, durationMs: number,
    initDurationMs: number | undefined) {
    this.outcome = outcome
    this.payload = payload
    this.errorType = errorType
    this.lines = lines
    this.durationMs = durationMs
    this.initDurationMs = initDurationMs
  }

  /** Nothing is added to the lines once the invocation is reported. */
  get log(): string {
    return this.lines.text()
  }
}

export class ExecutionEnvironment {
  readonly spec: FunctionSpec
  readonly id = randomBytes(16).toString('hex')
  /** Clock time the environment last finished an invocation (for keep-warm expiry). */
  lastUsed: number
  private readonly deps: EnvironmentDeps
  private readonly output: LogStreamWriter
  private readonly sandbox: Sandbox
  private readonly startedAt = performance.now()
  private readonly exitedPromise: Promise<void>
  private markGone!: () => void
  private tmpDir: string | undefined
  private initialized = false
  private polling = false
  private initDurationMs: number | undefined
  private initTimer: Timer | undefined
  private initFailure: InitFailure | undefined
  private readonly initLines = new LogTail()
  private current: Invocation | undefined
  /** The invocation whose log the output belongs to, until its END/REPORT are written. */
  private logTarget: Invocation | undefined
  private maxMemoryMb = 0
  private outOfMemory = false
  private dead = false
  private gone = false

  constructor(spec: FunctionSpec, deps: EnvironmentDeps) {
    this.spec = spec
    this.deps = deps
    this.lastUsed = deps.clock.now()
    const streamName = logStreamName(deps.clock.now(), spec.version, this.id)
    const target = { functionName: spec.functionName, account: spec.account, region: spec.region, logGroup: spec.logGroup ?? `/aws/lambda/${spec.functionName}` }
    this.output = new LogStreamWriter({ sink: deps.logSink, target, streamName, clock: deps.clock, log: deps.log })
    this.exitedPromise = new Promise((resolve) => (this.markGone = resolve))
    const events: SandboxEvents = {
      ready: () => this.onReady(),
      initError: (error) => this.failInit({ errorType: error.errorType, payload: error.payload }),
      response: (body) => this.settle({ outcome: 'success', payload: body }),
      responseTooLarge: () => this.settle(responseTooLarge()),
      invocationError: (error) => this.settle({ outcome: 'error', errorType: error.errorType, payload: error.payload }),
      output: (line) => this.onOutput(line),
      outOfMemory: () => this.onOutOfMemory(),
      startFailed: (failure) => this.onStartFailed(failure),
      exited: (code, signal, drained) => this.onExit(code, signal, drained),
    }
    const options = {
      spec, events, memoryCheckMs: deps.memoryCheckMs ?? 100,
      active: () => !this.dead && (!this.initialized || this.current !== undefined),
    }
    this.sandbox = deps.executor === 'worker' && WorkerSandbox.runs(spec.runtime) ? new WorkerSandbox(options) : new ProcessSandbox(options)
  }

  /** Idle and polling /next: an invocation handed over now starts at once. */
  get ready(): boolean {
    return this.polling && !this.dead && this.current === undefined
  }
  get alive(): boolean {
    return !this.dead
  }
  /** Resolves once the process is gone and the environment cleaned up. */
  get exited(): Promise<void> {
    return this.exitedPromise
  }

  /** Starts the runtime; failures become an init error for the first invocation. */
  start(): void {
    this.output.append(initStartLine(this.spec.runtime, this.spec.region))
    this.initTimer = this.deps.clock.after(INIT_LIMIT_MS + this.spec.timeoutSeconds * 1000, () => {
      if (!this.initialized) this.failInit({ errorType: 'Sandbox.Timedout', detail: timeoutMessage(this.spec.timeoutSeconds), status: 'timeout' })
    })
    this.spawn().catch((error: unknown) => this.failInit({ errorType: 'Runtime.Unknown', detail: String(error) }))
  }

  private async spawn(): Promise<void> {
    const failure = await this.sandbox.prepare()
    if (failure !== undefined) return this.failInit(failure)
    if (this.deps.workDir !== undefined && !this.dead) {
      this.tmpDir = join(this.deps.workDir, `env-${this.id}`)
      await mkdir(this.tmpDir, { recursive: true })
    }
    // Killed (disposed, timed out) while getting ready: there is no runtime to wait for.
    if (this.dead) return this.cleanUp()
    this.sandbox.launch({ logStream: this.output.streamName, endpoint: this.deps.endpoint, tmpDir: this.tmpDir, environmentId: this.id })
  }

  invoke(request: InvokeRequest): Promise<EnvironmentOutcome> {
    return new Promise((resolve) => {
      const inv: Invocation = {
        request, resolve, lines: new LogTail(), cold: !this.initialized, startedAt: performance.now(), delivered: false, done: false,
      }
      if (inv.cold) inv.lines.takeFrom(this.initLines)
      this.current = inv
      this.logTarget = inv
      // A warm environment's timeout starts now, even if its runtime has yet to poll /next again
      // (microseconds away); a cold one's starts when init is done and the invoke is handed over.
      if (this.initialized) this.startTimeout(inv)
      if (this.initFailure !== undefined) this.finish(inv, initFailureError(this.initFailure, request.requestId))
      else if (this.dead) this.abandon(inv)
      else if (this.polling) this.deliver(inv)
      // Otherwise the runtime is still initializing, or finishing its previous invocation: onReady delivers.
    })
  }

  /** Kills the runtime (and all it started) at once; an invocation in flight ends as a crash. */
  kill(): Promise<void> {
    if (!this.dead) {
      this.dead = true
      this.initTimer?.cancel()
      this.sandbox.kill()
      const inv = this.current
      if (inv !== undefined && !inv.done) this.finish(inv, exitError(inv.request.requestId, exitDescription(null, 'SIGKILL'), false))
      if (!this.sandbox.launched) this.cleanUp()
    }
    return this.exitedPromise
  }

  /** Synchronous last resort when Nimbus itself exits. */
  killNow(): void {
    this.sandbox.kill()
  }

  /** Past MemorySize: the environment is killed and the invocation ends as AWS ends it. */
  private onOutOfMemory(): void {
    this.outOfMemory = true
    // AWS reports the limit it hit.
    this.maxMemoryMb = this.spec.memoryMb
    const killed = exitDescription(null, 'SIGKILL')
    if (!this.initialized) return this.failInit({ errorType: 'Runtime.OutOfMemory', detail: killed })
    const inv = this.current
    if (inv !== undefined && !inv.done) this.finish(inv, exitError(inv.request.requestId, killed, true))
    void this.kill()
  }

  private onReady(): void {
    if (!this.initialized) {
      this.initialized = true
      this.initDurationMs = performance.now() - this.startedAt
      this.initTimer?.cancel()
    }
    this.polling = true
    const inv = this.current
    if (inv !== undefined && !inv.delivered && !inv.done) this.deliver(inv)
  }

  private deliver(inv: Invocation): void {
    this.polling = false
    inv.delivered = true
    inv.startedAt = performance.now()
    // START can wait for the invocation's other lines: a fast invoke makes one batch for CloudWatch Logs.
    const start = startLine(inv.request.requestId, this.spec.version)
    this.output.appendLazily(start)
    this.logTarget?.lines.push(start)
    this.startTimeout(inv)
    const remainingMs = Math.max(0, this.spec.timeoutSeconds * 1000 - (this.deps.clock.now() - inv.clockStart!))
    const { request } = inv
    this.sandbox.deliver({
      requestId: request.requestId,
      payload: request.payload.length > 0 ? request.payload : EMPTY_EVENT,
      // Real time, not clock time: the handler computes its remaining time from its own Date.now().
      deadlineMs: Date.now() + remainingMs,
      invokedFunctionArn: request.invokedFunctionArn,
      traceId: request.traceId ?? newTraceHeader(),
      clientContext: request.clientContext === undefined ? undefined : Buffer.from(request.clientContext, 'base64').toString('latin1'),
    })
  }

  private startTimeout(inv: Invocation): void {
    if (inv.timer !== undefined) return
    inv.clockStart = this.deps.clock.now()
    inv.timer = this.deps.clock.after(this.spec.timeoutSeconds * 1000, () => this.onTimeout(inv))
  }

  private onTimeout(inv: Invocation): void {
    if (inv.done) return
    const { requestId } = inv.request
    this.emit(`${new Date(this.deps.clock.now()).toISOString()} ${requestId} ${timeoutMessage(this.spec.timeoutSeconds)}`)
    this.finish(inv, timeoutError(requestId, this.spec.timeoutSeconds))
    void this.kill()
  }

  /** The runtime answered the invocation it holds (the Runtime API checked the request id). */
  private settle(end: InvocationEnd): void {
    const inv = this.current
    if (inv !== undefined) this.finish(inv, end)
  }

  private failInit(failure: InitFailure): void {
    if (this.initFailure !== undefined || this.dead) return
    this.initFailure = failure
    this.initDurationMs = performance.now() - this.startedAt
    this.emit(initReportLine(this.initDurationMs, failure.status ?? 'error', failure.errorType))
    const inv = this.current
    if (inv !== undefined && !inv.done) this.finish(inv, initFailureError(this.initFailure, inv.request.requestId))
    void this.kill()
  }

  private onStartFailed(failure: { errorType: string; detail: string }): void {
    this.failInit(failure)
    this.cleanUp()
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null, drained: Promise<void>): void {
    const wasDead = this.dead
    this.dead = true
    this.initTimer?.cancel()
    // Killed by kill(), everything it started went then; a runtime that exited on its own may leave some.
    if (!wasDead) this.sandbox.kill()
    const inv = this.current
    // The last output arrives before the crash is reported.
    void drained.then(() => {
      if (inv !== undefined && !inv.done && !wasDead) {
        if (this.initFailure !== undefined) this.finish(inv, initFailureError(this.initFailure, inv.request.requestId))
        else if (!inv.delivered && !inv.cold) this.abandon(inv)
        else this.finish(inv, exitError(inv.request.requestId, exitDescription(code, signal), this.outOfMemory))
      }
      this.cleanUp()
    })
  }

  /** A warm environment died before the invocation reached it: the pool runs it elsewhere. */
  private abandon(inv: Invocation): void {
    inv.done = true
    inv.timer?.cancel()
    if (this.current === inv) this.current = undefined
    this.logTarget = undefined
    inv.resolve(REDISPATCH)
  }

  private onOutput(line: string): void {
    if (line.includes('JavaScript heap out of memory')) this.outOfMemory = true
    this.emit(line)
    if (!this.initialized && this.logTarget === undefined) this.initLines.push(line)
  }

  private emit(line: string): void {
    this.output.append(line)
    this.logTarget?.lines.push(line)
  }

  /** As emit, for a line the caller flushes at once. */
  private emitNow(line: string): void {
    this.output.add(line)
    this.logTarget?.lines.push(line)
  }

  private finish(inv: Invocation, end: InvocationEnd): void {
    if (inv.done) return
    inv.done = true
    inv.timer?.cancel()
    if (this.current === inv) this.current = undefined
    const durationMs = inv.delivered ? performance.now() - inv.startedAt : 0
    this.lastUsed = this.deps.clock.now()
    const memory = this.dead ? Promise.resolve(undefined) : this.sandbox.peakMemoryMb()
    // Output the function wrote just before answering may still be in the pipe: let it in first.
    setImmediate(() => void memory.then((mb) => this.report(inv, end, durationMs, mb)))
  }

  private report(inv: Invocation, end: InvocationEnd, durationMs: number, mb: number | undefined): void {
    // A sandbox past its limit is killed: AWS never reports more than MemorySize.
    this.maxMemoryMb = Math.min(this.spec.memoryMb, Math.max(this.maxMemoryMb, mb ?? 0, this.sandbox.watchedPeakMb))
    const { requestId } = inv.request
    const initDurationMs = inv.cold ? this.initDurationMs ?? performance.now() - this.startedAt : undefined
    if (!inv.delivered) this.emit(startLine(requestId, this.spec.version))
    // END and REPORT go to the sink with what is pending, now (no flush scheduled for them first).
    this.emitNow(endLine(requestId))
    this.emitNow(reportLine({
      requestId, durationMs, memoryMb: this.spec.memoryMb, maxMemoryUsedMb: this.maxMemoryMb, initDurationMs,
      status: end.status === undefined ? undefined : { status: end.status, errorType: end.errorType },
    }))
    this.output.flush()
    if (this.logTarget === inv) this.logTarget = undefined
    inv.resolve(new Outcome(end.outcome, end.payload, end.outcome === 'success' ? undefined : end.errorType ?? 'Runtime.UnknownReason',
      inv.lines, durationMs, initDurationMs))
  }

  private cleanUp(): void {
    if (this.gone) return
    this.gone = true
    this.dead = true
    this.sandbox.stopWatching()
    this.output.flush()
    const tmp = this.tmpDir
    const done = tmp === undefined ? Promise.resolve() : rm(tmp, { recursive: true, force: true }).catch(() => {})
    void done.then(() => this.markGone())
    this.deps.onGone(this)
  }
}
