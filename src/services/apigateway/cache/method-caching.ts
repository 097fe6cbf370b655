// Whether and how one request uses its stage's cache: the method's caching settings (its own, else
// `*/*`'s, which AWS applies to GET methods only), the cache key (method, resource and the
// integration's `cacheKeyParameters`), and a `Cache-Control: max-age=0` invalidation as the method's
// per-key invalidation settings allow ("Cache settings for REST APIs in API Gateway").
import type { HttpResponse } from '../../../protocol/http.ts'
import type * as T from '../generated/types.ts'
import type { StageData } from '../store.ts'
import { methodArn } from '../../api-gateway-authorizer-policy.ts'
import { idHeaders, type ResponseIds } from '../invoke/gateway-responses.ts'
import type { InvokeContext } from '../invoke/request-context.ts'
import { methodSettingKey } from '../invoke/stage-throttle.ts'
import { stageCacheId } from './stage-cache.ts'

/** How long a cache cluster takes to become AVAILABLE once enabled or resized (AWS: "up to 4 minutes") [R: Nimbus's pick]. */
export const cacheProvisionMs = 60_000

/** GetStage's `cacheClusterStatus`, read off the clock: a cluster enabled or resized is CREATE_IN_PROGRESS for a minute. */
export function cacheClusterStatus(stage: StageData, now: number): T.CacheClusterStatus {
  if (!stage.cacheClusterEnabled) return 'NOT_AVAILABLE'
  const since = stage.cacheClusterSince ?? 0
  return now - since < cacheProvisionMs ? 'CREATE_IN_PROGRESS' : 'AVAILABLE'
}

export type CachePlan =
  | { stage: string; key: string; ttlMs: number; invalidate: boolean; warning: boolean }
  | { refused: HttpResponse }

/** Undefined when the request doesn't touch the cache (no available cluster, caching off for the method, TTL 0). */
export function cachePlan(ctx: InvokeContext, ids: ResponseIds): CachePlan | undefined {
  const { stage, route, request } = ctx
  if (cacheClusterStatus(stage, ctx.now) !== 'AVAILABLE') return undefined
  const settings = stage.methodSettings ?? {}
  const own = settings[methodSettingKey(route.resource.path, route.method.httpMethod)]
  // `*/*` (the stage's default method setting) turns caching on for GET methods only, as AWS does.
  const setting = own ?? (request.method === 'GET' ? settings['*/*'] : undefined)
  if (setting?.cachingEnabled !== true) return undefined
  const ttlSeconds = setting.cacheTtlInSeconds ?? 300
  if (ttlSeconds <= 0) return undefined
  const plan = { stage: stageCacheId(ctx.api.id, stage.stageName), key: cacheKey(ctx), ttlMs: ttlSeconds * 1000, invalidate: false, warning: false }
  if (!wantsInvalidation(request.headers['cache-control'])) return plan
  // Without "Require authorization" any client may invalidate its entry.
  if (setting.requireAuthorizationForCacheControl === false) return { ...plan, invalidate: true }
  // With it, only a SigV4-signed caller allowed execute-api:InvalidateCache may (root keys always;
  // IAM users and roles as `--enforce-iam` evaluates them); others get the method's strategy.
  const caller = ctx.checkSignature?.(request, 'InvalidateCache')
  if (caller?.kind === 'signed' && caller.denied === undefined) return { ...plan, invalidate: true }
  switch (setting.unauthorizedCacheControlHeaderStrategy ?? 'SUCCEED_WITH_RESPONSE_HEADER') {
    case 'FAIL_WITH_403': return { refused: invalidationDenied(ctx, ids, caller?.kind === 'signed' ? caller.arn : 'anonymous') }
    case 'SUCCEED_WITHOUT_RESPONSE_HEADER': return plan
    default: return { ...plan, warning: true }
  }
}

/** `Cache-Control: max-age=0` among the header's directives. */
function wantsInvalidation(header: string | undefined): boolean {
  return header !== undefined && header.split(',').some((d) => /^\s*max-age\s*=\s*"?0"?\s*$/i.test(d))
}

/**
 * The request's method, the integration's cache namespace (the resource id by default; resources
 * sharing one share entries) and each cache key parameter's value — not the request path: `/items/1`
 * and `/items/2` share an entry unless `method.request.path.id` is a cache key parameter, as on AWS.
 */
function cacheKey(ctx: InvokeContext): string {
  const { route, request } = ctx
  const integration = route.method.integration
  const parts = [request.method, integration?.cacheNamespace ?? route.resource.id]
  for (const parameter of [...(integration?.cacheKeyParameters ?? [])].sort()) parts.push(`${parameter}=${JSON.stringify(parameterValue(ctx, parameter) ?? null)}`)
  return parts.join('\n')
}

function parameterValue(ctx: InvokeContext, parameter: string): string | string[] | undefined {
  const m = /^method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.(.+)$/.exec(parameter)
  if (m === null) return undefined
  const [, kind, name] = m as unknown as [string, string, string]
  switch (kind) {
    case 'path': return ctx.route.pathParameters[name]
    case 'querystring': return ctx.request.query.getAll(name).at(-1)
    case 'multivaluequerystring': return ctx.request.query.getAll(name)
    default: return ctx.request.headers[name.toLowerCase()]
  }
}

/** [R] FAIL_WITH_403: AWS's IAM denial for the InvalidateCache action on the method's ARN. */
function invalidationDenied(ctx: InvokeContext, ids: ResponseIds, user: string): HttpResponse {
  const arn = methodArn(ctx.api.region, ctx.api.account, ctx.api.id, ctx.stage.stageName, ctx.request.method, ctx.target.path)
  return {
    status: 403,
    headers: { 'content-type': 'application/json', ...idHeaders(ids), 'x-amzn-errortype': 'AccessDeniedException' },
    body: JSON.stringify({ Message: `User: ${user} is not authorized to perform: execute-api:InvalidateCache on resource: ${arn}` }),
  }
}

/** [R] SUCCEED_WITH_RESPONSE_HEADER's warning that the Cache-Control header was ignored. */
export const ignoredCacheControlWarning = '199 - "Cache-control headers were ignored because the caller was unauthorized."'
