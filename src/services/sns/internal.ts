// The narrow port other services use to reach SNS (S3 notifications, EventBridge targets, Lambda
// destinations): publish to a topic with the same validation and fan-out as the API.
import type { Deliverer } from './delivery.ts'
import type { PublishRequest } from './message.ts'
import { publishToTopic } from './operations/publish.ts'
import type { SnsState } from './store.ts'

export interface SnsPort {
  exists(topicArn: string): boolean
  isFifo(topicArn: string): boolean
  /** Publishes as the Publish API does; throws NotFound / InvalidParameter as it would. */
  publish(topicArn: string, request: PublishRequest): { messageId: string; sequenceNumber: string | undefined }
}

export function createSnsPort(state: SnsState, deliverer: Deliverer): SnsPort {
  return {
    exists: (arn) => state.findTopic(arn) !== undefined,
    isFifo: (arn) => state.requireTopic(arn).fifo,
    publish: (arn, request) => {
      const out = publishToTopic(state, deliverer, state.requireTopic(arn), request)
      return { messageId: out.MessageId, sequenceNumber: out.SequenceNumber }
    },
  }
}
