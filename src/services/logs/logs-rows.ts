// CloudWatch Logs' durable state as rows of the persistence layer (docs/persistence.md): groups,
// streams (their small, often rewritten metadata) and events (written once, deleted when retention
// or the per-group bound drops them). Only built with a data dir: in memory nothing is written.
import type { Persistence, Table } from '../../storage/persistence/persistence.ts'
import type { LogEvent } from './log-event.ts'
import type { MetricFilterData } from './metric-filter.ts'
import type { SubscriptionFilterData } from './subscription-filter.ts'

/** Key `<account>:<region>:<group name>` (group names have no `:`). */
export interface GroupRow {
  account: string
  region: string
  name: string
  creationTime: number
  /** STANDARD, INFREQUENT_ACCESS or DELIVERY (log-group.ts). */
  logGroupClass: string
  kmsKeyId: string | undefined
  tags: Record<string, string>
  retentionInDays: number | undefined
  /** Absent when the group has none (and on rows of older builds). */
  subscriptionFilters?: SubscriptionFilterData[]
  /** Absent when the group has none (and on rows of older builds). */
  metricFilters?: MetricFilterData[]
}

/** Key `<group key>:<stream name>` (stream names have no `:`). */
export interface StreamRow {
  /** The stream's own number: what its events name (shorter than its key). */
  uid: number
  group: string
  name: string
  creationTime: number
  firstEventTimestamp: number | undefined
  lastEventTimestamp: number | undefined
  lastIngestionTime: number | undefined
  uploads: number
}

/** Key: the event's ingestion sequence number (unique across the service). Short names: there are many. */
export interface EventRow {
  /** Stream uid. */
  s: number
  /** Timestamp. */
  t: number
  /** Message. */
  m: string
  /** Ingestion time. */
  i: number
}

export interface GroupSource {
  readonly account: string
  readonly region: string
  readonly name: string
  readonly creationTime: number
  readonly logGroupClass: string
  readonly kmsKeyId: string | undefined
  readonly tags: Record<string, string>
  readonly retentionInDays: number | undefined
  readonly subscriptionFilters: readonly SubscriptionFilterData[]
  readonly metricFilters: readonly MetricFilterData[]
}

export interface StreamSource {
  readonly uid: number
  readonly name: string
  readonly creationTime: number
  readonly firstEventTimestamp: number | undefined
  readonly lastEventTimestamp: number | undefined
  readonly lastIngestionTime: number | undefined
  readonly uploads: number
}

export interface LoadedLogs {
  groups: GroupRow[]
  streams: StreamRow[]
  events: Array<[seq: number, row: EventRow]>
}

export const groupKey = (g: Pick<GroupSource, 'account' | 'region' | 'name'>): string => `${g.account}:${g.region}:${g.name}`

export class LogsRows {
  private readonly groups: Table<GroupRow | { toJSON(): GroupRow }>
  private readonly streams: Table<StreamRow | { toJSON(): StreamRow }>
  private readonly events: Table<EventRow>
  /** The next stream uid (one more than the highest stored). */
  private uid = 1

  constructor(persistence: Persistence) {
    this.groups = persistence.table('logs_groups')
    this.streams = persistence.table('logs_streams')
    this.events = persistence.table('logs_events')
  }

  nextStreamUid(): number {
    return this.uid++
  }

  /** A group created or changed (tags, retention): read when the turn commits. */
  group(g: GroupSource): void {
    this.groups.put(groupKey(g), {
      toJSON: () => ({ account: g.account, region: g.region, name: g.name, creationTime: g.creationTime, logGroupClass: g.logGroupClass,
        kmsKeyId: g.kmsKeyId, tags: g.tags, retentionInDays: g.retentionInDays,
        ...(g.subscriptionFilters.length > 0 && { subscriptionFilters: [...g.subscriptionFilters] }),
        ...(g.metricFilters.length > 0 && { metricFilters: [...g.metricFilters] }) }),
    })
  }
  groupGone(g: GroupSource): void {
    this.groups.delete(groupKey(g))
  }

  /** A stream created or appended to: read when the turn commits (one write per turn however many uploads). */
  stream(group: GroupSource, s: StreamSource): void {
    const key = groupKey(group)
    this.streams.put(`${key}:${s.name}`, {
      toJSON: () => ({ uid: s.uid, group: key, name: s.name, creationTime: s.creationTime, firstEventTimestamp: s.firstEventTimestamp,
        lastEventTimestamp: s.lastEventTimestamp, lastIngestionTime: s.lastIngestionTime, uploads: s.uploads }),
    })
  }
  streamGone(group: GroupSource, s: StreamSource, events: readonly LogEvent[]): void {
    this.streams.delete(`${groupKey(group)}:${s.name}`)
    this.eventsGone(events)
  }

  eventsAdded(streamUid: number, events: readonly LogEvent[]): void {
    for (const e of events) this.events.put(String(e.seq), { s: streamUid, t: e.timestamp, m: e.message, i: e.ingestionTime })
  }
  eventsGone(events: readonly LogEvent[]): void {
    for (const e of events) this.events.delete(String(e.seq))
  }

  /** POST /_nimbus/reset: every Logs row goes. */
  clear(): void {
    for (const table of [this.groups, this.streams, this.events]) table.clear()
  }

  load(): LoadedLogs {
    const groups = this.groups.load().map(([, row]) => row as GroupRow)
    const streams = this.streams.load().map(([, row]) => row as StreamRow)
    for (const s of streams) if (s.uid >= this.uid) this.uid = s.uid + 1
    const events = this.events.load().map(([key, row]): [number, EventRow] => [Number(key), row])
    return { groups, streams, events }
  }
}
