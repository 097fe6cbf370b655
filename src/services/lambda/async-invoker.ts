// Asynchronous invocation (InvocationType=Event): an internal queue, retries with AWS's timing on the
// clock, maximum event age, and the dead-letter queue and destinations (aws-behaviour.md §2.5–2.7).
import { newTraceHeader } from '../../core/ids.ts'
import type { InvokeResult } from '../../runtime/types.ts'
import type { LambdaContext } from './context.ts'
import type { FunctionVersion, LambdaFunction } from './function.ts'
import type * as T from './generated/types.ts'
import { limits } from './limits.ts'
import { isThrottled, runInvocation } from './invoker.ts'

export interface AsyncEvent {
  fn: LambdaFunction
  version: FunctionVersion
  /** The qualifier the caller used (alias or version), for the event-invoke config and destinations. */
  qualifier: string
  invokedArn: string
  payload: Buffer
  requestId: string
  enqueuedAt: number
  attempts: number
  /** Throttle back-off: 1 s doubling to 5 min; throttles don't use up retries. */
  throttleDelayMs: number
  /** One X-Ray trace for every attempt; SQS destinations get it as their AWSTraceHeader attribute, as on AWS. */
  traceHeader: string
  /** The invoker's generation when the event was queued. */
  generation: number
}

export type Condition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded' | 'ZeroReservedConcurrency'

/** Delivers records to destinations; SQS and Lambda here, SNS/EventBridge/S3 as those services land. */
export interface DestinationSender {
  send(targetArn: string, record: string, event: AsyncEvent): void
}

const retryDelaysMs = [60_000, 120_000] // AWS: ~1 minute before the 2nd attempt, ~2 minutes before the 3rd

export class AsyncInvoker {
  private readonly ctx: LambdaContext
  private readonly destinations: DestinationSender
  private readonly log: (line: string) => void
  /** Events waiting on the clock for a retry: cancelled on reset. */
  private readonly pending = new Set<{ cancel(): void }>()
  /** Bumped by clear(): events from before a reset are forgotten. */
  private generation = 0

  constructor(ctx: LambdaContext, destinations: DestinationSender, log: (line: string) => void) {
    this.ctx = ctx
    this.destinations = destinations
    this.log = log
  }

  enqueue(event: Omit<AsyncEvent, 'enqueuedAt' | 'attempts' | 'throttleDelayMs' | 'traceHeader' | 'generation'> & { traceHeader?: string }): void {
    const now = this.ctx.clock.now()
    const full: AsyncEvent = { ...event, enqueuedAt: now, attempts: 0, throttleDelayMs: 1000, generation: this.generation, traceHeader: event.traceHeader ?? newTraceHeader(now) }
    if (full.fn.reservedConcurrency === 0) {
      this.fail(full, 'ZeroReservedConcurrency', undefined)
      return
    }
    this.later(0, full)
  }

  /** A config applies to its own qualifier only: an alias without one gets the defaults. */
  private config(event: AsyncEvent): T.FunctionEventInvokeConfig | undefined {
    return event.fn.eventInvokeConfigs.get(event.qualifier)
  }

  private later(delayMs: number, event: AsyncEvent): void {
    // An attempt still running when clear() ran must not schedule anything after the reset.
    if (event.generation !== this.generation) return
    const timer = this.ctx.clock.after(delayMs, () => {
      this.pending.delete(timer)
      void this.attempt(event).catch((error: unknown) => this.log(`[nimbus] lambda async invoke failed: ${String(error)}`))
    })
    this.pending.add(timer)
  }

  private async attempt(event: AsyncEvent): Promise<void> {
    // The function (or the version) may have been deleted while the event waited: drop it.
    const current = this.ctx.state.findByArn(event.fn.arn)
    if (current !== event.fn || (event.version.version !== '$LATEST' && !event.fn.versions.has(event.version.version))) return
    if (event.fn.latest !== event.version && event.version.version === '$LATEST') event.version = event.fn.latest
    if (event.fn.reservedConcurrency === 0) {
      this.fail(event, 'ZeroReservedConcurrency', undefined)
      return
    }
    let result: Awaited<ReturnType<typeof runInvocation>>
    try {
      result = await runInvocation(this.ctx, {
        fn: event.fn, version: event.version, invokedArn: event.invokedArn, payload: event.payload, requestId: event.requestId,
        traceHeader: event.traceHeader,
      })
    } catch (error) {
      // A system error (no environment stayed up…): AWS retries those like throttles, with back-off.
      this.log(`[nimbus] lambda ${event.fn.name}: async attempt failed in Nimbus: ${String(error)}`)
      result = { throttled: 'ConcurrentInvocationLimitExceeded' }
    }
    const maxAgeMs = (this.config(event)?.MaximumEventAgeInSeconds ?? limits.defaultMaxEventAgeSeconds) * 1000
    // A retry must happen *before* the event reaches its maximum age: on AWS, with
    // MaximumEventAgeInSeconds 60 the retry a minute later is already too late (EventAgeExceeded after
    // one attempt). On a manual clock an attempt takes no time, so the boundary is exact: `>=`.
    const tooOld = (delay: number) => this.ctx.clock.now() + delay - event.enqueuedAt >= maxAgeMs
    if (isThrottled(result)) {
      const delay = event.throttleDelayMs
      event.throttleDelayMs = Math.min(delay * 2, 300_000)
      if (tooOld(delay)) this.fail(event, 'EventAgeExceeded', undefined)
      else this.later(delay, event)
      return
    }
    event.attempts++
    if (result.outcome === 'success') {
      this.succeed(event, result)
      return
    }
    const maxRetries = this.config(event)?.MaximumRetryAttempts ?? limits.defaultRetryAttempts
    const delay = retryDelaysMs[event.attempts - 1]
    if (event.attempts > maxRetries || delay === undefined) this.fail(event, 'RetriesExhausted', result)
    else if (tooOld(delay)) this.fail(event, 'EventAgeExceeded', result)
    else this.later(delay, event)
  }

  private succeed(event: AsyncEvent, result: InvokeResult): void {
    const target = this.config(event)?.DestinationConfig?.OnSuccess?.Destination
    if (target !== undefined) this.destinations.send(target, this.record(event, 'Success', result), event)
  }

  private fail(event: AsyncEvent, condition: Condition, result: InvokeResult | undefined): void {
    const dlq = event.version.deadLetterTargetArn
    if (dlq !== undefined) this.sendToDeadLetterQueue(dlq, event, result)
    const target = this.config(event)?.DestinationConfig?.OnFailure?.Destination
    if (target !== undefined) this.destinations.send(target, this.record(event, condition, result), event)
  }

  /** The DLQ gets the original event and three attributes; ErrorCode is a Number, "200". */
  private sendToDeadLetterQueue(arn: string, event: AsyncEvent, result: InvokeResult | undefined): void {
    let message = ''
    try {
      message = String((JSON.parse(result?.payload.toString('utf8') ?? '{}') as { errorMessage?: unknown }).errorMessage ?? '')
    } catch {
      message = result?.payload.toString('utf8') ?? ''
    }
    const attributes = {
      RequestID: { DataType: 'String', StringValue: event.requestId },
      ErrorCode: { DataType: 'Number', StringValue: '200' },
      ...(message === '' ? {} : { ErrorMessage: { DataType: 'String', StringValue: message.slice(0, 256) } }),
    }
    const body = event.payload.toString('utf8')
    try {
      if (arn.includes(':sns:')) {
        // An SNS DLQ gets the event as the Message and the same three values as message attributes.
        this.ctx.sns.publish(arn, { Message: body, MessageAttributes: attributes })
        return
      }
      this.ctx.sqs.send({ queueArn: arn, body, senderId: event.fn.account, attributes })
    } catch (error) {
      this.log(`[nimbus] lambda ${event.fn.name}: could not deliver to dead-letter queue ${arn}: ${String(error)}`)
    }
  }

  private record(event: AsyncEvent, condition: Condition, result: InvokeResult | undefined): string {
    const record: Record<string, unknown> = {
      version: '1.0',
      timestamp: new Date(this.ctx.clock.now()).toISOString(),
      requestContext: {
        requestId: event.requestId,
        functionArn: event.fn.qualifiedArn(event.qualifier),
        condition,
        approximateInvokeCount: event.attempts,
      },
      requestPayload: parseOr(event.payload),
    }
    if (result !== undefined) {
      record.responseContext = {
        statusCode: 200, executedVersion: event.version.version,
        ...(result.outcome === 'error' ? { functionError: 'Unhandled' } : {}),
      }
      record.responsePayload = parseOr(result.payload)
    }
    return JSON.stringify(record)
  }

  clear(): void {
    this.generation++
    for (const timer of this.pending) timer.cancel()
    this.pending.clear()
  }
}

function parseOr(payload: Buffer): unknown {
  const text = payload.toString('utf8')
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

