// CloudWatch Logs errors, named after AWS's codes, with AWS's wording.
import { AwsError } from '../../protocol/errors.ts'

const invalidParameter = (message: string) => new AwsError('InvalidParameterException', message)

/** AWS's front-end validation message: "1 validation error detected: Value … at '<member>' failed to satisfy constraint: …". */
const validation = (value: unknown, member: string, constraint: string) =>
  invalidParameter(`1 validation error detected: Value ${value === null ? 'null' : `'${String(value)}'`} at '${member}' ` +
    `failed to satisfy constraint: ${constraint}`)

export const logsErrors = {
  invalidParameter,
  validation,
  missingParameter: (name: string) => validation(null, name, 'Member must not be null'),
  groupNotFound: () => new AwsError('ResourceNotFoundException', 'The specified log group does not exist.'),
  streamNotFound: () => new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.'),
  resourceNotFound: () => new AwsError('ResourceNotFoundException', 'The specified resource does not exist.'),
  groupExists: () => new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists'),
  streamExists: () => new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists'),
  tooManyTags: (arn: string) => new AwsError('TooManyTagsException', `A resource can have no more than 50 tags.`, {
    fields: { resourceName: arn },
  }),
  invalidToken: () => invalidParameter('The specified nextToken is invalid.'),
  invalidFilterPattern: (detail: string) => invalidParameter(`Invalid filter pattern: ${detail}`),
}
