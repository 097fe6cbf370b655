// Resharding as AWS does it: SplitShard, MergeShards and UpdateShardCount are asynchronous. The call
// puts the stream in UPDATING and returns; meanwhile the parents are still open (read and written,
// AWS: "you can continue to read and write data") and no child exists yet. When the stream is ACTIVE
// again the reshard is done: the parents close (EndingSequenceNumber) and the children open, at the
// moment UPDATING ended. UpdateShardCount goes by rounds of splits and merges (uniform-scaling.ts),
// one each UPDATING step, the stream ACTIVE after the last. The pending change is kept in the
// stream's row, so a restart still makes it.
import type { Shard, ShardMeta } from './shard.ts'
import { nextRound, splitsToCome } from './uniform-scaling.ts'

export type PendingReshard =
  | { kind: 'split'; shard: string; key: string }
  | { kind: 'merge'; shard: string; adjacent: string }
  /** UNIFORM_SCALING: rounds of splits and merges (uniform-scaling.ts), one each `stepMs` of UPDATING (absent in older rows: 500). */
  | { kind: 'uniform'; target: number; stepMs?: number }
  /** ON_DEMAND scaling (on-demand.ts): these shards each split at the middle of their range. */
  | { kind: 'halve'; shards: string[] }

/** What applying a reshard needs of its stream. */
export interface ReshardTarget {
  shard(id: string): Shard | undefined
  /** The open shards in hash-key order (Stream's cached array: read, never changed). */
  openShardsByHashKey(): readonly Shard[]
  addShard(meta: Omit<ShardMeta, 'index'>): Shard
}

/** How long each round of a uniform scaling keeps the stream UPDATING. */
export const reshardStepMs = (pending: PendingReshard): number => (pending.kind === 'uniform' ? pending.stepMs ?? 500 : 0)

/**
 * Open shards the reshard adds at its peak (what the account's shard quota counts): a uniform
 * scaling's splits all come before its merges, and its short-lived shards count (AWS).
 */
export function shardDelta(pending: PendingReshard | undefined, open: readonly Shard[]): number {
  if (pending === undefined) return 0
  if (pending.kind === 'split') return 1
  if (pending.kind === 'merge') return -1
  if (pending.kind === 'halve') return pending.shards.length
  return splitsToCome(open, pending.target)
}

/** Whether the reshard's next step closes this shard (a uniform scaling's next round, not the whole of it). */
export function closesShard(pending: PendingReshard | undefined, shardId: string, open: readonly Shard[]): boolean {
  if (pending === undefined) return false
  if (pending.kind === 'split') return pending.shard === shardId
  if (pending.kind === 'merge') return pending.shard === shardId || pending.adjacent === shardId
  if (pending.kind === 'halve') return pending.shards.includes(shardId)
  const round = nextRound(open, pending.target)
  if (round === undefined) return false
  if (round.kind === 'split') return round.splits.some((s) => s.shard.id === shardId)
  return round.merges.some((m) => m.low.id === shardId || m.high.id === shardId)
}

/**
 * Makes the reshard's next step at `at` (when its UPDATING step ended): parents close, children open
 * with their lineage. True when a uniform scaling has another round to come (the stream stays UPDATING).
 */
export function applyReshard(stream: ReshardTarget, pending: PendingReshard, at: number): boolean {
  if (pending.kind === 'split') {
    const shard = stream.shard(pending.shard)
    if (shard === undefined || !shard.open) return false
    split(stream, shard, BigInt(pending.key), at)
    return false
  }
  if (pending.kind === 'merge') {
    const shard = stream.shard(pending.shard)
    const adjacent = stream.shard(pending.adjacent)
    if (shard === undefined || adjacent === undefined || !shard.open || !adjacent.open) return false
    merge(stream, shard, adjacent, at)
    return false
  }
  if (pending.kind === 'halve') {
    for (const id of pending.shards) {
      const shard = stream.shard(id)
      if (shard !== undefined && shard.open) split(stream, shard, middleOf(shard), at)
    }
    return false
  }
  const round = nextRound(stream.openShardsByHashKey(), pending.target)
  if (round === undefined) return false
  if (round.kind === 'split') for (const { shard, key } of round.splits) split(stream, shard, key, at)
  else for (const { low, high } of round.merges) merge(stream, low, high, at)
  return nextRound(stream.openShardsByHashKey(), pending.target) !== undefined
}

/** Where an on-demand split divides a shard: half its hash range each side. */
export const middleOf = (shard: Shard): bigint => shard.start + (shard.end - shard.start + 1n) / 2n

/** A split: the shard closes, two children name it as parent, its range divided at `key`. */
function split(stream: ReshardTarget, shard: Shard, key: bigint, at: number): void {
  shard.close(at)
  stream.addShard({ start: shard.meta.start, end: String(key - 1n), parent: shard.id, createdAt: at })
  stream.addShard({ start: String(key), end: shard.meta.end, parent: shard.id, createdAt: at })
}

/** A merge: both close, one child spans both, naming `shard` as parent and `adjacent` as adjacent parent. */
function merge(stream: ReshardTarget, shard: Shard, adjacent: Shard, at: number): void {
  const [low, high] = shard.start < adjacent.start ? [shard, adjacent] : [adjacent, shard]
  shard.close(at)
  adjacent.close(at)
  stream.addShard({ start: low.meta.start, end: high.meta.end, parent: shard.id, adjacentParent: adjacent.id, createdAt: at })
}
