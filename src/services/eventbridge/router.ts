// What happens to an event on a bus: matched against the bus's enabled rules (one PatternIndex),
// recorded by the archives whose managed rule matches, and handed to the matched rules' targets.
import { randomUUID } from 'node:crypto'
import type { Clock } from '../../core/clock.ts'
import type { Archive } from './archive.ts'
import { DeliveryFailure } from '../../fabric/failure.ts'
import type { Deliverer, DeliveryJob } from './delivery.ts'
import { buildEvent, checkEntry, type EntryInput, type Ingested, ingested } from './event.ts'
import type { EventBus } from './event-bus.ts'
import type * as T from './generated/types.ts'
import type { Rule } from './rule.ts'
import { busRef, type EventBridgeState, type Where } from './store.ts'

export interface PutEntry extends EntryInput {
  EventBusName?: string
  TraceHeader?: string
}

export interface RouteOptions {
  /** Replays with Destination.FilterArns reach only these rules. */
  filterArns?: ReadonlySet<string>
}

export class Router {
  private readonly state: EventBridgeState
  private readonly clock: Clock
  private readonly deliverer: Deliverer

  constructor(state: EventBridgeState, clock: Clock, deliverer: Deliverer) {
    this.state = state
    this.clock = clock
    this.deliverer = deliverer
  }

  /**
   * One PutEvents entry from `caller` (already size-checked): AWS's per-entry errors, or the new
   * event id. `trusted` callers (AWS services through the internal port) may use `aws.` sources.
   */
  putEntry(entry: PutEntry, caller: Where, trusted = false): T.PutEventsResultEntry {
    const checked = checkEntry(entry)
    if ('error' in checked) return { ErrorCode: checked.error.code, ErrorMessage: checked.error.message }
    if (!trusted && entry.Source!.startsWith('aws.')) {
      return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' }
    }
    const bus = this.state.findBus(entry.EventBusName, caller)
    // AWS accepts events for a bus that does not exist and drops them (aws/aws-sdk#186, aws/aws-cli#9186).
    if (bus === undefined) return { EventId: randomUUID() }
    if (!bus.allowsPutEventsFrom(caller.account)) {
      return { ErrorCode: 'AccessDeniedException',
        ErrorMessage: `User: arn:aws:iam::${caller.account}:root is not authorized to perform: events:PutEvents on resource: ${bus.arn}` }
    }
    const now = this.clock.now()
    const event = buildEvent({
      source: entry.Source!, detailType: entry.DetailType!, detail: checked.detail, account: caller.account, region: bus.region,
      timeMs: entry.Time?.getTime() ?? now, resources: entry.Resources ?? [],
    })
    this.route(bus, ingested(event, now, entry.TraceHeader))
    return { EventId: event.id }
  }

  /** Matches the event on the bus and schedules delivery to every matched rule's targets. */
  route(bus: EventBus, event: Ingested, options: RouteOptions = {}): void {
    if (bus.index.size === 0) return
    const jobs: DeliveryJob[] = []
    const metrics = this.deliverer.metrics
    let matched = false
    for (const rule of bus.index.match(event.event)) {
      if (options.filterArns !== undefined && !options.filterArns.has(rule.arn)) continue
      if (rule.archiveName !== undefined) this.archiveFor(bus, rule)?.record(event.event, event.json, this.clock.now())
      else {
        jobs.push(...targetJobs(rule, event))
        metrics?.triggered(rule.arn)
        matched = true
      }
    }
    if (matched) metrics?.matched(bus.account, bus.region)
    this.deliverer.dispatch(jobs)
  }

  /** A scheduled rule fired: its targets get the "Scheduled Event" directly (it never crosses the bus). */
  fireSchedule(rule: Rule, at: number): void {
    const event = buildEvent({
      source: 'aws.events', detailType: 'Scheduled Event', detail: {}, account: rule.account, region: rule.region,
      timeMs: at, resources: [rule.arn],
    })
    this.deliverer.metrics?.triggered(rule.arn)
    this.deliverer.dispatch(targetJobs(rule, ingested(event, at)))
  }

  /** A bus target: the event enters the other bus as-is, if that bus exists and its policy lets `fromAccount` in. */
  toBus(busArn: string, event: Ingested, fromAccount: string): void {
    const bus = this.state.findBus(busArn, { account: fromAccount, region: event.event.region })
    if (bus === undefined) throw new DeliveryFailure('NO_RESOURCE', `Event bus ${busRef(busArn, { account: '', region: '' }).name} does not exist.`)
    if (!bus.allowsPutEventsFrom(fromAccount)) {
      throw new DeliveryFailure('NO_PERMISSIONS', `Account ${fromAccount} is not authorized to put events to ${bus.arn}.`)
    }
    this.route(bus, event)
  }

  private archiveFor(bus: EventBus, rule: Rule): Archive | undefined {
    return this.state.at(bus).archives.get(rule.archiveName!)
  }
}

function targetJobs(rule: Rule, event: Ingested): DeliveryJob[] {
  const ref = { name: rule.name, arn: rule.arn }
  return [...rule.targets.values()].map((target) => ({ rule: ref, target, ingested: event }))
}
