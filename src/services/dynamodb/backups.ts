// On-demand backups: a copy of a table's definition and items at an instant, CREATING for the
// transition time on the clock and AVAILABLE after, kept until DeleteBackup (its table may go).
import { randomBytes } from 'node:crypto'
import { type Item, itemSize, toJsonItem } from './attribute-value.ts'
import type { BackupDefinition, DynamoRows } from './dynamodb-rows.ts'
import { limits } from './limits.ts'
import type { IndexDefinition, Table } from './table.ts'

export type { BackupDefinition }

export type BackupStatus = 'CREATING' | 'AVAILABLE'

export function backupStatus(b: BackupDefinition, now: number): BackupStatus {
  return now < b.createdAt + limits.transitionMs ? 'CREATING' : 'AVAILABLE'
}

export class Backups {
  private readonly byArn = new Map<string, BackupDefinition>()
  private readonly rows: DynamoRows | undefined

  constructor(rows: DynamoRows | undefined) {
    this.rows = rows
  }

  /** A backup of the table as it is now. ARN as AWS forms it: `…:table/<name>/backup/<14-digit ms>-<8 hex>`. */
  create(table: Table, name: string, now: number, streamViewType: string | undefined): BackupDefinition {
    const items: Item[] = []
    for (const partition of table.items.partitions.values()) for (const { item } of partition.entries) items.push(item)
    const d = table.def
    const def: BackupDefinition = {
      arn: `${table.arn}/backup/${String(now).padStart(14, '0')}-${randomBytes(4).toString('hex')}`,
      name, account: d.account, region: d.region, createdAt: now,
      table: { name: d.name, id: d.id, creationTime: d.creationTime, key: d.key, attributeDefinitions: d.attributeDefinitions,
        billingMode: d.billingMode, throughput: d.throughput, indexes: settledIndexes(d.indexes), tableClass: d.tableClass },
      tableArn: table.arn,
      bytes: items.reduce((n, i) => n + itemSize(i), 0),
      items: items.map(toJsonItem),
      ...(d.ttl?.enabled === true && { ttl: d.ttl }),
      ...(streamViewType !== undefined && { streamViewType }),
    }
    this.byArn.set(def.arn, def)
    this.rows?.backup(def)
    return def
  }

  get(arn: string): BackupDefinition | undefined {
    return this.byArn.get(arn)
  }

  delete(arn: string): void {
    this.byArn.delete(arn)
    this.rows?.backupGone(arn)
  }

  /** The account's and region's backups, oldest first. */
  list(account: string, region: string): BackupDefinition[] {
    return [...this.byArn.values()].filter((b) => b.account === account && b.region === region)
      .sort((a, b) => a.createdAt - b.createdAt || (a.arn < b.arn ? -1 : 1))
  }

  load(defs: BackupDefinition[]): void {
    for (const def of defs) this.byArn.set(def.arn, def)
  }

  reset(): void {
    this.byArn.clear()
  }
}

/** Index definitions as a restore recreates them (no backfill instant). */
export function settledIndexes(indexes: IndexDefinition[]): IndexDefinition[] {
  return indexes.map((i) => ({ name: i.name, kind: i.kind, key: i.key, projection: i.projection, ...(i.throughput !== undefined && { throughput: i.throughput }) }))
}
