// Buses, archives and replays of each account and region; the `default` bus exists implicitly.
import type { Clock } from '../../core/clock.ts'
import { parseArn } from '../../core/arn.ts'
import { AccountRegionStore } from '../../storage/account-region-store.ts'
import type { ApiDestination } from './api-destination.ts'
import type { Archive } from './archive.ts'
import type { Connection } from './connection.ts'
import { ebErrors } from './errors.ts'
import { EventBus } from './event-bus.ts'
import type { Replay } from './replay.ts'
import type { Rule } from './rule.ts'

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

  constructor(clock: Clock) {
    this.clock = clock
    this.regions = new AccountRegionStore((account, region) => new RegionState(account, region, clock.now()))
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
