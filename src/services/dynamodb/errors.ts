// DynamoDB errors, named after AWS's codes, with DynamoDB's wording (see README for the [R] ones).
import { AwsError } from '../../protocol/errors.ts'

const validation = (message: string) => new AwsError('ValidationException', message)

/** "One or more parameter values were invalid: …": DynamoDB's prefix for most item and schema problems. */
const invalid = (detail: string) => validation(`One or more parameter values were invalid: ${detail}`)

/** The front end's model constraint message ("1 validation error detected: Value … at '<member>' …"). */
const constraint = (value: unknown, member: string, rule: string) =>
  validation(`1 validation error detected: Value ${value === null ? 'null' : `'${String(value)}'`} at '${member}' failed to satisfy constraint: ${rule}`)

export const dynamoErrors = {
  validation,
  invalid,
  constraint,
  missingParameter: (name: string) => constraint(null, lowerFirst(name), 'Member must not be null'),
  tableNotFound: (name: string) => new AwsError('ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`),
  /** AWS's own spelling ("ResourcArn") [R]. */
  arnNotFound: (arn: string) => new AwsError('ResourceNotFoundException', `Requested resource not found: ResourcArn: ${arn} not found`),
  resourceNotFoundWith: (message: string) => new AwsError('ResourceNotFoundException', message),
  resourceNotFound: () => new AwsError('ResourceNotFoundException', 'Requested resource not found'),
  tableExists: (name: string) => new AwsError('ResourceInUseException', `Table already exists: ${name}`),
  inUse: (detail: string) => new AwsError('ResourceInUseException', `Attempt to change a resource which is still in use: ${detail}`),
  conditionalCheckFailed: (item?: Record<string, unknown>) => new AwsError('ConditionalCheckFailedException', 'The conditional request failed',
    item === undefined ? {} : { fields: { Item: item } }),
  itemTooLarge: () => validation('Item size has exceeded the maximum allowed size'),
  keyMismatch: () => validation('The provided key element does not match the schema'),
  expression: (kind: string, detail: string) => validation(`Invalid ${kind}: ${detail}`),
  transactionCanceled: (reasons: { Code: string; Message?: string; Item?: Record<string, unknown> }[]) =>
    new AwsError('TransactionCanceledException',
      `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
      { fields: { CancellationReasons: reasons } }),
  idempotentMismatch: () => new AwsError('IdempotentParameterMismatchException',
    'Request parameters do not match with the parameters of the original request with the same client token'),
  limitExceeded: (message: string) => new AwsError('LimitExceededException', message),
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1)
}
