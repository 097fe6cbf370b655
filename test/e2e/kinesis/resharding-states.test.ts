// What a stream shows while a reshard is under way, and while it is being created or deleted, as AWS
// answers: SplitShard, MergeShards and UpdateShardCount are asynchronous — during UPDATING the parents
// are the stream's shards (listed, open, read and written; AWS's answers recorded in kinesalite's
// suite), and when the stream is ACTIVE again the parents are closed and the children open. A stream
// still CREATING, or deleted while CREATING, describes no shards; ListShards needs ACTIVE or UPDATING.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateStreamCommand, DeleteStreamCommand, DescribeStreamCommand, DescribeStreamSummaryCommand, GetRecordsCommand,
  GetShardIteratorCommand, type KinesisClient, ListShardsCommand, MergeShardsCommand, PutRecordCommand, RegisterStreamConsumerCommand,
  SplitShardCommand, SubscribeToShardCommand, UpdateShardCountCommand,
} from '@aws-sdk/client-kinesis'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { advance, useNimbus, uniqueName } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const client = () => kinesisClient(nimbus.current)
const account = '000000000000'
const half = 1n << 127n

const described = async (k: KinesisClient, name: string) => (await k.send(new DescribeStreamCommand({ StreamName: name }))).StreamDescription!
const listed = async (k: KinesisClient, name: string) => (await k.send(new ListShardsCommand({ StreamName: name }))).Shards!
const openCount = async (k: KinesisClient, name: string) =>
  (await k.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!.OpenShardCount
const texts = (records: Array<{ Data?: Uint8Array }> | undefined) => (records ?? []).map((r) => Buffer.from(r.Data!).toString())

describe('a stream being resharded shows its parents until it is ACTIVE again', () => {
  it('SplitShard: the parent alone, open and written while UPDATING; then closed, with its two children', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    await k.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: String(half) }))

    const during = await described(k, name)
    assert.equal(during.StreamStatus, 'UPDATING')
    assert.deepEqual(during.Shards!.map((s) => [s.ShardId, s.ParentShardId, s.SequenceNumberRange!.EndingSequenceNumber]),
      [['shardId-000000000000', undefined, undefined]])
    assert.deepEqual((await listed(k, name)).map((s) => s.ShardId), ['shardId-000000000000'])
    assert.equal(await openCount(k, name), 1)
    // No child exists yet: GetShardIterator names it missing.
    assert.deepEqual(await sdkError(k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000001',
      ShardIteratorType: 'TRIM_HORIZON' }))), { name: 'ResourceNotFoundException', status: 400,
      message: `Shard shardId-000000000001 in stream ${name} under account ${account} does not exist` })
    // Writes go to the parent (AWS's recorded answer: ExplicitHashKey 1 lands on shardId-000000000000).
    const written = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'a', Data: Buffer.from('during'), ExplicitHashKey: '1' }))
    assert.equal(written.ShardId, 'shardId-000000000000')
    const high = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'a', Data: Buffer.from('during-high'),
      ExplicitHashKey: String(half + 5n) }))
    assert.equal(high.ShardId, 'shardId-000000000000')
    // ...and the parent reads on, with a next iterator and no children named.
    const it = await k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))
    const read = await k.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }))
    assert.deepEqual(texts(read.Records), ['during', 'during-high'])
    assert.ok(read.NextShardIterator)
    assert.equal(read.ChildShards, undefined)

    await advance(nimbus.current, 499)
    assert.equal((await described(k, name)).StreamStatus, 'UPDATING')
    assert.equal((await listed(k, name)).length, 1)
    await advance(nimbus.current, 1)
    const done = await described(k, name)
    assert.equal(done.StreamStatus, 'ACTIVE')
    assert.deepEqual(done.Shards!.map((s) => [s.ShardId, s.ParentShardId, s.HashKeyRange!.StartingHashKey]), [
      ['shardId-000000000000', undefined, '0'],
      ['shardId-000000000001', 'shardId-000000000000', '0'],
      ['shardId-000000000002', 'shardId-000000000000', String(half)],
    ])
    // The parent's EndingSequenceNumber covers what it took while UPDATING; the children start after it.
    const [parent, low] = done.Shards!
    const ending = BigInt(parent!.SequenceNumberRange!.EndingSequenceNumber!)
    assert.ok(ending >= BigInt(high.SequenceNumber!))
    assert.equal(low!.SequenceNumberRange!.EndingSequenceNumber, undefined)
    assert.equal(await openCount(k, name), 2)
    const after = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'a', Data: Buffer.from('after'), ExplicitHashKey: '1' }))
    assert.equal(after.ShardId, 'shardId-000000000001')
    // The iterator from UPDATING reaches the parent's end and names the children.
    const end = await k.send(new GetRecordsCommand({ ShardIterator: read.NextShardIterator }))
    assert.deepEqual(end.Records, [])
    assert.equal(end.NextShardIterator, undefined)
    assert.deepEqual(end.ChildShards?.map((c) => c.ShardId), ['shardId-000000000001', 'shardId-000000000002'])
  })

  it('MergeShards: both parents stay open while UPDATING (the recorded answer), the merged shard comes with ACTIVE', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k, 3)
    await k.send(new MergeShardsCommand({ StreamName: name, ShardToMerge: 'shardId-000000000000', AdjacentShardToMerge: 'shardId-000000000001' }))
    const during = await described(k, name)
    assert.equal(during.StreamStatus, 'UPDATING')
    assert.deepEqual(during.Shards!.map((s) => [s.ShardId, s.SequenceNumberRange!.EndingSequenceNumber]), [
      ['shardId-000000000000', undefined], ['shardId-000000000001', undefined], ['shardId-000000000002', undefined],
    ])
    assert.equal(await openCount(k, name), 3)
    // A second change while UPDATING is refused as AWS words it.
    assert.deepEqual(await sdkError(k.send(new MergeShardsCommand({ StreamName: name, ShardToMerge: 'shard-1', AdjacentShardToMerge: 'shard-2' }))),
      { name: 'ResourceInUseException', status: 400, message: `Stream ${name} under account ${account} not ACTIVE, instead in state UPDATING` })
    const put = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'a', Data: Buffer.from('x'),
      ExplicitHashKey: '113427455640312821154458202477256070485' }))
    assert.equal(put.ShardId, 'shardId-000000000001')

    await advance(nimbus.current, 500)
    const done = await described(k, name)
    assert.equal(done.StreamStatus, 'ACTIVE')
    assert.deepEqual(done.Shards!.map((s) => [s.ShardId, s.ParentShardId, s.AdjacentParentShardId, !!s.SequenceNumberRange!.EndingSequenceNumber]), [
      ['shardId-000000000000', undefined, undefined, true],
      ['shardId-000000000001', undefined, undefined, true],
      ['shardId-000000000002', undefined, undefined, false],
      ['shardId-000000000003', 'shardId-000000000000', 'shardId-000000000001', false],
    ])
    assert.equal(await openCount(k, name), 2)
    const after = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'a', Data: Buffer.from('y'),
      ExplicitHashKey: '113427455640312821154458202477256070485' }))
    assert.equal(after.ShardId, 'shardId-000000000003')
  })

  it('UpdateShardCount: the old shards while UPDATING, the uniform ones after', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k, 2)
    const answer = await k.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' }))
    assert.deepEqual([answer.CurrentShardCount, answer.TargetShardCount], [2, 4])
    assert.deepEqual((await listed(k, name)).map((s) => s.ShardId), ['shardId-000000000000', 'shardId-000000000001'])
    assert.equal(await openCount(k, name), 2)
    const put = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'a', Data: Buffer.from('x'), ExplicitHashKey: '0' }))
    assert.equal(put.ShardId, 'shardId-000000000000')
    await advance(nimbus.current, 500)
    const shards = await listed(k, name)
    assert.deepEqual(shards.map((s) => [s.ShardId, s.ParentShardId]), [
      ['shardId-000000000000', undefined], ['shardId-000000000001', undefined],
      ['shardId-000000000002', 'shardId-000000000000'], ['shardId-000000000003', 'shardId-000000000000'],
      ['shardId-000000000004', 'shardId-000000000001'], ['shardId-000000000005', 'shardId-000000000001'],
    ])
    assert.equal(await openCount(k, name), 4)
    const open = await k.send(new ListShardsCommand({ StreamName: name, ShardFilter: { Type: 'AT_LATEST' } }))
    assert.equal(open.Shards!.length, 4)
  })
})

describe('readers across the transition', () => {
  it('SubscribeToShard on the parent gets what is written while UPDATING, then ChildShards when the split is made', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    const { Consumer: c } = await k.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn(name), ConsumerName: 'efo' }))
    await advance(nimbus.current, 500)
    await k.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: String(half) }))
    const out = await k.send(new SubscribeToShardCommand({ ConsumerARN: c!.ConsumerARN, ShardId: 'shardId-000000000000',
      StartingPosition: { Type: 'TRIM_HORIZON' } }))
    const events = out.EventStream![Symbol.asyncIterator]()
    const first = (await events.next()).value!.SubscribeToShardEvent!
    assert.deepEqual([first.Records, first.ChildShards], [[], undefined])
    await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('during') }))
    const second = (await events.next()).value!.SubscribeToShardEvent!
    assert.deepEqual(texts(second.Records), ['during'])
    assert.equal(second.ChildShards, undefined)
    // The split is made when UPDATING ends (500 ms on), well before the 5 s heartbeat: the parent ends then.
    await advance(nimbus.current, 500)
    const last = (await events.next()).value!.SubscribeToShardEvent!
    assert.deepEqual(last.Records, [])
    assert.deepEqual(last.ChildShards?.map((child: { ShardId?: string }) => child.ShardId), ['shardId-000000000001', 'shardId-000000000002'])
    assert.equal((await events.next()).done, true)
  })
})

describe('a stream being created, or deleted while being created', () => {
  it('CREATING: DescribeStream lists no shards, OpenShardCount 0, ListShards is ResourceInUseException', async () => {
    const k = client()
    const name = uniqueName('ks')
    await k.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }))
    const creating = await described(k, name)
    assert.deepEqual([creating.StreamStatus, creating.Shards, creating.HasMoreShards], ['CREATING', [], false])
    assert.equal(await openCount(k, name), 0)
    assert.equal((await sdkError(k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000',
      ShardIteratorType: 'LATEST' })))).message, `Shard shardId-000000000000 in stream ${name} under account ${account} does not exist`)
    // AWS's answer on a CREATING stream, recorded in aws/aws-sdk-java-v2#5949.
    assert.deepEqual(await sdkError(k.send(new ListShardsCommand({ StreamName: name }))), { name: 'ResourceInUseException', status: 400,
      message: `Stream ${name} under account ${account} not ACTIVE or UPDATING, instead in state CREATING` })
    await advance(nimbus.current, 500)
    assert.equal((await listed(k, name)).length, 2)
    assert.equal(await openCount(k, name), 2)
  })

  it('deleted while CREATING: DELETING with no shards, then gone', async () => {
    const k = client()
    const name = uniqueName('ks')
    await k.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }))
    await k.send(new DeleteStreamCommand({ StreamName: name }))
    // AWS's answer recorded in kinesalite's suite: DELETING, `Shards: []`, HasMoreShards false.
    const deleting = await described(k, name)
    assert.deepEqual([deleting.StreamStatus, deleting.Shards, deleting.HasMoreShards], ['DELETING', [], false])
    assert.equal(await openCount(k, name), 0)
    assert.deepEqual(await sdkError(k.send(new ListShardsCommand({ StreamName: name }))), { name: 'ResourceInUseException', status: 400,
      message: `Stream ${name} under account ${account} not ACTIVE or UPDATING, instead in state DELETING` })
    assert.deepEqual(await sdkError(k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000',
      ShardIteratorType: 'LATEST' }))), { name: 'ResourceNotFoundException', status: 400,
      message: `Shard shardId-000000000000 in stream ${name} under account ${account} does not exist` })
    await advance(nimbus.current, 500)
    assert.equal((await sdkError(k.send(new DescribeStreamCommand({ StreamName: name })))).name, 'ResourceNotFoundException')
  })

  it('deleted once ACTIVE: DELETING still describes its shards; ListShards is ResourceInUseException', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k, 2)
    await k.send(new DeleteStreamCommand({ StreamName: name }))
    const deleting = await described(k, name)
    assert.deepEqual([deleting.StreamStatus, deleting.Shards!.length], ['DELETING', 2])
    assert.equal((await sdkError(k.send(new ListShardsCommand({ StreamName: name })))).name, 'ResourceInUseException')
  })
})
