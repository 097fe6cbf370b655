// Kinesis Data Streams' bad inputs as the API reference documents them, walked operation by operation
// with @aws-sdk/client-kinesis and boto3: the model's constraints answer Coral's ValidationException
// ("1 validation error detected: Value '…' at '…' failed to satisfy constraint: Member must …"), the
// documented rules InvalidArgumentException, missing streams ResourceNotFoundException — all HTTP 400.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  AddTagsToStreamCommand, CreateStreamCommand, DecreaseStreamRetentionPeriodCommand, DescribeStreamCommand, DescribeStreamConsumerCommand,
  EnableEnhancedMonitoringCommand, GetRecordsCommand, GetShardIteratorCommand, IncreaseStreamRetentionPeriodCommand, ListShardsCommand,
  ListStreamsCommand, ListTagsForStreamCommand, MergeShardsCommand, PutRecordCommand, PutRecordsCommand, RegisterStreamConsumerCommand,
  SplitShardCommand, StartStreamEncryptionCommand, StopStreamEncryptionCommand, TagResourceCommand, UpdateShardCountCommand,
  UpdateStreamModeCommand,
} from '@aws-sdk/client-kinesis'
import { runBoto3 } from '../../helpers/boto3.ts'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const client = () => kinesisClient(nimbus.current)
const v = (value: string, at: string, constraint: string) => `Value ${value} at '${at}' failed to satisfy constraint: ${constraint}`
const one = (problem: string) => `1 validation error detected: ${problem}`
const account = '000000000000'

/** Sends the command and expects exactly this error (name, HTTP status, message). */
async function refused(command: object, name: string, message: string): Promise<void> {
  const error = await sdkError(client().send(command as never))
  assert.deepEqual(error, { name, status: 400, message })
}

describe('CreateStream, DescribeStream, ListStreams: names, counts, modes and tags', () => {
  it('answers the model for names, shard counts and modes, and the documented rules for the rest', async () => {
    await refused(new CreateStreamCommand({ StreamName: 'vd', ShardCount: 0 }), 'ValidationException',
      one(v("'0'", 'shardCount', 'Member must have value greater than or equal to 1')))
    await refused(new CreateStreamCommand({ StreamName: 's'.repeat(129), ShardCount: 1 }), 'ValidationException',
      one(v(`'${'s'.repeat(129)}'`, 'streamName', 'Member must have length less than or equal to 128')))
    await refused(new CreateStreamCommand({ StreamName: 'a/b', ShardCount: 1 }), 'ValidationException',
      one(v("'a/b'", 'streamName', 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+')))
    await refused(new CreateStreamCommand({ StreamName: 'vd', StreamModeDetails: { StreamMode: 'SOMETIMES' as never } }), 'ValidationException',
      one(v("'SOMETIMES'", 'streamModeDetails.streamMode', 'Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]')))
    await refused(new CreateStreamCommand({ StreamName: 'vd', StreamModeDetails: { StreamMode: 'PROVISIONED' } }), 'InvalidArgumentException',
      'ShardCount is required for PROVISIONED stream mode.')
  })

  it('refuses tags past what the reference allows: 50 a stream, keys 1–128 and values 0–256 characters', async () => {
    const name = uniqueName('vd')
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']))
    await refused(new CreateStreamCommand({ StreamName: name, ShardCount: 1, Tags: many }), 'InvalidArgumentException',
      `Failed to create stream ${name} under account ${account} because a given stream cannot have more than 50 tags associated with it.`)
    const longKey = 'k'.repeat(129)
    await refused(new CreateStreamCommand({ StreamName: name, ShardCount: 1, Tags: { [longKey]: 'v' } }), 'ValidationException',
      one(v(`'{${longKey}=v}'`, 'tags', 'Map keys must satisfy constraint: [Member must have length less than or equal to 128, ' +
        'Member must have length greater than or equal to 1]')))
    const stream = await activeStream(nimbus.current, client())
    const longValue = 'v'.repeat(257)
    await refused(new AddTagsToStreamCommand({ StreamName: stream, Tags: { ok: 'v', k: longValue } }), 'ValidationException',
      one(v(`'{ok=v, k=${longValue}}'`, 'tags', 'Map value must satisfy constraint: [Member must have length less than or equal to 256, ' +
        'Member must have length greater than or equal to 0]')))
    await refused(new TagResourceCommand({ ResourceARN: streamArn(stream), Tags: { '': 'v' } }), 'ValidationException',
      one(v("'{=v}'", 'tags', 'Map keys must satisfy constraint: [Member must have length less than or equal to 128, ' +
        'Member must have length greater than or equal to 1]')))
    await refused(new AddTagsToStreamCommand({ StreamName: stream, Tags: many }), 'InvalidArgumentException',
      `Failed to add tags to stream ${stream} under account ${account} because a given stream cannot have more than 50 tags associated with it.`)
    // Nothing of a refused request was kept; 50 tags are fine.
    assert.deepEqual((await client().send(new ListTagsForStreamCommand({ StreamName: stream }))).Tags, [])
    await client().send(new CreateStreamCommand({ StreamName: name, ShardCount: 1, Tags: Object.fromEntries(Object.entries(many).slice(0, 50)) }))
    await advance(nimbus.current, 500)
    assert.equal((await client().send(new ListTagsForStreamCommand({ StreamName: name, Limit: 50 }))).Tags?.length, 50)
    await refused(new ListTagsForStreamCommand({ StreamName: name, Limit: 51 }), 'ValidationException',
      one(v("'51'", 'limit', 'Member must have value less than or equal to 50')))
  })

  it('addresses a stream by name or ARN, refusing neither and a pair naming two streams', async () => {
    const [a, b] = [await activeStream(nimbus.current, client()), await activeStream(nimbus.current, client())]
    await refused(new DescribeStreamCommand({}), 'InvalidArgumentException', 'Either StreamName or StreamARN should be provided.')
    await refused(new DescribeStreamCommand({ StreamName: a, StreamARN: streamArn(b) }), 'InvalidArgumentException',
      'StreamARN and StreamName refer to different streams.')
    await refused(new PutRecordCommand({ StreamName: a, StreamARN: streamArn(b), Data: Buffer.from('x'), PartitionKey: 'k' }),
      'InvalidArgumentException', 'StreamARN and StreamName refer to different streams.')
    await refused(new DescribeStreamCommand({ StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:table/x' }), 'ValidationException',
      one(v("'arn:aws:kinesis:us-east-1:000000000000:table/x'", 'streamARN', 'Member must satisfy regular expression pattern: arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+')))
    await refused(new DescribeStreamCommand({ StreamName: 'no-such-stream' }), 'ResourceNotFoundException',
      `Stream no-such-stream under account ${account} not found.`)
    await refused(new DescribeStreamCommand({ StreamName: a, Limit: 10_001 }), 'ValidationException',
      one(v("'10001'", 'limit', 'Member must have value less than or equal to 10000')))
    await refused(new ListStreamsCommand({ Limit: 0 }), 'ValidationException', one(v("'0'", 'limit', 'Member must have value greater than or equal to 1')))
    await refused(new ListStreamsCommand({ NextToken: 'not-a-token' }), 'InvalidArgumentException', 'NextToken is invalid.')
  })
})

describe('PutRecord and PutRecords: keys, hash keys and sizes', () => {
  it('refuses partition keys outside 1–256, hash keys outside [0, 2^128-1] and oversized records', async () => {
    const stream = await activeStream(nimbus.current, client())
    const put = (extra: object) => new PutRecordCommand({ StreamName: stream, Data: Buffer.from('x'), PartitionKey: 'k', ...extra })
    await refused(put({ PartitionKey: '' }), 'ValidationException', one(v("''", 'partitionKey', 'Member must have length greater than or equal to 1')))
    await refused(put({ PartitionKey: 'p'.repeat(257) }), 'ValidationException',
      one(v(`'${'p'.repeat(257)}'`, 'partitionKey', 'Member must have length less than or equal to 256')))
    const tooBig = (2n ** 128n).toString()
    await refused(put({ ExplicitHashKey: tooBig }), 'InvalidArgumentException',
      `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${tooBig}`)
    await refused(put({ ExplicitHashKey: '-1' }), 'ValidationException',
      one(v("'-1'", 'explicitHashKey', 'Member must satisfy regular expression pattern: ^(0|([1-9]\\d{0,38}))$')))
    await refused(put({ SequenceNumberForOrdering: 'latest' }), 'ValidationException',
      one(v("'latest'", 'sequenceNumberForOrdering', 'Member must satisfy regular expression pattern: ^(0|([1-9]\\d{0,128}))$')))
    await refused(put({ Data: Buffer.alloc(1024 * 1024 + 1) }), 'ValidationException',
      one("Value at 'data' failed to satisfy constraint: Member must have length less than or equal to 1048576"))
    // The top of the range is a hash key like any other.
    const top = await client().send(put({ ExplicitHashKey: (2n ** 128n - 1n).toString() }))
    assert.equal(top.ShardId, 'shardId-000000000000')
    await refused(new PutRecordsCommand({ StreamName: stream, Records: [] }), 'ValidationException',
      one(v("'[]'", 'records', 'Member must have length greater than or equal to 1')))
    await refused(new PutRecordsCommand({ StreamName: stream, Records: [{ Data: Buffer.from('x'), PartitionKey: 'k', ExplicitHashKey: tooBig }] }),
      'InvalidArgumentException', `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${tooBig}`)
    await refused(new PutRecordsCommand({ StreamName: stream, Records: [{ Data: Buffer.from('x'), PartitionKey: 'k' }, { Data: Buffer.from('y'), PartitionKey: '' }] }),
      'ValidationException', one(v("''", 'records.2.member.partitionKey', 'Member must have length greater than or equal to 1')))
    const many = await sdkError(client().send(new PutRecordsCommand({ StreamName: stream,
      Records: Array.from({ length: 501 }, () => ({ Data: Buffer.from('x'), PartitionKey: 'k' })) })))
    assert.equal(many.name, 'ValidationException')
    assert.match(many.message, /^1 validation error detected: Value '\[PutRecordsRequestEntry\(data=java\.nio\.HeapByteBuffer\[pos=0 lim=1 cap=1\], explicitHashKey=null, partitionKey=k\), /)
    assert.match(many.message, /\]' at 'records' failed to satisfy constraint: Member must have length less than or equal to 500$/)
  })
})

describe('GetShardIterator and GetRecords: iterator types, positions and iterators', () => {
  it('answers the documented pairing rules of iterator types and positions', async () => {
    const stream = await activeStream(nimbus.current, client())
    const iterator = (extra: object) => new GetShardIteratorCommand({ StreamName: stream, ShardId: 'shardId-000000000000', ShardIteratorType: 'LATEST', ...extra })
    await refused(iterator({ ShardIteratorType: 'OLDEST' }), 'ValidationException',
      one(v("'OLDEST'", 'shardIteratorType', 'Member must satisfy enum value set: [AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST, AT_TIMESTAMP]')))
    await refused(iterator({ ShardIteratorType: 'AT_SEQUENCE_NUMBER' }), 'InvalidArgumentException',
      'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and ' +
      'no StartingSequenceNumber. Request specified AT_SEQUENCE_NUMBER and no StartingSequenceNumber.')
    await refused(iterator({ ShardIteratorType: 'TRIM_HORIZON', StartingSequenceNumber: '1' }), 'InvalidArgumentException',
      'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and ' +
      'no StartingSequenceNumber. Request specified TRIM_HORIZON and also a StartingSequenceNumber.')
    await refused(iterator({ ShardIteratorType: 'AT_TIMESTAMP' }), 'InvalidArgumentException',
      'Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.')
    const now = nimbus.current.clock.now()
    await refused(iterator({ ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(now + 60_000) }), 'InvalidArgumentException',
      `The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. timestampInMillis: ${now + 60_000}, currentTimestampInMillis: ${now}`)
    await refused(iterator({ ShardId: 'shardId-000000000009' }), 'ResourceNotFoundException',
      `Shard shardId-000000000009 in stream ${stream} under account ${account} does not exist`)
  })

  it('refuses a Limit outside 1–10,000, a malformed iterator and one of another stream', async () => {
    const [a, b] = [await activeStream(nimbus.current, client()), await activeStream(nimbus.current, client())]
    const { ShardIterator } = await client().send(new GetShardIteratorCommand({ StreamName: a, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))
    await refused(new GetRecordsCommand({ ShardIterator, Limit: 0 }), 'ValidationException',
      one(v("'0'", 'limit', 'Member must have value greater than or equal to 1')))
    await refused(new GetRecordsCommand({ ShardIterator, Limit: 10_001 }), 'ValidationException',
      one(v("'10001'", 'limit', 'Member must have value less than or equal to 10000')))
    await refused(new GetRecordsCommand({ ShardIterator: 'not-an-iterator' }), 'InvalidArgumentException', 'Invalid ShardIterator.')
    await refused(new GetRecordsCommand({ ShardIterator, StreamARN: streamArn(b) }), 'InvalidArgumentException', 'Invalid ShardIterator.')
    // The iterator is still good where it belongs.
    assert.deepEqual((await client().send(new GetRecordsCommand({ ShardIterator, StreamARN: streamArn(a) }))).Records, [])
  })
})

describe('Retention, resharding, encryption, monitoring and consumers', () => {
  it('refuses retention outside 24–8,760 hours and in the wrong direction', async () => {
    const stream = await activeStream(nimbus.current, client())
    await refused(new IncreaseStreamRetentionPeriodCommand({ StreamName: stream, RetentionPeriodHours: 8761 }), 'InvalidArgumentException',
      'Maximum allowed retention period is 8760 hours. Requested retention period (8761 hours) is too long.')
    await refused(new DecreaseStreamRetentionPeriodCommand({ StreamName: stream, RetentionPeriodHours: 23 }), 'InvalidArgumentException',
      'Minimum allowed retention period is 24 hours. Requested retention period (23 hours) is too short.')
    await refused(new DecreaseStreamRetentionPeriodCommand({ StreamName: stream, RetentionPeriodHours: 48 }), 'InvalidArgumentException',
      `Requested retention period (48 hours) for stream ${stream} can not be longer than existing retention period (24 hours). Use IncreaseRetentionPeriod API.`)
  })

  it('refuses split keys outside the shard, a shard merged with itself and scaling past double', async () => {
    const stream = await activeStream(nimbus.current, client(), 2)
    await refused(new SplitShardCommand({ StreamName: stream, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: 'middle' }), 'ValidationException',
      one(v("'middle'", 'newStartingHashKey', 'Member must satisfy regular expression pattern: ^(0|([1-9]\\d{0,38}))$')))
    await refused(new SplitShardCommand({ StreamName: stream, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: '0' }), 'InvalidArgumentException',
      `NewStartingHashKey 0 used in SplitShard() on shard shardId-000000000000 in stream ${stream} under account ${account} is not both greater than ` +
      "one plus the shard's StartingHashKey 0 and less than the shard's EndingHashKey 170141183460469231731687303715884105727.")
    await refused(new MergeShardsCommand({ StreamName: stream, ShardToMerge: 'shardId-000000000000', AdjacentShardToMerge: 'shardId-000000000000' }),
      'InvalidArgumentException', `Shards shardId-000000000000 and shardId-000000000000 in stream ${stream} under account ${account} are not an ` +
      'adjacent pair of shards eligible for merging')
    await refused(new UpdateShardCountCommand({ StreamName: stream, TargetShardCount: 5, ScalingType: 'UNIFORM_SCALING' }), 'LimitExceededException',
      'UpdateShardCount cannot scale up over double your current open shard count. Current open shard count: 2 Target shard count: 5')
    await refused(new UpdateShardCountCommand({ StreamName: stream, TargetShardCount: 2, ScalingType: 'EVEN' as never }), 'ValidationException',
      one(v("'EVEN'", 'scalingType', 'Member must satisfy enum value set: [UNIFORM_SCALING]')))
    await refused(new UpdateStreamModeCommand({ StreamARN: streamArn(stream), StreamModeDetails: { StreamMode: 'AUTO' as never } }), 'ValidationException',
      one(v("'AUTO'", 'streamModeDetails.streamMode', 'Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]')))
    await refused(new ListShardsCommand({ StreamName: stream, NextToken: 'x' }), 'InvalidArgumentException', 'NextToken and StreamName cannot be provided together.')
    await refused(new ListShardsCommand({ StreamName: stream, ShardFilter: { Type: 'AFTER_SHARD_ID' } }), 'InvalidArgumentException',
      'Must specify ShardId for AFTER_SHARD_ID filter type.')
  })

  it('takes KMS as the only encryption type, as the reference says, and checks key ids and metric names', async () => {
    const stream = await activeStream(nimbus.current, client())
    await refused(new StartStreamEncryptionCommand({ StreamName: stream, EncryptionType: 'NONE', KeyId: 'alias/aws/kinesis' }), 'InvalidArgumentException',
      'EncryptionType NONE is not valid. The only valid value is KMS.')
    await refused(new StopStreamEncryptionCommand({ StreamName: stream, EncryptionType: 'NONE', KeyId: 'alias/aws/kinesis' }), 'InvalidArgumentException',
      'EncryptionType NONE is not valid. The only valid value is KMS.')
    await refused(new StartStreamEncryptionCommand({ StreamName: stream, EncryptionType: 'KMS', KeyId: '' }), 'ValidationException',
      one(v("''", 'keyId', 'Member must have length greater than or equal to 1')))
    // The stream stayed ACTIVE and unencrypted through the refusals.
    const described = (await client().send(new DescribeStreamCommand({ StreamName: stream }))).StreamDescription
    assert.deepEqual([described?.StreamStatus, described?.EncryptionType], ['ACTIVE', 'NONE'])
    await refused(new EnableEnhancedMonitoringCommand({ StreamName: stream, ShardLevelMetrics: ['Everything' as never] }), 'ValidationException',
      one(v("'Everything'", 'shardLevelMetrics.1.member', 'Member must satisfy enum value set: [IncomingBytes, IncomingRecords, OutgoingBytes, ' +
        'OutgoingRecords, WriteProvisionedThroughputExceeded, ReadProvisionedThroughputExceeded, IteratorAgeMilliseconds, ALL]')))
    await refused(new RegisterStreamConsumerCommand({ StreamARN: streamArn(stream), ConsumerName: 'a b' }), 'ValidationException',
      one(v("'a b'", 'consumerName', 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+')))
    await refused(new DescribeStreamConsumerCommand({ ConsumerName: 'c' }), 'InvalidArgumentException',
      'Either ConsumerARN or both ConsumerName and StreamARN must be provided.')
  })
})

describe('the same answers through boto3', () => {
  it('gives botocore the codes, statuses and messages', async () => {
    const stream = await activeStream(nimbus.current, client())
    const out = await runBoto3(`
import sys, json, boto3, botocore
from botocore.config import Config
k = boto3.client('kinesis', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='t', aws_secret_access_key='t',
                 config=Config(retries={'max_attempts': 1}, parameter_validation=False))
def answer(fn, **kw):
    try:
        fn(**kw); return 'ok'
    except botocore.exceptions.ClientError as e:
        return [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Message']]
s = sys.argv[2]
print(json.dumps([
    answer(k.put_record, StreamName=s, Data=b'x', PartitionKey='k', ExplicitHashKey=str(2**128)),
    answer(k.add_tags_to_stream, StreamName=s, Tags={'k' * 129: 'v'}),
    answer(k.start_stream_encryption, StreamName=s, EncryptionType='NONE', KeyId='alias/aws/kinesis'),
    answer(k.create_stream, StreamName=s + '-x', ShardCount=1, Tags={'k%d' % i: 'v' for i in range(51)}),
]))`, nimbus.current.endpoint, stream)
    const longKey = 'k'.repeat(129)
    assert.deepEqual(JSON.parse(out), [
      ['InvalidArgumentException', 400, `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${(2n ** 128n).toString()}`],
      ['ValidationException', 400, one(v(`'{${longKey}=v}'`, 'tags', 'Map keys must satisfy constraint: [Member must have length less than or equal to 128, ' +
        'Member must have length greater than or equal to 1]'))],
      ['InvalidArgumentException', 400, 'EncryptionType NONE is not valid. The only valid value is KMS.'],
      ['InvalidArgumentException', 400, `Failed to create stream ${stream}-x under account ${account} because a given stream cannot have more than 50 tags associated with it.`],
    ])
  })
})
