// Lambda's port (port.ts) implemented over its state and asynchronous invoker.
import { randomUUID } from 'node:crypto'
import type { AsyncInvoker } from './async-invoker.ts'
import type { LambdaContext } from './context.ts'
import { lambdaErrors } from './errors.ts'
import { isThrottled, runInvocation } from './invoker.ts'
import type { LambdaState } from './store.ts'
import type { LambdaFunction } from './function.ts'
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
  const policyTexts = new WeakMap<LambdaFunction, { revision: number; text: string | undefined }>()
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
    policy: (arn) => {
      const fn = resolve(arn)?.fn
      if (fn === undefined) return undefined
      // Serialised once per policy revision (API Gateway asks on every request under --enforce-iam): the same string
      // comes back until AddPermission or RemovePermission changes the policy, so callers may cache by it.
      let cached = policyTexts.get(fn)
      if (cached === undefined || cached.revision !== fn.policyRevision) {
        cached = { revision: fn.policyRevision, text: fn.policy.length === 0 ? undefined : JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: fn.policy }) }
        policyTexts.set(fn, cached)
      }
      return cached.text
    },
    metrics: lambdaMetricSource(ctx.metrics ?? new LambdaMetricLog(ctx.clock, () => {})),
  }
}
