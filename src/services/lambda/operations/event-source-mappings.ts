// Create/Get/List/Update/DeleteEventSourceMapping; each enabled mapping runs its source kind's
// poller (esm/poller.ts: SQS queues, Kinesis and DynamoDB streams).
// With a data dir mappings are rows (lambda-rows.ts), read back at start: enabled ones poll again.
import { randomUUID } from 'node:crypto'
import type { Fabric } from '../../../fabric/fabric.ts'
import type { TraceLog } from '../../../fabric/trace.ts'
import { sendToDestination } from '../destinations.ts'
import type { Operation } from '../../service.ts'
import type { LambdaContext } from '../context.ts'
import { lambdaErrors } from '../errors.ts'
import { compileFilters } from '../esm/filters.ts'
import { type EventSourceKind, type EventSourcePoller, type PollerSettings, sourceKind } from '../esm/poller.ts'
import { dynamodbSource } from '../esm/dynamodb-source.ts'
import { kinesisSource } from '../esm/kinesis-source.ts'
import { sqsSource } from '../esm/sqs-source.ts'
import type * as T from '../generated/types.ts'
import { runInvocation } from '../invoker.ts'
import type { MappingRow } from '../lambda-rows.ts'
import { page } from './pages.ts'
import { checkMappingModel, range } from '../esm/model-range.ts'

/** A mapping: its stored configuration (MappingRow) and its running poller. */
interface Mapping extends MappingRow {
  poller: EventSourcePoller
  /** What the next read reports; AWS shows Creating/Enabling/Disabling/Deleting briefly. */
  transient: string | undefined
  /** How the last batch handed to the function went: "OK" or "PROBLEM: Function call failed" [R wording]. */
  lastResult?: string
}

/** `trace` is the fabric's trace log: each record handed to a function is a hop (queue → function). */
export function eventSourceMappingOperations(ctx: LambdaContext, log: (line: string) => void, restored: readonly MappingRow[] = [],
  trace?: TraceLog, fabric?: Fabric) {
  const mappings = new Map<string, Mapping>()
  let streamPolls = 0
  // Kinesis and DynamoDB Streams join here, each over its service's port.
  const kinds: EventSourceKind[] = [sqsSource(ctx.sqs), ...(ctx.kinesis === undefined ? [] : [kinesisSource(ctx.kinesis)]),
    ...(ctx.dynamodb === undefined ? [] : [dynamodbSource(ctx.dynamodb)])]
  /** A stored mapping's kind: its source was checked when it was created. */
  const kindOf = (m: Mapping) => sourceKind(kinds, m.queueArn) ?? kinds[0]!
  const save = (m: Mapping) => {
    const { poller: _poller, transient: _transient, ...row } = m
    ctx.rows?.mapping(row)
  }

  const settings = (m: Mapping): PollerSettings => ({
    // Records carry the function's region (an ARN's fourth field).
    sourceArn: m.queueArn, region: m.functionArn.split(':')[3]!, batchSize: m.config.BatchSize,
    windowSeconds: m.config.MaximumBatchingWindowInSeconds,
    reportBatchItemFailures: m.config.FunctionResponseTypes?.includes('ReportBatchItemFailures') ?? false,
    maxConcurrency: m.config.ScalingConfig?.MaximumConcurrency ?? 5, filterCriteria: m.config.FilterCriteria,
    ...(m.config.StartingPosition !== undefined && { stream: {
      startingPosition: m.config.StartingPosition, startingTimestamp: m.config.StartingPositionTimestamp,
      bisect: m.config.BisectBatchOnFunctionError ?? false, maxRetries: m.config.MaximumRetryAttempts ?? -1,
      roleArn: ctx.state.findByArn(m.functionArn)?.latest.role ?? '',
      maxRecordAge: m.config.MaximumRecordAgeInSeconds ?? -1, onFailure: m.config.OnFailure,
      parallelization: m.config.ParallelizationFactor ?? 1, tumblingWindow: m.config.TumblingWindowInSeconds ?? 0, functionArn: m.functionArn,
      executedVersion: ctx.state.findByArn(m.functionArn)?.version(m.qualifier)?.version ?? '$LATEST',
      checkpoints: m.checkpoints ?? {},
    } }),
  })

  const output = (m: Mapping): T.EventSourceMappingConfiguration => {
    const state = m.transient ?? (m.enabled ? 'Enabled' : 'Disabled')
    m.transient = undefined
    return {
      UUID: m.uuid, BatchSize: m.config.BatchSize, MaximumBatchingWindowInSeconds: m.config.MaximumBatchingWindowInSeconds,
      EventSourceArn: m.queueArn, FilterCriteria: m.config.FilterCriteria,
      FunctionArn: qualifiedArn(m),
      // AWS words a user's change "USER_INITIATED" on SQS mappings and "User action" on stream ones.
      LastModified: new Date(m.lastModified), State: state, StateTransitionReason: m.config.StartingPosition === undefined ? 'USER_INITIATED' : 'User action',
      FunctionResponseTypes: m.config.FunctionResponseTypes ?? [], ScalingConfig: m.config.ScalingConfig,
      EventSourceMappingArn: m.arn,
      // Stream sources answer their reading settings, with AWS's defaults for the ones Nimbus doesn't vary.
      ...(m.config.StartingPosition !== undefined && {
        StartingPosition: m.config.StartingPosition,
        // AWS's answer for a stream mapping: how its last invocation went (kept in memory, not in the row).
        LastProcessingResult: m.lastResult ?? 'No records processed',
        ...(m.config.StartingPositionTimestamp !== undefined && { StartingPositionTimestamp: new Date(m.config.StartingPositionTimestamp) }),
        BisectBatchOnFunctionError: m.config.BisectBatchOnFunctionError ?? false,
        MaximumRetryAttempts: m.config.MaximumRetryAttempts ?? -1, MaximumRecordAgeInSeconds: m.config.MaximumRecordAgeInSeconds ?? -1,
        ParallelizationFactor: m.config.ParallelizationFactor ?? 1, TumblingWindowInSeconds: m.config.TumblingWindowInSeconds ?? 0,
        DestinationConfig: { OnFailure: m.config.OnFailure === undefined ? {} : { Destination: m.config.OnFailure } },
      }),
    }
  }

  /** Mappings belong to an account and region, like everything else. */
  const requireMapping = (uuid: string, op: { caller: { account: string; region: string } }) => {
    const m = mappings.get(uuid)
    if (m === undefined || m.account !== op.caller.account || m.region !== op.caller.region) throw lambdaErrors.resourceNotFound('The resource you requested does not exist.')
    return m
  }

  const create: Operation<T.CreateEventSourceMappingRequest, T.EventSourceMappingConfiguration> = (input, op) => {
    // The model's ranges and enums first: AWS's front end refuses them before anything is looked up.
    checkMappingModel(input)
    const { fn, qualifier } = ctx.state.resolve(input.FunctionName, undefined, op.caller.account, op.caller.region)
    const queueArn = input.EventSourceArn ?? ''
    const kind = sourceKind(kinds, queueArn)
    if (kind === undefined) {
      throw lambdaErrors.invalidParameter('Nimbus supports SQS, Kinesis and DynamoDB Streams event sources for now; other event sources arrive with their services.')
    }
    kind.requireSource(queueArn)
    // The request is validated before it is compared with the mappings there are (a bad one is refused as such).
    kind.validate(queueArn, input)
    compileFilters(input.FilterCriteria)
    const duplicate = [...mappings.values()].find((m) => m.queueArn === queueArn && m.functionArn === fn.arn)
    if (duplicate !== undefined) {
      // SQS words it its own way; stream sources as AWS answers for them (quoted in public reports).
      throw lambdaErrors.conflict(kind.service === 'sqs'
        ? `An event source mapping with ${kind.label} arn (" ${queueArn} ") and function (" ${fn.name} ") already ` +
          `exists. Please update or delete the existing mapping with UUID ${duplicate.uuid}`
        : `The event source arn (" ${queueArn} ") and function (" ${fn.name} ") provided mapping already exists. ` +
          `Please update or delete the existing mapping with UUID ${duplicate.uuid}`)
    }
    // Kinesis and DynamoDB streams take the stream settings (and default to batches of 100).
    const stream = kind.service !== 'sqs'
    const uuid = randomUUID()
    const m = track({
      uuid, account: op.caller.account, region: op.caller.region, arn: `arn:aws:lambda:${op.caller.region}:${op.caller.account}:event-source-mapping:${uuid}`,
      queueArn, functionArn: fn.arn, qualifier,
      config: {
        BatchSize: input.BatchSize ?? (stream ? 100 : 10), MaximumBatchingWindowInSeconds: input.MaximumBatchingWindowInSeconds ?? 0,
        FilterCriteria: input.FilterCriteria, FunctionResponseTypes: input.FunctionResponseTypes, ScalingConfig: input.ScalingConfig,
        ...(stream && {
          StartingPosition: input.StartingPosition, StartingPositionTimestamp: input.StartingPositionTimestamp?.getTime(),
          BisectBatchOnFunctionError: input.BisectBatchOnFunctionError, MaximumRetryAttempts: input.MaximumRetryAttempts,
          MaximumRecordAgeInSeconds: input.MaximumRecordAgeInSeconds, ParallelizationFactor: input.ParallelizationFactor,
          TumblingWindowInSeconds: input.TumblingWindowInSeconds, OnFailure: nonEmpty(input.DestinationConfig?.OnFailure?.Destination),
        }),
      },
      enabled: input.Enabled ?? true, lastModified: ctx.clock.now(),
    })
    save(m)
    m.transient = m.enabled ? 'Creating' : 'Disabled'
    return output(m)
  }

  /** A mapping created now or read back at start: its poller, running if the mapping is enabled. */
  const track = (row: MappingRow): Mapping => {
    const m: Mapping = { ...row, transient: undefined, poller: undefined as unknown as EventSourcePoller }
    m.poller = kindOf(m).createPoller(settings(m), {
      clock: ctx.clock, log,
      polled: () => { streamPolls += 1 },
      hop: (id, outcome, attempt) => trace?.record(ctx.clock.now(), m.queueArn, qualifiedArn(m), id, outcome, attempt),
      invoke: (payload) => {
        // The mapping names the function by ARN: a deleted function fails every batch, a re-created one
        // is picked up again, as on AWS.
        const fn = ctx.state.findByArn(m.functionArn)
        const version = fn?.version(m.qualifier)
        if (fn === undefined || version === undefined) return Promise.resolve({ throttled: 'ConcurrentInvocationLimitExceeded' as const })
        return runInvocation(ctx, { fn, version, payload, invokedArn: qualifiedArn(m) }).then((result) => {
          if ('outcome' in result) m.lastResult = result.outcome === 'success' ? 'OK' : 'PROBLEM: Function call failed'
          return result
        })
      },
      // A stream batch given up: its failure record through the fabric, like async destinations.
      onFailure: (destination, record, requestId, shardId) => {
        if (fabric === undefined) return
        sendToDestination(fabric, destination, record, { functionArn: m.functionArn, account: m.account, requestId, success: false,
          traceHeader: undefined, objectKey: onFailureKey(m.uuid, shardId, ctx.clock.now()) })
      },
      checkpoint: (shardId, position) => {
        if (!mappings.has(m.uuid)) return
        m.checkpoints = { ...m.checkpoints, [shardId]: position }
        save(m)
      },
    })
    mappings.set(m.uuid, m)
    if (m.enabled) m.poller.start()
    return m
  }

  const get: Operation<T.GetEventSourceMappingRequest, T.EventSourceMappingConfiguration> = (input, op) =>
    output(requireMapping(input.UUID, op))

  const list: Operation<T.ListEventSourceMappingsRequest, T.ListEventSourceMappingsResponse> = (input, op) => {
    // MaxItems' 1–10,000 from the model (a query parameter, worded as Coral's body members [R]).
    const maxItems = range('maxItems', input.MaxItems, 1, 10_000)
    if (maxItems !== undefined) throw lambdaErrors.validation([maxItems])
    const fn = input.FunctionName === undefined ? undefined
      : ctx.state.resolve(input.FunctionName, undefined, op.caller.account, op.caller.region).fn
    const all = [...mappings.values()]
      .filter((m) => m.account === op.caller.account && m.region === op.caller.region)
      .filter((m) => (fn === undefined || m.functionArn === fn.arn) && (input.EventSourceArn === undefined || m.queueArn === input.EventSourceArn))
      .map(output)
    const { items, next } = page(all, input.Marker, input.MaxItems, 100)
    return { EventSourceMappings: items, NextMarker: next }
  }

  const update: Operation<T.UpdateEventSourceMappingRequest, T.EventSourceMappingConfiguration> = (input, op) => {
    checkMappingModel(input)
    const m = requireMapping(input.UUID, op)
    // Everything is checked before anything changes.
    const stored = m.config.StartingPositionTimestamp
    kindOf(m).validate(m.queueArn, { ...m.config, StartingPositionTimestamp: stored === undefined ? undefined : new Date(stored),
      ...stripUndefined(input) })
    compileFilters(input.FilterCriteria)
    if (input.FunctionName !== undefined) {
      const target = ctx.state.resolve(input.FunctionName, undefined, op.caller.account, op.caller.region)
      m.functionArn = target.fn.arn
      m.qualifier = target.qualifier
    }
    m.config = {
      BatchSize: input.BatchSize ?? m.config.BatchSize,
      MaximumBatchingWindowInSeconds: input.MaximumBatchingWindowInSeconds ?? m.config.MaximumBatchingWindowInSeconds,
      FilterCriteria: input.FilterCriteria ?? m.config.FilterCriteria,
      FunctionResponseTypes: input.FunctionResponseTypes ?? m.config.FunctionResponseTypes,
      ScalingConfig: input.ScalingConfig ?? m.config.ScalingConfig,
      ...(m.config.StartingPosition !== undefined && {
        StartingPosition: m.config.StartingPosition, StartingPositionTimestamp: m.config.StartingPositionTimestamp,
        BisectBatchOnFunctionError: input.BisectBatchOnFunctionError ?? m.config.BisectBatchOnFunctionError,
        MaximumRetryAttempts: input.MaximumRetryAttempts ?? m.config.MaximumRetryAttempts,
        MaximumRecordAgeInSeconds: input.MaximumRecordAgeInSeconds ?? m.config.MaximumRecordAgeInSeconds,
        ParallelizationFactor: input.ParallelizationFactor ?? m.config.ParallelizationFactor,
        TumblingWindowInSeconds: input.TumblingWindowInSeconds ?? m.config.TumblingWindowInSeconds,
        // An empty Destination removes it, as on AWS.
        OnFailure: input.DestinationConfig?.OnFailure === undefined ? m.config.OnFailure : nonEmpty(input.DestinationConfig.OnFailure.Destination),
      }),
    }
    m.lastModified = ctx.clock.now()
    const wasEnabled = m.enabled
    m.enabled = input.Enabled ?? m.enabled
    m.poller.update(settings(m))
    if (m.enabled && !wasEnabled) m.poller.start()
    if (!m.enabled && wasEnabled) m.poller.stop()
    save(m)
    m.transient = m.enabled === wasEnabled ? 'Updating' : m.enabled ? 'Enabling' : 'Disabling'
    return output(m)
  }

  const remove: Operation<T.DeleteEventSourceMappingRequest, T.EventSourceMappingConfiguration> = (input, op) => {
    const m = requireMapping(input.UUID, op)
    m.poller.stop()
    mappings.delete(m.uuid)
    ctx.rows?.mappingGone(m.uuid)
    m.transient = 'Deleting'
    return output(m)
  }

  for (const row of restored) track(row)

  const operations = {
    CreateEventSourceMapping: create, GetEventSourceMapping: get, ListEventSourceMappings: list,
    UpdateEventSourceMapping: update, DeleteEventSourceMapping: remove,
  }
  return {
    operations,
    /** Stream mappings' polls in all (health). */
    streamPolls: () => streamPolls,
    /** Stops every poller (reset, shutdown) and forgets the mappings. */
    clear: () => {
      for (const m of mappings.values()) m.poller.stop()
      mappings.clear()
    },
  }
}

function qualifiedArn(m: MappingRow): string {
  return m.qualifier === undefined ? m.functionArn : `${m.functionArn}:${m.qualifier}`
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}

/** AWS's key for an S3 on-failure record: `aws/lambda/<ESM UUID>/<shardId>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<random UUID>` (UTC). */
function onFailureKey(uuid: string, shardId: string, now: number): string {
  const iso = new Date(now).toISOString()
  return `aws/lambda/${uuid}/${shardId}/${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/` +
    `${iso.slice(0, 10)}T${iso.slice(11, 19).replace(/:/g, '.')}-${randomUUID()}`
}
