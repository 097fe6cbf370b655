// Asynchronous invocation (InvocationType=Event) through the delivery fabric: each event is a
// pending delivery to Lambda's own sender ('lambda:invoke'), armed on the clock as data and
// retried by the fabric with Lambda's policy (retry-policy.ts: retries, throttle back-off, maximum
// event age); the dead-letter queue and the destinations are Lambda's hooks on how it settled
// (aws-behaviour.md §2.5–2.7).
import { newTraceHeader } from '../../core/ids.ts'
import type { Fabric, Letter } from '../../fabric/fabric.ts'
import { DeliveryFailure } from '../../fabric/failure.ts'
import type { Condition, Delivery, Pending, Settlement } from '../../fabric/types.ts'
import type { LambdaContext } from './context.ts'
import { sendToDestination } from './destinations.ts'
import type { FunctionVersion, LambdaFunction } from './function.ts'
import { isThrottled, runInvocation } from './invoker.ts'
import { asyncRetryPolicy } from './retry-policy.ts'

export interface AsyncEvent {
  fn: LambdaFunction
  version: FunctionVersion
  /** The qualifier the caller used (alias or version), for the event-invoke config and destinations. */
  qualifier: string
  invokedArn: string
  payload: Buffer
  requestId: string
  /** One X-Ray trace for every attempt; SQS destinations get it as their AWSTraceHeader attribute, as on AWS. */
  traceHeader?: string
}

/** What a pending invocation carries to find its function again (options.extra): plain data. */
interface Target {
  functionArn: string
  /** Tells a function deleted and created again under the same name from the one invoked. */
  functionId: string
  version: string
  qualifier: string
  account: string
}

export type DestinationCondition = 'Success' | Condition | 'ZeroReservedConcurrency'

const invokeSender = 'lambda:invoke'

export class AsyncInvoker {
  private readonly ctx: LambdaContext
  private readonly fabric: Fabric
  private readonly log: (line: string) => void

  constructor(ctx: LambdaContext, fabric: Fabric, log: (line: string) => void) {
    this.ctx = ctx
    this.fabric = fabric
    this.log = log
    fabric.registerSender(invokeSender, (delivery) => this.attempt(delivery))
    fabric.registerOwner('lambda', {
      refresh: (p) => this.refresh(p),
      deadLetter: (p, failure, _condition, letter) => deadLetter(p, failure, letter),
      settled: (p, settlement) => this.settled(p, settlement),
    })
  }

  enqueue(event: AsyncEvent): void {
    const { fn, version, qualifier } = event
    const now = this.ctx.clock.now()
    const target: Target = { functionArn: fn.arn, functionId: fn.id, version: version.version, qualifier, account: fn.account }
    this.fabric.schedule({
      owner: 'lambda', source: event.invokedArn, target: event.invokedArn, via: invokeSender, id: event.requestId,
      payload: event.payload.toString('utf8'),
      options: { traceHeader: event.traceHeader ?? newTraceHeader(now), account: fn.account, extra: { ...target } },
      ...settings(fn, version, qualifier),
    })
  }

  /** The event-invoke config and DLQ are read when a failure needs them, as they are then (a $LATEST event sees updates). */
  private refresh(p: Pending): Delivery | undefined {
    const target = p.delivery.options?.extra as unknown as Target
    const fn = this.ctx.state.findByArn(target.functionArn)
    if (fn?.id !== target.functionId) return undefined
    const version = target.version === '$LATEST' ? fn.latest : fn.versions.get(target.version)
    return version === undefined ? undefined : { ...p.delivery, ...settings(fn, version, target.qualifier) }
  }

  /** Forgets queued events and their retries (reset, stop). */
  clear(): void {
    this.fabric.cancel('lambda')
  }

  /** One attempt: the function's error is retryable, a throttle or Nimbus's own failure backs off. */
  private async attempt(delivery: Delivery): Promise<{ response: string; extra: Record<string, unknown> }> {
    const target = delivery.options?.extra as Target | undefined
    const fn = target === undefined ? undefined : this.ctx.state.findByArn(target.functionArn)
    // The function (or the version) may have been deleted while the event waited: drop it.
    const version = target === undefined || fn?.id !== target.functionId ? undefined
      : target.version === '$LATEST' ? fn.latest : fn.versions.get(target.version)
    if (fn === undefined || version === undefined) throw new DeliveryFailure('NO_RESOURCE', 'The function is gone.', { drop: true })
    if (fn.reservedConcurrency === 0) throw new DeliveryFailure('ZeroReservedConcurrency', 'The function has zero reserved concurrency.')
    let result: Awaited<ReturnType<typeof runInvocation>>
    try {
      result = await runInvocation(this.ctx, {
        fn, version, invokedArn: delivery.target, payload: Buffer.from(delivery.payload), requestId: delivery.id,
        traceHeader: delivery.options?.traceHeader,
      })
    } catch (error) {
      // A system error (no environment stayed up…): AWS retries those like throttles, with back-off.
      this.log(`[nimbus] lambda ${fn.name}: async attempt failed in Nimbus: ${String(error)}`)
      result = { throttled: 'ConcurrentInvocationLimitExceeded' }
    }
    if (isThrottled(result)) throw new DeliveryFailure('TooManyRequestsException', result.throttled, { retryable: true, throttled: true })
    const extra = { executedVersion: version.version }
    const response = result.payload.toString('utf8')
    if (result.outcome === 'success') return { response, extra }
    throw new DeliveryFailure('Unhandled', errorMessage(response), { retryable: true, response, extra })
  }

  /** OnSuccess / OnFailure destinations get the invocation record. */
  private settled(p: Pending, s: Settlement): void {
    if (s.outcome === 'dropped') return
    const target = p.delivery.options?.extra as unknown as Target
    const fn = this.ctx.state.findByArn(target.functionArn)
    const config = fn?.eventInvokeConfigs.get(target.qualifier)?.DestinationConfig
    const destination = s.outcome === 'delivered' ? config?.OnSuccess?.Destination : config?.OnFailure?.Destination
    if (destination === undefined) return
    const condition: DestinationCondition = s.outcome === 'delivered' ? 'Success'
      : s.condition === 'NotRetryable' ? s.failure!.code as DestinationCondition : s.condition!
    // A function that never ran (zero reserved concurrency) counts no invocation.
    const invokeCount = p.attempts - p.throttles - (condition === 'ZeroReservedConcurrency' ? 1 : 0)
    const answered = s.delivered ?? s.failure
    const result = answered?.response === undefined ? undefined
      : { payload: answered.response, executedVersion: String(answered.extra?.executedVersion), error: s.outcome !== 'delivered' }
    const functionArn = `${target.functionArn}:${target.qualifier}`
    const record = invocationRecord(this.ctx.clock.now(), p, functionArn, condition, invokeCount, result)
    sendToDestination(this.fabric, destination, record, { functionArn, account: target.account, requestId: p.delivery.id, success: condition === 'Success',
      traceHeader: p.delivery.options?.traceHeader })
  }
}

/** The retry policy of the qualifier's event-invoke config (an alias without one gets the defaults) and the version's DLQ. */
function settings(fn: LambdaFunction, version: FunctionVersion, qualifier: string): Pick<Delivery, 'policy' | 'deadLetter'> {
  const config = fn.eventInvokeConfigs.get(qualifier)
  const dlq = version.deadLetterTargetArn
  return {
    policy: asyncRetryPolicy(config?.MaximumRetryAttempts, config?.MaximumEventAgeInSeconds),
    deadLetter: dlq === undefined ? undefined : { target: dlq },
  }
}

/** The DLQ gets the original event and three attributes; ErrorCode is a Number, "200". */
function deadLetter(p: Pending, failure: DeliveryFailure, letter: Letter): Letter {
  const message = failure.response === undefined ? '' : errorMessage(failure.response)
  const attributes = {
    RequestID: { DataType: 'String', StringValue: p.delivery.id },
    ErrorCode: { DataType: 'Number', StringValue: '200' },
    ...(message === '' ? {} : { ErrorMessage: { DataType: 'String', StringValue: message.slice(0, 256) } }),
  }
  // An SNS DLQ gets the event as the Message and the same values as message attributes.
  return { payload: letter.payload, options: { attributes, senderId: p.delivery.options?.account } }
}

function errorMessage(response: string): string {
  try {
    return String((JSON.parse(response) as { errorMessage?: unknown }).errorMessage ?? '')
  } catch {
    return response
  }
}

function invocationRecord(now: number, p: Pending, functionArn: string, condition: DestinationCondition, invokeCount: number,
  result: { payload: string; executedVersion: string; error: boolean } | undefined): string {
  const record: Record<string, unknown> = {
    version: '1.0',
    timestamp: new Date(now).toISOString(),
    requestContext: { requestId: p.delivery.id, functionArn, condition, approximateInvokeCount: invokeCount },
    requestPayload: parseOr(p.delivery.payload),
  }
  if (result !== undefined) {
    record.responseContext = { statusCode: 200, executedVersion: result.executedVersion, ...(result.error ? { functionError: 'Unhandled' } : {}) }
    record.responsePayload = parseOr(result.payload)
  }
  return JSON.stringify(record)
}

function parseOr(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
