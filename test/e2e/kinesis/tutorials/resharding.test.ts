// The Kinesis Developer Guide's resharding and enhanced fan-out examples, walked with the SDK on the
// manual clock: split-shard at the docs' midpoint ((starting + ending hash key) / 2), the parent closed
// with an EndingSequenceNumber and its children naming it; reading the parent to its end answers
// ChildShards and no next iterator; merge-shards of the two adjacent children (and non-adjacent shards
// refused); update-shard-count's documented answer; register/describe/list-stream-consumers as the CLI
// examples print them; tags as the tagging examples show them.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  AddTagsToStreamCommand, DeregisterStreamConsumerCommand, DescribeStreamConsumerCommand, DescribeStreamSummaryCommand, GetRecordsCommand,
  GetShardIteratorCommand, ListShardsCommand, ListStreamConsumersCommand, ListTagsForStreamCommand, MergeShardsCommand, PutRecordCommand,
  RegisterStreamConsumerCommand, RemoveTagsFromStreamCommand, SplitShardCommand, UpdateShardCountCommand,
} from '@aws-sdk/client-kinesis'
import { activeStream, kinesisClient, streamArn } from '../../../helpers/kinesis.ts'
import { advance, useNimbus } from '../../../helpers/nimbus.ts'
import { sdkError } from '../../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const status = async (name: string) =>
  (await kinesisClient(nimbus.current).send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!.StreamStatus

describe('Kinesis tutorials: resharding, enhanced fan-out, tagging', () => {
  it("splits at the docs' midpoint, reads the parent to its end, then merges the children back", async () => {
    const k = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, k, 1)
    const before = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'pk', Data: Buffer.from('before split') }))
    const [shard] = (await k.send(new ListShardsCommand({ StreamName: name }))).Shards!
    const start = BigInt(shard!.HashKeyRange!.StartingHashKey!)
    const end = BigInt(shard!.HashKeyRange!.EndingHashKey!)
    const newStartingHashKey = ((start + end) / 2n).toString()
    await k.send(new SplitShardCommand({ StreamName: name, ShardToSplit: shard!.ShardId, NewStartingHashKey: newStartingHashKey }))
    assert.equal(await status(name), 'UPDATING')
    await advance(nimbus.current, 500)
    assert.equal(await status(name), 'ACTIVE')
    const shards = (await k.send(new ListShardsCommand({ StreamName: name }))).Shards!
    assert.deepEqual(shards.map((s) => [s.ShardId, s.ParentShardId, s.HashKeyRange!.StartingHashKey, s.HashKeyRange!.EndingHashKey]), [
      ['shardId-000000000000', undefined, '0', end.toString()],
      ['shardId-000000000001', 'shardId-000000000000', '0', (BigInt(newStartingHashKey) - 1n).toString()],
      ['shardId-000000000002', 'shardId-000000000000', newStartingHashKey, end.toString()],
    ])
    assert.match(shards[0]!.SequenceNumberRange!.EndingSequenceNumber!, /^\d{56}$/)
    assert.equal(shards[1]!.SequenceNumberRange!.EndingSequenceNumber, undefined)

    // The parent, read to its end: its record, then ChildShards and no next iterator.
    const { ShardIterator } = await k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))
    const page = await k.send(new GetRecordsCommand({ ShardIterator }))
    assert.deepEqual(page.Records!.map((r) => r.SequenceNumber), [before.SequenceNumber])
    const last = page.NextShardIterator === undefined ? page : await k.send(new GetRecordsCommand({ ShardIterator: page.NextShardIterator }))
    assert.equal(last.NextShardIterator, undefined)
    assert.deepEqual(last.ChildShards!.map((c) => [c.ShardId, c.ParentShards, c.HashKeyRange!.StartingHashKey]), [
      ['shardId-000000000001', ['shardId-000000000000'], '0'], ['shardId-000000000002', ['shardId-000000000000'], newStartingHashKey],
    ])

    // Writing to a closed shard isn't possible; the parent's range is served by the children.
    const after = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'pk', Data: Buffer.from('after split') }))
    assert.notEqual(after.ShardId, 'shardId-000000000000')

    // The closed parent can't be merged again (it "has already been merged or split"); the two children can.
    const refused = await sdkError(k.send(new MergeShardsCommand({ StreamName: name, ShardToMerge: 'shardId-000000000000', AdjacentShardToMerge: 'shardId-000000000002' })))
    assert.equal(refused.name, 'ResourceInUseException')
    await k.send(new MergeShardsCommand({ StreamName: name, ShardToMerge: 'shardId-000000000001', AdjacentShardToMerge: 'shardId-000000000002' }))
    await advance(nimbus.current, 500)
    const merged = (await k.send(new ListShardsCommand({ StreamName: name }))).Shards!.at(-1)!
    assert.deepEqual([merged.ShardId, merged.ParentShardId, merged.AdjacentParentShardId, merged.HashKeyRange!.StartingHashKey, merged.HashKeyRange!.EndingHashKey],
      ['shardId-000000000003', 'shardId-000000000001', 'shardId-000000000002', '0', end.toString()])
  })

  it("update-shard-count answers the docs' shape and scales uniformly", async () => {
    const k = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, k, 3)
    const out = await k.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 6, ScalingType: 'UNIFORM_SCALING' }))
    assert.deepEqual([out.StreamName, out.CurrentShardCount, out.TargetShardCount, out.StreamARN], [name, 3, 6, streamArn(name)])
    await advance(nimbus.current, 500)
    const open = (await k.send(new ListShardsCommand({ StreamName: name, ShardFilter: { Type: 'AT_LATEST' } }))).Shards!
    assert.equal(open.length, 6)
    const sizes = open.map((s) => BigInt(s.HashKeyRange!.EndingHashKey!) - BigInt(s.HashKeyRange!.StartingHashKey!) + 1n)
    const even = 2n ** 128n / 6n
    for (const size of sizes) assert.ok(size === even || size === even + 1n, `${size} is a sixth of the hash space`)
    // More than double is refused, as the docs' limits say.
    const refused = await sdkError(k.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 13, ScalingType: 'UNIFORM_SCALING' })))
    assert.equal(refused.name, 'LimitExceededException')
    assert.match(refused.message, /cannot scale up over double/)
  })

  it('registers, describes, lists and deregisters an enhanced fan-out consumer as the CLI examples print it', async () => {
    const k = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, k, 1)
    const { Consumer } = await k.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn(name), ConsumerName: 'KinesisConsumerApplication' }))
    assert.equal(Consumer!.ConsumerName, 'KinesisConsumerApplication')
    assert.match(Consumer!.ConsumerARN!, new RegExp(`^${streamArn(name)}/consumer/KinesisConsumerApplication:\\d+$`))
    assert.equal(Consumer!.ConsumerStatus, 'CREATING')
    assert.ok(Consumer!.ConsumerCreationTimestamp instanceof Date)
    await advance(nimbus.current, 500)
    const { ConsumerDescription } = await k.send(new DescribeStreamConsumerCommand({ StreamARN: streamArn(name), ConsumerName: 'KinesisConsumerApplication' }))
    assert.deepEqual([ConsumerDescription!.ConsumerARN, ConsumerDescription!.ConsumerStatus, ConsumerDescription!.StreamARN],
      [Consumer!.ConsumerARN, 'ACTIVE', streamArn(name)])
    const { Consumers } = await k.send(new ListStreamConsumersCommand({ StreamARN: streamArn(name) }))
    assert.deepEqual(Consumers!.map((c) => [c.ConsumerName, c.ConsumerStatus]), [['KinesisConsumerApplication', 'ACTIVE']])
    assert.equal((await k.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!.ConsumerCount, 1)
    await k.send(new DeregisterStreamConsumerCommand({ ConsumerARN: Consumer!.ConsumerARN }))
    await advance(nimbus.current, 500)
    assert.deepEqual((await k.send(new ListStreamConsumersCommand({ StreamARN: streamArn(name) }))).Consumers, [])
  })

  it('adds, lists and removes tags as the tagging examples do', async () => {
    const k = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, k, 1)
    await k.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { samplekey: 'example' } }))
    const listed = await k.send(new ListTagsForStreamCommand({ StreamName: name }))
    assert.deepEqual([listed.Tags, listed.HasMoreTags], [[{ Key: 'samplekey', Value: 'example' }], false])
    await k.send(new RemoveTagsFromStreamCommand({ StreamName: name, TagKeys: ['samplekey'] }))
    assert.deepEqual((await k.send(new ListTagsForStreamCommand({ StreamName: name }))).Tags, [])
  })
})
