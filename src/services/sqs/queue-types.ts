// The shapes a queue takes and gives: identity, send and receive inputs and outcomes.
import type { Attributes, Message, SystemAttributes } from './message.ts'

export interface QueueIdentity {
  readonly name: string
  readonly account: string
  readonly region: string
  readonly arn: string
  /** Unique per incarnation: a handle from a deleted-and-recreated queue is not valid here. */
  readonly uid: string
}

export interface SendInput {
  body: string
  attributes?: Attributes
  systemAttributes?: SystemAttributes
  delaySeconds?: number
  groupId?: string
  dedupId?: string
  senderId: string
  /** Inside SendMessageBatch AWS words the size error differently. */
  inBatch?: boolean
}

export interface SendOutcome {
  message: Message
  /** A FIFO duplicate inside the deduplication window: accepted, not enqueued. */
  duplicate: boolean
}

export interface ReceiveOptions {
  max: number
  visibilityTimeout?: number
  attemptId?: string
}

export interface Delivery {
  message: Message
  receiptHandle: string
}

/** Someone waiting for messages: a long poll (returns true once satisfied) or a standing listener. */
export type Waiter = () => boolean
