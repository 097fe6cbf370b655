// Shards: ListShards (tokens, filters) and resharding — SplitShard, MergeShards, UpdateShardCount —
// checked here and made when the UPDATING they start ends (reshard.ts), with AWS's lineage: the
// parent closes (EndingSequenceNumber set), children name it as parent.
import type { Operation } from '../../service.ts'
import { kinesisErrors } from '../errors.ts'
import { AwsError } from '../../../protocol/errors.ts'
import type * as T from '../generated/types.ts'
import { parseHashKey } from '../hash-keys.ts'
import { limits } from '../limits.ts'
import type { Shard } from '../shard.ts'
import type { KinesisState } from '../store.ts'
import type { Stream } from '../stream.ts'
import { splitsToCome } from '../uniform-scaling.ts'
import { canonicalShardId } from '../sequence-numbers.ts'
import { decodeToken, encodeToken, requireActive, requireShardId, requireStream, shardShape } from './common.ts'

export function shardOperations(state: KinesisState) {
  const listShards: Operation<T.ListShardsInput, T.ListShardsOutput> = (input, ctx) => {
    const named = input.StreamName !== undefined || input.StreamARN !== undefined
    let stream: Stream
    let after = input.ExclusiveStartShardId
    let filter = input.ShardFilter
    if (input.NextToken !== undefined) {
      if (named) throw kinesisErrors.invalidArgument('NextToken and StreamName cannot be provided together.')
      // The token names the stream and the position: AWS documents these as not to be given with it.
      if (input.ExclusiveStartShardId !== undefined) {
        throw kinesisErrors.invalidArgument('NextToken and ExclusiveStartShardId cannot be provided together.') // [R]
      }
      if (input.StreamCreationTimestamp !== undefined) {
        throw kinesisErrors.invalidArgument('NextToken and StreamCreationTimestamp cannot be provided together.') // [R]
      }
      const token = readToken(input.NextToken, state.now())
      stream = state.require(token.account, token.region, token.name)
      after = token.after
      filter = token.filter
    } else {
      if (!named) throw kinesisErrors.invalidArgument('Either NextToken or StreamName should be provided.')
      if (filter !== undefined) checkFilter(filter)
      stream = requireStream(state, input, ctx)
    }
    // ListShards needs the stream ACTIVE or UPDATING (AWS's answer on a CREATING stream, recorded in
    // aws/aws-sdk-java-v2#5949: "… not ACTIVE or UPDATING, instead in state CREATING").
    const status = stream.meta.status
    if (status === 'CREATING' || status === 'DELETING') {
      throw kinesisErrors.notActiveOrUpdating(stream.name, stream.meta.account, status)
    }
    const now = state.now()
    stream.trim(now)
    let shards = filtered(stream, filter, now)
    const given = filter?.Type === 'AFTER_SHARD_ID' ? filter.ShardId : after
    // A loose id (`shardId-1`) is compared in its canonical form; an id that names no shard is
    // compared as given, so the shards listed are those whose ids sort after it. [R]
    const start = given === undefined ? undefined : canonicalShardId(given) ?? given
    if (start !== undefined) shards = shards.filter((s) => s.id > start)
    // The model allows up to 10,000; AWS: "If you specify a value greater than 1000, at most 1000 results are returned."
    const max = Math.min(input.MaxResults ?? limits.listShardsDefault, limits.listShardsDefault)
    const page = shards.slice(0, max)
    const more = shards.length > max
    return {
      Shards: page.map(shardShape),
      ...(more && { NextToken: encodeToken({ a: stream.meta.account, r: stream.meta.region, n: stream.name,
        s: page.at(-1)!.id, t: now, f: filter === undefined ? '' : JSON.stringify(filter) }) }),
    }
  }

  const splitShard: Operation<T.SplitShardInput, void> = (input, ctx) => {
    // An id that names no shard at all is refused before the stream is looked up (AWS's order).
    const shardId = requireShardId(input.ShardToSplit, input, ctx)
    const stream = requireStream(state, input, ctx)
    provisionedOnly(stream, 'SplitShard')
    const { account, region } = stream.meta
    const shard = stream.shard(shardId)
    if (shard === undefined) throw kinesisErrors.shardNotFound(shardId, stream.name, account)
    if (stream.meta.status !== 'ACTIVE') throw kinesisErrors.notActive(stream.name, account, stream.meta.status)
    if (!shard.open) throw notEligible(shard, stream)
    const key = parseHashKey(input.NewStartingHashKey)
    // AWS's bounds: strictly above start + 1 and below the end, so both children have room.
    if (key === undefined || key <= shard.start + 1n || key >= shard.end) {
      throw kinesisErrors.invalidArgument(`NewStartingHashKey ${input.NewStartingHashKey} used in SplitShard() on shard ${shard.id} ` +
        `in stream ${stream.name} under account ${account} is not both greater than one plus the shard's StartingHashKey ` +
        `${shard.meta.start} and less than the shard's EndingHashKey ${shard.meta.end}.`)
    }
    // Limits come last: a bad key on a stream at its shard quota is the key's error.
    state.checkShardQuota(account, region, 1)
    // Made when UPDATING ends (reshard.ts): until then the parent alone is listed, open and written.
    stream.askReshard({ kind: 'split', shard: shard.id, key: String(key) })
    state.transition(stream, 'UPDATING')
  }

  const mergeShards: Operation<T.MergeShardsInput, void> = (input, ctx) => {
    const shardId = requireShardId(input.ShardToMerge, input, ctx)
    const adjacentId = requireShardId(input.AdjacentShardToMerge, input, ctx)
    const stream = requireStream(state, input, ctx)
    provisionedOnly(stream, 'MergeShards')
    const { account } = stream.meta
    const shard = stream.shard(shardId)
    const adjacent = stream.shard(adjacentId)
    if (shard === undefined) throw kinesisErrors.shardNotFound(shardId, stream.name, account)
    if (adjacent === undefined) throw kinesisErrors.shardNotFound(adjacentId, stream.name, account)
    if (stream.meta.status !== 'ACTIVE') throw kinesisErrors.notActive(stream.name, account, stream.meta.status)
    if (!shard.open) throw notEligible(shard, stream)
    if (!adjacent.open) throw notEligible(adjacent, stream)
    const [low, high] = shard.start < adjacent.start ? [shard, adjacent] : [adjacent, shard]
    if (low.end + 1n !== high.start) {
      throw kinesisErrors.invalidArgument(`Shards ${shard.id} and ${adjacent.id} in stream ${stream.name} ` +
        `under account ${account} are not an adjacent pair of shards eligible for merging`)
    }
    stream.askReshard({ kind: 'merge', shard: shard.id, adjacent: adjacent.id })
    state.transition(stream, 'UPDATING')
  }

  const updateShardCount: Operation<T.UpdateShardCountInput, T.UpdateShardCountOutput> = (input, ctx) => {
    const stream = requireActive(state, input, ctx)
    provisionedOnly(stream, 'UpdateShardCount')
    const open = stream.openShardsByHashKey()
    const current = open.length
    const target = input.TargetShardCount
    if (target > current * 2) {
      throw kinesisErrors.limitExceeded(`UpdateShardCount cannot scale up over double your current open shard count. ` +
        `Current open shard count: ${current} Target shard count: ${target}`) // [R] code
    }
    if (target * 2 < current) {
      throw kinesisErrors.limitExceeded(`UpdateShardCount cannot scale down below half your current open shard count. ` +
        `Current open shard count: ${current} Target shard count: ${target}`) // [R] code
    }
    // AWS: not past 10,000 shards a stream, nor a stream past it scaled down to more than that.
    if (target > limits.maxShardsPerStream) {
      throw kinesisErrors.limitExceeded(`UpdateShardCount cannot scale up over ${limits.maxShardsPerStream} shards in a stream. ` +
        `Current open shard count: ${current} Target shard count: ${target}`) // [R]
    }
    // AWS's default: at most 10 scalings per stream in a rolling 24 hours (on the clock).
    const now = state.now()
    const recent = (stream.meta.shardCountUpdates ?? []).filter((at) => at > now - limits.updateShardCountWindowMs)
    if (recent.length >= limits.updateShardCountsPerWindow) {
      throw kinesisErrors.limitExceeded(`UpdateShardCount cannot be called more than ${limits.updateShardCountsPerWindow} times in a ` +
        `rolling 24-hour period for stream ${stream.name} under account ${stream.meta.account}.`) // [R]
    }
    // Its splits come before its merges, and the short-lived shards count towards the account's quota
    // (AWS), so the quota must hold the open shards plus every split to come, not only the target.
    if (target !== current) {
      state.checkShardQuota(stream.meta.account, stream.meta.region, splitsToCome(open, target))
      stream.askReshard({ kind: 'uniform', target, stepMs: state.transitionMs })
    }
    stream.meta.shardCountUpdates = [...recent, now] // saved with the stream by the transition below
    state.transition(stream, 'UPDATING')
    return { StreamName: stream.name, StreamARN: stream.arn, CurrentShardCount: current, TargetShardCount: target }
  }

  return { ListShards: listShards, SplitShard: splitShard, MergeShards: mergeShards, UpdateShardCount: updateShardCount }
}

/**
 * Resharding is for PROVISIONED streams: AWS documents SplitShard, MergeShards and UpdateShardCount as
 * "only supported for the data streams with the provisioned capacity mode", and its model gives these
 * operations (and only the mode-aware ones) ValidationException.
 */
const validationError = (message: string) => new AwsError('ValidationException', message)

function provisionedOnly(stream: Stream, operation: string): void {
  if (stream.meta.mode !== 'ON_DEMAND') return
  throw validationError(`${operation} is not supported for stream ${stream.name} under account ${stream.meta.account} ` +
    'because it is in ON_DEMAND capacity mode.') // [R] wording; the code follows the model
}

function notEligible(shard: Shard, stream: Stream) {
  return kinesisErrors.resourceInUse(`Shard ${shard.id} in stream ${stream.name} under account ${stream.meta.account} has already ` +
    'been merged or split, and thus is not eligible for merging or splitting.') // [R]
}

/** A filter's own arguments, checked before the stream is looked up. */
function checkFilter(filter: T.ShardFilter): void {
  if (filter.Type === 'AFTER_SHARD_ID' && filter.ShardId === undefined) {
    throw kinesisErrors.invalidArgument('Must specify ShardId for AFTER_SHARD_ID filter type.') // [R]
  }
  if (filter.Type === 'AT_TIMESTAMP' || filter.Type === 'FROM_TIMESTAMP') requireTimestamp(filter)
}

/** Shards a ShardFilter selects (FROM_TRIM_HORIZON, the default, is every shard still listed). */
function filtered(stream: Stream, filter: T.ShardFilter | undefined, now: number): Shard[] {
  const shards = stream.visibleShards(now)
  // A time before the stream existed (the trim horizon of a stream younger than its retention, or an
  // early AT_TIMESTAMP) finds the stream's first shards: the KCL lists a young stream AT_TRIM_HORIZON.
  const openAt = (at: number) => {
    const time = Math.max(at, stream.meta.createdAt)
    return shards.filter((s) => s.meta.createdAt <= time && (s.open || s.meta.closedAt! >= time))
  }
  switch (filter?.Type) {
    case 'AT_LATEST': return shards.filter((s) => s.open)
    case 'AT_TRIM_HORIZON': return openAt(now - stream.retentionMs)
    case 'AT_TIMESTAMP': return openAt(requireTimestamp(filter).getTime())
    case 'FROM_TIMESTAMP': {
      const time = requireTimestamp(filter).getTime()
      return shards.filter((s) => s.open || s.meta.closedAt! >= time)
    }
    case 'AFTER_SHARD_ID':
      if (filter.ShardId === undefined) throw kinesisErrors.invalidArgument('Must specify ShardId for AFTER_SHARD_ID filter type.') // [R]
      return shards
    default: return shards
  }
}

function requireTimestamp(filter: T.ShardFilter): Date {
  if (filter.Timestamp === undefined) throw kinesisErrors.invalidArgument(`Must specify Timestamp for ${filter.Type} filter type.`) // [R]
  return filter.Timestamp
}

interface ShardsToken { account: string; region: string; name: string; after: string; filter: T.ShardFilter | undefined }

function readToken(text: string, now: number): ShardsToken {
  const t = decodeToken(text)
  if (t === undefined || typeof t['n'] !== 'string' || typeof t['s'] !== 'string' || typeof t['t'] !== 'number') {
    throw kinesisErrors.invalidNextToken()
  }
  if (now - t['t'] > limits.nextTokenLifetimeMs) throw kinesisErrors.expiredNextToken()
  const raw = typeof t['f'] === 'string' && t['f'] !== '' ? JSON.parse(t['f']) as T.ShardFilter & { Timestamp?: string } : undefined
  const filter = raw === undefined ? undefined : { ...raw, Timestamp: raw.Timestamp === undefined ? undefined : new Date(raw.Timestamp) }
  return { account: String(t['a']), region: String(t['r']), name: t['n'], after: t['s'], filter }
}

