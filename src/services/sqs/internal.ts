// SQS's port (port.ts) implemented over its state. No HTTP between services: same validation,
// same queue semantics as the API.
import type { Delivery } from './queue.ts'
import type { SqsState } from './store.ts'
import { sqsErrors } from './errors.ts'
import type { SqsPort, SqsReceived } from './port.ts'
import { sqsMetricSource } from './metric-source.ts'

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
    receive: (arn, max, visibilityTimeout) => {
      const q = queue(arn)
      const deliveries = q.receive({ max, visibilityTimeout })
      if (deliveries.length === 0) q.metrics.received(state.clock.now(), 0)
      return deliveries.map(received)
    },
    delete: (arn, handle) => queue(arn).delete(handle),
    changeVisibility: (arn, handle, seconds) => queue(arn).changeVisibility(handle, seconds),
    visibilityTimeout: (arn) => queue(arn).visibilityTimeout,
    onAvailable: (arn, listener) => queue(arn).addWaiter(() => {
      listener()
      return false
    }),
    onQueueEvent: (listener) => state.events.on(listener),
    metrics: sqsMetricSource(state),
  }
}
