// Create/Get/List/Update/DeleteEventSourceMapping for SQS queues; each enabled mapping runs a poller.
// With a data dir mappings are rows (lambda-rows.ts), read back at start: enabled ones poll again.
import { randomUUID } from 'node:crypto'
import type { Operation } from '../../service.ts'
import type { LambdaContext } from '../context.ts'
import { lambdaErrors } from '../errors.ts'
import { compileFilters } from '../esm/filters.ts'
import { type PollerSettings, SqsPoller } from '../esm/sqs-poller.ts'
import type * as T from '../generated/types.ts'
import { runInvocation } from '../invoker.ts'
import type { MappingRow } from '../lambda-rows.ts'
import { page } from './pages.ts'

/** A mapping: its stored configuration (MappingRow) and its running poller. */
interface Mapping extends MappingRow {
  poller: SqsPoller
  /** What the next read reports; AWS shows Creating/Enabling/Disabling/Deleting briefly. */
  transient: string | undefined
}

function validate(queueFifo: boolean, input: Partial<T.CreateEventSourceMappingRequest>): void {
  const max = queueFifo ? 10 : 10_000
  const size = input.BatchSize
  if (size !== undefined && (size < 1 || size > max)) {
    throw lambdaErrors.invalidParameter(`BatchSize must be between 1 and ${max} for ${queueFifo ? 'FIFO' : 'standard'} SQS queues.`)
  }
  const window = input.MaximumBatchingWindowInSeconds
  if (window !== undefined && (window < 0 || window > 300)) {
    throw lambdaErrors.validation([`Value '${window}' at 'maximumBatchingWindowInSeconds' failed to satisfy constraint: Member must have value less than or equal to 300`])
  }
  if (queueFifo && (window ?? 0) > 0) {
    // AWS offers no batching window on FIFO queues.
    throw lambdaErrors.invalidParameter('Batching window is not supported for FIFO queues.')
  }
  if ((size ?? 10) > 10 && (window ?? 0) === 0) {
    throw lambdaErrors.invalidParameter('Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10')
  }
  const concurrency = input.ScalingConfig?.MaximumConcurrency
  if (concurrency !== undefined && (concurrency < 2 || concurrency > 1000)) {
    throw lambdaErrors.validation([`Value '${concurrency}' at 'scalingConfig.maximumConcurrency' failed to satisfy constraint: Member must have value ${concurrency < 2 ? 'greater than or equal to 2' : 'less than or equal to 1000'}`])
  }
  if (input.DestinationConfig?.OnSuccess !== undefined || input.DestinationConfig?.OnFailure !== undefined) {
    throw lambdaErrors.invalidParameter('Unsupported DestinationConfig parameter for given event source mapping type.')
  }
}

export function eventSourceMappingOperations(ctx: LambdaContext, log: (line: string) => void, restored: readonly MappingRow[] = []) {
  const mappings = new Map<string, Mapping>()
  const save = (m: Mapping) => {
    const { poller: _poller, transient: _transient, ...row } = m
    ctx.rows?.mapping(row)
  }

  const settings = (m: Mapping): PollerSettings => ({
    // Records carry the function's region (an ARN's fourth field).
    queueArn: m.queueArn, region: m.functionArn.split(':')[3]!, batchSize: m.config.BatchSize,
    windowSeconds: m.config.MaximumBatchingWindowInSeconds,
    reportBatchItemFailures: m.config.FunctionResponseTypes?.includes('ReportBatchItemFailures') ?? false,
    maxConcurrency: m.config.ScalingConfig?.MaximumConcurrency ?? 5, filter: compileFilters(m.config.FilterCriteria),
  })

  const output = (m: Mapping): T.EventSourceMappingConfiguration => {
    const state = m.transient ?? (m.enabled ? 'Enabled' : 'Disabled')
    m.transient = undefined
    return {
      UUID: m.uuid, BatchSize: m.config.BatchSize, MaximumBatchingWindowInSeconds: m.config.MaximumBatchingWindowInSeconds,
      EventSourceArn: m.queueArn, FilterCriteria: m.config.FilterCriteria,
      FunctionArn: qualifiedArn(m),
      LastModified: new Date(m.lastModified), State: state, StateTransitionReason: 'USER_INITIATED',
      FunctionResponseTypes: m.config.FunctionResponseTypes ?? [], ScalingConfig: m.config.ScalingConfig,
      EventSourceMappingArn: m.arn,
    }
  }

  /** Mappings belong to an account and region, like everything else. */
  const requireMapping = (uuid: string, op: { caller: { account: string; region: string } }) => {
    const m = mappings.get(uuid)
    if (m === undefined || m.account !== op.caller.account || m.region !== op.caller.region) throw lambdaErrors.resourceNotFound('The resource you requested does not exist.')
    return m
  }

  const create: Operation<T.CreateEventSourceMappingRequest, T.EventSourceMappingConfiguration> = (input, op) => {
    const { fn, qualifier } = ctx.state.resolve(input.FunctionName, undefined, op.caller.account, op.caller.region)
    const queueArn = input.EventSourceArn ?? ''
    if (!queueArn.includes(':sqs:')) {
      throw lambdaErrors.invalidParameter('Nimbus supports SQS event sources for now; other event sources arrive with their services.')
    }
    if (!ctx.sqs.exists(queueArn)) {
      throw lambdaErrors.invalidParameter('Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. ' +
        'SQS Error Message: The specified queue does not exist.')
    }
    const duplicate = [...mappings.values()].find((m) => m.queueArn === queueArn && m.functionArn === fn.arn)
    if (duplicate !== undefined) {
      throw lambdaErrors.conflict(`An event source mapping with SQS arn (" ${queueArn} ") and function (" ${fn.name} ") already ` +
        `exists. Please update or delete the existing mapping with UUID ${duplicate.uuid}`)
    }
    validate(ctx.sqs.isFifo(queueArn), input)
    compileFilters(input.FilterCriteria)
    const uuid = randomUUID()
    const m = track({
      uuid, account: op.caller.account, region: op.caller.region, arn: `arn:aws:lambda:${op.caller.region}:${op.caller.account}:event-source-mapping:${uuid}`,
      queueArn, functionArn: fn.arn, qualifier,
      config: {
        BatchSize: input.BatchSize ?? 10, MaximumBatchingWindowInSeconds: input.MaximumBatchingWindowInSeconds ?? 0,
        FilterCriteria: input.FilterCriteria, FunctionResponseTypes: input.FunctionResponseTypes, ScalingConfig: input.ScalingConfig,
      },
      enabled: input.Enabled ?? true, lastModified: ctx.clock.now(),
    })
    save(m)
    m.transient = m.enabled ? 'Creating' : 'Disabled'
    return output(m)
  }

  /** A mapping created now or read back at start: its poller, running if the mapping is enabled. */
  const track = (row: MappingRow): Mapping => {
    const m: Mapping = { ...row, transient: undefined, poller: undefined as unknown as SqsPoller }
    m.poller = new SqsPoller(settings(m), {
      clock: ctx.clock, sqs: ctx.sqs, log,
      invoke: (payload) => {
        // The mapping names the function by ARN: a deleted function fails every batch, a re-created one
        // is picked up again, as on AWS.
        const fn = ctx.state.findByArn(m.functionArn)
        const version = fn?.version(m.qualifier)
        if (fn === undefined || version === undefined) return Promise.resolve({ throttled: 'ConcurrentInvocationLimitExceeded' as const })
        return runInvocation(ctx, { fn, version, payload, invokedArn: qualifiedArn(m) })
      },
    })
    mappings.set(m.uuid, m)
    if (m.enabled) m.poller.start()
    return m
  }

  const get: Operation<T.GetEventSourceMappingRequest, T.EventSourceMappingConfiguration> = (input, op) =>
    output(requireMapping(input.UUID, op))

  const list: Operation<T.ListEventSourceMappingsRequest, T.ListEventSourceMappingsResponse> = (input, op) => {
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
    const m = requireMapping(input.UUID, op)
    // Everything is checked before anything changes.
    validate(ctx.sqs.exists(m.queueArn) && ctx.sqs.isFifo(m.queueArn), { ...m.config, ...stripUndefined(input) })
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

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
