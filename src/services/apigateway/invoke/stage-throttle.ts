// A stage's method throttling (UpdateStage's `throttling/rateLimit` and `throttling/burstLimit`):
// each method has its own token bucket with the limits of its own method setting, else those of
// `*/*` (the stage's default for every method); an empty bucket answers 429 Too Many Requests.
import type { ApiGatewayState } from '../store.ts'
import type { InvokeContext } from './request-context.ts'

/** The methodSettings key of a resource path and method: `~1pets/GET` (the root: `~1/GET`) [R]. */
export function methodSettingKey(resourcePath: string, httpMethod: string): string {
  return `${resourcePath.replace(/\//g, '~1')}/${httpMethod}`
}

/** True when the stage's throttle refuses this request (it has taken a token otherwise). */
export function stageThrottled(state: ApiGatewayState, ctx: InvokeContext): boolean {
  const settings = ctx.stage.methodSettings
  if (settings === undefined) return false
  const key = methodSettingKey(ctx.route.resource.path, ctx.route.method.httpMethod)
  const own = settings[key]
  const all = settings['*/*']
  const rate = own?.throttlingRateLimit ?? all?.throttlingRateLimit
  const burst = own?.throttlingBurstLimit ?? all?.throttlingBurstLimit
  if (rate === undefined && burst === undefined) return false
  return !state.stageBuckets.take(`${ctx.api.id}/${ctx.stage.stageName}/${key}`, rate ?? 10_000, burst ?? 5_000, ctx.now)
}
