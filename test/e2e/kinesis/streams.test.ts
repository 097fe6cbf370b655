// Kinesis streams with @aws-sdk/client-kinesis on the manual clock: lifecycle states, describe and
// list pagination, StreamARN addressing, retention rules, mode, encryption, tags, the shard quota
// and AWS's errors word for word.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  AddTagsToStreamCommand, CreateStreamCommand, DecreaseStreamRetentionPeriodCommand, DeleteStreamCommand, DescribeStreamCommand,
  DescribeStreamSummaryCommand, IncreaseStreamRetentionPeriodCommand, ListStreamsCommand, ListTagsForResourceCommand,
  ListTagsForStreamCommand, PutRecordCommand, RegisterStreamConsumerCommand, RemoveTagsFromStreamCommand, StartStreamEncryptionCommand,
  StopStreamEncryptionCommand, TagResourceCommand, UntagResourceCommand, UpdateStreamModeCommand,
} from '@aws-sdk/client-kinesis'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const client = () => kinesisClient(nimbus.current)

describe('stream lifecycle on the clock', () => {
  it('CREATING for 500 ms, then ACTIVE; DELETING for 500 ms, then gone', async () => {
    const k = client()
    const name = uniqueName('ks')
    await k.send(new CreateStreamCommand({ StreamName: name, ShardCount: 3 }))
    const creating = await k.send(new DescribeStreamSummaryCommand({ StreamName: name }))
    assert.equal(creating.StreamDescriptionSummary?.StreamStatus, 'CREATING')
    // Records can't be written to a stream still being created.
    const early = await sdkError(k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.from('x') })))
    assert.deepEqual(early, { name: 'ResourceNotFoundException', message: `Stream ${name} under account 000000000000 not found.`, status: 400 })
    await advance(nimbus.current, 500)
    const active = await k.send(new DescribeStreamSummaryCommand({ StreamName: name }))
    assert.equal(active.StreamDescriptionSummary?.StreamStatus, 'ACTIVE')
    assert.equal(active.StreamDescriptionSummary?.OpenShardCount, 3)
    assert.equal(active.StreamDescriptionSummary?.RetentionPeriodHours, 24)
    assert.equal(active.StreamDescriptionSummary?.StreamARN, streamArn(name))
    await k.send(new DeleteStreamCommand({ StreamName: name }))
    const deleting = await k.send(new DescribeStreamCommand({ StreamName: name }))
    assert.equal(deleting.StreamDescription?.StreamStatus, 'DELETING')
    await advance(nimbus.current, 500)
    const gone = await sdkError(k.send(new DescribeStreamCommand({ StreamName: name })))
    assert.deepEqual(gone, { name: 'ResourceNotFoundException', message: `Stream ${name} under account 000000000000 not found.`, status: 400 })
  })

  it('hash ranges split 2^128 evenly as AWS does, shard ids in shardId-000000000000 form', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k, 3)
    const { StreamDescription: d } = await k.send(new DescribeStreamCommand({ StreamName: name }))
    assert.deepEqual(d?.Shards?.map((s) => [s.ShardId, s.HashKeyRange?.StartingHashKey, s.HashKeyRange?.EndingHashKey]), [
      ['shardId-000000000000', '0', '113427455640312821154458202477256070484'],
      ['shardId-000000000001', '113427455640312821154458202477256070485', '226854911280625642308916404954512140969'],
      ['shardId-000000000002', '226854911280625642308916404954512140970', '340282366920938463463374607431768211455'],
    ])
    for (const s of d!.Shards!) assert.match(s.SequenceNumberRange!.StartingSequenceNumber!, /^49\d{54}$/)
  })

  it('ON_DEMAND streams start with 4 shards', async () => {
    const k = client()
    const name = uniqueName('ks')
    await k.send(new CreateStreamCommand({ StreamName: name, StreamModeDetails: { StreamMode: 'ON_DEMAND' } }))
    await advance(nimbus.current, 500)
    const { StreamDescriptionSummary: s } = await k.send(new DescribeStreamSummaryCommand({ StreamName: name }))
    assert.equal(s?.OpenShardCount, 4)
    assert.equal(s?.StreamModeDetails?.StreamMode, 'ON_DEMAND')
  })

  it('a name taken answers ResourceInUseException; a bad one ValidationException', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    assert.deepEqual(await sdkError(k.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }))),
      { name: 'ResourceInUseException', message: `Stream ${name} under account 000000000000 already exists.`, status: 400 })
    assert.deepEqual(await sdkError(k.send(new CreateStreamCommand({ StreamName: 'bad name!', ShardCount: 0 }))), {
      name: 'ValidationException', status: 400,
      message: "2 validation errors detected: Value 'bad name!' at 'streamName' failed to satisfy constraint: Member must satisfy " +
        "regular expression pattern: [a-zA-Z0-9_.-]+; Value '0' at 'shardCount' failed to satisfy constraint: Member must have value " +
        'greater than or equal to 1',
    })
  })

  it('the account shard quota answers LimitExceededException', async () => {
    const k = kinesisClient(nimbus.current, 'ap-south-1')
    const err = await sdkError(k.send(new CreateStreamCommand({ StreamName: uniqueName('ks'), ShardCount: 1001 })))
    assert.equal(err.name, 'LimitExceededException')
    assert.equal(err.message, 'This request would exceed the shard limit for the account 000000000000 in ap-south-1. Current shard ' +
      'count for the account: 0. Limit: 1000. Number of additional shards that would have resulted from this request: 1001. Refer to ' +
      'the AWS Service Limits page (http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current limits and how ' +
      'to request higher limits.')
  })
})

describe('finding streams by name or ARN', () => {
  it('StreamARN works wherever StreamName does; a mismatch or neither is InvalidArgumentException', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    const byArn = await k.send(new DescribeStreamSummaryCommand({ StreamARN: streamArn(name) }))
    assert.equal(byArn.StreamDescriptionSummary?.StreamName, name)
    const put = await k.send(new PutRecordCommand({ StreamARN: streamArn(name), PartitionKey: 'p', Data: Buffer.from('x') }))
    assert.equal(put.ShardId, 'shardId-000000000000')
    const mismatch = await sdkError(k.send(new DescribeStreamSummaryCommand({ StreamName: 'other', StreamARN: streamArn(name) })))
    assert.equal(mismatch.name, 'InvalidArgumentException')
    const neither = await sdkError(k.send(new DescribeStreamSummaryCommand({})))
    assert.equal(neither.name, 'InvalidArgumentException')
  })

  it('ListStreams pages with Limit, NextToken and ExclusiveStartStreamName, with summaries', async () => {
    const k = kinesisClient(nimbus.current, 'eu-north-1')
    const names = ['list-a', 'list-b', 'list-c']
    for (const n of names) await k.send(new CreateStreamCommand({ StreamName: n, ShardCount: 1 }))
    const first = await k.send(new ListStreamsCommand({ Limit: 2 }))
    assert.deepEqual(first.StreamNames, ['list-a', 'list-b'])
    assert.equal(first.HasMoreStreams, true)
    assert.deepEqual(first.StreamSummaries?.map((s) => [s.StreamName, s.StreamStatus, s.StreamARN]),
      [['list-a', 'CREATING', streamArn('list-a', 'eu-north-1')], ['list-b', 'CREATING', streamArn('list-b', 'eu-north-1')]])
    const second = await k.send(new ListStreamsCommand({ NextToken: first.NextToken }))
    assert.deepEqual(second.StreamNames, ['list-c'])
    assert.equal(second.HasMoreStreams, false)
    const after = await k.send(new ListStreamsCommand({ ExclusiveStartStreamName: 'list-a' }))
    assert.deepEqual(after.StreamNames, ['list-b', 'list-c'])
  })

  it('DescribeStream pages shards with Limit and ExclusiveStartShardId', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k, 5)
    const page = await k.send(new DescribeStreamCommand({ StreamName: name, Limit: 2 }))
    assert.deepEqual(page.StreamDescription?.Shards?.map((s) => s.ShardId), ['shardId-000000000000', 'shardId-000000000001'])
    assert.equal(page.StreamDescription?.HasMoreShards, true)
    const next = await k.send(new DescribeStreamCommand({ StreamName: name, ExclusiveStartShardId: 'shardId-000000000001' }))
    assert.deepEqual(next.StreamDescription?.Shards?.map((s) => s.ShardId), ['shardId-000000000002', 'shardId-000000000003', 'shardId-000000000004'])
    assert.equal(next.StreamDescription?.HasMoreShards, false)
  })
})

describe('retention, mode, encryption', () => {
  it('Increase/DecreaseStreamRetentionPeriod follow AWS rules', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    const tooShort = await sdkError(k.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 12 })))
    assert.deepEqual(tooShort, { name: 'InvalidArgumentException', status: 400,
      message: 'Minimum allowed retention period is 24 hours. Requested retention period (12 hours) is too short.' })
    await k.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 48 }))
    const shorter = await sdkError(k.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 36 })))
    assert.deepEqual(shorter, { name: 'InvalidArgumentException', status: 400, message: `Requested retention period (36 hours) for stream ` +
      `${name} can not be shorter than existing retention period (48 hours). Use DecreaseRetentionPeriod API.` })
    const longer = await sdkError(k.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 72 })))
    assert.deepEqual(longer, { name: 'InvalidArgumentException', status: 400, message: `Requested retention period (72 hours) for stream ` +
      `${name} can not be longer than existing retention period (48 hours). Use IncreaseRetentionPeriod API.` })
    const tooLong = await sdkError(k.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 9000 })))
    assert.equal(tooLong.name, 'InvalidArgumentException')
    await k.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 24 }))
    const s = await k.send(new DescribeStreamSummaryCommand({ StreamName: name }))
    assert.equal(s.StreamDescriptionSummary?.RetentionPeriodHours, 24)
  })

  it('UpdateStreamMode and Start/StopStreamEncryption pass through UPDATING and are stored', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    await k.send(new UpdateStreamModeCommand({ StreamARN: streamArn(name), StreamModeDetails: { StreamMode: 'ON_DEMAND' } }))
    let s = (await k.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!
    assert.deepEqual([s.StreamStatus, s.StreamModeDetails?.StreamMode], ['UPDATING', 'ON_DEMAND'])
    const busy = await sdkError(k.send(new StartStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' })))
    assert.deepEqual(busy, { name: 'ResourceInUseException', status: 400,
      message: `Stream ${name} under account 000000000000 not ACTIVE, instead in state UPDATING` })
    await advance(nimbus.current, 500)
    await k.send(new StartStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }))
    await advance(nimbus.current, 500)
    s = (await k.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!
    assert.deepEqual([s.StreamStatus, s.EncryptionType, s.KeyId], ['ACTIVE', 'KMS', 'alias/aws/kinesis'])
    const put = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('x') }))
    assert.equal(put.EncryptionType, 'KMS')
    await k.send(new StopStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }))
    await advance(nimbus.current, 500)
    s = (await k.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!
    assert.equal(s.EncryptionType, 'NONE')
  })
})

describe('tags and deletion with consumers', () => {
  it('tags by stream name and by ARN', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    await k.send(new AddTagsToStreamCommand({ StreamName: name, Tags: { team: 'data', env: 'dev' } }))
    await k.send(new TagResourceCommand({ ResourceARN: streamArn(name), Tags: { cost: '42' } }))
    const listed = await k.send(new ListTagsForStreamCommand({ StreamName: name, Limit: 2 }))
    assert.deepEqual(listed.Tags, [{ Key: 'cost', Value: '42' }, { Key: 'env', Value: 'dev' }])
    assert.equal(listed.HasMoreTags, true)
    await k.send(new RemoveTagsFromStreamCommand({ StreamName: name, TagKeys: ['env'] }))
    await k.send(new UntagResourceCommand({ ResourceARN: streamArn(name), TagKeys: ['cost'] }))
    const left = await k.send(new ListTagsForResourceCommand({ ResourceARN: streamArn(name) }))
    assert.deepEqual(left.Tags, [{ Key: 'team', Value: 'data' }])
  })

  it('DeleteStream with registered consumers needs EnforceConsumerDeletion', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    await k.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn(name), ConsumerName: 'c1' }))
    const refused = await sdkError(k.send(new DeleteStreamCommand({ StreamName: name })))
    assert.equal(refused.name, 'ResourceInUseException')
    await k.send(new DeleteStreamCommand({ StreamName: name, EnforceConsumerDeletion: true }))
    await advance(nimbus.current, 500)
    assert.equal((await sdkError(k.send(new DescribeStreamCommand({ StreamName: name })))).name, 'ResourceNotFoundException')
  })
})
