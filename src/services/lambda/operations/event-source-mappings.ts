// Create/Get/List/Update/DeleteEventSourceMapping for SQS queues; each enabled mapping runs a poller.
import { randomUUID } from 'node:crypto'
import type { Operation } from '../../service.ts'
import type { LambdaContext } from '../context.ts'
import { lambdaErrors } from '../errors.ts'
import { compileFilters } from '../esm/filters.ts'
import { type PollerSettings, SqsPoller } from '../esm/sqs-poller.ts'
import type { LambdaFunction } from '../function.ts'
import type * as T from '../generated/types.ts'
import { runInvocation } from '../invoker.ts'
import { page } from './pages.ts'

interface Mapping {
  uuid: string
  account: string
  region: string
  arn: string
  queueArn: string
  fn: LambdaFunction
  qualifier: string | undefined
  config: Required<Pick<T.CreateEventSourceMappingRequest, 'BatchSize' | 'MaximumBatchingWindowInSeconds'>> &
    Pick<T.CreateEventSourceMappingRequest, 'FilterCriteria' | 'FunctionResponseTypes' | 'ScalingConfig'>
  enabled: boolean
  lastModified: number
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

export function eventSourceMappingOperations(ctx: LambdaContext, log: (line: string) => void) {
  const mappings = new Map<string, Mapping>()

  const settings = (m: Mapping): PollerSettings => ({
    queueArn: m.queueArn, region: m.fn.region, batchSize: m.config.BatchSize,
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
      FunctionArn: m.qualifier === undefined ? m.fn.arn : m.fn.qualifiedArn(m.qualifier),
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
    const duplicate = [...mappings.values()].find((m) => m.queueArn === queueArn && m.fn.arn === fn.arn)
    if (duplicate !== undefined) {
      throw lambdaErrors.conflict(`An event source mapping with SQS arn (" ${queueArn} ") and function (" ${fn.name} ") already ` +
        `exists. Please update or delete the existing mapping with UUID ${duplicate.uuid}`)
    }
    validate(ctx.sqs.isFifo(queueArn), input)
    compileFilters(input.FilterCriteria)
    const uuid = randomUUID()
    const m: Mapping = {
      uuid, account: op.caller.account, region: op.caller.region, arn: `arn:aws:lambda:${op.caller.region}:${op.caller.account}:event-source-mapping:${uuid}`, queueArn, fn, qualifier,
      config: {
        BatchSize: input.BatchSize ?? 10, MaximumBatchingWindowInSeconds: input.MaximumBatchingWindowInSeconds ?? 0,
        FilterCriteria: input.FilterCriteria, FunctionResponseTypes: input.FunctionResponseTypes, ScalingConfig: input.ScalingConfig,
      },
      enabled: input.Enabled ?? true, lastModified: ctx.clock.now(), transient: undefined,
      poller: undefined as unknown as SqsPoller,
    }
    m.poller = new SqsPoller(settings(m), {
      clock: ctx.clock, sqs: ctx.sqs, log,
      invoke: (payload) => {
        // The mapping names the function by ARN: a deleted function fails every batch, a re-created one
        // is picked up again, as on AWS.
        const current = ctx.state.findByArn(m.fn.arn)
        if (current !== undefined) m.fn = current
        const version = current?.version(m.qualifier)
        if (version === undefined) return Promise.resolve({ throttled: 'ConcurrentInvocationLimitExceeded' as const })
        return runInvocation(ctx, { fn: m.fn, version, payload, invokedArn: m.qualifier === undefined ? m.fn.arn : m.fn.qualifiedArn(m.qualifier) })
      },
    })
    mappings.set(uuid, m)
    if (m.enabled) m.poller.start()
    m.transient = m.enabled ? 'Creating' : 'Disabled'
    return output(m)
  }

  const get: Operation<T.GetEventSourceMappingRequest, T.EventSourceMappingConfiguration> = (input, op) =>
    output(requireMapping(input.UUID, op))

  const list: Operation<T.ListEventSourceMappingsRequest, T.ListEventSourceMappingsResponse> = (input, op) => {
    const fn = input.FunctionName === undefined ? undefined
      : ctx.state.resolve(input.FunctionName, undefined, op.caller.account, op.caller.region).fn
    const all = [...mappings.values()]
      .filter((m) => m.account === op.caller.account && m.region === op.caller.region)
      .filter((m) => (fn === undefined || m.fn.arn === fn.arn) && (input.EventSourceArn === undefined || m.queueArn === input.EventSourceArn))
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
      m.fn = target.fn
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
    m.transient = m.enabled === wasEnabled ? 'Updating' : m.enabled ? 'Enabling' : 'Disabling'
    return output(m)
  }

  const remove: Operation<T.DeleteEventSourceMappingRequest, T.EventSourceMappingConfiguration> = (input, op) => {
    const m = requireMapping(input.UUID, op)
    m.poller.stop()
    mappings.delete(m.uuid)
    m.transient = 'Deleting'
    return output(m)
  }

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

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
