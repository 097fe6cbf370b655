// The narrow port other services use to reach Lambda: asynchronous invocation (SNS, S3 and
// EventBridge invoke functions this way on AWS), with Lambda's own retries, DLQ and destinations.
import { randomUUID } from 'node:crypto'
import type { AsyncInvoker } from './async-invoker.ts'
import { lambdaErrors } from './errors.ts'
import type { LambdaState } from './store.ts'

export interface LambdaPort {
  /** Whether a function (optionally qualified by version or alias) exists. */
  exists(functionArn: string): boolean
  /**
   * Queues an asynchronous invocation, as `InvocationType: Event` does; returns the request id.
   * Throws ResourceNotFoundException when the function does not exist.
   */
  invokeAsync(functionArn: string, payload: string): string
}

export function createLambdaPort(state: LambdaState, invoker: AsyncInvoker): LambdaPort {
  const resolve = (arn: string) => {
    const fn = state.findByArn(arn)
    const qualifier = /:function:[^:]+:([^:]+)$/.exec(arn)?.[1]
    const version = fn?.version(qualifier)
    return fn === undefined || version === undefined ? undefined : { fn, version, qualifier }
  }
  return {
    exists: (arn) => resolve(arn) !== undefined,
    invokeAsync: (arn, payload) => {
      const target = resolve(arn)
      if (target === undefined) throw lambdaErrors.functionNotFound(arn)
      const requestId = randomUUID()
      invoker.enqueue({
        fn: target.fn, version: target.version, qualifier: target.qualifier ?? '$LATEST',
        invokedArn: arn, payload: Buffer.from(payload), requestId,
      })
      return requestId
    },
  }
}
