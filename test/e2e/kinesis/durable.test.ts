// Kinesis across restarts on one data dir (in process): streams with their shards, lineage, retention,
// tags and consumers come back from rows; records come back from their per-shard segment files (they
// live on disk, not in the store); sequence numbers keep increasing, old iterators still read, and
// a reset empties it all.
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import {
  AddTagsToStreamCommand, DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, IncreaseStreamRetentionPeriodCommand,
  type KinesisClient, ListShardsCommand, ListStreamConsumersCommand, ListTagsForStreamCommand, PutRecordCommand, PutRecordsCommand,
  RegisterStreamConsumerCommand, SplitShardCommand,
} from '@aws-sdk/client-kinesis'
import { type Nimbus, startNimbus } from '../../../src/index.ts'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { advance } from '../../helpers/nimbus.ts'

const dirs: string[] = []
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

async function durable() {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-kinesis-durable-'))
  dirs.push(dataDir)
  const open = () => startNimbus({ port: 0, clock: 'manual', log: () => {}, dataDir })
  const state = { nimbus: await open() }
  let client = kinesisClient(state.nimbus)
  return {
    dataDir,
    get nimbus(): Nimbus { return state.nimbus },
    get k(): KinesisClient { return client },
    restart: async () => {
      client.destroy()
      await state.nimbus.stop()
      state.nimbus = await open()
      client = kinesisClient(state.nimbus)
    },
    stop: async () => {
      client.destroy()
      await state.nimbus.stop()
    },
  }
}

const texts = (records: Array<{ Data?: Uint8Array }> | undefined) => (records ?? []).map((r) => Buffer.from(r.Data!).toString())

describe('Kinesis on a data dir', () => {
  it('streams, shards, lineage and records survive a restart; records live in segment files', async () => {
    const n = await durable()
    const name = await activeStream(n.nimbus, n.k)
    await n.k.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { team: 'data' } }))
    await n.k.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 48 }))
    await n.k.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn(name), ConsumerName: 'app' }))
    const first = await n.k.send(new PutRecordsCommand({ StreamName: name,
      Records: ['a', 'b', 'c'].map((d) => ({ PartitionKey: d, Data: Buffer.from(d.repeat(1000)) })) }))
    await n.k.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: String(1n << 127n) }))
    await advance(n.nimbus, 500)
    const it = await n.k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))
    const before = await n.k.send(new DescribeStreamCommand({ StreamName: name }))
    // The data is in files under <dataDir>/kinesis, one folder per stream and shard.
    const streamDirs = readdirSync(join(n.dataDir, 'kinesis'))
    assert.equal(streamDirs.length, 1)
    assert.ok(readdirSync(join(n.dataDir, 'kinesis', streamDirs[0]!, '0')).some((f) => f.endsWith('.seg')))

    await n.restart()
    const afterRestart = await n.k.send(new DescribeStreamCommand({ StreamName: name }))
    assert.deepEqual(afterRestart.StreamDescription, before.StreamDescription)
    assert.deepEqual((await n.k.send(new ListTagsForStreamCommand({ StreamName: name }))).Tags, [{ Key: 'team', Value: 'data' }])
    assert.deepEqual((await n.k.send(new ListStreamConsumersCommand({ StreamARN: streamArn(name) }))).Consumers?.map((c) => c.ConsumerStatus), ['ACTIVE'])
    // An iterator issued before the restart still reads the parent to its end, then names the children.
    const read = await n.k.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }))
    assert.deepEqual(texts(read.Records), ['a', 'b', 'c'].map((d) => d.repeat(1000)))
    assert.deepEqual(read.Records?.map((r) => r.SequenceNumber), first.Records?.map((r) => r.SequenceNumber))
    assert.equal(read.ChildShards?.length, 2)
    // New writes continue each shard's sequence.
    const put = await n.k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'z', Data: Buffer.from('later'), ExplicitHashKey: '0' }))
    const again = await n.k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'z', Data: Buffer.from('later2'), ExplicitHashKey: '0' }))
    await n.restart()
    const put3 = await n.k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'z', Data: Buffer.from('later3'), ExplicitHashKey: '0' }))
    assert.ok(BigInt(put3.SequenceNumber!) > BigInt(again.SequenceNumber!) && BigInt(again.SequenceNumber!) > BigInt(put.SequenceNumber!))
    const child = await n.k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: put.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))
    assert.deepEqual(texts((await n.k.send(new GetRecordsCommand({ ShardIterator: child.ShardIterator }))).Records), ['later', 'later2', 'later3'])
    assert.equal((await n.k.send(new ListShardsCommand({ StreamName: name }))).Shards?.length, 3)

    n.nimbus.reset()
    assert.equal(existsSync(join(n.dataDir, 'kinesis', streamDirs[0]!)), false)
    await n.restart()
    assert.equal((await n.k.send(new ListShardsCommand({ StreamName: name })).catch((e: Error) => e.name)), 'ResourceNotFoundException')
    await n.stop()
  })

  it('a split not yet made when Nimbus stops is made when UPDATING ends after the restart', async () => {
    const n = await durable()
    const name = await activeStream(n.nimbus, n.k)
    await n.k.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: String(1n << 127n) }))
    await n.k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'z', Data: Buffer.from('during'), ExplicitHashKey: '0' }))
    await n.restart()
    const during = await n.k.send(new DescribeStreamCommand({ StreamName: name }))
    assert.equal(during.StreamDescription?.StreamStatus, 'UPDATING')
    assert.deepEqual(during.StreamDescription?.Shards?.map((s) => s.ShardId), ['shardId-000000000000'])
    await advance(n.nimbus, 500)
    const shards = (await n.k.send(new ListShardsCommand({ StreamName: name }))).Shards
    assert.deepEqual(shards?.map((s) => [s.ShardId, s.ParentShardId]), [
      ['shardId-000000000000', undefined], ['shardId-000000000001', 'shardId-000000000000'], ['shardId-000000000002', 'shardId-000000000000'],
    ])
    const it = await n.k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))
    const read = await n.k.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }))
    assert.deepEqual(texts(read.Records), ['during'])
    assert.equal(read.ChildShards?.length, 2)
    await n.restart()
    assert.equal((await n.k.send(new ListShardsCommand({ StreamName: name }))).Shards?.length, 3)
    await n.stop()
  })
})
