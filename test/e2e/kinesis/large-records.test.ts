// Records up to 10 MiB with @aws-sdk/client-kinesis: CreateStream's MaxRecordSizeInKiB and
// UpdateMaxRecordSize (shown by DescribeStreamSummary, checked by PutRecord/PutRecords with AWS's
// ValidationException), a large record's burst past the shard's 1 MiB/s, GetRecords handing it back,
// and the setting kept in the stream's row across a restart.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateStreamCommand, DescribeStreamSummaryCommand, GetRecordsCommand, GetShardIteratorCommand, type KinesisClient, PutRecordCommand,
  PutRecordsCommand, UpdateMaxRecordSizeCommand,
} from '@aws-sdk/client-kinesis'
import { CreateEventSourceMappingCommand } from '@aws-sdk/client-lambda'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { watchFunctionLog } from '../../helpers/function-log.ts'
import { durableNimbus } from '../../helpers/durable-nimbus.ts'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { advance, toNextSecond, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const client = () => kinesisClient(nimbus.current)
const MiB = 1_048_576

const maxSize = async (k: KinesisClient, name: string) =>
  (await k.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!.MaxRecordSizeInKiB

/** A blob whose bytes are not all alike, so a record handed back is checked byte for byte. */
function blob(size: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(size)
  for (let i = 0; i < size; i++) b[i] = (i * 31 + seed) & 0xff
  return b
}

describe('maximum record size', () => {
  it('1,024 KiB by default; CreateStream and UpdateMaxRecordSize set it (1,024–10,240, the model\'s ValidationException)', async () => {
    const k = client()
    const plain = await activeStream(nimbus.current, k)
    assert.equal(await maxSize(k, plain), 1024)
    const name = uniqueName('ks')
    await k.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1, MaxRecordSizeInKiB: 4096 }))
    await advance(nimbus.current, 500)
    assert.equal(await maxSize(k, name), 4096)
    await k.send(new UpdateMaxRecordSizeCommand({ StreamARN: streamArn(plain), MaxRecordSizeInKiB: 10240 }))
    const summary = (await k.send(new DescribeStreamSummaryCommand({ StreamName: plain }))).StreamDescriptionSummary!
    assert.equal(summary.MaxRecordSizeInKiB, 10240)
    assert.equal(summary.StreamStatus, 'ACTIVE')
    // On-demand streams take it too.
    const onDemand = uniqueName('ks')
    await k.send(new CreateStreamCommand({ StreamName: onDemand, StreamModeDetails: { StreamMode: 'ON_DEMAND' }, MaxRecordSizeInKiB: 2048 }))
    await advance(nimbus.current, 500)
    assert.equal(await maxSize(k, onDemand), 2048)

    assert.deepEqual(await sdkError(k.send(new UpdateMaxRecordSizeCommand({ StreamARN: streamArn(plain), MaxRecordSizeInKiB: 10241 }))), {
      name: 'ValidationException', status: 400, message: "1 validation error detected: Value '10241' at 'maxRecordSizeInKiB' failed to " +
        'satisfy constraint: Member must have value less than or equal to 10240' })
    const low = await sdkError(k.send(new CreateStreamCommand({ StreamName: uniqueName('ks'), ShardCount: 1, MaxRecordSizeInKiB: 1023 })))
    assert.equal(low.message, "1 validation error detected: Value '1023' at 'maxRecordSizeInKiB' failed to satisfy constraint: " +
      'Member must have value greater than or equal to 1024')
    const missing = await sdkError(k.send(new UpdateMaxRecordSizeCommand({ StreamARN: streamArn('no-such-stream'), MaxRecordSizeInKiB: 2048 })))
    assert.deepEqual([missing.name, missing.message], ['ResourceNotFoundException', 'Stream no-such-stream under account 000000000000 not found.'])
    // A stream must be ACTIVE to change.
    const creating = uniqueName('ks')
    await k.send(new CreateStreamCommand({ StreamName: creating, ShardCount: 1 }))
    const busy = await sdkError(k.send(new UpdateMaxRecordSizeCommand({ StreamARN: streamArn(creating), MaxRecordSizeInKiB: 2048 })))
    assert.deepEqual([busy.name, busy.message], ['ResourceInUseException',
      `Stream ${creating} under account 000000000000 not ACTIVE, instead in state CREATING`])
  })

  it('PutRecord and PutRecords take records up to the stream\'s size and GetRecords hands them back whole', async () => {
    const k = client()
    const name = uniqueName('ks')
    await k.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2, MaxRecordSizeInKiB: 10240 }))
    await advance(nimbus.current, 500)
    // 10 MiB less the key: the largest record the stream takes.
    const tenMiB = blob(10 * MiB - 1, 7)
    const put = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: tenMiB, ExplicitHashKey: '0' }))
    assert.equal(put.ShardId, 'shardId-000000000000')
    // One byte more is past the stream's size (data and key: InvalidArgumentException; the blob alone past it: ValidationException).
    const over = await sdkError(k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'kk', Data: tenMiB })))
    assert.equal(over.name, 'InvalidArgumentException')
    // A PutRecords call of two 3 MiB records to the other shard: the request is under its 10 MB.
    await advance(nimbus.current, 1000)
    const batch = await k.send(new PutRecordsCommand({ StreamName: name, Records: [
      { PartitionKey: 'a', Data: blob(3 * MiB, 1), ExplicitHashKey: String(1n << 127n) },
      { PartitionKey: 'b', Data: blob(3 * MiB, 2), ExplicitHashKey: String(1n << 127n) },
    ] }))
    // The first bursts past the shard's 1 MiB/s; the second finds the shard still paying it off.
    assert.equal(batch.FailedRecordCount, 1)
    assert.equal(batch.Records![1]!.ErrorCode, 'ProvisionedThroughputExceededException')

    const iterator = (await k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000',
      ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator!
    const read = await k.send(new GetRecordsCommand({ ShardIterator: iterator }))
    assert.equal(read.Records!.length, 1)
    assert.ok(Buffer.from(read.Records![0]!.Data!).equals(tenMiB))
    const other = (await k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000001',
      ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator!
    const second = await k.send(new GetRecordsCommand({ ShardIterator: other }))
    assert.ok(Buffer.from(second.Records![0]!.Data!).equals(blob(3 * MiB, 1)))
  })

  it('a large record\'s burst is paid off at 1 MiB/s of the clock before the shard takes more', async () => {
    const k = client()
    const name = uniqueName('ks')
    await k.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1, MaxRecordSizeInKiB: 4096 }))
    await advance(nimbus.current, 500)
    await toNextSecond(nimbus.current)
    // 3 MiB with its key: the shard takes nothing more for 3 s.
    await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.alloc(3 * MiB - 1) }))
    await advance(nimbus.current, 2000)
    const throttled = await sdkError(k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.from('x') })))
    assert.equal(throttled.name, 'ProvisionedThroughputExceededException')
    await advance(nimbus.current, 1000)
    await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.from('x') }))
  })

  it('a stream at the default size refuses a 2 MiB record until UpdateMaxRecordSize raises it', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    const twoMiB = Buffer.alloc(2 * MiB)
    assert.deepEqual(await sdkError(k.send(new PutRecordsCommand({ StreamName: name, Records: [
      { PartitionKey: 'a', Data: twoMiB }, { PartitionKey: 'b', Data: Buffer.from('x') }, { PartitionKey: 'c', Data: twoMiB }] }))), {
      name: 'ValidationException', status: 400, message: "2 validation errors detected: Value at 'records.1.member.data' failed to satisfy " +
        "constraint: Member must have length less than or equal to 1048576; Value at 'records.3.member.data' failed to satisfy constraint: " +
        'Member must have length less than or equal to 1048576' })
    await k.send(new UpdateMaxRecordSizeCommand({ StreamARN: streamArn(name), MaxRecordSizeInKiB: 2049 }))
    const put = await k.send(new PutRecordsCommand({ StreamName: name, Records: [{ PartitionKey: 'a', Data: twoMiB }] }))
    assert.equal(put.FailedRecordCount, 0)
  })
})

describe('large records downstream', () => {
  it('a Lambda event source mapping hands a 3 MiB record to its function whole', async () => {
    const k = client()
    const name = uniqueName('ks')
    await k.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1, MaxRecordSizeInKiB: 4096 }))
    await advance(nimbus.current, 500)
    const data = blob(3 * MiB, 9)
    await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: data }))
    const lambda = lambdaClient(nimbus.current)
    const fn = await createFunction(lambda, `
      const { createHash } = require('node:crypto')
      exports.handler = async (event) => {
        for (const r of event.Records) console.log('RECORD ' + JSON.stringify([Buffer.from(r.kinesis.data, 'base64').length,
          createHash('md5').update(Buffer.from(r.kinesis.data, 'base64')).digest('hex')]))
      }`)
    const log = watchFunctionLog(nimbus.current, fn)
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: streamArn(name), StartingPosition: 'TRIM_HORIZON' }))
    await log.waitFor('REPORT RequestId', 1)
    const { createHash } = await import('node:crypto')
    assert.deepEqual(log.tagged('RECORD'), [[3 * MiB, createHash('md5').update(data).digest('hex')]])
    log.stop()
  })
})

describe('maximum record size on a data dir', () => {
  it('is kept in the stream\'s row: a restart still takes (and reads back) a large record', async () => {
    const n = await durableNimbus('kinesis-large')
    let k = kinesisClient(n.nimbus)
    const name = await activeStream(n.nimbus, k)
    await k.send(new UpdateMaxRecordSizeCommand({ StreamARN: streamArn(name), MaxRecordSizeInKiB: 6144 }))
    const first = blob(5 * MiB, 3)
    await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: first }))
    k.destroy()
    await n.restart()
    k = kinesisClient(n.nimbus)
    try {
      assert.equal(await maxSize(k, name), 6144)
      await advance(n.nimbus, 10_000)
      await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: blob(6 * MiB - 1, 4) }))
      const iterator = (await k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator!
      const read = await k.send(new GetRecordsCommand({ ShardIterator: iterator }))
      // GetRecords answers at most 10 MiB: the first record, then the second on the next call.
      assert.equal(read.Records!.length, 1)
      assert.ok(Buffer.from(read.Records![0]!.Data!).equals(first))
      // The 5 MiB read blocks the shard's reads for ceil(5 / 2) seconds (2 MiB/s), as AWS says.
      await advance(n.nimbus, 3000)
      const next = await k.send(new GetRecordsCommand({ ShardIterator: read.NextShardIterator! }))
      assert.ok(Buffer.from(next.Records![0]!.Data!).equals(blob(6 * MiB - 1, 4)))
    } finally {
      k.destroy()
    }
  })
})
