// Usage plans (throttle, quota, API stages), their keys (UsagePlanKeys) and GetUsage — each plan
// key's requests per day, counted at request time on Nimbus's clock.
import type { OperationContext } from '../../service.ts'
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { newId } from '../ids.ts'
import { remainingOn } from '../invoke/api-key.ts'
import type { ApiGatewayState } from '../store.ts'
import type { UsagePlanData, UsageState } from '../usage-store.ts'
import { patchStageThrottle } from './usage-plan-throttle.ts'
import { page } from './views.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

const periods = new Set(['DAY', 'WEEK', 'MONTH'])
const dayMs = 86_400_000

function planView(plan: UsagePlanData): T.UsagePlan {
  return {
    id: plan.id, name: plan.name, description: plan.description, apiStages: plan.apiStages, throttle: plan.throttle, quota: plan.quota,
    tags: Object.keys(plan.tags).length > 0 ? plan.tags : undefined,
  }
}

/** [R] AWS's checks on a quota: a period, a non-negative limit, an offset within the period. */
function validateQuota(quota: T.QuotaSettings | undefined): void {
  if (quota === undefined) return
  if (!periods.has(quota.period ?? '')) throw apiGatewayErrors.badRequest('Quota period must be one of DAY, WEEK or MONTH')
  if ((quota.limit ?? 0) < 0) throw apiGatewayErrors.badRequest('Quota limit must be a non-negative number')
  const maxOffset = quota.period === 'DAY' ? 0 : quota.period === 'WEEK' ? 6 : 27
  const offset = quota.offset ?? 0
  if (offset < 0 || offset > maxOffset) throw apiGatewayErrors.badRequest(`Quota offset must be between 0 and ${maxOffset} for period ${quota.period}`)
}

/** `webSocketStage`: whether a WebSocket API (apigatewayv2) of the caller has that stage; usage plans may name them too. */
export function usagePlanOperations(state: ApiGatewayState, usage: UsageState,
  webSocketStage?: (account: string, region: string, apiId: string, stage: string) => boolean) {
  const find = (id: string, ctx: OperationContext): UsagePlanData => {
    const plan = usage.plans.get(id)
    if (plan === undefined || plan.account !== ctx.caller.account || plan.region !== ctx.caller.region) throw apiGatewayErrors.usagePlanNotFound(id)
    return plan
  }
  const checkStage = (s: T.ApiStage, ctx: OperationContext): T.ApiStage => {
    if (webSocketStage?.(ctx.caller.account, ctx.caller.region, s.apiId ?? '', s.stage ?? '') === true) return { apiId: s.apiId, stage: s.stage, throttle: s.throttle }
    state.stage(state.api(ctx.caller.account, ctx.caller.region, s.apiId ?? ''), s.stage ?? '')
    return { apiId: s.apiId, stage: s.stage, throttle: s.throttle }
  }

  const createUsagePlan: Op<T.CreateUsagePlanRequest, T.UsagePlan> = (input, ctx) => {
    validateQuota(input.quota)
    let id = newId(6)
    while (usage.plans.has(id)) id = newId(6)
    const plan: UsagePlanData = {
      account: ctx.caller.account, region: ctx.caller.region, id, name: input.name, description: input.description,
      apiStages: (input.apiStages ?? []).map((s) => checkStage(s, ctx)), throttle: input.throttle,
      quota: input.quota === undefined ? undefined : { ...input.quota, offset: input.quota.offset ?? 0 }, tags: input.tags ?? {}, keyIds: [],
    }
    usage.plans.set(id, plan)
    usage.savePlan(plan)
    return planView(plan)
  }

  const getUsagePlan: Op<T.GetUsagePlanRequest, T.UsagePlan> = (input, ctx) => planView(find(input.usagePlanId, ctx))

  const getUsagePlans: Op<T.GetUsagePlansRequest, T.UsagePlans> = (input, ctx) => {
    const all = usage.plansOf(ctx.caller.account, ctx.caller.region).filter((p) => input.keyId === undefined || p.keyIds.includes(input.keyId))
    const { items, position } = page(all, input.position, input.limit)
    return { items: items.map(planView), position }
  }

  const updateUsagePlan: Op<T.UpdateUsagePlanRequest, T.UsagePlan> = (input, ctx) => {
    const plan = structuredClone(find(input.usagePlanId, ctx))
    for (const patch of input.patchOperations ?? []) {
      const path = patch.path ?? ''
      const number = Number(patch.value)
      if (patchStageThrottle(plan.apiStages, patch)) continue
      if (patch.op === 'replace' && path === '/name') plan.name = patch.value ?? plan.name
      else if (patch.op === 'replace' && path === '/description') plan.description = patch.value
      else if (patch.op === 'replace' && path === '/throttle/rateLimit') plan.throttle = { ...plan.throttle, rateLimit: number }
      else if (patch.op === 'replace' && path === '/throttle/burstLimit') plan.throttle = { ...plan.throttle, burstLimit: number }
      else if (patch.op === 'replace' && path === '/quota/limit') plan.quota = { ...plan.quota, limit: number }
      else if (patch.op === 'replace' && path === '/quota/offset') plan.quota = { ...plan.quota, offset: number }
      else if (patch.op === 'replace' && path === '/quota/period') plan.quota = { ...plan.quota, period: patch.value as T.QuotaPeriodType }
      else if (patch.op === 'remove' && path === '/throttle') plan.throttle = undefined
      else if (patch.op === 'remove' && path === '/quota') plan.quota = undefined
      else if ((patch.op === 'add' || patch.op === 'remove') && path === '/apiStages') {
        const [apiId = '', stage = ''] = (patch.value ?? '').split(':')
        plan.apiStages = plan.apiStages.filter((s) => !(s.apiId === apiId && s.stage === stage))
        if (patch.op === 'add') plan.apiStages.push(checkStage({ apiId, stage }, ctx))
      } else throw apiGatewayErrors.badRequest(`Invalid patch path ${path}`)
    }
    validateQuota(plan.quota)
    usage.plans.set(plan.id, plan)
    usage.savePlan(plan)
    return planView(plan)
  }

  const deleteUsagePlan: Op<T.DeleteUsagePlanRequest, void> = (input, ctx) => {
    find(input.usagePlanId, ctx)
    usage.deletePlan(input.usagePlanId)
  }

  const planKeyView = (keyId: string): T.UsagePlanKey => {
    const key = usage.keys.get(keyId)
    return { id: keyId, type: 'API_KEY', value: key?.value, name: key?.name }
  }

  const createUsagePlanKey: Op<T.CreateUsagePlanKeyRequest, T.UsagePlanKey> = (input, ctx) => {
    const plan = find(input.usagePlanId, ctx)
    if (input.keyType !== 'API_KEY') throw apiGatewayErrors.badRequest(`Invalid key type ${input.keyType}; the only valid type is API_KEY`)
    const key = usage.keys.get(input.keyId)
    if (key === undefined || key.account !== plan.account || key.region !== plan.region) throw apiGatewayErrors.apiKeyNotFound()
    if (plan.keyIds.includes(key.id)) throw apiGatewayErrors.conflict('Usage Plan Key already exists')
    plan.keyIds.push(key.id)
    usage.savePlan(plan)
    return planKeyView(key.id)
  }

  const getUsagePlanKey: Op<T.GetUsagePlanKeyRequest, T.UsagePlanKey> = (input, ctx) => {
    if (!find(input.usagePlanId, ctx).keyIds.includes(input.keyId)) throw apiGatewayErrors.usagePlanKeyNotFound()
    return planKeyView(input.keyId)
  }

  const getUsagePlanKeys: Op<T.GetUsagePlanKeysRequest, T.UsagePlanKeys> = (input, ctx) => {
    const all = find(input.usagePlanId, ctx).keyIds.map(planKeyView)
      .filter((k) => input.nameQuery === undefined || (k.name ?? '').startsWith(input.nameQuery))
    const { items, position } = page(all, input.position, input.limit)
    return { items, position }
  }

  const deleteUsagePlanKey: Op<T.DeleteUsagePlanKeyRequest, void> = (input, ctx) => {
    const plan = find(input.usagePlanId, ctx)
    if (!plan.keyIds.includes(input.keyId)) throw apiGatewayErrors.usagePlanKeyNotFound()
    plan.keyIds = plan.keyIds.filter((id) => id !== input.keyId)
    usage.savePlan(plan)
  }

  /** Per key of the plan (or the one asked for), `[used, remaining]` for each day from startDate to endDate. */
  const getUsage: Op<T.GetUsageRequest, T.Usage> = (input, ctx) => {
    const plan = find(input.usagePlanId, ctx)
    const start = Date.parse(`${input.startDate}T00:00:00Z`)
    const end = Date.parse(`${input.endDate}T00:00:00Z`)
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.startDate) || !/^\d{4}-\d{2}-\d{2}$/.test(input.endDate) || Number.isNaN(start) || Number.isNaN(end)) {
      throw apiGatewayErrors.badRequest('Invalid date format; dates must be yyyy-MM-dd')
    }
    if (end < start) throw apiGatewayErrors.badRequest('The usage end date must not be before its start date')
    const days: string[] = []
    for (let t = start; t <= end && days.length < 90; t += dayMs) days.push(new Date(t).toISOString().slice(0, 10))
    const keyIds = input.keyId === undefined ? plan.keyIds : plan.keyIds.filter((id) => id === input.keyId)
    const items: Record<string, number[][]> = {}
    for (const keyId of keyIds) items[keyId] = days.map((day) => [usage.usedOn(plan.id, keyId, day), remainingOn(usage, plan, keyId, day)])
    return { usagePlanId: plan.id, startDate: input.startDate, endDate: input.endDate, items }
  }

  return {
    CreateUsagePlan: createUsagePlan, GetUsagePlan: getUsagePlan, GetUsagePlans: getUsagePlans, UpdateUsagePlan: updateUsagePlan,
    DeleteUsagePlan: deleteUsagePlan, CreateUsagePlanKey: createUsagePlanKey, GetUsagePlanKey: getUsagePlanKey,
    GetUsagePlanKeys: getUsagePlanKeys, DeleteUsagePlanKey: deleteUsagePlanKey, GetUsage: getUsage,
  }
}
