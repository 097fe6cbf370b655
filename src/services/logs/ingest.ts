// PutLogEvents' rules for one batch: order, count and size limits, and which events are too old,
// too new or expired (rejected with indexes, not an error), then the 24-hour span of what remains.
import { logsErrors } from './errors.ts'
import { dayMs, limits } from './limits.ts'
import type { InputEvent, RejectedInfo } from './port.ts'

export type { InputEvent, RejectedInfo } from './port.ts'

export interface Admission {
  /** Indexes [from, to) of the batch that are stored. */
  from: number
  to: number
  rejected: RejectedInfo | undefined
  sizes: number[]
}

export function eventSize(message: string): number {
  return Buffer.byteLength(message, 'utf8') + limits.eventOverheadBytes
}

/** Throws for a batch AWS refuses outright; otherwise says which slice is kept. `measured`: the events' sizes, when the caller has them. */
export function admit(batch: readonly InputEvent[], now: number, retentionInDays: number | undefined, measured?: number[]): Admission {
  if (batch.length === 0) throw logsErrors.validation('[]', 'logEvents', 'Member must have length greater than or equal to 1')
  if (batch.length > limits.maxBatchEvents) {
    throw logsErrors.validation(batch.length, 'logEvents', `Member must have length less than or equal to ${limits.maxBatchEvents}`)
  }
  const sizes = measured ?? batch.map((e) => eventSize(e.message))
  let total = 0
  for (const size of sizes) total += size
  if (total > limits.maxBatchBytes) throw logsErrors.invalidParameter(`Upload too large: ${total} bytes exceeds limit of ${limits.maxBatchBytes}`)
  for (let i = 0; i < batch.length; i++) {
    if (batch[i]!.message.length === 0) throw logsErrors.validation('', `logEvents.${i + 1}.member.message`, 'Member must have length greater than or equal to 1')
    if (i > 0 && batch[i]!.timestamp < batch[i - 1]!.timestamp) {
      throw logsErrors.invalidParameter('Log events in a single PutLogEvents request must be in chronological order.')
    }
  }
  // Sorted by time, so each rejected kind is a prefix (old, expired) or a suffix (new) of the batch.
  const tooOld = countWhile(batch, (e) => e.timestamp < now - limits.maxEventAgeMs)
  const expired = retentionInDays === undefined ? 0 : countWhile(batch, (e) => e.timestamp < now - retentionInDays * dayMs)
  let tooNewStart = batch.length
  while (tooNewStart > 0 && batch[tooNewStart - 1]!.timestamp > now + limits.maxEventFutureMs) tooNewStart--
  const from = Math.max(tooOld, expired)
  const to = Math.max(from, tooNewStart)
  if (to - from > 1 && batch[to - 1]!.timestamp - batch[from]!.timestamp > limits.maxBatchSpanMs) {
    throw logsErrors.invalidParameter('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.')
  }
  if (tooOld === 0 && expired === 0 && tooNewStart === batch.length) return { from, to, rejected: undefined, sizes }
  const rejected: RejectedInfo = {}
  if (tooOld > 0) rejected.tooOldLogEventEndIndex = tooOld
  if (expired > 0) rejected.expiredLogEventEndIndex = expired
  if (tooNewStart < batch.length) rejected.tooNewLogEventStartIndex = tooNewStart
  return { from, to, rejected, sizes }
}

function countWhile<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  let n = 0
  while (n < items.length && predicate(items[n]!)) n++
  return n
}
