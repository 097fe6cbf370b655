// The narrow, typed port other services use to reach CloudWatch Logs (Lambda writes its function
// logs here) and Nimbus's console listens on. No HTTP between services; same rules as PutLogEvents.
import type { Listener } from '../../core/events.ts'
import { eventSize, type InputEvent, type RejectedInfo } from './ingest.ts'
import { limits } from './limits.ts'
import { readStream } from './read-events.ts'
import type { LogEventsAppended, LogsState } from './store.ts'

export interface LogsWriteResult {
  nextSequenceToken: string
  /** Events too old, too new or past retention are dropped, as PutLogEvents drops them. */
  rejected: RejectedInfo | undefined
}

export interface LogsReadEvent {
  timestamp: number
  message: string
  ingestionTime: number
}

export interface LogsPort {
  /**
   * Appends events to a stream, creating the group and the stream when missing (as Lambda's own
   * writes do). Events need not be sorted: they are ordered by timestamp first (stably).
   */
  write(account: string, region: string, logGroup: string, logStream: string, events: readonly InputEvent[]): LogsWriteResult
  /** A stream's events, oldest first (after retention); empty when the group or stream is missing. */
  read(account: string, region: string, logGroup: string, logStream: string): LogsReadEvent[]
  groupExists(account: string, region: string, logGroup: string): boolean
  /** Every append from any writer (PutLogEvents or this port); returns the unsubscriber. */
  onAppended(listener: Listener<LogEventsAppended>): () => void
}

export function createLogsPort(state: LogsState): LogsPort {
  return {
    write: (account, region, groupName, streamName, events) => {
      const group = state.findGroup(account, region, groupName) ?? state.createGroup(account, region, groupName)
      const stream = group.streams.get(streamName) ?? group.createStream(streamName, state.clock.now())
      // AWS rejects empty messages; a runtime's blank line is simply not a log event.
      const sorted = events.filter((e) => e.message.length > 0).sort((a, b) => a.timestamp - b.timestamp)
      let result: LogsWriteResult = { nextSequenceToken: stream.uploadSequenceToken, rejected: undefined }
      for (const batch of batches(sorted)) {
        const put = state.put(group, stream, batch)
        result = { nextSequenceToken: put.nextSequenceToken, rejected: put.rejected ?? result.rejected }
      }
      return result
    },
    read: (account, region, groupName, streamName) => {
      const stream = state.findGroup(account, region, groupName)?.streams.get(streamName)
      if (stream === undefined) return []
      return readStream(stream, { startFromHead: true, limit: Number.MAX_SAFE_INTEGER }).events
        .map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime }))
    },
    groupExists: (account, region, groupName) => state.findGroup(account, region, groupName) !== undefined,
    onAppended: (listener) => state.appended.on(listener),
  }
}

/** Splits sorted events into batches PutLogEvents accepts (count, bytes, 24-hour span). */
function* batches(events: readonly InputEvent[]): Generator<InputEvent[]> {
  let batch: InputEvent[] = []
  let bytes = 0
  for (const event of events) {
    const size = eventSize(event.message)
    const full = batch.length >= limits.maxBatchEvents || bytes + size > limits.maxBatchBytes ||
      (batch.length > 0 && event.timestamp - batch[0]!.timestamp > limits.maxBatchSpanMs)
    if (full && batch.length > 0) {
      yield batch
      batch = []
      bytes = 0
    }
    batch.push(event)
    bytes += size
  }
  if (batch.length > 0) yield batch
}
