// SQS: JSON for current SDKs, query/XML for older ones; standard, FIFO and fair queues.
import type { Clock } from '../../core/clock.ts'
import type { TraceLog } from '../../fabric/trace.ts'
import type { Persistence } from '../../storage/persistence/persistence.ts'
import type { HttpRequest } from '../../protocol/http.ts'
import { ServiceModel } from '../../protocol/model.ts'
import { defineService, type OperationContext, type OperationTable, type ServiceDefinition } from '../service.ts'
import { sqsErrors } from './errors.ts'
import { model } from './generated/model.ts'
import type { SqsOperations } from './generated/types.ts'
import { sqsConsole, sqsConsoleCatalog } from './console.ts'
import { createSqsPort } from './internal.ts'
import type { SqsPort } from './port.ts'
import { batchOperations } from './operations/batches.ts'
import { messageOperations } from './operations/messages.ts'
import { moveTaskOperations } from './operations/move-tasks.ts'
import { queueOperations } from './operations/queues.ts'
import { tagAndPermissionOperations } from './operations/tags-permissions.ts'
import { SqsRows } from './sqs-rows.ts'
import { SqsState } from './store.ts'

export interface SqsDeps {
  clock: Clock
  /** With a data dir, queues and messages are durable (read back here at start); else in memory. */
  persistence?: Persistence
  /** A queue's AWS/SQS metrics changed in an account and region (CloudWatch's alarms re-plan). */
  metricsChanged?: (account: string, region: string) => void
  /** The fabric's trace log: a message moved to a dead-letter queue is a hop there (queue → DLQ). */
  trace?: TraceLog
}

export function createSqs(deps: SqsDeps): { definition: ServiceDefinition; port: SqsPort; state: SqsState } {
  const durable = deps.persistence?.durable === true ? deps.persistence : undefined
  const state = new SqsState(deps.clock, durable === undefined ? undefined : new SqsRows(durable))
  state.metricsChanged = deps.metricsChanged
  const { trace } = deps
  if (trace !== undefined) state.deadLettered = (from, to, id, count) => trace.record(deps.clock.now(), from, to, id, 'dead-lettered', count)
  const operations = {
    ...queueOperations(state),
    ...messageOperations(state),
    ...batchOperations(state),
    ...tagAndPermissionOperations(state),
    ...moveTaskOperations(state),
  } satisfies OperationTable<SqsOperations>

  const definition = defineService({
    name: 'sqs',
    signingName: 'sqs',
    model: new ServiceModel(model),
    protocols: ['json', 'query'],
    operations,
    errors: { missingParameter: sqsErrors.missingParameter },
    prepareInput: (operation, input, request, ctx) => {
      if (ctx.protocol !== 'query') return
      queryQueueUrlFromPath(input, request, ctx)
      if (batchActions.has(operation)) input.Entries ??= []
    },
    reset: () => state.reset(),
    drain: () => state.drain(),
    stop: () => state.close(),
    health: () => ({ status: 'running', queues: state.allQueues().length, longPolls: state.longPolls }),
    consoleCatalog: sqsConsoleCatalog,
    console: sqsConsole(state, operations as never),
  })
  return { definition, port: createSqsPort(state), state }
}

/** Query clients may POST to the queue URL itself instead of sending QueueUrl. */
function queryQueueUrlFromPath(input: Record<string, unknown>, request: HttpRequest, ctx: OperationContext): void {
  if (input.QueueUrl !== undefined) return
  if (!/^\/[^/]+\/[^/]+$/.test(request.rawPath) && !/^\/queue\/[^/]+\/[^/]+\/[^/]+$/.test(request.rawPath)) return
  input.QueueUrl = `http://${ctx.host}${request.rawPath}`
}

/**
 * A query client serialises an empty batch as no entries at all; AWS answers that with
 * EmptyBatchRequest ("There should be at least one …Entry in the request."), not MissingParameter.
 */
const batchActions = new Set(['SendMessageBatch', 'DeleteMessageBatch', 'ChangeMessageVisibilityBatch'])
