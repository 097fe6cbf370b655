// The narrow, typed port other services use to reach SQS (SNS delivery, Lambda pollers, S3 and
// EventBridge targets). No HTTP between services: same validation, same queue semantics.
import type { Attributes } from './message.ts'
import type { Delivery } from './queue.ts'
import type { SqsQueueEvent, SqsState } from './store.ts'
import type { Listener } from '../../core/events.ts'
import { sqsErrors } from './errors.ts'

export interface SqsSendRequest {
  queueArn: string
  body: string
  attributes?: Attributes
  groupId?: string
  dedupId?: string
  delaySeconds?: number
  /** The principal sending, shown as SenderId (a service's own account for AWS-originated sends). */
  senderId: string
  /** X-Ray header, kept as the AWSTraceHeader system attribute. */
  traceHeader?: string
}

export interface SqsReceived {
  messageId: string
  receiptHandle: string
  body: string
  bodyMd5: string
  attributes: Attributes | undefined
  attributesMd5: string | undefined
  receiveCount: number
  sentTimestamp: number
  firstReceiveTimestamp: number
  senderId: string
  groupId: string | undefined
  dedupId: string | undefined
  sequenceNumber: string | undefined
  traceHeader: string | undefined
}

export interface SqsPort {
  exists(queueArn: string): boolean
  isFifo(queueArn: string): boolean
  send(request: SqsSendRequest): { messageId: string; sequenceNumber: string | undefined }
  /** Receives as a poller would; `visibilityTimeout` defaults to the queue's. */
  receive(queueArn: string, max: number, visibilityTimeout?: number): SqsReceived[]
  delete(queueArn: string, receiptHandle: string): void
  changeVisibility(queueArn: string, receiptHandle: string, seconds: number): void
  visibilityTimeout(queueArn: string): number
  /** Calls `listener` whenever messages may have become available; returns the unsubscriber. */
  onAvailable(queueArn: string, listener: () => void): () => void
  /** Queue created/deleted anywhere; returns the unsubscriber. */
  onQueueEvent(listener: Listener<SqsQueueEvent>): () => void
}

function received({ message: m, receiptHandle }: Delivery): SqsReceived {
  return {
    messageId: m.id, receiptHandle, body: m.body, bodyMd5: m.bodyMd5, attributes: m.attributes,
    attributesMd5: m.attributesMd5, receiveCount: m.receiveCount, sentTimestamp: m.sentAt,
    firstReceiveTimestamp: m.firstReceivedAt ?? m.sentAt, senderId: m.senderId, groupId: m.groupId, dedupId: m.dedupId,
    sequenceNumber: m.sequenceNumber, traceHeader: m.systemAttributes?.AWSTraceHeader?.StringValue,
  }
}

export function createSqsPort(state: SqsState): SqsPort {
  const queue = (arn: string) => {
    const q = state.findByArn(arn)
    if (q === undefined) throw sqsErrors.queueDoesNotExist()
    return q
  }
  return {
    exists: (arn) => state.findByArn(arn) !== undefined,
    isFifo: (arn) => queue(arn).fifo,
    send: (r) => {
      const { message } = queue(r.queueArn).send({
        body: r.body, attributes: r.attributes, groupId: r.groupId, dedupId: r.dedupId, delaySeconds: r.delaySeconds,
        senderId: r.senderId,
        systemAttributes: r.traceHeader === undefined ? undefined : { AWSTraceHeader: { DataType: 'String', StringValue: r.traceHeader } },
      })
      return { messageId: message.id, sequenceNumber: message.sequenceNumber }
    },
    receive: (arn, max, visibilityTimeout) => queue(arn).receive({ max, visibilityTimeout }).map(received),
    delete: (arn, handle) => queue(arn).delete(handle),
    changeVisibility: (arn, handle, seconds) => queue(arn).changeVisibility(handle, seconds),
    visibilityTimeout: (arn) => queue(arn).visibilityTimeout,
    onAvailable: (arn, listener) => queue(arn).addWaiter(() => {
      listener()
      return false
    }),
    onQueueEvent: (listener) => state.events.on(listener),
  }
}
