// How AWS reads a shard id where a shard is addressed, and its ResourceNotFoundException wording
// (answers AWS gave, recorded in kinesalite's suite): `shardId-5`, `shard-5`, `x-0005` and `5` all
// name shardId-000000000005; an id that names no shard (`abc`, `2.14E4`, past 2³¹−1) is "Could not
// find shard <as given>" before the stream is looked up; GetShardIterator on a missing stream says
// the shard does not exist.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DescribeStreamCommand, GetShardIteratorCommand, ListShardsCommand, MergeShardsCommand, PutRecordCommand, SplitShardCommand,
} from '@aws-sdk/client-kinesis'
import { activeStream, kinesisClient } from '../../helpers/kinesis.ts'
import { advance, useNimbus, uniqueName } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { canonicalShardId } from '../../../src/services/kinesis/sequence-numbers.ts'

const nimbus = useNimbus()
const client = () => kinesisClient(nimbus.current)
const account = '000000000000'

describe('canonicalShardId', () => {
  it('reads the digits after the first hyphen, or the whole text, up to 2^31-1', () => {
    const cases: Array<[string, string | undefined]> = [
      ['shardId-000000000005', 'shardId-000000000005'], ['shardId-5', 'shardId-000000000005'], ['shard-0', 'shardId-000000000000'],
      ['5', 'shardId-000000000005'], ['a-00002147483647', 'shardId-002147483647'], ['-00002147483647', 'shardId-002147483647'],
      ['2147483647', 'shardId-002147483647'], ['2147483648', undefined], ['shardId-002147483648', undefined], ['ABKLFD8', undefined],
      ['2.14E4', undefined], ['shardId-abc', undefined], ['', undefined], ['shardId-1-x', 'shardId-000000000001'],
    ]
    for (const [given, expected] of cases) assert.equal(canonicalShardId(given), expected, given)
  })
})

describe('GetShardIterator addresses a shard as AWS reads its id', () => {
  it('takes the loose forms and reads the same shard', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k, 2)
    for (const id of ['shardId-1', '1', 'shard-1', 'anything-0001']) {
      const it = await k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: id, ShardIteratorType: 'TRIM_HORIZON' }))
      assert.ok(it.ShardIterator, id)
    }
  })

  it('answers AWS\'s messages for a missing shard, a missing stream and an id that names no shard', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k, 2)
    const missingShard = await sdkError(k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-5', ShardIteratorType: 'LATEST' })))
    assert.deepEqual(missingShard, { name: 'ResourceNotFoundException', status: 400,
      message: `Shard shardId-000000000005 in stream ${name} under account ${account} does not exist` })
    const ghost = uniqueName('ghost')
    const missingStream = await sdkError(k.send(new GetShardIteratorCommand({ StreamName: ghost, ShardId: '2147483647', ShardIteratorType: 'LATEST' })))
    assert.deepEqual(missingStream, { name: 'ResourceNotFoundException', status: 400,
      message: `Shard shardId-002147483647 in stream ${ghost} under account ${account} does not exist` })
    for (const id of ['2147483648', 'shardId-002147483648', 'ABKLFD8', '2.14E4']) {
      const none = await sdkError(k.send(new GetShardIteratorCommand({ StreamName: ghost, ShardId: id, ShardIteratorType: 'LATEST' })))
      assert.deepEqual(none, { name: 'ResourceNotFoundException', status: 400,
        message: `Could not find shard ${id} in stream ${ghost} under account ${account}.` }, id)
    }
  })
})

describe('SplitShard and MergeShards read shard ids the same way', () => {
  it('an id that names no shard comes before the stream; a missing one is named canonically', async () => {
    const k = client()
    const ghost = uniqueName('ghost')
    const none = await sdkError(k.send(new SplitShardCommand({ StreamName: ghost, ShardToSplit: 'ABKLFD8', NewStartingHashKey: '5' })))
    assert.deepEqual(none, { name: 'ResourceNotFoundException', status: 400, message: `Could not find shard ABKLFD8 in stream ${ghost} under account ${account}.` })
    const noStream = await sdkError(k.send(new SplitShardCommand({ StreamName: ghost, ShardToSplit: 'shard-0', NewStartingHashKey: '5' })))
    assert.deepEqual(noStream, { name: 'ResourceNotFoundException', status: 400, message: `Stream ${ghost} under account ${account} not found.` })
    const mergeNone = await sdkError(k.send(new MergeShardsCommand({ StreamName: ghost, ShardToMerge: '0', AdjacentShardToMerge: '2147483648' })))
    assert.deepEqual(mergeNone, { name: 'ResourceNotFoundException', status: 400, message: `Could not find shard 2147483648 in stream ${ghost} under account ${account}.` })

    const name = await activeStream(nimbus.current, k, 2)
    const missing = await sdkError(k.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'shardId-7', NewStartingHashKey: '5' })))
    assert.deepEqual(missing, { name: 'ResourceNotFoundException', status: 400,
      message: `Could not find shard shardId-000000000007 in stream ${name} under account ${account}.` })
    await k.send(new MergeShardsCommand({ StreamName: name, ShardToMerge: '0', AdjacentShardToMerge: 'shard-1' }))
    await advance(nimbus.current, 500) // the merged shard exists once the stream is ACTIVE again
    const listed = await k.send(new ListShardsCommand({ StreamName: name }))
    assert.deepEqual(listed.Shards?.map((s) => [s.ShardId, s.ParentShardId, s.AdjacentParentShardId]), [
      ['shardId-000000000000', undefined, undefined], ['shardId-000000000001', undefined, undefined],
      ['shardId-000000000002', 'shardId-000000000000', 'shardId-000000000001'],
    ])
    const after = await k.send(new ListShardsCommand({ StreamName: name, ExclusiveStartShardId: 'shardId-1' }))
    assert.deepEqual(after.Shards?.map((s) => s.ShardId), ['shardId-000000000002'])
    const described = await k.send(new DescribeStreamCommand({ StreamName: name, ExclusiveStartShardId: '1' }))
    assert.deepEqual(described.StreamDescription?.Shards?.map((s) => s.ShardId), ['shardId-000000000002'])
  })

  it('a record written after reading a loose id lands where the canonical id says', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k, 1)
    const put = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.from('x') }))
    assert.equal(put.ShardId, 'shardId-000000000000')
    const it = await k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: '0', ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      StartingSequenceNumber: put.SequenceNumber }))
    assert.ok(it.ShardIterator)
  })
})
