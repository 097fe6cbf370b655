// The tables of every account and region, item writes that keep rows in step, and TransactWriteItems'
// remembered client tokens, the tables' streams (a record per item change) and TTL expiry (ttl-sweeper.ts).
// Status transitions are computed from stored instants on read (no timers).
import type { Clock } from '../../core/clock.ts'
import { EventChannel } from '../../core/events.ts'
import { AccountRegionStore } from '../../storage/account-region-store.ts'
import { type Item, fromJsonItem } from './attribute-value.ts'
import { Backups } from './backups.ts'
import type { DynamoRows, TokenRow } from './dynamodb-rows.ts'
import { dynamoErrors } from './errors.ts'
import { primaryKey } from './keys.ts'
import type { KinesisPort } from '../kinesis/port.ts'
import { Exports } from './exports.ts'
import { Imports } from './imports.ts'
import { publishChange } from './kinesis-destinations.ts'
import { limits } from './limits.ts'
import { DynamoMetrics } from './metrics.ts'
import { PitrLog } from './pitr.ts'
import { compareSeq, retentionMs, Stream, type StreamViewType } from './streams.ts'
import { Table, type TableDefinition } from './table.ts'
import { ttlDueAt as ttlDueAtOf, TtlSweeper } from './ttl-sweeper.ts'

export class DynamoState {
  readonly clock: Clock
  readonly rows: DynamoRows | undefined
  private readonly regions = new AccountRegionStore(() => new Map<string, Table>())
  private readonly tokens = new Map<string, TokenRow>()
  /** Every stream by ARN: enabled ones, and disabled ones for the 24 h their records stay readable. */
  private readonly streams = new Map<string, Stream>()
  readonly ttl: TtlSweeper
  readonly backups: Backups
  readonly pitr: PitrLog
  readonly exports: Exports
  readonly imports: Imports
  /** Kinesis streaming destinations put their records through it (absent: none are served). */
  kinesis: KinesisPort | undefined
  /** AWS/DynamoDB's per-minute counters (in memory, as every service's metrics are). */
  readonly metrics: DynamoMetrics
  /**
   * The table the current request resolved (activeTable sets it), for its latency; undefined after a
   * request that named several.
   */
  requestTable: Table | undefined
  requestTables = 0

  constructor(clock: Clock, rows?: DynamoRows, metricsChanged: (account: string, region: string) => void = () => {}) {
    this.clock = clock
    this.rows = rows
    this.metrics = new DynamoMetrics(clock, metricsChanged)
    this.ttl = new TtlSweeper(clock, (due, now) => this.expire(due, now))
    this.backups = new Backups(rows)
    this.pitr = new PitrLog(rows)
    this.exports = new Exports(rows)
    this.imports = new Imports(rows)
    if (rows !== undefined) this.load(rows)
  }

  /** Reads every table, item and token back (writing nothing). */
  private load(rows: DynamoRows): void {
    const { tables, items, tokens } = rows.load()
    const byId = new Map<string, Table>()
    for (const def of tables) {
      const table = new Table(def)
      this.watch(table)
      this.regions.get(def.account, def.region).set(def.name, table)
      byId.set(def.id, table)
    }
    for (const { tableId, item } of items) byId.get(tableId)?.put(item)
    for (const [scope, row] of tokens) this.tokens.set(scope, row)
    const stored = rows.loadStreams()
    for (const def of stored.streams) this.streams.set(def.arn, new Stream(def))
    stored.records.sort((a, b) => compareSeq(a.record.seq, b.record.seq))
    for (const { arn, record } of stored.records) this.streams.get(arn)?.restore(record)
    for (const table of byId.values()) if (table.def.ttl?.enabled === true && table.def.goneAt === undefined) this.ttl.watchAll(table)
    const saved = rows.loadBackups()
    this.backups.load(saved.backups)
    this.exports.load(rows.loadExports())
    this.imports.load(rows.loadImports())
    this.pitr.load(saved, (tableId, item) => {
      const table = byId.get(tableId)
      return table === undefined ? undefined : primaryKey(table.def.key, fromJsonItem(item as Record<string, Record<string, unknown>>))
    })
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
    this.watch(table)
    tables.set(def.name, table)
    this.rows?.table(def)
    return table
  }

  /** Gives a table its metrics and records its provisioned capacity from now on (CreateTable, UpdateTable, load). */
  watch(table: Table): void {
    const def = table.def
    table.metrics ??= this.metrics.forTable(def.account, def.region, def.name)
    const now = this.clock.now()
    const provisioned = def.billingMode === 'PROVISIONED' && def.goneAt === undefined
    table.metrics.setProvisioned('', now, provisioned ? def.throughput.read : 0, provisioned ? def.throughput.write : 0)
    for (const index of def.indexes) {
      if (index.kind !== 'GSI') continue
      const t = provisioned ? index.throughput : undefined
      table.metrics.setProvisioned(index.name, now, t?.read ?? 0, t?.write ?? 0)
    }
  }

  saved(table: Table): void {
    this.rows?.table(table.def)
  }

  /** DeleteTable: DELETING for a moment on the clock, its items gone at once (no stream records), its stream disabled. */
  delete(table: Table): void {
    table.def.goneAt = this.clock.now() + limits.transitionMs
    this.watch(table)
    this.disableStream(table)
    this.pitr.disable(table.def.id)
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
    if (table.def.streamArn !== undefined) this.changed(table, old, item, false)
    if (table.def.kinesis !== undefined && this.kinesis !== undefined) publishChange(this.kinesis, table, old, item, false, this.clock.now())
    if (table.def.ttl?.enabled === true) this.ttl.watch(table, item)
    if (table.def.pitr === true) this.pitr.record(table, item, item, this.clock.now())
    return old
  }

  deleteItem(table: Table, key: Item, byTtl = false): Item | undefined {
    const old = table.delete(key)
    if (old !== undefined) {
      this.rows?.itemGone(table.def.id, primaryKey(table.def.key, key))
      if (table.def.streamArn !== undefined) this.changed(table, old, undefined, byTtl)
      if (table.def.kinesis !== undefined && this.kinesis !== undefined) publishChange(this.kinesis, table, old, undefined, byTtl, this.clock.now())
      if (table.def.pitr === true) this.pitr.record(table, undefined, key, this.clock.now())
    }
    return old
  }

  /** A TTL entry fell due: deletes the item if it is still there and still expired under the table's setting. */
  private expire(due: { account: string; region: string; table: string; tableId: string; key: Item }, now: number): void {
    const table = this.find(due.account, due.region, due.table)
    if (table === undefined || table.def.id !== due.tableId || table.def.goneAt !== undefined || table.def.ttl?.enabled !== true) return
    const item = table.get(due.key)
    if (item === undefined) return
    const at = ttlDueAtOf(item, table.def.ttl.attributeName, now)
    if (at !== undefined && at <= now) this.deleteItem(table, due.key, true)
  }

  // ---- streams ----

  /** Appends the change to the table's stream when it is enabled (nothing when the write changed nothing). */
  private changed(table: Table, old: Item | undefined, next: Item | undefined, byTtl: boolean): void {
    const stream = this.streams.get(table.def.streamArn!)
    if (stream === undefined || !stream.enabled()) return
    const now = this.clock.now()
    this.trim(stream, now)
    const record = stream.append(now, old, next, byTtl)
    if (record === undefined) return
    this.rows?.streamRecord(stream.def.arn, record)
    this.streamTouched(stream.def.arn)
  }

  private readonly streamWatchers = new Map<string, EventChannel<void>>()

  /** Calls `listener` (at once, at the clock's instant) whenever the stream gains a record or is disabled; returns the unsubscriber. */
  watchStream(arn: string, listener: () => void): () => void {
    let channel = this.streamWatchers.get(arn)
    if (channel === undefined) this.streamWatchers.set(arn, channel = new EventChannel())
    const off = channel.on(listener)
    return () => {
      off()
      if (channel.size === 0 && this.streamWatchers.get(arn) === channel) this.streamWatchers.delete(arn)
    }
  }

  private streamTouched(arn: string): void {
    this.streamWatchers.get(arn)?.emit()
  }

  /** The table's current stream, if it has one that is enabled. */
  enabledStream(table: Table): Stream | undefined {
    const stream = table.def.streamArn === undefined ? undefined : this.streams.get(table.def.streamArn)
    return stream?.enabled() === true ? stream : undefined
  }

  /** The table's latest stream (enabled or not), for DescribeTable's LatestStreamArn. */
  latestStream(table: Table): Stream | undefined {
    return table.def.streamArn === undefined ? undefined : this.streams.get(table.def.streamArn)
  }

  enableStream(table: Table, viewType: StreamViewType): Stream {
    const now = this.clock.now()
    const stream = Stream.create({ name: table.name, id: table.def.id, account: table.def.account, region: table.def.region, key: table.def.key, arn: table.arn },
      viewType, now)
    this.streams.set(stream.def.arn, stream)
    table.def.streamArn = stream.def.arn
    this.rows?.stream(stream.def)
    return stream
  }

  /** UpdateTable StreamEnabled false, DeleteTable: the shard closes; its records stay readable 24 h. */
  disableStream(table: Table): void {
    const stream = this.enabledStream(table)
    if (stream === undefined) return
    stream.def.disabledAt = this.clock.now()
    this.rows?.stream(stream.def)
    this.streamTouched(stream.def.arn)
  }

  /** A stream by ARN, after trimming; a disabled stream is gone 24 h after it was disabled. */
  stream(arn: string): Stream | undefined {
    const stream = this.streams.get(arn)
    if (stream === undefined) return undefined
    const now = this.clock.now()
    if (stream.def.disabledAt !== undefined && now - stream.def.disabledAt >= retentionMs) {
      this.streams.delete(arn)
      this.rows?.streamGone(arn)
      for (const r of stream.records) this.rows?.streamRecordGone(arn, r.seq)
      return undefined
    }
    this.trim(stream, now)
    return stream
  }

  /** Streams of an account and region (unexpired), ordered by ARN. */
  streamsOf(account: string, region: string): Stream[] {
    return [...this.streams.values()]
      .filter((s) => s.def.account === account && s.def.region === region)
      .filter((s) => this.stream(s.def.arn) !== undefined)
      .sort((a, b) => (a.def.arn < b.def.arn ? -1 : a.def.arn > b.def.arn ? 1 : 0))
  }

  private trim(stream: Stream, now: number): void {
    for (const r of stream.trim(now)) this.rows?.streamRecordGone(stream.def.arn, r.seq)
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
    this.metrics.clear()
    this.regions.clear()
    this.tokens.clear()
    this.streams.clear()
    this.ttl.reset()
    this.backups.reset()
    this.pitr.reset()
    this.exports.reset()
    this.imports.reset()
    this.rows?.clear()
  }
}
