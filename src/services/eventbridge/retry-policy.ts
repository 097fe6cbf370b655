// A target's RetryPolicy as data for the fabric (aws-behaviour.md §5.3): 185 retries and 24 hours
// by default, exponential back-off from 1 s doubling to 5 minutes (AWS adds full jitter; Nimbus
// only when the embedder installs a jitter hook), a retry due at exactly the maximum age still runs.
import type { RetryPolicy } from '../../fabric/policy.ts'
import type * as T from './generated/types.ts'
import { limits } from './limits.ts'

export function targetRetryPolicy(policy: T.RetryPolicy | undefined): RetryPolicy {
  return {
    maxRetries: policy?.MaximumRetryAttempts ?? limits.defaultMaximumRetryAttempts,
    backoff: { kind: 'exponential', firstMs: limits.firstRetryDelayMs, factor: 2, capMs: limits.maxRetryDelayMs },
    maxAgeMs: (policy?.MaximumEventAgeInSeconds ?? limits.defaultMaximumEventAgeSeconds) * 1000,
    retryAtMaxAge: true,
    jitter: 'full',
  }
}
