// What a send makes of its input before it joins a queue: the rules that depend on the queue's type
// (FIFO group and deduplication ids, delays) and the message itself, new or moved in from another queue.
import { createHash } from 'node:crypto'
import { newMessageId } from '../../core/ids.ts'
import { sqsErrors } from './errors.ts'
import { limits } from './limits.ts'
import { attributesMd5, type Message, md5Hex } from './message.ts'
import { validateFifoId } from './message-input.ts'
import type { SendInput } from './queue-types.ts'

/** FIFO rules for a send; returns the deduplication id to use. */
export function checkFifoSend(input: SendInput, contentBasedDeduplication: string | undefined): string {
  if (input.groupId === undefined) throw sqsErrors.missingParameter('MessageGroupId')
  validateFifoId('MessageGroupId', input.groupId)
  validateFifoId('MessageDeduplicationId', input.dedupId)
  if (input.delaySeconds !== undefined && input.delaySeconds !== 0) {
    // AWS's wording, "include" and all.
    throw sqsErrors.invalidParameter('DelaySeconds', input.delaySeconds,
      'The request include parameter that is not valid for this queue type.')
  }
  if (input.dedupId !== undefined) return input.dedupId
  if (contentBasedDeduplication !== 'true') {
    throw sqsErrors.invalidParameterValue(
      'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly')
  }
  return createHash('sha256').update(input.body, 'utf8').digest('hex')
}

/** Standard-queue rules for a send: no deduplication id; a group id (fair queues) must be well formed. */
export function checkStandardSend(input: SendInput): void {
  if (input.dedupId !== undefined) {
    throw sqsErrors.invalidParameter('MessageDeduplicationId', input.dedupId,
      'The request includes a parameter that is not valid for this queue type.')
  }
  validateFifoId('MessageGroupId', input.groupId)
}

/** The send's delay, else the queue's `DelaySeconds`, checked against 0–900. */
export function checkDelay(delay: number): number {
  if (!Number.isInteger(delay) || delay < 0 || delay > limits.maxDelaySeconds) {
    throw sqsErrors.invalidParameter('DelaySeconds', delay, 'DelaySeconds must be >= 0 and <= 900.')
  }
  return delay
}

/** The key a FIFO queue deduplicates on: per queue, or per message group (`DeduplicationScope`). */
export function dedupKey(scope: string | undefined, groupId: string, dedupId: string): string {
  return scope === 'messageGroup' ? `${groupId}\u0000${dedupId}` : dedupId
}

/** A message as a send creates it, visible after `delay` seconds. */
export function newMessage(input: SendInput, now: number, size: number, delay: number,
  dedupId: string | undefined, sequenceNumber: string | undefined): Message {
  return {
    id: newMessageId(),
    body: input.body,
    bodyMd5: md5Hex(input.body),
    attributes: nonEmpty(input.attributes),
    attributesMd5: attributesMd5(input.attributes),
    systemAttributes: nonEmpty(input.systemAttributes),
    systemAttributesMd5: attributesMd5(input.systemAttributes),
    senderId: input.senderId,
    sentAt: now,
    enqueuedAt: now,
    groupId: input.groupId,
    dedupId,
    sequenceNumber,
    deadLetterSourceArn: undefined,
    visibleAt: now + delay * 1000,
    receiveCount: 0,
    firstReceivedAt: undefined,
    lastReceivedAt: undefined,
    receipt: 0,
    deleted: false,
    hidden: false,
    readyToken: 0,
    size,
  }
}

/** A message arriving from another queue (dead-letter move or redrive): same id, body and attributes, visible now. */
export function movedMessage(from: Message, now: number, fifo: boolean, sequenceNumber: string | undefined,
  sourceArn: string | undefined): Message {
  return {
    ...from,
    // A standard DLQ keeps the original enqueue time for retention; a FIFO one starts afresh.
    enqueuedAt: fifo ? now : from.enqueuedAt,
    sequenceNumber,
    deadLetterSourceArn: sourceArn,
    visibleAt: now,
    lastReceivedAt: undefined,
    receipt: 0,
    deleted: false,
    hidden: false,
    readyToken: 0,
  }
}

function nonEmpty<T extends object>(value: T | undefined): T | undefined {
  return value === undefined || Object.keys(value).length === 0 ? undefined : value
}
