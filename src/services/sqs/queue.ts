// One queue: its attributes and messages; sending, receiving, visibility, deletion and redrive.
// What a send makes is queue-send.ts, long-poll wake-ups queue-waiters.ts, FIFO receive-attempt
// replays receive-attempts.ts. Synchronous; time comes from the injected clock, so a manual clock
// drives every timeout.
import type { Clock } from '../../core/clock.ts'
import { sqsErrors } from './errors.ts'
import { limits } from './limits.ts'
import { DedupWindow } from './dedup-window.ts'
import { type Message, messageSize } from './message.ts'
import { FifoOrder, type MessageOrder, StandardOrder } from './message-order.ts'
import { validateAttributes, validateBody, validateSystemAttributes } from './message-input.ts'
import { parseRedriveAllowPolicy, type RedriveAllowPolicy, type RedrivePolicy } from './queue-attributes.ts'
import { decodeReceipt, encodeReceipt } from './receipt.ts'
import { type GaugeCounts, QueueMetricLog } from './metric-log.ts'
import { gaugeCounts } from './queue-counts.ts'
import { checkDelay, checkFifoSend, checkStandardSend, dedupKey, movedMessage, newMessage } from './queue-send.ts'
import { QueueWaiters } from './queue-waiters.ts'
import { ReceiveAttempts } from './receive-attempts.ts'
import type { Delivery, QueueIdentity, ReceiveOptions, SendInput, SendOutcome, Waiter } from './queue-types.ts'
import type { RestoredQueue, SqsRows } from './sqs-rows.ts'

export type { Delivery, QueueIdentity, ReceiveOptions, SendInput, SendOutcome, Waiter } from './queue-types.ts'

export interface QueueDeps {
  clock: Clock
  findByArn(arn: string): Queue | undefined
  /** With a data dir: every state change is written here (sqs-rows.ts). */
  rows?: SqsRows
  /** Its AWS/SQS metrics gained a minute or a gauge sample (CloudWatch re-plans alarms then). */
  metricsChanged?: (queue: QueueIdentity) => void
  /** A message moved to the dead-letter queue after `receiveCount` receives (a hop in the fabric's trace log). */
  deadLettered?: (from: string, to: string, messageId: string, receiveCount: number) => void
}

export class Queue {
  readonly identity: QueueIdentity
  readonly fifo: boolean
  readonly createdAt: number
  lastModifiedAt: number
  readonly tags: Record<string, string>
  private attributes: Record<string, string>
  private redrive: RedrivePolicy | undefined
  private readonly messages = new Map<string, Message>()
  private readonly order: MessageOrder
  private readonly deps: QueueDeps
  private readonly rows: SqsRows | undefined
  private readonly dedup: DedupWindow
  private readonly attempts = new ReceiveAttempts()
  private readonly waiters: QueueWaiters
  private sequence = 0n
  private closed = false
  lastPurgeAt: number | undefined
  /** Its AWS/SQS metrics, in memory (metric-log.ts). */
  readonly metrics: QueueMetricLog

  /** `restored`: the queue as stored when Nimbus last stopped (its attributes are then `attributes`). */
  constructor(identity: QueueIdentity, fifo: boolean, attributes: Record<string, string>, deps: QueueDeps, restored?: RestoredQueue) {
    this.identity = identity
    this.fifo = fifo
    this.deps = deps
    this.rows = deps.rows
    this.createdAt = this.lastModifiedAt = deps.clock.now()
    this.attributes = {}
    this.tags = {}
    this.order = fifo ? new FifoOrder() : new StandardOrder()
    this.waiters = new QueueWaiters(deps.clock, this.order)
    this.dedup = new DedupWindow(identity.uid, deps.rows)
    this.metrics = new QueueMetricLog(deps.clock, () => this.counts(), () => deps.metricsChanged?.(identity))
    if (restored === undefined) {
      this.setAttributes(attributes)
      return
    }
    const { row } = restored
    Object.assign(this.attributes, row.attributes)
    Object.assign(this.tags, row.tags)
    this.redrive = row.attributes.RedrivePolicy === undefined ? undefined : (JSON.parse(row.attributes.RedrivePolicy) as RedrivePolicy)
    this.createdAt = row.createdAt
    this.lastModifiedAt = row.lastModifiedAt
    this.lastPurgeAt = row.lastPurgeAt
    this.sequence = BigInt(row.sequence)
    // In the order they entered the queue; what became visible while Nimbus was down is visible now.
    const now = deps.clock.now()
    for (const message of restored.messages) {
      this.messages.set(message.id, message)
      this.order.add(message, now)
    }
    this.dedup.restore(restored.dedup)
  }

  /** The FIFO sequence counter (stored with the queue). */
  get sequenceCounter(): bigint {
    return this.sequence
  }

  // ---- attributes -------------------------------------------------------------------------------

  get name(): string {
    return this.identity.name
  }
  get arn(): string {
    return this.identity.arn
  }
  attribute(name: string): string | undefined {
    return this.attributes[name]
  }
  /** The stored (settable) attributes, as GetQueueAttributes shows them. */
  storedAttributes(): Readonly<Record<string, string>> {
    return this.attributes
  }
  private numeric(name: string): number {
    return Number(this.attributes[name])
  }
  get visibilityTimeout(): number {
    return this.numeric('VisibilityTimeout')
  }
  get receiveWaitSeconds(): number {
    return this.numeric('ReceiveMessageWaitTimeSeconds')
  }
  get maximumMessageSize(): number {
    return this.numeric('MaximumMessageSize')
  }
  get redrivePolicy(): RedrivePolicy | undefined {
    return this.redrive
  }
  get redriveAllowPolicy(): RedriveAllowPolicy | undefined {
    const raw = this.attributes.RedriveAllowPolicy
    return raw === undefined ? undefined : parseRedriveAllowPolicy(raw)
  }
  /** Applies validated attributes; an empty RedrivePolicy/Policy/RedriveAllowPolicy removes it. */
  setAttributes(values: Record<string, string>): void {
    for (const [name, value] of Object.entries(values)) {
      if (value === '' && ['Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId'].includes(name)) {
        delete this.attributes[name]
      } else {
        this.attributes[name] = value
      }
    }
    const redrive = this.attributes.RedrivePolicy
    this.redrive = redrive === undefined ? undefined : (JSON.parse(redrive) as RedrivePolicy)
    this.lastModifiedAt = this.deps.clock.now()
    this.rows?.queue(this)
  }

  tag(tags: Record<string, string>): void {
    Object.assign(this.tags, tags)
    this.rows?.queue(this)
  }

  untag(keys: readonly string[]): void {
    for (const key of keys) delete this.tags[key]
    this.rows?.queue(this)
  }

  // ---- send -------------------------------------------------------------------------------------

  send(input: SendInput): SendOutcome {
    validateBody(input.body)
    validateAttributes(input.attributes)
    validateSystemAttributes(input.systemAttributes)
    const size = messageSize(input.body, input.attributes)
    if (size > this.maximumMessageSize) throw sqsErrors.messageTooLong(this.maximumMessageSize, input.inBatch)
    const now = this.deps.clock.now()
    let dedupId: string | undefined
    if (this.fifo) {
      dedupId = checkFifoSend(input, this.attributes.ContentBasedDeduplication)
      const duplicate = this.dedup.find(this.dedupKey(input.groupId!, dedupId), now)
      if (duplicate !== undefined) return { message: duplicate, duplicate: true }
    } else {
      checkStandardSend(input)
    }
    const delay = checkDelay(input.delaySeconds ?? this.numeric('DelaySeconds'))
    const message = newMessage(input, now, size, delay, dedupId, this.fifo ? this.nextSequenceNumber() : undefined)
    if (this.fifo) this.dedup.remember(this.dedupKey(message.groupId!, dedupId!), message, now + limits.dedupWindowMs)
    this.enqueue(message, now)
    this.metrics.sent(now, size)
    return { message, duplicate: false }
  }

  private dedupKey(groupId: string, dedupId: string): string {
    return dedupKey(this.attributes.DeduplicationScope, groupId, dedupId)
  }

  private nextSequenceNumber(): string {
    this.sequence += 1n
    this.rows?.queue(this)
    return String(18_000_000_000_000_000_000n + this.sequence * 1_000n)
  }

  private enqueue(message: Message, now: number): void {
    this.messages.set(message.id, message)
    this.rows?.message(this.identity.uid, message)
    this.order.add(message, now)
    if (message.visibleAt <= now) this.waiters.notify()
    else this.waiters.arm()
  }

  /** A message arriving from another queue (dead-letter move or redrive): same id, body and attributes. */
  acceptMoved(from: Message, sourceArn: string | undefined): void {
    const now = this.deps.clock.now()
    const message = movedMessage(from, now, this.fifo, this.fifo ? this.nextSequenceNumber() : undefined, sourceArn)
    this.enqueue(message, now)
    this.metrics.touch(now)
  }

  // ---- receive ----------------------------------------------------------------------------------

  receive(options: ReceiveOptions): Delivery[] {
    if (this.closed) return []
    const now = this.deps.clock.now()
    const timeout = options.visibilityTimeout ?? this.visibilityTimeout
    if (this.fifo && options.attemptId !== undefined) {
      const replay = this.replayAttempt(options.attemptId, now, timeout)
      if (replay !== undefined) return replay
    }
    const taken = this.order.take(options.max, now, (message) => this.admit(message, now))
    const deliveries = taken.map((message) => {
      message.receiveCount++
      message.firstReceivedAt ??= now
      message.lastReceivedAt = now
      message.receipt++
      message.visibleAt = now + timeout * 1000
      this.order.hide(message)
      this.rows?.messageState(this.identity.uid, message)
      const receiptHandle = encodeReceipt({ queueUid: this.identity.uid, messageId: message.id, receipt: message.receipt })
      return { message, receiptHandle }
    })
    if (deliveries.length > 0) {
      this.waiters.arm()
      this.metrics.received(now, deliveries.length)
    }
    // An empty receive is not remembered: a retry (or a long poll's next look) must see new messages.
    if (this.fifo && options.attemptId !== undefined && deliveries.length > 0) this.attempts.remember(options.attemptId, deliveries, now)
    return deliveries
  }

  /** Retrying a FIFO receive with the same attempt id returns the same messages and handles, made invisible again. */
  private replayAttempt(attemptId: string, now: number, timeout: number): Delivery[] | undefined {
    const deliveries = this.attempts.replayable(attemptId, now)
    if (deliveries === undefined) return undefined
    for (const { message } of deliveries) {
      message.visibleAt = now + timeout * 1000
      this.order.hide(message)
      this.rows?.messageState(this.identity.uid, message)
    }
    return deliveries
  }

  /** Expired messages are dropped and poison messages moved to the DLQ when a receive reaches them. */
  private admit(message: Message, now: number): 'take' | 'removed' {
    if (this.expired(message, now)) {
      this.remove(message)
      return 'removed'
    }
    const redrive = this.redrive
    if (redrive !== undefined && message.receiveCount >= redrive.maxReceiveCount) {
      const dlq = this.deps.findByArn(redrive.deadLetterTargetArn)
      if (dlq !== undefined && dlq !== this) {
        this.remove(message)
        dlq.acceptMoved(message, this.arn)
        this.deps.deadLettered?.(this.arn, dlq.arn, message.id, message.receiveCount)
        return 'removed'
      }
    }
    return 'take'
  }

  private expired(message: Message, now: number): boolean {
    return now >= message.enqueuedAt + this.numeric('MessageRetentionPeriod') * 1000
  }

  private remove(message: Message): void {
    message.deleted = true
    this.messages.delete(message.id)
    this.order.remove(message)
    this.rows?.messageGone(this.identity.uid, message)
  }

  // ---- delete and visibility --------------------------------------------------------------------

  /** The message a handle names, or undefined when it was deleted. Handles of other queues are invalid. */
  private resolveHandle(handle: string): { message: Message | undefined; receipt: number } {
    const receipt = decodeReceipt(handle)
    if (receipt === undefined || receipt.queueUid !== this.identity.uid) throw sqsErrors.receiptHandleIsInvalid(handle)
    return { message: this.messages.get(receipt.messageId), receipt: receipt.receipt }
  }

  private inFlight(message: Message, now: number): boolean {
    return message.lastReceivedAt !== undefined && message.visibleAt > now
  }

  /**
   * Standard: a stale handle still deletes, unless the message is in flight under a newer receive
   * (AWS: "succeeds but the message might not be deleted"). FIFO: only the latest handle of a
   * message still in flight deletes; otherwise "The receipt handle has expired."
   */
  delete(handle: string): void {
    const { message, receipt } = this.resolveHandle(handle)
    if (message === undefined) return
    const now = this.deps.clock.now()
    const latest = receipt === message.receipt
    if (this.fifo) {
      if (!latest || !this.inFlight(message, now)) throw sqsErrors.receiptHandleExpired(handle)
    } else if (!latest && this.inFlight(message, now)) {
      return
    }
    this.remove(message)
    this.metrics.deleted(now)
    // Deleting a FIFO message may unlock its group for a waiting long poll.
    if (this.fifo) this.waiters.notify()
  }

  changeVisibility(handle: string, seconds: number): void {
    const { message, receipt } = this.resolveHandle(handle)
    if (message === undefined) throw sqsErrors.messageNotAvailable(handle)
    const now = this.deps.clock.now()
    if (this.fifo && (receipt !== message.receipt || !this.inFlight(message, now))) {
      throw sqsErrors.receiptHandleExpired(handle)
    }
    if (message.lastReceivedAt === undefined) throw sqsErrors.messageNotInflight()
    const elapsed = (now - message.lastReceivedAt) / 1000
    if (elapsed + seconds > limits.maxVisibilitySeconds) {
      throw sqsErrors.invalidParameter('VisibilityTimeout', seconds,
        `Total VisibilityTimeout for the message is beyond the limit [${limits.maxVisibilitySeconds} seconds]`)
    }
    message.visibleAt = now + seconds * 1000
    this.order.hide(message)
    this.rows?.messageState(this.identity.uid, message)
    this.metrics.touch(now)
    if (seconds === 0) this.waiters.notify()
    else this.waiters.arm()
  }

  // ---- whole-queue operations -------------------------------------------------------------------

  purge(): void {
    for (const message of this.messages.values()) {
      message.deleted = true
      this.rows?.messageGone(this.identity.uid, message)
    }
    this.messages.clear()
    this.order.clear()
    this.attempts.clear()
    this.lastPurgeAt = this.deps.clock.now()
    this.metrics.touch(this.lastPurgeAt)
    this.rows?.queue(this)
  }

  /** The queue was deleted: its rows go (the in-memory state goes with the object). */
  erase(): void {
    if (this.rows === undefined) return
    for (const message of this.messages.values()) this.rows.messageGone(this.identity.uid, message)
    this.dedup.erase()
    this.rows.queueGone(this)
  }

  /** Up to `max` messages as they stand, oldest first, none received (the web console's peek). */
  peek(max: number): Message[] { return [...this.messages.values()].filter((message) => !message.deleted).slice(0, max) }

  /** Takes up to `max` visible messages off the queue for a move task, oldest first. */
  takeForMove(max: number): Message[] {
    const now = this.deps.clock.now()
    const taken = this.order.take(max, now, (message) => (this.expired(message, now) ? (this.remove(message), 'removed') : 'take'))
    for (const message of taken) this.remove(message)
    return taken
  }

  counts(): GaugeCounts {
    const now = this.deps.clock.now()
    // A Map may lose entries while iterated: expired messages are removed as the pass reaches them.
    return gaugeCounts(this.messages.values(), now, this.numeric('MessageRetentionPeriod') * 1000,
      (message) => this.expired(message, now), (message) => this.remove(message))
  }

  // ---- waiting ----------------------------------------------------------------------------------

  /** Registers a waiter, called whenever messages may have become available; returns its remover. */
  addWaiter(waiter: Waiter): () => void {
    return this.waiters.add(waiter)
  }

  /** Drops everything this queue holds on the clock (queue deleted, emulator stopping). */
  close(): void {
    this.closed = true
    this.metrics.close()
    this.waiters.close()
  }

  get inFlightCount(): number {
    const now = this.deps.clock.now()
    let n = 0
    for (const message of this.messages.values()) if (this.inFlight(message, now)) n++
    return n
  }
}
