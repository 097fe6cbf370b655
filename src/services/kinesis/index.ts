// Kinesis Data Streams: streams, shards and resharding, records with AWS's routing, limits and
// sequence numbers, iterators on the clock, enhanced fan-out consumers; JSON and CBOR on the wire.
import type { AccessKeyLookup } from '../../core/access-keys.ts'
import type { Clock } from '../../core/clock.ts'
import type { Persistence } from '../../storage/persistence/persistence.ts'
import { withCoralValidation } from '../../protocol/coral-validation.ts'
import { ServiceModel } from '../../protocol/model.ts'
import type { HttpRequest } from '../../protocol/http.ts'
import { type BodyParser, defineService, type OperationContext, type OperationTable, type ServiceDefinition } from '../service.ts'
import { kinesisConsole } from './console.ts'
import { kinesisDescriptor } from './descriptor.ts'
import { kinesisErrors } from './errors.ts'
import { model } from './generated/model.ts'
import type { KinesisOperations } from './generated/types.ts'
import { createKinesisPort } from './internal.ts'
import { KinesisRows } from './kinesis-rows.ts'
import { consumerOperations } from './operations/consumers.ts'
import { recordOperations } from './operations/records.ts'
import { shardOperations } from './operations/shards.ts'
import { streamOperations } from './operations/streams.ts'
import { subscribeOperations, Subscriptions } from './operations/subscribe.ts'
import { OnDemandScaler } from './on-demand.ts'
import { resourcePolicyOperations } from './operations/resource-policies.ts'
import { settingsOperations } from './operations/settings.ts'
import { tagOperations } from './operations/tags.ts'
import type { KinesisPort } from './port.ts'
import { KinesisState } from './store.ts'
import { FAST_PUT_RECORDS_MIN_BYTES, type ParsePools, parsePutRecordsJson, PutRecordsParser } from './put-records-json.ts'
import { SCRATCH_BYTES, ScratchPool } from './scratch-pool.ts'
import { Admission } from './admission.ts'
import { DryRuns } from './dry-run.ts'
import { ResourcePolicies } from './access.ts'
import { MinuteLog } from '../../core/minute-log.ts'
import { KinesisMetrics, kinesisMetricSource } from './metrics.ts'

export interface KinesisDeps {
  clock: Clock
  /** With a data dir: stream rows through the persistence layer, record data in segment files here. */
  persistence?: Persistence
  recordsDir?: string
  /** CREATING/UPDATING/DELETING last this long on the clock (default 500 ms). */
  transitionMs?: number
  shardQuota?: number
  /** A stream's AWS/Kinesis metrics gained a minute (CloudWatch's alarms re-plan). */
  metricsChanged?: (account: string, region: string) => void
  /** `--enforce-iam`: streams' and consumers' resource policies are enforced (access.ts), callers known by their keys. */
  enforceIam?: boolean
  accessKeys?: AccessKeyLookup
}

export function createKinesis(deps: KinesisDeps): { definition: ServiceDefinition; port: KinesisPort; state: KinesisState } {
  const durable = deps.persistence?.durable === true ? deps.persistence : undefined
  const state = new KinesisState(deps.clock, {
    transitionMs: deps.transitionMs, shardQuota: deps.shardQuota, recordsDir: durable === undefined ? undefined : deps.recordsDir,
  }, durable === undefined ? undefined : new KinesisRows(durable))
  // AWS/Kinesis's counters live in memory, as the other services' metrics do (a restart starts them over).
  const metricLog = new MinuteLog(deps.clock, deps.metricsChanged ?? (() => {}))
  // Coral reads blobs' base64 strictly (SerializationException before anything else is checked).
  const serviceModel = new ServiceModel(model, { strictBase64: true, coralTypeErrors: true })
  // Large bodies are read one at a time (admission.ts); each borrows one buffer of each kind from its
  // first record until answered, so a flood reuses the same few rather than allocating. One 5 MiB data
  // buffer is kept: a second would stay resident for nothing but the rare body let in past a stalled one
  // (measured under the 60 s flood, 5 alternated pairs: median 30 MiB over the data one at a time, 35 two at a time; PutRecords no slower).
  const admission = new Admission(1)
  const pools: ParsePools = { data: new ScratchPool(SCRATCH_BYTES, 1), pending: new ScratchPool(256 * 1024, 3), keys: new ScratchPool(64 * 1024, 3) }
  const subscriptions = new Subscriptions()
  const scaler = new OnDemandScaler(state)
  const dryRuns = new DryRuns()
  const records = recordOperations(state, new KinesisMetrics(metricLog), dryRuns)
  // Every operation first gets Coral's front-end validation of lengths, ranges, patterns and enums.
  const validated = withCoralValidation(serviceModel, {
    ...streamOperations(state),
    ...shardOperations(state),
    ...records,
    // ON_DEMAND streams split a shard 15 minutes after it took more than 500 KiB in a second (on-demand.ts).
    PutRecord: scaler.watch(records.PutRecord),
    PutRecords: scaler.watch(records.PutRecords),
    ...consumerOperations(state),
    ...subscribeOperations(state, subscriptions, dryRuns),
    ...tagOperations(state),
    ...resourcePolicyOperations(state),
    ...settingsOperations(state),
  } satisfies OperationTable<KinesisOperations>)
  // Under --enforce-iam the resource's policy is consulted first (prepareInput, with the request's condition keys), as the
  // caller's identity policies were by the gateway.
  const policies = deps.enforceIam === true && deps.accessKeys !== undefined ? new ResourcePolicies(state, deps.accessKeys) : undefined

  const definition = defineService({
    name: kinesisDescriptor.name,
    signingName: kinesisDescriptor.signingName,
    model: serviceModel,
    protocols: kinesisDescriptor.protocols,
    operations: validated,
    ...(policies !== undefined && { prepareInput: (operation: string, input: Record<string, unknown>, request: HttpRequest, ctx: OperationContext) =>
      policies.authorize(operation, input, ctx, request) }),
    // Large PutRecords JSON bodies skip the generic JSON tree, and are parsed as they arrive (put-records-json.ts).
    bodyParser: (head, protocol) => (isLargePutRecords(head.headers, protocol, true) ? putRecordsBodyParser(pools, admission) : undefined),
    // A large body that arrived whole (with --verify-signatures, whose check needs it): the same parse, in one piece.
    parseRequest: (request, protocol) => {
      if (!isLargePutRecords(request.headers, protocol, false) || request.body.length < FAST_PUT_RECORDS_MIN_BYTES) return undefined
      const parsed = parsePutRecordsJson(request.body, pools)
      // Keys are copied out and data decoded into a pooled buffer (PutRecords copies them into the
      // shard before answering): the body can go once answered, the buffer back to the pool.
      return parsed === undefined ? undefined : { operation: 'PutRecords', input: parsed.input, bodyUnused: true, done: parsed.release }
    },
    errors: { missingParameter: kinesisErrors.missingParameter },
    reset: () => {
      metricLog.clear()
      subscriptions.clear()
      scaler.clear()
      state.reset()
    },
    // With a data dir the rows and segment files stay for the next start.
    stop: () => {
      subscriptions.clear()
      scaler.clear()
      if (durable === undefined) state.reset()
      else state.stop()
    },
    console: kinesisConsole(state),
    health: () => {
      const streams = state.allStreams()
      return { status: 'running', streams: streams.length, subscriptions: subscriptions.live.size, streamWatchers: state.watcherCount, largePutBodies: admission.counts,
        retainedRecords: streams.reduce((n, s) => n + s.shards.reduce((m, sh) => m + sh.retainedRecords, 0), 0) }
    },
  })
  return { definition, port: createKinesisPort(state, kinesisMetricSource(metricLog)), state }
}

/** A JSON PutRecords call, large enough for the fast parse (`streamed`: by its declared length, or sent chunked). */
function isLargePutRecords(headers: Readonly<Record<string, string>>, protocol: string, streamed: boolean): boolean {
  if (protocol !== 'json') return false
  const target = headers['x-amz-target'] ?? ''
  if (target.slice(target.lastIndexOf('.') + 1) !== 'PutRecords') return false
  return !streamed || headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) >= FAST_PUT_RECORDS_MIN_BYTES
}

/** The body parser the gateway feeds: PutRecords' input with its pooled buffers given back once answered, or the body for the generic path. */
function putRecordsBodyParser(pools: ParsePools, admission: Admission): BodyParser {
  const parser = new PutRecordsParser(pools)
  const turn = admission.enter()
  return {
    ready: turn.ready,
    write: (piece) => {
      turn.progress()
      parser.write(piece)
    },
    finish: () => {
      turn.progress()
      const parsed = parser.finish()
      if ('body' in parsed) {
        turn.leave()
        return parsed
      }
      // The turn lasts until the call is answered: its decoded data is held until then.
      return { operation: 'PutRecords', input: parsed.input, done: () => {
        parsed.release()
        turn.leave()
      } }
    },
    abort: () => {
      parser.abort()
      turn.leave()
    },
  }
}
