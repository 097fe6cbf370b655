// TTL expiry on the clock: every item with a Number in its table's TTL attribute is due for deletion
// at that epoch second plus `limits.ttlDeletionDelayMs` (AWS: "typically within a few days"; Nimbus:
// a fixed, documented delay). One clock timer is armed for the earliest due item, so idle tables
// are never scanned; each due entry is checked again when it fires (the item may have changed).
import type { Clock, Timer } from '../../core/clock.ts'
import type { Item } from './attribute-value.ts'
import { keyOf } from './keys.ts'
import { limits } from './limits.ts'
import type { Table } from './table.ts'

interface Due {
  at: number
  account: string
  region: string
  table: string
  tableId: string
  key: Item
}

/** When an item expires under this TTL attribute, or undefined (not a Number, or older than 5 years: AWS skips those). */
export function ttlDueAt(item: Item, attribute: string, now: number): number | undefined {
  const value = item[attribute]?.N
  if (value === undefined) return undefined
  const seconds = Number(value)
  if (!Number.isFinite(seconds)) return undefined
  const expires = Math.floor(seconds) * 1000
  if (expires < now - limits.ttlMaxPastMs) return undefined
  return expires + limits.ttlDeletionDelayMs
}

export class TtlSweeper {
  private readonly heap: Due[] = []
  private timer: Timer | undefined
  private armedAt = Infinity
  private readonly clock: Clock
  /** Deletes the item if it is still due at `now` (the store checks table, setting and value again). */
  private readonly expire: (due: Due, now: number) => void

  constructor(clock: Clock, expire: (due: { account: string; region: string; table: string; tableId: string; key: Item }, now: number) => void) {
    this.clock = clock
    this.expire = expire
  }

  /** An item written to a table with TTL enabled. */
  watch(table: Table, item: Item): void {
    const ttl = table.def.ttl
    if (ttl?.enabled !== true) return
    const at = ttlDueAt(item, ttl.attributeName, this.clock.now())
    if (at === undefined) return
    this.push({ at, account: table.def.account, region: table.def.region, table: table.def.name, tableId: table.def.id, key: keyOf(table.def.key, item) })
  }

  /** TTL just enabled (or loaded): every item of the table, once. */
  watchAll(table: Table): void {
    for (const partition of table.items.partitions.values()) for (const { item } of partition.entries) this.watch(table, item)
  }

  reset(): void {
    this.timer?.cancel()
    this.timer = undefined
    this.armedAt = Infinity
    this.heap.length = 0
  }

  private push(due: Due): void {
    const h = this.heap
    h.push(due)
    let i = h.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (h[p]!.at <= h[i]!.at) break
      ;[h[p], h[i]] = [h[i]!, h[p]!]
      i = p
    }
    this.arm()
  }

  private pop(): Due | undefined {
    const h = this.heap
    const top = h[0]
    const last = h.pop()
    if (h.length > 0 && last !== undefined) {
      h[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < h.length && h[l]!.at < h[m]!.at) m = l
        if (r < h.length && h[r]!.at < h[m]!.at) m = r
        if (m === i) break
        ;[h[m], h[i]] = [h[i]!, h[m]!]
        i = m
      }
    }
    return top
  }

  private arm(): void {
    const first = this.heap[0]
    if (first === undefined || first.at >= this.armedAt) return
    this.timer?.cancel()
    this.armedAt = first.at
    this.timer = this.clock.at(first.at, () => this.sweep())
  }

  private sweep(): void {
    this.timer = undefined
    this.armedAt = Infinity
    const now = this.clock.now()
    while (this.heap.length > 0 && this.heap[0]!.at <= now) this.expire(this.pop()!, now)
    this.arm()
  }
}
