// ListStreams, DescribeStream, GetShardIterator, GetRecords over DynamoDB's streams (read through its port).
import type { DynamoDbPort, DynamoStreamInfo, DynamoStreamRecord } from '../dynamodb/port.ts'
import type { Operation, OperationContext } from '../service.ts'
import { streamsErrors } from './errors.ts'
import type * as T from './generated/types.ts'
import { decodeIterator, encodeIterator, iteratorLifetimeMs } from './iterators.ts'

const iteratorTypes = ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER']

function checkLimit(limit: number | undefined, max: number, fallback: number): number {
  if (limit === undefined) return fallback
  if (limit < 1) throw streamsErrors.constraint(limit, 'limit', 'Member must have value greater than or equal to 1')
  if (limit > max) throw streamsErrors.constraint(limit, 'limit', `Member must have value less than or equal to ${max}`)
  return limit
}

function compareSeq(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0
}

export function streamOperations(dynamodb: DynamoDbPort) {
  /** The caller's stream by ARN (another account's or region's is not found, as on AWS). */
  const find = (arn: string, ctx: OperationContext): DynamoStreamInfo => {
    const stream = dynamodb.stream(arn)
    if (stream === undefined || stream.account !== ctx.caller.account || stream.region !== ctx.caller.region) throw streamsErrors.streamNotFound(arn)
    return stream
  }

  const listStreams: Operation<T.ListStreamsInput, T.ListStreamsOutput> = (input, ctx) => {
    const limit = checkLimit(input.Limit, 100, 100)
    let streams = dynamodb.streams(ctx.caller.account, ctx.caller.region)
    if (input.TableName !== undefined) streams = streams.filter((s) => s.tableName === input.TableName)
    const start = input.ExclusiveStartStreamArn
    if (start !== undefined) streams = streams.filter((s) => s.arn > start)
    const page = streams.slice(0, limit)
    return {
      Streams: page.map((s) => ({ StreamArn: s.arn, TableName: s.tableName, StreamLabel: s.label })),
      ...(streams.length > page.length && { LastEvaluatedStreamArn: page[page.length - 1]!.arn }),
    }
  }

  const describeStream: Operation<T.DescribeStreamInput, T.DescribeStreamOutput> = (input, ctx) => {
    checkLimit(input.Limit, 100, 100)
    const s = find(input.StreamArn, ctx)
    // One shard per stream (README, By design): it has no parent, and ends when the stream is disabled.
    const shards: T.Shard[] = input.ExclusiveStartShardId === s.shardId ? [] : [{
      ShardId: s.shardId,
      SequenceNumberRange: { StartingSequenceNumber: s.startSeq, ...(s.endSeq !== undefined && { EndingSequenceNumber: s.endSeq }) },
    }]
    return {
      StreamDescription: {
        StreamArn: s.arn, StreamLabel: s.label, StreamStatus: s.status, StreamViewType: s.viewType,
        CreationRequestDateTime: new Date(s.createdAt), TableName: s.tableName, KeySchema: s.keySchema, Shards: shards,
      },
    }
  }

  const getShardIterator: Operation<T.GetShardIteratorInput, T.GetShardIteratorOutput> = (input, ctx) => {
    const type = input.ShardIteratorType
    if (!iteratorTypes.includes(type)) {
      throw streamsErrors.constraint(type, 'shardIteratorType', `Member must satisfy enum value set: [${iteratorTypes.join(', ')}]`)
    }
    const seqGiven = input.SequenceNumber
    if (seqGiven !== undefined && !/^\d{21,40}$/.test(seqGiven)) {
      throw streamsErrors.constraint(seqGiven, 'sequenceNumber', 'Member must have length greater than or equal to 21')
    }
    const s = find(input.StreamArn, ctx)
    if (input.ShardId !== s.shardId) throw streamsErrors.shardNotFound(input.ShardId, s.arn)
    let seq: string
    let inclusive = false
    if (type === 'TRIM_HORIZON') seq = s.trimmedThrough
    else if (type === 'LATEST') seq = s.lastSeq
    else {
      // [R] DynamoDB's words for a sequence-number iterator without one.
      if (seqGiven === undefined) throw streamsErrors.validation(`SequenceNumber must be specified for ShardIteratorType ${type}`)
      seq = seqGiven
      inclusive = type === 'AT_SEQUENCE_NUMBER'
      if (s.trimmedThrough !== '0' && compareSeq(seq, s.trimmedThrough) <= 0) throw streamsErrors.trimmed()
    }
    return { ShardIterator: encodeIterator({ arn: s.arn, shard: s.shardId, seq, inclusive, createdAt: ctx.clock.now() }) }
  }

  const getRecords: Operation<T.GetRecordsInput, T.GetRecordsOutput> = (input, ctx) => {
    const limit = checkLimit(input.Limit, 1000, 1000)
    const it = decodeIterator(input.ShardIterator)
    const now = ctx.clock.now()
    if (now - it.createdAt > iteratorLifetimeMs) throw streamsErrors.expired(it.createdAt, now)
    const s = find(it.arn, ctx)
    if (it.shard !== s.shardId) throw streamsErrors.shardNotFound(it.shard, s.arn)
    // Records after the iterator's position were trimmed (24 h): reading on would skip them.
    if (s.trimmedThrough !== '0' && compareSeq(it.seq, s.trimmedThrough) < (it.inclusive ? 1 : 0)) throw streamsErrors.trimmed()
    const records = dynamodb.streamRecords(s.arn, it.seq, it.inclusive, limit) ?? []
    const last = records.length > 0 ? records[records.length - 1]!.seq : undefined
    const next = { ...it, seq: last ?? it.seq, inclusive: last === undefined ? it.inclusive : false, createdAt: now }
    // A closed shard read to its end has no next iterator.
    const atEnd = s.endSeq !== undefined && compareSeq(next.seq, s.endSeq) >= (next.inclusive ? 1 : 0)
    return {
      Records: records.map((r) => recordOut(r, s)),
      ...(!atEnd && { NextShardIterator: encodeIterator(next) }),
    }
  }

  return { ListStreams: listStreams, DescribeStream: describeStream, GetShardIterator: getShardIterator, GetRecords: getRecords }
}

/** A record as GetRecords returns it (and as Lambda's DynamoDB events carry it). */
function recordOut(r: DynamoStreamRecord, s: DynamoStreamInfo): T.Record {
  return {
    eventID: r.eventId, eventName: r.eventName, eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: s.region,
    dynamodb: {
      // Epoch seconds, rounded down to the second.
      ApproximateCreationDateTime: new Date(Math.floor(r.at / 1000) * 1000),
      Keys: r.keys, ...(r.newImage !== undefined && { NewImage: r.newImage }), ...(r.oldImage !== undefined && { OldImage: r.oldImage }),
      SequenceNumber: r.seq, SizeBytes: r.sizeBytes, StreamViewType: s.viewType,
    },
    // GetRecords names the members PrincipalId and Type (Lambda's DynamoDB events spell them principalId and type).
    ...(r.ttl === true && { userIdentity: { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' } }),
  }
}
