// Amazon Data Firehose: DirectPut delivery streams buffered on the clock and delivered to S3
// (through S3's port) as AWS names, prefixes and compresses the objects.
import type { Clock } from '../../core/clock.ts'
import { MinuteLog } from '../../core/minute-log.ts'
import type { Persistence } from '../../storage/persistence/persistence.ts'
import { withCoralValidation } from '../../protocol/coral-validation.ts'
import { ServiceModel } from '../../protocol/model.ts'
import type { KinesisPort } from '../kinesis/port.ts'
import type { LambdaPort } from '../lambda/port.ts'
import type { LogsPort } from '../logs/port.ts'
import type { S3Port } from '../s3/port.ts'
import { defineService, type OperationTable, type ServiceDefinition } from '../service.ts'
import { Delivery } from './delivery.ts'
import { FirehoseErrorLogs } from './error-logs.ts'
import { firehoseConsole } from './console.ts'
import { firehoseDescriptor } from './descriptor.ts'
import { firehoseErrors } from './errors.ts'
import { FirehoseRows } from './firehose-rows.ts'
import { model } from './generated/model.ts'
import type { FirehoseOperations } from './generated/types.ts'
import { createFirehosePort } from './internal.ts'
import { KinesisSource } from './kinesis-source.ts'
import { TransformStage } from './transform-stage.ts'
import { encryptionOperations } from './operations/encryption.ts'
import { recordOperations } from './operations/records.ts'
import { streamOperations } from './operations/streams.ts'
import { tagOperations } from './operations/tags.ts'
import type { FirehosePort } from './port.ts'
import { type PutQuota, PutThrottle } from './put-quota.ts'
import { FirehoseState } from './store.ts'
import { FirehoseMetrics, firehoseMetricSource } from './metrics.ts'

export interface FirehoseDeps {
  clock: Clock
  /** Where objects are written (as the bucket's owner). */
  s3: S3Port
  /** Data transformation invokes functions through Lambda's port. */
  lambda: LambdaPort
  /** KinesisStreamAsSource streams read their source through Kinesis's port. */
  kinesis: KinesisPort
  /** CloudWatchLoggingOptions: delivery and transformation errors are written as log events through Logs' port. */
  logs?: LogsPort
  log: (line: string) => void
  /** With a data dir, streams and every undelivered record are durable (read back here at start). */
  persistence?: Persistence
  /** A stream's AWS/Firehose metrics gained a minute (CloudWatch's alarms re-plan). */
  metricsChanged?: (account: string, region: string) => void
  /** Nimbus's own Direct PUT quota for every Region (else AWS's per-Region defaults, put-quota.ts). */
  directPutQuota?: PutQuota
}

export function createFirehose(deps: FirehoseDeps): { definition: ServiceDefinition; port: FirehosePort; state: FirehoseState } {
  const durable = deps.persistence?.durable === true ? deps.persistence : undefined
  const rows = durable === undefined ? undefined : new FirehoseRows(durable)
  // AWS/Firehose's counters live in memory, as the other services' metrics do (a restart starts them over).
  const metricLog = new MinuteLog(deps.clock, deps.metricsChanged ?? (() => {}))
  const metrics = new FirehoseMetrics(metricLog)
  const errorLogs = new FirehoseErrorLogs(deps.logs)
  const delivery = new Delivery({ clock: deps.clock, s3: deps.s3, lambda: deps.lambda, rows, log: deps.log, metrics, errorLogs })
  const state = new FirehoseState(deps.clock, delivery, rows)
  state.metrics = metrics
  if (deps.directPutQuota !== undefined) state.putThrottle = new PutThrottle(deps.directPutQuota)
  const transform = new TransformStage({ clock: deps.clock, lambda: deps.lambda, rows, delivery, log: deps.log, metrics, errorLogs, nextSeq: () => state.nextSeq() })
  state.transform = transform
  for (const stream of state.all()) transform.check(stream)
  const source = new KinesisSource(state, deps.kinesis, deps.clock, deps.log)
  state.source = source
  for (const stream of state.all()) source.watch(stream)
  const serviceModel = new ServiceModel(model, { strictBase64: true, coralTypeErrors: true })
  // Every operation first gets Coral's front-end validation (ValidationException, all violations in
  // one message) before its own business rules.
  const operations = withCoralValidation(serviceModel, {
    ...streamOperations(state),
    ...recordOperations(state),
    ...tagOperations(state),
    ...encryptionOperations(state),
  } satisfies OperationTable<FirehoseOperations>, lenient)

  const definition = defineService({
    name: firehoseDescriptor.name,
    signingName: firehoseDescriptor.signingName,
    // Coral reads blobs' base64 strictly (SerializationException before anything else is checked).
    model: serviceModel,
    protocols: firehoseDescriptor.protocols,
    operations,
    errors: { missingParameter: firehoseErrors.missingParameter },
    reset: () => {
      state.reset()
      metricLog.clear()
    },
    // With a data dir the rows stay: buffered records are delivered after the next start.
    stop: () => {
      source.stop()
      transform.stop()
      delivery.stop()
      if (durable === undefined) state.reset()
    },
    console: firehoseConsole(state),
    health: () => {
      const streams = state.all()
      return {
        status: 'running', deliveryStreams: streams.length, pendingRecords: streams.reduce((n, s) => n + s.pendingRecords(), 0),
        deliveredObjects: delivery.delivered, failedAttempts: delivery.failedAttempts, deliveriesInFlight: delivery.inFlight,
        httpBatchesDropped: delivery.httpDropped,
        kinesisRecordsRead: source.read, kinesisPolls: source.polls, transformations: transform.invocations, errorLogEvents: errorLogs.written,
      }
    },
  })
  return { definition, port: createFirehosePort(state, firehoseMetricSource(metricLog)), state }
}

/** HTTP endpoint URLs may be http:// too, so a local server can be the endpoint (README: By design); the model says https://.* */
const lenient = { alsoAccept: new Map([['HttpEndpointUrl', /^http:\/\/./]]) }
