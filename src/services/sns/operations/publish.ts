// Publish and PublishBatch: validate, record (FIFO dedup and sequence), then fan out.
import { randomUUID } from 'node:crypto'
import { isAwsError } from '../../../protocol/errors.ts'
import type { Operation } from '../../service.ts'
import type { Deliverer } from '../delivery.ts'
import { queryCode, snsErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { limits } from '../limits.ts'
import { buildMessage, checkPublish, type PublishRequest, publishSize } from '../message.ts'
import type { SnsState } from '../store.ts'
import type { Topic } from '../topic.ts'

/** Publishes one message to a topic: the domain step Publish, PublishBatch and the internal port share. */
export function publishToTopic(state: SnsState, deliverer: Deliverer, topic: Topic, request: PublishRequest):
  { MessageId: string; SequenceNumber: string | undefined } {
  checkPublish(topic, request)
  const message = buildMessage(topic, request, randomUUID(), state.clock.now())
  const dedupKey = message.dedupId === undefined ? undefined
    : topic.attributes.FifoThroughputScope === 'MessageGroup' ? `${message.groupId}\u0000${message.dedupId}` : message.dedupId
  const recorded = topic.record(message.id, dedupKey)
  message.sequenceNumber = recorded.sequenceNumber
  if (recorded.fresh) deliverer.fanOut(topic, message, publishSize(request))
  return { MessageId: recorded.messageId, SequenceNumber: recorded.sequenceNumber }
}

const batchEntryId = /^[A-Za-z0-9_-]{1,80}$/
/** E.164: a plus, then up to 15 digits [D]. */
const phoneNumber = /^\+[1-9]\d{1,14}$/

/** A text straight to a phone number: recorded for /_nimbus/sns/messages, nothing sent. */
function publishSms(state: SnsState, input: T.PublishInput): T.PublishResponse {
  const number = input.PhoneNumber!
  if (!phoneNumber.test(number)) throw snsErrors.invalidParameterReason('PhoneNumber', `${number} is not valid to publish to`)
  if (input.Message === '') throw snsErrors.invalidParameter('Empty message')
  if (Buffer.byteLength(input.Message) > 1600) throw snsErrors.invalidParameter('Message too long for an SMS (1600 bytes)')
  const messageId = randomUUID()
  state.outbox.record({
    protocol: 'sms', endpoint: number, topicArn: '', subscriptionArn: undefined, type: 'Notification', messageId,
    subject: undefined, message: input.Message, subscribeUrl: undefined, timestamp: new Date(state.clock.now()).toISOString(),
  })
  return { MessageId: messageId }
}

export function publishOperations(state: SnsState, deliverer: Deliverer) {
  const publish: Operation<T.PublishInput, T.PublishResponse> = (input) => {
    if (input.PhoneNumber !== undefined && input.TopicArn === undefined && input.TargetArn === undefined) {
      return publishSms(state, input)
    }
    const parameter = input.TopicArn !== undefined ? 'TopicArn' : 'TargetArn'
    const arn = input.TopicArn ?? input.TargetArn
    if (arn === undefined) throw snsErrors.invalidParameter('TopicArn or TargetArn Reason: no value for required parameter')
    if (arn.includes(':endpoint/')) throw snsErrors.notImplemented('Publish to a platform endpoint')
    return publishToTopic(state, deliverer, state.requireTopic(arn, parameter), input)
  }

  const publishBatch: Operation<T.PublishBatchInput, T.PublishBatchResponse> = (input) => {
    const topic = state.requireTopic(input.TopicArn)
    const entries = input.PublishBatchRequestEntries ?? []
    if (entries.length === 0) throw snsErrors.emptyBatch()
    if (entries.length > limits.maxBatchEntries) throw snsErrors.tooManyEntries()
    const ids = new Set<string>()
    for (const entry of entries) {
      if (ids.has(entry.Id)) throw snsErrors.batchIdsNotDistinct()
      ids.add(entry.Id)
      if (!batchEntryId.test(entry.Id)) throw snsErrors.invalidBatchEntryId()
    }
    if (entries.reduce((n, e) => n + publishSize(e), 0) > limits.maxMessageBytes) throw snsErrors.batchTooLong()
    const Successful: T.PublishBatchResultEntry[] = []
    const Failed: T.BatchResultErrorEntry[] = []
    for (const entry of entries) {
      try {
        const out = publishToTopic(state, deliverer, topic, entry)
        Successful.push({ Id: entry.Id, MessageId: out.MessageId, SequenceNumber: out.SequenceNumber })
      } catch (error) {
        if (!isAwsError(error)) throw error
        Failed.push({ Id: entry.Id, Code: queryCode(error), Message: error.message, SenderFault: error.fault === 'Sender' })
      }
    }
    return { Successful, Failed }
  }

  return { Publish: publish, PublishBatch: publishBatch }
}
