// The one persistence layer every service writes its state through: named tables of rows (key →
// JSON value), writes buffered per event-loop turn and committed together. Engine-neutral: SQLite
// today (sqlite-store.ts), something shared later. Without a data dir it is the no-op below.
// The contract services follow is docs/persistence.md.

/** One service table (e.g. `sqs_messages`). Keys are strings; values any JSON-serialisable data. */
export interface Table<V> {
  /**
   * Writes a row (insert or replace). The value is serialised when the turn's writes commit, not
   * now: the last write of a key in a turn wins, and a value changed after `put` in the same turn
   * is written as it is then. Pass a fresh object when that matters.
   */
  put(key: string, value: V): void
  delete(key: string): void
  /** Deletes every row of the table (the writes after it in the same turn still apply). */
  clear(): void
  /** Every stored row, in the order each key was first written (the same key rewritten keeps its place). */
  load(): Array<[key: string, value: V]>
}

export interface Persistence {
  /** False in memory: a service may skip building rows at all (the hot path stays as it was). */
  readonly durable: boolean
  table<V>(name: string): Table<V>
  /**
   * Whether any stored table whose name starts with `prefix` (a service's `<service>_`) holds a row:
   * a lazily loaded service with stored state loads at start. Reads committed rows only, cheaply.
   */
  hasRows(prefix: string): boolean
  /**
   * Undefined when nothing is waiting to be written; else a promise settled once every write made
   * so far has committed (rejected if that commit failed). Answer a client only after it settles.
   */
  flushed(): Promise<void> | undefined
  /** Commits what is pending and releases the store (clean shutdown). */
  close(): void
}

const noTable: Table<never> = {
  put: () => {},
  delete: () => {},
  clear: () => {},
  load: () => [],
}

/** Nimbus without a data dir: nothing is written, nothing is ever pending. */
export const inMemory: Persistence = {
  durable: false,
  table: <V>() => noTable as unknown as Table<V>,
  hasRows: () => false,
  flushed: () => undefined,
  close: () => {},
}

/** Table names are identifiers: they become engine table names. */
export function checkTableName(name: string): string {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Invalid persistence table name ${JSON.stringify(name)}`)
  return name
}
