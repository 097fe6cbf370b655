// A log stream: its events kept sorted by (timestamp, ingestion order), and the metadata AWS shows.
import { limits } from './limits.ts'
import { compareKeys, type LogEvent, lowerBound } from './log-event.ts'
import type { LogsRows } from './logs-rows.ts'

export class LogStream {
  readonly name: string
  readonly arn: string
  readonly creationTime: number
  /** Sorted by key; appends are the common case, out-of-order batches merge. */
  readonly events: LogEvent[] = []
  firstEventTimestamp: number | undefined
  lastEventTimestamp: number | undefined
  lastIngestionTime: number | undefined
  /** Message bytes held (for the group's storedBytes; AWS reports 0 for streams since 2019). */
  bytes = 0
  /** Uploads so far (the sequence token counts them). */
  uploads = 0
  /** With a data dir: the number its event rows name, and where events are written and deleted. */
  readonly uid: number
  private readonly rows: LogsRows | undefined

  constructor(name: string, arn: string, creationTime: number, uid = 0, rows?: LogsRows) {
    this.name = name
    this.arn = arn
    this.creationTime = creationTime
    this.uid = uid
    this.rows = rows
  }

  /** Events read back at start (in ingestion order): sorted by key once, bytes counted again. */
  restore(events: LogEvent[]): void {
    this.events.push(...events)
    this.events.sort(compareKeys)
    for (const event of events) this.bytes += event.size - limits.eventOverheadBytes
  }

  /** The token as of `tokenUploads` uploads: made once per upload, however often it is read. */
  private token = ''
  private tokenUploads = -1

  /** AWS still returns a sequence token though it ignores it on PutLogEvents: 56 digits, changing per upload. */
  get uploadSequenceToken(): string {
    if (this.tokenUploads !== this.uploads) {
      this.token = `49${String(this.uploads + 1).padStart(54, '0')}`
      this.tokenUploads = this.uploads
    }
    return this.token
  }

  /** Adds events already sorted by key; returns the token for the next upload. */
  append(batch: readonly LogEvent[], now: number): string {
    this.uploads += 1
    this.lastIngestionTime = now
    if (batch.length === 0) return this.uploadSequenceToken
    const last = this.events[this.events.length - 1]
    this.events.push(...batch)
    this.rows?.eventsAdded(this.uid, batch)
    if (last !== undefined && compareKeys(batch[0]!, last) < 0) this.events.sort(compareKeys)
    for (const event of batch) {
      this.bytes += event.size - limits.eventOverheadBytes
      if (this.firstEventTimestamp === undefined || event.timestamp < this.firstEventTimestamp) this.firstEventTimestamp = event.timestamp
      if (this.lastEventTimestamp === undefined || event.timestamp > this.lastEventTimestamp) this.lastEventTimestamp = event.timestamp
    }
    return this.uploadSequenceToken
  }

  /** Drops events whose timestamp is before `cutoff` (retention). First/last timestamps stay, as AWS's do. */
  dropBefore(cutoff: number): void {
    const keep = lowerBound(this.events, (e) => e.timestamp >= cutoff)
    if (keep > 0) this.dropFirst(keep)
  }

  /** Drops the `n` oldest events (retention, and the group's memory bound: log-group.ts `trim`). Returns the message bytes dropped. */
  dropFirst(n: number): number {
    const gone = this.events.splice(0, n)
    let dropped = 0
    for (const event of gone) dropped += event.size - limits.eventOverheadBytes
    this.rows?.eventsGone(gone)
    this.bytes -= dropped
    return dropped
  }

  /** Events with startTime ≤ timestamp < endTime (either bound optional), as a slice range. */
  range(startTime: number | undefined, endTime: number | undefined): { from: number; to: number } {
    const from = startTime === undefined ? 0 : lowerBound(this.events, (e) => e.timestamp >= startTime)
    const to = endTime === undefined ? this.events.length : lowerBound(this.events, (e) => e.timestamp >= endTime)
    return { from, to: Math.max(from, to) }
  }
}
