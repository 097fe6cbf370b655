// ExpressionAttributeNames/Values of one request: substitution with DynamoDB's messages for undefined
// placeholders, and the check that every one given was used by some expression of the request.
import type { AttributeValue } from '../attribute-value.ts'
import { validateValue } from '../attribute-value.ts'
import { dynamoErrors } from '../errors.ts'

export class ExpressionContext {
  private readonly names: Record<string, string> | undefined
  private readonly values: Record<string, AttributeValue> | undefined
  private readonly usedNames = new Set<string>()
  private readonly usedValues = new Set<string>()

  constructor(names: Record<string, string> | undefined, values: Record<string, AttributeValue> | undefined) {
    this.names = names
    this.values = values
  }

  /**
   * DynamoDB's checks on the maps themselves, before any expression is read: not empty, values valid
   * ("ExpressionAttributeValues contains invalid value: …").
   */
  static create(names: Record<string, string> | undefined, values: Record<string, AttributeValue> | undefined,
    hasExpression: boolean, nullExpressions: string): ExpressionContext {
    if (names !== undefined) {
      if (!hasExpression) throw dynamoErrors.validation(`ExpressionAttributeNames can only be specified when using expressions`)
      if (Object.keys(names).length === 0) throw dynamoErrors.validation('ExpressionAttributeNames must not be empty')
    }
    if (values !== undefined) {
      if (!hasExpression) throw dynamoErrors.validation(`ExpressionAttributeValues can only be specified when using expressions: ${nullExpressions}`)
      if (Object.keys(values).length === 0) throw dynamoErrors.validation('ExpressionAttributeValues must not be empty')
      for (const [key, value] of Object.entries(values)) {
        try {
          validateValue(value)
        } catch (error) {
          const message = (error as Error).message
          throw dynamoErrors.validation(`ExpressionAttributeValues contains invalid value: ${message} for key ${key}`)
        }
      }
    }
    return new ExpressionContext(names, values)
  }

  name(placeholder: string, kind: string): string {
    const name = this.names?.[placeholder]
    if (name === undefined) {
      throw dynamoErrors.expression(kind, `An expression attribute name used in the document path is not defined; attribute name: ${placeholder}`)
    }
    this.usedNames.add(placeholder)
    return name
  }

  value(placeholder: string, kind: string): AttributeValue {
    const value = this.values?.[placeholder]
    if (value === undefined) {
      throw dynamoErrors.expression(kind, `An expression attribute value used in expression is not defined; attribute value: ${placeholder}`)
    }
    this.usedValues.add(placeholder)
    return value
  }

  /** After every expression of the request parsed: names first, then values (DynamoDB's order). */
  checkAllUsed(): void {
    const unusedNames = Object.keys(this.names ?? {}).filter((k) => !this.usedNames.has(k))
    if (unusedNames.length > 0) {
      throw dynamoErrors.validation(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`)
    }
    const unusedValues = Object.keys(this.values ?? {}).filter((k) => !this.usedValues.has(k))
    if (unusedValues.length > 0) {
      throw dynamoErrors.validation(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`)
    }
  }
}
