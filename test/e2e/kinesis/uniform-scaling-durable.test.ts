// UpdateShardCount's rounds survive a restart on the same data dir: stopped between its splits and its
// merges, the stream comes back UPDATING with the short-lived shards (and their records), and the
// merges are made when the next step ends, as if Nimbus had kept running.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import {
  CreateStreamCommand, DescribeStreamSummaryCommand, GetRecordsCommand, GetShardIteratorCommand, type KinesisClient, ListShardsCommand,
  PutRecordCommand, UpdateShardCountCommand,
} from '@aws-sdk/client-kinesis'
import { durableNimbus } from '../../helpers/durable-nimbus.ts'
import { kinesisClient } from '../../helpers/kinesis.ts'
import { advance } from '../../helpers/nimbus.ts'

const summary = async (k: KinesisClient) => (await k.send(new DescribeStreamSummaryCommand({ StreamName: 'scaled' }))).StreamDescriptionSummary!

it('a uniform scaling stopped between its rounds resumes after a restart', async () => {
  const n = await durableNimbus('kinesis-uniform-scaling', { clockStart: Date.UTC(2026, 6, 1, 12, 0, 0) })
  let k = kinesisClient(n.nimbus)
  await k.send(new CreateStreamCommand({ StreamName: 'scaled', ShardCount: 3 }))
  await advance(n.nimbus, 500)
  await k.send(new UpdateShardCountCommand({ StreamName: 'scaled', TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' }))
  await advance(n.nimbus, 500)
  assert.deepEqual([(await summary(k)).StreamStatus, (await summary(k)).OpenShardCount], ['UPDATING', 6])
  // A record on a short-lived shard: [¼, ⅓) is shardId-000000000004.
  const put = await k.send(new PutRecordCommand({ StreamName: 'scaled', PartitionKey: 'p', Data: Buffer.from('short-lived'),
    ExplicitHashKey: String((2n ** 128n) * 7n / 24n) }))
  assert.equal(put.ShardId, 'shardId-000000000004')
  k.destroy()
  await n.restart()
  k = kinesisClient(n.nimbus)
  assert.deepEqual([(await summary(k)).StreamStatus, (await summary(k)).OpenShardCount], ['UPDATING', 6])
  await advance(n.nimbus, 499)
  assert.equal((await summary(k)).StreamStatus, 'UPDATING')
  await advance(n.nimbus, 1)
  assert.deepEqual([(await summary(k)).StreamStatus, (await summary(k)).OpenShardCount], ['ACTIVE', 4])
  const shards = (await k.send(new ListShardsCommand({ StreamName: 'scaled' }))).Shards!
  assert.deepEqual(shards.slice(9).map((s) => [s.ShardId, s.ParentShardId, s.AdjacentParentShardId]), [
    ['shardId-000000000009', 'shardId-000000000004', 'shardId-000000000005'],
    ['shardId-000000000010', 'shardId-000000000006', 'shardId-000000000007'],
  ])
  // The short-lived shard kept its record, and ends naming its child.
  const it4 = (await k.send(new GetShardIteratorCommand({ StreamName: 'scaled', ShardId: 'shardId-000000000004', ShardIteratorType: 'TRIM_HORIZON' })))
  const read = await k.send(new GetRecordsCommand({ ShardIterator: it4.ShardIterator }))
  assert.deepEqual(read.Records!.map((r) => Buffer.from(r.Data!).toString()), ['short-lived'])
  const end = read.NextShardIterator === undefined ? read : await k.send(new GetRecordsCommand({ ShardIterator: read.NextShardIterator }))
  assert.deepEqual(end.ChildShards?.map((c) => [c.ShardId, c.ParentShards]), [['shardId-000000000009', ['shardId-000000000004', 'shardId-000000000005']]])
  k.destroy()
  await n.stop()
})
