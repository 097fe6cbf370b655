// One parsed PartiQL statement made ready to run against the tables: a read (a Query of one partition,
// a Scan, or one item by its whole key) or a write plan — the same WritePlan PutItem, UpdateItem,
// DeleteItem and TransactWriteItems' ConditionCheck run, so conditions, updates, streams and TTL work
// exactly as they do for those calls.
import { type AttributeValue, type Item, typeOf, validateItem } from '../attribute-value.ts'
import { dynamoErrors } from '../errors.ts'
import type { Condition, Path } from '../expressions/ast.ts'
import type { SortCondition } from '../expressions/key-condition.ts'
import { checkKey, type KeySchema } from '../keys.ts'
import { checkPlan, deletePlan, putPlan, updatePlan, type WritePlan } from '../operations/write-plan.ts'
import type { DynamoState } from '../store.ts'
import type { IndexDefinition, Table } from '../table.ts'
import type { PathExpr, Returning, SelectStatement, Statement } from './ast.ts'
import { partiqlErrors } from './errors.ts'
import { parseStatement } from './parser.ts'
import { toPath, Translator } from './translate.ts'

export interface Read {
  kind: 'read'
  table: Table
  index: IndexDefinition | undefined
  /** The key schema read by (the table's or the index's). */
  key: KeySchema
  filter: Condition | undefined
  /** undefined: `*`. */
  projection: { path: Path; name: string }[] | undefined
  /** Queries of these partition key values, in order; undefined: a Scan. */
  partitions: AttributeValue[] | undefined
  /** The sort-key condition that narrows the Query's walk, if any. */
  sort: SortCondition | undefined
  descending: boolean
}

export interface Write {
  kind: 'write'
  plan: WritePlan
  returning: Returning | undefined
}

export interface Where {
  account: string
  region: string
}

/** Parses a statement and checks its parameter count (too many are accepted, as DynamoDB does). */
export function parse(source: string, params: AttributeValue[] | undefined): Statement {
  const parsed = parseStatement(source)
  if (parsed.parameters > (params?.length ?? 0)) throw partiqlErrors.parameterCount()
  return parsed.statement
}

export function isRead(statement: Statement): boolean {
  return statement.kind === 'select'
}

/** A SELECT as a Query or Scan over the table or index. */
export function prepareRead(state: DynamoState, where: Where, s: SelectStatement, params: AttributeValue[] | undefined, consistent: boolean): Read {
  const tr = new Translator(params)
  const table = state.active(where.account, where.region, s.table)
  let index: IndexDefinition | undefined
  if (s.index !== undefined) {
    index = table.index(s.index)
    // [R] the wording for an unknown index.
    if (index === undefined) throw dynamoErrors.validation(`The table does not have the specified index: ${s.index}`)
    if (index.kind === 'GSI' && consistent) throw dynamoErrors.validation('Strongly consistent read is not supported on Global Secondary Indexes')
    if (index.activeAt !== undefined && state.clock.now() < index.activeAt) throw dynamoErrors.validation(`Cannot read from backfilling global secondary index: ${index.name}`)
  }
  const key = index?.key ?? table.def.key
  const filter = s.where === undefined ? undefined : tr.condition(s.where)
  const partitions = tr.partitionValues(s.where, key)
  if (s.orderBy !== undefined) {
    if (s.where === undefined) throw dynamoErrors.validation('Must have WHERE clause in the statement when using ORDER BY clause.')
    const name = s.orderBy.path.elements.length === 1 ? s.orderBy.path.elements[0] as string : undefined
    if (name === undefined || (name !== key.hash && name !== key.range)) {
      throw dynamoErrors.validation(`Variable reference ${s.orderBy.path.elements.join('.')} in ORDER BY clause must be part of the primary key`)
    }
    if (partitions === undefined) throw dynamoErrors.validation('Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.')
  }
  const sort = partitions === undefined ? undefined : tr.sortCondition(s.where, key)
  return { kind: 'read', table, index, key, filter, projection: projectionOf(s.projection), partitions, sort, descending: s.orderBy?.descending === true }
}

/** SELECT names: a nested path's value comes back under its last name (with any list indexes after it). */
function projectionOf(paths: PathExpr[] | undefined): Read['projection'] {
  if (paths === undefined) return undefined
  const out = paths.map((p) => {
    const lastName = p.elements.findLastIndex((e) => typeof e === 'string')
    const name = String(p.elements[lastName]) + p.elements.slice(lastName + 1).map((i) => `[${i}]`).join('')
    return { path: toPath(p), name }
  })
  const seen = new Set<string>()
  for (const { name } of out) {
    if (seen.has(name)) throw dynamoErrors.validation(`Duplicate identifiers in select clause: ${name}`)
    seen.add(name)
  }
  return out
}

/** A SELECT of one item by its whole key (batches and transactions read only such). */
export function prepareItemRead(state: DynamoState, where: Where, s: SelectStatement, params: AttributeValue[] | undefined, inTransaction: boolean):
  { table: Table; key: Item; filter: Condition | undefined; projection: Read['projection'] } {
  const table = state.active(where.account, where.region, s.table)
  if (s.index !== undefined) {
    throw dynamoErrors.validation(inTransaction ? 'Reads on indices are not supported within transactions.' : 'Only single item select is supported')
  }
  const tr = new Translator(params)
  let found
  try {
    found = tr.keyAndRest(s.where, table.def.key)
  } catch (error) {
    if ((error as Error).message !== partiqlErrors.incompleteKey().message) throw error
    throw dynamoErrors.validation(inTransaction ? 'Select statements within ExecuteTransaction must specify the primary key in the where clause.'
      : 'Only single item select is supported')
  }
  return { table, key: checkKey(table.def.key, found.key), filter: found.rest, projection: projectionOf(s.projection) }
}

/** INSERT, UPDATE, DELETE (and EXISTS inside transactions) as a write plan. */
export function prepareWrite(state: DynamoState, where: Where, s: Statement, params: AttributeValue[] | undefined): Write {
  const tr = new Translator(params)
  switch (s.kind) {
    case 'insert': {
      const table = state.active(where.account, where.region, s.table)
      const item = tr.item(s.item)
      validateItem(item)
      // The PartiQL front end checks the key attributes itself, in its own words, before PutItem's checks.
      for (const [name, type] of [[table.def.key.hash, table.def.key.hashType], [table.def.key.range, table.def.key.rangeType]] as const) {
        if (name === undefined) continue
        if (item[name] === undefined) throw dynamoErrors.validation(`Key attribute should be present in the item: Key ${name}`)
        if (typeOf(item[name]) !== type) throw partiqlErrors.keyTypeMismatch(name)
      }
      // INSERT never replaces: an existing key is DuplicateItemException, not a condition failure.
      const plan = putPlan(table, item, notExists(table))
      plan.failure = 'DuplicateItem'
      return { kind: 'write', plan, returning: undefined }
    }
    case 'update': {
      // DynamoDB's order: the WHERE and the SET/REMOVE are translated before the table is looked up.
      if (s.where !== undefined) tr.condition(s.where)
      const actions = tr.update(s.set, s.remove)
      const table = state.active(where.account, where.region, s.table)
      const { key, rest } = tr.keyAndRest(s.where, table.def.key)
      // UPDATE changes an existing item only: a missing one fails its (implicit) condition.
      const plan = updatePlan(table, checkKey(table.def.key, key), actions, and(exists(table), rest))
      return { kind: 'write', plan, returning: s.returning }
    }
    case 'delete': {
      if (s.where !== undefined) tr.condition(s.where)
      const table = state.active(where.account, where.region, s.table)
      const { key, rest } = tr.keyAndRest(s.where, table.def.key)
      if (s.returning !== undefined && s.returning !== 'ALL OLD') {
        throw dynamoErrors.validation(`Invalid returning clause: RETURNING ${s.returning} *. Only RETURNING ALL OLD * is allowed in DELETE statements.`)
      }
      return { kind: 'write', plan: deletePlan(table, checkKey(table.def.key, key), rest), returning: s.returning }
    }
    case 'exists': {
      const table = state.active(where.account, where.region, s.select.table)
      if (s.select.index !== undefined) throw dynamoErrors.validation('Operations on indices are not supported in transactions')
      const { key, rest } = tr.keyAndRest(s.select.where, table.def.key)
      if (rest === undefined) throw dynamoErrors.validation('EXISTS() must contain a single item read with additional condition')
      return { kind: 'write', plan: checkPlan(table, checkKey(table.def.key, key), and(exists(table), rest)), returning: undefined }
    }
    case 'select': throw new Error('a SELECT is not a write')
  }
}

function exists(table: Table): Condition {
  return { kind: 'function', name: 'attribute_exists', args: [{ kind: 'path', elements: [table.def.key.hash] }] }
}

function notExists(table: Table): Condition {
  return { kind: 'function', name: 'attribute_not_exists', args: [{ kind: 'path', elements: [table.def.key.hash] }] }
}

function and(a: Condition, b: Condition | undefined): Condition {
  return b === undefined ? a : { kind: 'and', left: a, right: b }
}
