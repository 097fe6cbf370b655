// Event history: the last 90 days of management events per account and region, recorded for every
// account whether or not it has a trail (as AWS does), and searched by LookupEvents. Loaded with
// Nimbus (not with CloudTrail's API) because every management call lands here.
import type { Persistence, Table } from '../../storage/persistence/persistence.ts'
import type { EventRecord } from './event-record.ts'
import { limits } from './limits.ts'

export interface HistoryEntry {
  /** Order of recording: the lookup cursor. */
  seq: number
  time: number
  record: EventRecord
  /** The record as JSON, made on the first lookup that returns it (records never change). */
  json?: string
}

interface EventRow {
  time: number
  record: EventRecord
}

export class EventHistory {
  private readonly regions = new Map<string, HistoryEntry[]>()
  private seq = 0
  private readonly rows: Table<EventRow> | undefined
  private readonly now: () => number

  constructor(now: () => number, persistence?: Persistence) {
    this.now = now
    this.rows = persistence?.durable === true ? persistence.table<EventRow>('cloudtrail_events') : undefined
    for (const [, row] of this.rows?.load() ?? []) this.add(row.time, row.record, false)
  }

  record(time: number, record: EventRecord): void {
    this.add(time, record, true)
  }

  /** The region's entries within 90 days, oldest first. */
  entries(account: string, region: string): readonly HistoryEntry[] {
    const list = this.regions.get(`${account}/${region}`)
    if (list === undefined) return []
    this.trim(list, this.now())
    return list
  }

  reset(): void {
    this.regions.clear()
    this.rows?.clear()
  }

  private add(time: number, record: EventRecord, write: boolean): void {
    const key = `${record.recipientAccountId}/${record.awsRegion}`
    let list = this.regions.get(key)
    if (list === undefined) this.regions.set(key, (list = []))
    list.push({ seq: ++this.seq, time, record })
    if (!write) return
    // Read-only events stay in memory: with a data dir a read must not need a write (a full disk
    // still serves reads), so only events of calls that changed something are stored.
    if (!record.readOnly) this.rows?.put(record.eventID, { time, record })
    this.trim(list, Math.max(time, this.now()))
  }

  /** Past 90 days or past the bound, the oldest events go (and their rows). */
  private trim(list: HistoryEntry[], now: number): void {
    let drop = 0
    while (drop < list.length && (list.length - drop > limits.maxHistoryEvents || list[drop]!.time < now - limits.historyMs)) drop += 1
    if (drop === 0) return
    for (const entry of list.splice(0, drop)) this.rows?.delete(entry.record.eventID)
  }
}
