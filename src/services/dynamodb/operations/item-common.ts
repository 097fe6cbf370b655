// What the item operations share: parameter checks in DynamoDB's order, parsed expressions, the
// conditional check, the write itself with its consumed capacity, and ReturnValues.
import { type AttributeValue, type Item, itemSize, toJsonItem, validateValue } from '../attribute-value.ts'
import { Consumption, writeUnits } from '../capacity.ts'
import { dynamoErrors } from '../errors.ts'
import type { Condition, Path } from '../expressions/ast.ts'
import { parseCondition } from '../expressions/condition-parser.ts'
import { ExpressionContext } from '../expressions/context.ts'
import { evaluate } from '../expressions/evaluate.ts'
import { parseProjection } from '../expressions/update-parser.ts'
import { limits } from '../limits.ts'
import type { DynamoState } from '../store.ts'
import { projectForIndex, type Table } from '../table.ts'
import { checkTableName } from './table-validation.ts'

/** Legacy (non-expression) parameters Nimbus does not serve yet, by the expression that replaces them. */
const legacyParameters = ['Expected', 'AttributeUpdates', 'AttributesToGet', 'KeyConditions', 'QueryFilter', 'ScanFilter', 'ConditionalOperator'] as const

/**
 * Expression and non-expression parameters may not be mixed (AWS's message); legacy ones alone are
 * translated into the expression AST (expressions/legacy.ts).
 */
export function checkLegacy(input: Record<string, unknown>, expressions: readonly string[]): void {
  const legacy = legacyParameters.filter((p) => input[p] !== undefined)
  if (legacy.length === 0) return
  const used = expressions.filter((e) => input[e] !== undefined)
  if (used.length > 0) {
    throw dynamoErrors.validation('Can not use both expression and non-expression parameters in the same request: ' +
      `Non-expression parameters: {${legacy.join(', ')}} Expression parameters: {${used.join(', ')}}`)
  }
}

export interface ExpressionInput {
  ConditionExpression?: string
  ProjectionExpression?: string
  FilterExpression?: string
  ExpressionAttributeNames?: Record<string, string>
  ExpressionAttributeValues?: Record<string, AttributeValue>
}

/** Builds the request's placeholder context; `present` lists which expressions the request has. */
export function expressionContext(input: ExpressionInput, present: boolean, nullExpressions: string): ExpressionContext {
  return ExpressionContext.create(input.ExpressionAttributeNames, input.ExpressionAttributeValues, present, nullExpressions)
}

export function condition(source: string | undefined, kind: string, ctx: ExpressionContext): Condition | undefined {
  if (source === undefined) return undefined
  return parseCondition(source, kind, ctx)
}

export function projection(source: string | undefined, ctx: ExpressionContext): Path[] | undefined {
  if (source === undefined) return undefined
  return parseProjection(source, ctx)
}

export function checkReturnValues(value: string | undefined, allowed: readonly string[]): string {
  const v = value ?? 'NONE'
  const all = ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW']
  if (!all.includes(v)) throw dynamoErrors.constraint(v, 'returnValues', `Member must satisfy enum value set: [${all.join(', ')}]`)
  if (!allowed.includes(v)) throw dynamoErrors.validation(`ReturnValues can only be ${allowed.filter((a) => a !== 'NONE').join(' or ')} or NONE`)
  return v
}

export function checkOnFailure(value: string | undefined): boolean {
  if (value === undefined || value === 'NONE') return false
  if (value !== 'ALL_OLD') throw dynamoErrors.constraint(value, 'returnValuesOnConditionCheckFailure', 'Member must satisfy enum value set: [ALL_OLD, NONE]')
  return true
}

export function checkItemValues(item: Item | undefined, member: string): Item {
  if (item === undefined) throw dynamoErrors.missingParameter(member)
  for (const name in item) {
    if (name.length === 0) throw dynamoErrors.invalid('An AttributeValue may not contain an empty attribute name')
    validateValue(item[name]!)
  }
  return item
}

export function checkSize(item: Item): number {
  const size = itemSize(item)
  if (size > limits.maxItemBytes) throw dynamoErrors.itemTooLarge()
  return size
}

/** The condition fails → ConditionalCheckFailedException (with the item when asked). */
export function checkCondition(cond: Condition | undefined, current: Item | undefined, returnOld: boolean): void {
  if (cond === undefined) return
  if (evaluate(current ?? {}, cond)) return
  throw dynamoErrors.conditionalCheckFailed(returnOld && current !== undefined ? toJsonItem(current) : undefined)
}

/** Write capacity for replacing `old` with `next` (either may be absent), table and indexes. */
export function writeConsumption(table: Table, old: Item | undefined, next: Item | undefined, transactional = false): Consumption {
  const c = new Consumption(table.name)
  const size = Math.max(old === undefined ? 0 : itemSize(old), next === undefined ? 0 : itemSize(next))
  c.addTable(writeUnits(size, transactional), 'write')
  for (const index of table.def.indexes) {
    const inIndex = (item: Item | undefined) => item !== undefined && item[index.key.hash] !== undefined &&
      (index.key.range === undefined || item[index.key.range] !== undefined)
    const sizes = [old, next].filter(inIndex).map((i) => itemSize(projectForIndex(index, table.def.key, i!)))
    if (sizes.length === 0) continue
    c.addIndex(index.name, index.kind === 'LSI', writeUnits(Math.max(...sizes), transactional), 'write')
  }
  return c
}

/** The table for a data-plane call: name checked, then found ACTIVE. */
export function activeTable(state: DynamoState, account: string, region: string, name: string | undefined): Table {
  if (name === undefined) throw dynamoErrors.missingParameter('TableName')
  // A name is checked as CreateTable checks it (an ARN, up to 1024 characters, names its table).
  if (!name.startsWith('arn:')) checkTableName(name)
  else if (name.length > 1024) throw dynamoErrors.constraint(name, 'tableName', 'Member must have length less than or equal to 1024')
  const table = state.active(account, region, name)
  // The request's table, for its SuccessfulRequestLatency (a request naming several has none).
  if (state.requestTable !== table) {
    state.requestTable = table
    state.requestTables++
  }
  return table
}

/**
 * A write's consumed capacity into the table's metrics: on a table without indexes from the sizes the
 * write just stored (Table.lastWriteBytes, no allocation); else per index as ConsumedCapacity computes it.
 */
export function countWrite(table: Table, old: Item | undefined, next: Item | undefined): void {
  const metrics = table.metrics
  if (metrics === undefined) return
  if (table.def.indexes.length === 0) return metrics.write(writeUnits(table.lastWriteBytes))
  countConsumption(table, writeConsumption(table, old, next))
}

/** A computed Consumption (batches, transactions, PartiQL) into the table's metrics: the table's part, each GSI's. */
export function countConsumption(table: Table, c: Consumption): void {
  const metrics = table.metrics
  if (metrics === undefined) return
  const kind = c.write > 0 ? 'write' : 'read'
  // LSIs' consumption is the table's (AWS charges and reports it on the table).
  let units = c.table
  for (const v of c.lsis.values()) units += v
  metrics[kind](units)
  for (const [name, v] of c.gsis) metrics[kind](v, name)
}
