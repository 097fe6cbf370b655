// Items (or index entries) grouped by partition key and sorted within a partition by sort key, so a
// Query is a binary search plus a walk (O(log n + k)). Partitions are ordered by a hash of their key,
// as DynamoDB's are, which gives Scan a stable order, resumable pages and parallel segments.
import { type AttributeValue, type Item, compareScalars, compareUtf8 } from './attribute-value.ts'

export interface Entry {
  item: Item
  /** The partition key value's string form (keys.ts). */
  pk: string
  /** The sort key value (tables and indexes with a RANGE key). */
  sk: AttributeValue | undefined
  /** Orders entries with equal sort keys: the table's primary key string (empty in the table itself). */
  tie: string
  /** The item's size in the table (capacity units and TableSizeBytes, computed once when stored); 0 in indexes. */
  size: number
}

export interface Partition {
  key: string
  hash: number
  entries: Entry[]
}

/** Where a page resumes: after this entry. */
export interface Position {
  pk: string
  sk: AttributeValue | undefined
  tie: string
}

/** FNV-1a over the key's UTF-16 units: the partition's place in scan order and its segment. */
export function hashKey(key: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

export function compareEntries(a: { sk: AttributeValue | undefined; tie: string }, b: { sk: AttributeValue | undefined; tie: string }): number {
  if (a.sk !== undefined && b.sk !== undefined) {
    const order = compareScalars(a.sk, b.sk) ?? 0
    if (order !== 0) return order
  }
  return a.tie === b.tie ? 0 : a.tie < b.tie ? -1 : 1
}

function comparePartitions(a: { hash: number; key: string }, b: { hash: number; key: string }): number {
  if (a.hash !== b.hash) return a.hash < b.hash ? -1 : 1
  return compareUtf8(a.key, b.key)
}

export class Collection {
  readonly partitions = new Map<string, Partition>()
  /** Partitions in scan order. */
  private readonly order: Partition[] = []
  size = 0

  /** Inserts or replaces the entry with the same (pk, sk, tie). */
  put(entry: Entry): void {
    let partition = this.partitions.get(entry.pk)
    if (partition === undefined) {
      partition = { key: entry.pk, hash: hashKey(entry.pk), entries: [] }
      this.partitions.set(entry.pk, partition)
      this.order.splice(this.partitionIndex(partition), 0, partition)
    }
    const entries = partition.entries
    const at = lowerBound(entries, entry)
    if (at < entries.length && compareEntries(entries[at]!, entry) === 0) {
      entries[at] = entry
    } else {
      entries.splice(at, 0, entry)
      this.size++
    }
  }

  get(pk: string, sk: AttributeValue | undefined, tie = ''): Entry | undefined {
    const entries = this.partitions.get(pk)?.entries
    if (entries === undefined) return undefined
    if (sk === undefined && tie === '') return entries[0]
    const at = lowerBound(entries, { sk, tie })
    const found = entries[at]
    return found !== undefined && compareEntries(found, { sk, tie }) === 0 ? found : undefined
  }

  delete(pk: string, sk: AttributeValue | undefined, tie = ''): Entry | undefined {
    const partition = this.partitions.get(pk)
    if (partition === undefined) return undefined
    const entries = partition.entries
    const at = sk === undefined && tie === '' ? 0 : lowerBound(entries, { sk, tie })
    const found = entries[at]
    if (found === undefined || compareEntries(found, { sk, tie }) !== 0) return undefined
    entries.splice(at, 1)
    this.size--
    if (entries.length === 0) {
      this.partitions.delete(pk)
      this.order.splice(this.partitionIndex(partition), 1)
    }
    return found
  }

  clear(): void {
    this.partitions.clear()
    this.order.length = 0
    this.size = 0
  }

  /**
   * A partition's entries between two bounds (undefined: open), forward or backward, resuming after
   * `after`. Bounds are inclusive unless marked exclusive.
   */
  *range(pk: string, options: { low?: Bound; high?: Bound; forward: boolean; after?: Position }): Generator<Entry> {
    const entries = this.partitions.get(pk)?.entries
    if (entries === undefined) return
    let from = options.low === undefined ? 0 : boundIndex(entries, options.low, 'low')
    let to = options.high === undefined ? entries.length : boundIndex(entries, options.high, 'high')
    if (options.after !== undefined) {
      if (options.forward) from = Math.max(from, upperBound(entries, options.after))
      else to = Math.min(to, lowerBound(entries, options.after))
    }
    if (options.forward) for (let i = from; i < to; i++) yield entries[i]!
    else for (let i = to - 1; i >= from; i--) yield entries[i]!
  }

  /** Every entry in scan order (optionally one segment of `total`), resuming after `after`. */
  *scan(options: { after?: Position; segment?: number; total?: number }): Generator<Entry> {
    const { after, segment, total } = options
    let start = 0
    if (after !== undefined) start = this.partitionIndex({ key: after.pk, hash: hashKey(after.pk) })
    for (let p = start; p < this.order.length; p++) {
      const partition = this.order[p]!
      if (total !== undefined && Math.floor((partition.hash * total) / 0x1_0000_0000) !== segment) continue
      const entries = partition.entries
      let i = 0
      if (after !== undefined && partition.key === after.pk) i = upperBound(entries, after)
      else if (after !== undefined && comparePartitions(partition, { key: after.pk, hash: hashKey(after.pk) }) < 0) continue
      for (; i < entries.length; i++) yield entries[i]!
    }
  }

  private partitionIndex(p: { hash: number; key: string }): number {
    let lo = 0
    let hi = this.order.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (comparePartitions(this.order[mid]!, p) < 0) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

export interface Bound {
  value: AttributeValue
  exclusive: boolean
}

/** First index whose entry is ≥ `probe`. */
function lowerBound(entries: readonly Entry[], probe: { sk: AttributeValue | undefined; tie: string }): number {
  let lo = 0
  let hi = entries.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (compareEntries(entries[mid]!, probe) < 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** First index whose entry is > `probe`. */
function upperBound(entries: readonly Entry[], probe: { sk: AttributeValue | undefined; tie: string }): number {
  let lo = 0
  let hi = entries.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (compareEntries(entries[mid]!, probe) <= 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The first index inside a low bound, or the first index past a high bound, by sort key alone. */
function boundIndex(entries: readonly Entry[], bound: Bound, side: 'low' | 'high'): number {
  const includeEqual = side === 'low' ? !bound.exclusive : bound.exclusive
  let lo = 0
  let hi = entries.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const order = compareScalars(entries[mid]!.sk!, bound.value) ?? 0
    if (order < 0 || (order === 0 && !includeEqual)) lo = mid + 1
    else hi = mid
  }
  return lo
}
