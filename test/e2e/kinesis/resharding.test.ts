// Resharding with @aws-sdk/client-kinesis: SplitShard, MergeShards and UpdateShardCount close their
// parents (EndingSequenceNumber), children carry the lineage, a reader follows parent → children
// through ChildShards, and ListShards filters and pages. Plus enhanced fan-out consumers' states.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DeregisterStreamConsumerCommand, DescribeStreamConsumerCommand, GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand,
  ListStreamConsumersCommand, MergeShardsCommand, PutRecordCommand, PutRecordsCommand, RegisterStreamConsumerCommand, SplitShardCommand,
  UpdateShardCountCommand,
} from '@aws-sdk/client-kinesis'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const client = () => kinesisClient(nimbus.current)
const max = (1n << 128n) - 1n
const half = 1n << 127n

describe('resharding', () => {
  it('routes PutRecord and PutRecords by hash key after splitting a shard other than the last (children are listed last)', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k, 3)
    const range = async () => (await k.send(new ListShardsCommand({ StreamName: name, ShardFilter: { Type: 'AT_LATEST' } }))).Shards!
      .map((sh) => ({ id: sh.ShardId!, start: BigInt(sh.HashKeyRange!.StartingHashKey!), end: BigInt(sh.HashKeyRange!.EndingHashKey!) }))
    const middle = (await range())[1]!
    await k.send(new SplitShardCommand({ StreamName: name, ShardToSplit: middle.id, NewStartingHashKey: String((middle.start + middle.end) / 2n) }))
    await advance(nimbus.current, 500)
    // Open now: shardId-0, shardId-2, then the children shardId-3 and shardId-4 (listed after shardId-2, their ranges before it).
    const open = await range()
    assert.deepEqual(open.map((sh) => sh.id), ['shardId-000000000000', 'shardId-000000000002', 'shardId-000000000003', 'shardId-000000000004'])
    const keys = open.flatMap((sh) => [sh.start, sh.end])
    const owner = (hash: bigint) => open.find((sh) => sh.start <= hash && hash <= sh.end)!.id
    for (const hash of keys) {
      const one = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('x'), ExplicitHashKey: String(hash) }))
      assert.equal(one.ShardId, owner(hash), `PutRecord with hash key ${hash}`)
    }
    const many = await k.send(new PutRecordsCommand({ StreamName: name, Records: keys.map((h) => ({ PartitionKey: 'p', Data: Buffer.from('y'), ExplicitHashKey: String(h) })) }))
    assert.deepEqual(many.Records?.map((r) => r.ShardId), keys.map(owner))
  })

  it('SplitShard closes the parent and makes two children with AWS ranges; readers follow ChildShards', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('before') }))
    const bad = await sdkError(k.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: '1' })))
    assert.deepEqual(bad, { name: 'InvalidArgumentException', status: 400, message: `NewStartingHashKey 1 used in SplitShard() on shard ` +
      `shardId-000000000000 in stream ${name} under account 000000000000 is not both greater than one plus the shard's StartingHashKey 0 ` +
      `and less than the shard's EndingHashKey ${max}.` })
    await k.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: String(half) }))
    // While UPDATING the parent is still the stream's only shard (AWS's answer recorded in kinesalite's suite).
    const busy = await sdkError(k.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: '100' })))
    assert.deepEqual(busy, { name: 'ResourceInUseException', status: 400,
      message: `Stream ${name} under account 000000000000 not ACTIVE, instead in state UPDATING` })
    await advance(nimbus.current, 500)
    const { Shards: shards } = await k.send(new ListShardsCommand({ StreamName: name }))
    assert.deepEqual(shards?.map((s) => [s.ShardId, s.ParentShardId, s.HashKeyRange?.StartingHashKey, s.HashKeyRange?.EndingHashKey]), [
      ['shardId-000000000000', undefined, '0', String(max)],
      ['shardId-000000000001', 'shardId-000000000000', '0', String(half - 1n)],
      ['shardId-000000000002', 'shardId-000000000000', String(half), String(max)],
    ])
    assert.match(shards![0]!.SequenceNumberRange!.EndingSequenceNumber!, /^49\d{54}$/)
    assert.equal(shards![1]!.SequenceNumberRange!.EndingSequenceNumber, undefined)
    const after = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('after') }))
    assert.notEqual(after.ShardId, 'shardId-000000000000')

    // The parent reads to its end: no NextShardIterator, and the children named.
    const it = await k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))
    const end = await k.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }))
    assert.deepEqual(end.Records?.map((r) => Buffer.from(r.Data!).toString()), ['before'])
    assert.equal(end.NextShardIterator, undefined)
    assert.deepEqual(end.ChildShards?.map((c) => [c.ShardId, c.ParentShards]), [
      ['shardId-000000000001', ['shardId-000000000000']], ['shardId-000000000002', ['shardId-000000000000']],
    ])
    const child = await k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: after.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))
    const next = await k.send(new GetRecordsCommand({ ShardIterator: child.ShardIterator }))
    assert.deepEqual(next.Records?.map((r) => Buffer.from(r.Data!).toString()), ['after'])
    const closed = await sdkError(k.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: '100' })))
    assert.equal(closed.name, 'ResourceInUseException')
  })

  it('MergeShards needs adjacent open shards and names both parents', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k, 3)
    const apart = await sdkError(k.send(new MergeShardsCommand({ StreamName: name, ShardToMerge: 'shardId-000000000000',
      AdjacentShardToMerge: 'shardId-000000000002' })))
    assert.deepEqual(apart, { name: 'InvalidArgumentException', status: 400, message: `Shards shardId-000000000000 and ` +
      `shardId-000000000002 in stream ${name} under account 000000000000 are not an adjacent pair of shards eligible for merging` })
    const missing = await sdkError(k.send(new MergeShardsCommand({ StreamName: name, ShardToMerge: 'shardId-000000000000',
      AdjacentShardToMerge: 'shardId-000000000009' })))
    assert.deepEqual(missing, { name: 'ResourceNotFoundException', status: 400,
      message: `Could not find shard shardId-000000000009 in stream ${name} under account 000000000000.` })
    await k.send(new MergeShardsCommand({ StreamName: name, ShardToMerge: 'shardId-000000000001', AdjacentShardToMerge: 'shardId-000000000000' }))
    await advance(nimbus.current, 500)
    const open = await k.send(new ListShardsCommand({ StreamName: name, ShardFilter: { Type: 'AT_LATEST' } }))
    assert.deepEqual(open.Shards?.map((s) => [s.ShardId, s.ParentShardId, s.AdjacentParentShardId, s.HashKeyRange?.StartingHashKey]), [
      ['shardId-000000000002', undefined, undefined, '226854911280625642308916404954512140970'],
      ['shardId-000000000003', 'shardId-000000000001', 'shardId-000000000000', '0'],
    ])
  })

  it('UpdateShardCount UNIFORM_SCALING doubles by splitting and halves by merging, within AWS bounds', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k, 2)
    const tooMany = await sdkError(k.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 5, ScalingType: 'UNIFORM_SCALING' })))
    assert.equal(tooMany.message, 'UpdateShardCount cannot scale up over double your current open shard count. Current open shard count: 2 ' +
      'Target shard count: 5')
    const out = await k.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' }))
    assert.deepEqual([out.CurrentShardCount, out.TargetShardCount, out.StreamARN], [2, 4, streamArn(name)])
    await advance(nimbus.current, 500)
    const up = await k.send(new ListShardsCommand({ StreamName: name, ShardFilter: { Type: 'AT_LATEST' } }))
    assert.deepEqual(up.Shards?.map((s) => [s.ShardId, s.ParentShardId, s.AdjacentParentShardId]), [
      ['shardId-000000000002', 'shardId-000000000000', undefined], ['shardId-000000000003', 'shardId-000000000000', undefined],
      ['shardId-000000000004', 'shardId-000000000001', undefined], ['shardId-000000000005', 'shardId-000000000001', undefined],
    ])
    await k.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 2, ScalingType: 'UNIFORM_SCALING' }))
    await advance(nimbus.current, 500)
    const down = await k.send(new ListShardsCommand({ StreamName: name, ShardFilter: { Type: 'AT_LATEST' } }))
    assert.deepEqual(down.Shards?.map((s) => [s.ShardId, s.ParentShardId, s.AdjacentParentShardId]), [
      ['shardId-000000000006', 'shardId-000000000002', 'shardId-000000000003'], ['shardId-000000000007', 'shardId-000000000004', 'shardId-000000000005'],
    ])
    // Everything still listed, paged with NextToken (which excludes naming the stream again).
    const page = await k.send(new ListShardsCommand({ StreamName: name, MaxResults: 5 }))
    assert.equal(page.Shards?.length, 5)
    const rest = await k.send(new ListShardsCommand({ NextToken: page.NextToken }))
    assert.deepEqual(rest.Shards?.map((s) => s.ShardId), ['shardId-000000000005', 'shardId-000000000006', 'shardId-000000000007'])
    assert.equal(rest.NextToken, undefined)
    const both = await sdkError(k.send(new ListShardsCommand({ StreamName: name, NextToken: page.NextToken })))
    assert.deepEqual(both, { name: 'InvalidArgumentException', message: 'NextToken and StreamName cannot be provided together.', status: 400 })
    const afterId = await k.send(new ListShardsCommand({ StreamName: name, ExclusiveStartShardId: 'shardId-000000000005' }))
    assert.deepEqual(afterId.Shards?.map((s) => s.ShardId), ['shardId-000000000006', 'shardId-000000000007'])
  })
})

describe('enhanced fan-out consumers', () => {
  it('register → CREATING → ACTIVE; describe by ARN or name; list; deregister → DELETING → gone', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    const arn = streamArn(name)
    const { Consumer: c } = await k.send(new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: 'app' }))
    assert.equal(c?.ConsumerStatus, 'CREATING')
    assert.match(c!.ConsumerARN!, new RegExp(`^${arn}/consumer/app:\\d+$`))
    assert.equal((await sdkError(k.send(new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: 'app' })))).name, 'ResourceInUseException')
    await advance(nimbus.current, 500)
    const byArn = await k.send(new DescribeStreamConsumerCommand({ ConsumerARN: c!.ConsumerARN }))
    assert.deepEqual([byArn.ConsumerDescription?.ConsumerStatus, byArn.ConsumerDescription?.StreamARN], ['ACTIVE', arn])
    const byName = await k.send(new DescribeStreamConsumerCommand({ StreamARN: arn, ConsumerName: 'app' }))
    assert.equal(byName.ConsumerDescription?.ConsumerARN, c!.ConsumerARN)
    const listed = await k.send(new ListStreamConsumersCommand({ StreamARN: arn }))
    assert.deepEqual(listed.Consumers?.map((x) => x.ConsumerName), ['app'])
    await k.send(new DeregisterStreamConsumerCommand({ ConsumerARN: c!.ConsumerARN }))
    assert.equal((await k.send(new DescribeStreamConsumerCommand({ ConsumerARN: c!.ConsumerARN }))).ConsumerDescription?.ConsumerStatus, 'DELETING')
    await advance(nimbus.current, 500)
    assert.equal((await sdkError(k.send(new DescribeStreamConsumerCommand({ ConsumerARN: c!.ConsumerARN })))).name, 'ResourceNotFoundException')
  })
})
