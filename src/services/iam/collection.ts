// One kind of IAM entity held in memory and, with a data dir, as rows of its table (`iam_<kind>`,
// docs/persistence.md). Entities are plain JSON records: change one, then `save` it.
import type { Persistence, Table } from '../../storage/persistence/persistence.ts'

export class Collection<T> {
  readonly #items = new Map<string, T>()
  readonly #table: Table<T> | undefined

  constructor(persistence: Persistence | undefined, table: string) {
    this.#table = persistence?.durable === true ? persistence.table<T>(table) : undefined
    for (const [key, value] of this.#table?.load() ?? []) this.#items.set(key, value)
  }

  get(key: string): T | undefined {
    return this.#items.get(key)
  }

  /** Adds or replaces, and writes the row. */
  save(key: string, value: T): T {
    this.#items.set(key, value)
    this.#table?.put(key, value)
    return value
  }

  delete(key: string): void {
    this.#items.delete(key)
    this.#table?.delete(key)
  }

  values(): T[] {
    return [...this.#items.values()]
  }

  entries(): [string, T][] {
    return [...this.#items.entries()]
  }

  get size(): number {
    return this.#items.size
  }

  clear(): void {
    this.#items.clear()
    this.#table?.clear()
  }
}
