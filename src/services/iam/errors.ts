// IAM errors with AWS's wording. The query code and HTTP status come from the model's error traits
// (NoSuchEntity 404, EntityAlreadyExists 409, DeleteConflict 409, LimitExceeded 409…); here we use
// the shape names.
import { AwsError } from '../../protocol/errors.ts'

const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1)

export const iamErrors = {
  missingParameter: (name: string) => new AwsError('ValidationError',
    `1 validation error detected: Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`),
  /** AWS's model-constraint failure: `member` as AWS names it (lower camel case). */
  constraint: (member: string, value: unknown, constraint: string) => new AwsError('ValidationError',
    `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`),
  invalidInput: (message: string) => new AwsError('InvalidInputException', message),
  /** A ValidationError worded freely (not a model constraint). */
  invalidInputValidation: (message: string) => new AwsError('ValidationError', message),
  noSuchEntity: (message: string) => new AwsError('NoSuchEntityException', message),
  /** "The user with name X cannot be found." */
  notFound: (kind: string, name: string) => new AwsError('NoSuchEntityException', `The ${kind} with name ${name} cannot be found.`),
  alreadyExists: (message: string) => new AwsError('EntityAlreadyExistsException', message),
  deleteConflict: (message: string) => new AwsError('DeleteConflictException', message),
  limitExceeded: (message: string) => new AwsError('LimitExceededException', message),
  malformedPolicy: (message: string) => new AwsError('MalformedPolicyDocumentException', message),
  unmodifiable: (message: string) => new AwsError('UnmodifiableEntityException', message),
  policyNotAttachable: (arn: string) => new AwsError('NoSuchEntityException', `Policy ${arn} does not exist or is not attachable.`),
  policyNotFound: (arn: string) => new AwsError('NoSuchEntityException', `Policy ${arn} was not found.`),
}
