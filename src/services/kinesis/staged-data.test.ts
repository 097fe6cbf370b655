// A call's staging buffer kept as its taken records' storage: the taken records moved to its front and
// the buffer cut to them (its pages released), read back through a shard's memory bodies and let go
// with the last of them; small takes are copied; the data pool releases what it doesn't keep.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { MemoryBodies } from './memory-bodies.ts'
import { RecordIndex } from './record-index.ts'
import { ScratchPool } from './scratch-pool.ts'
import { adopt, isAdopted, lend, settle } from './staged-data.ts'

const blob = (size: number, seed: number) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 7 + seed) & 0xff))

/** A pooled staging buffer holding `records` one after another, lent to its call; their views. */
function staged(pool: ScratchPool, records: Buffer[]): { buffer: Buffer; views: Buffer[] } {
  const buffer = pool.take(records.reduce((n, r) => n + r.length, 0))
  let at = 0
  const views = records.map((r) => {
    r.copy(buffer, at)
    at += r.length
    return buffer.subarray(at - r.length, at)
  })
  lend(buffer)
  return { buffer, views }
}

describe('staged data', () => {
  it('keeps a buffer for the records taken, moved to its front and cut to them', () => {
    const pool = new ScratchPool(64 * 1024, 2, { releasable: true })
    const records = [blob(1000, 1), blob(2000, 2), blob(3000, 3), blob(500, 4)]
    const { buffer, views } = staged(pool, records)
    // The second record was refused.
    const kept = adopt([views[0]!, views[2]!, views[3]!], 1024)
    assert.ok(kept !== undefined)
    assert.deepEqual(kept.map((v) => v.byteOffset), [0, 1000, 4000])
    assert.ok(kept[0]!.equals(records[0]!) && kept[1]!.equals(records[2]!) && kept[2]!.equals(records[3]!))
    assert.equal(buffer.buffer.byteLength, 4500)
    assert.ok(kept.every((v) => isAdopted(v)))
    // Answered: the pool doesn't get it back.
    assert.equal(settle(buffer), true)
  })

  it('copies a small take, and data that is not a lent staging buffer', () => {
    const pool = new ScratchPool(64 * 1024, 2, { releasable: true })
    const { buffer, views } = staged(pool, [blob(100, 1), blob(100, 2)])
    assert.equal(adopt(views, 1024), undefined)
    assert.equal(settle(buffer), false)
    // Settled: no longer lent.
    assert.equal(adopt(views, 1), undefined)
    assert.equal(adopt([blob(5000, 1)], 1), undefined)
    assert.equal(isAdopted(views[0]!), false)
  })

  it('a shard reads kept records from their buffer, keys from its slabs, and lets the buffer go with the last of them', () => {
    const pool = new ScratchPool(64 * 1024, 2, { releasable: true })
    const bodies = new MemoryBodies()
    const index = new RecordIndex()
    const first = [blob(4000, 1), blob(4000, 2)]
    const a = staged(pool, first)
    bodies.append(index, 1, 10, ['k1', 'k2'], adopt(a.views, 1)!)
    // A copied call in between, then another kept one.
    bodies.append(index, 3, 11, ['k3'], [blob(300, 3)])
    const second = [blob(5000, 4)]
    const b = staged(pool, second)
    bodies.append(index, 4, 12, ['k4'], adopt(b.views, 1)!)
    const read = (row: number) => bodies.read(index, row)
    assert.deepEqual([0, 1, 2, 3].map((row) => read(row).partitionKey), ['k1', 'k2', 'k3', 'k4'])
    assert.ok(read(0).data.equals(first[0]!) && read(1).data.equals(first[1]!) && read(2).data.equals(blob(300, 3)) && read(3).data.equals(second[0]!))
    const runs = () => (bodies as unknown as { runBuffers: Buffer[] }).runBuffers.length
    assert.equal(runs(), 2)
    bodies.dropBefore(index, 1)
    index.trimTo(1)
    assert.equal(runs(), 2)
    bodies.dropBefore(index, 2)
    index.trimTo(2)
    assert.equal(runs(), 1)
    assert.ok(read(3).data.equals(second[0]!))
    bodies.dropBefore(index, 4)
    assert.equal(runs(), 0)
  })

  it('the data pool releases a buffer past what it keeps, and its own when idle', async () => {
    const pool = new ScratchPool(64 * 1024, 1, { releasable: true, idleMs: 5 })
    const x = pool.take(100)
    const y = pool.take(100)
    x.fill(1)
    y.fill(2)
    pool.give(x)
    pool.give(y)
    assert.equal(y.buffer.byteLength, 0)
    assert.equal(pool.held, 1)
    for (let i = 0; i < 200 && pool.residentBytes > 0; i++) await sleep(5)
    assert.equal(pool.residentBytes, 0)
    // Taken again, it is whole.
    assert.equal(pool.take(100).length, 64 * 1024)
  })
})
