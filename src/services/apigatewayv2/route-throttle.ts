// HTTP API stage throttling: a route's own RouteSettings (by route key), else the stage's
// DefaultRouteSettings, give its ThrottlingRateLimit (requests per second) and ThrottlingBurstLimit;
// each route of a stage has its own token bucket on the clock, and an empty one answers 429
// `{"message":"Too Many Requests"}`. Settings are validated as CreateStage/UpdateStage take them.
import { TokenBuckets } from '../../core/token-buckets.ts'
import { apiGatewayV2Errors } from './errors.ts'
import type { RouteSettingsData, StageData } from './data.ts'
import type * as T from './generated/types.ts'

/** The settings as stored: limits checked (AWS: rate ≥ 0, burst ≥ 0) [R: the message]. */
export function routeSettingsFrom(input: T.RouteSettings, where: string): RouteSettingsData {
  const out: RouteSettingsData = {}
  for (const [name, value] of [['ThrottlingRateLimit', input.ThrottlingRateLimit], ['ThrottlingBurstLimit', input.ThrottlingBurstLimit]] as const) {
    if (value === undefined) continue
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw apiGatewayV2Errors.badRequest(`${where}: ${name} must be a non-negative number`)
    }
  }
  if (input.ThrottlingRateLimit !== undefined) out.throttlingRateLimit = input.ThrottlingRateLimit
  if (input.ThrottlingBurstLimit !== undefined) out.throttlingBurstLimit = Math.floor(input.ThrottlingBurstLimit)
  if (input.DetailedMetricsEnabled !== undefined) out.detailedMetricsEnabled = input.DetailedMetricsEnabled
  if (input.LoggingLevel !== undefined) out.loggingLevel = input.LoggingLevel
  if (input.DataTraceEnabled !== undefined) out.dataTraceEnabled = input.DataTraceEnabled
  return out
}

/** As GetStage shows them. */
export function routeSettingsView(settings: RouteSettingsData | undefined): T.RouteSettings {
  return {
    DetailedMetricsEnabled: settings?.detailedMetricsEnabled ?? false,
    ...(settings?.throttlingRateLimit !== undefined && { ThrottlingRateLimit: settings.throttlingRateLimit }),
    ...(settings?.throttlingBurstLimit !== undefined && { ThrottlingBurstLimit: settings.throttlingBurstLimit }),
    ...(settings?.loggingLevel !== undefined && { LoggingLevel: settings.loggingLevel as T.LoggingLevel }),
    ...(settings?.dataTraceEnabled !== undefined && { DataTraceEnabled: settings.dataTraceEnabled }),
  }
}

export class RouteThrottle {
  private readonly buckets = new TokenBuckets()

  /** True when the stage's throttle refuses a request to `routeKey` (it has taken a token otherwise). */
  refuses(apiId: string, stage: StageData, routeKey: string, now: number): boolean {
    const own = stage.routeSettings?.[routeKey]
    const all = stage.defaultRouteSettings
    const rate = own?.throttlingRateLimit ?? all?.throttlingRateLimit
    const burst = own?.throttlingBurstLimit ?? all?.throttlingBurstLimit
    if (rate === undefined && burst === undefined) return false
    // AWS's account defaults stand in for the one not set (10,000 requests a second, burst 5,000).
    // New limits start a new, full bucket [R].
    const r = rate ?? 10_000
    const b = burst ?? 5_000
    return !this.buckets.take(`${apiId}/${stage.name}/${routeKey}/${r}/${b}`, r, b, now)
  }

  clear(): void {
    this.buckets.clear()
  }
}
