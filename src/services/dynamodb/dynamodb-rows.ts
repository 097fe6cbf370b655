// DynamoDB's durable state as rows of the persistence layer (docs/persistence.md): one row per table
// (its definition, status instants included), one per item, one per remembered transaction token.
// Only built with a data dir: in memory nothing is written.
import type { Persistence, Table as RowTable } from '../../storage/persistence/persistence.ts'
import { type Item, fromJsonItem, toJsonItem } from './attribute-value.ts'
import type { TableDefinition } from './table.ts'

/** Key `<table id>/<primary key string>`. */
export interface ItemRow {
  t: string
  i: Record<string, unknown>
}

/** Key `<account>/<region>/<token>`. */
export interface TokenRow {
  fingerprint: string
  at: number
  /** The answer the first request got (ConsumedCapacity and ItemCollectionMetrics are not kept). */
  output: unknown
}

export class DynamoRows {
  private readonly tables: RowTable<TableDefinition>
  private readonly items: RowTable<ItemRow>
  private readonly tokens: RowTable<TokenRow>

  constructor(persistence: Persistence) {
    this.tables = persistence.table('dynamodb_tables')
    this.items = persistence.table('dynamodb_items')
    this.tokens = persistence.table('dynamodb_tokens')
  }

  table(def: TableDefinition): void {
    this.tables.put(`${def.account}/${def.region}/${def.name}`, def)
  }
  tableGone(def: TableDefinition): void {
    this.tables.delete(`${def.account}/${def.region}/${def.name}`)
  }

  item(tableId: string, key: string, item: Item): void {
    this.items.put(`${tableId}/${key}`, { t: tableId, i: toJsonItem(item) })
  }
  itemGone(tableId: string, key: string): void {
    this.items.delete(`${tableId}/${key}`)
  }

  token(scope: string, row: TokenRow): void {
    this.tokens.put(scope, row)
  }
  tokenGone(scope: string): void {
    this.tokens.delete(scope)
  }

  clear(): void {
    for (const t of [this.tables, this.items, this.tokens] as RowTable<unknown>[]) t.clear()
  }

  load(): { tables: TableDefinition[]; items: { tableId: string; item: Item }[]; tokens: [string, TokenRow][] } {
    return {
      tables: this.tables.load().map(([, def]) => def),
      items: this.items.load().map(([, row]) => ({ tableId: row.t, item: fromJsonItem(row.i as Record<string, Record<string, unknown>>) })),
      tokens: this.tokens.load(),
    }
  }
}
