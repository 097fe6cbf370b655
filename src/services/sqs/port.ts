// The narrow, typed port other services use to reach SQS (SNS delivery, Lambda pollers, S3 and
// EventBridge targets): types only, so a service that holds it imports nothing of SQS's insides.
import type { Listener } from '../../core/events.ts'
import type { MetricSource } from '../cloudwatch/port.ts'
import type { MessageAttributeValue } from './generated/types.ts'

export type Attributes = Record<string, MessageAttributeValue>

export interface SqsQueueEvent {
  type: 'QueueCreated' | 'QueueDeleted'
  queueArn: string
  fifo: boolean
}

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
  /** The AWS/SQS metrics queues publish, computed from their in-memory logs when CloudWatch reads them. */
  metrics: MetricSource
}
