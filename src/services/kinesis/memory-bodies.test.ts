// In-memory record storage: bytes come back as written across slab boundaries and first-slab growth,
// keys with lone surrogates survive, retention lets go of whole slabs only, the index renumbers rows.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MemoryBodies } from './memory-bodies.ts'

/** 1 MiB slabs (not 32 MiB): small records cross their boundaries. */
const SLAB = 1_048_576
import { RecordIndex } from './record-index.ts'

const blob = (size: number, seed: number) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + seed) & 0xff))

function fill(bodies: MemoryBodies, index: RecordIndex, sizes: number[], keyOf = (i: number) => `key-${i}`): Array<{ key: string; data: Buffer }> {
  const written = sizes.map((size, i) => ({ key: keyOf(i), data: blob(size, i) }))
  // Several calls of a few records each, as PutRecords appends them.
  for (let i = 0; i < written.length; i += 3) {
    const part = written.slice(i, i + 3)
    bodies.append(index, i + 1, 1_000 + i, part.map((w) => w.key), part.map((w) => w.data))
  }
  return written
}

describe('MemoryBodies', () => {
  it('reads back every record, including ones that span slabs', () => {
    const bodies = new MemoryBodies(SLAB)
    const index = new RecordIndex()
    const sizes = [10, 20_000, 700_000, 1_048_576, 3, 0, 500_000, 999_999, 12, 1_048_000, 77]
    const written = fill(bodies, index, sizes)
    assert.equal(index.length, sizes.length)
    for (let row = 0; row < written.length; row++) {
      const got = bodies.read(index, row)
      assert.equal(got.partitionKey, written[row]!.key)
      assert.ok(got.data.equals(written[row]!.data), `row ${row}`)
      assert.equal(index.counter[row], row + 1)
    }
  })

  it('takes empty keys and data, and reads records written with the default slab size', () => {
    const bodies = new MemoryBodies()
    const index = new RecordIndex()
    bodies.append(index, 1, 1, ['', 'k'], [Buffer.alloc(0), blob(70_000, 1)])
    assert.deepEqual(bodies.read(index, 0), { partitionKey: '', data: Buffer.alloc(0) })
    assert.ok(bodies.read(index, 1).data.equals(blob(70_000, 1)))
  })

  it('keeps keys that are not well-formed UTF-16 and multi-byte ones', () => {
    const bodies = new MemoryBodies(SLAB)
    const index = new RecordIndex()
    const keys = ['\ud800lone', 'héllo-ключ-🔑', 'x'.repeat(256)]
    fill(bodies, index, [5, 6, 7], (i) => keys[i]!)
    assert.deepEqual([0, 1, 2].map((row) => bodies.read(index, row).partitionKey), keys)
  })

  it('retention drops whole slabs before the oldest retained record, and only those', () => {
    const bodies = new MemoryBodies(SLAB)
    const index = new RecordIndex()
    const written = fill(bodies, index, Array.from({ length: 40 }, () => 100_000))
    // 40 × ~100 KB: slabs of 16 KiB doubling to 1 MiB; dropping up to row 25 frees those wholly before its position.
    bodies.dropBefore(index, 25)
    index.trimTo(25)
    for (let row = 25; row < 40; row++) assert.ok(bodies.read(index, row).data.equals(written[row]!.data))
    // The first slab kept is the one the oldest retained record starts in.
    const { slabs, starts } = bodies as unknown as { slabs: Buffer[]; starts: number[] }
    assert.ok(starts[0]! <= index.block[25]! && index.block[25]! < starts[0]! + slabs[0]!.length)
    assert.ok(slabs.length < 8)
    // Everything trimmed: the slab being written stays, nothing else.
    bodies.dropBefore(index, index.length)
    assert.equal(slabs.length, 1)
  })
})

describe('RecordIndex', () => {
  it('finds rows by counter and renumbers them when trimmed past half', () => {
    const index = new RecordIndex()
    for (let i = 0; i < 5_000; i++) index.push(100 + i, i, i % 7, 3, i * 10, 0)
    assert.equal(index.rowAt(100), 0)
    assert.equal(index.rowAt(4_099), 3_999)
    assert.equal(index.rowAt(99_999), 5_000)
    index.trimTo(3_000)
    assert.equal(index.head, 0)
    assert.equal(index.retained, 2_000)
    assert.equal(index.counter[0], 3_100)
    assert.equal(index.block[0], 30_000)
    assert.equal(index.rowAt(3_100 + 1_500), 1_500)
    assert.equal(index.rowAt(50), 0)
  })
})
