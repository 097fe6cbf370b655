// UpdateShardCount's UNIFORM_SCALING, as AWS documents it: "Kinesis Data Streams performs splits or
// merges on individual shards. This can cause short-lived shards to be created, in addition to the
// final shards. These short-lived shards count towards your total shard limit." So the open shards
// reach the uniform ranges by rounds of ordinary splits and merges — each shard has one parent, or a
// parent and an adjacent parent, never more — first splitting at every uniform boundary the open
// shards lack (a shard holding several such boundaries splits at the middle one, then its children
// split again), then merging, within each uniform range, adjacent pieces pairwise until one is left.
// Each round is made when one UPDATING step of the clock ends; the shards a round makes and the next
// round closes are the short-lived ones (closed, with their EndingSequenceNumber and lineage).
import { uniformRanges } from './hash-keys.ts'

/** What a round needs to know of a shard. */
export interface ShardRange {
  id: string
  start: bigint
  end: bigint
}

export type Round<S extends ShardRange> =
  | { kind: 'split'; splits: Array<{ shard: S; key: bigint }> }
  | { kind: 'merge'; merges: Array<{ low: S; high: S }> }

/** The uniform boundaries (every uniform range's start but the first) the open shards don't start at. */
function missingBoundaries(open: readonly ShardRange[], target: number): bigint[] {
  const starts = new Set(open.map((s) => s.start))
  return uniformRanges(target).map(([start]) => start).filter((b) => b !== 0n && !starts.has(b))
}

/**
 * The next round of splits or merges towards `target` uniform shards from the open shards (in
 * hash-key order), or undefined when they already are the uniform shards.
 */
export function nextRound<S extends ShardRange>(open: readonly S[], target: number): Round<S> | undefined {
  const missing = missingBoundaries(open, target)
  if (missing.length > 0) {
    // One walk over both, each in hash-key order (a 5,000-shard stream's round at once, not 25 M comparisons).
    const splits: Array<{ shard: S; key: bigint }> = []
    let first = 0
    for (const shard of open) {
      while (first < missing.length && missing[first]! <= shard.start) first++
      let past = first
      while (past < missing.length && missing[past]! <= shard.end) past++
      // The boundaries inside the shard are missing[first, past): it splits at the middle one.
      if (past > first) splits.push({ shard, key: missing[first + Math.floor((past - first) / 2)]! })
      first = past
    }
    return { kind: 'split', splits }
  }
  // Every uniform boundary is a shard boundary: each uniform range is a run of adjacent pieces.
  const merges: Array<{ low: S; high: S }> = []
  let i = 0
  for (const [, end] of uniformRanges(target)) {
    const pieces: S[] = []
    while (i < open.length && open[i]!.end <= end) pieces.push(open[i++]!)
    for (let p = 0; p + 1 < pieces.length; p += 2) merges.push({ low: pieces[p]!, high: pieces[p + 1]! })
  }
  return merges.length > 0 ? { kind: 'merge', merges } : undefined
}

/** The splits still to come (each adds one open shard before any merge removes one): what the shard quota counts. */
export function splitsToCome(open: readonly ShardRange[], target: number): number {
  return missingBoundaries(open, target).length
}
