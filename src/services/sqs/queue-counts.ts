// A queue's gauges at one instant (GetQueueAttributes' Approximate* counts and the AWS/SQS gauge
// metrics): one pass over its messages, dropping those past retention as it goes.
import type { GaugeCounts } from './metric-log.ts'
import type { Message } from './message.ts'

export function gaugeCounts(messages: Iterable<Message>, now: number, retentionMs: number,
  expired: (message: Message) => boolean, remove: (message: Message) => void): GaugeCounts {
  let visible = 0
  let notVisible = 0
  let delayed = 0
  let oldestSentAt: number | undefined
  let nextChangeAt: number | undefined
  let oldestEnqueuedAt: number | undefined
  for (const message of messages) {
    if (expired(message)) {
      remove(message)
      continue
    }
    if (message.visibleAt <= now) visible++
    else {
      if (message.lastReceivedAt !== undefined) notVisible++
      else delayed++
      if (nextChangeAt === undefined || message.visibleAt < nextChangeAt) nextChangeAt = message.visibleAt
    }
    if (oldestSentAt === undefined || message.sentAt < oldestSentAt) oldestSentAt = message.sentAt
    if (oldestEnqueuedAt === undefined || message.enqueuedAt < oldestEnqueuedAt) oldestEnqueuedAt = message.enqueuedAt
  }
  // The oldest message's retention ending changes the counts too.
  if (oldestEnqueuedAt !== undefined) {
    const expiry = oldestEnqueuedAt + retentionMs
    if (nextChangeAt === undefined || expiry < nextChangeAt) nextChangeAt = expiry
  }
  return { visible, notVisible, delayed, oldestSentAt, nextChangeAt }
}
