// Kinesis streams as a kind of event source: the stream's existence, the mapping's stream settings
// (StartingPosition, BatchSize 1–10,000, MaximumRetryAttempts), and its poller, over Kinesis's port.
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
  const retries = input.MaximumRetryAttempts
  if (retries !== undefined && (retries < -1 || retries > 10_000)) {
    throw lambdaErrors.validation([`Value '${retries}' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value ` +
      `${retries < -1 ? 'greater than or equal to -1' : 'less than or equal to 10000'}`])
  }
}
