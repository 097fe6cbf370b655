// The narrow, typed port other services use to reach CloudWatch Logs (Lambda writes its function
// logs here) and Nimbus's console listens on. Types only.
import type { Listener } from '../../core/events.ts'

export interface InputEvent {
  timestamp: number
  message: string
}

export interface RejectedInfo {
  tooNewLogEventStartIndex?: number
  tooOldLogEventEndIndex?: number
  expiredLogEventEndIndex?: number
}

export interface LogEventsAppended {
  account: string
  region: string
  logGroupName: string
  logStreamName: string
  events: { timestamp: number; message: string; ingestionTime: number }[]
}

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
  /** The AWS/Logs metrics log groups publish, from their in-memory per-minute counters. */
  metrics: import('../cloudwatch/port.ts').MetricSource
}
