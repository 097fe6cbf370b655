// Kinesis records with @aws-sdk/client-kinesis on the manual clock: MD5 routing and ExplicitHashKey,
// sequence numbers, every iterator type, GetRecords paging, AWS's size limits and messages, per-shard
// throughput per second of the clock, iterator expiry after 5 minutes and retention expiry.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import {
  GetRecordsCommand, GetShardIteratorCommand, IncreaseStreamRetentionPeriodCommand, type KinesisClient, PutRecordCommand, PutRecordsCommand,
} from '@aws-sdk/client-kinesis'
import { activeStream, kinesisClient } from '../../helpers/kinesis.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const client = () => kinesisClient(nimbus.current)
const half = 1n << 127n

async function iterator(k: KinesisClient, name: string, type: 'TRIM_HORIZON' | 'LATEST', shard = 'shardId-000000000000'): Promise<string> {
  return (await k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: shard, ShardIteratorType: type }))).ShardIterator!
}

const text = (data: Uint8Array | undefined) => Buffer.from(data!).toString()

describe('writing', () => {
  it('routes by the MD5 of the partition key, or by ExplicitHashKey', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k, 2)
    for (const key of ['alpha', 'beta', 'gamma', 'delta']) {
      const hash = BigInt(`0x${createHash('md5').update(key).digest('hex')}`)
      const put = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: key, Data: Buffer.from(key) }))
      assert.equal(put.ShardId, hash < half ? 'shardId-000000000000' : 'shardId-000000000001', key)
    }
    const explicit = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'alpha', Data: Buffer.from('x'),
      ExplicitHashKey: String(half) }))
    assert.equal(explicit.ShardId, 'shardId-000000000001')
    const bad = await sdkError(k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'a', Data: Buffer.from('x'),
      ExplicitHashKey: String(1n << 128n) })))
    assert.deepEqual(bad, { name: 'InvalidArgumentException', status: 400, message: 'Invalid ExplicitHashKey. ExplicitHashKey must be in ' +
      `the range: [0, 2^128-1]. Specified value was ${1n << 128n}` })
  })

  it('sequence numbers are 56 digits and increase within a shard; PutRecords answers in request order', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    const first = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('1') }))
    const batch = await k.send(new PutRecordsCommand({ StreamName: name,
      Records: ['2', '3', '4'].map((d) => ({ PartitionKey: d, Data: Buffer.from(d) })) }))
    assert.equal(batch.FailedRecordCount, 0)
    const seqs = [first.SequenceNumber!, ...batch.Records!.map((r) => r.SequenceNumber!)]
    for (const s of seqs) assert.match(s, /^49\d{54}$/)
    for (let i = 1; i < seqs.length; i++) assert.ok(BigInt(seqs[i]!) > BigInt(seqs[i - 1]!))
    const read = await k.send(new GetRecordsCommand({ ShardIterator: await iterator(k, name, 'TRIM_HORIZON') }))
    assert.deepEqual(read.Records?.map((r) => [text(r.Data), r.SequenceNumber]), ['1', '2', '3', '4'].map((d, i) => [d, seqs[i]]))
  })

  it('AWS size limits: the stream\'s 1 MiB blob by default, 10 MB request, 500 records, keys of 1–256 characters', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k, 8)
    const big = Buffer.alloc(1_048_577)
    // As AWS answers a stream at its default MaxRecordSizeInKiB (recorded in awslabs/amazon-kinesis-producer#680).
    assert.deepEqual(await sdkError(k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: big }))), {
      name: 'ValidationException', status: 400, message: "1 validation error detected: Value at 'data' failed to satisfy constraint: " +
        'Member must have length less than or equal to 1048576' })
    const inBatch = await sdkError(k.send(new PutRecordsCommand({ StreamName: name,
      Records: [{ PartitionKey: 'a', Data: Buffer.from('x') }, { PartitionKey: 'b', Data: big }] })))
    assert.equal(inBatch.message, "1 validation error detected: Value at 'records.2.member.data' failed to satisfy constraint: " +
      'Member must have length less than or equal to 1048576')
    // Past the model's 10 MiB the blob is Coral's, before the stream is looked up.
    const huge = await sdkError(k.send(new PutRecordCommand({ StreamName: 'no-such-stream', PartitionKey: 'p', Data: Buffer.alloc(10_485_761) })))
    assert.equal(huge.name, 'ValidationException')
    assert.match(huge.message, /lim=10485761 cap=10485761\]' at 'data' failed to satisfy constraint: Member must have length less than or equal to 10485760$/)
    const eleven = Array.from({ length: 11 }, (_, i) => ({ PartitionKey: `k${i}`, Data: Buffer.alloc(1_000_000) }))
    assert.deepEqual(await sdkError(k.send(new PutRecordsCommand({ StreamName: name, Records: eleven }))),
      { name: 'InvalidArgumentException', status: 400, message: 'Records size exceeds 10 MB limit' })
    const many = Array.from({ length: 501 }, () => ({ PartitionKey: 'k', Data: Buffer.from('x') }))
    const tooMany = await sdkError(k.send(new PutRecordsCommand({ StreamName: name, Records: many })))
    assert.equal(tooMany.name, 'ValidationException')
    assert.match(tooMany.message, /at 'records' failed to satisfy constraint: Member must have length less than or equal to 500$/)
    const longKey = await sdkError(k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k'.repeat(257), Data: Buffer.from('x') })))
    assert.equal(longKey.message, `1 validation error detected: Value '${'k'.repeat(257)}' at 'partitionKey' failed to satisfy constraint: ` +
      'Member must have length less than or equal to 256')
    const emptyKey = await sdkError(k.send(new PutRecordCommand({ StreamName: name, PartitionKey: '', Data: Buffer.from('x') })))
    assert.equal(emptyKey.message, "1 validation error detected: Value '' at 'partitionKey' failed to satisfy constraint: " +
      'Member must have length greater than or equal to 1')
  })

  it('a shard takes 1,000 records or 1 MiB per second of the clock; the rest fail per record', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    const batch = () => Array.from({ length: 500 }, (_, i) => ({ PartitionKey: `k${i}`, Data: Buffer.from('r') }))
    assert.equal((await k.send(new PutRecordsCommand({ StreamName: name, Records: batch() }))).FailedRecordCount, 0)
    assert.equal((await k.send(new PutRecordsCommand({ StreamName: name, Records: batch() }))).FailedRecordCount, 0)
    const over = await k.send(new PutRecordsCommand({ StreamName: name, Records: batch() }))
    assert.equal(over.FailedRecordCount, 500)
    assert.deepEqual(over.Records?.[0], { ErrorCode: 'ProvisionedThroughputExceededException',
      ErrorMessage: `Rate exceeded for shard shardId-000000000000 in stream ${name} under account 000000000000.` })
    const single = await sdkError(k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('x') })))
    assert.deepEqual(single, { name: 'ProvisionedThroughputExceededException', status: 400,
      message: `Rate exceeded for shard shardId-000000000000 in stream ${name} under account 000000000000.` })
    await advance(nimbus.current, 1000)
    assert.equal((await k.send(new PutRecordsCommand({ StreamName: name, Records: batch() }))).FailedRecordCount, 0)
    // Bytes: a 600 KB record fits, a second one in the same second does not.
    await advance(nimbus.current, 1000)
    await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.alloc(600_000) }))
    const bytes = await sdkError(k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.alloc(600_000) })))
    assert.equal(bytes.name, 'ProvisionedThroughputExceededException')
  })
})

describe('reading', () => {
  it('TRIM_HORIZON, LATEST, AT/AFTER_SEQUENCE_NUMBER and AT_TIMESTAMP start where AWS starts', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    const seqs: string[] = []
    for (const d of ['a', 'b', 'c']) {
      seqs.push((await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from(d) }))).SequenceNumber!)
      await advance(nimbus.current, 1000)
    }
    const read = async (input: Partial<ConstructorParameters<typeof GetShardIteratorCommand>[0]>) => {
      const it = await k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON', ...input }))
      return (await k.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }))).Records!.map((r) => text(r.Data))
    }
    assert.deepEqual(await read({ ShardIteratorType: 'TRIM_HORIZON' }), ['a', 'b', 'c'])
    assert.deepEqual(await read({ ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: seqs[1] }), ['b', 'c'])
    assert.deepEqual(await read({ ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: seqs[1] }), ['c'])
    const at = new Date(nimbus.current.clock.now() - 1500)
    assert.deepEqual(await read({ ShardIteratorType: 'AT_TIMESTAMP', Timestamp: at }), ['c'])
    const latest = await iterator(k, name, 'LATEST')
    await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('d') }))
    assert.deepEqual((await k.send(new GetRecordsCommand({ ShardIterator: latest }))).Records!.map((r) => text(r.Data)), ['d'])
    const noSeq = await sdkError(read({ ShardIteratorType: 'AT_SEQUENCE_NUMBER' }))
    assert.equal(noSeq.message, 'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or ' +
      '(2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified AT_SEQUENCE_NUMBER and no StartingSequenceNumber.')
    const future = await sdkError(read({ ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(nimbus.current.clock.now() + 60_000) }))
    assert.equal(future.name, 'InvalidArgumentException')
  })

  it('GetRecords pages with Limit and NextShardIterator; MillisBehindLatest says how far behind', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    await k.send(new PutRecordsCommand({ StreamName: name, Records: ['1', '2', '3', '4', '5'].map((d) => ({ PartitionKey: d, Data: Buffer.from(d) })) }))
    await advance(nimbus.current, 2000)
    const first = await k.send(new GetRecordsCommand({ ShardIterator: await iterator(k, name, 'TRIM_HORIZON'), Limit: 2 }))
    assert.deepEqual(first.Records!.map((r) => text(r.Data)), ['1', '2'])
    assert.equal(first.MillisBehindLatest, 2000)
    const rest = await k.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator, Limit: 10 }))
    assert.deepEqual(rest.Records!.map((r) => text(r.Data)), ['3', '4', '5'])
    assert.equal(rest.MillisBehindLatest, 0)
    const empty = await k.send(new GetRecordsCommand({ ShardIterator: rest.NextShardIterator }))
    assert.deepEqual(empty.Records, [])
    assert.ok(empty.NextShardIterator)
    const overLimit = await sdkError(k.send(new GetRecordsCommand({ ShardIterator: rest.NextShardIterator, Limit: 10_001 })))
    assert.equal(overLimit.name, 'ValidationException')
  })

  it('5 GetRecords calls per shard per second of the clock', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    let it = await iterator(k, name, 'TRIM_HORIZON')
    for (let i = 0; i < 5; i++) it = (await k.send(new GetRecordsCommand({ ShardIterator: it }))).NextShardIterator!
    const throttled = await sdkError(k.send(new GetRecordsCommand({ ShardIterator: it })))
    assert.deepEqual(throttled, { name: 'ProvisionedThroughputExceededException', status: 400,
      message: `Rate exceeded for Shard - 000000000000/${name}/shardId-000000000000` })
    await advance(nimbus.current, 1000)
    await k.send(new GetRecordsCommand({ ShardIterator: it }))
  })

  it('a read past 2 MiB blocks the shard until it is paid off at 2 MiB/s', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    for (let i = 0; i < 5; i++) {
      await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.alloc(900_000, i) }))
      await advance(nimbus.current, 1000)
    }
    const big = await k.send(new GetRecordsCommand({ ShardIterator: await iterator(k, name, 'TRIM_HORIZON') }))
    assert.equal(big.Records?.length, 5)
    // 4.5 MB read: blocked for ceil(4.5 MB / 2 MiB) = 3 seconds from the start of this one.
    await advance(nimbus.current, 2000)
    assert.equal((await sdkError(k.send(new GetRecordsCommand({ ShardIterator: big.NextShardIterator })))).name,
      'ProvisionedThroughputExceededException')
    await advance(nimbus.current, 1000)
    assert.deepEqual((await k.send(new GetRecordsCommand({ ShardIterator: big.NextShardIterator }))).Records, [])
  })

  it('iterators expire after 5 minutes of the clock, in AWS words; garbage is InvalidArgumentException', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    const it = await iterator(k, name, 'TRIM_HORIZON')
    const made = nimbus.current.clock.now()
    await advance(nimbus.current, 300_001)
    const expired = await sdkError(k.send(new GetRecordsCommand({ ShardIterator: it })))
    assert.equal(expired.name, 'ExpiredIteratorException')
    const javaUtc = (ms: number) => {
      const [wd, d, mon, y, t] = new Date(ms).toUTCString().replace(',', '').split(' ')
      return `${wd} ${mon} ${d} ${t} UTC ${y}`
    }
    assert.equal(expired.message, `Iterator expired. The iterator was created at time ${javaUtc(made)} while right now it is ` +
      `${javaUtc(made + 300_001)} which is further in the future than the tolerated delay of 300000 milliseconds.`)
    assert.deepEqual(await sdkError(k.send(new GetRecordsCommand({ ShardIterator: 'bm90IGFuIGl0ZXJhdG9y' }))),
      { name: 'InvalidArgumentException', message: 'Invalid ShardIterator.', status: 400 })
  })

  it('records expire with retention, lazily: TRIM_HORIZON moves past them', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('old') }))
    await advance(nimbus.current, 23 * 3_600_000)
    await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('new') }))
    const stale = await iterator(k, name, 'TRIM_HORIZON')
    await advance(nimbus.current, 3_600_001)
    // Past 24 h after the first record: it is gone, the second stays; an older iterator skips to what remains.
    const read = await k.send(new GetRecordsCommand({ ShardIterator: await iterator(k, name, 'TRIM_HORIZON') }))
    assert.deepEqual(read.Records!.map((r) => text(r.Data)), ['new'])
    assert.equal((await sdkError(k.send(new GetRecordsCommand({ ShardIterator: stale })))).name, 'ExpiredIteratorException')
    await k.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 168 }))
    await advance(nimbus.current, 48 * 3_600_000)
    const kept = await k.send(new GetRecordsCommand({ ShardIterator: await iterator(k, name, 'TRIM_HORIZON') }))
    assert.deepEqual(kept.Records!.map((r) => text(r.Data)), ['new'])
  })
})
