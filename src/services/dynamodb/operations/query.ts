// Query and Scan, on a table or one of its indexes.
import type { Operation, OperationContext } from '../../service.ts'
import { type AttributeValue, compareUtf8, type Item } from '../attribute-value.ts'
import type { Bound, Entry } from '../collection.ts'
import { dynamoErrors } from '../errors.ts'
import { parseCondition } from '../expressions/condition-parser.ts'
import { keyCondition, type SortCondition } from '../expressions/key-condition.ts'
import { attributesToGet, filterCondition } from '../expressions/legacy.ts'
import type * as T from '../generated/types.ts'
import { valueKey } from '../keys.ts'
import type { DynamoState } from '../store.ts'
import type { Table } from '../table.ts'
import { activeTable, checkLegacy, condition, expressionContext, projection } from './item-common.ts'
import { type PageInput, readPage, startPosition } from './read-page.ts'

const selects = ['ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES', 'SPECIFIC_ATTRIBUTES', 'COUNT']

interface ReadInput {
  TableName?: string
  IndexName?: string
  Select?: string
  Limit?: number
  ConsistentRead?: boolean
  ProjectionExpression?: string
  AttributesToGet?: string[]
  FilterExpression?: string
  ExpressionAttributeNames?: Record<string, string>
  ExpressionAttributeValues?: Record<string, AttributeValue>
  ReturnConsumedCapacity?: string
  ExclusiveStartKey?: Item
}

/** What Query and Scan check alike, in DynamoDB's order, once their own expressions are parsed. */
function common(state: DynamoState, input: ReadInput, ctx: OperationContext, parsed: { filter: PageInput['filter']; projection: PageInput['projection'] }):
  { table: Table; page: PageInput } {
  if (input.Limit !== undefined && input.Limit < 1) throw dynamoErrors.constraint(input.Limit, 'limit', 'Member must have value greater than or equal to 1')
  const specific = input.ProjectionExpression !== undefined || input.AttributesToGet !== undefined
  const select = input.Select ?? (specific ? 'SPECIFIC_ATTRIBUTES' : undefined)
  if (select !== undefined && !selects.includes(select)) {
    throw dynamoErrors.constraint(select, 'select', `Member must satisfy enum value set: [${['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'].join(', ')}]`)
  }
  if (specific && select !== 'SPECIFIC_ATTRIBUTES') {
    throw dynamoErrors.invalid(`Cannot specify the ${input.AttributesToGet !== undefined ? 'AttributesToGet' : 'ProjectionExpression'} when choosing to get ${select}`)
  }
  const table = activeTable(state, ctx.caller.account, ctx.caller.region, input.TableName)
  let index
  if (input.IndexName !== undefined) {
    index = table.index(input.IndexName)
    if (index === undefined) throw dynamoErrors.validation(`The table does not have the specified index: ${input.IndexName}`)
    if (index.kind === 'GSI' && input.ConsistentRead === true) throw dynamoErrors.validation('Consistent reads are not supported on global secondary indexes')
    if (index.activeAt !== undefined && ctx.clock.now() < index.activeAt) {
      throw dynamoErrors.validation(`Cannot read from backfilling global secondary index: ${index.name}`)
    }
  }
  const chosen = select ?? (index === undefined ? 'ALL_ATTRIBUTES' : 'ALL_PROJECTED_ATTRIBUTES')
  if (chosen === 'ALL_PROJECTED_ATTRIBUTES' && index === undefined) {
    throw dynamoErrors.invalid('ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName')
  }
  if (chosen === 'ALL_ATTRIBUTES' && index?.kind === 'GSI' && index.projection.type !== 'ALL') {
    throw dynamoErrors.invalid(`Select type ALL_ATTRIBUTES is not supported for global secondary index ${index.name} because its projection type is not ALL`)
  }
  const source = table.source(index?.name)
  return {
    table,
    page: {
      table, index, key: source.key, select: chosen, limit: input.Limit, filter: parsed.filter, projection: parsed.projection,
      consistent: input.ConsistentRead === true, capacityMode: input.ReturnConsumedCapacity,
    },
  }
}

export function queryOperations(state: DynamoState) {
  const query: Operation<T.QueryInput, T.QueryOutput> = (input, ctx) => {
    checkLegacy(input as never, ['KeyConditionExpression', 'FilterExpression', 'ProjectionExpression'])
    if (input.KeyConditionExpression === undefined && input.KeyConditions === undefined) {
      throw dynamoErrors.validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.')
    }
    const present = input.KeyConditionExpression !== undefined || input.FilterExpression !== undefined || input.ProjectionExpression !== undefined
    const exprs = expressionContext(input, present, 'KeyConditionExpression, FilterExpression and ProjectionExpression are null')
    const keyExpr = input.KeyConditionExpression !== undefined
      ? parseCondition(input.KeyConditionExpression, 'KeyConditionExpression', exprs)
      : filterCondition(input.KeyConditions as never, 'AND')!
    const filter = condition(input.FilterExpression, 'FilterExpression', exprs) ??
      (input.QueryFilter === undefined ? undefined : filterCondition(input.QueryFilter as never, input.ConditionalOperator))
    const paths = projection(input.ProjectionExpression, exprs) ?? (input.AttributesToGet === undefined ? undefined : attributesToGet(input.AttributesToGet))
    exprs.checkAllUsed()
    const { table, page } = common(state, input, ctx, { filter, projection: paths })
    const { hash, sort } = keyCondition(keyExpr, page.key)
    const after = startPosition(page, input.ExclusiveStartKey)
    const pk = valueKey(hash)
    if (after !== undefined && after.pk !== pk) {
      throw dynamoErrors.validation('The provided starting key is outside query boundaries based on provided conditions')
    }
    const collection = table.source(page.index?.name).collection
    const forward = input.ScanIndexForward !== false
    const entries = collection.range(pk, { ...bounds(sort), forward, after })
    return readPage(sort?.op === 'begins_with' ? prefixed(entries, sort, page.key.range!, forward) : entries, page)
  }

  const scan: Operation<T.ScanInput, T.ScanOutput> = (input, ctx) => {
    checkLegacy(input as never, ['FilterExpression', 'ProjectionExpression'])
    const { Segment: segment, TotalSegments: total } = input
    if (total !== undefined && (total < 1 || total > 1_000_000)) {
      throw dynamoErrors.constraint(total, 'totalSegments', `Member must have value ${total < 1 ? 'greater than or equal to 1' : 'less than or equal to 1000000'}`)
    }
    if (segment !== undefined && segment < 0) throw dynamoErrors.constraint(segment, 'segment', 'Member must have value greater than or equal to 0')
    if (segment !== undefined && total === undefined) {
      throw dynamoErrors.validation('The TotalSegments parameter is required but was not present in the request when Segment parameter is present')
    }
    if (total !== undefined && segment === undefined) {
      throw dynamoErrors.validation('The Segment parameter is required but was not present in the request when parameter TotalSegments is present')
    }
    if (segment !== undefined && total !== undefined && segment >= total) {
      throw dynamoErrors.validation(`The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${segment} is not less than TotalSegments: ${total}`)
    }
    const present = input.FilterExpression !== undefined || input.ProjectionExpression !== undefined
    const exprs = expressionContext(input, present, 'FilterExpression and ProjectionExpression are null')
    const filter = condition(input.FilterExpression, 'FilterExpression', exprs) ??
      (input.ScanFilter === undefined ? undefined : filterCondition(input.ScanFilter as never, input.ConditionalOperator))
    const paths = projection(input.ProjectionExpression, exprs) ?? (input.AttributesToGet === undefined ? undefined : attributesToGet(input.AttributesToGet))
    exprs.checkAllUsed()
    const { table, page } = common(state, input, ctx, { filter, projection: paths })
    const after = startPosition(page, input.ExclusiveStartKey)
    const collection = table.source(page.index?.name).collection
    return readPage(collection.scan({ after, segment, total }), page)
  }

  return { Query: query, Scan: scan }
}

/** A sort-key condition as the bounds of a walk through one partition (PartiQL's SELECT reads the same way). */
export function bounds(sort: SortCondition | undefined): { low?: Bound; high?: Bound } {
  if (sort === undefined) return {}
  const [a, b] = sort.values
  switch (sort.op) {
    case '=': return { low: { value: a!, exclusive: false }, high: { value: a!, exclusive: false } }
    case '<': return { high: { value: a!, exclusive: true } }
    case '<=': return { high: { value: a!, exclusive: false } }
    case '>': return { low: { value: a!, exclusive: true } }
    case '>=': return { low: { value: a!, exclusive: false } }
    case 'BETWEEN': return { low: { value: a!, exclusive: false }, high: { value: b!, exclusive: false } }
    case 'begins_with': return { low: { value: a!, exclusive: false } }
  }
}

/** Sort keys with a prefix are contiguous: the walk (either direction) keeps only those. */
export function* prefixed(entries: Iterable<Entry>, sort: SortCondition, range: string, forward: boolean): Generator<Entry> {
  const prefix = sort.values[0]!
  for (const entry of entries) {
    const v = entry.item[range]!
    const match = prefix.S !== undefined ? v.S!.startsWith(prefix.S)
      : Buffer.from(v.B!).subarray(0, prefix.B!.length).equals(Buffer.from(prefix.B!)) && v.B!.length >= prefix.B!.length
    if (match) yield entry
    // Forward: past the prefix nothing further matches; backward: entries after the prefix come first.
    else if (!forward && compareAfter(v, prefix)) continue
    else return
  }
}

/** True when `v` sorts after every value with `prefix` (a backward walk starts there). */
function compareAfter(v: AttributeValue, prefix: AttributeValue): boolean {
  if (prefix.S !== undefined) return compareUtf8(v.S!, prefix.S) > 0
  return Buffer.compare(Buffer.from(v.B!), Buffer.from(prefix.B!)) > 0
}
