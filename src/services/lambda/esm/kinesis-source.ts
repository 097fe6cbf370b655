// Kinesis streams as a kind of event source: the stream's existence, the mapping's stream settings
// (StartingPosition, BatchSize 1–10,000, MaximumRetryAttempts, MaximumRecordAgeInSeconds,
// ParallelizationFactor, the batching window, DestinationConfig), and its poller, over Kinesis's port.
import type { KinesisPort } from '../../kinesis/port.ts'
import { lambdaErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { KinesisPoller, streamOf } from './kinesis-poller.ts'
import type { EventSourceKind } from './poller.ts'

export function kinesisSource(kinesis: KinesisPort): EventSourceKind {
  return {
    service: 'kinesis',
    label: 'Kinesis',
    requireSource: (arn) => {
      const { account, region, name } = streamOf(arn)
      if (!kinesis.streamExists(account, region, name)) throw lambdaErrors.invalidParameter(`Stream not found: ${arn}`) // [R]
    },
    validate: (_arn, input) => validate(input),
    createPoller: (settings, deps) => new KinesisPoller(settings, { ...deps, kinesis }),
  }
}

function validate(input: Partial<T.CreateEventSourceMappingRequest>): void {
  if (input.StartingPosition === undefined) {
    throw lambdaErrors.invalidParameter('1 validation error detected: Value null at \'startingPosition\' failed to satisfy constraint: ' +
      'Member must not be null') // [R] code
  }
  if (input.StartingPosition === 'AT_TIMESTAMP' && input.StartingPositionTimestamp === undefined) {
    throw lambdaErrors.invalidParameter('StartingPositionTimestamp must be specified when StartingPosition is AT_TIMESTAMP.') // [R]
  }
  const size = input.BatchSize
  if (size !== undefined && (size < 1 || size > 10_000)) {
    throw lambdaErrors.invalidParameter('BatchSize must be between 1 and 10000 for Kinesis streams.') // [R]
  }
  // The model's ranges answer Coral's ValidationException, all of them at once.
  const problems = [
    range('maximumRetryAttempts', input.MaximumRetryAttempts, -1, 10_000),
    range('maximumRecordAgeInSeconds', input.MaximumRecordAgeInSeconds, -1, 604_800),
    range('parallelizationFactor', input.ParallelizationFactor, 1, 10),
    range('maximumBatchingWindowInSeconds', input.MaximumBatchingWindowInSeconds, 0, 300),
    range('tumblingWindowInSeconds', input.TumblingWindowInSeconds, 0, 900),
  ].filter((p) => p !== undefined)
  if (problems.length > 0) throw lambdaErrors.validation(problems)
  const age = input.MaximumRecordAgeInSeconds
  if (age !== undefined && age !== -1 && age < 60) {
    throw lambdaErrors.invalidParameter('MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)')
  }
  const destinations = input.DestinationConfig
  if (destinations?.OnSuccess?.Destination !== undefined && destinations.OnSuccess.Destination !== '') {
    throw lambdaErrors.invalidParameter('Unsupported DestinationConfig parameter for given event source mapping type.')
  }
  const onFailure = destinations?.OnFailure?.Destination
  if (onFailure !== undefined && onFailure !== '' && !/^arn:aws[a-z-]*:(sqs|sns):/.test(onFailure)) {
    // AWS also takes S3 buckets (and Kafka topics); the fabric has no S3 target yet (a README gap).
    throw lambdaErrors.invalidParameter(`The provided destination config DestinationConfig(onSuccess=null, ` +
      `onFailure=OnFailure(destination=${onFailure})) is invalid.`) // [R]
  }
}

/** Coral's "Value 'x' at 'name' failed to satisfy constraint" for a number outside the model's range. */
function range(name: string, value: number | undefined, min: number, max: number): string | undefined {
  if (value === undefined || (value >= min && value <= max)) return undefined
  return `Value '${value}' at '${name}' failed to satisfy constraint: Member must have value ` +
    (value < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`)
}
