// Amazon Data Firehose errors, named after AWS's codes, with AWS's wording (README marks guesses [R]).
import { AwsError } from '../../protocol/errors.ts'

/**
 * AWS's front end (Coral) validation: "1 validation error detected: Value … at '<member>' failed to
 * satisfy constraint: …", several joined by "; " under "N validation errors detected:". Members are
 * camelCase paths (`records.3.member.data`); blobs show as Java's `HeapByteBuffer`.
 */
export interface Violation {
  value: unknown
  member: string
  constraint: string
}

const shown = (value: unknown): string => {
  if (value === null || value === undefined) return 'null'
  if (Buffer.isBuffer(value)) return `'java.nio.HeapByteBuffer[pos=0 lim=${value.length} cap=${value.length}]'`
  return `'${String(value)}'`
}

export function validationError(violations: readonly Violation[]): AwsError {
  const head = violations.length === 1 ? '1 validation error detected: ' : `${violations.length} validation errors detected: `
  const body = violations.map((v) => `Value ${shown(v.value)} at '${v.member}' failed to satisfy constraint: ${v.constraint}`).join('; ')
  return new AwsError('ValidationException', head + body)
}

const invalidArgument = (message: string) => new AwsError('InvalidArgumentException', message)

export const firehoseErrors = {
  validation: (value: unknown, member: string, constraint: string) => validationError([{ value, member, constraint }]),
  missingParameter: (name: string) => validationError([{ value: null, member: camelPath(name), constraint: 'Member must not be null' }]),
  invalidArgument,
  notFound: (name: string, account: string) => new AwsError('ResourceNotFoundException', `Firehose ${name} under account ${account} not found.`),
  /** [R] AWS's wording for a taken name. */
  inUse: (name: string, account: string) =>
    new AwsError('ResourceInUseException', `Firehose ${name} under accountId ${account} already exists.`),
  /** [R] wording: DeleteDeliveryStream on a stream still CREATING (the API reference forbids it). */
  creating: (name: string, account: string) =>
    new AwsError('ResourceInUseException', `Firehose ${name} under account ${account} is in CREATING state and can't be deleted.`),
  /** [R] wording: past the 25 Start/StopDeliveryStreamEncryption calls a stream takes in 24 hours (API reference). */
  encryptionCalls: (name: string) => new AwsError('LimitExceededException',
    `Firehose ${name} has reached the limit of 25 StartDeliveryStreamEncryption and StopDeliveryStreamEncryption calls in 24 hours.`),
  /** [R] UpdateDestination with a stale CurrentDeliveryStreamVersionId. */
  versionMismatch: (current: string, given: string) => new AwsError('ConcurrentModificationException',
    `Current delivery stream version ID ${current} does not match the version ID ${given} passed in the request.`),
  /** [R] The 50-tag cap (LimitExceededException is what the model declares). */
  tooManyTags: (name: string) => new AwsError('LimitExceededException', `Exceeded the limit of 50 tags for Firehose ${name}.`),
  /** [R] PutRecord on a stream Firehose reads from a Kinesis data stream. */
  notDirectPut: (type: string) => invalidArgument(`This operation is not permitted on ${type} delivery stream type.`),
  /**
   * Over the stream's Direct PUT quota: PutRecordBatch's refused records carry this code and "Slow down."
   * (AWS's answers, quoted in boto/boto3#2804 and awslabs/amazon-kinesis-agent#29); a whole call
   * refused says the same [R], with HTTP 503 [R] (the model marks the exception a fault).
   */
  slowDown: () => new AwsError('ServiceUnavailableException', 'Slow down.', { status: 503 }),
  /** [R] A PutRecordBatch over 4 MiB in total. */
  batchTooLarge: () => invalidArgument('Records size exceeds 4 MB limit'),
  /** The prefix rules' failures (AWS's own typo "Ths" included). */
  prefix: (constraint: string) => invalidArgument(`Ths supplied prefix(es) do not satisfy the following constraint: ${constraint}`),
  /** Destinations and sources Nimbus does not deliver to (README Gaps). */
  unsupported: (what: string) => invalidArgument(`Nimbus does not support ${what} yet; Firehose here delivers to Amazon S3 (ExtendedS3DestinationConfiguration or S3DestinationConfiguration).`),
}

/** A request path as Coral names it: `Records.1.Data` → `records.1.member.data`. */
function camelPath(path: string): string {
  return path.split('.').map((part) => /^\d+$/.test(part) ? `${part}.member` : part.charAt(0).toLowerCase() + part.slice(1))
    .join('.').replace(/\.member\.member/g, '.member')
}
