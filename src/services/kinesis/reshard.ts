// Resharding as AWS does it: SplitShard, MergeShards and UpdateShardCount are asynchronous. The call
// puts the stream in UPDATING and returns; meanwhile the parents are still open (read and written,
// AWS: "you can continue to read and write data") and no child exists yet. When the stream is ACTIVE
// again the reshard is done: the parents close (EndingSequenceNumber) and the children open, at the
// moment UPDATING ended. The pending change is kept in the stream's row, so a restart still makes it.
import { uniformRanges } from './hash-keys.ts'
import type { Shard, ShardMeta } from './shard.ts'

export type PendingReshard =
  | { kind: 'split'; shard: string; key: string }
  | { kind: 'merge'; shard: string; adjacent: string }
  | { kind: 'uniform'; target: number }

/** What applying a reshard needs of its stream. */
export interface ReshardTarget {
  shard(id: string): Shard | undefined
  /** The open shards in hash-key order (Stream's cached array: read, never changed). */
  openShardsByHashKey(): readonly Shard[]
  addShard(meta: Omit<ShardMeta, 'index'>): Shard
}

/** Open shards the reshard adds when it is made (negative when it removes some). */
export function shardDelta(pending: PendingReshard | undefined, open: number): number {
  if (pending === undefined) return 0
  if (pending.kind === 'split') return 1
  if (pending.kind === 'merge') return -1
  return pending.target - open
}

/** Whether the reshard closes this shard (a uniform one closes every open shard). */
export function closesShard(pending: PendingReshard | undefined, shardId: string): boolean {
  if (pending === undefined) return false
  if (pending.kind === 'split') return pending.shard === shardId
  if (pending.kind === 'merge') return pending.shard === shardId || pending.adjacent === shardId
  return true
}

/** Makes the reshard at `at` (when UPDATING ended): parents close, children open with their lineage. */
export function applyReshard(stream: ReshardTarget, pending: PendingReshard, at: number): void {
  if (pending.kind === 'split') {
    const shard = stream.shard(pending.shard)
    if (shard === undefined || !shard.open) return
    shard.close(at)
    const key = BigInt(pending.key)
    stream.addShard({ start: shard.meta.start, end: String(key - 1n), parent: shard.id, createdAt: at })
    stream.addShard({ start: pending.key, end: shard.meta.end, parent: shard.id, createdAt: at })
    return
  }
  if (pending.kind === 'merge') {
    const shard = stream.shard(pending.shard)
    const adjacent = stream.shard(pending.adjacent)
    if (shard === undefined || adjacent === undefined || !shard.open || !adjacent.open) return
    const [low, high] = shard.start < adjacent.start ? [shard, adjacent] : [adjacent, shard]
    shard.close(at)
    adjacent.close(at)
    stream.addShard({ start: low.meta.start, end: high.meta.end, parent: shard.id, adjacentParent: adjacent.id, createdAt: at })
    return
  }
  reshardUniformly(stream, pending.target, at)
}

/**
 * UNIFORM_SCALING: the open shards close and `target` shards with uniform ranges replace them. A
 * child whose range lies within one parent names it (as AWS's splits do); one spanning two names
 * both, the lower as parent and the other as adjacent parent (as AWS's merges do).
 */
function reshardUniformly(stream: ReshardTarget, target: number, at: number): void {
  const open = stream.openShardsByHashKey()
  if (open.length === target) return
  for (const s of open) s.close(at)
  for (const [start, end] of uniformRanges(target)) {
    const parents = open.filter((s) => s.start <= end && s.end >= start)
    stream.addShard({ start: String(start), end: String(end), parent: parents[0]?.id, adjacentParent: parents[1]?.id, createdAt: at })
  }
}
