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
      // AWS rejects empty messages; a runtime's blank line is simply not a log event. A runtime's
      // lines (START, output, END, REPORT) come in order and non-empty: then they are used as they are.
      const sorted = inOrder(events) ? events : events.filter((e) => e.message.length > 0).sort((a, b) => a.timestamp - b.timestamp)
      let rejected: LogsWriteResult['rejected']
      let nextSequenceToken: string | undefined
      for (const batch of batches(sorted)) {
        const put = state.put(group, stream, batch.events, batch.sizes)
        nextSequenceToken = put.nextSequenceToken
        rejected = put.rejected ?? rejected
      }
      return { nextSequenceToken: nextSequenceToken ?? stream.uploadSequenceToken, rejected }
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

/** Every message non-empty and no timestamp before the previous one. */
function inOrder(events: readonly InputEvent[]): boolean {
  for (let i = 0; i < events.length; i++) {
    if (events[i]!.message.length === 0 || (i > 0 && events[i]!.timestamp < events[i - 1]!.timestamp)) return false
  }
  return true
}

/**
 * Splits sorted events into batches PutLogEvents accepts (count, bytes, 24-hour span), each with its
 * events' sizes (measured once, here). Events that fit in one batch — nearly always — are that batch.
 */
function batches(events: readonly InputEvent[]): { events: readonly InputEvent[]; sizes: number[] }[] {
  const out: { events: readonly InputEvent[]; sizes: number[] }[] = []
  let start = 0
  let sizes: number[] = []
  let bytes = 0
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!
    const size = eventSize(event.message)
    const full = sizes.length >= limits.maxBatchEvents || bytes + size > limits.maxBatchBytes ||
      (sizes.length > 0 && event.timestamp - events[start]!.timestamp > limits.maxBatchSpanMs)
    if (full && sizes.length > 0) {
      out.push({ events: events.slice(start, i), sizes })
      start = i
      sizes = []
      bytes = 0
    }
    sizes.push(size)
    bytes += size
  }
  if (sizes.length > 0) out.push({ events: start === 0 ? events : events.slice(start), sizes })
  return out
}
