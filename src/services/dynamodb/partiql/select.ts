// Runs a prepared SELECT: one page of a Query (the WHERE pins the partition key) or a Scan, the whole
// WHERE as the filter, Limit counting items read, 1 MB pages, NextToken carrying where to resume; and
// single-item reads for batches and transactions. Items come back with PartiQL's projection names.
import { createHash } from 'node:crypto'
import { type AttributeValue, fromJsonItem, type Item, itemSize, toJsonItem, toJsonValue } from '../attribute-value.ts'
import { Consumption, readUnits } from '../capacity.ts'
import { dynamoErrors } from '../errors.ts'
import type { Collection, Entry, Position } from '../collection.ts'
import type { Condition } from '../expressions/ast.ts'
import { evaluate, resolvePath } from '../expressions/evaluate.ts'
import type * as T from '../generated/types.ts'
import { valueKey } from '../keys.ts'
import { bounds, prefixed } from '../operations/query.ts'
import { countConsumption } from '../operations/item-common.ts'
import { readPage, startPosition } from '../operations/read-page.ts'
import type { Table } from '../table.ts'
import type { Read } from './prepare.ts'

export interface PageOptions {
  statement: string
  params: AttributeValue[] | undefined
  limit: number | undefined
  nextToken: string | undefined
  consistent: boolean
  capacityMode: string | undefined
}

export function runRead(read: Read, o: PageOptions): T.ExecuteStatementOutput {
  // The whole primary key pinned by `=`: one item, as GetItem reads it (no page, no NextToken).
  const only = read.partitions?.length === 1 ? read.partitions[0]! : undefined
  if (read.index === undefined && only !== undefined && (read.key.range === undefined || read.sort?.op === '=')) {
    const key: Item = { [read.key.hash]: only, ...(read.key.range !== undefined && { [read.key.range]: read.sort!.values[0]! }) }
    const { item, consumption } = readItem({ table: read.table, key, filter: read.filter, projection: read.projection }, o.consistent, false)
    const capacity = consumption.render(o.capacityMode)
    return { Items: item === undefined ? [] : [item], ...(capacity !== undefined && { ConsumedCapacity: capacity }) }
  }
  const digest = tokenDigest(o.statement, o.params)
  const start = o.nextToken === undefined ? undefined : startPosition(read, decodeToken(o.nextToken, digest))
  const collection = read.table.source(read.index?.name).collection
  const entries = read.partitions === undefined ? collection.scan({ after: start }) : queries(read, collection, start)
  const page = readPage(entries, {
    table: read.table, index: read.index, key: read.key, select: read.index === undefined ? 'ALL_ATTRIBUTES' : 'ALL_PROJECTED_ATTRIBUTES',
    limit: o.limit, filter: read.filter, projection: undefined, consistent: o.consistent, capacityMode: o.capacityMode,
  })
  return {
    Items: (page.Items ?? []).map((item) => projected(item, read.projection)),
    ...(page.LastEvaluatedKey !== undefined && { NextToken: encodeToken(page.LastEvaluatedKey, digest), LastEvaluatedKey: page.LastEvaluatedKey }),
    ...(page.ConsumedCapacity !== undefined && { ConsumedCapacity: page.ConsumedCapacity }),
  }
}

/** One Query per partition value, in order; a resumed page starts in the partition it stopped in. */
function* queries(read: Read, collection: Collection, start: Position | undefined): Generator<Entry> {
  const forward = !read.descending
  let values = read.partitions!
  if (start !== undefined) {
    const at = values.findIndex((v) => valueKey(v) === start.pk)
    values = at < 0 ? [] : values.slice(at)
  }
  for (const value of values) {
    const pk = valueKey(value)
    const walk = collection.range(pk, { ...bounds(read.sort), forward, after: start?.pk === pk ? start : undefined })
    yield* read.sort?.op === 'begins_with' ? prefixed(walk, read.sort, read.key.range!, forward) : walk
  }
}

/** One item by key, if it is there and passes the rest of the WHERE; with the read's capacity. */
export function readItem(r: { table: Table; key: Item; filter: Condition | undefined; projection: Read['projection'] },
  consistent: boolean, transactional: boolean): { item: Item | undefined; consumption: Consumption } {
  const stored = r.table.get(r.key)
  const consumption = new Consumption(r.table.name)
  consumption.addTable(readUnits(stored === undefined ? 0 : itemSize(stored), consistent, transactional), 'read')
  countConsumption(r.table, consumption)
  const item = stored === undefined || (r.filter !== undefined && !evaluate(stored, r.filter)) ? undefined : projected(stored, r.projection)
  return { item, consumption }
}

export function projected(item: Item, projection: Read['projection']): Item {
  if (projection === undefined) return item
  const out: Item = {}
  for (const { path, name } of projection) {
    const v = resolvePath(item, path)
    if (v !== undefined) out[name] = v
  }
  return out
}

/** The statement and its parameters, so a token resumes only the query it came from. */
function tokenDigest(statement: string, params: AttributeValue[] | undefined): string {
  return createHash('sha256').update(statement).update(JSON.stringify((params ?? []).map(toJsonValue))).digest('base64url').slice(0, 22)
}

function encodeToken(key: Item, digest: string): string {
  return Buffer.from(JSON.stringify({ d: digest, k: toJsonItem(key) })).toString('base64')
}

function decodeToken(token: string, digest: string): Item {
  let parsed: { d?: unknown; k?: unknown }
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as typeof parsed
  } catch {
    throw dynamoErrors.validation('Invalid NextToken')
  }
  if (typeof parsed !== 'object' || parsed === null || typeof parsed.k !== 'object' || parsed.k === null) throw dynamoErrors.validation('Invalid NextToken')
  // [R] a token of another statement: DynamoDB's starting-key message, its detail recalled.
  if (parsed.d !== digest) throw dynamoErrors.validation('The provided starting key is invalid: The provided key element does not match the schema')
  return fromJsonItem(parsed.k as Record<string, Record<string, unknown>>)
}
