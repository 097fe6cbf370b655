// ON_DEMAND streams on the manual clock: 4 shards to start, writes spread over them not throttled,
// and a shard that takes more than 500 KiB in a second split in half 15 minutes later (AWS: "When the
// incoming traffic exceeds 500 KB/s per shard, it splits the shard within 15 minutes"), so the stream
// then carries double that traffic. A split is a split: the stream is UPDATING while it is made (the
// last 500 ms before it is due), as for SplitShard — parents open and written, a change needing ACTIVE
// refused. A PROVISIONED stream under the same traffic keeps its shards.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateStreamCommand, DescribeStreamSummaryCommand, IncreaseStreamRetentionPeriodCommand, ListShardsCommand, PutRecordCommand, PutRecordsCommand,
  StartStreamEncryptionCommand, type KinesisClient, type Shard,
} from '@aws-sdk/client-kinesis'
import { kinesisClient } from '../../helpers/kinesis.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { advance, toNextSecond, uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const TWO_128 = 1n << 128n
const status = async (k: KinesisClient, name: string) =>
  (await k.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!.StreamStatus

async function openShards(k: KinesisClient, name: string): Promise<Shard[]> {
  const { Shards } = await k.send(new ListShardsCommand({ StreamName: name }))
  return Shards!.filter((s) => s.SequenceNumberRange?.EndingSequenceNumber === undefined)
}

/** One record of `size` bytes into each open shard (by ExplicitHashKey), in one PutRecords call. */
async function fill(k: KinesisClient, name: string, size: number): Promise<number> {
  const shards = await openShards(k, name)
  const out = await k.send(new PutRecordsCommand({ StreamName: name, Records: shards.map((s) => ({ PartitionKey: 'k',
    ExplicitHashKey: s.HashKeyRange!.StartingHashKey, Data: Buffer.alloc(size, 1) })) }))
  return out.FailedRecordCount!
}

describe('ON_DEMAND streams', () => {
  it('start with 4 shards and split a shard past 500 KiB/s 15 minutes later, doubling what they carry', async () => {
    const k = kinesisClient(nimbus.current)
    const name = uniqueName('od')
    await k.send(new CreateStreamCommand({ StreamName: name, StreamModeDetails: { StreamMode: 'ON_DEMAND' } }))
    await advance(nimbus.current, 500)
    assert.equal((await openShards(k, name)).length, 4)
    await toNextSecond(nimbus.current)
    // 4 × 900,000 bytes in one second: under each shard's 1 MiB, so nothing is throttled.
    assert.equal(await fill(k, name, 900_000), 0)
    await advance(nimbus.current, 15 * 60_000 - 501)
    assert.equal(await status(k, name), 'ACTIVE')
    // The last 500 ms before the split is due: UPDATING, all four splits at once, the parents still open and written.
    await advance(nimbus.current, 1)
    assert.equal(await status(k, name), 'UPDATING')
    assert.equal((await openShards(k, name)).length, 4)
    const during = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', ExplicitHashKey: '0', Data: Buffer.from('x') }))
    assert.equal(during.ShardId, 'shardId-000000000000')
    const refused = await sdkError(k.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 48 })))
    assert.equal(refused.name, 'ResourceInUseException')
    await advance(nimbus.current, 499)
    assert.equal((await openShards(k, name)).length, 4)
    await advance(nimbus.current, 1)
    assert.equal(await status(k, name), 'ACTIVE')
    const after = await openShards(k, name)
    assert.equal(after.length, 8)
    // Each parent's range halved between two children that name it.
    const { Shards: all } = await k.send(new ListShardsCommand({ StreamName: name }))
    for (let i = 0; i < 4; i++) {
      const parent = all!.find((s) => s.ShardId === `shardId-00000000000${i}`)!
      assert.ok(parent.SequenceNumberRange!.EndingSequenceNumber !== undefined)
      const children = after.filter((s) => s.ParentShardId === parent.ShardId)
      const start = BigInt(parent.HashKeyRange!.StartingHashKey!)
      const end = BigInt(parent.HashKeyRange!.EndingHashKey!)
      const middle = start + (end - start + 1n) / 2n
      assert.deepEqual(children.map((c) => [c.HashKeyRange!.StartingHashKey, c.HashKeyRange!.EndingHashKey]),
        [[String(start), String(middle - 1n)], [String(middle), String(end)]])
    }
    assert.equal(BigInt(after.at(-1)!.HashKeyRange!.EndingHashKey!), TWO_128 - 1n)
    // Now 8 shards: twice the earlier peak (8 × 900,000 bytes in a second) goes through unthrottled.
    await toNextSecond(nimbus.current)
    assert.equal(await fill(k, name, 450_000) + await fill(k, name, 450_000), 0)
  })

  it('a split due while the stream is UPDATING for something else waits for it to be ACTIVE, then takes its own UPDATING', async () => {
    const k = kinesisClient(nimbus.current)
    const name = uniqueName('od')
    await k.send(new CreateStreamCommand({ StreamName: name, StreamModeDetails: { StreamMode: 'ON_DEMAND' } }))
    await advance(nimbus.current, 500)
    await toNextSecond(nimbus.current)
    const hot = nimbus.current.clock.now()
    const out = await k.send(new PutRecordsCommand({ StreamName: name, Records: [{ PartitionKey: 'k', ExplicitHashKey: '0',
      Data: Buffer.alloc(600 * 1024, 1) }] }))
    assert.equal(out.FailedRecordCount, 0)
    // Encryption started 600 ms before the split is due: UPDATING until 100 ms before it.
    await advance(nimbus.current, 15 * 60_000 - 600)
    await k.send(new StartStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }))
    await advance(nimbus.current, 600)
    assert.equal(nimbus.current.clock.now(), hot + 15 * 60_000)
    // Asked for when the encryption's UPDATING ended (100 ms ago): made 500 ms after that.
    assert.equal(await status(k, name), 'UPDATING')
    assert.equal((await openShards(k, name)).length, 4)
    await advance(nimbus.current, 399)
    assert.equal((await openShards(k, name)).length, 4)
    await advance(nimbus.current, 1)
    assert.equal(await status(k, name), 'ACTIVE')
    const after = await openShards(k, name)
    assert.deepEqual(after.filter((s) => s.ParentShardId === 'shardId-000000000000').map((s) => s.ShardId), ['shardId-000000000004', 'shardId-000000000005'])
  })

  it('a PROVISIONED stream under the same traffic keeps its shards; a quiet ON_DEMAND one too', async () => {
    const k = kinesisClient(nimbus.current)
    const provisioned = uniqueName('pv')
    const quiet = uniqueName('od')
    await k.send(new CreateStreamCommand({ StreamName: provisioned, ShardCount: 4 }))
    await k.send(new CreateStreamCommand({ StreamName: quiet, StreamModeDetails: { StreamMode: 'ON_DEMAND' } }))
    await advance(nimbus.current, 500)
    await toNextSecond(nimbus.current)
    assert.equal(await fill(k, provisioned, 900_000), 0)
    // 500 KiB exactly is not past the threshold.
    assert.equal(await fill(k, quiet, 500 * 1024 - 1), 0)
    await advance(nimbus.current, 16 * 60_000)
    assert.equal((await openShards(k, provisioned)).length, 4)
    assert.equal((await openShards(k, quiet)).length, 4)
  })
})
