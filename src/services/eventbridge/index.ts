// EventBridge: awsJson1_1; buses, rules (patterns and schedules), targets with retries and DLQs,
// input transformation, archives and replays, and a port for AWS services' own events.
import type { Clock } from '../../core/clock.ts'
import { HttpClient } from '../../core/http-client.ts'
import { ServiceModel } from '../../protocol/model.ts'
import type { LambdaPort } from '../lambda/port.ts'
import type { LogsPort } from '../logs/port.ts'
import { defineService, type OperationTable, type ServiceDefinition } from '../service.ts'
import type { SnsPort } from '../sns/port.ts'
import type { SqsPort } from '../sqs/port.ts'
import { ApiDestinationSender } from './api-destination-sender.ts'
import type { EbContext } from './context.ts'
import { eventBridgeDescriptor } from './descriptor.ts'
import { Deliverer } from './delivery.ts'
import { ebErrors } from './errors.ts'
import { model } from './generated/model.ts'
import type { EventBridgeOperations } from './generated/types.ts'
import { createEventBridgePort } from './internal.ts'
import type { EventBridgePort } from './port.ts'
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
import { createTargetSender } from './target-senders.ts'

export interface EventBridgeDeps {
  clock: Clock
  sqs: SqsPort
  sns: SnsPort
  lambda: LambdaPort
  logs: LogsPort
  log: (line: string) => void
}

export function createEventBridge(deps: EventBridgeDeps): { definition: ServiceDefinition; port: EventBridgePort; state: EventBridgeState } {
  const state = new EventBridgeState(deps.clock)
  let router: Router | undefined
  // API destinations are customers' HTTP endpoints: the one kind of target reached over the network.
  const http = new HttpClient(deps.clock)
  const apiDestinations = new ApiDestinationSender(state, http, deps.clock)
  const send = createTargetSender({
    sqs: deps.sqs, sns: deps.sns, lambda: deps.lambda, logs: deps.logs,
    toBus: (arn, event, fromAccount) => router!.toBus(arn, event, fromAccount),
    apiDestination: (job, payload) => apiDestinations.send(job, payload),
  })
  const deliverer = new Deliverer(deps.clock, send, deps.sqs, deps.log)
  router = new Router(state, deps.clock, deliverer)
  const scheduler = new RuleScheduler(deps.clock, (rule, at) => router.fireSchedule(rule, at))
  const ctx: EbContext = { state, clock: deps.clock, router, deliverer, scheduler, replayer: new Replayer(deps.clock, router) }
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

  const reset = () => {
    scheduler.clear()
    deliverer.clear()
    http.abortAll()
    ctx.replayer.clear()
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
    stop: reset,
    // apiDestinationRequestsInFlight: HTTP invocations (and token requests) on the wire; 0 means
    // every one has settled (delivered, dead-lettered, or waiting on the clock for its retry).
    health: () => ({ status: 'running', buses: state.allBuses().length, scheduledRules: scheduler.size,
      apiDestinationRequestsInFlight: deliverer.inFlight }),
  })
  return { definition, port: createEventBridgePort(state, router), state }
}
