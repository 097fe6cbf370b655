// Records: PutRecord/PutRecords (MD5 routing, per-shard write limits on the clock, per-record
// failures), GetShardIterator and GetRecords (lineage at a closed shard's end, read limits, expiry).
import type { Operation, OperationContext } from '../../service.ts'
import { coralValidationError } from '../../../protocol/coral-validation.ts'
import { encryptionAt } from '../encryption.ts'
import { kinesisErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { hashOfPartitionKey, parseHashKey } from '../hash-keys.ts'
import { decodeIterator, encodeIterator } from '../iterators.ts'
import { limits } from '../limits.ts'
import { parseSequence } from '../sequence-numbers.ts'
import type { ReadRecord, Shard } from '../shard.ts'
import type { KinesisState } from '../store.ts'
import type { Stream } from '../stream.ts'
import { addressOf, requireReadable, requireShardId, type StreamAddress } from './common.ts'
import type { KinesisMetrics } from '../metrics.ts'
import { DryRuns } from '../dry-run.ts'

interface Entry { Data: Uint8Array; PartitionKey?: string; ExplicitHashKey?: string }

export function recordOperations(state: KinesisState, metrics?: KinesisMetrics, dryRuns = new DryRuns()) {
  const putRecord: Operation<T.PutRecordInput, T.PutRecordOutput> = (input, ctx) => {
    checkKeysPresent(state, input, ctx, [input], () => 'partitionKey')
    checkHashKey(input)
    const stream = requireReadable(state, input, ctx)
    const key = input.PartitionKey ?? ''
    const bytes = input.Data.length + Buffer.byteLength(key)
    checkRecordSizes(stream, [input], [bytes], () => 'data')
    // AWS (service-managed distribution): SequenceNumberForOrdering "Must not be provided. PutRecord
    // requests that include this field are rejected with an InvalidArgumentException." [R: the message]
    if (input.SequenceNumberForOrdering !== undefined && stream.meta.recordDistribution === 'AUTO') {
      throw kinesisErrors.invalidArgument(`SequenceNumberForOrdering is not supported for stream ${stream.name} under account ` +
        `${stream.meta.account} with record distribution strategy AUTO.`)
    }
    const shard = route(stream, stream.openShardsByHashKey(), input)
    const now = state.now()
    if (input.DryRun === true) dryRuns.answer(stream, now)
    stream.trim(now)
    const verdict = stream.admitWrite(shard, now, bytes)
    const admitted = verdict === 'ok'
    metrics?.putRecord(stream.meta.account, stream.meta.region, stream.name, bytes, admitted)
    const enhanced = stream.meta.shardLevelMetrics
    if (enhanced.length > 0) metrics?.shardWrite(stream.meta.account, stream.meta.region, stream.name, shard.id, enhanced, admitted ? 1 : 0, admitted ? bytes : 0, admitted ? 0 : 1)
    if (verdict === 'stream') throw kinesisErrors.streamWriteThroughput(stream.name, stream.meta.account)
    if (!admitted) throw kinesisErrors.writeThroughput(shard.id, stream.name, stream.meta.account)
    const counter = shard.append([key], [asBuffer(input.Data)], now)
    state.touched(stream)
    return { ShardId: shard.id, SequenceNumber: shard.sequenceOf(counter, now), EncryptionType: encryptionAt(stream.meta, now) }
  }

  const putRecords: Operation<T.PutRecordsInput, T.PutRecordsOutput> = (input, ctx) => {
    const records = input.Records
    const n = records.length
    checkKeysPresent(state, input, ctx, records, (i) => `records.${i + 1}.member.partitionKey`)
    // Each record's size (blob plus key) is measured once: the 10 MiB check, the record size check and the shard's budget use it.
    const sizes = new Array<number>(n)
    let total = 0
    for (let i = 0; i < n; i++) {
      const r = records[i]!
      if (r.ExplicitHashKey !== undefined) checkHashKey(r)
      sizes[i] = r.Data.length + (r.PartitionKey === undefined ? 0 : Buffer.byteLength(r.PartitionKey))
      total += sizes[i]!
    }
    if (total > limits.maxPutBytes) throw kinesisErrors.invalidArgument('Records size exceeds 10 MB limit') // [R] was "5 MB" before large records
    const stream = requireReadable(state, input, ctx)
    checkRecordSizes(stream, records, sizes, (i) => `records.${i + 1}.member.data`)
    const open = stream.openShardsByHashKey()
    const now = state.now()
    if (input.DryRun === true) dryRuns.answer(stream, now)
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
      const first = shard.append(indexes.map((i) => records[i]!.PartitionKey ?? ''), indexes.map((i) => asBuffer(records[i]!.Data)), now)
      for (let k = 0; k < indexes.length; k++) sequences[indexes[k]!] = shard.sequenceOf(first + k, now)
    }
    if (batches.size > 0) state.touched(stream)
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
    return { FailedRecordCount: failed, Records: results, EncryptionType: encryptionAt(stream.meta, now) }
  }

  const getShardIterator: Operation<T.GetShardIteratorInput, T.GetShardIteratorOutput> = (input, ctx) => {
    // The arguments are checked before the stream is looked up (AWS's order: request, then resource).
    checkIteratorArguments(input, state.now())
    const shardId = requireShardId(input.ShardId, input, ctx)
    // A stream that doesn't exist, or shows no shards (still CREATING, or deleted while CREATING), is
    // reported as its shard not existing (AWS's recorded answers).
    const { account, region, name } = addressOf(input, ctx)
    const found = state.find(account, region, name)
    if (found === undefined || !found.showsShards) throw kinesisErrors.shardMissing(shardId, name, account)
    const stream = requireReadable(state, input, ctx)
    const shard = stream.shard(shardId)
    if (shard === undefined) throw kinesisErrors.shardMissing(shardId, stream.name, stream.meta.account)
    const now = state.now()
    if (input.DryRun === true) {
      // A sequence number is still checked against the shard and stream (no records are looked at).
      if (input.StartingSequenceNumber !== undefined) startPosition(stream, shard, input)
      dryRuns.answer(stream, now)
    }
    stream.trim(now)
    const position = startPosition(stream, shard, input)
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
    // A dry run spends none of the shard's 5 reads a second.
    if (input.DryRun === true) dryRuns.answer(stream, now)
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
    // Iterator age: how far behind the tip the last record returned was (0 once caught up), as AWS reports it.
    metrics?.getRecords(stream.meta.account, stream.meta.region, stream.name, { records: read.length, bytes: readBytes, iteratorAgeMs: millisBehind })
    if (stream.meta.shardLevelMetrics.length > 0) {
      metrics?.shardRead(stream.meta.account, stream.meta.region, stream.name, shard.id, stream.meta.shardLevelMetrics,
        { records: read.length, bytes: readBytes, iteratorAgeMs: millisBehind })
    }
    return {
      Records: read.map((r) => recordShape(stream, shard, r)),
      // A closed shard read to its end has no next iterator: its children carry on.
      ...(!ended && { NextShardIterator: iteratorFor(stream, shard, next, now) }),
      MillisBehindLatest: millisBehind,
      ...(ended && { ChildShards: childShards(stream, shard) }),
    }
  }

  return { PutRecord: putRecord, PutRecords: putRecords, GetShardIterator: getShardIterator, GetRecords: getRecords }
}

/** A record as GetRecords and SubscribeToShard answer it: EncryptionType KMS if it was written encrypted. */
export function recordShape(stream: Stream, shard: Shard, r: ReadRecord): T.Record {
  return {
    SequenceNumber: shard.sequenceOf(r.entry.counter, r.entry.arrival), ApproximateArrivalTimestamp: new Date(r.entry.arrival),
    // An AUTO stream's record sent without a key has none ('' stored: a real key has at least 1 character).
    Data: r.data, ...(r.entry.partitionKey !== '' && { PartitionKey: r.entry.partitionKey }), ...(encryptionAt(stream.meta, r.entry.arrival) === 'KMS' && { EncryptionType: 'KMS' as const }),
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

/**
 * The stream's maximum record size (MaxRecordSizeInKiB, 1 MiB by default): the model lets blobs up to
 * 10 MiB through, so the stream's own limit is checked once it is found. A blob past it is Coral's
 * ValidationException, as AWS answered a 1 MiB stream (recorded in awslabs/amazon-kinesis-producer
 * #680, 2025): `Value at 'records.1.member.data' failed to satisfy constraint: Member must have length
 * less than or equal to 1048576` — every such record of the call in one message; then blob plus key
 * past it (`sizes`, measured once by the caller), InvalidArgumentException [R].
 */
function checkRecordSizes(stream: Stream, records: readonly Entry[], sizes: readonly number[], member: (i: number) => string): void {
  const max = stream.maxRecordBytes
  let failures: string[] | undefined
  for (let i = 0; i < records.length; i++) {
    if (records[i]!.Data.length <= max) continue
    ;(failures ??= []).push(`Value at '${member(i)}' failed to satisfy constraint: Member must have length less than or equal to ${max}`)
  }
  if (failures !== undefined) throw coralValidationError(failures)
  for (const size of sizes) {
    if (size > max) {
      throw kinesisErrors.invalidArgument(`Record size ${size} bytes (data and partition key) exceeds the maximum record size of ${max / 1024} KiB.`) // [R]
    }
  }
}

/**
 * The model lets a record go without its partition key since AWS added AUTO distribution; every other
 * stream still needs one, in Coral's words (`Value null at 'partitionKey' failed to satisfy constraint:
 * Member must not be null`, as before the key was optional), checked before anything else as Coral did.
 */
function checkKeysPresent(state: KinesisState, input: StreamAddress, ctx: OperationContext, records: readonly Entry[],
  member: (i: number) => string): void {
  let missing: string[] | undefined
  for (let i = 0; i < records.length; i++) {
    if (records[i]!.PartitionKey !== undefined) continue
    ;(missing ??= []).push(`Value null at '${member(i)}' failed to satisfy constraint: Member must not be null`)
  }
  if (missing === undefined) return
  let auto = false
  try {
    const { account, region, name } = addressOf(input, ctx)
    auto = state.find(account, region, name)?.meta.recordDistribution === 'AUTO'
  } catch {
    // An address that names no stream: the missing key is what is reported.
  }
  if (!auto) throw coralValidationError(missing)
}

/** An ExplicitHashKey past 2^128 - 1 (the model's pattern allows 39 digits): checked before the stream is looked up. */
function checkHashKey(r: Entry): void {
  if (r.ExplicitHashKey === undefined || parseHashKey(r.ExplicitHashKey) !== undefined) return
  throw kinesisErrors.invalidArgument('Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. ' +
    `Specified value was ${r.ExplicitHashKey}`)
}

/**
 * The open shard owning the record's hash key: ExplicitHashKey when given (checked already), else the
 * MD5 of the partition key. An AUTO stream ignores both and spreads records evenly (stream.ts). `open`:
 * the stream's open shards in hash-key order (openShardsByHashKey).
 */
function route(stream: Stream, open: readonly Shard[], r: Entry): Shard {
  if (stream.meta.recordDistribution === 'AUTO') return stream.nextEvenShard(open)
  const hash = r.ExplicitHashKey !== undefined ? parseHashKey(r.ExplicitHashKey)! : hashOfPartitionKey(r.PartitionKey!)
  const shard = stream.shardFor(hash, open)
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

/** The counter a shard iterator starts at; `input` has passed checkIteratorArguments already (both callers check it before the stream is looked up). */
export function startPosition(stream: Stream, shard: Shard, input: T.GetShardIteratorInput): number {
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

