// What every Kinesis operation shares: finding the stream a request names (StreamName or StreamARN),
// AWS's state checks, and the wire shapes of shards.
import { parseArn } from '../../../core/arn.ts'
import type { OperationContext } from '../../service.ts'
import { kinesisErrors } from '../errors.ts'
import type { Shard as ShardShape } from '../generated/types.ts'
import type { Shard } from '../shard.ts'
import type { KinesisState } from '../store.ts'
import type { Stream } from '../stream.ts'
import { canonicalShardId } from '../sequence-numbers.ts'

export interface StreamAddress {
  StreamName?: string
  StreamARN?: string
}

/** Where a request's stream lives: the ARN's account and region when it names one, else the caller's. */
export function addressOf(input: StreamAddress, ctx: OperationContext): { account: string; region: string; name: string } {
  const { StreamName: name, StreamARN: arn } = input
  if (arn !== undefined) {
    const parsed = parseArn(arn)
    const streamName = parsed?.resource.startsWith('stream/') === true ? parsed.resource.slice('stream/'.length) : undefined
    if (parsed === undefined || streamName === undefined || streamName.includes('/')) {
      throw kinesisErrors.invalidArgument(`StreamARN ${arn} is invalid.`) // [R]
    }
    if (name !== undefined && name !== streamName) throw kinesisErrors.streamIdentifierMismatch()
    return { account: parsed.account, region: parsed.region, name: streamName }
  }
  if (name === undefined) throw kinesisErrors.noStreamIdentifier()
  return { account: ctx.caller.account, region: ctx.caller.region, name }
}

export function requireStream(state: KinesisState, input: StreamAddress, ctx: OperationContext): Stream {
  const { account, region, name } = addressOf(input, ctx)
  return state.require(account, region, name)
}

/**
 * A shard id as AWS reads it before the stream is looked up: its canonical form, or AWS's
 * "Could not find shard <as given> in stream <name> under account <account>." when it names none.
 */
export function requireShardId(shardId: string, input: StreamAddress, ctx: OperationContext): string {
  const canonical = canonicalShardId(shardId)
  if (canonical !== undefined) return canonical
  const { account, name } = addressOf(input, ctx)
  throw kinesisErrors.shardNotFound(shardId, name, account)
}

/** Operations that change a stream need it ACTIVE (AWS: ResourceInUseException otherwise). */
export function requireActive(state: KinesisState, input: StreamAddress, ctx: OperationContext): Stream {
  const stream = requireStream(state, input, ctx)
  if (stream.meta.status !== 'ACTIVE') throw kinesisErrors.notActive(stream.name, stream.meta.account, stream.meta.status)
  return stream
}

/** Reads and writes work on ACTIVE and UPDATING streams; a CREATING or DELETING one is "not found" to them. */
export function requireReadable(state: KinesisState, input: StreamAddress, ctx: OperationContext): Stream {
  const stream = requireStream(state, input, ctx)
  if (stream.meta.status === 'CREATING' || stream.meta.status === 'DELETING') {
    throw kinesisErrors.streamNotFound(stream.name, stream.meta.account)
  }
  return stream
}

export function shardShape(shard: Shard): ShardShape {
  const { meta } = shard
  return {
    ShardId: shard.id,
    ...(meta.parent !== undefined && { ParentShardId: meta.parent }),
    ...(meta.adjacentParent !== undefined && { AdjacentParentShardId: meta.adjacentParent }),
    HashKeyRange: { StartingHashKey: meta.start, EndingHashKey: meta.end },
    SequenceNumberRange: { StartingSequenceNumber: shard.startingSequence, EndingSequenceNumber: shard.endingSequence },
  }
}

/** Opaque pagination tokens: base64 of what to continue after and when the token was issued. */
export function encodeToken(parts: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64')
}

export function decodeToken(token: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'))
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined
  } catch {
    return undefined
  }
}
