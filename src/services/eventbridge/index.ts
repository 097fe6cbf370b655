// EventBridge: awsJson1_1; buses, rules (patterns and schedules), targets with retries and DLQs,
// input transformation, archives and replays, and a port for AWS services' own events.
import type { Clock } from '../../core/clock.ts'
import { MinuteLog } from '../../core/minute-log.ts'
import { HttpClient } from '../../core/http-client.ts'
import type { Persistence } from '../../storage/persistence/persistence.ts'
import { ServiceModel } from '../../protocol/model.ts'
import type { Fabric } from '../../fabric/fabric.ts'
import { defineService, type OperationTable, type ServiceDefinition } from '../service.ts'
import { ApiDestinationSender } from './api-destination-sender.ts'
import type { EbContext } from './context.ts'
import { eventBridgeDescriptor } from './descriptor.ts'
import { apiDestinationSender, busSender, Deliverer } from './delivery.ts'
import { EbRows, ruleKey } from './eb-rows.ts'
import { ebErrors } from './errors.ts'
import type { BusEvent } from './event.ts'
import { model } from './generated/model.ts'
import type { EventBridgeOperations } from './generated/types.ts'
import { createEventBridgePort } from './internal.ts'
import { EventsMetrics, eventsMetricSource } from './metrics.ts'
import type { EventBridgePort } from './port.ts'
import { eventBridgeConsole } from './console.ts'
import { apiDestinationOperations } from './operations/api-destinations.ts'
import { archiveOperations } from './operations/archives.ts'
import { busOperations } from './operations/buses.ts'
import { connectionOperations } from './operations/connections.ts'
import { eventOperations } from './operations/events.ts'
import { replayOperations } from './operations/replays.ts'
import { ruleOperations } from './operations/rules.ts'
import { tagOperations } from './operations/tags.ts'
import { targetOperations } from './operations/targets.ts'
import { Replayer } from './replayer.ts'
import { Router } from './router.ts'
import { RuleScheduler } from './scheduler.ts'
import { EventBridgeState } from './store.ts'

export interface EventBridgeDeps {
  clock: Clock
  /** Targets and dead-letter queues are delivered to through it. */
  fabric: Fabric
  log: (line: string) => void
  /** With a data dir every resource, archived event, replay and schedule is durable; else in memory. */
  persistence?: Persistence
  /** A rule's AWS/Events metrics gained a minute (CloudWatch's alarms re-plan). */
  metricsChanged?: (account: string, region: string) => void
}

export function createEventBridge(deps: EventBridgeDeps): { definition: ServiceDefinition; port: EventBridgePort; state: EventBridgeState } {
  const rows = deps.persistence?.durable === true ? new EbRows(deps.persistence) : undefined
  const state = new EventBridgeState(deps.clock, rows)
  let router: Router | undefined
  // API destinations are customers' HTTP endpoints: the one kind of target reached over the network.
  const http = new HttpClient(deps.clock)
  const apiDestinations = new ApiDestinationSender(state, http, deps.clock)
  deps.fabric.registerSender(apiDestinationSender, (delivery) => apiDestinations.send(delivery))
  // A bus target: the event enters the other bus as-is (its id and trace header kept).
  deps.fabric.registerSender(busSender, (d) => router!.toBus(d.target,
    { event: JSON.parse(d.payload) as BusEvent, json: d.payload, ingestedAt: d.since ?? deps.clock.now(), traceHeader: d.options?.traceHeader },
    String(d.options?.extra?.fromAccount ?? '')))
  // AWS/Events' counters live in memory, as AWS/SQS's and AWS/SNS's do (a restart starts them over).
  const metricLog = new MinuteLog(deps.clock, deps.metricsChanged ?? (() => {}))
  const deliverer = new Deliverer(deps.clock, deps.fabric, deps.log, new EventsMetrics(metricLog))
  router = new Router(state, deps.clock, deliverer)
  const scheduler = new RuleScheduler(deps.clock, (rule, at) => router.fireSchedule(rule, at), rows)
  const ctx: EbContext = { state, clock: deps.clock, router, deliverer, scheduler, replayer: new Replayer(deps.clock, router, rows) }
  resumeFromRows(state, scheduler, ctx.replayer)
  const operations = {
    ...busOperations(ctx),
    ...ruleOperations(ctx),
    ...targetOperations(ctx),
    ...eventOperations(ctx),
    ...archiveOperations(ctx),
    ...replayOperations(ctx),
    ...tagOperations(ctx),
    ...connectionOperations(ctx),
    ...apiDestinationOperations(ctx),
  } satisfies OperationTable<EventBridgeOperations>

  const stopMachinery = () => {
    scheduler.clear()
    deliverer.clear()
    http.abortAll()
    ctx.replayer.clear()
  }
  const reset = () => {
    stopMachinery()
    metricLog.clear()
    state.reset()
  }
  const definition = defineService({
    name: eventBridgeDescriptor.name,
    signingName: eventBridgeDescriptor.signingName,
    model: new ServiceModel(model),
    protocols: eventBridgeDescriptor.protocols,
    operations,
    errors: { missingParameter: ebErrors.missingParameter },
    reset,
    // Shutdown keeps the rows (reset clears them).
    stop: () => {
      stopMachinery()
      state.close()
    },
    // apiDestinationRequestsInFlight: HTTP invocations (and token requests) on the wire; 0 means
    // every one has settled (delivered, dead-lettered, or waiting on the clock for its retry).
    health: () => ({ status: 'running', buses: state.allBuses().length, scheduledRules: scheduler.size,
      apiDestinationRequestsInFlight: deliverer.inFlight }),
    console: eventBridgeConsole(state, scheduler, operations as never),
  })
  return { definition, port: createEventBridgePort(state, router, eventsMetricSource(metricLog)), state }
}

/**
 * Timers are data: at start, each enabled scheduled rule goes on from its stored next due time and
 * each replay that had not ended resumes. What fell due while Nimbus was down runs now, in due order.
 */
function resumeFromRows(state: EventBridgeState, scheduler: RuleScheduler, replayer: Replayer): void {
  const stored = state.stored
  if (stored === undefined) return
  state.stored = undefined
  for (const region of state.regions.all()) {
    for (const bus of region.buses.values()) {
      for (const rule of bus.rules.values()) {
        const dueAt = stored.schedules.get(ruleKey(rule))
        if (dueAt !== undefined) scheduler.resume(rule, dueAt)
      }
    }
    for (const replay of region.replays.values()) {
      if (replay.state === 'COMPLETED' || replay.state === 'CANCELLED' || replay.state === 'FAILED') continue
      const archive = [...region.archives.values()].find((a) => a.arn === replay.archiveArn)
      const bus = archive === undefined ? undefined : state.findBus(archive.sourceArn, region)
      if (archive === undefined || bus === undefined) {
        // Its archive or bus was deleted: nothing left to replay from.
        replay.state = 'FAILED'
        replay.stateReason = 'The archive or event bus of this replay no longer exists.'
        replay.endedAt = state.clock.now()
        state.rows?.replay(replay)
        continue
      }
      replayer.resume(replay, archive.between(replay.startMs, replay.endMs, state.clock.now()), bus)
    }
  }
}
