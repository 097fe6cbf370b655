// One page of Query or Scan: entries walked in order until Limit items or 1 MB were read, then the
// filter, Select and projection; LastEvaluatedKey names the last entry read; capacity on bytes read.
import { type Item, itemSize } from '../attribute-value.ts'
import { Consumption, readUnits } from '../capacity.ts'
import type { Entry, Position } from '../collection.ts'
import { dynamoErrors } from '../errors.ts'
import type { Condition, Path } from '../expressions/ast.ts'
import { evaluate, project } from '../expressions/evaluate.ts'
import type * as T from '../generated/types.ts'
import { type KeySchema, keyOf, primaryKey, valueKey } from '../keys.ts'
import { limits } from '../limits.ts'
import { type IndexDefinition, projectForIndex, type Table } from '../table.ts'

export interface PageInput {
  table: Table
  index: IndexDefinition | undefined
  key: KeySchema
  select: string
  limit: number | undefined
  filter: Condition | undefined
  projection: Path[] | undefined
  consistent: boolean
  capacityMode: string | undefined
}

export interface Page {
  Items?: Item[]
  Count: number
  ScannedCount: number
  LastEvaluatedKey?: Item
  ConsumedCapacity?: T.ConsumedCapacity
}

export function readPage(entries: Iterable<Entry>, p: PageInput): Page {
  const items: Item[] = []
  let scanned = 0
  let bytes = 0
  let last: Entry | undefined
  let stopped = false
  for (const entry of entries) {
    if (stopped) break
    const item = p.index === undefined || (p.select === 'ALL_ATTRIBUTES' && p.index.kind === 'LSI')
      ? entry.item : projectForIndex(p.index, p.table.def.key, entry.item)
    scanned++
    bytes += itemSize(item)
    last = entry
    if (p.filter === undefined || evaluate(item, p.filter)) items.push(item)
    if ((p.limit !== undefined && scanned >= p.limit) || bytes >= limits.maxPageBytes) stopped = true
  }
  const consumption = new Consumption(p.table.name)
  const units = readUnits(bytes, p.consistent)
  // AWS/DynamoDB: a GSI's reads are its own; an LSI's are the table's.
  p.table.metrics?.read(units, p.index?.kind === 'GSI' ? p.index.name : undefined)
  if (p.index === undefined) consumption.addTable(units, 'read')
  else consumption.addIndex(p.index.name, p.index.kind === 'LSI', units, 'read')
  const out: Page = { Count: items.length, ScannedCount: scanned, ConsumedCapacity: consumption.render(p.capacityMode) }
  if (p.select !== 'COUNT') out.Items = p.projection === undefined ? items : items.map((i) => project(i, p.projection!))
  if (stopped && last !== undefined) out.LastEvaluatedKey = lastKey(p, last.item)
  return out
}

function lastKey(p: PageInput, item: Item): Item {
  const key = keyOf(p.table.def.key, item)
  if (p.index !== undefined) Object.assign(key, keyOf(p.index.key, item))
  return key
}

/**
 * ExclusiveStartKey as a position in the collection: the table's key attributes (and the index's),
 * exactly, else "The provided starting key is invalid: …".
 */
export function startPosition(p: { table: Table; index: IndexDefinition | undefined }, start: Item | undefined): Position | undefined {
  if (start === undefined) return undefined
  const table = p.table.def.key
  const wanted = new Set([table.hash, table.range, p.index?.key.hash, p.index?.key.range].filter((n): n is string => n !== undefined))
  const names = Object.keys(start)
  const invalid = () => dynamoErrors.validation('The provided starting key is invalid: The provided key element does not match the schema')
  if (names.length !== wanted.size || !names.every((n) => wanted.has(n))) throw invalid()
  const typeOk = (name: string | undefined, type: string | undefined) => name === undefined || (start[name] as Record<string, unknown>)[type!] !== undefined
  if (!typeOk(table.hash, table.hashType) || !typeOk(table.range, table.rangeType)) throw invalid()
  if (p.index !== undefined && (!typeOk(p.index.key.hash, p.index.key.hashType) || !typeOk(p.index.key.range, p.index.key.rangeType))) throw invalid()
  const key = p.index?.key ?? table
  return {
    pk: valueKey(start[key.hash]!),
    sk: key.range === undefined ? undefined : start[key.range],
    tie: p.index === undefined ? '' : primaryKey(table, start),
  }
}
