// What the Lambda service asks of the runtime, and what it gets back. The runtime runs user code
// in local processes behind the Lambda Runtime API; it knows nothing of the Lambda control plane.

/** Everything needed to start an execution environment for one function version. */
export interface FunctionSpec {
  /** Identifies the environment pool: environments are reused only for the same key. */
  readonly key: string
  readonly functionName: string
  /** Unqualified function ARN. */
  readonly functionArn: string
  /** `$LATEST` or a published version number. */
  readonly version: string
  /** e.g. `nodejs22.x`, `python3.12`, `provided.al2023`. */
  readonly runtime: string
  /** e.g. `index.handler`, `app.lambda_handler`; passed to the runtime as `_HANDLER`. */
  readonly handler: string
  /** The function's extracted code: LAMBDA_TASK_ROOT and the working directory. */
  readonly codeDir: string
  /** Extracted layers, in the function's order (later ones win, as when AWS merges them into /opt). */
  readonly layerDirs: readonly string[]
  readonly memoryMb: number
  readonly timeoutSeconds: number
  /** The function's own environment variables. */
  readonly environment: Readonly<Record<string, string>>
  /** CloudWatch log group for the function's output (LoggingConfig.LogGroup; default `/aws/lambda/<name>`). */
  readonly logGroup?: string
  readonly region: string
  readonly account: string
  /** Reserved concurrency, when set: at most this many environments run this function at once. */
  readonly reservedConcurrency?: number
}

export interface InvokeRequest {
  readonly requestId: string
  readonly payload: Buffer
  /** ARN as invoked (qualified by alias or version when it was): Lambda-Runtime-Invoked-Function-Arn. */
  readonly invokedFunctionArn: string
  /** Base64 client context, passed through as Lambda-Runtime-Client-Context. */
  readonly clientContext?: string
  /** X-Ray header; a new one is made when absent. */
  readonly traceId?: string
}

export interface InvokeResult {
  /** 'error' covers handler errors, init errors, timeouts and crashes: AWS's "Unhandled" function errors. */
  readonly outcome: 'success' | 'error'
  /** The response body, or the error JSON ({errorType, errorMessage, trace|stackTrace…}). */
  readonly payload: Buffer
  /** errorType of a function error, e.g. `Error`, `Sandbox.Timedout`, `Runtime.ExitError`. */
  readonly errorType?: string
  /** This invoke's log lines (START … REPORT), for `LogType: Tail`. */
  readonly log: string
  readonly durationMs: number
  /** Set when this invoke started a new environment. */
  readonly initDurationMs?: number
}

/** Where function output goes: CloudWatch Logs, `/aws/lambda/<name>`, one stream per environment. */
export interface LogSink {
  write(target: LogTarget, logStream: string, lines: readonly { timestamp: number; message: string }[]): void
}

/** A function's log group, in the function's own account and region (CloudWatch Logs is regional). */
export interface LogTarget {
  readonly functionName: string
  readonly account: string
  readonly region: string
  /** `/aws/lambda/<functionName>` */
  readonly logGroup: string
}

/** Thrown (as data) when no environment may start: reserved concurrency or account limit reached. */
export class ConcurrencyLimitError extends Error {
  readonly reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' | 'ConcurrentInvocationLimitExceeded'
  constructor(reason: ConcurrencyLimitError['reason']) {
    super('Rate Exceeded.')
    this.reason = reason
  }
}

export interface LambdaRuntimeApi {
  /** Runs one invocation; resolves when it ends however it ends (never rejects for user-code failures). */
  invoke(spec: FunctionSpec, request: InvokeRequest): Promise<InvokeResult>
  /** Environments currently busy for a pool key (for concurrency accounting). */
  busy(key: string): number
  /** Stops and removes every environment of a pool (function updated or deleted). */
  dispose(key: string): Promise<void>
  /** Stops everything (Nimbus shutting down). */
  stop(): Promise<void>
}

/** Names Lambda sets itself and a function may not override (CreateFunction rejects them on AWS). */
export const reservedVariables: ReadonlySet<string> = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
])

/** Whether Nimbus can run a runtime: every Node.js and Python 3 version, and custom runtimes. */
export function isRunnableRuntime(runtime: string): boolean {
  return /^nodejs\d+\.x$/.test(runtime) || /^python3\.\d+$/.test(runtime) || runtime === 'provided' || runtime.startsWith('provided.')
}
