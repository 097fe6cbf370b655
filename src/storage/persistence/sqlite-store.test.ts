// The persistence layer on SQLite: group commit, load order, and refusing stores it cannot use.
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { after, describe, it } from 'node:test'
import { inMemory } from './persistence.ts'
import { openSqlitePersistence, StoreError, storeFileName } from './sqlite-store.ts'

const dirs: string[] = []
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-store-test-'))
  dirs.push(dir)
  return dir
}
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

describe('persistence in memory', () => {
  it('writes nothing and never makes anyone wait', () => {
    const table = inMemory.table<number>('things')
    table.put('a', 1)
    assert.equal(inMemory.flushed(), undefined)
    assert.deepEqual(table.load(), [])
  })
})

describe('persistence on SQLite', () => {
  it('has nothing pending when idle: flushed() is undefined, not a promise', () => {
    const store = openSqlitePersistence(freshDir())
    assert.equal(store.flushed(), undefined)
    store.close()
  })

  it("commits one turn's writes in one transaction, last write per key winning", async () => {
    const dir = freshDir()
    const store = openSqlitePersistence(dir)
    const table = store.table<{ n: number }>('things')
    const before = store.commits
    for (let i = 0; i < 100; i++) table.put(`k${i % 10}`, { n: i })
    table.delete('k3')
    const flushed = store.flushed()
    assert.ok(flushed instanceof Promise)
    assert.equal(store.flushed(), flushed, 'everyone in the turn waits for the same commit')
    await flushed
    assert.equal(store.commits, before + 1)
    assert.equal(store.flushed(), undefined)
    table.put('k3', { n: -1 })
    await store.flushed()
    assert.equal(store.commits, before + 2)
    store.close()
    const reopened = openSqlitePersistence(dir)
    const rows = reopened.table<{ n: number }>('things').load()
    // First-write order: k3 was deleted and written again, so it comes last.
    assert.deepEqual(rows.map(([k]) => k), ['k0', 'k1', 'k2', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9', 'k3'])
    assert.deepEqual(Object.fromEntries(rows), {
      k0: { n: 90 }, k1: { n: 91 }, k2: { n: 92 }, k3: { n: -1 }, k4: { n: 94 }, k5: { n: 95 }, k6: { n: 96 },
      k7: { n: 97 }, k8: { n: 98 }, k9: { n: 99 },
    })
    reopened.close()
  })

  it("hasRows(prefix) tells whether a service's tables hold committed rows", async () => {
    const dir = freshDir()
    const store = openSqlitePersistence(dir)
    assert.equal(store.hasRows('svc_'), false)
    store.table('svc_things').put('a', 1)
    store.table('other_things').put('b', 2)
    await store.flushed()
    assert.equal(store.hasRows('svc_'), true)
    assert.equal(store.hasRows('sv_'), false)
    store.table('svc_things').clear()
    await store.flushed()
    assert.equal(store.hasRows('svc_'), false, 'an emptied table holds no rows')
    store.close()
  })

  it('clear() drops the rows written before it, keeps those after', async () => {
    const dir = freshDir()
    const store = openSqlitePersistence(dir)
    const table = store.table<number>('things')
    table.put('old', 1)
    await store.flushed()
    table.put('gone', 2)
    table.clear()
    table.put('new', 3)
    await store.flushed()
    assert.deepEqual(table.load(), [['new', 3]])
    store.close()
  })

  it('a data dir that is a file is a clear start error', () => {
    const file = join(freshDir(), 'not-a-dir')
    writeFileSync(file, 'x')
    assert.throws(() => openSqlitePersistence(file), (e: unknown) => e instanceof StoreError && /is a file, not a folder/.test(e.message))
  })

  it('refuses a store of another format version and leaves it untouched', () => {
    const dir = freshDir()
    openSqlitePersistence(dir).close()
    const path = join(dir, storeFileName)
    const db = new DatabaseSync(path)
    db.exec("UPDATE meta SET value = '99' WHERE key = 'version'")
    db.close()
    const bytes = readFileSync(path)
    assert.throws(() => openSqlitePersistence(dir),
      (e: unknown) => e instanceof StoreError && /store format version 99; this Nimbus reads version 1/.test(e.message))
    assert.deepEqual(readFileSync(path), bytes)
  })

  it('refuses a corrupt file and leaves it untouched', () => {
    const dir = freshDir()
    const path = join(dir, storeFileName)
    writeFileSync(path, 'this is not a database at all, just some text that happens to be here')
    const bytes = readFileSync(path)
    assert.throws(() => openSqlitePersistence(dir), (e: unknown) => e instanceof StoreError && /not a Nimbus store/.test(e.message))
    assert.deepEqual(readFileSync(path), bytes)
  })

  it('refuses a database whose pages are damaged and leaves it untouched', async () => {
    const dir = freshDir()
    const store = openSqlitePersistence(dir)
    const table = store.table<string>('things')
    for (let i = 0; i < 200; i++) table.put(`k${i}`, 'x'.repeat(200))
    await store.flushed()
    store.close()
    const path = join(dir, storeFileName)
    const bytes = readFileSync(path)
    // Keep the header, scribble over the schema page and beyond.
    bytes.fill(0x5a, 100, bytes.length)
    writeFileSync(path, bytes)
    assert.throws(() => openSqlitePersistence(dir), (e: unknown) => e instanceof StoreError && /corrupt|not a Nimbus store/.test(e.message))
    assert.deepEqual(readFileSync(path), bytes)
  })

  it('refuses an SQLite database that is not a Nimbus store', () => {
    const dir = freshDir()
    const db = new DatabaseSync(join(dir, storeFileName))
    db.exec('CREATE TABLE mine (x)')
    db.close()
    assert.throws(() => openSqlitePersistence(dir), (e: unknown) => e instanceof StoreError && /not a Nimbus store/.test(e.message))
  })

  it('refuses a second Nimbus on the same data dir', () => {
    const dir = freshDir()
    const first = openSqlitePersistence(dir)
    assert.throws(() => openSqlitePersistence(dir), (e: unknown) => e instanceof StoreError && /in use/.test(e.message))
    first.close()
    openSqlitePersistence(dir).close()
  })

  it('a failed commit rejects its waiters and is retried with the next one', async () => {
    const dir = freshDir()
    const store = openSqlitePersistence(dir)
    const table = store.table<unknown>('things')
    table.put('ok', 1)
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    table.put('bad', cyclic)
    await assert.rejects(store.flushed()!)
    table.put('bad', 2)
    await store.flushed()
    assert.deepEqual(table.load(), [['ok', 1], ['bad', 2]])
    store.close()
    await turn()
  })
})
