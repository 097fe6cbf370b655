// A log group: its streams, retention (applied lazily on the clock), tags, class and filters.
import { dayMs, limits } from './limits.ts'
import { compareKeys } from './log-event.ts'
import { LogStream } from './log-stream.ts'
import type { LogsRows } from './logs-rows.ts'
import type { MetricFilterData } from './metric-filter.ts'
import type { SubscriptionFilterData } from './subscription-filter.ts'

export type LogGroupClass = 'STANDARD' | 'INFREQUENT_ACCESS' | 'DELIVERY'

export class LogGroup {
  readonly name: string
  /** The ARN AWS shows as `logGroupArn` (no trailing `:*`); `arn` in DescribeLogGroups adds it. */
  readonly arn: string
  readonly creationTime: number
  readonly account: string
  readonly region: string
  readonly logGroupClass: LogGroupClass
  readonly kmsKeyId: string | undefined
  readonly streams = new Map<string, LogStream>()
  readonly tags: Record<string, string> = {}
  retentionInDays: number | undefined
  /** At most 2 (PutSubscriptionFilter); stored in the group's row. */
  subscriptionFilters: SubscriptionFilterData[] = []
  /** At most 100 (PutMetricFilter); stored in the group's row. */
  metricFilters: MetricFilterData[] = []
  /** With a data dir: where the group, its streams and their events are written (logs-rows.ts). */
  readonly rows: LogsRows | undefined

  constructor(init: { name: string; account: string; region: string; creationTime: number; logGroupClass?: LogGroupClass; kmsKeyId?: string },
    rows?: LogsRows) {
    this.rows = rows
    this.name = init.name
    this.account = init.account
    this.region = init.region
    this.arn = `arn:aws:logs:${init.region}:${init.account}:log-group:${init.name}`
    this.creationTime = init.creationTime
    this.logGroupClass = init.logGroupClass ?? 'STANDARD'
    this.kmsKeyId = init.kmsKeyId
  }

  createStream(name: string, now: number, uid = this.rows?.nextStreamUid()): LogStream {
    const stream = new LogStream(name, `${this.arn}:log-stream:${name}`, now, uid, this.rows)
    this.streams.set(name, stream)
    this.rows?.stream(this, stream)
    return stream
  }

  deleteStream(stream: LogStream): void {
    this.streams.delete(stream.name)
    this.rows?.streamGone(this, stream, stream.events)
  }

  /** Tags or retention changed: the group's row is rewritten. */
  saved(): void {
    this.rows?.group(this)
  }

  /** Applies retention as of `now`: AWS expires by event timestamp. Called before every read and write. */
  expire(now: number): void {
    if (this.retentionInDays === undefined) return
    const cutoff = now - this.retentionInDays * dayMs
    for (const stream of this.streams.values()) stream.dropBefore(cutoff)
  }

  get storedBytes(): number {
    let total = 0
    for (const stream of this.streams.values()) total += stream.bytes
    return total
  }

  /**
   * Holds the group's messages to `maxBytes` in memory (Nimbus's bound; AWS stores without limit):
   * the group's oldest events go first, down to 90% of the bound so trimming is not per event.
   */
  trim(maxBytes: number): void {
    let total = this.storedBytes
    if (total <= maxBytes) return
    const target = Math.floor(maxBytes * 0.9)
    // Which events go is decided first, oldest of the whole group first (a merge over the streams' heads);
    // then each stream loses its share in one cut. Streams written side by side (a function's environments)
    // interleave event by event: cutting each event as it is chosen would move a stream's whole array per event.
    const streams = [...this.streams.values()].filter((stream) => stream.events.length > 0)
    const cut = new Array<number>(streams.length).fill(0)
    while (total > target) {
      let best = -1
      for (let i = 0; i < streams.length; i++) {
        const head = streams[i]!.events[cut[i]!]
        if (head !== undefined && (best === -1 || compareKeys(head, streams[best]!.events[cut[best]!]!) < 0)) best = i
      }
      if (best === -1) break
      total -= streams[best]!.events[cut[best]!]!.size - limits.eventOverheadBytes
      cut[best]! += 1
    }
    for (let i = 0; i < streams.length; i++) if (cut[i]! > 0) streams[i]!.dropFirst(cut[i]!)
  }

  /** Streams sorted by name. */
  sortedStreams(): LogStream[] {
    return [...this.streams.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }
}
