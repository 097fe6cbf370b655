// Running one invocation of a function version through the runtime, with Lambda's checks around it:
// reserved concurrency, runtimes Nimbus can't run, and the result shaped as Invoke answers it; every
// invocation (sync, async, event source mapping) is counted here for AWS/Lambda's metrics.
import { randomUuid } from '../../core/random-pool.ts'
import { ConcurrencyLimitError, type FunctionSpec, type InvokeResult, isRunnableRuntime } from '../../runtime/types.ts'
import type { LambdaContext } from './context.ts'
import { lambdaErrors } from './errors.ts'
import type { FunctionVersion, LambdaFunction } from './function.ts'

/** Environments are reused only for the same function version and revision. */
export function poolKey(fn: LambdaFunction, v: FunctionVersion): string {
  return `${fn.arn}:${v.version}:${v.revisionId}`
}

/**
 * Each version's spec, made once rather than per invocation: a version is replaced, never changed, by an
 * update (operations/updates.ts' replaceLatest); the function's reserved concurrency is checked as it may change in place.
 */
const specs = new WeakMap<FunctionVersion, FunctionSpec>()

export function functionSpec(fn: LambdaFunction, v: FunctionVersion): FunctionSpec {
  const known = specs.get(v)
  if (known !== undefined && known.reservedConcurrency === fn.reservedConcurrency) return known
  const spec = makeSpec(fn, v)
  specs.set(v, spec)
  return spec
}

function makeSpec(fn: LambdaFunction, v: FunctionVersion): FunctionSpec {
  return {
    key: poolKey(fn, v), functionName: fn.name, functionArn: fn.arn, version: v.version,
    runtime: v.runtime ?? 'provided.al2023', handler: v.handler ?? '', codeDir: v.code.dir,
    layerDirs: v.layers.map((l) => l.dir), memoryMb: v.memorySize, timeoutSeconds: v.timeout,
    environment: v.environment, logGroup: v.logGroup, region: fn.region, account: fn.account, reservedConcurrency: fn.reservedConcurrency,
  }
}

export interface Invocation {
  fn: LambdaFunction
  version: FunctionVersion
  /** ARN as invoked: qualified by the alias or version the caller named. */
  invokedArn: string
  payload: Buffer
  requestId?: string
  clientContext?: string
  traceHeader?: string
}

export type Throttled = { throttled: ConcurrencyLimitError['reason'] }

/** Runs the function; a throttle comes back as data so sync and async callers can each handle it AWS's way. */
export async function runInvocation(ctx: LambdaContext, inv: Invocation): Promise<InvokeResult | Throttled> {
  const qualifier = ctx.state.arnRef(inv.invokedArn)?.qualifier
  const done = ctx.metrics?.start(inv.fn.account, inv.fn.region, inv.fn.name,
    qualifier === undefined ? inv.fn.name : `${inv.fn.name}:${qualifier}`, ctx.clock.now())
  const requestId = inv.requestId ?? randomUuid()
  let result: InvokeResult | Throttled
  // One async step from here to the runtime's answer (no inner async function awaited per invocation).
  try {
    const runtime = inv.version.runtime
    if (inv.fn.reservedConcurrency === 0) result = { throttled: 'ReservedFunctionConcurrentInvocationLimitExceeded' }
    else if (runtime === undefined || !isRunnableRuntime(runtime)) result = unsupportedRuntime(requestId, runtime)
    else {
      result = await ctx.runtime.invoke(functionSpec(inv.fn, inv.version), {
        requestId, payload: inv.payload, invokedFunctionArn: inv.invokedArn, clientContext: inv.clientContext,
        traceId: inv.traceHeader,
      })
    }
  } catch (error) {
    if (!(error instanceof ConcurrencyLimitError)) {
      done?.({ error: true })
      throw error
    }
    result = { throttled: error.reason }
  }
  if (isThrottled(result)) done?.({ throttled: true })
  else done?.({ error: result.outcome === 'error', durationMs: result.durationMs })
  return result
}

export function isThrottled(result: InvokeResult | Throttled): result is Throttled {
  return 'throttled' in result
}

export function throttleError(result: Throttled) {
  return lambdaErrors.tooManyRequests(result.throttled)
}

/** AWS accepts functions in runtimes Nimbus has no way to run; invoking one is a function error that says so. */
function unsupportedRuntime(requestId: string, runtime: string | undefined): InvokeResult {
  const payload = {
    errorType: 'Runtime.Unavailable',
    errorMessage: `RequestId: ${requestId} Error: Nimbus cannot run the ${runtime ?? 'unknown'} runtime; it runs ` +
      'every nodejs*.x and python3.* runtime, provided.al2 and provided.al2023.',
  }
  return { outcome: 'error', payload: Buffer.from(JSON.stringify(payload)), errorType: payload.errorType, log: '', durationMs: 0 }
}
