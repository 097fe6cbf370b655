// CloudTrail's state: trails per account (a trail lives in its home region; a multi-region one is
// seen — as a shadow trail — and records events in every region), each trail's captured records
// on their way to its bucket, and the event history.
import type { Clock } from '../../core/clock.ts'
import type { S3Port } from '../s3/port.ts'
import type { CloudTrailRows } from './cloudtrail-rows.ts'
import { cloudTrailErrors } from './errors.ts'
import type { EventRecord } from './event-record.ts'
import type { EventHistory } from './history.ts'
import { LogFiles } from './log-files.ts'
import { type EventFacts, recordsData, selects } from './selectors.ts'
import { type Trail, trailArn } from './trail.ts'

export class CloudTrailState {
  private readonly accounts = new Map<string, Map<string, Trail>>()
  readonly logFiles: LogFiles
  readonly history: EventHistory
  private readonly rows: CloudTrailRows | undefined

  constructor(clock: Clock, s3: S3Port, history: EventHistory, rows?: CloudTrailRows) {
    this.history = history
    this.rows = rows
    this.logFiles = new LogFiles(clock, s3, {
      captured: (trail, record, firstAt) => this.rows?.captured(trail, record, firstAt),
      delivered: (trail, records) => this.rows?.delivered(trail, records),
      changed: (trail) => this.save(trail),
    })
    for (const { trail, firstAt } of rows?.load() ?? []) {
      this.trailsOf(trail.account).set(trailArn(trail), trail)
      if (firstAt !== undefined) this.logFiles.rearm(trail, firstAt)
    }
  }

  /** Trails of the account seen from `region`: its own and the multi-region ones of other regions. */
  visible(account: string, region: string): Trail[] {
    return [...this.trailsOf(account).values()].filter((t) => t.homeRegion === region || t.multiRegion)
  }

  all(account: string): Trail[] {
    return [...this.trailsOf(account).values()]
  }

  /** By name or ARN, among the trails seen from `region`; undefined when none. */
  find(account: string, region: string, nameOrArn: string): Trail | undefined {
    if (nameOrArn.startsWith('arn:')) return this.trailsOf(account).get(nameOrArn)
    const seen = this.visible(account, region).filter((t) => t.name === nameOrArn)
    return seen.find((t) => t.homeRegion === region) ?? seen[0]
  }

  require(account: string, region: string, nameOrArn: string): Trail {
    const trail = this.find(account, region, nameOrArn)
    if (trail === undefined) throw cloudTrailErrors.trailNotFound(nameOrArn, account)
    return trail
  }

  /**
   * Only the trails whose home is `region` (event selectors: a multi-region trail is not found from
   * another region, and the message names the ARN the name would have here [R]).
   */
  requireOwn(account: string, region: string, nameOrArn: string): Trail {
    const arn = nameOrArn.startsWith('arn:') ? nameOrArn : trailArn({ account, homeRegion: region, name: nameOrArn })
    const trail = this.trailsOf(account).get(arn)
    if (trail === undefined || trail.homeRegion !== region) throw cloudTrailErrors.trailNotFound(arn, account)
    return trail
  }

  /** A change to the trail must be made from its home region (a shadow trail is read-only). */
  requireHome(account: string, region: string, nameOrArn: string): Trail {
    const trail = this.require(account, region, nameOrArn)
    if (trail.homeRegion !== region) throw cloudTrailErrors.notHomeRegion(trailArn(trail), trail.homeRegion)
    return trail
  }

  add(trail: Trail): void {
    this.trailsOf(trail.account).set(trailArn(trail), trail)
    this.save(trail)
  }

  delete(trail: Trail): void {
    this.trailsOf(trail.account).delete(trailArn(trail))
    this.logFiles.forget(trail)
    this.rows?.deleteTrail(trail)
    trail.pending.length = 0
  }

  save(trail: Trail): void {
    if (this.trailsOf(trail.account).get(trailArn(trail)) === trail) this.rows?.saveTrail(trail)
  }

  /** Whether some logging trail seen from the region records data events (the cheap test on data calls). */
  recordsData(account: string, region: string): boolean {
    const trails = this.accounts.get(account)
    if (trails === undefined) return false
    for (const trail of trails.values()) {
      if (trail.logging && (trail.homeRegion === region || trail.multiRegion) && recordsData(trail.selectors)) return true
    }
    return false
  }

  /** Hands the record to every logging trail whose selectors take it; returns how many did. */
  capture(account: string, region: string, record: EventRecord, facts: EventFacts): number {
    const trails = this.accounts.get(account)
    if (trails === undefined) return 0
    let taken = 0
    for (const trail of trails.values()) {
      if (!trail.logging || (trail.homeRegion !== region && !trail.multiRegion) || !selects(trail.selectors, facts)) continue
      this.logFiles.capture(trail, record)
      taken += 1
    }
    return taken
  }

  reset(): void {
    this.logFiles.stop()
    this.accounts.clear()
    this.rows?.clear()
    this.history.reset()
  }

  stop(): void {
    this.logFiles.stop()
  }

  private trailsOf(account: string): Map<string, Trail> {
    let trails = this.accounts.get(account)
    if (trails === undefined) this.accounts.set(account, (trails = new Map()))
    return trails
  }
}
