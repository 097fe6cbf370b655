// AWS's "Tutorial: Perform basic Kinesis Data Streams operations using the AWS CLI", walked as a user
// would with @aws-sdk/client-kinesis on the manual clock (and its first command with the CLI itself):
// create-stream --stream-name Foo (no shard count: an on-demand stream), describe-stream-summary
// CREATING then ACTIVE, list-shards, put-record --partition-key 123 --data testdata, get-shard-iterator
// TRIM_HORIZON, get-records (then an empty page at the end), delete-stream.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateStreamCommand, DeleteStreamCommand, DescribeStreamCommand, DescribeStreamSummaryCommand, GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, ListStreamsCommand,
  PutRecordCommand,
} from '@aws-sdk/client-kinesis'
import { awsCli } from '../../../helpers/aws-cli.ts'
import { kinesisClient } from '../../../helpers/kinesis.ts'
import { advance, uniqueName, useNimbus } from '../../../helpers/nimbus.ts'
import { sdkError } from '../../../helpers/sdk-error.ts'

const nimbus = useNimbus()

describe('Kinesis tutorial: basic stream operations', () => {
  it('create-stream with only a name makes an on-demand stream, CREATING then ACTIVE (the CLI, as the tutorial runs it)', async () => {
    const name = uniqueName('Foo')
    assert.deepEqual(await awsCli(nimbus.current, 'kinesis', 'create-stream', '--stream-name', name), {})
    const creating = await awsCli<{ StreamDescriptionSummary: Record<string, unknown> }>(nimbus.current,
      'kinesis', 'describe-stream-summary', '--stream-name', name)
    const summary = creating.StreamDescriptionSummary
    assert.equal(summary.StreamStatus, 'CREATING')
    assert.deepEqual(summary.StreamModeDetails, { StreamMode: 'ON_DEMAND' })
    await advance(nimbus.current, 500)
    const active = await awsCli<{ StreamDescriptionSummary: Record<string, unknown> }>(nimbus.current,
      'kinesis', 'describe-stream-summary', '--stream-name', name)
    // The fields the tutorial's output shows, with their shapes.
    const s = active.StreamDescriptionSummary
    assert.equal(s.StreamStatus, 'ACTIVE')
    assert.equal(s.StreamName, name)
    assert.equal(s.StreamARN, `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`)
    assert.equal(s.RetentionPeriodHours, 24)
    assert.equal(typeof s.StreamCreationTimestamp, 'number')
    assert.deepEqual(s.EnhancedMonitoring, [{ ShardLevelMetrics: [] }])
    assert.equal(s.EncryptionType, 'NONE')
    assert.equal(s.OpenShardCount, 4)
    assert.equal(s.ConsumerCount, 0)
  })

  it("describe-stream of a CREATING stream shows no shards yet, as the tutorial's older edition prints it", async () => {
    const k = kinesisClient(nimbus.current)
    const name = uniqueName('Foo')
    await k.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }))
    const creating = (await k.send(new DescribeStreamCommand({ StreamName: name }))).StreamDescription!
    assert.deepEqual([creating.StreamStatus, creating.Shards, creating.HasMoreShards], ['CREATING', [], false])
    const early = await sdkError(k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000', ShardIteratorType: 'LATEST' })))
    assert.deepEqual([early.name, early.message],
      ['ResourceNotFoundException', `Shard shardId-000000000000 in stream ${name} under account 000000000000 does not exist`])
    await advance(nimbus.current, 500)
    const active = (await k.send(new DescribeStreamCommand({ StreamName: name }))).StreamDescription!
    assert.equal(active.StreamStatus, 'ACTIVE')
    assert.deepEqual(active.Shards!.map((s) => [s.ShardId, s.HashKeyRange!.StartingHashKey, s.HashKeyRange!.EndingHashKey]),
      [['shardId-000000000000', '0', (2n ** 128n - 1n).toString()]])
  })

  it('puts a record and reads it back from TRIM_HORIZON, as the tutorial does, with the SDK', async () => {
    const k = kinesisClient(nimbus.current)
    const name = uniqueName('Foo')
    await awsCli(nimbus.current, 'kinesis', 'create-stream', '--stream-name', name)
    await advance(nimbus.current, 500)
    const listed = await k.send(new ListStreamsCommand({}))
    assert.ok(listed.StreamNames!.includes(name))
    const shards = (await k.send(new ListShardsCommand({ StreamName: name }))).Shards!
    assert.deepEqual(shards.map((s) => s.ShardId), ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002', 'shardId-000000000003'])
    // Four even hash ranges covering 0 … 2^128 - 1.
    assert.equal(shards[0]!.HashKeyRange!.StartingHashKey, '0')
    assert.equal(shards[3]!.HashKeyRange!.EndingHashKey, (2n ** 128n - 1n).toString())
    for (const s of shards) assert.match(s.SequenceNumberRange!.StartingSequenceNumber!, /^\d{56}$/)

    const put = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: '123', Data: Buffer.from('testdata') }))
    // MD5("123") = 202cb962…: its hash key falls in the first quarter.
    assert.equal(put.ShardId, 'shardId-000000000000')
    assert.match(put.SequenceNumber!, /^49\d{54}$/)
    assert.equal(put.EncryptionType, 'NONE')

    const { ShardIterator } = await k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: put.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))
    assert.ok(ShardIterator!.length > 0)
    await advance(nimbus.current, 1_000)
    const got = await k.send(new GetRecordsCommand({ ShardIterator }))
    assert.equal(got.Records!.length, 1)
    const [record] = got.Records!
    assert.equal(Buffer.from(record!.Data!).toString(), 'testdata')
    assert.equal(record!.PartitionKey, '123')
    assert.equal(record!.SequenceNumber, put.SequenceNumber)
    assert.ok(record!.ApproximateArrivalTimestamp instanceof Date)
    assert.equal(got.MillisBehindLatest, 0)
    assert.ok(got.NextShardIterator!.length > 0)
    // The tutorial's loop: the next iterator answers an empty page while nothing new arrives.
    const next = await k.send(new GetRecordsCommand({ ShardIterator: got.NextShardIterator }))
    assert.deepEqual(next.Records, [])
    assert.ok(next.NextShardIterator!.length > 0)

    // Step 4: clean up.
    await k.send(new DeleteStreamCommand({ StreamName: name }))
    assert.equal((await k.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!.StreamStatus, 'DELETING')
    await advance(nimbus.current, 500)
    const gone = await sdkError(k.send(new DescribeStreamSummaryCommand({ StreamName: name })))
    assert.equal(gone.name, 'ResourceNotFoundException')
  })

  it('a shard count without a mode is still a provisioned stream; PROVISIONED named without one is refused', async () => {
    const name = uniqueName('samplestream')
    await awsCli(nimbus.current, 'kinesis', 'create-stream', '--stream-name', name, '--shard-count', '3')
    await advance(nimbus.current, 500)
    const out = await awsCli<{ StreamDescriptionSummary: Record<string, unknown> }>(nimbus.current, 'kinesis', 'describe-stream-summary', '--stream-name', name)
    assert.deepEqual([out.StreamDescriptionSummary.StreamModeDetails, out.StreamDescriptionSummary.OpenShardCount], [{ StreamMode: 'PROVISIONED' }, 3])
    const k = kinesisClient(nimbus.current)
    const refused = await sdkError(k.send(new CreateStreamCommand({ StreamName: uniqueName('p'), StreamModeDetails: { StreamMode: 'PROVISIONED' } })))
    assert.equal(refused.name, 'InvalidArgumentException')
  })
})
