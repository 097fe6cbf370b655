// The delivery fabric: one dispatcher addressed by ARN and one retry/backoff/dead-letter mechanism
// on the clock. Services register once as a target kind (by their ARN's service); sources hand it
// deliveries (payload, target ARN, retry policy as data, dead-letter target). Pending retries are
// data (Pending) held here and armed on the clock, so durable state can list and re-arm them.
import type { Clock, Timer } from '../core/clock.ts'
import { classify, DeliveryFailure } from './failure.ts'
import { countsAsThrottle, nextAttempt } from './next-attempt.ts'
import { type JitterHook, noJitter, noRetry } from './policy.ts'
import { type HopOutcome, TraceLog } from './trace.ts'
import type { Condition, DeadLetter, Delivered, Delivery, DeliveryOptions, Pending, Settlement } from './types.ts'

export type SendResult = Delivered | void
/** Sends one attempt; throws (or rejects) on failure. In-process ports answer at once, HTTP with a promise. */
export type Sender = (delivery: Delivery, attempt: number) => SendResult | Promise<SendResult>

export interface TargetKind {
  /** The ARN service it serves: 'sqs', 'sns', 'lambda', 'events', 'logs'… */
  readonly service: string
  /** Which ARNs of that service, when several kinds share one (default: all). */
  accepts?(arn: string): boolean
  readonly send: Sender
}

/** What an owner (the service whose policy governs a delivery) adds to the mechanism. */
export interface OwnerHooks {
  /**
   * The delivery as its owner's configuration now has it, asked after a failed attempt: a policy
   * or dead-letter target read live (Lambda's event-invoke config and DLQ can change while an
   * event waits). Undefined keeps it.
   */
  refresh?(pending: Pending): Delivery | undefined
  /** Hears each failed attempt, retried or not (SNS counts failed HTTP/S attempts in its metrics). */
  attemptFailed?(pending: Pending, failure: DeliveryFailure): void
  /** Shapes the dead letter: EventBridge adds its ERROR_CODE attributes, Lambda its RequestID and ErrorMessage. */
  deadLetter?(pending: Pending, failure: DeliveryFailure, condition: Condition, letter: Letter): Letter
  /** Hears how each delivery ended (Lambda's destinations). */
  settled?(pending: Pending, settlement: Settlement): void
}

export interface Letter {
  payload: string
  options: DeliveryOptions | undefined
}

export interface FabricDeps {
  clock: Clock
  log: (line: string) => void
  /** Off by default, so tests step to each retry exactly. */
  jitter?: JitterHook
  /** Hops the trace log keeps (default 10,000). */
  traceCapacity?: number
  /** A trace log made by the composition root (sharing its numbering with the API-call log); else one of `traceCapacity`. */
  trace?: TraceLog
}

/**
 * Persistence's view: a pending delivery was armed or re-armed (store it), or is finished —
 * delivered, dead-lettered, failed, dropped or cancelled (forget it). Between the two it may be in
 * flight: still pending, so a crash mid-attempt repeats the attempt at start (at least once).
 */
export type PendingListener = (pending: Pending, state: 'armed' | 'done') => void

export interface FabricStats {
  /** Deliveries waiting on the clock (first attempts scheduled and retries). */
  waiting: number
  /** Of those, retries (an attempt already failed). */
  retrying: number
  /** Attempts whose promise has not settled (HTTP requests on the wire). */
  inFlight: number
}

interface Armed {
  pending: Pending
  timer: Timer
}

export class Fabric {
  readonly trace: TraceLog
  private readonly clock: Clock
  private readonly log: (line: string) => void
  private readonly jitter: JitterHook
  private readonly kinds = new Map<string, TargetKind[]>()
  private readonly senders = new Map<string, Sender>()
  private readonly owners = new Map<string, OwnerHooks>()
  /** Loads a lazy service by name ('lambda'), so a restored delivery finds its sender and hooks. */
  private readonly loaders = new Map<string, () => void>()
  private readonly armed = new Map<number, Armed>()
  private readonly inFlight = new Set<Pending>()
  /** Deliveries the listener heard armed, so it hears them finish (and only those). */
  private readonly announced = new Set<number>()
  private listener: PendingListener | undefined
  private seq = 0

  constructor(deps: FabricDeps) {
    this.clock = deps.clock
    this.log = deps.log
    this.jitter = deps.jitter ?? noJitter
    this.trace = deps.trace ?? new TraceLog(deps.traceCapacity)
  }

  /** A service's ARNs become deliverable: done once, in the composition root. */
  registerTarget(kind: TargetKind): void {
    const list = this.kinds.get(kind.service) ?? []
    list.push(kind)
    this.kinds.set(kind.service, list)
  }

  /** A sender a delivery names with `via` (HTTP endpoints, API destinations, Lambda's own invocation). */
  registerSender(name: string, sender: Sender): void {
    this.senders.set(name, sender)
  }

  registerOwner(owner: string, hooks: OwnerHooks): void {
    this.owners.set(owner, hooks)
  }

  /**
   * How to load the service named before an owner's or sender's ':' ('lambda' for 'lambda:invoke'),
   * which registers its senders and hooks when it loads: a delivery restored at start finds them.
   */
  registerLoader(service: string, load: () => void): void {
    this.loaders.set(service, load)
  }

  /** Attempts the delivery now (in the caller's turn); failures follow its policy on the clock. */
  deliver(delivery: Delivery): void {
    const now = this.clock.now()
    this.attempt({ seq: this.seq++, dueAt: now, delivery, firstAt: delivery.since ?? now, attempts: 0, throttles: 0 })
  }

  /** Arms the first attempt at `at` (default now): pending from the start, as data. */
  schedule(delivery: Delivery, at = this.clock.now()): Pending {
    const pending: Pending = { seq: this.seq++, dueAt: at, delivery, firstAt: delivery.since ?? this.clock.now(), attempts: 0, throttles: 0 }
    this.arm(pending)
    return pending
  }

  /**
   * One attempt, synchronously, no retry and no dead letter; throws the DeliveryFailure. For a
   * source that must know at once (S3's test events fail the PUT that caused them).
   */
  sendNow(delivery: Delivery): Delivered | undefined {
    let result: SendResult | Promise<SendResult>
    try {
      result = this.sender(delivery)(delivery, 1)
      if (result instanceof Promise) throw new DeliveryFailure('SDK_CLIENT_ERROR', `${delivery.target} cannot be sent to synchronously.`)
    } catch (error) {
      this.hop(delivery, 'failed', 1)
      throw error
    }
    this.hop(delivery, 'delivered', 1, result?.ref)
    return result ?? undefined
  }

  /** Every pending delivery (armed, or in flight since its due time), in due order: what persistence stores. */
  listPending(): Pending[] {
    return [...[...this.armed.values()].map((a) => a.pending), ...this.inFlight].sort((a, b) => a.dueAt - b.dueAt || a.seq - b.seq)
  }

  /** Deliveries waiting on the clock for their next attempt (none in flight), soonest first: the console's "due next". */
  listWaiting(): Pending[] {
    return [...this.armed.values()].map((a) => a.pending).sort((a, b) => a.dueAt - b.dueAt || a.seq - b.seq)
  }

  /** Re-arms stored pending deliveries; those already due run at once, in due order. */
  restore(pending: readonly Pending[]): void {
    const sorted = [...pending].sort((a, b) => a.dueAt - b.dueAt || a.seq - b.seq)
    // Each owner's service loads now: its reset then reaches the deliveries restored for it.
    for (const p of sorted) if (!this.owners.has(p.delivery.owner)) this.load(p.delivery.owner)
    for (const p of sorted) this.arm({ ...p, seq: this.seq++ })
  }

  /** One listener (persistence) hears every arm and disarm; undefined stops it. */
  watchPending(listener: PendingListener | undefined): void {
    this.listener = listener
  }

  /**
   * Whether pending deliveries are stored (Nimbus has a data dir). A source that answers its
   * client before delivering then schedules each delivery at once (`schedule`), so its row commits
   * with the answer, instead of holding a batch on the clock for the next tick.
   */
  get watched(): boolean {
    return this.listener !== undefined
  }

  /** Forgets an owner's pending deliveries and ignores its attempts in flight (the service's reset). */
  cancel(owner: string): void {
    for (const [seq, a] of this.armed) {
      if (a.pending.delivery.owner !== owner) continue
      a.timer.cancel()
      this.armed.delete(seq)
      this.finished(a.pending)
    }
    for (const p of this.inFlight) {
      if (p.delivery.owner !== owner) continue
      this.inFlight.delete(p)
      this.finished(p)
    }
  }

  /** Counts for an owner's health line, optionally only deliveries through one sender. */
  stats(owner: string, via?: string): FabricStats {
    const mine = (p: Pending) => p.delivery.owner === owner && (via === undefined || p.delivery.via === via)
    let waiting = 0
    let retrying = 0
    let inFlight = 0
    for (const { pending } of this.armed.values()) {
      if (!mine(pending)) continue
      waiting++
      if (pending.attempts > 0) retrying++
    }
    for (const p of this.inFlight) if (mine(p)) inFlight++
    return { waiting, retrying, inFlight }
  }

  private arm(pending: Pending): void {
    const timer = this.clock.at(pending.dueAt, () => {
      if (this.armed.get(pending.seq)?.pending !== pending) return
      this.armed.delete(pending.seq)
      this.attempt(pending)
    })
    this.armed.set(pending.seq, { pending, timer })
    if (this.listener !== undefined) {
      this.announced.add(pending.seq)
      this.listener(pending, 'armed')
    }
  }

  /** The delivery is over: persistence forgets it. Free when no listener heard it armed. */
  private finished(pending: Pending): void {
    if (this.announced.size > 0 && this.announced.delete(pending.seq)) this.listener?.(pending, 'done')
  }

  private sender(delivery: Delivery): Sender {
    if (delivery.via !== undefined) {
      let sender = this.senders.get(delivery.via)
      if (sender === undefined) {
        this.load(delivery.via)
        sender = this.senders.get(delivery.via)
      }
      if (sender !== undefined) return sender
      return () => { throw new DeliveryFailure('SDK_CLIENT_ERROR', `No sender ${delivery.via} is registered.`) }
    }
    const target = delivery.target
    const kinds = this.kinds.get(arnService(target))
    const kind = kinds?.length === 1 ? kinds[0] : kinds?.find((k) => k.accepts?.(target) ?? true)
    if (kind === undefined || (kind.accepts !== undefined && !kind.accepts(target))) {
      return () => { throw new DeliveryFailure('SDK_CLIENT_ERROR', `Nimbus does not deliver to ${arnService(target) || 'this'} targets yet: ${target}`) }
    }
    return kind.send
  }

  private attempt(p: Pending): void {
    if (!this.owners.has(p.delivery.owner)) this.load(p.delivery.owner)
    p.attempts += 1
    let sent: SendResult | Promise<SendResult>
    try {
      sent = this.sender(p.delivery)(p.delivery, p.attempts)
    } catch (error) {
      this.failed(p, classify(error))
      return
    }
    if (!(sent instanceof Promise)) {
      this.delivered(p, sent ?? undefined)
      return
    }
    this.inFlight.add(p)
    // A first attempt on the wire (an HTTP POST) is pending too: stored as it was before the attempt,
    // so a crash now repeats it at start. Retries were stored when armed.
    if (this.listener !== undefined && !this.announced.has(p.seq)) {
      this.announced.add(p.seq)
      this.listener({ ...p, attempts: p.attempts - 1 }, 'armed')
    }
    sent.then(
      (result) => { if (this.inFlight.delete(p)) this.delivered(p, result ?? undefined) },
      (error: unknown) => { if (this.inFlight.delete(p)) this.failed(p, classify(error)) },
    ).catch((error: unknown) => this.log(`[nimbus] delivery bookkeeping failed: ${String(error)}`))
  }

  private delivered(p: Pending, result: Delivered | undefined): void {
    this.finished(p)
    this.hop(p.delivery, 'delivered', p.attempts, result?.ref)
    this.owners.get(p.delivery.owner)?.settled?.(p, { outcome: 'delivered', attempts: p.attempts, throttles: p.throttles, delivered: result })
  }

  /** The mechanism: retry on the policy's schedule while attempts and age allow, else the dead-letter step. */
  private failed(p: Pending, failure: DeliveryFailure): void {
    const hooks = this.owners.get(p.delivery.owner)
    hooks?.attemptFailed?.(p, failure)
    const delivery = (p.delivery = hooks?.refresh?.(p) ?? p.delivery)
    if (failure.drop) {
      this.finished(p)
      this.hop(delivery, 'dropped', p.attempts)
      this.owners.get(delivery.owner)?.settled?.(p, { outcome: 'dropped', attempts: p.attempts, throttles: p.throttles, failure })
      return
    }
    // A throttle doesn't use up a retry; it moves the throttle schedule on.
    if (countsAsThrottle(delivery.policy, failure)) p.throttles += 1
    const next = nextAttempt(delivery.policy, failure, p.attempts, p.throttles, p.firstAt, this.clock.now(), this.jitter)
    if ('condition' in next) {
      this.exhausted(p, failure, next.condition)
      return
    }
    this.log(`[nimbus] ${delivery.owner}: delivery to ${delivery.target} failed (${failure.code}: ${failure.message}), attempt ${p.attempts}; retrying`)
    this.hop(delivery, 'retrying', p.attempts)
    p.dueAt = next.retryAt
    this.arm(p)
  }

  /** The dead-letter step: the owner shapes the letter, the DLQ's target kind takes it; else the delivery fails. */
  private exhausted(p: Pending, failure: DeliveryFailure, condition: Condition): void {
    this.finished(p)
    const { delivery } = p
    const hooks = this.owners.get(delivery.owner)
    const dlq: DeadLetter | undefined = delivery.deadLetter
    this.log(`[nimbus] ${delivery.owner}: delivery to ${delivery.target} failed (${failure.code}: ${failure.message})${dlq === undefined ? ', dropped' : ''}`)
    let outcome: 'dead-lettered' | 'failed' = 'failed'
    let dlqRef: string | undefined
    if (dlq !== undefined) {
      const plain: Letter = { payload: dlq.payload ?? delivery.payload, options: dlq.options ?? delivery.options }
      const letter = hooks?.deadLetter?.(p, failure, condition, plain) ?? plain
      const dead: Delivery = { owner: delivery.owner, source: delivery.source, id: delivery.id, target: dlq.target,
        payload: letter.payload, options: letter.options, policy: noRetry }
      try {
        const sent = this.sender(dead)(dead, 1)
        if (sent instanceof Promise) sent.catch((error: unknown) => this.log(`[nimbus] ${delivery.owner}: dead-letter target ${dlq.target} refused a message: ${String(error)}`))
        else dlqRef = sent?.ref
        outcome = 'dead-lettered'
      } catch (error) {
        this.log(`[nimbus] ${delivery.owner}: dead-letter target ${dlq.target} refused a message: ${(error as Error).message}`)
      }
    }
    this.hop(delivery, outcome, p.attempts)
    if (dlq !== undefined) this.trace.record(this.clock.now(), delivery.source, dlq.target, delivery.id, outcome === 'dead-lettered' ? 'delivered' : 'failed', 1, dlqRef)
    hooks?.settled?.(p, { outcome, attempts: p.attempts, throttles: p.throttles, failure, condition })
  }

  /** Runs the loader of the service a name belongs to, once. */
  private load(name: string): void {
    const service = name.split(':', 1)[0]!
    const load = this.loaders.get(service)
    if (load === undefined) return
    this.loaders.delete(service)
    load()
  }

  private hop(delivery: Delivery, outcome: HopOutcome, attempt: number, ref?: string): void {
    this.trace.record(this.clock.now(), delivery.source, delivery.target, delivery.id, outcome, attempt, ref)
  }
}

/** The service part of an ARN (arn:partition:service:…), without splitting the string. */
export function arnService(arn: string): string {
  const a = arn.indexOf(':')
  const b = a < 0 ? -1 : arn.indexOf(':', a + 1)
  const c = b < 0 ? -1 : arn.indexOf(':', b + 1)
  return c < 0 || !arn.startsWith('arn:') ? '' : arn.slice(b + 1, c)
}
