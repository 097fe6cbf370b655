// The Lambda runtime: runs functions' code as local processes behind the real Lambda Runtime API,
// without containers. The Lambda service calls it through LambdaRuntimeApi (types.ts).
import type { Clock } from '../core/clock.ts'
import { EnvironmentPool } from './environment-pool.ts'
import type { LambdaExecutor } from './sandbox.ts'
import type { LambdaRuntimeApi, LogSink } from './types.ts'

export { ConcurrencyLimitError } from './types.ts'
export type { LambdaExecutor } from './sandbox.ts'
export type { FunctionSpec, InvokeRequest, InvokeResult, LambdaRuntimeApi, LogSink, LogTarget } from './types.ts'

export interface LambdaRuntimeOptions {
  readonly clock: Clock
  /** Nimbus's own `http://127.0.0.1:<port>`, given to handlers as AWS_ENDPOINT_URL. */
  readonly endpoint: string
  readonly logSink: LogSink
  /** Where each environment gets its own TMPDIR (removed with it); without one, the system's is shared. */
  readonly workDir?: string
  /** Concurrent executions across all functions (AWS's default account limit is 1,000). */
  readonly accountConcurrency?: number
  /** Clock time an idle environment stays warm (default 10 minutes). */
  readonly keepWarmMs?: number
  /** Nimbus's own diagnostics (not function output). */
  readonly log?: (line: string) => void
  /**
   * What runs Node.js functions: `process` (default; one process per environment, behind the HTTP
   * Runtime API) or `worker` (one worker thread per environment, in Nimbus's process: faster, less
   * isolated). Python and custom runtimes always run as processes.
   */
  readonly executor?: LambdaExecutor
}

export function createLambdaRuntime(options: LambdaRuntimeOptions): LambdaRuntimeApi {
  const pool = new EnvironmentPool({
    clock: options.clock,
    endpoint: options.endpoint,
    logSink: options.logSink,
    workDir: options.workDir,
    log: options.log ?? ((line) => console.error(`[nimbus] ${line}`)),
    accountConcurrency: options.accountConcurrency ?? 1000,
    keepWarmMs: options.keepWarmMs ?? 10 * 60_000,
    executor: options.executor ?? 'process',
  })
  // Environments run in their own process groups and would outlive a Nimbus that exits without
  // stop(); killing them is synchronous, so it works even from an 'exit' handler.
  const killAll = () => pool.killAllNow()
  process.on('exit', killAll)
  return {
    invoke: (spec, request) => pool.invoke(spec, request),
    busy: (key) => pool.busy(key),
    dispose: (key) => pool.dispose(key),
    stop: async () => {
      process.off('exit', killAll)
      await pool.stop()
    },
  }
}
