// CloudWatch Logs: groups, streams, events, retention on the clock, filter patterns, tags — what
// reading Lambda logs needs (`aws logs filter-log-events`/`get-log-events`/`tail`) and what Lambda writes.
import type { Clock } from '../../core/clock.ts'
import type { Listener } from '../../core/events.ts'
import { ServiceModel } from '../../protocol/model.ts'
import { defineService, type OperationTable, type ServiceDefinition } from '../service.ts'
import { logsErrors } from './errors.ts'
import { model } from './generated/model.ts'
import type { LogsOperations } from './generated/types.ts'
import { createLogsPort, type LogsPort } from './internal.ts'
import { eventOperations } from './operations/events.ts'
import { groupOperations } from './operations/groups.ts'
import { streamOperations } from './operations/streams.ts'
import { tagOperations } from './operations/tags.ts'
import { type LogEventsAppended, LogsState } from './store.ts'

export interface LogsDeps {
  clock: Clock
  /** Told of every append (Nimbus's console mirrors Lambda log lines from it). */
  onAppended?: Listener<LogEventsAppended>
}

export function createLogs(deps: LogsDeps): { definition: ServiceDefinition; port: LogsPort; state: LogsState } {
  const state = new LogsState(deps.clock)
  if (deps.onAppended !== undefined) state.appended.on(deps.onAppended)
  const operations = {
    ...groupOperations(state),
    ...streamOperations(state),
    ...eventOperations(state),
    ...tagOperations(state),
  } satisfies OperationTable<LogsOperations>

  const definition = defineService({
    name: 'logs',
    signingName: 'logs',
    model: new ServiceModel(model),
    protocols: ['json'],
    operations,
    errors: { missingParameter: logsErrors.missingParameter },
    reset: () => state.reset(),
    stop: () => state.reset(),
    health: () => ({ status: 'running', logGroups: state.allGroups().length }),
  })
  return { definition, port: createLogsPort(state), state }
}
