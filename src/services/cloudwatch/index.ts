// CloudWatch: metrics (PutMetricData, statistics, metric math), alarms evaluated lazily on the
// clock with actions through the delivery fabric, composite alarms, dashboards, tags.
import type { Clock } from '../../core/clock.ts'
import type { Fabric } from '../../fabric/fabric.ts'
import type { Persistence } from '../../storage/persistence/persistence.ts'
import { ServiceModel } from '../../protocol/model.ts'
import { defineService, type OperationTable, type ServiceDefinition } from '../service.ts'
import { AlarmEngine } from './alarm-engine.ts'
import { CloudWatchRows } from './cloudwatch-rows.ts'
import { cloudWatchConsole } from './console.ts'
import { cloudWatchDescriptor } from './descriptor.ts'
import { cloudWatchErrors } from './errors.ts'
import { model } from './generated/model.ts'
import type { CloudWatchOperations } from './generated/types.ts'
import { createCloudWatchPort } from './internal.ts'
import { alarmStateOperations } from './operations/alarm-state.ts'
import { alarmOperations } from './operations/alarms.ts'
import { dashboardOperations } from './operations/dashboards.ts'
import { getMetricDataOperations } from './operations/get-metric-data.ts'
import { putMetricDataOperations } from './operations/put-metric-data.ts'
import { readMetricOperations } from './operations/read-metrics.ts'
import { tagOperations } from './operations/tags.ts'
import type { Ec2Port } from '../ec2/port.ts'
import type { CloudWatchPort, MetricSource } from './port.ts'
import { inflateRequest } from './request-compression.ts'
import { CloudWatchState } from './store.ts'

export interface CloudWatchDeps {
  clock: Clock
  /** Alarm actions (SNS, Lambda) and state-change events (EventBridge) go through it. */
  fabric?: Fabric
  /** With a data dir, datapoints, alarms, history and dashboards are durable; else in memory. */
  persistence?: Persistence
  /** Metrics other services compute on demand (EC2's AWS/EC2), read through their ports. */
  sources?: MetricSource[]
  /** Alarms' EC2 actions (arn:aws:automate:<region>:ec2:stop|terminate|reboot|recover) run through it. */
  ec2?: Ec2Port
}

export interface CloudWatch {
  definition: ServiceDefinition
  port: CloudWatchPort
  state: CloudWatchState
  engine: AlarmEngine
}

export function createCloudWatch(deps: CloudWatchDeps): CloudWatch {
  const durable = deps.persistence?.durable === true ? deps.persistence : undefined
  const state = new CloudWatchState(deps.clock, durable === undefined ? undefined : new CloudWatchRows(durable))
  for (const source of deps.sources ?? []) state.sources.add(source)
  const engine = new AlarmEngine(deps.clock, state, deps.fabric, deps.ec2)
  // Stored alarms resume: each is re-planned from its last evaluation instant.
  for (const region of state.regions.all()) for (const alarm of region.alarms.values()) engine.watch(alarm)
  const operations = {
    ...putMetricDataOperations(state),
    ...readMetricOperations(state),
    ...getMetricDataOperations(state),
    ...alarmOperations(state, engine),
    ...alarmStateOperations(state, engine),
    ...dashboardOperations(state),
    ...tagOperations(state),
  } satisfies OperationTable<CloudWatchOperations>

  const definition = defineService({
    name: cloudWatchDescriptor.name,
    signingName: cloudWatchDescriptor.signingName,
    model: new ServiceModel(model),
    protocols: cloudWatchDescriptor.protocols,
    operations,
    normalizeRequest: inflateRequest,
    errors: { missingParameter: cloudWatchErrors.missingParameter },
    reset: () => {
      engine.stop()
      state.reset()
    },
    stop: () => {
      engine.stop()
      if (durable === undefined) state.reset()
    },
    console: cloudWatchConsole(state, operations as never),
    health: () => {
      let metrics = 0
      let alarms = 0
      for (const r of state.regions.all()) {
        metrics += r.metrics.size
        alarms += r.alarms.size
      }
      return { status: 'running', metrics, alarms, evaluations: engine.evaluations }
    },
  })
  return { definition, port: createCloudWatchPort(state, engine), state, engine }
}
