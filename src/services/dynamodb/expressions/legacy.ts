// The legacy (pre-expression) parameters translated into the expression AST: Expected, QueryFilter and
// ScanFilter (with ConditionalOperator), KeyConditions, AttributeUpdates and AttributesToGet. The
// evaluators then treat them exactly as the expressions they stand for.
import { type AttributeValue, validateValue } from '../attribute-value.ts'
import { dynamoErrors } from '../errors.ts'
import type { Condition, Operand, Path, UpdateActions, ValueRef } from './ast.ts'

interface LegacyCondition {
  ComparisonOperator?: string
  AttributeValueList?: AttributeValue[]
}

interface ExpectedValue extends LegacyCondition {
  Value?: AttributeValue
  Exists?: boolean
}

/** How many values each comparison operator takes (undefined: one or more, IN). */
const arity: Record<string, number | undefined> = {
  EQ: 1, NE: 1, LE: 1, LT: 1, GE: 1, GT: 1, NOT_NULL: 0, NULL: 0, CONTAINS: 1, NOT_CONTAINS: 1, BEGINS_WITH: 1, IN: undefined, BETWEEN: 2,
}

const path = (name: string): Path => ({ kind: 'path', elements: [name] })
let counter = 0
const value = (v: AttributeValue): ValueRef => {
  validateValue(v)
  return { kind: 'value', name: `:legacy${++counter}`, value: v }
}

/** One attribute's condition as the AST (ComparisonOperator with AttributeValueList). */
function comparison(name: string, c: LegacyCondition): Condition {
  const op = c.ComparisonOperator
  if (op === undefined || !(op in arity)) {
    throw dynamoErrors.constraint(op ?? null, 'comparisonOperator',
      'Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]')
  }
  const values = (c.AttributeValueList ?? []).map(value)
  const wanted = arity[op]
  if ((wanted === undefined && values.length === 0) || (wanted !== undefined && values.length !== wanted)) {
    throw dynamoErrors.invalid(`Invalid number of argument(s) for the ${op} ComparisonOperator`)
  }
  const p = path(name)
  const [a, b] = values as [Operand, Operand]
  switch (op) {
    case 'EQ': return { kind: 'compare', op: '=', left: p, right: a }
    case 'NE': return { kind: 'compare', op: '<>', left: p, right: a }
    case 'LE': return { kind: 'compare', op: '<=', left: p, right: a }
    case 'LT': return { kind: 'compare', op: '<', left: p, right: a }
    case 'GE': return { kind: 'compare', op: '>=', left: p, right: a }
    case 'GT': return { kind: 'compare', op: '>', left: p, right: a }
    case 'NOT_NULL': return { kind: 'function', name: 'attribute_exists', args: [p] }
    case 'NULL': return { kind: 'function', name: 'attribute_not_exists', args: [p] }
    case 'CONTAINS': return { kind: 'function', name: 'contains', args: [p, a] }
    case 'NOT_CONTAINS': return { kind: 'not', operand: { kind: 'function', name: 'contains', args: [p, a] } }
    case 'BEGINS_WITH': return { kind: 'function', name: 'begins_with', args: [p, a] }
    case 'IN': return { kind: 'in', value: p, list: values }
    default: return { kind: 'between', value: p, low: a, high: b }
  }
}

function combine(parts: Condition[], operator: string | undefined): Condition | undefined {
  if (operator !== undefined && operator !== 'AND' && operator !== 'OR') {
    throw dynamoErrors.constraint(operator, 'conditionalOperator', 'Member must satisfy enum value set: [OR, AND]')
  }
  if (parts.length === 0) return undefined
  const kind = operator === 'OR' ? 'or' : 'and'
  return parts.reduce((left, right) => ({ kind, left, right }))
}

/** Expected: Value (equality), Exists (true with a Value, false alone), or ComparisonOperator. */
export function expectedCondition(expected: Record<string, ExpectedValue>, operator: string | undefined): Condition | undefined {
  const parts = Object.entries(expected).map(([name, e]): Condition => {
    if (e.ComparisonOperator !== undefined) {
      if (e.Value !== undefined || e.Exists !== undefined) {
        throw dynamoErrors.invalid(`Value or Exists cannot be used with ComparisonOperator for Attribute: ${name}`)
      }
      return comparison(name, e)
    }
    if (e.Exists === false) {
      if (e.Value !== undefined) throw dynamoErrors.invalid('Cannot expect an attribute to have a specified value while expecting it to not exist')
      return { kind: 'function', name: 'attribute_not_exists', args: [path(name)] }
    }
    if (e.Value === undefined) {
      throw dynamoErrors.invalid(`Exists is set to TRUE for attribute (${name}), Value must also be set`)
    }
    return { kind: 'compare', op: '=', left: path(name), right: value(e.Value) }
  })
  return combine(parts, operator)
}

/** QueryFilter / ScanFilter / KeyConditions: one comparison per attribute. */
export function filterCondition(filter: Record<string, LegacyCondition>, operator: string | undefined): Condition | undefined {
  return combine(Object.entries(filter).map(([name, c]) => comparison(name, c)), operator)
}

/** AttributeUpdates: PUT → SET, DELETE without a value → REMOVE, DELETE with a set → DELETE, ADD → ADD. */
export function attributeUpdates(updates: Record<string, { Value?: AttributeValue; Action?: string }>): UpdateActions {
  const actions: UpdateActions = { set: [], remove: [], add: [], delete: [] }
  for (const [name, u] of Object.entries(updates)) {
    const action = u.Action ?? 'PUT'
    if (action === 'PUT') {
      if (u.Value === undefined) throw dynamoErrors.invalid(`Only DELETE action is allowed when no attribute value is specified`)
      actions.set.push({ path: path(name), value: value(u.Value) })
    } else if (action === 'DELETE') {
      if (u.Value === undefined) actions.remove.push(path(name))
      else actions.delete.push({ path: path(name), value: value(u.Value) })
    } else if (action === 'ADD') {
      if (u.Value === undefined) throw dynamoErrors.invalid(`Only DELETE action is allowed when no attribute value is specified`)
      actions.add.push({ path: path(name), value: value(u.Value) })
    } else {
      throw dynamoErrors.constraint(action, 'action', 'Member must satisfy enum value set: [ADD, PUT, DELETE]')
    }
  }
  return actions
}

/** AttributesToGet: top-level names, as a projection. */
export function attributesToGet(names: string[]): Path[] {
  return names.map(path)
}
