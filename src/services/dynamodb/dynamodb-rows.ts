// DynamoDB's durable state as rows of the persistence layer (docs/persistence.md): one row per table
// (its definition, status instants included), one per item, one per remembered transaction token,
// one per stream (its definition) and one per stream record (trimmed after 24 h like the record), one
// per on-demand backup (its items inside) and, for tables with point-in-time recovery, the items as
// they were when it was turned on (or 35 days ago) and every change since.
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

/** Key: the backup's ARN. */
export interface BackupDefinition {
  arn: string
  name: string
  account: string
  region: string
  createdAt: number
  /** The source table's definition when the backup was made (its items below). */
  table: Pick<TableDefinition, 'name' | 'id' | 'creationTime' | 'key' | 'attributeDefinitions' | 'billingMode' | 'throughput' | 'indexes' | 'tableClass'>
  tableArn: string
  bytes: number
  /** DynamoDB JSON (binary as base64). */
  items: Record<string, unknown>[]
  /** The TTL setting and stream view type DescribeBackup reports as the source's features. */
  ttl?: { attributeName: string; enabled: boolean }
  streamViewType?: string
}

/** The history's own row: when PITR was turned on and the next change's sequence number. */
export interface PitrRow {
  since: number
  seq: number
}

export interface PitrChangeRow {
  t: string
  seq: number
  at: number
  k: string
  /** The item after the change; null when it was deleted. */
  i: Record<string, unknown> | null
}

/** Key: the export's ARN (its objects are in S3). */
export interface ExportDefinition {
  arn: string
  id: string
  account: string
  region: string
  tableArn: string
  tableId: string
  startTime: number
  exportTime: number
  clientToken?: string
  bucket: string
  bucketOwner?: string
  prefix?: string
  sse?: string
  kmsKeyId?: string
  format: 'DYNAMODB_JSON' | 'ION'
  type: 'FULL_EXPORT' | 'INCREMENTAL_EXPORT'
  incremental?: { from: number; to: number; viewType: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES' }
  itemCount: number
  billedBytes: number
  failure?: { code: string; message: string }
}

/** Key: the import's ARN (its table is an ordinary table). */
export interface ImportDefinition {
  arn: string
  account: string
  region: string
  tableArn: string
  tableId: string
  startTime: number
  clientToken?: string
  /** ImportTable's request as given (S3BucketSource, formats, TableCreationParameters), echoed by DescribeImport. */
  request: Record<string, unknown>
  processedBytes: number
  processedItems: number
  importedItems: number
  errors: number
  failure?: { code: string; message: string }
}

export class DynamoRows {
  private readonly tables: RowTable<TableDefinition>
  private readonly items: RowTable<ItemRow>
  private readonly tokens: RowTable<TokenRow>
  private readonly streams: RowTable<StreamDefinition>
  private readonly records: RowTable<StreamRecordRow>
  private readonly backups: RowTable<BackupDefinition>
  private readonly pitr: RowTable<PitrRow>
  private readonly pitrBase: RowTable<ItemRow>
  private readonly pitrChanges: RowTable<PitrChangeRow>
  private readonly exports: RowTable<ExportDefinition>
  private readonly imports: RowTable<ImportDefinition>

  constructor(persistence: Persistence) {
    this.tables = persistence.table('dynamodb_tables')
    this.items = persistence.table('dynamodb_items')
    this.tokens = persistence.table('dynamodb_tokens')
    this.streams = persistence.table('dynamodb_streams')
    this.records = persistence.table('dynamodb_stream_records')
    this.backups = persistence.table('dynamodb_backups')
    this.pitr = persistence.table('dynamodb_pitr')
    this.pitrBase = persistence.table('dynamodb_pitr_base')
    this.pitrChanges = persistence.table('dynamodb_pitr_changes')
    this.exports = persistence.table('dynamodb_exports')
    this.imports = persistence.table('dynamodb_imports')
  }

  importRow(def: ImportDefinition): void {
    this.imports.put(def.arn, def)
  }
  loadImports(): ImportDefinition[] {
    return this.imports.load().map(([, def]) => def)
  }

  exportRow(def: ExportDefinition): void {
    this.exports.put(def.arn, def)
  }
  loadExports(): ExportDefinition[] {
    return this.exports.load().map(([, def]) => def)
  }

  backup(def: BackupDefinition): void {
    this.backups.put(def.arn, def)
  }
  backupGone(arn: string): void {
    this.backups.delete(arn)
  }

  /** Key: the table id. */
  pitrHistory(tableId: string, row: PitrRow | undefined): void {
    if (row === undefined) this.pitr.delete(tableId)
    else this.pitr.put(tableId, row)
  }
  /** Key `<table id>/<primary key string>`: the item as it was at the start of the window. */
  pitrBaseItem(tableId: string, key: string, item: Record<string, unknown> | undefined): void {
    if (item === undefined) this.pitrBase.delete(`${tableId}/${key}`)
    else this.pitrBase.put(`${tableId}/${key}`, { t: tableId, i: item })
  }
  /** Key `<table id>|<sequence>`. */
  pitrChange(tableId: string, seq: number, row: PitrChangeRow | undefined): void {
    if (row === undefined) this.pitrChanges.delete(`${tableId}|${seq}`)
    else this.pitrChanges.put(`${tableId}|${seq}`, row)
  }

  loadBackups(): { backups: BackupDefinition[]; pitr: [string, PitrRow][]; base: ItemRow[]; changes: PitrChangeRow[] } {
    return {
      backups: this.backups.load().map(([, def]) => def),
      pitr: this.pitr.load(),
      base: this.pitrBase.load().map(([, row]) => row),
      changes: this.pitrChanges.load().map(([, row]) => row),
    }
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
    for (const t of [this.tables, this.items, this.tokens, this.streams, this.records, this.backups, this.pitr, this.pitrBase, this.pitrChanges, this.exports, this.imports] as RowTable<unknown>[]) t.clear()
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
