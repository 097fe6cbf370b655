// A Node.js runtime as a worker thread in Nimbus's own process (`--lambda-executor worker`): the
// same bootstrap as a process runs, talking over the worker's MessagePort instead of the HTTP
// Runtime API. No process to spawn, no loopback HTTP per invocation: warm invokes cost a message
// each way. The function's variables are the worker's own process.env; its heap is held to 90% of
// MemorySize (resourceLimits) and heap plus Buffers to MemorySize by sampling, as a process's RSS is.
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { captureLines, lineEvents, LineSplitter } from './log-capture.ts'
import { nodeHeapMb, nodeSemiSpaceMb, planLaunch, type LaunchFailure, type LaunchPlan } from './process-launcher.ts'
import type { SandboxOptions } from './process-sandbox.ts'
import { killEnvironment } from './process-tree.ts'
import { errorReport, invocationHeaders, MAX_RESPONSE_BYTES, type Delivery } from './runtime-api.ts'
import { type LaunchContext, launchVariables, type Sandbox } from './sandbox.ts'

const MiB = 1024 * 1024
/** How long a finished worker's stdout/stderr get to deliver their last chunks. */
const STREAM_GRACE_MS = 100

/**
 * What the bootstrap posts (bootstrap.mjs, "As a worker thread"): console lines, and answers (Runtime
 * API paths) with, when `next` is set, the request for the next invocation in the same message.
 */
type FromRuntime =
  | { t: 'log'; line: string }
  | { t: 'out'; stream: 'stdout' | 'stderr'; data: string | Uint8Array }
  | { t: 'exit'; code: number }
  | { t: 'post'; path?: string; body?: string; errorType?: string; memory?: number; next?: boolean }

export class WorkerSandbox implements Sandbox {
  /** Node.js runtimes only: Python and custom runtimes are processes whatever the executor. */
  static runs(runtime: string): boolean {
    return /^nodejs\d+\.x$/.test(runtime)
  }

  private readonly options: SandboxOptions
  private plan: LaunchPlan | undefined
  private worker: Worker | undefined
  private environmentId = ''
  /** The runtime waits for work; a delivery goes straight to it. */
  private waiting = false
  private queued: Delivery | undefined
  private inFlight: string | undefined
  private peakBytes = 0
  private sampledPeakMb = 0
  private sampler: NodeJS.Timeout | undefined
  private sampling = false
  private killed = false
  /** process.stdout/stderr writes that came as messages, split into lines per stream. */
  private readonly written: Record<'stdout' | 'stderr', LineSplitter>
  private exitSeen = false
  /** Resolves on the worker's 'exit' event. */
  private workerGone: Promise<void> = Promise.resolve()

  constructor(options: SandboxOptions) {
    this.options = options
    const output = (line: string) => options.events.output(line)
    this.written = { stdout: new LineSplitter(output), stderr: new LineSplitter(output) }
  }

  get launched(): boolean {
    return this.worker !== undefined
  }

  get watchedPeakMb(): number {
    return this.sampledPeakMb
  }

  async prepare(): Promise<LaunchFailure | undefined> {
    const plan = await planLaunch(this.options.spec)
    if ('errorType' in plan) return plan
    this.plan = plan
    return undefined
  }

  launch(context: LaunchContext): void {
    const { spec, events } = this.options
    const plan = this.plan!
    this.environmentId = context.environmentId
    const env = launchVariables(spec, plan, context, '')
    // There is no HTTP Runtime API to point at: the bootstrap talks over the worker's port.
    delete env.AWS_LAMBDA_RUNTIME_API
    let worker: Worker
    try {
      worker = new Worker(join(plan.runtimeDir, 'bootstrap.mjs'), {
        env, argv: [], execArgv: [], stdin: false, stdout: true, stderr: true, name: `lambda ${spec.functionName}`,
        workerData: { nimbusWorker: { taskRoot: spec.codeDir } },
        resourceLimits: { maxOldGenerationSizeMb: nodeHeapMb(spec.memoryMb), maxYoungGenerationSizeMb: 3 * nodeSemiSpaceMb(spec.memoryMb) },
      })
    } catch (error) {
      return events.startFailed({ errorType: 'Runtime.InvalidEntrypoint', detail: `worker: ${String(error)}` })
    }
    this.worker = worker
    captureLines(worker.stdout, (line) => events.output(line))
    captureLines(worker.stderr, (line) => events.output(line))
    worker.on('message', (message: FromRuntime) => this.onMessage(message))
    worker.on('error', (error: Error & { code?: string }) => {
      // A heap past resourceLimits ends only this worker: the environment reports it as AWS does.
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') return events.outOfMemory()
      for (const line of String(error.stack ?? error).split('\n')) events.output(line)
    })
    this.workerGone = new Promise((resolve) => worker.once('exit', () => resolve()))
    worker.on('exit', (code) => this.onExit(code))
    this.sampler = setInterval(() => this.sample(), this.options.memoryCheckMs).unref()
  }

  deliver(delivery: Delivery): void {
    if (!this.waiting) {
      this.queued = delivery
      return
    }
    this.waiting = false
    this.send(delivery)
  }

  kill(): void {
    this.stopWatching()
    this.waiting = false
    if (this.worker === undefined || this.killed) return
    this.killed = true
    // terminate() stops even a synchronous loop (V8 TerminateExecution); the 'exit' event follows.
    this.worker.terminate().catch(() => {})
    // Processes the function started carry the environment's tag (its process.env): they go too.
    killEnvironment(undefined, this.environmentId, [])
  }

  stopWatching(): void {
    if (this.sampler !== undefined) clearInterval(this.sampler)
    this.sampler = undefined
  }

  peakMemoryMb(): Promise<number | undefined> {
    return Promise.resolve(this.peakBytes === 0 ? undefined : Math.ceil(this.peakBytes / MiB))
  }

  /** From the worker's own 'exit' message (its process.exit) or, when terminated or that got lost, the 'exit' event. */
  private onExit(code: number): void {
    if (this.exitSeen) return
    this.exitSeen = true
    this.stopWatching()
    this.written.stdout.end()
    this.written.stderr.end()
    const worker = this.worker!
    const drained = this.workerGone.then(() => new Promise<void>((resolve) => {
      let open = 2
      const closed = () => (open -= 1) === 0 && resolve()
      worker.stdout.once('close', closed)
      worker.stderr.once('close', closed)
      setTimeout(resolve, STREAM_GRACE_MS).unref()
    }))
    this.options.events.exited(code, null, drained)
  }

  private onMessage(message: FromRuntime): void {
    const { events } = this.options
    // Only the bootstrap posts here, but the function's code shares its port: ignore what isn't the protocol.
    if (typeof message !== 'object' || message === null) return
    if (message.t === 'log' && typeof message.line === 'string') return lineEvents(message.line, (line) => events.output(line))
    if (message.t === 'out') {
      const lines = message.stream === 'stderr' ? this.written.stderr : this.written.stdout
      if (typeof message.data === 'string' || message.data instanceof Uint8Array) {
        lines.write(typeof message.data === 'string' ? message.data : Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength))
      }
      return
    }
    if (message.t === 'exit') return this.onExit(typeof message.code === 'number' ? message.code : 1)
    if (message.t !== 'post') return
    if (typeof message.path === 'string' && typeof message.body === 'string') this.onAnswer(message.path, message.body, message.errorType, message.memory)
    if (message.next === true) {
      const queued = this.queued
      this.queued = undefined
      if (queued !== undefined) return this.send(queued)
      this.waiting = true
      events.ready()
    }
  }

  private onAnswer(path: string, text: string, type: unknown, memory: unknown): void {
    const { events } = this.options
    if (typeof memory === 'number' && memory > this.peakBytes) this.peakBytes = memory
    const errorType = typeof type === 'string' && type !== '' ? type : undefined
    if (path === 'init/error') return events.initError(errorReport(errorType, Buffer.from(text, 'utf8')))
    // An answer for another invocation, or a second one, is refused as the Runtime API refuses it
    // (`invocation/{id}/response|error` for the id in flight; compared whole, no pattern to run).
    const id = this.inFlight
    if (id === undefined) return
    const kind = path === `invocation/${id}/response` ? 'response' : path === `invocation/${id}/error` ? 'error' : undefined
    if (kind === undefined) return
    this.inFlight = undefined
    const body = Buffer.from(text, 'utf8')
    if (kind === 'error') return events.invocationError(errorReport(errorType, body))
    if (body.length > MAX_RESPONSE_BYTES) events.responseTooLarge()
    else events.response(body)
  }

  private send(d: Delivery): void {
    this.inFlight = d.requestId
    // The headers a process's bootstrap reads from /next, so one loop serves both.
    const headers = invocationHeaders(d)
    this.worker?.postMessage({ t: 'invoke', headers, body: d.payload.toString('utf8') })
  }

  /** Heap plus external memory (Buffers) of the worker's isolate, while init or an invocation runs. */
  private sample(): void {
    const worker = this.worker
    if (worker === undefined || this.sampling || !this.options.active()) return
    this.sampling = true
    worker.getHeapStatistics().then((heap) => {
      this.sampling = false
      if (this.sampler === undefined) return
      const bytes = heap.used_heap_size + ((heap as { external_memory?: number }).external_memory ?? 0)
      this.sampledPeakMb = Math.max(this.sampledPeakMb, Math.ceil(bytes / MiB))
      if (bytes > this.options.spec.memoryMb * MiB) {
        this.stopWatching()
        this.options.events.outOfMemory()
      }
    }, () => {
      this.sampling = false
    })
  }
}
