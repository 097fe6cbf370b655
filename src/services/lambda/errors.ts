// Lambda errors with AWS's codes, statuses and wording. Lambda's bodies carry `Type: User|Service`.
import { AwsError } from '../../protocol/errors.ts'

const user = (code: string, message: string, status: number, fields: Record<string, unknown> = {}) =>
  new AwsError(code, message, { status, fields: { Type: 'User', ...fields } })

export const lambdaErrors = {
  functionNotFound: (arn: string) => user('ResourceNotFoundException', `Function not found: ${arn}`, 404),
  resourceNotFound: (message: string) => user('ResourceNotFoundException', message, 404),
  functionExists: (name: string) => user('ResourceConflictException', `Function already exist: ${name}`, 409),
  conflict: (message: string) => user('ResourceConflictException', message, 409),
  invalidParameter: (message: string) => user('InvalidParameterValueException', message, 400),
  invalidRequestContent: (message: string) => user('InvalidRequestContentException', message, 400),
  requestTooLarge: (message: string) => user('RequestTooLargeException', message, 413),
  entityTooLarge: (message: string) => new AwsError('RequestEntityTooLargeException', message, { status: 413 }),
  tooManyRequests: (reason: string) => user('TooManyRequestsException', 'Rate Exceeded.', 429, { Reason: reason }),
  preconditionFailed: (message: string) => user('PreconditionFailedException', message, 412),
  /** Coral's "N validation error(s) detected: …". */
  validation: (problems: string[]) => new AwsError('ValidationException',
    `${problems.length} validation error${problems.length === 1 ? '' : 's'} detected: ${problems.join('; ')}`),
  missingParameter: (name: string) => new AwsError('ValidationException',
    `1 validation error detected: Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`),
  service: (message: string) => new AwsError('ServiceException', message, { status: 500, fields: { Type: 'Service' } }),
}

export function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1)
}
