// Retry policies as data: how many retries, the delay before each (a fixed list, exponential with a
// cap, or SNS's four-phase delivery-policy curve), throttle back-off, maximum event age and jitter.
// Each service states its AWS policy with these; one mechanism (fabric.ts) follows them on the clock.

/** SNS's HTTP/S healthyRetryPolicy, in seconds as AWS spells it (aws-behaviour.md §3.8). */
export interface FourPhaseBackoff {
  kind: 'four-phase'
  minDelayTarget: number
  maxDelayTarget: number
  numRetries: number
  numNoDelayRetries: number
  numMinDelayRetries: number
  numMaxDelayRetries: number
  backoffFunction: 'linear' | 'arithmetic' | 'geometric' | 'exponential'
}

export type Backoff =
  /** Retry n waits delaysMs[n]; past the list there is no retry. */
  | { kind: 'fixed'; delaysMs: readonly number[] }
  /** Retry n waits min(firstMs · factor^n, capMs). */
  | { kind: 'exponential'; firstMs: number; factor: number; capMs: number }
  | FourPhaseBackoff

export interface RetryPolicy {
  /** Retries after the first attempt; throttles don't count. 0: one attempt only. */
  maxRetries: number
  backoff: Backoff
  /** Throttled attempts (the target said "too many") back off on this schedule, by throttle count. Default: like other failures. */
  throttle?: Backoff
  /** Maximum event age from the delivery's first moment; a retry due past it dead-letters instead. */
  maxAgeMs?: number
  /** Whether a retry due exactly at the maximum age still runs (EventBridge: yes; Lambda: no, it is already too late). */
  retryAtMaxAge?: boolean
  /** A jitter name the fabric's jitter hook gets ('full' on AWS for EventBridge); the default hook ignores it. */
  jitter?: string
}

/** One attempt, no retry: in-process deliveries whose failures are the caller's (S3 notifications, destinations). */
export const noRetry: RetryPolicy = { maxRetries: 0, backoff: { kind: 'fixed', delaysMs: [] } }

/** The delay (ms) before retry `n` (0 for the first retry), or undefined when the schedule has none. */
export function delayFor(backoff: Backoff, n: number): number | undefined {
  switch (backoff.kind) {
    case 'fixed': return backoff.delaysMs[n]
    case 'exponential': return Math.min(backoff.firstMs * backoff.factor ** n, backoff.capMs)
    case 'four-phase': {
      const seconds = fourPhaseDelays(backoff)[n]
      return seconds === undefined ? undefined : seconds * 1000
    }
  }
}

/**
 * The seconds to wait before each retry, in order (its length is numRetries). Four phases as AWS
 * documents them: immediate retries, retries at the minimum delay, a backoff from minimum to
 * maximum, then retries at the maximum. AWS adds jitter; Nimbus doesn't, so tests can step to
 * each retry exactly. The curve shapes between min and max are Nimbus's reading [R].
 */
export function fourPhaseDelays(policy: Omit<FourPhaseBackoff, 'kind'>): number[] {
  const { minDelayTarget: min, maxDelayTarget: max } = policy
  const backoff = Math.max(0, policy.numRetries - policy.numNoDelayRetries - policy.numMinDelayRetries - policy.numMaxDelayRetries)
  const delays: number[] = []
  for (let i = 0; i < policy.numNoDelayRetries; i++) delays.push(0)
  for (let i = 0; i < policy.numMinDelayRetries; i++) delays.push(min)
  for (let i = 1; i <= backoff; i++) delays.push(curve(policy.backoffFunction, min, max, i, backoff))
  for (let i = 0; i < policy.numMaxDelayRetries; i++) delays.push(max)
  return delays
}

function curve(fn: FourPhaseBackoff['backoffFunction'], min: number, max: number, step: number, steps: number): number {
  const t = steps === 1 ? 1 : (step - 1) / (steps - 1)
  const span = max - min
  switch (fn) {
    case 'linear': return Math.round(min + span * t)
    case 'arithmetic': return Math.round(min + span * t * t)
    case 'geometric': return Math.round(min * Math.pow(max / min, t))
    case 'exponential': return Math.round(min + span * (Math.pow(2, 10 * t) - 1) / 1023)
  }
}

/** Jitter: given a policy's jitter name and the computed delay, the delay to use. The default is none. */
export type JitterHook = (delayMs: number, jitter: string | undefined) => number
export const noJitter: JitterHook = (delayMs) => delayMs
/** AWS's "full jitter": anywhere between 0 and the delay. For embedding; tests stay exact without it. */
export const fullJitter = (random: () => number = Math.random): JitterHook => (delayMs, jitter) =>
  jitter === 'full' ? Math.floor(random() * delayMs) : delayMs
