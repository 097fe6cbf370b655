// The tables of every account and region, item writes that keep rows in step, and TransactWriteItems'
// remembered client tokens. Status transitions are computed from stored instants on read (no timers).
import type { Clock } from '../../core/clock.ts'
import { AccountRegionStore } from '../../storage/account-region-store.ts'
import type { Item } from './attribute-value.ts'
import type { DynamoRows, TokenRow } from './dynamodb-rows.ts'
import { dynamoErrors } from './errors.ts'
import { primaryKey } from './keys.ts'
import { limits } from './limits.ts'
import { Table, type TableDefinition } from './table.ts'

export class DynamoState {
  readonly clock: Clock
  readonly rows: DynamoRows | undefined
  private readonly regions = new AccountRegionStore(() => new Map<string, Table>())
  private readonly tokens = new Map<string, TokenRow>()

  constructor(clock: Clock, rows?: DynamoRows) {
    this.clock = clock
    this.rows = rows
    if (rows !== undefined) this.load(rows)
  }

  /** Reads every table, item and token back (writing nothing). */
  private load(rows: DynamoRows): void {
    const { tables, items, tokens } = rows.load()
    const byId = new Map<string, Table>()
    for (const def of tables) {
      const table = new Table(def)
      this.regions.get(def.account, def.region).set(def.name, table)
      byId.set(def.id, table)
    }
    for (const { tableId, item } of items) byId.get(tableId)?.put(item)
    for (const [scope, row] of tokens) this.tokens.set(scope, row)
  }

  tables(account: string, region: string): Map<string, Table> {
    return this.regions.get(account, region)
  }

  /** The table by name or ARN, unless a deletion has completed (then it is dropped for good). */
  find(account: string, region: string, nameOrArn: string): Table | undefined {
    const name = nameOrArn.startsWith('arn:') ? nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1) : nameOrArn
    const tables = this.regions.peek(account, region)
    const table = tables?.get(name)
    if (table === undefined) return undefined
    if (table.def.goneAt !== undefined && this.clock.now() >= table.def.goneAt) {
      tables!.delete(name)
      this.rows?.tableGone(table.def)
      return undefined
    }
    return table
  }

  /** Control-plane calls: "Requested resource not found: Table: <name> not found". */
  require(account: string, region: string, name: string): Table {
    const table = this.find(account, region, name)
    if (table === undefined) throw dynamoErrors.tableNotFound(name)
    return table
  }

  /** Data-plane calls need the table ACTIVE (or UPDATING): else "Requested resource not found". */
  active(account: string, region: string, name: string): Table {
    const table = this.find(account, region, name)
    if (table === undefined) throw dynamoErrors.resourceNotFound()
    const status = table.status(this.clock.now())
    if (status === 'CREATING' || status === 'DELETING') throw dynamoErrors.resourceNotFound()
    return table
  }

  create(def: TableDefinition): Table {
    const tables = this.tables(def.account, def.region)
    if (this.find(def.account, def.region, def.name) !== undefined) throw dynamoErrors.tableExists(def.name)
    const table = new Table(def)
    tables.set(def.name, table)
    this.rows?.table(def)
    return table
  }

  saved(table: Table): void {
    this.rows?.table(table.def)
  }

  /** DeleteTable: DELETING for a moment on the clock, its items gone at once. */
  delete(table: Table): void {
    table.def.goneAt = this.clock.now() + limits.transitionMs
    if (this.rows !== undefined) {
      for (const partition of table.items.partitions.values()) {
        for (const entry of partition.entries) this.rows.itemGone(table.def.id, primaryKey(table.def.key, entry.item))
      }
    }
    table.clearItems()
    this.rows?.table(table.def)
  }

  /** Stores an item (validated and sized by the caller); returns the one it replaced. */
  putItem(table: Table, item: Item): Item | undefined {
    const old = table.put(item)
    this.rows?.item(table.def.id, primaryKey(table.def.key, item), item)
    return old
  }

  deleteItem(table: Table, key: Item): Item | undefined {
    const old = table.delete(key)
    if (old !== undefined) this.rows?.itemGone(table.def.id, primaryKey(table.def.key, key))
    return old
  }

  /** A TransactWriteItems token seen in the last 10 minutes, else undefined (expired ones are dropped). */
  token(scope: string): TokenRow | undefined {
    const row = this.tokens.get(scope)
    if (row !== undefined && this.clock.now() - row.at >= limits.idempotencyWindowMs) {
      this.tokens.delete(scope)
      this.rows?.tokenGone(scope)
      return undefined
    }
    return row
  }

  remember(scope: string, row: TokenRow): void {
    this.tokens.set(scope, row)
    this.rows?.token(scope, row)
  }

  allTables(): Table[] {
    return [...this.regions.all()].flatMap((m) => [...m.values()])
  }

  reset(): void {
    this.regions.clear()
    this.tokens.clear()
    this.rows?.clear()
  }
}
