// SNS's port (port.ts) implemented over its state: the same path as the Publish API.
import type { MetricSource } from '../cloudwatch/port.ts'
import type { Deliverer } from './delivery.ts'
import { publishToTopic } from './operations/publish.ts'
import type { SnsState } from './store.ts'
import type { SnsPort } from './port.ts'

export function createSnsPort(state: SnsState, deliverer: Deliverer, metrics: MetricSource): SnsPort {
  return {
    metrics,
    exists: (arn) => state.findTopic(arn) !== undefined,
    isFifo: (arn) => state.requireTopic(arn).fifo,
    publish: (arn, request) => {
      const out = publishToTopic(state, deliverer, state.requireTopic(arn), request)
      return { messageId: out.MessageId, sequenceNumber: out.SequenceNumber }
    },
  }
}
