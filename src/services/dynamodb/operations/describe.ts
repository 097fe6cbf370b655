// TableDescription as DescribeTable, CreateTable, UpdateTable and DeleteTable return it.
import { type Item, itemSize } from '../attribute-value.ts'
import type * as T from '../generated/types.ts'
import type { KeySchema } from '../keys.ts'
import type { Stream } from '../streams.ts'
import { type IndexDefinition, projectForIndex, type Table } from '../table.ts'

export function keySchemaOut(key: KeySchema): T.KeySchemaElement[] {
  const out: T.KeySchemaElement[] = [{ AttributeName: key.hash, KeyType: 'HASH' }]
  if (key.range !== undefined) out.push({ AttributeName: key.range, KeyType: 'RANGE' })
  return out
}

export function projectionOut(index: IndexDefinition): T.Projection {
  return index.projection.type === 'INCLUDE'
    ? { ProjectionType: 'INCLUDE', NonKeyAttributes: index.projection.nonKeyAttributes }
    : { ProjectionType: index.projection.type }
}

/** `stream`: the table's latest stream (StreamSpecification while it is enabled; LatestStreamArn and Label stay after). */
export function describeTable(table: Table, now: number, stream?: Stream): T.TableDescription {
  const def = table.def
  const status = table.status(now)
  const throughput = table.describeThroughputDefaults()
  const indexes = (kind: 'GSI' | 'LSI') => def.indexes.filter((i) => i.kind === kind)
  const deleting = status === 'DELETING'
  const gsis = indexes('GSI').map((index): T.GlobalSecondaryIndexDescription => {
    const collection = table.indexes.get(index.name)!
    const t = def.billingMode === 'PAY_PER_REQUEST' ? { read: 0, write: 0 } : index.throughput ?? { read: 0, write: 0 }
    const backfilling = index.activeAt !== undefined && now < index.activeAt
    return {
      IndexName: index.name, KeySchema: keySchemaOut(index.key), Projection: projectionOut(index),
      IndexStatus: status === 'CREATING' || backfilling ? 'CREATING' : deleting ? 'DELETING' : 'ACTIVE',
      ...(backfilling && { Backfilling: true }),
      ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: t.read, WriteCapacityUnits: t.write },
      IndexSizeBytes: deleting ? 0 : indexBytes(table, index.name), ItemCount: deleting ? 0 : collection.size,
      IndexArn: `${table.arn}/index/${index.name}`,
    }
  })
  // GSIs removed by UpdateTable show as DELETING until their instant.
  if (def.deletingIndexes !== undefined) def.deletingIndexes = def.deletingIndexes.filter((i) => now < i.goneAt)
  for (const index of def.deletingIndexes ?? []) {
    gsis.push({ IndexName: index.name, KeySchema: keySchemaOut(index.key), Projection: projectionOut(index), IndexStatus: 'DELETING',
      IndexSizeBytes: 0, ItemCount: 0, IndexArn: `${table.arn}/index/${index.name}`,
      ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: index.throughput?.read ?? 0, WriteCapacityUnits: index.throughput?.write ?? 0 } })
  }
  const lsis = indexes('LSI').map((index): T.LocalSecondaryIndexDescription => ({
    IndexName: index.name, KeySchema: keySchemaOut(index.key), Projection: projectionOut(index),
    IndexSizeBytes: indexBytes(table, index.name), ItemCount: table.indexes.get(index.name)!.size,
    IndexArn: `${table.arn}/index/${index.name}`,
  }))
  return {
    AttributeDefinitions: def.attributeDefinitions,
    TableName: def.name,
    KeySchema: keySchemaOut(def.key),
    TableStatus: status,
    CreationDateTime: new Date(def.creationTime),
    ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: throughput.read, WriteCapacityUnits: throughput.write },
    TableSizeBytes: table.bytes,
    ItemCount: table.items.size,
    TableArn: table.arn,
    TableId: def.id,
    ...(def.billingMode === 'PAY_PER_REQUEST' && {
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: new Date(def.billingModeChanged ?? def.creationTime) },
    }),
    ...(lsis.length > 0 && { LocalSecondaryIndexes: lsis }),
    ...(gsis.length > 0 && { GlobalSecondaryIndexes: gsis }),
    ...(stream?.enabled() === true && { StreamSpecification: { StreamEnabled: true, StreamViewType: stream.def.viewType } }),
    ...(stream !== undefined && { LatestStreamLabel: stream.def.label, LatestStreamArn: stream.def.arn }),
    ...(def.tableClass !== 'STANDARD' && { TableClassSummary: { TableClass: def.tableClass as T.TableClass } }),
    DeletionProtectionEnabled: def.deletionProtection,
    ...(def.restore !== undefined && { RestoreSummary: {
      ...(def.restore.sourceBackupArn !== undefined && { SourceBackupArn: def.restore.sourceBackupArn }),
      SourceTableArn: def.restore.sourceTableArn, RestoreDateTime: new Date(def.restore.restoreDateTime), RestoreInProgress: status === 'CREATING',
    } }),
  }
}

function indexBytes(table: Table, name: string): number {
  let bytes = 0
  for (const p of table.indexes.get(name)!.partitions.values()) for (const e of p.entries) bytes += sizeOfProjected(table, name, e.item)
  return bytes
}

function sizeOfProjected(table: Table, name: string, item: Item): number {
  return itemSize(projectForIndex(table.index(name)!, table.def.key, item))
}
