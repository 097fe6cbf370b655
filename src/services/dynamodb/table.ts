// One DynamoDB table: its definition (keys, billing, indexes, tags), its status on the clock
// (CREATING → ACTIVE, UPDATING → ACTIVE, DELETING → gone) and its items with their index entries.
import { type Item, itemSize } from './attribute-value.ts'
import { Collection, type Entry } from './collection.ts'
import { indexEntryKey, type KeySchema, primaryKey, type ScalarType, valueKey } from './keys.ts'
import { limits } from './limits.ts'
import type { TableMetrics } from './metrics.ts'

export type ProjectionType = 'ALL' | 'KEYS_ONLY' | 'INCLUDE'
export type BillingMode = 'PROVISIONED' | 'PAY_PER_REQUEST'

export interface Throughput {
  read: number
  write: number
}

export interface IndexDefinition {
  name: string
  kind: 'GSI' | 'LSI'
  key: KeySchema
  projection: { type: ProjectionType; nonKeyAttributes?: string[] }
  throughput?: Throughput
  /** A GSI added by UpdateTable is CREATING (backfilling) until this instant. */
  activeAt?: number
}

/** A Kinesis streaming destination (kinesis-destinations.ts puts the records). */
export interface KinesisDestination {
  streamArn: string
  enabled: boolean
  /** When it was last enabled or disabled (ENABLING/DISABLING until the transition time has passed). */
  at: number
  precision: 'MILLISECOND' | 'MICROSECOND'
}

export interface TableDefinition {
  name: string
  account: string
  region: string
  id: string
  creationTime: number
  key: KeySchema
  attributeDefinitions: { AttributeName: string; AttributeType: ScalarType }[]
  billingMode: BillingMode
  throughput: Throughput
  /** When the billing mode last went to PAY_PER_REQUEST (DescribeTable's BillingModeSummary). */
  billingModeChanged?: number
  indexes: IndexDefinition[]
  /** GSIs removed by UpdateTable: DELETING in DescribeTable until their instant, no longer maintained. */
  deletingIndexes?: (IndexDefinition & { goneAt: number })[]
  deletionProtection: boolean
  /** The latest stream's ARN (DescribeTable's LatestStreamArn; the stream itself lives in the store). */
  streamArn?: string
  /** UpdateTimeToLive's setting (expired items are deleted by ttl-sweeper.ts). */
  ttl?: { attributeName: string; enabled: boolean }
  /** UpdateContinuousBackups' point-in-time recovery flag (no backups are kept: README, Gaps). */
  pitr?: boolean
  /** Kinesis streaming destinations (kinesis-destinations.ts), enabled or disabled. */
  kinesis?: KinesisDestination[]
  tableClass: string
  tags: Record<string, string>
  /** The table is ACTIVE from this instant (CREATING or UPDATING before it). */
  activeAt: number
  /** Set while CREATING or UPDATING: which of the two. */
  transition?: 'CREATING' | 'UPDATING'
  /** Set on a table restored from a backup or a point in time (DescribeTable's RestoreSummary). */
  restore?: { sourceBackupArn?: string; sourceTableArn: string; restoreDateTime: number }
  /** Set by DeleteTable: the table is gone from this instant (DELETING before it). */
  goneAt?: number
}

export type TableStatus = 'CREATING' | 'UPDATING' | 'ACTIVE' | 'DELETING'

export class Table {
  readonly def: TableDefinition
  readonly items = new Collection()
  readonly indexes = new Map<string, Collection>()
  /** Sum of the items' sizes (DescribeTable's TableSizeBytes). */
  bytes = 0
  /** The larger of the old and new item's sizes in the last put or delete (a write's capacity units come from it). */
  lastWriteBytes = 0
  /** Its AWS/DynamoDB counters (set by the state when the table is created or loaded). */
  metrics: TableMetrics | undefined

  constructor(def: TableDefinition) {
    this.def = def
    for (const index of def.indexes) this.indexes.set(index.name, new Collection())
  }

  get name(): string {
    return this.def.name
  }

  get arn(): string {
    return `arn:aws:dynamodb:${this.def.region}:${this.def.account}:table/${this.def.name}`
  }

  status(now: number): TableStatus {
    if (this.def.goneAt !== undefined) return 'DELETING'
    if (this.def.transition !== undefined && now < this.def.activeAt) return this.def.transition
    return 'ACTIVE'
  }

  index(name: string): IndexDefinition | undefined {
    return this.def.indexes.find((i) => i.name === name)
  }

  /** UpdateTable's Create: the index starts empty and is backfilled from every item (wrong-typed keys are skipped, as AWS's backfill reports them instead of failing). */
  addIndex(index: IndexDefinition): void {
    this.def.indexes.push(index)
    const collection = new Collection()
    this.indexes.set(index.name, collection)
    for (const partition of this.items.partitions.values()) {
      for (const { item } of partition.entries) {
        let member = false
        try {
          member = indexEntryKey(index.key, index.name, item)
        } catch {
          member = false
        }
        if (member) collection.put(indexEntry(index, item, primaryKey(this.def.key, item)))
      }
    }
  }

  /** UpdateTable's Delete: the index stops being maintained and is DELETING until `goneAt`. */
  removeIndex(name: string, goneAt: number): void {
    const index = this.index(name)!
    this.def.indexes = this.def.indexes.filter((i) => i !== index)
    this.indexes.delete(name)
    ;(this.def.deletingIndexes ??= []).push({ ...index, goneAt })
  }

  get(key: Item): Item | undefined {
    return this.getEntry(key)?.item
  }

  /** The stored entry: the item and its size. */
  getEntry(key: Item): Entry | undefined {
    const schema = this.def.key
    return this.items.get(valueKey(key[schema.hash]!), schema.range === undefined ? undefined : key[schema.range])
  }

  /** Checks an item's index key attributes (types, emptiness); true per index it belongs to. */
  indexMembership(item: Item): boolean[] {
    return this.def.indexes.map((index) => indexEntryKey(index.key, index.name, item))
  }

  /** Stores an item (replacing the one with its key) and its index entries; returns the old item. */
  put(item: Item): Item | undefined {
    const schema = this.def.key
    const old = this.delete(item)
    const size = itemSize(item)
    this.items.put({ item, pk: valueKey(item[schema.hash]!), sk: schema.range === undefined ? undefined : item[schema.range], tie: '', size })
    this.bytes += size
    if (size > this.lastWriteBytes) this.lastWriteBytes = size
    const tie = primaryKey(schema, item)
    this.def.indexes.forEach((index) => {
      if (!indexEntryKey(index.key, index.name, item)) return
      this.indexes.get(index.name)!.put(indexEntry(index, item, tie))
    })
    return old
  }

  /** Removes the item with this key and its index entries; returns it. */
  delete(key: Item): Item | undefined {
    const schema = this.def.key
    const removed = this.items.delete(valueKey(key[schema.hash]!), schema.range === undefined ? undefined : key[schema.range])
    this.lastWriteBytes = removed === undefined ? 0 : removed.size
    if (removed === undefined) return undefined
    const old = removed.item
    this.bytes -= removed.size
    const tie = primaryKey(schema, old)
    for (const index of this.def.indexes) {
      if (old[index.key.hash] === undefined || (index.key.range !== undefined && old[index.key.range] === undefined)) continue
      const entry = indexEntry(index, old, tie)
      this.indexes.get(index.name)!.delete(entry.pk, entry.sk, tie)
    }
    return old
  }

  clearItems(): void {
    this.items.clear()
    for (const c of this.indexes.values()) c.clear()
    this.bytes = 0
  }

  /** The key schema a Query or Scan reads by, and the collection: the table's or an index's. */
  source(indexName: string | undefined): { key: KeySchema; collection: Collection; index?: IndexDefinition } {
    if (indexName === undefined) return { key: this.def.key, collection: this.items }
    const index = this.index(indexName)!
    return { key: index.key, collection: this.indexes.get(indexName)!, index }
  }

  describeThroughputDefaults(): Throughput {
    return this.def.billingMode === 'PAY_PER_REQUEST' ? { read: 0, write: 0 } : this.def.throughput
  }
}

function indexEntry(index: IndexDefinition, item: Item, tie: string): Entry {
  return { item, pk: valueKey(item[index.key.hash]!), sk: index.key.range === undefined ? undefined : item[index.key.range], tie, size: 0 }
}

/** An item as an index holds it: its projection (keys of the table and the index always). */
export function projectForIndex(index: IndexDefinition, table: KeySchema, item: Item): Item {
  if (index.projection.type === 'ALL') return item
  const names = new Set([table.hash, index.key.hash])
  if (table.range !== undefined) names.add(table.range)
  if (index.key.range !== undefined) names.add(index.key.range)
  for (const n of index.projection.nonKeyAttributes ?? []) names.add(n)
  const out: Item = {}
  for (const n of names) if (item[n] !== undefined) out[n] = item[n]
  return out
}

export const transitionMs = limits.transitionMs
