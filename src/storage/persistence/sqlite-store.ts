// The persistence layer on node:sqlite: one file (<data-dir>/nimbus.db), WAL, one writer, group commit.
// Every write of one event-loop turn lands in one transaction at setImmediate; a request is answered
// after the commit holding its writes (the gateway awaits flushed()). synchronous=NORMAL in WAL mode
// survives a process crash (kill -9) — a committed transaction is in the WAL file, which the next
// open replays; power loss may drop the last commits and is out of scope (docs/persistence.md).
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync, type StatementSync } from 'node:sqlite'
import { checkTableName, type Persistence, type Table } from './persistence.ts'

export const storeFileName = 'nimbus.db'
/** What the `meta` table says the file is; a change to the row layout bumps the version. */
export const storeFormat = 'nimbus-store'
export const storeVersion = 1

const sqliteHeader = 'SQLite format 3\u0000'
/**
 * Checkpoints (copying the WAL into the database, with an fsync) are what a commit costs most when
 * SQLite runs them itself every 1,000 pages. Nimbus runs them when writes pause, and inline only
 * when the WAL passes this size under sustained load.
 */
const checkpointIdleMs = 200
const walLimitBytes = 64 * 1024 * 1024
const walCheckEvery = 256
const DELETE = Symbol('delete')

interface Batch {
  cleared: boolean
  rows: Map<string, unknown>
}

class SqliteTable<V> implements Table<V> {
  readonly name: string
  private readonly store: SqlitePersistence
  private readonly upsert: StatementSync
  private readonly remove: StatementSync
  private readonly truncate: StatementSync
  private readonly all: StatementSync
  batch: Batch = { cleared: false, rows: new Map() }

  constructor(store: SqlitePersistence, db: DatabaseSync, name: string) {
    this.store = store
    this.name = name
    const sql = `"t_${name}"`
    // seq keeps first-write order (an upsert keeps the row, hence its seq): FIFO order survives a restart.
    db.exec(`CREATE TABLE IF NOT EXISTS ${sql} (seq INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, value TEXT NOT NULL)`)
    this.upsert = db.prepare(`INSERT INTO ${sql} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`)
    this.remove = db.prepare(`DELETE FROM ${sql} WHERE key = ?`)
    this.truncate = db.prepare(`DELETE FROM ${sql}`)
    this.all = db.prepare(`SELECT key, value FROM ${sql} ORDER BY seq`)
  }

  put(key: string, value: V): void {
    this.batch.rows.set(key, value)
    this.store.touched(this)
  }
  delete(key: string): void {
    this.batch.rows.set(key, DELETE)
    this.store.touched(this)
  }
  clear(): void {
    this.batch = { cleared: true, rows: new Map() }
    this.store.touched(this)
  }
  load(): Array<[string, V]> {
    // Row by row: a large table is never held twice (SQLite's rows and the parsed values).
    const rows: Array<[string, V]> = []
    for (const r of this.all.iterate() as Iterable<{ key: string; value: string }>) rows.push([r.key, JSON.parse(r.value) as V])
    return rows
  }

  /** Writes one batch inside the caller's transaction. */
  apply(batch: Batch): void {
    if (batch.cleared) this.truncate.run()
    for (const [key, value] of batch.rows) {
      if (value === DELETE) this.remove.run(key)
      else this.upsert.run(key, JSON.stringify(value))
    }
  }

  /** A failed batch goes back under whatever was written since, to be retried with the next commit. */
  restore(failed: Batch): void {
    if (this.batch.cleared) return
    const rows = new Map(failed.rows)
    for (const [key, value] of this.batch.rows) rows.set(key, value)
    this.batch = { cleared: failed.cleared, rows }
  }
}

interface Deferred {
  promise: Promise<void>
  resolve(): void
  reject(error: unknown): void
}

export class SqlitePersistence implements Persistence {
  readonly durable = true
  readonly path: string
  /** Transactions committed so far (tests and health read it). */
  commits = 0
  private readonly db: DatabaseSync
  private readonly tables = new Map<string, SqliteTable<unknown>>()
  private dirty = new Set<SqliteTable<unknown>>()
  private scheduled = false
  private waiting: Deferred | undefined
  private closed = false
  private checkpointTimer: NodeJS.Timeout | undefined
  private committedAtArm = 0
  private readonly checkpointStatement: StatementSync

  constructor(path: string, db: DatabaseSync) {
    this.path = path
    this.db = db
    this.checkpointStatement = db.prepare('PRAGMA wal_checkpoint(PASSIVE)')
  }

  hasRows(prefix: string): boolean {
    const names = (this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[])
      .map((r) => r.name).filter((name) => name.startsWith(`t_${prefix}`))
    // Names come from sqlite_master and were checked when created (checkTableName): safe to quote.
    return names.some((name) => this.db.prepare(`SELECT 1 FROM "${name}" LIMIT 1`).get() !== undefined)
  }

  table<V>(name: string): Table<V> {
    let table = this.tables.get(checkTableName(name))
    if (table === undefined) {
      table = new SqliteTable(this, this.db, name)
      this.tables.set(name, table)
    }
    return table as Table<V>
  }

  /** Called by a table on every write: the first write of a turn schedules that turn's commit. */
  touched(table: SqliteTable<unknown>): void {
    // After a clean shutdown nothing is running that could write; a straggler's write has no one to answer.
    if (this.closed) return
    this.dirty.add(table)
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => this.commit())
  }

  flushed(): Promise<void> | undefined {
    if (!this.scheduled) return undefined
    if (this.waiting === undefined) {
      let resolve!: () => void
      let reject!: (error: unknown) => void
      const promise = new Promise<void>((res, rej) => {
        resolve = res
        reject = rej
      })
      this.waiting = { promise, resolve, reject }
    }
    return this.waiting.promise
  }

  /** Commits every buffered write in one transaction and settles whoever waits for it. */
  commit(): void {
    if (!this.scheduled) return
    this.scheduled = false
    const waiting = this.waiting
    this.waiting = undefined
    const tables = [...this.dirty]
    this.dirty = new Set()
    const batches = tables.map((t) => {
      const batch = t.batch
      t.batch = { cleared: false, rows: new Map() }
      return batch
    })
    try {
      this.db.exec('BEGIN')
      try {
        tables.forEach((table, i) => table.apply(batches[i]!))
        this.db.exec('COMMIT')
      } catch (error) {
        if (this.db.isTransaction) this.db.exec('ROLLBACK')
        throw error
      }
      this.commits++
      waiting?.resolve()
      this.afterCommit()
    } catch (error) {
      tables.forEach((table, i) => {
        table.restore(batches[i]!)
        this.dirty.add(table)
      })
      waiting?.reject(error)
    }
  }

  /** Checkpoints once writes pause (a real timer: housekeeping, not emulated behaviour), or now if the WAL grew too big. */
  private afterCommit(): void {
    if (this.commits % walCheckEvery === 0 && walBytes(this.path) > walLimitBytes) this.checkpoint()
    if (this.checkpointTimer !== undefined) return
    this.committedAtArm = this.commits
    this.checkpointTimer = setTimeout(() => {
      this.checkpointTimer = undefined
      if (this.closed) return
      if (this.commits !== this.committedAtArm) this.afterCommit()
      else this.checkpoint()
    }, checkpointIdleMs)
    this.checkpointTimer.unref()
  }

  private checkpoint(): void {
    try {
      this.checkpointStatement.get()
    } catch {
      // A failed checkpoint loses nothing (the WAL keeps every commit); the next one retries.
    }
  }

  close(): void {
    if (this.closed) return
    if (this.scheduled) this.commit()
    this.closed = true
    if (this.checkpointTimer !== undefined) clearTimeout(this.checkpointTimer)
    this.db.close()
  }
}

/** A clear start-up error: the store is not usable and Nimbus left it as it was. */
export class StoreError extends Error {
  override readonly name = 'StoreError'
}

/**
 * Opens (or creates) the store in `dataDir`. A file that is not an SQLite database, a database that
 * is not Nimbus's, one of another format version, a corrupt one, or one another Nimbus holds, is
 * refused before anything is written to it.
 */
export function openSqlitePersistence(dataDir: string): SqlitePersistence {
  if (existsSync(dataDir) && !statSync(dataDir).isDirectory()) {
    throw new StoreError(`--data-dir ${dataDir} is a file, not a folder`)
  }
  mkdirSync(dataDir, { recursive: true })
  const path = join(dataDir, storeFileName)
  checkHeader(path)
  let db: DatabaseSync
  try {
    db = new DatabaseSync(path)
  } catch (error) {
    throw new StoreError(`Cannot open ${path}: ${message(error)}`)
  }
  try {
    // Exclusive: the first write takes the lock and keeps it, so a second Nimbus on the same folder
    // fails at start instead of interleaving writes. It also keeps the WAL index in memory.
    db.exec('PRAGMA locking_mode = EXCLUSIVE')
    checkMeta(db, path)
    db.exec('PRAGMA journal_mode = WAL')
    db.exec('PRAGMA synchronous = NORMAL')
    db.exec('PRAGMA wal_autocheckpoint = 0')
    db.exec(`PRAGMA journal_size_limit = ${walLimitBytes}`)
    db.exec('BEGIN IMMEDIATE')
    db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)')
    const set = db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)')
    set.run('format', storeFormat)
    set.run('version', String(storeVersion))
    db.exec('COMMIT')
  } catch (error) {
    db.close()
    if (error instanceof StoreError) throw error
    throw new StoreError(explain(error, path))
  }
  return new SqlitePersistence(path, db)
}

/** Anything but an empty file or an SQLite database is refused without opening it. */
function checkHeader(path: string): void {
  if (!existsSync(path)) return
  if (!statSync(path).isFile()) throw new StoreError(`${path} is not a file; Nimbus keeps its store there`)
  const fd = openSync(path, 'r')
  const head = Buffer.alloc(16)
  let n: number
  try {
    n = readSync(fd, head, 0, 16, 0)
  } finally {
    closeSync(fd)
  }
  if (n === 0) return
  if (n < 16 || head.toString('latin1') !== sqliteHeader) {
    throw new StoreError(`${path} is not a Nimbus store (not an SQLite database, or corrupt); Nimbus left it untouched. ` +
      'Move it away or start with another --data-dir.')
  }
}

/** Only reads: a store Nimbus cannot read is never written to. */
function checkMeta(db: DatabaseSync, path: string): void {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name)
  if (tables.length === 0) return
  if (!tables.includes('meta')) {
    throw new StoreError(`${path} is an SQLite database but not a Nimbus store; Nimbus left it untouched.`)
  }
  const rows = db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]
  const meta = Object.fromEntries(rows.map((r) => [r.key, r.value]))
  if (meta.format !== storeFormat) {
    throw new StoreError(`${path} is not a Nimbus store (format ${JSON.stringify(meta.format)}); Nimbus left it untouched.`)
  }
  if (meta.version !== String(storeVersion)) {
    throw new StoreError(`${path} was written by a Nimbus with store format version ${meta.version}; this Nimbus reads ` +
      `version ${storeVersion}. Nimbus left it untouched: use the matching Nimbus, or another --data-dir.`)
  }
}

function walBytes(path: string): number {
  try {
    return statSync(`${path}-wal`).size
  } catch {
    return 0
  }
}

function explain(error: unknown, path: string): string {
  const code = (error as { errcode?: number }).errcode
  // SQLite's primary result codes: 5 BUSY, 11 CORRUPT, 26 NOTADB.
  if (code !== undefined && (code & 0xff) === 5) return `${path} is in use by another Nimbus (or another program); one Nimbus per --data-dir.`
  if (code !== undefined && ((code & 0xff) === 11 || (code & 0xff) === 26)) {
    return `${path} is corrupt (${message(error)}); Nimbus left it untouched. Move it away or start with another --data-dir.`
  }
  // 8 READONLY, 13 FULL: the folder's fault, not the store's; the store is intact.
  if (code !== undefined && (code & 0xff) === 8) return `${path} can't be written (read-only): make the data dir writable, or use another --data-dir.`
  if (code !== undefined && (code & 0xff) === 13) return `${path} can't be written: the disk is full. Free some space and start again; what was stored is kept.`
  return `Cannot open the Nimbus store ${path}: ${message(error)}`
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
