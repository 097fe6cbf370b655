// The retry decision, as a pure function of the policy, what has happened so far and the clock:
// retry at a due time, or stop with the condition that ended the delivery.
import type { DeliveryFailure } from './failure.ts'
import { delayFor, type JitterHook, type RetryPolicy } from './policy.ts'
import type { Condition } from './types.ts'

export type NextAttempt = { retryAt: number } | { condition: Condition }

/** Whether a failure backs off on the policy's throttle schedule instead of using up a retry. */
export function countsAsThrottle(policy: RetryPolicy, failure: DeliveryFailure): boolean {
  return failure.retryable && failure.throttled && policy.throttle !== undefined
}

/**
 * After failed attempt number `attempts`, of which `throttles` were throttles on the policy's
 * throttle schedule (this one included, when it was one: `countsAsThrottle`): not retryable →
 * NotRetryable; no delay left in the throttle or backoff schedule → RetriesExhausted; due past
 * the maximum age (counted from `firstAt`) → EventAgeExceeded.
 */
export function nextAttempt(policy: RetryPolicy, failure: DeliveryFailure, attempts: number, throttles: number, firstAt: number,
  now: number, jitter: JitterHook): NextAttempt {
  if (!failure.retryable) return { condition: 'NotRetryable' }
  const retries = attempts - throttles - 1
  const delay = countsAsThrottle(policy, failure) ? delayFor(policy.throttle!, throttles - 1)
    : retries < policy.maxRetries ? delayFor(policy.backoff, retries) : undefined
  if (delay === undefined) return { condition: 'RetriesExhausted' }
  // AWS takes the more conservative of its back-off and the target's Retry-After [D].
  const retryAt = now + Math.max(jitter(delay, policy.jitter), failure.retryAfterMs)
  const age = retryAt - firstAt
  if (policy.maxAgeMs !== undefined && (policy.retryAtMaxAge === true ? age > policy.maxAgeMs : age >= policy.maxAgeMs)) {
    return { condition: 'EventAgeExceeded' }
  }
  return { retryAt }
}
