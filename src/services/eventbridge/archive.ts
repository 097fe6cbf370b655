// An archive: the events a bus received that matched its pattern, kept for RetentionDays on the
// clock (0 = forever). Replayed events are never archived [M].
import { randomUUID } from 'node:crypto'
import type { EbRows } from './eb-rows.ts'
import type * as T from './generated/types.ts'
import type { BusEvent } from './event.ts'

export interface ArchivedEvent {
  readonly event: BusEvent
  /** The event's `time`, as epoch ms: replays select on it. */
  readonly timeMs: number
  readonly archivedAt: number
  readonly size: number
  /** Its place in the archive (and its row's key). */
  readonly seq: number
}

export class Archive {
  readonly name: string
  readonly account: string
  readonly region: string
  /** This incarnation of the name: the archive's event rows are keyed by it. */
  readonly uid: string
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
  private nextSeq = 0
  private readonly rows: EbRows | undefined

  constructor(init: { name: string; account: string; region: string; sourceArn: string; now: number; description?: string;
    eventPattern?: string; retentionDays?: number; uid?: string; rows?: EbRows }) {
    this.name = init.name
    this.account = init.account
    this.region = init.region
    this.uid = init.uid ?? randomUUID()
    this.rows = init.rows
    this.arn = `arn:aws:events:${init.region}:${init.account}:archive/${init.name}`
    this.sourceArn = init.sourceArn
    this.createdAt = init.now
    this.description = init.description
    this.eventPattern = init.eventPattern
    this.retentionDays = init.retentionDays ?? 0
    this.ruleName = `Events-Archive-${init.name}`
  }

  /** Writes the archive's settings row (data dir only). */
  save(): void {
    this.rows?.archive({
      account: this.account, region: this.region, name: this.name, uid: this.uid, sourceArn: this.sourceArn, createdAt: this.createdAt,
      description: this.description, eventPattern: this.eventPattern, retentionDays: this.retentionDays,
    })
  }

  /** Deleted: its row and its events' rows go. */
  forget(): void {
    this.rows?.archiveGone(this, this.uid, this.events.map((e) => e.seq))
  }

  /** At start: the events stored, oldest first. */
  restoreEvents(stored: readonly [seq: number, row: { event: BusEvent; archivedAt: number; size: number }][]): void {
    for (const [seq, row] of stored) {
      this.events.push({ event: row.event, timeMs: Date.parse(row.event.time), archivedAt: row.archivedAt, size: row.size, seq })
      this.bytes += row.size
      this.nextSeq = seq + 1
    }
  }

  record(event: BusEvent, json: string, now: number): void {
    this.prune(now)
    const size = Buffer.byteLength(json, 'utf8')
    const seq = this.nextSeq++
    this.events.push({ event, timeMs: Date.parse(event.time), archivedAt: now, size, seq })
    this.bytes += size
    this.rows?.archived(this.uid, seq, { event, archivedAt: now, size })
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
    if (this.rows !== undefined) for (const e of this.events) if (e.archivedAt <= cutoff) this.rows.archivedGone(this.uid, e.seq)
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
