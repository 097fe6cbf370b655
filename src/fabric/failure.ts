// How a send fails: a code (EventBridge's DLQ ERROR_CODE vocabulary), whether it is worth another
// attempt, and hints for the next one. Errors a port throws are classified once, here.
import { isAwsError } from '../protocol/errors.ts'

export class DeliveryFailure extends Error {
  /** 'NO_RESOURCE', 'NO_PERMISSIONS', 'SDK_CLIENT_ERROR', 'ERROR_FROM_TARGET', 'UNKNOWN', or an owner's own code. */
  readonly code: string
  readonly retryable: boolean
  /** The least time before the next attempt (an HTTP endpoint's Retry-After). */
  readonly retryAfterMs: number
  /** A throttle: retried on the policy's throttle schedule without using up a retry (Lambda). */
  readonly throttled: boolean
  /** Abandon quietly: no dead letter, no retry (the subscription or function is gone). */
  readonly drop: boolean
  /** What the target answered (a function's error payload), for dead letters and records. */
  readonly response: string | undefined
  readonly extra: Record<string, unknown> | undefined

  constructor(code: string, message: string, options: {
    retryable?: boolean; retryAfterMs?: number; throttled?: boolean; drop?: boolean; response?: string; extra?: Record<string, unknown>
  } = {}) {
    super(message)
    this.code = code
    this.retryable = options.retryable ?? false
    this.retryAfterMs = options.retryAfterMs ?? 0
    this.throttled = options.throttled ?? false
    this.drop = options.drop ?? false
    this.response = options.response
    this.extra = options.extra
  }
}

const notFound = /NotFound|DoesNotExist|NonExistent/

/**
 * Missing resources and other client errors are not retried (AWS sends them straight to the DLQ);
 * throttling, 5xx and unexpected failures are.
 */
export function classify(error: unknown): DeliveryFailure {
  if (error instanceof DeliveryFailure) return error
  if (isAwsError(error)) {
    if (notFound.test(error.code)) return new DeliveryFailure('NO_RESOURCE', error.message)
    if (error.status >= 500 || /Throttl|TooManyRequests/.test(error.code)) return new DeliveryFailure('ERROR_FROM_TARGET', error.message, { retryable: true })
    return new DeliveryFailure('SDK_CLIENT_ERROR', error.message)
  }
  return new DeliveryFailure('ERROR_FROM_TARGET', error instanceof Error ? error.message : String(error), { retryable: true })
}

export const missing = (what: string) => new DeliveryFailure('NO_RESOURCE', `${what} does not exist.`)
