// Invoke (RequestResponse, Event, DryRun) and the legacy InvokeAsync.
import type { AsyncInvoker } from '../async-invoker.ts'
import type { LambdaContext } from '../context.ts'
import { lambdaErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { isThrottled, runInvocation, throttleError } from '../invoker.ts'
import { limits } from '../limits.ts'
import type { Operation } from '../../service.ts'
import { requireVersion } from './functions.ts'

function checkJson(payload: Buffer): void {
  if (payload.length === 0) return
  try {
    JSON.parse(payload.toString('utf8'))
  } catch (error) {
    throw lambdaErrors.invalidRequestContent(`Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`)
  }
}

/** The last 4 KB of the invocation's log, base64, as `LogType: Tail` returns it. */
function tail(log: string): string {
  const bytes = Buffer.from(log, 'utf8')
  return bytes.subarray(Math.max(0, bytes.length - limits.tailLogBytes)).toString('base64')
}

export function invokeOperations(ctx: LambdaContext, asyncInvoker: AsyncInvoker) {
  const invoke: Operation<T.InvocationRequest, T.InvocationResponse> = async (input, op) => {
    const { fn, qualifier } = ctx.state.resolve(input.FunctionName, input.Qualifier, op.caller.account, op.caller.region)
    const version = requireVersion(fn, qualifier)
    const type = input.InvocationType ?? 'RequestResponse'
    const payload = Buffer.from(input.Payload ?? new Uint8Array(0))
    const limit = type === 'Event' ? limits.asyncPayloadBytes : limits.syncPayloadBytes
    if (payload.length > limit) {
      throw lambdaErrors.requestTooLarge(`Request must be smaller than ${limit} bytes for the InvokeFunction operation`)
    }
    checkJson(payload)
    const body = payload.length === 0 ? Buffer.from('{}') : payload
    const invokedArn = qualifier === undefined ? fn.arn : fn.qualifiedArn(qualifier)
    if (type === 'DryRun') return { StatusCode: 204 }
    if (type === 'Event') {
      asyncInvoker.enqueue({ fn, version, qualifier: qualifier ?? '$LATEST', invokedArn, payload: body,
        // The id the caller was answered with is the one the function runs with, and its records carry.
        requestId: op.requestId })
      return { StatusCode: 202 }
    }
    const result = await runInvocation(ctx, {
      fn, version, invokedArn, payload: body, requestId: op.requestId, clientContext: input.ClientContext,
    })
    if (isThrottled(result)) throw throttleError(result)
    return {
      StatusCode: 200,
      FunctionError: result.outcome === 'error' ? 'Unhandled' : undefined,
      LogResult: input.LogType === 'Tail' ? tail(result.log) : undefined,
      Payload: result.payload,
      ExecutedVersion: version.version,
    }
  }

  const invokeAsync: Operation<T.InvokeAsyncRequest, T.InvokeAsyncResponse> = async (input, op) => {
    const args = input.InvokeArgs
    const payload = Buffer.isBuffer(args) ? args : Buffer.from(args as Uint8Array)
    await invoke({ FunctionName: input.FunctionName, InvocationType: 'Event', Payload: payload }, op)
    return { Status: 202 }
  }

  return { Invoke: invoke, InvokeAsync: invokeAsync }
}
