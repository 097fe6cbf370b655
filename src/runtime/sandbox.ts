// What an execution environment runs its runtime in, and what it hears back: a process behind the
// Runtime API, HTTP or a pipe (process-sandbox.ts), or for Node.js functions optionally a worker thread in
// Nimbus's own process (worker-sandbox.ts). The environment (environment.ts) owns Lambda's rules.
import { environmentVariables } from './environment-variables.ts'
import type { LaunchFailure, LaunchPlan } from './process-launcher.ts'
import type { FunctionSpec } from './types.ts'
import type { Delivery, ReportedError } from './runtime-api.ts'

/** Which backend runs Node.js functions; Python and custom runtimes always run as processes. */
export type LambdaExecutor = 'process' | 'worker'

export interface SandboxEvents {
  /** The runtime waits for work: its init is done, or its previous invocation is. */
  ready(): void
  initError(error: ReportedError): void
  response(body: Buffer): void
  /** The runtime tried to return more than 6 MB. */
  responseTooLarge(): void
  invocationError(error: ReportedError): void
  /** One line of the function's output (one CloudWatch event). */
  output(line: string): void
  /** Past MemorySize: the environment kills the sandbox and reports Runtime.OutOfMemory. */
  outOfMemory(): void
  /** The runtime could not be started at all. */
  startFailed(failure: LaunchFailure): void
  /** The runtime ended, by itself or killed; `drained` resolves once its last output is in (or a grace period passed). */
  exited(code: number | null, signal: NodeJS.Signals | null, drained: Promise<void>): void
}

/** What a sandbox needs to start, besides the function's spec. */
export interface LaunchContext {
  readonly logStream: string
  readonly endpoint: string
  readonly tmpDir?: string
  readonly environmentId: string
}

/** What a launched runtime sees: the function's variables, Lambda's own, and the plan's defaults. */
export function launchVariables(spec: FunctionSpec, plan: LaunchPlan, context: LaunchContext, runtimeApi: string): Record<string, string> {
  return environmentVariables(spec, {
    runtimeApi, logStream: context.logStream, endpoint: context.endpoint, runtimeDir: plan.runtimeDir,
    tmpDir: context.tmpDir, runtimeDefaults: plan.defaults, environmentId: context.environmentId,
  })
}

export interface Sandbox {
  /** Gets ready to launch (a Runtime API port, the runtime's command); a failure is an init error. */
  prepare(): Promise<LaunchFailure | undefined>
  /** Starts the runtime; from then on it reports through SandboxEvents, `exited` last. */
  launch(context: LaunchContext): void
  /** Whether launch() started something that will report `exited`. */
  readonly launched: boolean
  /** Hands the invocation over (queued until the runtime asks for work). */
  deliver(delivery: Delivery): void
  /** Kills the runtime and everything it started, synchronously (also from `process.on('exit')`). */
  kill(): void
  /** Stops the memory watchdog (the environment is gone). */
  stopWatching(): void
  /** Peak memory in MB for the REPORT line, when known. */
  peakMemoryMb(): Promise<number | undefined>
  /** The largest memory the watchdog sampled, in MB. */
  readonly watchedPeakMb: number
}
