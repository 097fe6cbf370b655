// SendMessageBatch, DeleteMessageBatch, ChangeMessageVisibilityBatch: whole-request checks first,
// then per-entry results (Successful / Failed) with HTTP 200.
import { isAwsError } from '../../../protocol/errors.ts'
import type { Operation } from '../../service.ts'
import { sqsErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { limits } from '../limits.ts'
import { messageSize } from '../message.ts'
import type { SqsState } from '../store.ts'
import { checkRange, requireQueue } from './common.ts'
import { sendResult } from './messages.ts'

const entryId = /^[A-Za-z0-9_-]{1,80}$/

function checkEntries(entries: { Id: string }[] | undefined, entryName: string): { Id: string }[] {
  if (entries === undefined || entries.length === 0) throw sqsErrors.emptyBatchRequest(entryName)
  if (entries.length > limits.maxBatchEntries) throw sqsErrors.tooManyEntriesInBatchRequest(entries.length)
  const seen = new Set<string>()
  for (const { Id } of entries) {
    if (!entryId.test(Id)) throw sqsErrors.invalidBatchEntryId()
    if (seen.has(Id)) throw sqsErrors.batchEntryIdsNotDistinct(Id)
    seen.add(Id)
  }
  return entries
}

/** Runs one entry; an AWS error becomes a Failed entry, anything else is a real failure and propagates. */
function attempt<R>(id: string, run: () => R, failed: T.BatchResultErrorEntry[]): R | undefined {
  try {
    return run()
  } catch (error) {
    if (!isAwsError(error)) throw error
    failed.push({ Id: id, SenderFault: error.fault === 'Sender', Code: error.code, Message: error.message })
    return undefined
  }
}

export function batchOperations(state: SqsState) {
  const sendMessageBatch: Operation<T.SendMessageBatchRequest, T.SendMessageBatchResult> = (input, ctx) => {
    const queue = requireQueue(state, input.QueueUrl, ctx)
    checkEntries(input.Entries, 'SendMessageBatchRequestEntry')
    const total = input.Entries.reduce((sum, e) => sum + messageSize(e.MessageBody, e.MessageAttributes), 0)
    if (total > limits.maxBatchPayload) throw sqsErrors.batchRequestTooLong(limits.maxBatchPayload, total)
    if (queue.fifo && input.Entries.some((e) => e.MessageGroupId === undefined)) throw sqsErrors.missingParameter('MessageGroupId')
    const successful: T.SendMessageBatchResultEntry[] = []
    const failed: T.BatchResultErrorEntry[] = []
    for (const entry of input.Entries) {
      const outcome = attempt(entry.Id, () => queue.send({
        body: entry.MessageBody, attributes: entry.MessageAttributes, systemAttributes: entry.MessageSystemAttributes,
        delaySeconds: entry.DelaySeconds, groupId: entry.MessageGroupId, dedupId: entry.MessageDeduplicationId,
        senderId: ctx.caller.account, inBatch: true,
      }), failed)
      if (outcome === undefined) continue
      successful.push({ Id: entry.Id, ...sendResult(outcome, {
        body: entry.MessageBody, attributes: entry.MessageAttributes, systemAttributes: entry.MessageSystemAttributes,
      }) } as T.SendMessageBatchResultEntry)
    }
    return { Successful: successful, Failed: failed }
  }

  const deleteMessageBatch: Operation<T.DeleteMessageBatchRequest, T.DeleteMessageBatchResult> = (input, ctx) => {
    const queue = requireQueue(state, input.QueueUrl, ctx)
    checkEntries(input.Entries, 'DeleteMessageBatchRequestEntry')
    const successful: T.DeleteMessageBatchResultEntry[] = []
    const failed: T.BatchResultErrorEntry[] = []
    for (const entry of input.Entries) {
      const ok = attempt(entry.Id, () => (queue.delete(entry.ReceiptHandle), true), failed)
      if (ok === true) successful.push({ Id: entry.Id })
    }
    return { Successful: successful, Failed: failed }
  }

  const changeMessageVisibilityBatch: Operation<T.ChangeMessageVisibilityBatchRequest, T.ChangeMessageVisibilityBatchResult> =
    (input, ctx) => {
      const queue = requireQueue(state, input.QueueUrl, ctx)
      checkEntries(input.Entries, 'ChangeMessageVisibilityBatchRequestEntry')
      const successful: T.ChangeMessageVisibilityBatchResultEntry[] = []
      const failed: T.BatchResultErrorEntry[] = []
      for (const entry of input.Entries) {
        const ok = attempt(entry.Id, () => {
          const timeout = entry.VisibilityTimeout ?? 0
          checkRange('VisibilityTimeout', timeout, 0, limits.maxVisibilitySeconds)
          queue.changeVisibility(entry.ReceiptHandle, timeout)
          return true
        }, failed)
        if (ok === true) successful.push({ Id: entry.Id })
      }
      return { Successful: successful, Failed: failed }
    }

  return {
    SendMessageBatch: sendMessageBatch, DeleteMessageBatch: deleteMessageBatch,
    ChangeMessageVisibilityBatch: changeMessageVisibilityBatch,
  }
}
