// UpdateUsage: "grants a temporary extension to the remaining quota of a usage plan associated with a
// specified API key" — patch `replace /keys/{keyId}/remaining` with the number of requests left in the
// current quota period; the answer is the key's usage today ([used, remaining], as GetUsage's).
import type { OperationContext } from '../../service.ts'
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { dayOf, remainingOn } from '../invoke/api-key.ts'
import type { ApiGatewayState } from '../store.ts'
import type { UsageState } from '../usage-store.ts'
import { invalidPatch } from './patch.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

export function updateUsageOperations(state: ApiGatewayState, usage: UsageState) {
  const updateUsage: Op<T.UpdateUsageRequest, T.Usage> = (input, ctx) => {
    const plan = usage.plans.get(input.usagePlanId)
    if (plan === undefined || plan.account !== ctx.caller.account || plan.region !== ctx.caller.region) throw apiGatewayErrors.usagePlanNotFound(input.usagePlanId)
    if (!plan.keyIds.includes(input.keyId)) throw apiGatewayErrors.usagePlanKeyNotFound()
    const today = dayOf(state.clock.now())
    // Every patch is checked before any applies.
    const targets: number[] = []
    for (const patch of input.patchOperations ?? []) {
      const path = patch.path ?? ''
      const key = /^\/keys\/([^/]+)\/remaining$/.exec(path)?.[1]
      if (patch.op !== 'replace' || key === undefined) throw invalidPatch(path, patch.op, ['/keys/{keyId}/remaining'])
      if (key !== input.keyId) throw apiGatewayErrors.badRequest(`Invalid patch path ${path}: the key must be ${input.keyId}`)
      const remaining = Number(patch.value)
      if (patch.value === undefined || !Number.isInteger(remaining) || remaining < 0) throw apiGatewayErrors.badRequest(`Invalid value for ${path}: ${patch.value ?? 'null'}`)
      // [R] A plan without a quota has nothing to extend.
      if (plan.quota?.limit === undefined) throw apiGatewayErrors.badRequest(`Usage plan ${plan.id} has no quota`)
      targets.push(remaining)
    }
    for (const remaining of targets) usage.grant(plan.id, input.keyId, today, remaining - remainingOn(usage, plan, input.keyId, today))
    return {
      usagePlanId: plan.id, startDate: today, endDate: today,
      items: { [input.keyId]: [[usage.usedOn(plan.id, input.keyId, today), remainingOn(usage, plan, input.keyId, today)]] },
    }
  }
  return { UpdateUsage: updateUsage }
}
