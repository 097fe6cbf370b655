// The log groups of one account in one region, plus writing events (PutLogEvents and the internal port).
import type { Clock } from '../../core/clock.ts'
import { parseArn } from '../../core/arn.ts'
import { EventChannel } from '../../core/events.ts'
import { AccountRegionStore } from '../../storage/account-region-store.ts'
import { logsErrors } from './errors.ts'
import { admit, eventSize, type InputEvent, type RejectedInfo } from './ingest.ts'
import type { LogEvent } from './log-event.ts'
import { LogGroup, type LogGroupClass } from './log-group.ts'
import { LogStream } from './log-stream.ts'
import { groupKey, type LogsRows } from './logs-rows.ts'
import type { LogEventsAppended } from './port.ts'
import { limits } from './limits.ts'
import { metricFilterData, type PublishMetrics } from './metric-filter.ts'
import type { LogsMetrics } from './metrics.ts'
import type { Subscriptions } from './subscriptions.ts'

/** Announced after events are stored (Nimbus's console mirrors Lambda log lines from this). */
export type { LogEventsAppended } from './port.ts'

export interface PutResult {
  nextSequenceToken: string
  rejected: RejectedInfo | undefined
}

/** 64 MiB of messages per group: days of a chatty function's output, and a bound however much it writes. */
export const DEFAULT_MAX_GROUP_BYTES = 64 * 1024 * 1024

export class RegionLogs {
  readonly groups = new Map<string, LogGroup>()
}

export class LogsState {
  readonly clock: Clock
  readonly regions = new AccountRegionStore(() => new RegionLogs())
  readonly appended: EventChannel<LogEventsAppended>
  /** Message bytes a group keeps in memory at most; past it its oldest events are dropped. */
  readonly maxGroupBytes: number
  /** With a data dir: groups, streams and events are written as rows (logs-rows.ts). */
  readonly rows: LogsRows | undefined
  /** Delivers to subscription filters' destinations (set by index.ts when Logs has a fabric). */
  subscriptions: Subscriptions | undefined
  /** Where metric filters' values go: CloudWatch (set by index.ts when Logs is given it). */
  publishMetrics: PublishMetrics | undefined
  /** AWS/Logs' per-minute counters (set by index.ts). */
  metrics: LogsMetrics | undefined
  private seq = 0

  constructor(clock: Clock, appended = new EventChannel<LogEventsAppended>(), maxGroupBytes = DEFAULT_MAX_GROUP_BYTES, rows?: LogsRows) {
    this.clock = clock
    this.appended = appended
    this.maxGroupBytes = maxGroupBytes
    this.rows = rows
    if (rows !== undefined) this.load(rows)
  }

  /**
   * Reads every stored group, stream and event back (at creation, writing nothing). Retention and the
   * per-group bound apply as before: on the next read or write of the group.
   */
  private load(rows: LogsRows): void {
    const { groups, streams, events } = rows.load()
    const byKey = new Map<string, LogGroup>()
    for (const row of groups) {
      const group = new LogGroup({ name: row.name, account: row.account, region: row.region, creationTime: row.creationTime,
        logGroupClass: row.logGroupClass as LogGroupClass, ...(row.kmsKeyId !== undefined && { kmsKeyId: row.kmsKeyId }) }, rows)
      Object.assign(group.tags, row.tags)
      group.retentionInDays = row.retentionInDays
      group.subscriptionFilters = row.subscriptionFilters ?? []
      group.metricFilters = row.metricFilters ?? []
      this.groups(row.account, row.region).set(row.name, group)
      byKey.set(groupKey(row), group)
    }
    const byUid = new Map<number, { stream: LogStream; events: LogEvent[] }>()
    for (const row of streams) {
      const group = byKey.get(row.group)
      if (group === undefined) continue
      // Not createStream: that writes the stream's row, and loading writes nothing.
      const stream = new LogStream(row.name, `${group.arn}:log-stream:${row.name}`, row.creationTime, row.uid, rows)
      group.streams.set(row.name, stream)
      stream.firstEventTimestamp = row.firstEventTimestamp
      stream.lastEventTimestamp = row.lastEventTimestamp
      stream.lastIngestionTime = row.lastIngestionTime
      stream.uploads = row.uploads
      byUid.set(row.uid, { stream, events: [] })
    }
    for (const [seq, row] of events) {
      byUid.get(row.s)?.events.push({ timestamp: row.t, message: row.m, ingestionTime: row.i, seq, size: eventSize(row.m) })
      if (seq > this.seq) this.seq = seq
    }
    for (const { stream, events: list } of byUid.values()) stream.restore(list)
  }

  groups(account: string, region: string): Map<string, LogGroup> {
    return this.regions.get(account, region).groups
  }

  /** The group with retention applied as of now, or undefined. */
  findGroup(account: string, region: string, name: string): LogGroup | undefined {
    const group = this.regions.peek(account, region)?.groups.get(name)
    group?.expire(this.clock.now())
    return group
  }

  requireGroup(account: string, region: string, name: string): LogGroup {
    const group = this.findGroup(account, region, name)
    if (group === undefined) throw logsErrors.groupNotFound()
    return group
  }

  /** A name, or an ARN with or without the trailing `:*` (which may name another account or region). */
  requireGroupByIdentifier(account: string, region: string, identifier: string): LogGroup {
    if (!identifier.startsWith('arn:')) return this.requireGroup(account, region, identifier)
    const arn = parseArn(identifier)
    const resource = arn?.resource.replace(/:\*$/, '')
    if (arn === undefined || arn.service !== 'logs' || resource === undefined || !resource.startsWith('log-group:')) {
      throw logsErrors.invalidParameter(`Invalid log group identifier: ${identifier}`)
    }
    return this.requireGroup(arn.account, arn.region, resource.slice('log-group:'.length))
  }

  createGroup(account: string, region: string, name: string, options: { logGroupClass?: LogGroupClass; kmsKeyId?: string } = {}): LogGroup {
    const groups = this.groups(account, region)
    if (groups.has(name)) throw logsErrors.groupExists()
    const group = new LogGroup({ name, account, region, creationTime: this.clock.now(), ...options }, this.rows)
    groups.set(name, group)
    group.saved()
    return group
  }

  deleteGroup(group: LogGroup): void {
    this.regions.peek(group.account, group.region)?.groups.delete(group.name)
    if (this.rows === undefined) return
    this.rows.groupGone(group)
    for (const stream of group.streams.values()) this.rows.streamGone(group, stream, stream.events)
  }

  /** Message bytes held across every group (shown by /_nimbus/health). */
  storedBytes(): number {
    let total = 0
    for (const group of this.allGroups()) total += group.storedBytes
    return total
  }

  allGroups(): LogGroup[] {
    return [...this.regions.all()].flatMap((r) => [...r.groups.values()])
  }

  /** PutLogEvents: AWS's batch rules, then the admitted slice is stored and announced (`sizes`: the events' sizes, when the caller measured them). */
  put(group: LogGroup, stream: LogStream, batch: readonly InputEvent[], sizes?: number[]): PutResult {
    const now = this.clock.now()
    group.expire(now)
    const admission = admit(batch, now, group.retentionInDays, sizes)
    const stored: LogEvent[] = []
    for (let i = admission.from; i < admission.to; i++) {
      const input = batch[i]!
      stored.push({ timestamp: input.timestamp, message: input.message, ingestionTime: now, seq: ++this.seq, size: admission.sizes[i]! })
    }
    const nextSequenceToken = stream.append(stored, now)
    this.rows?.stream(group, stream)
    group.trim(this.maxGroupBytes)
    if (stored.length > 0 && this.metrics !== undefined) {
      let bytes = 0
      for (const e of stored) bytes += e.size - limits.eventOverheadBytes
      this.metrics.incoming(group.account, group.region, group.name, stored.length, bytes)
    }
    if (stored.length > 0 && group.subscriptionFilters.length > 0) this.subscriptions?.appended(group, stream.name, stored)
    if (stored.length > 0 && group.metricFilters.length > 0 && this.publishMetrics !== undefined) this.metricFiltersMatch(group, stored, now)
    if (stored.length > 0 && this.appended.size > 0) {
      this.appended.emit({
        account: group.account, region: group.region, logGroupName: group.name, logStreamName: stream.name,
        events: stored.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
      })
    }
    return { nextSequenceToken, rejected: admission.rejected }
  }

  /** Each metric filter's values from an upload, published into its namespace (one call per namespace). */
  private metricFiltersMatch(group: LogGroup, stored: readonly LogEvent[], now: number): void {
    for (const filter of group.metricFilters) {
      const data = metricFilterData(filter, stored, now)
      if (data.length > 0) this.publishMetrics!(group.account, group.region, filter.metricTransformations[0]!.metricNamespace, data)
    }
  }

  reset(): void {
    this.subscriptions?.clear()
    this.regions.clear()
    this.rows?.clear()
  }
}
