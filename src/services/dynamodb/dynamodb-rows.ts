// DynamoDB's durable state as rows of the persistence layer (docs/persistence.md): one row per table
// (its definition, status instants included), one per item, one per remembered transaction token,
// one per stream (its definition) and one per stream record (trimmed after 24 h like the record).
// Only built with a data dir: in memory nothing is written.
import type { Persistence, Table as RowTable } from '../../storage/persistence/persistence.ts'
import { type Item, fromJsonItem, toJsonItem } from './attribute-value.ts'
import type { StreamDefinition, StreamRecord } from './streams.ts'
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

/** Key `<stream ARN>|<sequence number>`; images as DynamoDB JSON (binary as base64). */
export interface StreamRecordRow extends Omit<StreamRecord, 'keys' | 'newImage' | 'oldImage'> {
  s: string
  keys: Record<string, unknown>
  newImage?: Record<string, unknown>
  oldImage?: Record<string, unknown>
}

type JsonItem = Record<string, Record<string, unknown>>

export class DynamoRows {
  private readonly tables: RowTable<TableDefinition>
  private readonly items: RowTable<ItemRow>
  private readonly tokens: RowTable<TokenRow>
  private readonly streams: RowTable<StreamDefinition>
  private readonly records: RowTable<StreamRecordRow>

  constructor(persistence: Persistence) {
    this.tables = persistence.table('dynamodb_tables')
    this.items = persistence.table('dynamodb_items')
    this.tokens = persistence.table('dynamodb_tokens')
    this.streams = persistence.table('dynamodb_streams')
    this.records = persistence.table('dynamodb_stream_records')
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

  stream(def: StreamDefinition): void {
    this.streams.put(def.arn, def)
  }
  streamGone(arn: string): void {
    this.streams.delete(arn)
  }
  streamRecord(arn: string, r: StreamRecord): void {
    this.records.put(`${arn}|${r.seq}`, {
      ...r, s: arn, keys: toJsonItem(r.keys),
      ...(r.newImage !== undefined && { newImage: toJsonItem(r.newImage) }), ...(r.oldImage !== undefined && { oldImage: toJsonItem(r.oldImage) }),
    })
  }
  streamRecordGone(arn: string, seq: string): void {
    this.records.delete(`${arn}|${seq}`)
  }

  clear(): void {
    for (const t of [this.tables, this.items, this.tokens, this.streams, this.records] as RowTable<unknown>[]) t.clear()
  }

  loadStreams(): { streams: StreamDefinition[]; records: { arn: string; record: StreamRecord }[] } {
    return {
      streams: this.streams.load().map(([, def]) => def),
      records: this.records.load().map(([, row]) => {
        const { s, keys, newImage, oldImage, ...rest } = row
        return { arn: s, record: {
          ...rest, keys: fromJsonItem(keys as JsonItem),
          ...(newImage !== undefined && { newImage: fromJsonItem(newImage as JsonItem) }),
          ...(oldImage !== undefined && { oldImage: fromJsonItem(oldImage as JsonItem) }),
        } }
      }),
    }
  }

  load(): { tables: TableDefinition[]; items: { tableId: string; item: Item }[]; tokens: [string, TokenRow][] } {
    return {
      tables: this.tables.load().map(([, def]) => def),
      items: this.items.load().map(([, row]) => ({ tableId: row.t, item: fromJsonItem(row.i as Record<string, Record<string, unknown>>) })),
      tokens: this.tokens.load(),
    }
  }
}
