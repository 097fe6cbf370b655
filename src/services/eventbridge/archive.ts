// An archive: the events a bus received that matched its pattern, kept for RetentionDays on the
// clock (0 = forever). Replayed events are never archived [M].
import type * as T from './generated/types.ts'
import type { BusEvent } from './event.ts'

export interface ArchivedEvent {
  readonly event: BusEvent
  /** The event's `time`, as epoch ms: replays select on it. */
  readonly timeMs: number
  readonly archivedAt: number
  readonly size: number
}

export class Archive {
  readonly name: string
  readonly arn: string
  readonly sourceArn: string
  readonly createdAt: number
  description: string | undefined
  eventPattern: string | undefined
  retentionDays: number
  /** The managed rule on the source bus that feeds this archive. */
  readonly ruleName: string
  private events: ArchivedEvent[] = []
  private bytes = 0

  constructor(init: { name: string; account: string; region: string; sourceArn: string; now: number; description?: string;
    eventPattern?: string; retentionDays?: number }) {
    this.name = init.name
    this.arn = `arn:aws:events:${init.region}:${init.account}:archive/${init.name}`
    this.sourceArn = init.sourceArn
    this.createdAt = init.now
    this.description = init.description
    this.eventPattern = init.eventPattern
    this.retentionDays = init.retentionDays ?? 0
    this.ruleName = `Events-Archive-${init.name}`
  }

  record(event: BusEvent, json: string, now: number): void {
    this.prune(now)
    const size = Buffer.byteLength(json, 'utf8')
    this.events.push({ event, timeMs: Date.parse(event.time), archivedAt: now, size })
    this.bytes += size
  }

  /** Archived events whose `time` falls in [start, end), oldest first. */
  between(startMs: number, endMs: number, now: number): ArchivedEvent[] {
    this.prune(now)
    return this.events.filter((e) => e.timeMs >= startMs && e.timeMs < endMs).sort((a, b) => a.timeMs - b.timeMs)
  }

  /** Retention is applied whenever the archive is read or written, against the clock's time. */
  prune(now: number): void {
    if (this.retentionDays <= 0) return
    const cutoff = now - this.retentionDays * 86_400_000
    if (this.events.length === 0 || this.events[0]!.archivedAt > cutoff) return
    this.events = this.events.filter((e) => e.archivedAt > cutoff)
    this.bytes = this.events.reduce((n, e) => n + e.size, 0)
  }

  summary(now: number): T.Archive {
    this.prune(now)
    return {
      ArchiveName: this.name, EventSourceArn: this.sourceArn, State: 'ENABLED', RetentionDays: this.retentionDays,
      SizeBytes: this.bytes, EventCount: this.events.length, CreationTime: new Date(this.createdAt),
    }
  }

  describe(now: number): T.DescribeArchiveResponse {
    return { ArchiveArn: this.arn, ...this.summary(now), Description: this.description, EventPattern: this.eventPattern }
  }
}
