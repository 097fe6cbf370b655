// Many compiled patterns (the rules on one event bus), matched together: the event is flattened
// once, and patterns that pin a field to exact strings (almost every rule pins `source`) are only
// tried when the event carries one of those strings. The rest are scanned linearly.
import type { CompiledPattern } from './compile.ts'
import { flattenEvent, type FlatEvent } from './flatten.ts'

interface Entry<K> {
  readonly key: K
  readonly pattern: CompiledPattern
  readonly order: number
  readonly indexedOn: { path: string; values: readonly string[] } | undefined
}

// Fields tried first as index keys: present in nearly every EventBridge rule and event.
const PREFERRED = ['source', 'detail-type']

export class PatternIndex<K> {
  readonly #entries = new Map<K, Entry<K>>()
  readonly #byValue = new Map<string, Map<string, Set<Entry<K>>>>()
  readonly #unindexed = new Set<Entry<K>>()
  #wanted: Set<string> | undefined
  #order = 0

  get size(): number {
    return this.#entries.size
  }

  /** Adds or replaces the pattern stored under `key`. */
  add(key: K, pattern: CompiledPattern): void {
    this.remove(key)
    const entry: Entry<K> = { key, pattern, order: this.#order++, indexedOn: indexKey(pattern) }
    this.#entries.set(key, entry)
    this.#wanted = undefined
    if (entry.indexedOn === undefined) {
      this.#unindexed.add(entry)
      return
    }
    const byValue = this.#byValue.get(entry.indexedOn.path) ?? new Map<string, Set<Entry<K>>>()
    this.#byValue.set(entry.indexedOn.path, byValue)
    for (const value of entry.indexedOn.values) {
      const set = byValue.get(value) ?? new Set<Entry<K>>()
      byValue.set(value, set.add(entry))
    }
  }

  remove(key: K): boolean {
    const entry = this.#entries.get(key)
    if (entry === undefined) return false
    this.#entries.delete(key)
    this.#wanted = undefined
    this.#unindexed.delete(entry)
    if (entry.indexedOn !== undefined) {
      const byValue = this.#byValue.get(entry.indexedOn.path)!
      for (const value of entry.indexedOn.values) {
        const set = byValue.get(value)
        set?.delete(entry)
        if (set?.size === 0) byValue.delete(value)
      }
      if (byValue.size === 0) this.#byValue.delete(entry.indexedOn.path)
    }
    return true
  }

  /** Keys of the patterns the event matches, in the order they were added. */
  match(event: unknown): K[] {
    const value = typeof event === 'string' ? parseJson(event) : event
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return []
    const flat = flattenEvent(value, this.#wantedPaths())
    const matched: Entry<K>[] = []
    for (const entry of this.#candidates(flat)) if (entry.pattern.matchesFlat(flat)) matched.push(entry)
    return matched.sort((a, b) => a.order - b.order).map((e) => e.key)
  }

  #candidates(flat: FlatEvent): Set<Entry<K>> {
    const candidates = new Set(this.#unindexed)
    for (const [path, byValue] of this.#byValue) {
      for (const v of flat.fields.get(path)?.values ?? []) {
        if (typeof v !== 'string') continue
        for (const entry of byValue.get(v) ?? []) candidates.add(entry)
      }
    }
    return candidates
  }

  #wantedPaths(): Set<string> {
    if (this.#wanted === undefined) {
      this.#wanted = new Set()
      for (const entry of this.#entries.values()) for (const p of entry.pattern.paths) this.#wanted.add(p)
    }
    return this.#wanted
  }
}

/**
 * A path every branch pins to plain strings: the pattern can only match an event holding one of
 * those strings there. Prefers `source`, then `detail-type`.
 */
function indexKey(pattern: CompiledPattern): Entry<unknown>['indexedOn'] {
  const [first, ...rest] = pattern.branches
  if (first === undefined) return undefined
  const candidates = first
    .filter((f) => f.exactStrings !== undefined)
    .map((f) => f.path)
    .filter((path) => rest.every((branch) => branch.some((f) => f.path === path && f.exactStrings !== undefined)))
  const path = PREFERRED.find((p) => candidates.includes(p)) ?? candidates[0]
  if (path === undefined) return undefined
  const values = new Set<string>()
  for (const branch of pattern.branches) for (const v of branch.find((f) => f.path === path)!.exactStrings!) values.add(v)
  return { path, values: [...values] }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
