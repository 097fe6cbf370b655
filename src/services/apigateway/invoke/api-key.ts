// API keys and usage plans at request time, for a method with `apiKeyRequired`: the key (the
// `x-api-key` header, or the Lambda authorizer's `usageIdentifierKey` when the API's apiKeySource is
// AUTHORIZER) must exist, be enabled and belong to a usage plan naming this API and stage (else 403
// Forbidden); then the plan's throttle (429 Too Many Requests) and quota (429 Limit Exceeded) apply,
// counted on Nimbus's clock.
import type { HttpResponse } from '../../../protocol/http.ts'
import type * as T from '../generated/types.ts'
import type { ApiKeyData, UsagePlanData, UsageState } from '../usage-store.ts'
import { gatewayResponses, type ResponseIds } from './gateway-responses.ts'
import type { InvokeContext } from './request-context.ts'
import type { UsageMeterRequest, UsageVerdict } from '../port.ts'

const dayMs = 86_400_000
/** The UTC day (`2026-12-05`) usage is counted under. */
export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** Either the answer ending the request, or the key that was metered. */
export type Metering = { denied: HttpResponse } | { key: ApiKeyData }

export function meter(usage: UsageState, ctx: InvokeContext, usageIdentifierKey: string | undefined, ids: ResponseIds): Metering | undefined {
  if (!ctx.route.method.apiKeyRequired) return undefined
  const value = ctx.api.apiKeySource === 'AUTHORIZER' ? usageIdentifierKey : ctx.request.headers['x-api-key']
  // A per-method throttle of the plan's API stage (`/{resource path}/{METHOD}`) replaces the plan's [R].
  // The root's key is `//GET` in AWS's guide; `/GET` is read too (meterKey).
  const methodKey = `${ctx.route.resource.path}/${ctx.route.method.httpMethod}`
  const verdict = meterKey(usage, { account: ctx.api.account, region: ctx.api.region, apiId: ctx.api.id, stage: ctx.stage.stageName, value, now: ctx.now, methodKey })
  if ('key' in verdict) return { key: verdict.key }
  const answers = { forbidden: gatewayResponses.invalidApiKey, throttled: gatewayResponses.throttled, quota: gatewayResponses.quotaExceeded }
  return { denied: answers[verdict.denied](ids) }
}

/**
 * The key (its value as the request carried it) must exist, be enabled and belong to a usage plan
 * naming the API's stage; then the plan's throttle and quota apply, and the request is counted.
 * Shared with WebSocket APIs' `$connect` (through the port): `methodKey` only for REST methods.
 */
export function meterKey(usage: UsageState, request: UsageMeterRequest): { key: ApiKeyData } | Extract<UsageVerdict, { denied: string }> {
  const { value, apiId, stage, now } = request
  const key = value === undefined || value === '' ? undefined
    : usage.keysOf(request.account, request.region).find((k) => k.value === value)
  if (key === undefined || !key.enabled) return { denied: 'forbidden' }
  const plan = usage.plansOf(request.account, request.region)
    .find((p) => p.keyIds.includes(key.id) && p.apiStages.some((s) => s.apiId === apiId && s.stage === stage))
  if (plan === undefined) return { denied: 'forbidden' }
  const methodKey = request.methodKey
  const stageThrottles = methodKey === undefined ? undefined : plan.apiStages.find((s) => s.apiId === apiId && s.stage === stage)?.throttle
  const methodThrottle = methodKey === undefined ? undefined : stageThrottles?.[methodKey] ?? (methodKey.startsWith('//') ? stageThrottles?.[methodKey.slice(1)] : undefined)
  const throttle = methodThrottle ?? plan.throttle
  if (throttle !== undefined && throttle.rateLimit !== undefined) {
    const bucket = methodThrottle === undefined ? `${plan.id}/${key.id}` : `${plan.id}/${key.id}/${apiId}/${stage}${methodKey}`
    if (!usage.buckets.take(bucket, throttle.rateLimit, throttle.burstLimit ?? 0, now)) return { denied: 'throttled' }
  }
  if (plan.quota?.limit !== undefined && plan.quota.period !== undefined) {
    const used = usage.used(plan.id, key.id, quotaWindowStart(plan.quota, now), dayOf(now))
    if (used >= plan.quota.limit) return { denied: 'quota' }
  }
  usage.count(plan.id, key.id, now)
  return { key }
}

/**
 * The first day (`YYYY-MM-DD`, UTC) of the quota period holding `now`. `offset` is the day the period
 * starts: for WEEK 0 is Sunday, 1 Monday…; for MONTH the days after the 1st [R]; DAY has none.
 */
export function quotaWindowStart(quota: T.QuotaSettings, now: number): string {
  const offset = quota.offset ?? 0
  const today = new Date(now)
  if (quota.period === 'WEEK') {
    const back = (today.getUTCDay() - offset + 7) % 7
    return dayOf(now - back * dayMs)
  }
  if (quota.period === 'MONTH') {
    const y = today.getUTCFullYear()
    const m = today.getUTCMonth()
    const thisMonth = Date.UTC(y, m, 1 + offset)
    return dayOf(thisMonth <= now ? thisMonth : Date.UTC(y, m - 1, 1 + offset))
  }
  return dayOf(now)
}

/** What's left of a plan key's quota at the end of `day` (GetUsage's second number). */
export function remainingOn(usage: UsageState, plan: UsagePlanData, keyId: string, day: string): number {
  if (plan.quota?.limit === undefined) return 0
  const end = Date.parse(`${day}T23:59:59.999Z`)
  return Math.max(0, plan.quota.limit - usage.used(plan.id, keyId, quotaWindowStart(plan.quota, end), day))
}
