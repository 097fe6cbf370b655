// API Gateway's account-level throttle: one token bucket per account and region shared by every REST
// and HTTP API in it (AWS's quota "per account, per Region across HTTP APIs, REST APIs, WebSocket
// APIs": 10,000 requests per second, bursts of 5,000), on Nimbus's clock. Both API Gateway services
// take from the same instance, which the composition root makes.
import { TokenBuckets } from './token-buckets.ts'

export interface ThrottleLimits {
  rateLimit: number
  burstLimit: number
}

/** AWS's default account quota. */
export const accountThrottleDefaults: ThrottleLimits = { rateLimit: 10_000, burstLimit: 5_000 }

export class ApiAccountThrottle {
  readonly limits: ThrottleLimits
  private readonly buckets = new TokenBuckets()

  constructor(limits: ThrottleLimits = accountThrottleDefaults) {
    this.limits = limits
  }

  /** Takes a token for one request to any API of the account in the region; false: throttled (429). */
  take(account: string, region: string, now: number): boolean {
    return this.buckets.take(`${account}:${region}`, this.limits.rateLimit, this.limits.burstLimit, now)
  }

  clear(): void {
    this.buckets.clear()
  }
}
