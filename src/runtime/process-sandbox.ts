// A runtime as a local process (its own process group) behind this environment's own HTTP Runtime
// API on a loopback port: every runtime Lambda has (Node.js, Python, custom `bootstrap`s). Nimbus's
// own Node.js and Python bootstraps ask for work and answer over a pipe instead (runtime-pipe.ts);
// the HTTP Runtime API stays up for them all the same (AWS_LAMBDA_RUNTIME_API), sharing the one state.
import type { ChildProcess } from 'node:child_process'
import type { Duplex } from 'node:stream'
import { captureLines } from './log-capture.ts'
import { MemoryWatchdog } from './memory-watchdog.ts'
import { launch, peakMemoryMb, planLaunch, type LaunchFailure, type LaunchPlan } from './process-launcher.ts'
import { killEnvironment } from './process-tree.ts'
import { RuntimeApiServer, type Delivery } from './runtime-api.ts'
import { RuntimePipe } from './runtime-pipe.ts'
import { type LaunchContext, launchVariables, type Sandbox, type SandboxEvents } from './sandbox.ts'
import type { FunctionSpec } from './types.ts'

/** How long to wait for a dead process's output pipes to close (a grandchild may hold them). */
const PIPE_GRACE_MS = 250

export interface SandboxOptions {
  readonly spec: FunctionSpec
  readonly events: SandboxEvents
  /** Real-time period of the memory watchdog. */
  readonly memoryCheckMs: number
  /** Whether memory is watched now (init or an invocation running). */
  readonly active: () => boolean
}

export class ProcessSandbox implements Sandbox {
  private readonly options: SandboxOptions
  private readonly api: RuntimeApiServer
  private runtimeApi = ''
  private plan: LaunchPlan | undefined
  private child: ChildProcess | undefined
  private watchdog: MemoryWatchdog | undefined
  private environmentId = ''
  /** Peak resident memory the runtime reported over its pipe, in KB (0: none reported). */
  private reportedPeakKb = 0

  constructor(options: SandboxOptions) {
    this.options = options
    const events = options.events
    this.api = new RuntimeApiServer({
      ready: () => events.ready(),
      initError: (error) => events.initError(error),
      response: (_id, body) => events.response(body),
      responseTooLarge: () => events.responseTooLarge(),
      invocationError: (_id, error) => events.invocationError(error),
    })
  }

  get launched(): boolean {
    return this.child !== undefined
  }

  get watchedPeakMb(): number {
    return this.watchdog?.peakMb ?? 0
  }

  async prepare(): Promise<LaunchFailure | undefined> {
    this.runtimeApi = await this.api.listen()
    const plan = await planLaunch(this.options.spec)
    if ('errorType' in plan) return plan
    this.plan = plan
    return undefined
  }

  launch(context: LaunchContext): void {
    const { spec, events } = this.options
    const plan = this.plan!
    this.environmentId = context.environmentId
    const env = launchVariables(spec, plan, context, this.runtimeApi)
    const child = launch(plan, spec.codeDir, env, plan.pipe === true)
    this.child = child
    if (plan.pipe === true) this.openPipe(child)
    if (child.pid !== undefined) {
      this.watchdog = new MemoryWatchdog({
        pid: child.pid, limitMb: spec.memoryMb, periodMs: this.options.memoryCheckMs, active: this.options.active,
        onExceeded: () => events.outOfMemory(),
      })
    }
    captureLines(child.stdout!, (line) => events.output(line))
    captureLines(child.stderr!, (line) => events.output(line))
    child.on('error', (error: NodeJS.ErrnoException) => events.startFailed({
      errorType: 'Runtime.InvalidEntrypoint',
      detail: error.code === 'ENOENT' ? `fork/exec ${plan.command}: no such file or directory` : `fork/exec ${plan.command}: ${error.message}`,
    }))
    child.on('exit', (code, signal) => {
      this.api.close()
      // Let the last output arrive before the end is reported; a grandchild may hold the pipes open.
      const drained = new Promise<void>((resolve) => {
        child.once('close', () => resolve())
        setTimeout(resolve, PIPE_GRACE_MS).unref()
      })
      events.exited(code, signal, drained)
    })
  }

  deliver(delivery: Delivery): void {
    this.api.deliver(delivery)
  }

  /** fds 3 (to the runtime) and 4 (from it): requests for work and answers go to the Runtime API's state. */
  private openPipe(child: ChildProcess): void {
    const toRuntime = child.stdio[3] as Duplex | null | undefined
    const fromRuntime = child.stdio[4] as Duplex | null | undefined
    if (toRuntime == null || fromRuntime == null) return
    const { events } = this.options
    const pipe = new RuntimePipe(toRuntime, fromRuntime, {
      post: (path, body, errorType) => this.api.post(path, body, errorType),
      next: () => this.api.poll((delivery) => pipe.deliver(delivery)),
      output: (line) => events.output(line),
      memory: (kb) => {
        if (kb > this.reportedPeakKb) this.reportedPeakKb = kb
      },
    })
    // Nothing comes back on fd 3, but it must be read for its end (and the child's 'close') to be seen.
    toRuntime.resume()
  }

  /** The runtime's group, the processes seen in its tree, and everything carrying this environment's tag. */
  kill(): void {
    this.watchdog?.stop()
    this.api.close()
    if (this.child === undefined) return
    killEnvironment(this.child.pid, this.environmentId, this.watchdog?.known.values() ?? [])
  }

  stopWatching(): void {
    this.watchdog?.stop()
  }

  peakMemoryMb(): Promise<number | undefined> {
    // The Node.js bootstrap reports its maxrss with each answer: no /proc read per invocation.
    if (this.reportedPeakKb > 0) return Promise.resolve(Math.ceil(this.reportedPeakKb / 1024))
    const pid = this.child?.pid
    return pid === undefined ? Promise.resolve(undefined) : peakMemoryMb(pid)
  }
}
