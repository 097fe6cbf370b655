// The narrow port other services use to reach SNS (S3 notifications, EventBridge targets, Lambda
// destinations): publish to a topic with the same validation and fan-out as the API. Types only.
import type { MetricSource } from '../cloudwatch/port.ts'
import type { MessageAttributeValue } from './generated/types.ts'

export type SnsMessageAttributes = Record<string, MessageAttributeValue>

export interface PublishRequest {
  Message: string
  Subject?: string
  MessageStructure?: string
  MessageAttributes?: SnsMessageAttributes
  MessageDeduplicationId?: string
  MessageGroupId?: string
}

export interface SnsPort {
  exists(topicArn: string): boolean
  isFifo(topicArn: string): boolean
  /** Publishes as the Publish API does; throws NotFound / InvalidParameter as it would. */
  publish(topicArn: string, request: PublishRequest): { messageId: string; sequenceNumber: string | undefined }
  /** The AWS/SNS metrics topics publish, from their in-memory per-minute counters. */
  metrics: MetricSource
}
