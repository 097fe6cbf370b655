// EventBridge errors, named after AWS's codes, with AWS's wording (aws-behaviour.md §5).
import { AwsError } from '../../protocol/errors.ts'

const validation = (message: string) => new AwsError('ValidationException', message)

/** Coral's member path: `Targets.1.Id` → `targets.1.member.id`. */
export function memberPath(path: string): string {
  return path.split('.').map((part) => /^\d+$/.test(part) ? `${part}.member` : part.charAt(0).toLowerCase() + part.slice(1)).join('.')
}

/** One failed model constraint, as Coral lists it. */
export interface Violation {
  value: string | null
  path: string
  constraint: string
}

const violationText = (v: Violation) =>
  `Value ${v.value === null ? 'null' : `'${v.value}'`} at '${memberPath(v.path)}' failed to satisfy constraint: ${v.constraint}`

export const ebErrors = {
  validation,
  /** Coral reports every failed constraint at once: "2 validation errors detected: A; B" [S]. */
  violations: (list: readonly Violation[]) => validation(
    `${list.length} validation error${list.length === 1 ? '' : 's'} detected: ${list.map(violationText).join('; ')}`),
  /** "1 validation error detected: Value '<v>' at '<path>' failed to satisfy constraint: <constraint>" */
  constraint: (value: string | null, path: string, constraint: string) => validation(
    `1 validation error detected: Value ${value === null ? 'null' : `'${value}'`} at '${memberPath(path)}' failed to satisfy constraint: ${constraint}`),
  missingParameter: (path: string) =>
    validation(`1 validation error detected: Value null at '${memberPath(path)}' failed to satisfy constraint: Member must not be null`),
  busNotFound: (name: string) => new AwsError('ResourceNotFoundException', `Event bus ${name} does not exist.`),
  ruleNotFound: (rule: string, bus: string) => new AwsError('ResourceNotFoundException', `Rule ${rule} does not exist on EventBus ${bus}.`),
  busExists: (name: string) => new AwsError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`),
  archiveExists: (name: string) => new AwsError('ResourceAlreadyExistsException', `Archive ${name} already exists.`),
  archiveNotFound: (name: string) => new AwsError('ResourceNotFoundException', `Archive ${name} does not exist.`),
  replayExists: (name: string) => new AwsError('ResourceAlreadyExistsException', `Replay ${name} already exists.`),
  replayNotFound: (name: string) => new AwsError('ResourceNotFoundException', `Replay ${name} does not exist.`),
  /** "Failed to describe the connection(s). Connection 'x' does not exist." [S for describe; other verbs R]. */
  connectionNotFound: (verb: string, name: string) =>
    new AwsError('ResourceNotFoundException', `Failed to ${verb} the connection(s). Connection '${name}' does not exist.`),
  connectionExists: (name: string) => new AwsError('ResourceAlreadyExistsException', `Connection ${name} already exists.`),
  /** "Failed to describe the api-destination(s). An api-destination 'x' does not exist." [S for describe; other verbs R]. */
  apiDestinationNotFound: (verb: string, name: string) =>
    new AwsError('ResourceNotFoundException', `Failed to ${verb} the api-destination(s). An api-destination '${name}' does not exist.`),
  apiDestinationExists: (name: string) => new AwsError('ResourceAlreadyExistsException', `An api-destination ${name} already exists.`),
  resourceNotFound: (message: string) => new AwsError('ResourceNotFoundException', message),
  limitExceeded: () => new AwsError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.'),
  /** Rules an AWS service manages (archives) are changed through that service [R: wording]. */
  managedRule: (rule: string, managedBy: string) => new AwsError('ManagedRuleException',
    `Rule ${rule} is managed by ${managedBy} and cannot be changed or deleted directly.`),
  illegalReplayStatus: (name: string, state: string) =>
    new AwsError('IllegalStatusException', `Replay ${name} is in state ${state} and cannot be cancelled.`),
  invalidParameter: (name: string, reason?: string) =>
    validation(reason === undefined ? `Parameter ${name} is not valid.` : `Parameter ${name} is not valid. Reason: ${reason}`),
}
