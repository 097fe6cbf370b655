// FilterCriteria for an event source mapping: EventBridge pattern syntax over the record (SQS: its
// body; Kinesis: its decoded data, as JSON when it parses; DynamoDB: the record as is), filters ORed, through the shared
// event-pattern engine.
import { compilePattern, isPatternError, lambdaFilterEvent, type LambdaRecordSource, patternAwsError } from '../../../event-pattern/index.ts'
import { lambdaErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import type { SqsRecord } from './sqs-records.ts'

const maxFilters = 5

/** Undefined when there is nothing to filter; throws InvalidParameterValueException for a bad pattern. */
export function compileFilters<R extends object = SqsRecord>(criteria: T.FilterCriteria | undefined,
  source: LambdaRecordSource = 'sqs'): ((record: R) => boolean) | undefined {
  const filters = criteria?.Filters ?? []
  if (filters.length === 0) return undefined
  if (filters.length > maxFilters) {
    throw lambdaErrors.invalidParameter(`The number of filters exceeds the limit of ${maxFilters}.`)
  }
  const patterns = filters.map((filter) => {
    try {
      return compilePattern(filter.Pattern ?? '', 'lambda-filter')
    } catch (error) {
      if (isPatternError(error)) throw patternAwsError(error)
      throw error
    }
  })
  return (record) => {
    const event = lambdaFilterEvent(source, record as unknown as Record<string, unknown>)
    return patterns.some((p) => p.matches(event))
  }
}
