// STS errors with AWS's codes and wording. Validation errors use AWS's "1 validation error detected"
// form, naming the member in lower camel case as AWS does.
import { AwsError, protocolErrors } from '../../protocol/errors.ts'

const validation = (message: string) => new AwsError('ValidationError', message)

export const stsErrors = {
  missingParameter: (name: string) => validation(
    `1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`),
  constraint: (member: string, value: unknown, constraint: string) => validation(
    `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`),
  exceedsMaxSessionDuration: () => validation('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'),
  /** AssumeRole of a role that doesn't exist: AWS answers as for a trust policy that doesn't allow the caller. */
  notAuthorized: (callerArn: string, action: string, resource: string) => new AwsError('AccessDenied',
    `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource}`, { status: 403 }),
  invalidIdentityToken: (detail: string) => new AwsError('InvalidIdentityTokenException', detail),
  malformedPolicy: (message: string) => new AwsError('MalformedPolicyDocumentException', message),
  packedPolicyTooLarge: () => new AwsError('PackedPolicyTooLargeException',
    'Packed policy consumes more than 100% of the allotted space.'),
  /** The gateway's wording for an operation Nimbus lacks (protocol/errors.ts). */
  notImplemented: (operation: string) => protocolErrors.notImplemented(operation, 'sts'),
}
