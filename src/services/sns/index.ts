// SNS: awsQuery only; topics (standard and FIFO), subscriptions, filter policies, fan-out to SQS and Lambda.
import type { Clock } from '../../core/clock.ts'
import { ServiceModel } from '../../protocol/model.ts'
import type { LambdaPort } from '../lambda/internal.ts'
import { defineService, type OperationTable, type ServiceDefinition } from '../service.ts'
import type { SqsPort } from '../sqs/internal.ts'
import type { DeliveryDeps } from './delivery.ts'
import { snsErrors } from './errors.ts'
import { model } from './generated/model.ts'
import type { SnsOperations } from './generated/types.ts'
import { createSnsPort, type SnsPort } from './internal.ts'
import { publishOperations } from './operations/publish.ts'
import { subscriptionOperations } from './operations/subscriptions.ts'
import { tagOperations } from './operations/tags.ts'
import { topicOperations } from './operations/topics.ts'
import { SnsState } from './store.ts'

export interface SnsDeps {
  clock: Clock
  sqs: SqsPort
  lambda: LambdaPort
  log: (line: string) => void
}

export function createSns(deps: SnsDeps): { definition: ServiceDefinition; port: SnsPort; state: SnsState } {
  const state = new SnsState(deps.clock)
  const delivery: DeliveryDeps = { sqs: deps.sqs, lambda: deps.lambda, sms: state.smsDeliveries, log: deps.log }
  const operations = {
    ...topicOperations(state),
    ...subscriptionOperations(state),
    ...publishOperations(state, delivery),
    ...tagOperations(state),
  } satisfies OperationTable<SnsOperations>

  const definition = defineService({
    name: 'sns',
    signingName: 'sns',
    model: new ServiceModel(model),
    protocols: ['query'],
    operations,
    errors: { missingParameter: snsErrors.missingParameter },
    prepareInput: (operation, input, _request, ctx) => {
      // A query client serialises an empty list as nothing at all.
      if (ctx.protocol === 'query' && operation === 'PublishBatch') input.PublishBatchRequestEntries ??= []
    },
    reset: () => state.reset(),
    stop: () => state.reset(),
    health: () => ({ status: 'running', topics: state.allTopics().length }),
  })
  return { definition, port: createSnsPort(state, delivery), state }
}
