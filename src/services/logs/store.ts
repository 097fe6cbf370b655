// The log groups of one account in one region, plus writing events (PutLogEvents and the internal port).
import type { Clock } from '../../core/clock.ts'
import { parseArn } from '../../core/arn.ts'
import { EventChannel } from '../../core/events.ts'
import { AccountRegionStore } from '../../storage/account-region-store.ts'
import { logsErrors } from './errors.ts'
import { admit, type InputEvent, type RejectedInfo } from './ingest.ts'
import type { LogEvent } from './log-event.ts'
import { LogGroup, type LogGroupClass } from './log-group.ts'
import type { LogStream } from './log-stream.ts'
import type { LogEventsAppended } from './port.ts'

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
  private seq = 0

  constructor(clock: Clock, appended = new EventChannel<LogEventsAppended>(), maxGroupBytes = DEFAULT_MAX_GROUP_BYTES) {
    this.clock = clock
    this.appended = appended
    this.maxGroupBytes = maxGroupBytes
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
    const group = new LogGroup({ name, account, region, creationTime: this.clock.now(), ...options })
    groups.set(name, group)
    return group
  }

  deleteGroup(group: LogGroup): void {
    this.regions.peek(group.account, group.region)?.groups.delete(group.name)
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

  /** PutLogEvents: AWS's batch rules, then the admitted slice is stored and announced. */
  put(group: LogGroup, stream: LogStream, batch: readonly InputEvent[]): PutResult {
    const now = this.clock.now()
    group.expire(now)
    const admission = admit(batch, now, group.retentionInDays)
    const stored: LogEvent[] = []
    for (let i = admission.from; i < admission.to; i++) {
      const input = batch[i]!
      stored.push({ timestamp: input.timestamp, message: input.message, ingestionTime: now, seq: ++this.seq, size: admission.sizes[i]! })
    }
    const nextSequenceToken = stream.append(stored, now)
    group.trim(this.maxGroupBytes)
    if (stored.length > 0 && this.appended.size > 0) {
      this.appended.emit({
        account: group.account, region: group.region, logGroupName: group.name, logStreamName: stream.name,
        events: stored.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
      })
    }
    return { nextSequenceToken, rejected: admission.rejected }
  }

  reset(): void {
    this.regions.clear()
  }
}
