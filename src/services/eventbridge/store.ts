// Buses, archives and replays of each account and region; the `default` bus exists implicitly.
import type { Clock } from '../../core/clock.ts'
import { parseArn } from '../../core/arn.ts'
import { AccountRegionStore } from '../../storage/account-region-store.ts'
import { ApiDestination } from './api-destination.ts'
import { Archive } from './archive.ts'
import { Connection } from './connection.ts'
import type { EbRows, EbStored } from './eb-rows.ts'
import { ebErrors } from './errors.ts'
import { EventBus } from './event-bus.ts'
import { compileEventPattern } from './operations/common.ts'
import { Replay } from './replay.ts'
import { Rule, ruleArn } from './rule.ts'
import { parseSchedule } from './schedule/schedule.ts'

export class RegionState {
  readonly account: string
  readonly region: string
  readonly buses = new Map<string, EventBus>()
  readonly archives = new Map<string, Archive>()
  readonly replays = new Map<string, Replay>()
  readonly connections = new Map<string, Connection>()
  readonly apiDestinations = new Map<string, ApiDestination>()

  constructor(account: string, region: string, now: number) {
    this.account = account
    this.region = region
    this.buses.set('default', new EventBus({ name: 'default', account, region, now }))
  }
}

export interface Where {
  account: string
  region: string
}

export class EventBridgeState {
  readonly clock: Clock
  readonly regions: AccountRegionStore<RegionState>
  /** With a data dir: every change is written here (docs/persistence.md); in memory, none. */
  readonly rows: EbRows | undefined
  /** What was stored, until the service has re-armed its schedules and replays from it (index.ts). */
  stored: EbStored | undefined
  private loading = false

  constructor(clock: Clock, rows?: EbRows) {
    this.clock = clock
    this.rows = rows
    this.regions = new AccountRegionStore((account, region) => {
      const created = new RegionState(account, region, clock.now())
      // The implicit default bus's creation time must survive a restart too.
      if (!this.loading) rows?.bus(created.buses.get('default')!)
      return created
    })
    if (rows !== undefined) this.restore(rows)
  }

  /** Rebuilds every resource from the rows, writing nothing; timers are re-armed by the caller. */
  private restore(rows: EbRows): void {
    this.loading = true
    const stored = rows.load()
    for (const row of stored.buses) {
      const bus = new EventBus({ name: row.name, account: row.account, region: row.region, now: row.createdAt })
      bus.lastModifiedAt = row.lastModifiedAt
      bus.description = row.description
      bus.kmsKeyIdentifier = row.kmsKeyIdentifier
      bus.deadLetterConfig = row.deadLetterConfig
      bus.logConfig = row.logConfig
      bus.policy = row.policy
      for (const [k, v] of row.tags) bus.tags.set(k, v)
      this.at(row).buses.set(bus.name, bus)
    }
    for (const row of stored.rules) {
      const bus = this.at(row).buses.get(row.busName)
      if (bus === undefined) continue
      const rule = new Rule({
        name: row.name, arn: ruleArn(row.account, row.region, row.busName, row.name), busName: row.busName, account: row.account,
        region: row.region, managedBy: row.managedBy, archiveName: row.archiveName,
        spec: {
          eventPattern: row.eventPattern, compiled: row.eventPattern === undefined ? undefined : compileEventPattern(row.eventPattern),
          schedule: row.scheduleExpression === undefined ? undefined : parseSchedule(row.scheduleExpression), state: row.state,
          description: row.description, roleArn: row.roleArn,
        },
      })
      for (const [k, v] of row.tags) rule.tags.set(k, v)
      for (const target of row.targets) rule.targets.set(target.Id, target)
      bus.rules.set(rule.name, rule)
      bus.reindex(rule)
    }
    for (const row of stored.archives) {
      const archive = new Archive({ ...row, now: row.createdAt, rows })
      archive.restoreEvents(stored.archived.get(row.uid) ?? [])
      this.at(row).archives.set(archive.name, archive)
    }
    for (const row of stored.replays) {
      const replay = new Replay({ ...row, now: row.startedAt })
      replay.state = row.state
      replay.stateReason = row.stateReason
      replay.lastReplayedMs = row.lastReplayedMs
      replay.endedAt = row.endedAt
      this.at(row).replays.set(replay.name, replay)
    }
    for (const row of stored.connections) {
      const connection = new Connection({ ...row, now: row.createdAt, rows })
      connection.modifiedAt = row.modifiedAt
      connection.authorizedAt = row.authorizedAt
      connection.state = row.state
      connection.stateReason = row.stateReason
      connection.generation = row.generation
      this.at(row).connections.set(connection.name, connection)
    }
    for (const row of stored.apiDestinations) {
      const destination = new ApiDestination({ ...row, now: row.createdAt })
      destination.modifiedAt = row.modifiedAt
      this.at(row).apiDestinations.set(destination.name, destination)
    }
    this.stored = stored
    this.loading = false
  }

  at(where: Where): RegionState {
    return this.regions.get(where.account, where.region)
  }

  /**
   * A bus named by name (in the caller's account and region) or by ARN (any account); `default`
   * when none is given. Undefined when it does not exist.
   */
  findBus(ref: string | undefined, caller: Where): EventBus | undefined {
    const { where, name } = busRef(ref, caller)
    return this.at(where).buses.get(name)
  }

  /** The bus, or ResourceNotFoundException "Event bus <name> does not exist." */
  requireBus(ref: string | undefined, caller: Where): EventBus {
    const bus = this.findBus(ref, caller)
    if (bus === undefined) throw ebErrors.busNotFound(busRef(ref, caller).name)
    return bus
  }

  requireRule(name: string, busRefText: string | undefined, caller: Where): Rule {
    const bus = this.requireBus(busRefText, caller)
    const rule = bus.rules.get(name)
    if (rule === undefined) throw ebErrors.ruleNotFound(name, bus.name)
    return rule
  }

  /** A bus or rule by ARN, for the tagging operations. */
  findTaggable(arn: string): EventBus | Rule | undefined {
    const parsed = parseArn(arn)
    if (parsed === undefined || parsed.service !== 'events') return undefined
    const region = this.regions.peek(parsed.account, parsed.region)
    if (region === undefined) return undefined
    const [kind, ...rest] = parsed.resource.split('/')
    if (kind === 'event-bus' && rest.length === 1) return region.buses.get(rest[0]!)
    if (kind === 'rule' && rest.length === 1) return region.buses.get('default')?.rules.get(rest[0]!)
    if (kind === 'rule' && rest.length === 2) return region.buses.get(rest[0]!)?.rules.get(rest[1]!)
    return undefined
  }

  allBuses(): EventBus[] {
    return [...this.regions.all()].flatMap((r) => [...r.buses.values()])
  }

  reset(): void {
    this.regions.clear()
    this.rows?.clear()
  }

  /** Shutdown: memory only, the rows stay for the next start. */
  close(): void {
    this.regions.clear()
  }
}

/** Splits a bus reference (name or ARN) into where it lives and its name. */
export function busRef(ref: string | undefined, caller: Where): { where: Where; name: string } {
  if (ref === undefined || ref === '') return { where: caller, name: 'default' }
  if (ref.startsWith('arn:')) {
    const parsed = parseArn(ref)
    if (parsed !== undefined && parsed.service === 'events' && parsed.resource.startsWith('event-bus/')) {
      return { where: { account: parsed.account, region: parsed.region }, name: parsed.resource.slice('event-bus/'.length) }
    }
  }
  return { where: caller, name: ref }
}
