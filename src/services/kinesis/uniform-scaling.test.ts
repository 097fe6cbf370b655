// UNIFORM_SCALING's rounds from any partition of the hash space (uniform or left uneven by SplitShard
// and MergeShards): each round only splits a shard inside its range or merges two adjacent shards, the
// splits all come first (what the shard quota counts), and the rounds end at CreateStream's ranges.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { maxHashKey, uniformRanges } from './hash-keys.ts'
import { nextRound, type ShardRange, splitsToCome } from './uniform-scaling.ts'

let ids = 0
const shard = (start: bigint, end: bigint): ShardRange => ({ id: `s${ids++}`, start, end })
const uniform = (n: number) => uniformRanges(n).map(([start, end]) => shard(start, end))

/** Applies rounds until none is left; checks each; returns the rounds' kinds and the peak open count. */
function run(open: ShardRange[], target: number): { kinds: string[]; peak: number; final: ShardRange[] } {
  const kinds: string[] = []
  let peak = open.length
  const expectedPeak = open.length + splitsToCome(open, target)
  for (let round = nextRound(open, target); round !== undefined; round = nextRound(open, target)) {
    assert.ok(kinds.length < 40, 'rounds end')
    kinds.push(round.kind)
    const next: ShardRange[] = []
    if (round.kind === 'split') {
      assert.ok(!kinds.slice(0, -1).includes('merge'), 'splits before merges')
      const bySplit = new Map(round.splits.map((s) => [s.shard, s.key]))
      for (const s of open) {
        const key = bySplit.get(s)
        if (key === undefined) next.push(s)
        else {
          assert.ok(key > s.start && key <= s.end, 'a split key inside its shard')
          next.push(shard(s.start, key - 1n), shard(key, s.end))
        }
      }
    } else {
      const lows = new Map(round.merges.map((m) => [m.low, m.high]))
      const highs = new Set(round.merges.map((m) => m.high))
      for (const s of open) {
        if (highs.has(s)) continue
        const high = lows.get(s)
        if (high === undefined) next.push(s)
        else {
          assert.equal(s.end + 1n, high.start, 'a merge of adjacent shards')
          next.push(shard(s.start, high.end))
        }
      }
    }
    open = next
    peak = Math.max(peak, open.length)
    // Still a partition of the hash space.
    assert.equal(open[0]!.start, 0n)
    assert.equal(open.at(-1)!.end, maxHashKey)
    for (let i = 1; i < open.length; i++) assert.equal(open[i - 1]!.end + 1n, open[i]!.start)
  }
  assert.equal(peak, expectedPeak, 'the peak is the open shards plus the splits to come')
  return { kinds, peak, final: open }
}

const ranges = (shards: ShardRange[]) => shards.map((s) => [s.start, s.end])

describe('uniform scaling rounds', () => {
  it('doubling splits every shard once; halving merges pairs once', () => {
    assert.deepEqual(run(uniform(4), 8).kinds, ['split'])
    assert.deepEqual(run(uniform(8), 4).kinds, ['merge'])
    assert.deepEqual(run(uniform(3), 6).kinds, ['split'])
  })

  it('3 → 4: three splits, then two merges; peak six', () => {
    const { kinds, peak, final } = run(uniform(3), 4)
    assert.deepEqual([kinds, peak], [['split', 'merge'], 6])
    assert.deepEqual(ranges(final), uniformRanges(4))
  })

  it('a shard holding several boundaries splits at its middle one, then again', () => {
    // One big shard and a one-key sliver: 4 uniform shards need three boundaries inside the big one.
    const { kinds, final } = run([shard(0n, 0n), shard(1n, maxHashKey)], 4)
    assert.deepEqual(kinds, ['split', 'split', 'merge'])
    assert.deepEqual(ranges(final), uniformRanges(4))
  })

  it('reaches the uniform ranges from random uneven partitions', () => {
    let seed = 7
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(random() * 12)
      const cuts = new Set<bigint>()
      while (cuts.size < n - 1) cuts.add(1n + BigInt(Math.floor(random() * 2 ** 52)) * (maxHashKey >> 52n))
      const starts = [0n, ...[...cuts].sort((a, b) => (a < b ? -1 : 1))]
      const open = starts.map((s, i) => shard(s, i + 1 < starts.length ? starts[i + 1]! - 1n : maxHashKey))
      const target = Math.max(1, Math.ceil(n / 2) + Math.floor(random() * (2 * n - Math.ceil(n / 2) + 1)))
      const { final } = run(open, target)
      assert.deepEqual(ranges(final), uniformRanges(target), `${n} → ${target}`)
    }
  })
})
