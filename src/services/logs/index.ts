// CloudWatch Logs: groups, streams, events, retention on the clock, filter patterns, tags, subscription and
// metric filters — what reading Lambda logs needs (`aws logs filter-log-events`/`tail`) and what Lambda writes.
import { logsConsole } from './console.ts'
import type { Clock } from '../../core/clock.ts'
import type { EventChannel } from '../../core/events.ts'
import { MinuteLog } from '../../core/minute-log.ts'
import type { Fabric } from '../../fabric/fabric.ts'
import type { Persistence } from '../../storage/persistence/persistence.ts'
import { ServiceModel } from '../../protocol/model.ts'
import type { LambdaPort } from '../lambda/port.ts'
import { defineService, type OperationTable, type ServiceDefinition } from '../service.ts'
import { logsDescriptor } from './descriptor.ts'
import { logsErrors } from './errors.ts'
import { model } from './generated/model.ts'
import type { LogsOperations } from './generated/types.ts'
import { createLogsPort } from './internal.ts'
import { LogsRows } from './logs-rows.ts'
import type { LogsPort } from './port.ts'
import { eventOperations } from './operations/events.ts'
import { groupOperations } from './operations/groups.ts'
import { metricFilterOperations } from './operations/metric-filters.ts'
import { streamOperations } from './operations/streams.ts'
import { subscriptionOperations } from './operations/subscriptions.ts'
import { tagOperations } from './operations/tags.ts'
import type { PublishMetrics } from './metric-filter.ts'
import { LogsMetrics, logsMetricSource } from './metrics.ts'
import { type LogEventsAppended, LogsState } from './store.ts'
import { Subscriptions } from './subscriptions.ts'

export interface LogsDeps {
  clock: Clock
  /**
   * Where appends are announced (Nimbus's console mirrors Lambda log lines from it); the registry's
   * own, so listeners can subscribe before Logs loads.
   */
  appended?: EventChannel<LogEventsAppended>
  /** Message bytes kept in memory per log group (oldest events dropped past it); default 64 MiB. */
  maxGroupBytes?: number
  /** With a data dir, groups, streams and events are durable (read back here at start); else in memory. */
  persistence?: Persistence
  /** Subscription filters deliver through the fabric (Kinesis, Firehose and Lambda target kinds). */
  fabric?: Fabric
  /** Whether a Lambda destination exists (and under enforceIam lets CloudWatch Logs invoke it), checked at PutSubscriptionFilter. */
  lambda?: LambdaPort
  /** `--enforce-iam`: a Lambda destination's resource policy must allow logs.amazonaws.com. */
  enforceIam?: boolean
  /** Metric filters publish their values into CloudWatch through this (its port's publish). */
  publishMetrics?: PublishMetrics
  /** A group's AWS/Logs metrics gained a minute (CloudWatch's alarms re-plan). */
  metricsChanged?: (account: string, region: string) => void
}

export function createLogs(deps: LogsDeps): { definition: ServiceDefinition; port: LogsPort; state: LogsState } {
  const durable = deps.persistence?.durable === true ? deps.persistence : undefined
  const state = new LogsState(deps.clock, deps.appended, deps.maxGroupBytes, durable === undefined ? undefined : new LogsRows(durable))
  // AWS/Logs' counters live in memory, as the other services' metrics do (a restart starts them over).
  const metricLog = new MinuteLog(deps.clock, deps.metricsChanged ?? (() => {}))
  const metrics = new LogsMetrics(metricLog)
  state.metrics = metrics
  const subscriptions = deps.fabric === undefined ? undefined : new Subscriptions(deps.clock, deps.fabric, metrics)
  state.subscriptions = subscriptions
  state.publishMetrics = deps.publishMetrics
  const operations = {
    ...groupOperations(state),
    ...streamOperations(state),
    ...eventOperations(state),
    ...tagOperations(state),
    ...subscriptionOperations(state, { fabric: deps.fabric, lambda: deps.lambda, enforceIam: deps.enforceIam }),
    ...metricFilterOperations(state),
  } satisfies OperationTable<LogsOperations>

  const definition = defineService({
    name: logsDescriptor.name,
    signingName: logsDescriptor.signingName,
    model: new ServiceModel(model),
    protocols: logsDescriptor.protocols,
    operations,
    errors: { missingParameter: logsErrors.missingParameter },
    reset: () => {
      state.reset()
      metricLog.clear()
    },
    // With a data dir the rows stay for the next start.
    stop: () => {
      if (durable === undefined) state.reset()
    },
    console: logsConsole(state),
    health: () => ({ status: 'running', logGroups: state.allGroups().length, storedBytes: state.storedBytes(),
      subscriptionMessages: subscriptions?.delivered ?? 0 }),
  })
  return { definition, port: createLogsPort(state, logsMetricSource(metricLog)), state }
}
