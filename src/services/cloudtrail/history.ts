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

/** One account-region's events, oldest first; those before `head` are gone (dropped in batches, not one by one). */
interface Region {
  list: HistoryEntry[]
  head: number
}

/** Dropped entries are spliced out once this many accumulate (or on read): a write stays O(1) at the bound. */
const compactEvery = 1_024

export class EventHistory {
  private readonly regions = new Map<string, Region>()
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
    const events = this.regions.get(`${account}/${region}`)
    if (events === undefined) return []
    this.trim(events, this.now())
    if (events.head > 0) events.list.splice(0, events.head)
    events.head = 0
    return events.list
  }

  reset(): void {
    this.regions.clear()
    this.rows?.clear()
  }

  private add(time: number, record: EventRecord, write: boolean): void {
    const key = `${record.recipientAccountId}/${record.awsRegion}`
    let events = this.regions.get(key)
    if (events === undefined) this.regions.set(key, (events = { list: [], head: 0 }))
    events.list.push({ seq: ++this.seq, time, record })
    if (!write) return
    // Read-only events stay in memory: with a data dir a read must not need a write (a full disk
    // still serves reads), so only events of calls that changed something are stored.
    if (!record.readOnly) this.rows?.put(record.eventID, { time, record })
    this.trim(events, Math.max(time, this.now()))
    if (events.head >= compactEvery) {
      events.list.splice(0, events.head)
      events.head = 0
    }
  }

  /** Past 90 days or past the bound, the oldest events go (and their rows). */
  private trim(events: Region, now: number): void {
    const { list } = events
    while (events.head < list.length &&
      (list.length - events.head > limits.maxHistoryEvents || list[events.head]!.time < now - limits.historyMs)) {
      const gone = list[events.head]!
      if (!gone.record.readOnly) this.rows?.delete(gone.record.eventID)
      events.head += 1
    }
  }
}
