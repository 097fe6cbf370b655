// SendMessage, ReceiveMessage (with long polling), DeleteMessage, ChangeMessageVisibility.
import type { Operation, OperationContext } from '../../service.ts'
import type * as T from '../generated/types.ts'
import { limits } from '../limits.ts'
import { attributesMd5, md5Hex, selectAttributes } from '../message.ts'
import type { Delivery, Queue, SendOutcome } from '../queue.ts'
import type { SqsState } from '../store.ts'
import { checkRange, requireQueue } from './common.ts'

/** What SendMessage and SendMessageBatch answer: digests of what the caller sent (SDKs check them). */
export function sendResult(outcome: SendOutcome, sent: { body: string; attributes?: unknown; systemAttributes?: unknown }) {
  const { message } = outcome
  if (!outcome.duplicate) {
    return {
      MessageId: message.id, MD5OfMessageBody: message.bodyMd5, MD5OfMessageAttributes: message.attributesMd5,
      MD5OfMessageSystemAttributes: message.systemAttributesMd5, SequenceNumber: message.sequenceNumber,
    }
  }
  // A FIFO duplicate answers with the original MessageId, but digests of what this call sent.
  return {
    MessageId: message.id,
    MD5OfMessageBody: md5Hex(sent.body),
    MD5OfMessageAttributes: attributesMd5(sent.attributes as T.SendMessageRequest['MessageAttributes']),
    MD5OfMessageSystemAttributes: attributesMd5(sent.systemAttributes as T.SendMessageRequest['MessageSystemAttributes']),
    SequenceNumber: message.sequenceNumber,
  }
}

const systemAttributeNames = ['ApproximateFirstReceiveTimestamp', 'ApproximateReceiveCount', 'AWSTraceHeader', 'SenderId',
  'SentTimestamp', 'SqsManagedSseEnabled', 'MessageDeduplicationId', 'MessageGroupId', 'SequenceNumber',
  'DeadLetterQueueSourceArn'] as const

function systemAttributes(delivery: Delivery, queue: Queue, wanted: ReadonlySet<string>): Record<string, string> | undefined {
  if (wanted.size === 0) return undefined
  const m = delivery.message
  const all = wanted.has('All')
  const values: Record<string, string | undefined> = {
    ApproximateFirstReceiveTimestamp: m.firstReceivedAt === undefined ? undefined : String(m.firstReceivedAt),
    ApproximateReceiveCount: String(m.receiveCount),
    AWSTraceHeader: m.systemAttributes?.AWSTraceHeader?.StringValue,
    SenderId: m.senderId,
    SentTimestamp: String(m.sentAt),
    SqsManagedSseEnabled: queue.attribute('SqsManagedSseEnabled'),
    MessageDeduplicationId: m.dedupId,
    MessageGroupId: m.groupId,
    SequenceNumber: m.sequenceNumber,
    DeadLetterQueueSourceArn: m.deadLetterSourceArn,
  }
  const out: Record<string, string> = {}
  for (const name of systemAttributeNames) {
    const value = values[name]
    if (value !== undefined && (all || wanted.has(name))) out[name] = value
  }
  return Object.keys(out).length > 0 ? out : undefined
}

function toOutputMessage(delivery: Delivery, queue: Queue, wantedSystem: ReadonlySet<string>,
  wantedAttributes: string[] | undefined): T.Message {
  const m = delivery.message
  // The digest covers only the attributes actually returned, as SDKs recompute it over those.
  const attributes = selectAttributes(m.attributes, wantedAttributes)
  return {
    MessageId: m.id,
    ReceiptHandle: delivery.receiptHandle,
    MD5OfBody: m.bodyMd5,
    Body: m.body,
    Attributes: systemAttributes(delivery, queue, wantedSystem),
    MD5OfMessageAttributes: attributes === undefined ? undefined : attributesMd5(attributes),
    MessageAttributes: attributes,
  }
}

export function messageOperations(state: SqsState) {
  const sendMessage: Operation<T.SendMessageRequest, T.SendMessageResult> = (input, ctx) => {
    const queue = requireQueue(state, input.QueueUrl, ctx)
    const outcome = queue.send({
      body: input.MessageBody, attributes: input.MessageAttributes, systemAttributes: input.MessageSystemAttributes,
      delaySeconds: input.DelaySeconds, groupId: input.MessageGroupId, dedupId: input.MessageDeduplicationId,
      senderId: ctx.caller.account,
    })
    return sendResult(outcome, { body: input.MessageBody, attributes: input.MessageAttributes, systemAttributes: input.MessageSystemAttributes })
  }

  const receiveMessage: Operation<T.ReceiveMessageRequest, T.ReceiveMessageResult> = (input, ctx) => {
    const queue = requireQueue(state, input.QueueUrl, ctx)
    checkRange('MaxNumberOfMessages', input.MaxNumberOfMessages, 1, 10)
    checkRange('WaitTimeSeconds', input.WaitTimeSeconds, 0, limits.maxWaitSeconds, 'Must be >= 0 and <= 20, if provided.')
    checkRange('VisibilityTimeout', input.VisibilityTimeout, 0, limits.maxVisibilitySeconds)
    const wantedSystem = new Set<string>([...(input.AttributeNames ?? []), ...(input.MessageSystemAttributeNames ?? [])])
    const options = {
      max: input.MaxNumberOfMessages ?? 1,
      visibilityTimeout: input.VisibilityTimeout,
      attemptId: queue.fifo ? input.ReceiveRequestAttemptId : undefined,
    }
    const format = (deliveries: Delivery[]): T.ReceiveMessageResult => deliveries.length === 0 ? emptyReceive(queue, ctx.clock.now()) : {
      Messages: deliveries.map((d) => toOutputMessage(d, queue, wantedSystem, input.MessageAttributeNames)),
    }
    const first = queue.receive(options)
    const wait = input.WaitTimeSeconds ?? queue.receiveWaitSeconds
    // A stopping Nimbus answers at once: the client gets its (empty) answer before the server closes.
    if (first.length > 0 || wait === 0 || state.draining) return format(first)
    return longPoll(state, queue, options, wait, ctx).then(format)
  }

  const deleteMessage: Operation<T.DeleteMessageRequest, void> = (input, ctx) => {
    requireQueue(state, input.QueueUrl, ctx).delete(input.ReceiptHandle)
  }

  const changeMessageVisibility: Operation<T.ChangeMessageVisibilityRequest, void> = (input, ctx) => {
    const queue = requireQueue(state, input.QueueUrl, ctx)
    checkRange('VisibilityTimeout', input.VisibilityTimeout, 0, limits.maxVisibilitySeconds)
    queue.changeVisibility(input.ReceiptHandle, input.VisibilityTimeout)
  }

  return {
    SendMessage: sendMessage, ReceiveMessage: receiveMessage, DeleteMessage: deleteMessage,
    ChangeMessageVisibility: changeMessageVisibility,
  }
}

/** An empty answer is one NumberOfEmptyReceives (a long poll counts once, when it ends empty). */
function emptyReceive(queue: Queue, now: number): T.ReceiveMessageResult {
  queue.metrics.received(now, 0)
  return {}
}

/** Waits on the clock for messages: returns as soon as any arrive, or empty when the wait ends or the client leaves. */
function longPoll(state: SqsState, queue: Queue, options: Parameters<Queue['receive']>[0], waitSeconds: number,
  ctx: OperationContext): Promise<Delivery[]> {
  return new Promise((resolve) => {
    let done = false
    state.longPolls++
    const finish = (deliveries: Delivery[]) => {
      if (done) return
      done = true
      state.longPolls--
      state.longPollEnders.delete(onAbort)
      timer.cancel()
      removeWaiter()
      ctx.signal.removeEventListener('abort', onAbort)
      resolve(deliveries)
    }
    const onAbort = () => finish([])
    const timer = ctx.clock.after(waitSeconds * 1000, () => finish([]))
    const removeWaiter = queue.addWaiter(() => {
      if (done) return true
      const deliveries = queue.receive(options)
      if (deliveries.length === 0) return false
      finish(deliveries)
      return true
    })
    ctx.signal.addEventListener('abort', onAbort, { once: true })
    state.longPollEnders.add(onAbort)
  })
}
