// Lambda's asynchronous-invocation retry policy as data for the fabric (aws-behaviour.md §2.5): two
// retries by default, ~1 minute then ~2 minutes apart; throttles and system errors back off from
// 1 s doubling to 5 minutes without using up retries; at most 6 hours old by default, and a retry
// due exactly at the maximum age is already too late.
import type { RetryPolicy } from '../../fabric/policy.ts'
import { limits } from './limits.ts'

export function asyncRetryPolicy(maximumRetryAttempts?: number, maximumEventAgeInSeconds?: number): RetryPolicy {
  return {
    maxRetries: maximumRetryAttempts ?? limits.defaultRetryAttempts,
    backoff: { kind: 'fixed', delaysMs: [60_000, 120_000] },
    throttle: { kind: 'exponential', firstMs: 1_000, factor: 2, capMs: 300_000 },
    maxAgeMs: (maximumEventAgeInSeconds ?? limits.defaultMaxEventAgeSeconds) * 1000,
    retryAtMaxAge: false,
  }
}
