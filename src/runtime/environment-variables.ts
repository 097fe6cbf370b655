// The environment a function's process sees: AWS's standard Lambda variables, credentials and an
// endpoint that lead back to Nimbus, then the function's own variables. Nothing else of Nimbus's
// own environment leaks in except the basics a process needs (PATH, HOME, locale, TMPDIR).
import { delimiter, join } from 'node:path'
import { ENVIRONMENT_TAG } from './process-tree.ts'
import { type FunctionSpec, reservedVariables } from './types.ts'

export { reservedVariables }


const PASSED_THROUGH = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TMPDIR', 'SYSTEMROOT', 'USER']

export interface EnvironmentContext {
  /** `host:port` of this environment's Runtime API. */
  readonly runtimeApi: string
  readonly logStream: string
  /** Nimbus's own endpoint: AWS_ENDPOINT_URL, so SDK clients in the function call Nimbus. */
  readonly endpoint: string
  readonly runtimeDir: string
  /** Per-environment /tmp, when the runtime has a work directory. */
  readonly tmpDir?: string
  /** What the runtime's launcher adds (NODE_PATH, PYTHONPATH…); the function may override these. */
  readonly runtimeDefaults: Readonly<Record<string, string>>
  /** Tags every process of the environment, so teardown finds even detached ones. */
  readonly environmentId?: string
}

export function environmentVariables(spec: FunctionSpec, ctx: EnvironmentContext): Record<string, string> {
  const env: Record<string, string> = {}
  for (const name of PASSED_THROUGH) {
    const value = process.env[name]
    if (value !== undefined) env[name] = value
  }
  // As on AWS, /opt/bin and /opt/lib come first; a later layer wins, so it is searched first.
  const layers = [...spec.layerDirs].reverse()
  env.PATH = joinPath([...layers.map((l) => join(l, 'bin')), env.PATH ?? '/usr/local/bin:/usr/bin:/bin'])
  if (layers.length > 0) env.LD_LIBRARY_PATH = joinPath(layers.map((l) => join(l, 'lib')))
  env.LANG ??= 'en_US.UTF-8'
  env.TZ = ':UTC'
  if (ctx.tmpDir !== undefined) env.TMPDIR = ctx.tmpDir
  Object.assign(env, ctx.runtimeDefaults)
  env.AWS_ENDPOINT_URL = ctx.endpoint
  for (const [name, value] of Object.entries(spec.environment)) {
    if (!reservedVariables.has(name)) env[name] = value
  }
  Object.assign(env, lambdaVariables(spec, ctx))
  // Last, so the function's own variables can't replace it.
  if (ctx.environmentId !== undefined) env[ENVIRONMENT_TAG] = ctx.environmentId
  return env
}

function lambdaVariables(spec: FunctionSpec, ctx: EnvironmentContext): Record<string, string> {
  const vars: Record<string, string> = {
    AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: spec.version,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: spec.logGroup ?? `/aws/lambda/${spec.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: ctx.logStream,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_REGION: spec.region,
    AWS_DEFAULT_REGION: spec.region,
    LAMBDA_TASK_ROOT: spec.codeDir,
    LAMBDA_RUNTIME_DIR: ctx.runtimeDir,
    _HANDLER: spec.handler,
    AWS_LAMBDA_RUNTIME_API: ctx.runtimeApi,
    // Nimbus takes a 12-digit access key id as the caller's account, so the function acts as its own.
    AWS_ACCESS_KEY_ID: spec.account,
    AWS_SECRET_ACCESS_KEY: 'nimbus',
    AWS_SESSION_TOKEN: 'nimbus',
  }
  // OS-only runtimes (provided.*) have no AWS_EXECUTION_ENV on AWS.
  if (!spec.runtime.startsWith('provided')) vars.AWS_EXECUTION_ENV = `AWS_Lambda_${spec.runtime}`
  return vars
}

export function joinPath(parts: readonly string[]): string {
  return parts.filter((p) => p !== '').join(delimiter)
}
