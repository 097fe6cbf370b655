// Pattern validation failures as data: one reason text (AWS's, from Event Ruler) and how each
// service words it on the wire.
import { AwsError } from '../protocol/errors.ts'
import type { Dialect } from './dialects.ts'

export type PatternErrorKind =
  | 'invalid-json'      // the text is not JSON
  | 'invalid-structure' // not an object, empty arrays/objects, bad $or, leaf not an array
  | 'invalid-match'     // a match expression is malformed (operator, operand)
  | 'too-complex'       // wildcard complexity, SNS combinations
  | 'too-many-keys'     // SNS: more than 5 keys
  | 'too-large'         // pattern text over the dialect's length
  | 'nested-not-allowed' // SNS MessageAttributes scope with a nested policy

export class PatternError extends Error {
  readonly kind: PatternErrorKind
  /** AWS's reason text, without any service prefix ("Empty arrays are not allowed"). */
  readonly reason: string
  readonly dialect: Dialect

  constructor(kind: PatternErrorKind, reason: string, dialect: Dialect) {
    super(formatMessage(kind, reason, dialect, false))
    this.name = 'PatternError'
    this.kind = kind
    this.reason = reason
    this.dialect = dialect
  }
}

export function isPatternError(value: unknown): value is PatternError {
  return value instanceof PatternError
}

/**
 * The message the owning service returns. SNS words it differently when the policy came in the
 * `Attributes` map of Subscribe ("Invalid parameter: Attributes Reason: FilterPolicy: …").
 */
function formatMessage(kind: PatternErrorKind, reason: string, dialect: Dialect, viaSubscribeAttributes: boolean): string {
  switch (dialect) {
    case 'eventbridge':
      return `Event pattern is not valid. Reason: ${reason}`
    case 'lambda-filter':
      // Lambda never says why a filter is bad.
      return 'Invalid filter pattern definition.'
    case 'sns-attributes':
    case 'sns-body': {
      const prefix = viaSubscribeAttributes ? 'Invalid parameter: Attributes Reason: ' : 'Invalid parameter: '
      // The scope error is the one SNS reports without the "FilterPolicy: " label.
      return kind === 'nested-not-allowed' ? `${prefix}${reason}` : `${prefix}FilterPolicy: ${reason}`
    }
  }
}

export interface ToAwsErrorOptions {
  /** SNS Subscribe with the policy inside `Attributes`. */
  viaSubscribeAttributes?: boolean
}

/** The AwsError each service throws for an invalid pattern. */
export function patternAwsError(error: PatternError, options: ToAwsErrorOptions = {}): AwsError {
  const message = formatMessage(error.kind, error.reason, error.dialect, options.viaSubscribeAttributes === true)
  switch (error.dialect) {
    case 'eventbridge':
      return new AwsError('InvalidEventPatternException', message)
    case 'lambda-filter':
      return new AwsError('InvalidParameterValueException', message, { fields: { Type: 'User' } })
    case 'sns-attributes':
    case 'sns-body':
      return new AwsError('InvalidParameterException', message)
  }
}

/** Thrown by compile steps that don't know the dialect's wording; the caller adds the dialect. */
export class PatternReason extends Error {
  readonly kind: PatternErrorKind
  constructor(kind: PatternErrorKind, reason: string) {
    super(reason)
    this.kind = kind
  }
}

export function fail(reason: string, kind: PatternErrorKind = 'invalid-match'): never {
  throw new PatternReason(kind, reason)
}
