// CloudWatch Logs' port (port.ts) implemented: no HTTP between services; same rules as PutLogEvents.
import type { MetricSource } from '../cloudwatch/port.ts'
import { eventSize } from './ingest.ts'
import { limits } from './limits.ts'
import { readStream } from './read-events.ts'
import type { InputEvent, LogsPort, LogsWriteResult } from './port.ts'
import type { LogsState } from './store.ts'

export function createLogsPort(state: LogsState, metrics: MetricSource): LogsPort {
  return {
    metrics,
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
