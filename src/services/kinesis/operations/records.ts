// Records: PutRecord/PutRecords (MD5 routing, per-shard write limits on the clock, per-record
// failures), GetShardIterator and GetRecords (lineage at a closed shard's end, read limits, expiry).
import type { Operation, OperationContext } from '../../service.ts'
import { coralValidationError } from '../../../protocol/coral-validation.ts'
import { kinesisErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { hashOfPartitionKey, parseHashKey } from '../hash-keys.ts'
import { decodeIterator, encodeIterator } from '../iterators.ts'
import { limits } from '../limits.ts'
import { parseSequence } from '../sequence-numbers.ts'
import type { ReadRecord, Shard } from '../shard.ts'
import type { KinesisState } from '../store.ts'
import type { Stream } from '../stream.ts'
import { addressOf, requireReadable, requireShardId } from './common.ts'
import type { KinesisMetrics } from '../metrics.ts'

interface Entry { Data: Uint8Array; PartitionKey: string; ExplicitHashKey?: string }

export function recordOperations(state: KinesisState, metrics?: KinesisMetrics) {
  const putRecord: Operation<T.PutRecordInput, T.PutRecordOutput> = (input, ctx) => {
    checkRecordSize(input, 'data')
    checkHashKey(input)
    const stream = requireReadable(state, input, ctx)
    const shard = route(stream, stream.openShards(), input)
    const now = state.now()
    stream.trim(now)
    const bytes = input.Data.length + Buffer.byteLength(input.PartitionKey)
    const verdict = stream.admitWrite(shard, now, bytes)
    const admitted = verdict === 'ok'
    metrics?.putRecord(stream.meta.account, stream.meta.region, stream.name, bytes, admitted)
    const enhanced = stream.meta.shardLevelMetrics
    if (enhanced.length > 0) metrics?.shardWrite(stream.meta.account, stream.meta.region, stream.name, shard.id, enhanced, admitted ? 1 : 0, admitted ? bytes : 0, admitted ? 0 : 1)
    if (verdict === 'stream') throw kinesisErrors.streamWriteThroughput(stream.name, stream.meta.account)
    if (!admitted) throw kinesisErrors.writeThroughput(shard.id, stream.name, stream.meta.account)
    const counter = shard.append([input.PartitionKey], [asBuffer(input.Data)], now)
    return { ShardId: shard.id, SequenceNumber: shard.sequenceOf(counter, now), EncryptionType: stream.meta.encryption.type }
  }

  const putRecords: Operation<T.PutRecordsInput, T.PutRecordsOutput> = (input, ctx) => {
    const records = input.Records
    const n = records.length
    // Each record's size (blob plus key) is measured once: the 5 MB check and the shard's budget both use it.
    const sizes = new Array<number>(n)
    let total = 0
    for (let i = 0; i < n; i++) {
      const r = records[i]!
      checkRecordSize(r, `records.${i + 1}.member.data`)
      if (r.ExplicitHashKey !== undefined) checkHashKey(r)
      sizes[i] = r.Data.length + Buffer.byteLength(r.PartitionKey)
      total += sizes[i]!
    }
    if (total > limits.maxPutBytes) throw kinesisErrors.invalidArgument('Records size exceeds 5 MB limit')
    const stream = requireReadable(state, input, ctx)
    const open = stream.openShards().sort((a, b) => (a.start < b.start ? -1 : 1))
    const now = state.now()
    stream.trim(now)
    const shards = new Array<Shard>(n)
    for (let i = 0; i < n; i++) shards[i] = route(stream, open, records[i]!)
    // Admit record by record (in request order, as AWS counts), then append per shard in one write.
    const admitted = new Array<boolean>(n)
    const batches = new Map<Shard, number[]>()
    let failed = 0
    // Records refused by an ON_DEMAND stream's own quota rather than their shard's.
    let overStream: Set<number> | undefined
    for (let i = 0; i < n; i++) {
      const shard = shards[i]!
      const verdict = stream.admitWrite(shard, now, sizes[i]!)
      admitted[i] = verdict === 'ok'
      if (!admitted[i]) {
        failed++
        if (verdict === 'stream') (overStream ??= new Set()).add(i)
        continue
      }
      const list = batches.get(shard)
      if (list === undefined) batches.set(shard, [i])
      else list.push(i)
    }
    if (metrics !== undefined) {
      let bytes = 0
      for (let i = 0; i < n; i++) if (admitted[i]) bytes += sizes[i]!
      metrics.putRecords(stream.meta.account, stream.meta.region, stream.name, n, n - failed, bytes)
      const enhanced = stream.meta.shardLevelMetrics
      if (enhanced.length > 0) {
        // Per shard: what it took and what it refused.
        const per = new Map<Shard, { records: number; bytes: number; throttled: number }>()
        for (let i = 0; i < n; i++) {
          let s = per.get(shards[i]!)
          if (s === undefined) per.set(shards[i]!, s = { records: 0, bytes: 0, throttled: 0 })
          if (admitted[i]) {
            s.records++
            s.bytes += sizes[i]!
          } else s.throttled++
        }
        for (const [shard, s] of per) metrics.shardWrite(stream.meta.account, stream.meta.region, stream.name, shard.id, enhanced, s.records, s.bytes, s.throttled)
      }
    }
    const sequences = new Array<string>(n)
    for (const [shard, indexes] of batches) {
      const first = shard.append(indexes.map((i) => records[i]!.PartitionKey), indexes.map((i) => asBuffer(records[i]!.Data)), now)
      for (let k = 0; k < indexes.length; k++) sequences[indexes[k]!] = shard.sequenceOf(first + k, now)
    }
    const account = stream.meta.account
    const results = new Array<T.PutRecordsResultEntry>(n)
    // A throttled record's message, once per shard (no error object per record: a flood throttles most of 500).
    const throttled = new Map<Shard, string>()
    for (let i = 0; i < n; i++) {
      const shard = shards[i]!
      if (admitted[i]) {
        results[i] = { SequenceNumber: sequences[i], ShardId: shard.id }
        continue
      }
      if (overStream?.has(i) === true) {
        results[i] = { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: kinesisErrors.streamWriteThroughput(stream.name, account).message }
        continue
      }
      let message = throttled.get(shard)
      if (message === undefined) {
        message = kinesisErrors.writeThroughput(shard.id, stream.name, account).message
        throttled.set(shard, message)
      }
      results[i] = { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: message }
    }
    return { FailedRecordCount: failed, Records: results, EncryptionType: stream.meta.encryption.type }
  }

  const getShardIterator: Operation<T.GetShardIteratorInput, T.GetShardIteratorOutput> = (input, ctx) => {
    // The arguments are checked before the stream is looked up (AWS's order: request, then resource).
    checkIteratorArguments(input, state.now())
    const shardId = requireShardId(input.ShardId, input, ctx)
    // A stream that doesn't exist is reported as its shard not existing (AWS's recorded answer).
    const { account, region, name } = addressOf(input, ctx)
    if (state.find(account, region, name) === undefined) throw kinesisErrors.shardMissing(shardId, name, account)
    const stream = requireReadable(state, input, ctx)
    const shard = stream.shard(shardId)
    if (shard === undefined) throw kinesisErrors.shardMissing(shardId, stream.name, stream.meta.account)
    const now = state.now()
    stream.trim(now)
    const position = startPosition(stream, shard, input, now)
    return { ShardIterator: iteratorFor(stream, shard, position, now) }
  }

  const getRecords: Operation<T.GetRecordsInput, T.GetRecordsOutput> = (input, ctx) => {
    const it = decodeIterator(input.ShardIterator)
    if (it === undefined) throw kinesisErrors.invalidIterator()
    const now = state.now()
    if (now - it.createdAt > limits.iteratorLifetimeMs) throw kinesisErrors.expiredIterator(it.createdAt, now)
    const stream = iteratorStream(state, it, input, ctx)
    const shard = stream.shards.find((s) => s.meta.index === it.shardIndex)
    if (shard === undefined || stream.epoch !== it.epoch) throw kinesisErrors.invalidIterator()
    if (!shard.admitRead(now)) {
      metrics?.getRecords(stream.meta.account, stream.meta.region, stream.name, undefined)
      if (stream.meta.shardLevelMetrics.length > 0) metrics?.shardRead(stream.meta.account, stream.meta.region, stream.name, shard.id, stream.meta.shardLevelMetrics, undefined)
      throw kinesisErrors.readThroughput(shard.id, stream.name, stream.meta.account)
    }
    stream.trim(now)
    // Records retention dropped are skipped: the read resumes at the trim horizon.
    const from = Math.max(it.position, shard.trimHorizon)
    const read = shard.read(from, input.Limit ?? limits.maxGetRecordsLimit, limits.maxGetRecordsBytes)
    const readBytes = read.reduce((sum, r) => sum + r.entry.size, 0)
    shard.countRead(readBytes)
    const next = read.length > 0 ? read.at(-1)!.entry.counter + 1 : from
    const caughtUp = next >= shard.nextCounter
    const ended = !shard.open && caughtUp
    const latest = shard.latestArrival
    const millisBehind = caughtUp || latest === undefined ? 0 : Math.max(0, now - read.at(-1)!.entry.arrival)
    const encryption = stream.meta.encryption.type
    // Iterator age: how far behind the tip the last record returned was (0 once caught up), as AWS reports it.
    metrics?.getRecords(stream.meta.account, stream.meta.region, stream.name, { records: read.length, bytes: readBytes, iteratorAgeMs: millisBehind })
    if (stream.meta.shardLevelMetrics.length > 0) {
      metrics?.shardRead(stream.meta.account, stream.meta.region, stream.name, shard.id, stream.meta.shardLevelMetrics,
        { records: read.length, bytes: readBytes, iteratorAgeMs: millisBehind })
    }
    return {
      Records: read.map((r) => recordShape(shard, r, encryption)),
      // A closed shard read to its end has no next iterator: its children carry on.
      ...(!ended && { NextShardIterator: iteratorFor(stream, shard, next, now) }),
      MillisBehindLatest: millisBehind,
      ...(ended && { ChildShards: childShards(stream, shard) }),
    }
  }

  return { PutRecord: putRecord, PutRecords: putRecords, GetShardIterator: getShardIterator, GetRecords: getRecords }
}

export function recordShape(shard: Shard, r: ReadRecord, encryption: string): T.Record {
  return {
    SequenceNumber: shard.sequenceOf(r.entry.counter, r.entry.arrival), ApproximateArrivalTimestamp: new Date(r.entry.arrival),
    Data: r.data, PartitionKey: r.entry.partitionKey, ...(encryption === 'KMS' && { EncryptionType: 'KMS' as const }),
  }
}

/** The children of a closed shard, as GetRecords and SubscribeToShard name them at its end. */
export function childShards(stream: Stream, shard: Shard): T.ChildShard[] {
  return stream.childrenOf(shard.id).map((c) => ({
    ShardId: c.id, ParentShards: [c.meta.parent, c.meta.adjacentParent].filter((p): p is string => p !== undefined),
    HashKeyRange: { StartingHashKey: c.meta.start, EndingHashKey: c.meta.end },
  }))
}

/** The protocols hand blobs over as Buffers already; this only satisfies the model's Uint8Array type. */
const asBuffer = (data: Uint8Array): Buffer => (Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length))

/** 1 MiB per record: the blob alone is checked by Coral (ValidationException), blob plus key by Kinesis. */
function checkRecordSize(r: Entry, member: string): void {
  if (r.Data.length > limits.maxRecordBytes) {
    throw coralValidationError([`Value 'java.nio.HeapByteBuffer[pos=0 lim=${r.Data.length} cap=${r.Data.length}]' at '${member}' ` +
      `failed to satisfy constraint: Member must have length less than or equal to ${limits.maxRecordBytes}`])
  }
  const size = r.Data.length + Buffer.byteLength(r.PartitionKey)
  if (size > limits.maxRecordBytes) {
    throw kinesisErrors.invalidArgument(`Record size ${size} bytes (data and partition key) exceeds the maximum record size of 1024 KiB.`) // [R]
  }
}

/** An ExplicitHashKey past 2^128 - 1 (the model's pattern allows 39 digits): checked before the stream is looked up. */
function checkHashKey(r: Entry): void {
  if (r.ExplicitHashKey === undefined || parseHashKey(r.ExplicitHashKey) !== undefined) return
  throw kinesisErrors.invalidArgument('Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. ' +
    `Specified value was ${r.ExplicitHashKey}`)
}

/** The open shard owning the record's hash key: ExplicitHashKey when given (checked already), else the MD5 of the partition key. */
function route(stream: Stream, open: Shard[], r: Entry): Shard {
  const hash = r.ExplicitHashKey !== undefined ? parseHashKey(r.ExplicitHashKey)! : hashOfPartitionKey(r.PartitionKey)
  const sorted = open.length > 1 && open[0]!.start > open[1]!.start ? [...open].sort((a, b) => (a.start < b.start ? -1 : 1)) : open
  const shard = stream.shardFor(hash, sorted)
  if (shard === undefined) throw kinesisErrors.streamNotFound(stream.name, stream.meta.account) // no open shard: never for a live stream
  return shard
}

/** What a starting position needs whatever the stream: a sequence number exactly for the sequence types, a past timestamp for AT_TIMESTAMP. */
export function checkIteratorArguments(input: T.GetShardIteratorInput, now: number): void {
  const type = input.ShardIteratorType
  const seq = input.StartingSequenceNumber
  const bySequence = type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER'
  if (bySequence !== (seq !== undefined) && type !== 'AT_TIMESTAMP') {
    throw kinesisErrors.invalidArgument('Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or ' +
      `(2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified ${type} and ` +
      `${seq === undefined ? 'no' : 'also a'} StartingSequenceNumber.`)
  }
  if (type !== 'AT_TIMESTAMP') return
  if (input.Timestamp === undefined) {
    throw kinesisErrors.invalidArgument('Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. ' +
      'Current request has no timestamp parameter.')
  }
  const time = input.Timestamp.getTime()
  if (time > now) {
    throw kinesisErrors.invalidArgument('The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. ' +
      `timestampInMillis: ${time}, currentTimestampInMillis: ${now}`)
  }
}

export function startPosition(stream: Stream, shard: Shard, input: T.GetShardIteratorInput, now: number): number {
  checkIteratorArguments(input, now)
  const type = input.ShardIteratorType
  const seq = input.StartingSequenceNumber
  switch (type) {
    case 'TRIM_HORIZON': return shard.trimHorizon
    case 'LATEST': return shard.nextCounter
    case 'AT_TIMESTAMP': return shard.counterAtTime(input.Timestamp!.getTime())
    default: {
      const parts = parseSequence(seq!)
      const where = `used in GetShardIterator on shard ${shard.id} in stream ${stream.name} under account ${stream.meta.account}`
      if (parts === undefined) throw kinesisErrors.invalidArgument(`StartingSequenceNumber ${seq} ${where} is invalid.`)
      if (parts.shardIndex !== shard.meta.index) {
        const encoded = `shardId-${String(parts.shardIndex).padStart(12, '0')}`
        throw kinesisErrors.invalidArgument(`Invalid StartingSequenceNumber. It encodes ${encoded}, while it was used in a call to a shard with ${shard.id}`)
      }
      if (parts.streamEpoch !== stream.epoch) {
        throw kinesisErrors.invalidArgument(`StartingSequenceNumber ${seq} ${where} is invalid because it did not come from this stream.`)
      }
      return type === 'AT_SEQUENCE_NUMBER' ? parts.counter : parts.counter + 1
    }
  }
}

function iteratorFor(stream: Stream, shard: Shard, position: number, now: number): string {
  return encodeIterator({ account: stream.meta.account, region: stream.meta.region, stream: stream.name, epoch: stream.epoch,
    shardIndex: shard.meta.index, position, createdAt: now })
}

function iteratorStream(state: KinesisState, it: { account: string; region: string; stream: string }, input: T.GetRecordsInput,
  ctx: OperationContext): Stream {
  if (input.StreamARN !== undefined) {
    const stream = requireReadable(state, { StreamARN: input.StreamARN }, ctx)
    if (stream.name !== it.stream || stream.meta.account !== it.account) throw kinesisErrors.invalidIterator()
    return stream
  }
  return requireReadable(state, { StreamARN: `arn:aws:kinesis:${it.region}:${it.account}:stream/${it.stream}` }, ctx)
}

