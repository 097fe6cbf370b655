// Lambda's model constraints on an event source mapping request, worded as Coral's ValidationException
// lists them ("1 validation error detected: …"). Checked before the function or the source is looked
// up, as AWS's front end does, whatever the kind of source.
import { lambdaErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'

/** A member outside its range in Lambda's model: the line Coral lists for it. */
export function range(name: string, value: number | undefined, min: number, max: number): string | undefined {
  if (value === undefined || (value >= min && value <= max)) return undefined
  return `Value '${value}' at '${name}' failed to satisfy constraint: Member must have value ` +
    (value < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`)
}

/** StartingPosition's enum in the order AWS prints it (a ValidationException quoted in a public post). */
const startingPositions = ['LATEST', 'AT_TIMESTAMP', 'TRIM_HORIZON']

/** EventSourceArn's pattern in Lambda's model, matched whole as Coral does. */
const arnPattern = 'arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)'
const arnRegExp = new RegExp(`^(?:${arnPattern})$`)

type MappingRequest = Partial<T.CreateEventSourceMappingRequest & T.UpdateEventSourceMappingRequest>

/** Throws Coral's ValidationException listing every model constraint the request breaks (in the order
 * Nimbus has always listed them; AWS's own order for several at once is not documented [R]). */
export function checkMappingModel(input: MappingRequest): void {
  const position = input.StartingPosition as string | undefined
  const arn = input.EventSourceArn
  const problems = [
    arn === undefined || arnRegExp.test(arn) ? undefined
      : `Value '${arn}' at 'eventSourceArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ${arnPattern}`,
    range('batchSize', input.BatchSize, 1, 10_000),
    range('maximumRetryAttempts', input.MaximumRetryAttempts, -1, 10_000),
    range('maximumRecordAgeInSeconds', input.MaximumRecordAgeInSeconds, -1, 604_800),
    range('parallelizationFactor', input.ParallelizationFactor, 1, 10),
    range('maximumBatchingWindowInSeconds', input.MaximumBatchingWindowInSeconds, 0, 300),
    range('tumblingWindowInSeconds', input.TumblingWindowInSeconds, 0, 900),
    position === undefined || startingPositions.includes(position) ? undefined
      : `Value '${position}' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: [${startingPositions.join(', ')}]`,
    responseTypes(input.FunctionResponseTypes),
  ].filter((p) => p !== undefined)
  if (problems.length > 0) throw lambdaErrors.validation(problems)
}

/** FunctionResponseTypes: a list of the one enum value (Coral's wording for a list member's enum [R]). */
function responseTypes(types: readonly string[] | undefined): string | undefined {
  if (types === undefined) return undefined
  // The model's list holds one value at most.
  if (types.length > 1) return `Value '[${types.join(', ')}]' at 'functionResponseTypes' failed to satisfy constraint: Member must have length less than or equal to 1`
  if (types.every((t) => t === 'ReportBatchItemFailures')) return undefined
  return `Value '[${types.join(', ')}]' at 'functionResponseTypes' failed to satisfy constraint: Member must satisfy constraint: ` +
    '[Member must satisfy enum value set: [ReportBatchItemFailures]]'
}
