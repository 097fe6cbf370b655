// Lambda's port (port.ts) implemented over its state and asynchronous invoker.
import { randomUUID } from 'node:crypto'
import type { AsyncInvoker } from './async-invoker.ts'
import type { LambdaContext } from './context.ts'
import { lambdaErrors } from './errors.ts'
import { isThrottled, runInvocation } from './invoker.ts'
import type { LambdaState } from './store.ts'
import type { LambdaPort } from './port.ts'
import { lambdaMetricSource } from './metric-source.ts'
import { LambdaMetricLog } from './metric-log.ts'

export function createLambdaPort(state: LambdaState, invoker: AsyncInvoker, ctx: LambdaContext): LambdaPort {
  const resolve = (arn: string) => {
    const fn = state.findByArn(arn)
    const qualifier = state.arnRef(arn)?.qualifier
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
    invoke: async (arn, payload) => {
      const target = resolve(arn)
      if (target === undefined) throw lambdaErrors.functionNotFound(arn)
      const result = await runInvocation(ctx, { fn: target.fn, version: target.version, invokedArn: arn, payload: Buffer.from(payload) })
      if (isThrottled(result)) return { outcome: 'throttled', payload: Buffer.alloc(0) }
      return { outcome: result.outcome, payload: result.payload }
    },
    // The same string until AddPermission or RemovePermission changes the policy (LambdaFunction.policyText).
    policy: (arn) => resolve(arn)?.fn.policyText(),
    metrics: lambdaMetricSource(ctx.metrics ?? new LambdaMetricLog(ctx.clock, () => {})),
  }
}
