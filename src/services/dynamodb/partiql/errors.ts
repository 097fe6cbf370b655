// PartiQL's ValidationException messages, worded as DynamoDB's PartiQL front end words them (see the
// README for the ones recalled rather than sourced [R]).
import { AwsError } from '../../../protocol/errors.ts'
import { dynamoErrors } from '../errors.ts'

/** The parser's envelope: "Statement wasn't well formed, can't be processed: <detail>". */
export const notWellFormed = (detail: string) => dynamoErrors.validation(`Statement wasn't well formed, can't be processed: ${detail}`)

export const partiqlErrors = {
  notWellFormed,
  incompleteKey: () => dynamoErrors.validation('Where clause does not contain a mandatory equality on all key attributes'),
  parameterCount: () => dynamoErrors.validation("Number of parameters in request and statement don't match."),
  unsupported: (what: string) => dynamoErrors.validation(`Unsupported operation: ${what}`),
  unsupportedClause: (clause: string) => dynamoErrors.validation(`Unsupported clause: ${clause}`),
  aliasing: () => dynamoErrors.validation('Aliasing is not supported'),
  duplicateItem: () => new AwsError('DuplicateItemException', 'Duplicate primary key exists in table'),
  /** [R] the `: Key <name>` suffix. */
  keyTypeMismatch: (name: string) => dynamoErrors.validation(`Key attribute's data type should match its data type in table's schema: Key ${name}`),
  multipleKeyConditions: (name: string) =>
    dynamoErrors.validation(`Multiple conditions on same key ${name}. Only single item Update/Insert/Delete are supported`),
}
