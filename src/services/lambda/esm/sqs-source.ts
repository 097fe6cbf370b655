// SQS as a kind of event source: its existence check, its BatchSize and window limits, and its
// poller (sqs-poller.ts), over SQS's port.
import type { SqsPort } from '../../sqs/port.ts'
import { lambdaErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import type { EventSourceKind } from './poller.ts'
import { SqsPoller } from './sqs-poller.ts'
import { range } from './model-range.ts'

export function sqsSource(sqs: SqsPort): EventSourceKind {
  return {
    service: 'sqs',
    label: 'SQS',
    requireSource: (arn) => {
      if (!sqs.exists(arn)) {
        throw lambdaErrors.invalidParameter('Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. ' +
          'SQS Error Message: The specified queue does not exist.')
      }
    },
    validate: (arn, input) => validate(sqs.exists(arn) && sqs.isFifo(arn), input),
    createPoller: (settings, deps) => new SqsPoller(settings, { ...deps, sqs }),
  }
}

function validate(queueFifo: boolean, input: Partial<T.CreateEventSourceMappingRequest>): void {
  const size = input.BatchSize
  // Outside the model's 1–10,000 it is Coral's ValidationException; a FIFO queue's own limit of 10 is Lambda's.
  const outside = range('batchSize', size, 1, 10_000)
  if (outside !== undefined) throw lambdaErrors.validation([outside])
  if (queueFifo && size !== undefined && size > 10) {
    throw lambdaErrors.invalidParameter('BatchSize must be between 1 and 10 for FIFO SQS queues.')
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
