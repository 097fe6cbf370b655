// Point-in-time recovery: while a table's PITR is on, the table's items as they were at the start of
// the window and every item change since are kept, so the table can be rebuilt as it was at any
// instant of the last 35 days (on the clock). Changes older than the window fold into the base.
import { fromJsonItem, type Item, toJsonItem } from './attribute-value.ts'
import type { DynamoRows, PitrChangeRow, PitrRow } from './dynamodb-rows.ts'
import { primaryKey } from './keys.ts'
import type { Table } from './table.ts'

/** AWS keeps 35 days of continuous backups. */
export const recoveryPeriodDays = 35
const windowMs = recoveryPeriodDays * 24 * 60 * 60_000
/** LatestRestorableDateTime trails the current time by about five minutes on AWS. */
export const latestLagMs = 5 * 60_000

type JsonItem = Record<string, unknown>

export type { PitrChangeRow, PitrRow }

interface History extends PitrRow {
  base: Map<string, JsonItem>
  changes: PitrChangeRow[]
}

const toItem = (i: JsonItem): Item => fromJsonItem(i as Record<string, Record<string, unknown>>)

export class PitrLog {
  private readonly histories = new Map<string, History>()
  private readonly rows: DynamoRows | undefined

  constructor(rows: DynamoRows | undefined) {
    this.rows = rows
  }

  enabled(tableId: string): boolean {
    return this.histories.has(tableId)
  }

  /** Turning PITR on starts the window now, from the table's current items. */
  enable(table: Table, now: number): void {
    if (this.histories.has(table.def.id)) return
    const history: History = { since: now, seq: 0, base: new Map(), changes: [] }
    for (const partition of table.items.partitions.values()) {
      for (const { item } of partition.entries) {
        const key = primaryKey(table.def.key, item)
        const json = toJsonItem(item)
        history.base.set(key, json)
        this.rows?.pitrBaseItem(table.def.id, key, json)
      }
    }
    this.histories.set(table.def.id, history)
    this.rows?.pitrHistory(table.def.id, { since: now, seq: 0 })
  }

  /** Turning it off (or deleting the table) drops the history. */
  disable(tableId: string): void {
    const history = this.histories.get(tableId)
    if (history === undefined) return
    this.histories.delete(tableId)
    this.rows?.pitrHistory(tableId, undefined)
    for (const key of history.base.keys()) this.rows?.pitrBaseItem(tableId, key, undefined)
    for (const c of history.changes) this.rows?.pitrChange(tableId, c.seq, undefined)
  }

  record(table: Table, item: Item | undefined, key: Item, now: number): void {
    const history = this.histories.get(table.def.id)
    if (history === undefined) return
    const change: PitrChangeRow = { t: table.def.id, seq: history.seq++, at: now, k: primaryKey(table.def.key, key), i: item === undefined ? null : toJsonItem(item) }
    history.changes.push(change)
    this.rows?.pitrChange(table.def.id, change.seq, change)
    this.trim(table.def.id, history, now)
    this.rows?.pitrHistory(table.def.id, { since: history.since, seq: history.seq })
  }

  /** EarliestRestorableDateTime: when PITR was turned on, or 35 days ago. */
  earliest(tableId: string, now: number): number | undefined {
    const history = this.histories.get(tableId)
    return history === undefined ? undefined : Math.max(history.since, now - windowMs)
  }

  /** The table's items as they were at `at` (inside the window). */
  itemsAt(tableId: string, at: number): Item[] {
    return [...this.stateAt(tableId, at).values()].map(toItem)
  }

  private stateAt(tableId: string, at: number): Map<string, JsonItem> {
    const history = this.histories.get(tableId)!
    const items = new Map(history.base)
    for (const c of history.changes) {
      if (c.at > at) break
      if (c.i === null) items.delete(c.k)
      else items.set(c.k, c.i)
    }
    return items
  }

  /**
   * Incremental exports: every item changed in [from, to) (AWS: ExportFromTime inclusive, ExportToTime
   * exclusive) — its key, the item just before `to` (none when it was deleted) and just before `from`,
   * and the last change's instant. Items that ended as they began still count.
   */
  changesIn(tableId: string, from: number, to: number, keyOf: (item: Item) => Item): { keys: Item; newImage?: Item; oldImage?: Item; at: number }[] {
    const before = this.stateAt(tableId, from - 1)
    const after = new Map(before)
    const last = new Map<string, { at: number; key: Item }>()
    for (const c of this.histories.get(tableId)!.changes) {
      if (c.at < from) continue
      if (c.at >= to) break
      const prior = after.get(c.k) ?? before.get(c.k)
      if (c.i === null) after.delete(c.k)
      else after.set(c.k, c.i)
      const keySource = c.i ?? prior
      if (keySource !== undefined) last.set(c.k, { at: c.at, key: keyOf(toItem(keySource)) })
    }
    return [...last].map(([k, { at, key }]) => ({
      keys: key, at,
      ...(after.has(k) && { newImage: toItem(after.get(k)!) }),
      ...(before.has(k) && { oldImage: toItem(before.get(k)!) }),
    }))
  }

  /** Changes older than the window become the base (the window's start moves on). */
  private trim(tableId: string, history: History, now: number): void {
    let n = 0
    while (n < history.changes.length && history.changes[n]!.at < now - windowMs) {
      const c = history.changes[n]!
      if (c.i === null) history.base.delete(c.k)
      else history.base.set(c.k, c.i)
      this.rows?.pitrBaseItem(tableId, c.k, c.i ?? undefined)
      this.rows?.pitrChange(tableId, c.seq, undefined)
      n++
    }
    if (n > 0) history.changes.splice(0, n)
  }

  load(rows: { pitr: [string, PitrRow][]; base: { t: string; i: JsonItem }[]; changes: PitrChangeRow[] }, keyOf: (tableId: string, item: JsonItem) => string | undefined): void {
    for (const [tableId, row] of rows.pitr) this.histories.set(tableId, { ...row, base: new Map(), changes: [] })
    for (const { t, i } of rows.base) {
      const key = keyOf(t, i)
      if (key !== undefined) this.histories.get(t)?.base.set(key, i)
    }
    for (const c of rows.changes.sort((a, b) => a.seq - b.seq)) this.histories.get(c.t)?.changes.push(c)
  }

  reset(): void {
    this.histories.clear()
  }
}
