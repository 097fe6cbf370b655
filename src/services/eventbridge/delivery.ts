// Reliable delivery to targets on the clock: each (rule, target) pair is attempted on its own at
// now+0 (PutEvents has returned by then), retried with exponential back-off within the target's
// RetryPolicy, and sent to its DeadLetterConfig queue when it can't be delivered (§5.3).
import type { Clock, Timer } from '../../core/clock.ts'
import { isAwsError } from '../../protocol/errors.ts'
import type { SqsPort } from '../sqs/port.ts'
import type { Ingested } from './event.ts'
import type * as T from './generated/types.ts'
import { targetInput, type RuleRef } from './input-transformer.ts'
import { eventBridgeSenderId, limits } from './limits.ts'

export interface DeliveryJob {
  readonly rule: RuleRef
  readonly target: T.Target
  readonly ingested: Ingested
}

/** How a target failed, with the ERROR_CODE AWS puts on the dead-lettered message. */
export class DeliveryFailure extends Error {
  readonly code: 'NO_RESOURCE' | 'NO_PERMISSIONS' | 'SDK_CLIENT_ERROR' | 'ERROR_FROM_TARGET' | 'UNKNOWN'
  readonly retryable: boolean
  /** The least time before the next attempt (an HTTP target's Retry-After) [D]. */
  readonly retryAfterMs: number
  constructor(code: DeliveryFailure['code'], message: string, retryable = false, retryAfterMs = 0) {
    super(message)
    this.code = code
    this.retryable = retryable
    this.retryAfterMs = retryAfterMs
  }
}

/**
 * Sends a payload to a target; throws (or rejects) on failure. In-process ports answer at once;
 * HTTP targets (API destinations) answer with a promise.
 */
export type TargetSender = (job: DeliveryJob, payload: string) => void | Promise<void>

const notFound = /NotFound|DoesNotExist|NonExistent/

/**
 * Missing resources and other client errors are not retried (AWS sends them straight to the DLQ);
 * throttling, 5xx and unexpected failures are.
 */
export function classify(error: unknown): DeliveryFailure {
  if (error instanceof DeliveryFailure) return error
  if (isAwsError(error)) {
    if (notFound.test(error.code)) return new DeliveryFailure('NO_RESOURCE', error.message)
    if (error.status >= 500 || /Throttl|TooManyRequests/.test(error.code)) return new DeliveryFailure('ERROR_FROM_TARGET', error.message, true)
    return new DeliveryFailure('SDK_CLIENT_ERROR', error.message)
  }
  return new DeliveryFailure('ERROR_FROM_TARGET', error instanceof Error ? error.message : String(error), true)
}

export class Deliverer {
  private readonly clock: Clock
  private readonly send: TargetSender
  private readonly sqs: SqsPort
  private readonly log: (line: string) => void
  private readonly pending = new Set<Timer>()
  /** Attempts whose promise has not settled (HTTP requests on the wire): health shows it. */
  inFlight = 0
  /** Bumped by clear(): attempts of an earlier generation stop where they are. */
  private generation = 0

  constructor(clock: Clock, send: TargetSender, sqs: SqsPort, log: (line: string) => void) {
    this.clock = clock
    this.send = send
    this.sqs = sqs
    this.log = log
  }

  /** Schedules the first attempt of every job at now+0; one job's failure never holds up another. */
  dispatch(jobs: readonly DeliveryJob[]): void {
    if (jobs.length === 0) return
    this.later(0, () => {
      for (const job of jobs) {
        const payload = targetInput(job.target, job.ingested, job.rule)
        // An InputTransformer whose result is not valid JSON delivers nothing [S].
        if (payload === undefined) this.log(`eventbridge: target ${job.target.Id} of ${job.rule.arn} got no input (template result is not JSON)`)
        else this.attempt(job, payload, 0)
      }
    })
  }

  /** Timers still waiting (retries), cancelled on reset. */
  clear(): void {
    for (const timer of this.pending) timer.cancel()
    this.pending.clear()
    this.generation += 1
    this.inFlight = 0
  }

  private later(ms: number, fn: () => void): void {
    const timer = this.clock.after(ms, () => {
      this.pending.delete(timer)
      fn()
    })
    this.pending.add(timer)
  }

  private attempt(job: DeliveryJob, payload: string, retries: number): void {
    let sent: void | Promise<void>
    try {
      sent = this.send(job, payload)
    } catch (error) {
      return this.failed(job, payload, retries, classify(error))
    }
    if (sent === undefined) return
    const generation = this.generation
    this.inFlight += 1
    sent.then(() => undefined, (error: unknown) => classify(error)).then((failure) => {
      if (generation !== this.generation) return
      this.inFlight -= 1
      if (failure !== undefined) this.failed(job, payload, retries, failure)
    }, (error: unknown) => this.log(`eventbridge: delivery bookkeeping failed: ${String(error)}`))
  }

  private failed(job: DeliveryJob, payload: string, retries: number, failure: DeliveryFailure): void {
    if (!failure.retryable) return this.deadLetter(job, payload, failure, retries, undefined)
    const policy = job.target.RetryPolicy
    const maxRetries = policy?.MaximumRetryAttempts ?? limits.defaultMaximumRetryAttempts
    const maxAgeMs = (policy?.MaximumEventAgeInSeconds ?? limits.defaultMaximumEventAgeSeconds) * 1000
    if (retries >= maxRetries) return this.deadLetter(job, payload, failure, retries, 'MaximumRetryAttempts')
    // AWS takes the more conservative of its back-off and the target's Retry-After [D].
    const delay = Math.max(Math.min(limits.firstRetryDelayMs * 2 ** retries, limits.maxRetryDelayMs), failure.retryAfterMs)
    if (this.clock.now() + delay - job.ingested.ingestedAt > maxAgeMs) {
      return this.deadLetter(job, payload, failure, retries, 'MaximumEventAgeInSeconds')
    }
    this.later(delay, () => this.attempt(job, payload, retries + 1))
  }

  /** The DLQ gets the payload with AWS's attributes; without a DLQ the event is dropped. */
  private deadLetter(job: DeliveryJob, payload: string, failure: DeliveryFailure, retries: number, exhausted: string | undefined): void {
    const dlq = job.target.DeadLetterConfig?.Arn
    this.log(`eventbridge: delivery to ${job.target.Arn} failed (${failure.code}: ${failure.message})${dlq === undefined ? ', dropped' : ''}`)
    if (dlq === undefined) return
    const text = (value: string) => ({ DataType: 'String', StringValue: value })
    const attributes: Record<string, { DataType: string; StringValue: string }> = {
      RULE_ARN: text(job.rule.arn), TARGET_ARN: text(job.target.Arn), ERROR_CODE: text(failure.code),
      ERROR_MESSAGE: text(failure.message), RETRY_ATTEMPTS: text(String(retries)),
    }
    if (exhausted !== undefined) attributes.EXHAUSTED_RETRY_CONDITION = text(exhausted)
    try {
      this.sqs.send({ queueArn: dlq, body: payload, attributes, senderId: eventBridgeSenderId, traceHeader: job.ingested.traceHeader })
    } catch (error) {
      this.log(`eventbridge: dead-letter queue ${dlq} refused a message: ${(error as Error).message}`)
    }
  }
}
