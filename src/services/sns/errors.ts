// SNS errors, named after AWS's codes, with AWS's wording. The query code (InvalidParameter,
// NotFound…) comes from the model's error traits in protocol/; here we use the shape names.
import { AwsError } from '../../protocol/errors.ts'

const invalid = (message: string) => new AwsError('InvalidParameterException', message)

export const snsErrors = {
  /** "Invalid parameter: <detail>" — SNS's catch-all validation error. */
  invalidParameter: (detail: string) => invalid(`Invalid parameter: ${detail}`),
  /** "Invalid parameter: <name> Reason: <reason>" */
  invalidParameterReason: (name: string, reason: string) => invalid(`Invalid parameter: ${name} Reason: ${reason}`),
  /** Message-attribute problems are worded without the "Invalid parameter:" prefix. */
  invalidAttribute: (message: string) => new AwsError('InvalidParameterValueException', message),
  topicNotFound: () => new AwsError('NotFoundException', 'Topic does not exist', { status: 404 }),
  subscriptionNotFound: () => new AwsError('NotFoundException', 'Subscription does not exist', { status: 404 }),
  resourceNotFound: () => new AwsError('ResourceNotFoundException', 'Resource does not exist', { status: 404 }),
  malformedArn: (name: string, arn: string) =>
    invalid(`Invalid parameter: ${name} Reason: An ARN must have at least 6 elements, not ${arn.split(':').length}`),
  missingParameter: (name: string) => invalid(`Invalid parameter: ${name} Reason: no value for required parameter`),
  notImplemented: (what: string) =>
    new AwsError('NotImplemented', `Nimbus does not serve ${what} in sns yet; see the Gaps in Nimbus's sns README.`, { status: 501 }),
  anonymousUnsubscribe: (arn: string) => new AwsError('AuthorizationErrorException',
    `User: anonymous is not authorized to perform: SNS:Unsubscribe on resource: ${arn}`, { status: 403 }),
  permissionExists: () => invalid('Invalid parameter: Statement already exists'),
  actionOutOfScope: () => invalid('Invalid parameter: Policy statement action out of service scope!'),
  /** [R] wording: a sixth Firehose subscription of one owner on a topic (the model's error for Subscribe's limits). */
  firehoseSubscriptionLimit: () => new AwsError('SubscriptionLimitExceededException',
    'Subscription limit exceeded: a subscription owner can subscribe up to 5 Firehose delivery streams to a topic', { status: 403 }),
  tagLimitExceeded: () => new AwsError('TagLimitExceededException', 'Could not complete request: tag quota of per resource exceeded'),
  emptyBatch: () => new AwsError('EmptyBatchRequestException', 'The batch request doesn\'t contain any entries'),
  tooManyEntries: () => new AwsError('TooManyEntriesInBatchRequestException', 'The batch request contains more entries than permissible.'),
  batchIdsNotDistinct: () => new AwsError('BatchEntryIdsNotDistinctException', 'Two or more batch entries in the request have the same Id.'),
  invalidBatchEntryId: () => new AwsError('InvalidBatchEntryIdException',
    'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.'),
  batchTooLong: () => new AwsError('BatchRequestTooLongException', 'The length of all the messages put together is more than the limit.'),
}

/** The query code of an SNS error, as PublishBatch's Failed[].Code shows it. */
export function queryCode(error: AwsError): string {
  const codes: Record<string, string> = { InvalidParameterValueException: 'ParameterValueInvalid' }
  return codes[error.code] ?? error.code.replace(/Exception$/, '')
}
