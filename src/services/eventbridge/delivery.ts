// Delivery to targets through the fabric: each (rule, target) pair is handed over at now+0
// (PutEvents has returned by then) with the target's RetryPolicy as data (retry-policy.ts) and its
// DeadLetterConfig queue; the dead letter carries AWS's attributes (§5.3). Bus and API destination
// targets go through EventBridge's own senders; every other target by its ARN's target kind.
import type { Clock, Timer } from '../../core/clock.ts'
import type { Fabric, Letter } from '../../fabric/fabric.ts'
import type { DeliveryFailure } from '../../fabric/failure.ts'
import type { RetryPolicy } from '../../fabric/policy.ts'
import type { Condition, Delivery, Pending } from '../../fabric/types.ts'
import type { BusEvent, Ingested } from './event.ts'
import type * as T from './generated/types.ts'
import { targetInput, type RuleRef } from './input-transformer.ts'
import { parseJsonPath, readJsonPath } from './json-path.ts'
import { eventBridgeSenderId } from './limits.ts'
import type { EventsMetrics } from './metrics.ts'
import { targetRetryPolicy } from './retry-policy.ts'

export interface DeliveryJob {
  readonly rule: RuleRef
  readonly target: T.Target
  readonly ingested: Ingested
}

/** EventBridge's own senders (registered by index.ts): another bus gets the event as-is; API destinations get HTTP. */
export const busSender = 'events:bus'
export const apiDestinationSender = 'events:api-destination'

const exhaustedConditions: Partial<Record<Condition, string>> = {
  RetriesExhausted: 'MaximumRetryAttempts', EventAgeExceeded: 'MaximumEventAgeInSeconds',
}

export class Deliverer {
  private readonly clock: Clock
  private readonly fabric: Fabric
  private readonly log: (line: string) => void
  /** Dispatches waiting for their tick, cancelled on reset (the fabric holds the retries). */
  private readonly pending = new Set<Timer>()
  /** A target's policy, built once per target object (targets are replaced, not changed, by PutTargets). */
  private readonly policies = new WeakMap<T.Target, RetryPolicy>()

  /** AWS/Events' counters (index.ts); unit tests may leave them out. */
  readonly metrics: EventsMetrics | undefined

  constructor(clock: Clock, fabric: Fabric, log: (line: string) => void, metrics?: EventsMetrics) {
    this.clock = clock
    this.fabric = fabric
    this.log = log
    this.metrics = metrics
    fabric.registerOwner('events', { deadLetter: deadLetterAttributes, settled: (p, settlement) => metrics?.settled(p, settlement) })
  }

  /** Attempts in flight (HTTP requests of API destinations): health shows it. */
  get inFlight(): number {
    return this.fabric.stats('events').inFlight
  }

  /** Schedules the first attempt of every job at now+0; one job's failure never holds up another. */
  dispatch(jobs: readonly DeliveryJob[]): void {
    if (jobs.length === 0) return
    // With a data dir each job is a pending delivery from now on, its row committed with PutEvents'
    // answer (the fabric attempts it on the next tick); in memory one batch waits for that tick.
    if (this.fabric.watched) {
      for (const job of jobs) this.hand(job, true)
      return
    }
    const timer = this.clock.after(0, () => {
      this.pending.delete(timer)
      for (const job of jobs) this.hand(job, false)
    })
    this.pending.add(timer)
  }

  private hand(job: DeliveryJob, later: boolean): void {
    const payload = targetInput(job.target, job.ingested, job.rule)
    // An InputTransformer whose result is not valid JSON delivers nothing [S].
    if (payload === undefined) this.log(`eventbridge: target ${job.target.Id} of ${job.rule.arn} got no input (template result is not JSON)`)
    else if (later) this.fabric.schedule(this.delivery(job, payload))
    else this.fabric.deliver(this.delivery(job, payload))
  }

  /** Forgets dispatches and retries still waiting (reset). */
  clear(): void {
    for (const timer of this.pending) timer.cancel()
    this.pending.clear()
    this.fabric.cancel('events')
  }

  private delivery(job: DeliveryJob, payload: string): Delivery {
    const { target, ingested, rule } = job
    const arn = target.Arn
    const via = arn.includes(':api-destination/') ? apiDestinationSender : /^arn:[^:]+:events:[^:]*:[^:]*:event-bus\//.test(arn) ? busSender : undefined
    let policy = this.policies.get(target)
    if (policy === undefined) this.policies.set(target, policy = targetRetryPolicy(target.RetryPolicy))
    const { event, traceHeader } = ingested
    const dlq = target.DeadLetterConfig?.Arn
    return {
      owner: 'events', source: rule.arn, target: arn, via, id: event.id,
      // A bus target receives the event itself; AWS does not transform events between buses.
      payload: via === busSender ? ingested.json : payload,
      options: {
        senderId: eventBridgeSenderId, traceHeader, groupId: target.SqsParameters?.MessageGroupId,
        // FIFO queues: the event id deduplicates, so a retried delivery is not queued twice [R].
        dedupId: event.id,
        // A Kinesis stream target: the partition key from KinesisParameters.PartitionKeyPath, else the event id.
        ...(arn.includes(':kinesis:') ? { partitionKey: partitionKeyOf(target, event) ?? event.id } : {}),
        // A log group target: one event in a stream named after the event, at the event's time.
        ...(arn.includes(':logs:') ? { logStream: event.id, time: Date.parse(event.time) } : {}),
        extra: via === apiDestinationSender ? { httpParameters: target.HttpParameters } : via === busSender ? { fromAccount: ruleAccount(rule.arn) } : undefined,
      },
      policy,
      deadLetter: dlq === undefined ? undefined : { target: dlq, payload, options: { senderId: eventBridgeSenderId, traceHeader } },
      since: ingested.ingestedAt,
    }
  }
}

/** The DLQ gets the payload with AWS's attributes. */
function deadLetterAttributes(p: Pending, failure: DeliveryFailure, condition: Condition, letter: Letter): Letter {
  const text = (value: string) => ({ DataType: 'String', StringValue: value })
  const attributes: Record<string, { DataType: string; StringValue: string }> = {
    RULE_ARN: text(p.delivery.source), TARGET_ARN: text(p.delivery.target), ERROR_CODE: text(failure.code),
    ERROR_MESSAGE: text(failure.message), RETRY_ATTEMPTS: text(String(p.attempts - p.throttles - 1)),
  }
  const exhausted = exhaustedConditions[condition]
  if (exhausted !== undefined) attributes.EXHAUSTED_RETRY_CONDITION = text(exhausted)
  return { payload: letter.payload, options: { ...letter.options, attributes } }
}

const ruleAccount = (ruleArn: string) => ruleArn.split(':')[4] ?? ''

/**
 * KinesisParameters.PartitionKeyPath read from the event: a string as it is, another value as JSON
 * [R]; undefined when the path finds nothing (the event id is used then [R]).
 */
function partitionKeyOf(target: T.Target, event: BusEvent): string | undefined {
  const text = target.KinesisParameters?.PartitionKeyPath
  const path = text === undefined ? undefined : parseJsonPath(text)
  if (path === undefined) return undefined
  const value = readJsonPath(event, path)
  if (value === undefined || value === null) return undefined
  const key = typeof value === 'string' ? value : JSON.stringify(value)
  return key === '' ? undefined : key
}
