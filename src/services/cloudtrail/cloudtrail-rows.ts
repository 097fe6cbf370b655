// CloudTrail's durable state as rows of the persistence layer (docs/persistence.md): one row per
// trail (`cloudtrail_trails`, keyed by ARN) and one per record captured and not yet delivered
// (`cloudtrail_pending`, keyed `<trail ARN>|<event id>`, with when its file's clock started).
// Event history has its own table (history.ts). Only built with a data dir.
import type { Persistence, Table } from '../../storage/persistence/persistence.ts'
import type { EventRecord } from './event-record.ts'
import { type Trail, trailArn, trailData, type TrailData } from './trail.ts'

interface PendingRow {
  arn: string
  firstAt: number
  record: EventRecord
}

export class CloudTrailRows {
  private readonly trails: Table<TrailData>
  private readonly pending: Table<PendingRow>

  constructor(persistence: Persistence) {
    this.trails = persistence.table<TrailData>('cloudtrail_trails')
    this.pending = persistence.table<PendingRow>('cloudtrail_pending')
  }

  saveTrail(trail: Trail): void {
    this.trails.put(trailArn(trail), trailData(trail))
  }

  deleteTrail(trail: Trail): void {
    this.trails.delete(trailArn(trail))
    for (const record of trail.pending) this.pending.delete(`${trailArn(trail)}|${record.eventID}`)
  }

  captured(trail: Trail, record: EventRecord, firstAt: number): void {
    const arn = trailArn(trail)
    this.pending.put(`${arn}|${record.eventID}`, { arn, firstAt, record })
  }

  delivered(trail: Trail, records: readonly EventRecord[]): void {
    const arn = trailArn(trail)
    for (const record of records) this.pending.delete(`${arn}|${record.eventID}`)
  }

  /** Trails with their pending records and when each one's file clock started. */
  load(): { trail: Trail; firstAt: number | undefined }[] {
    const byArn = new Map<string, { trail: Trail; firstAt: number | undefined }>()
    for (const [arn, data] of this.trails.load()) byArn.set(arn, { trail: { ...data, pending: [] }, firstAt: undefined })
    for (const [, row] of this.pending.load()) {
      const entry = byArn.get(row.arn)
      if (entry === undefined) continue
      entry.trail.pending.push(row.record)
      entry.firstAt = Math.min(entry.firstAt ?? row.firstAt, row.firstAt)
    }
    return [...byArn.values()]
  }

  clear(): void {
    this.trails.clear()
    this.pending.clear()
  }
}
