// The stage cache in front of the integration: a hit answers the stored method response without
// calling the backend; a miss (or an allowed invalidation) calls it and stores what it answered.
import type { HttpResponse } from '../../../protocol/http.ts'
import { idHeaders, isGatewayMade, type ResponseIds } from '../invoke/gateway-responses.ts'
import type { InvokeContext } from '../invoke/request-context.ts'
import { type CachePlan, cachePlan, ignoredCacheControlWarning } from './method-caching.ts'
import type { StageCache } from './stage-cache.ts'
import type { CloudWatchPort } from '../../cloudwatch/port.ts'
import { publishCacheCount } from './cache-metrics.ts'

export interface CacheDeps {
  cache: StageCache
  now: () => number
  /** Publishes CacheHitCount/CacheMissCount (CloudWatch's port, when Nimbus has one). */
  cloudwatch?: CloudWatchPort
}

/** Without a cache plan (no cluster, caching off for the method) the integration's promise is returned as it is. */
export function throughCache(deps: CacheDeps, ctx: InvokeContext, ids: ResponseIds, integrate: () => Promise<HttpResponse>): Promise<HttpResponse> {
  // A canary without `useStageCache` neither reads nor fills the stage's cache.
  if (ctx.canary === true && ctx.stage.canarySettings?.useStageCache !== true) return integrate()
  const plan = cachePlan(ctx, ids)
  if (plan === undefined) return integrate()
  if ('refused' in plan) return Promise.resolve(plan.refused)
  return cached(deps, ctx, ids, integrate, plan)
}

async function cached(deps: CacheDeps, ctx: InvokeContext, ids: ResponseIds, integrate: () => Promise<HttpResponse>,
  plan: Exclude<CachePlan, { refused: HttpResponse }>): Promise<HttpResponse> {
  const { cache, now } = deps
  const warning: Record<string, string> = plan.warning ? { warning: ignoredCacheControlWarning } : {}
  const hit = plan.invalidate ? undefined : cache.get(plan.stage, plan.key, ctx.now)
  cache.count(plan.stage, hit !== undefined)
  // The execution log tells hits from misses [R: AWS's wording].
  ;(ctx.notes ??= []).push(hit !== undefined ? `Cache hit for key: ${plan.key}` : `Cache miss for key: ${plan.key}`)
  if (deps.cloudwatch !== undefined) publishCacheCount(deps.cloudwatch, ctx, hit !== undefined)
  if (hit !== undefined) {
    // The stored answer with this request's own ids.
    const headers: Record<string, string> = { ...hit.headers, ...idHeaders(ids), ...warning }
    delete headers['x-amzn-trace-id']
    return { status: hit.status, headers, body: hit.body }
  }
  const response = await integrate()
  // The gateway's own errors (a timeout, a malformed Lambda answer…) are not the endpoint's response: never cached [R].
  if (!isGatewayMade(response)) cache.put(plan.stage, plan.key, response, now() + plan.ttlMs)
  Object.assign(response.headers, warning)
  return response
}
