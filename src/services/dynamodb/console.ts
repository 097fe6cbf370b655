// What the web console shows of DynamoDB (services/console-view.ts): tables with their status, keys,
// indexes and item counts, and their first items as plain JSON (numbers and sets as DynamoDB holds them).
import { type ConsoleDetail, type ConsoleItem, type ConsoleView, isoTime } from '../console-view.ts'
import type { AttributeValue, Item } from './attribute-value.ts'
import type { DynamoState } from './store.ts'
import type { Table } from './table.ts'

/** Items a table's detail shows (scan order). */
const shown = 100

export function dynamodbConsole(state: DynamoState): ConsoleView {
  const find = (id: string) => state.allTables().find((t) => t.arn === id || t.name === id)
  return {
    list: (type) => (type === 'table' ? state.allTables().map((t) => item(t, state.clock.now())) : []),
    detail: (type, id) => {
      const table = type === 'table' ? find(id) : undefined
      return table === undefined ? undefined : detail(table, state.clock.now())
    },
  }
}

function item(table: Table, now: number): ConsoleItem {
  const { def } = table
  return { id: table.arn, name: table.name, arn: table.arn, account: def.account, region: def.region,
    fields: { status: table.status(now), items: table.items.size, partitionKey: def.key.hash, sortKey: def.key.range ?? null,
      billing: def.billingMode, created: isoTime(def.creationTime) } }
}

function detail(table: Table, now: number): ConsoleDetail {
  const items: Record<string, unknown>[] = []
  outer: for (const partition of table.items.partitions.values()) {
    for (const entry of partition.entries) {
      if (items.length >= shown) break outer
      items.push(plainItem(entry.item))
    }
  }
  const names = [...new Set(items.flatMap((i) => Object.keys(i)))]
  const { def } = table
  const keyFirst = [def.key.hash, ...(def.key.range === undefined ? [] : [def.key.range])]
  const columns = [...keyFirst, ...names.filter((n) => !keyFirst.includes(n)).slice(0, 8)].map((key) => ({ key, label: key }))
  return {
    item: item(table, now),
    sections: [
      { title: `Items (first ${shown})`, kind: 'table', data: { columns, rows: items.map((i) => Object.fromEntries(Object.entries(i)
        .map(([k, v]) => [k, typeof v === 'object' && v !== null ? JSON.stringify(v) : v]))) } },
      { title: 'Table', kind: 'kv', data: { Arn: table.arn, Status: table.status(now), PartitionKey: def.key.hash, SortKey: def.key.range ?? null,
        BillingMode: def.billingMode, ItemCount: table.items.size, SizeBytes: table.bytes, Stream: def.streamArn ?? null,
        TimeToLive: def.ttl?.enabled === true ? def.ttl.attributeName : null, DeletionProtection: def.deletionProtection } },
      { title: 'Indexes', kind: 'table', data: { columns: [{ key: 'name', label: 'Index' }, { key: 'kind', label: 'Kind' },
        { key: 'keys', label: 'Keys' }],
      rows: def.indexes.map((x) => ({ name: x.name, kind: x.kind, keys: [x.key.hash, x.key.range].filter(Boolean).join(', ') })) } },
      { title: 'Tags', kind: 'kv', data: { ...def.tags } },
    ],
  }
}

function plainItem(item: Item): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, plain(value)]))
}

/** An attribute value as plain JSON: S → string, N → its exact decimal text as a number when safe, B → base64, sets → arrays. */
function plain(value: AttributeValue): unknown {
  const v = value as Record<string, unknown>
  if ('S' in v) return v['S']
  if ('N' in v) return safeNumber(v['N'] as string)
  if ('BOOL' in v) return v['BOOL']
  if ('NULL' in v) return null
  if ('B' in v) return Buffer.from(v['B'] as Uint8Array).toString('base64')
  if ('SS' in v) return v['SS']
  if ('NS' in v) return (v['NS'] as string[]).map(safeNumber)
  if ('BS' in v) return (v['BS'] as Uint8Array[]).map((b) => Buffer.from(b).toString('base64'))
  if ('L' in v) return (v['L'] as AttributeValue[]).map(plain)
  if ('M' in v) return plainItem(v['M'] as Item)
  return v
}

function safeNumber(text: string): number | string {
  const n = Number(text)
  return Number.isSafeInteger(n) || (Number.isFinite(n) && String(n) === text) ? n : text
}
