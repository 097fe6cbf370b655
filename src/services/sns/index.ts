// SNS: awsQuery only; topics (standard and FIFO), subscriptions, filter policies, fan-out to SQS,
// Lambda, HTTP/S and recorded email/SMS, with real signatures.
import type { Clock } from '../../core/clock.ts'
import { MinuteLog } from '../../core/minute-log.ts'
import type { Persistence } from '../../storage/persistence/persistence.ts'
import { ServiceModel } from '../../protocol/model.ts'
import type { Fabric } from '../../fabric/fabric.ts'
import { defineService, type OperationTable, type ServiceDefinition } from '../service.ts'
import { snsConsole } from './console.ts'
import { Deliverer } from './delivery.ts'
import { snsDescriptor } from './descriptor.ts'
import { Envelopes } from './envelope.ts'
import { snsErrors } from './errors.ts'
import { model } from './generated/model.ts'
import type { SnsOperations } from './generated/types.ts'
import { HttpPoster } from './http-endpoint.ts'
import { createSnsPort } from './internal.ts'
import type { SnsPort } from './port.ts'
import { internalRoutes } from './internal-routes.ts'
import { SnsMetrics, snsMetricSource } from './metrics.ts'
import { permissionOperations } from './operations/permissions.ts'
import { publishOperations } from './operations/publish.ts'
import { subscriptionOperations } from './operations/subscriptions.ts'
import { tagOperations } from './operations/tags.ts'
import { topicOperations } from './operations/topics.ts'
import { SnsSigner } from './signing.ts'
import { SnsRows } from './sns-rows.ts'
import { SnsState } from './store.ts'

export interface SnsDeps {
  clock: Clock
  /** Deliveries to queues, functions and HTTP/S endpoints go through it. */
  fabric: Fabric
  /** Nimbus's base URL: SigningCertURL, SubscribeURL and UnsubscribeURL point back here. */
  endpoint: () => string
  log: (line: string) => void
  /** With a data dir, topics, subscriptions, tokens, the outbox and the signing key are durable; else in memory. */
  persistence?: Persistence
  /** A topic's AWS/SNS metrics gained a minute (CloudWatch's alarms re-plan). */
  metricsChanged?: (account: string, region: string) => void
}

export function createSns(deps: SnsDeps): { definition: ServiceDefinition; port: SnsPort; state: SnsState } {
  const rows = deps.persistence?.durable === true ? new SnsRows(deps.persistence) : undefined
  const state = new SnsState(deps.clock, rows)
  // The certificate is checked by validators against the wall clock, so it must be valid now even
  // when a manual clock stands years away; it is made on the first signed message, not at start-up.
  // With a data dir the key pair is kept: messages stored before a restart still verify.
  const signer = new SnsSigner(() => Math.min(deps.clock.now(), Date.now()), {
    stored: state.storedSigningIdentity, created: (identity) => rows?.signingIdentity(identity),
  })
  const http = new HttpPoster(deps.clock)
  // AWS/SNS's counters live in memory, as AWS/SQS's and AWS/Lambda's do (a restart starts them over).
  const metricLog = new MinuteLog(deps.clock, deps.metricsChanged ?? (() => {}))
  const deliverer = new Deliverer({
    clock: deps.clock, fabric: deps.fabric, http, outbox: state.outbox, log: deps.log, metrics: new SnsMetrics(metricLog),
    findSubscription: (arn) => state.findSubscription(arn),
    envelopes: new Envelopes(deps.endpoint, signer),
  })
  const operations = {
    ...topicOperations(state),
    ...subscriptionOperations(state, deliverer),
    ...publishOperations(state, deliverer),
    ...tagOperations(state),
    ...permissionOperations(state),
  } satisfies OperationTable<SnsOperations>

  const definition = defineService({
    name: snsDescriptor.name,
    signingName: snsDescriptor.signingName,
    model: new ServiceModel(model),
    protocols: snsDescriptor.protocols,
    operations,
    errors: { missingParameter: snsErrors.missingParameter },
    // The SubscribeURL and UnsubscribeURL links SNS sends are followed unsigned, by people and HTTP
    // endpoints alike; AWS serves exactly these two actions anonymously (Unsubscribe then checks
    // AuthenticateOnUnsubscribe). The signing certificate is under /_nimbus/sns/, always public.
    console: snsConsole(state, operations as never),
    allowsAnonymous: (operation) => operation === 'ConfirmSubscription' || operation === 'Unsubscribe',
    prepareInput: (operation, input, _request, ctx) => {
      // A query client serialises an empty list as nothing at all.
      if (ctx.protocol === 'query' && operation === 'PublishBatch') input.PublishBatchRequestEntries ??= []
    },
    reset: () => {
      deliverer.reset()
      http.abortAll()
      metricLog.clear()
      state.reset()
    },
    stop: () => {
      deliverer.reset()
      http.abortAll()
      state.close()
    },
    health: () => ({ status: 'running', topics: state.allTopics().length, httpDeliveriesPending: deliverer.httpPending,
      httpRetriesWaiting: deliverer.httpRetrying }),
    internalRoutes: internalRoutes(state, signer),
  })
  return { definition, port: createSnsPort(state, deliverer, snsMetricSource(metricLog)), state }
}
