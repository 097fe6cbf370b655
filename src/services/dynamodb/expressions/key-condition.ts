// KeyConditionExpression: a parsed condition checked against the key schema Query reads by — the
// partition key with `=`, optionally the sort key with a comparison, BETWEEN or begins_with.
import { type AttributeValue, typeOf } from '../attribute-value.ts'
import { dynamoErrors } from '../errors.ts'
import type { KeySchema } from '../keys.ts'
import type { Condition, Operand } from './ast.ts'

export interface SortCondition {
  op: '=' | '<' | '<=' | '>' | '>=' | 'BETWEEN' | 'begins_with'
  values: AttributeValue[]
}

export interface KeyCondition {
  hash: AttributeValue
  sort: SortCondition | undefined
}

const invalidOperator = (op: string) => dynamoErrors.validation(`Invalid operator used in KeyConditionExpression: ${op}`)

/** Reduces a condition to the partition value and the sort condition, with DynamoDB's messages. */
export function keyCondition(c: Condition, schema: KeySchema): KeyCondition {
  const parts: Condition[] = []
  const split = (x: Condition) => {
    if (x.kind === 'and') {
      split(x.left)
      split(x.right)
    } else if (x.kind === 'or' || x.kind === 'not') {
      throw invalidOperator(x.kind.toUpperCase())
    } else {
      parts.push(x)
    }
  }
  split(c)
  if (parts.length > 2) throw dynamoErrors.validation('KeyConditionExpressions must only contain one condition per key')
  let hash: AttributeValue | undefined
  let sort: SortCondition | undefined
  for (const part of parts) {
    const { name, op, values } = simple(part)
    if (name === schema.hash) {
      if (op !== '=') throw dynamoErrors.validation('Query key condition not supported')
      if (hash !== undefined) throw dynamoErrors.validation('KeyConditionExpressions must only contain one condition per key')
      hash = values[0]!
      checkType(hash, schema.hashType)
    } else if (name === schema.range) {
      if (sort !== undefined) throw dynamoErrors.validation('KeyConditionExpressions must only contain one condition per key')
      for (const v of values) checkType(v, schema.rangeType!)
      sort = { op, values }
    } else {
      // [R] which key the message names when a condition is on a non-key attribute.
      throw dynamoErrors.validation(`Query condition missed key schema element: ${hash === undefined || schema.range === undefined ? schema.hash : schema.range}`)
    }
  }
  if (hash === undefined) throw dynamoErrors.validation(`Query condition missed key schema element: ${schema.hash}`)
  return { hash, sort }
}

function checkType(value: AttributeValue, type: string): void {
  if (typeOf(value) !== type) throw dynamoErrors.invalid('Condition parameter type does not match schema type')
}

function simple(c: Condition): { name: string; op: SortCondition['op']; values: AttributeValue[] } {
  const attribute = (o: Operand): string | undefined => o.kind === 'path' && o.elements.length === 1 && typeof o.elements[0] === 'string'
    ? o.elements[0] : undefined
  const value = (o: Operand): AttributeValue => {
    if (o.kind !== 'value') throw dynamoErrors.validation('Query key condition not supported')
    return o.value
  }
  switch (c.kind) {
    case 'compare': {
      if (c.op === '<>') throw invalidOperator('<>')
      const left = attribute(c.left)
      if (left !== undefined) return { name: left, op: c.op, values: [value(c.right)] }
      const right = attribute(c.right)
      if (right === undefined) throw dynamoErrors.validation('Query key condition not supported')
      // `:v < sk` means `sk > :v`.
      const flipped = ({ '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const)[c.op]
      return { name: right, op: flipped, values: [value(c.left)] }
    }
    case 'between': {
      const name = attribute(c.value)
      if (name === undefined) throw dynamoErrors.validation('Query key condition not supported')
      return { name, op: 'BETWEEN', values: [value(c.low), value(c.high)] }
    }
    case 'function': {
      if (c.name !== 'begins_with') throw invalidOperator(c.name)
      const name = attribute(c.args[0]!)
      if (name === undefined) throw dynamoErrors.validation('Query key condition not supported')
      const prefix = value(c.args[1]!)
      if (prefix.S === undefined && prefix.B === undefined) throw dynamoErrors.invalid('Condition parameter type does not match schema type')
      return { name, op: 'begins_with', values: [prefix] }
    }
    case 'in': throw invalidOperator('IN')
    default: throw dynamoErrors.validation('Query key condition not supported')
  }
}
