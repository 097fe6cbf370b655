// SQS errors, named after AWS's codes, with AWS's wording. Legacy query codes come from the model.
import { AwsError } from '../../protocol/errors.ts'

const invalidValue = (message: string) => new AwsError('InvalidParameterValue', message)

/**
 * A required member the request lacks. A message attribute without its DataType is refused by SQS's
 * own attribute check: "The message attribute 'a' must contain non-empty message attribute type."
 * (InvalidParameterValue, as AWS answers it; aws-sdk-java#1692), on either protocol.
 */
function missingParameter(name: string): AwsError {
  const attribute = /(?:^|\.)MessageAttributes\.(.+)\.DataType$/.exec(name)
  if (attribute !== null) {
    return invalidValue(`The message attribute '${attribute[1]}' must contain non-empty message attribute type.`)
  }
  return new AwsError('MissingParameter', `The request must contain the parameter ${name}.`)
}

export const sqsErrors = {
  queueDoesNotExist: () => new AwsError('QueueDoesNotExist', 'The specified queue does not exist.', {
    queryMessage: 'The specified queue does not exist for this wsdl version.',
  }),
  queueNameExists: (attribute: string) =>
    new AwsError('QueueNameExists', `A queue already exists with the same name and a different value for attribute ${attribute}`),
  queueDeletedRecently: () => new AwsError('QueueDeletedRecently',
    'You must wait 60 seconds after deleting a queue before you can create another queue with the same name.'),
  missingParameter,
  invalidParameterValue: invalidValue,
  /** "Value <v> for parameter <name> is invalid. Reason: <reason>." */
  invalidParameter: (name: string, value: unknown, reason: string) =>
    invalidValue(`Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`),
  invalidAttributeName: (message: string) => new AwsError('InvalidAttributeName', message),
  invalidAttributeValue: (name: string, reason?: string) => new AwsError('InvalidAttributeValue',
    reason === undefined ? `Invalid value for the parameter ${name}.` : `Invalid value for the parameter ${name}. Reason: ${reason}`),
  invalidMessageContents: () => new AwsError('InvalidMessageContents',
    'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF'),
  messageTooLong: (max: number, inBatch = false) => invalidValue(inBatch
    ? `One or more parameters cannot be validated. Reason: Message must be shorter than ${max} bytes.`
    : `One or more parameters are invalid. Reason: Message must be shorter than ${max} bytes.`),
  receiptHandleIsInvalid: (handle: string) =>
    new AwsError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`),
  receiptHandleExpired: (handle: string) =>
    invalidValue(`Value ${handle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`),
  messageNotAvailable: (handle: string) => invalidValue(`Value ${handle} for parameter ReceiptHandle is invalid. ` +
    'Reason: Message does not exist or is not available for visibility timeout change.'),
  messageNotInflight: () => new AwsError('MessageNotInflight', 'The message referred to isn\'t in flight.'),
  purgeQueueInProgress: (name: string) =>
    new AwsError('PurgeQueueInProgress', `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`),
  emptyBatchRequest: (entryName: string) =>
    new AwsError('EmptyBatchRequest', `There should be at least one ${entryName} in the request.`),
  tooManyEntriesInBatchRequest: (count: number) =>
    new AwsError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${count}.`),
  batchEntryIdsNotDistinct: (id: string) => new AwsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`),
  invalidBatchEntryId: () => new AwsError('InvalidBatchEntryId',
    'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.'),
  batchRequestTooLong: (max: number, size: number) =>
    new AwsError('BatchRequestTooLong', `Batch requests cannot be longer than ${max} bytes. You have sent ${size} bytes.`),
  awsDeadLetterTargetMissing: (policy: string) =>
    invalidValue(`Value ${policy} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.`),
  resourceNotFound: (message: string) => new AwsError('ResourceNotFoundException', message, { status: 404 }),
  unsupportedOperation: (message: string) => new AwsError('UnsupportedOperation', message),
  overLimit: (message: string) => new AwsError('OverLimit', message, { status: 403 }),
}
