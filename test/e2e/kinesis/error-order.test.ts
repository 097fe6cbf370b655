// AWS checks a request in this order: the body is read (SerializationException: undecodable JSON or
// CBOR, a blob that isn't canonical base64), then the model's constraints and the operation's own
// argument rules (ValidationException / InvalidArgumentException), then the resource
// (ResourceNotFoundException), then its state (ResourceInUseException), then limits. Each case below
// combines faults of two stages against a stream that is missing (or at a limit); the earlier stage wins.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  GetShardIteratorCommand, IncreaseStreamRetentionPeriodCommand, DecreaseStreamRetentionPeriodCommand, ListShardsCommand,
  PutRecordCommand, PutRecordsCommand, SplitShardCommand, UpdateShardCountCommand, CreateStreamCommand, DescribeStreamCommand,
  GetRecordsCommand, MergeShardsCommand, ListStreamConsumersCommand, PutResourcePolicyCommand, SubscribeToShardCommand,
} from '@aws-sdk/client-kinesis'
import { encode } from '../../../src/protocol/cbor/cbor.ts'
import { attemptCodes, runBoto3 } from '../../helpers/boto3.ts'
import { activeStream, kinesisClient } from '../../helpers/kinesis.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest, signedBy } from '../../helpers/raw-http.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const missing = 'no-such-stream'
const missingArn = `arn:aws:kinesis:us-east-1:000000000000:stream/${missing}`

function raw(operation: string, contentType: string, body: string | Buffer) {
  return rawRequest(nimbus.current.endpoint, { headers: { 'content-type': contentType, 'x-amz-target': `Kinesis_20131202.${operation}`,
    ...signedBy('kinesis') }, body })
}
const json = (operation: string, input: unknown) => raw(operation, 'application/x-amz-json-1.1', JSON.stringify(input))
const cbor = (operation: string, input: unknown) => raw(operation, 'application/x-amz-cbor-1.1', encode(input))
const codeOf = (r: { body: string }) => String(r.body.match(/#?(\w+Exception)/)?.[1])

describe('the body is read first: SerializationException whatever else is wrong', () => {
  const cases: Array<[string, () => ReturnType<typeof raw>, string]> = [
    ['PutRecord, Data of 3 characters, missing stream', () => json('PutRecord', { StreamName: missing, PartitionKey: 'k', Data: 'abc' }),
      "'abc' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 3"],
    ['PutRecord, Data with a % and an empty key, missing stream', () => json('PutRecord', { StreamName: missing, PartitionKey: '', Data: 'ab%d' }),
      "'ab%d' can not be converted to a Blob: Invalid Base64 character: '%'"],
    ['PutRecord, Data with spare bits set', () => json('PutRecord', { StreamName: missing, PartitionKey: 'k', Data: 'QR==' }),
      "'QR==' can not be converted to a Blob: Invalid last non-pad Base64 character dectected"],
    ['PutRecords, one bad record among good ones, 0 records is not it', () => json('PutRecords', { StreamName: missing,
      Records: [{ PartitionKey: 'k', Data: 'AAAA' }, { PartitionKey: 'k', Data: 'AAA' }] }),
      "'AAA' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 3"],
    ['CBOR PutRecord, Data as text that is not base64', () => cbor('PutRecord', { StreamName: missing, PartitionKey: 'k', Data: 'a!bc' }),
      "'a!bc' can not be converted to a Blob: Invalid Base64 character: '!'"],
    ['JSON of the wrong type and a bad limit', () => json('DescribeStream', { StreamName: [missing], Limit: 0 }), ''],
    ['truncated JSON', () => raw('PutRecord', 'application/x-amz-json-1.1', '{"StreamName": "x", "Data": '), ''],
    ['truncated CBOR', () => raw('PutRecord', 'application/x-amz-cbor-1.1', encode({ StreamName: missing, PartitionKey: 'k' }).subarray(0, 12)), ''],
    ['CBOR with a reserved byte', () => raw('GetRecords', 'application/x-amz-cbor-1.1', Buffer.from([0xa1, 0x1c])), ''],
    ['CBOR array body', () => raw('ListShards', 'application/x-amz-cbor-1.1', encode([missing])), ''],
  ]
  for (const [what, call, message] of cases) {
    it(what, async () => {
      const r = await call()
      assert.equal(r.status, 400)
      assert.equal(codeOf(r), 'SerializationException', r.body)
      if (message !== '') assert.ok(r.body.includes(JSON.stringify(message).slice(1, -1)) || r.body.includes(message), r.body)
    })
  }

  it('canonical base64 (padded, or empty) is still taken', async () => {
    const name = await activeStream(nimbus.current, kinesisClient(nimbus.current))
    for (const data of ['', 'QQ==', 'QUI=', 'QUJD']) {
      const r = await json('PutRecord', { StreamName: name, PartitionKey: 'k', Data: data })
      assert.equal(r.status, 200, r.body)
    }
  })
})

describe('CBOR requests keep the same order', () => {
  for (const [what, operation, input, code] of [
    ['PutRecord with an empty key, missing stream', 'PutRecord', { StreamName: missing, PartitionKey: '', Data: Buffer.from('x') }, 'ValidationException'],
    ['PutRecord past 2^128 - 1, missing stream', 'PutRecord', { StreamName: missing, PartitionKey: 'k', Data: Buffer.from('x'),
      ExplicitHashKey: '340282366920938463463374607431768211456' }, 'InvalidArgumentException'],
    ['GetShardIterator LATEST with a number, missing stream', 'GetShardIterator', { StreamName: missing, ShardId: 'shardId-000000000000',
      ShardIteratorType: 'LATEST', StartingSequenceNumber: '1' }, 'InvalidArgumentException'],
    ['a well-formed PutRecord, missing stream', 'PutRecord', { StreamName: missing, PartitionKey: 'k', Data: Buffer.from('x') }, 'ResourceNotFoundException'],
  ] as const) {
    it(`${what} → ${code}`, async () => {
      const r = await cbor(operation, input)
      assert.equal(r.status, 400)
      assert.equal(r.headers['content-type'], 'application/x-amz-cbor-1.1')
      assert.equal(codeOf(r), code)
    })
  }
})

describe('the request is checked before the stream is looked up (SDK)', () => {
  const k = () => kinesisClient(nimbus.current)
  const cases: Array<[string, () => Promise<unknown>, string, RegExp]> = [
    ['PutRecord: ExplicitHashKey past 2^128 - 1', () => k().send(new PutRecordCommand({ StreamName: missing, PartitionKey: 'k',
      Data: new Uint8Array(1), ExplicitHashKey: '340282366920938463463374607431768211456' })), 'InvalidArgumentException', /Invalid ExplicitHashKey/],
    ['PutRecords: ExplicitHashKey past 2^128 - 1', () => k().send(new PutRecordsCommand({ StreamName: missing,
      Records: [{ PartitionKey: 'k', Data: new Uint8Array(1), ExplicitHashKey: '999999999999999999999999999999999999999' }] })),
    'InvalidArgumentException', /Invalid ExplicitHashKey/],
    ['PutRecord: empty partition key', () => k().send(new PutRecordCommand({ StreamName: missing, PartitionKey: '', Data: new Uint8Array(1) })),
      'ValidationException', /at 'partitionKey'/],
    ['PutRecords: over 10 MB', () => k().send(new PutRecordsCommand({ StreamName: missing,
      Records: Array.from({ length: 11 }, () => ({ PartitionKey: 'k', Data: new Uint8Array(1_000_000) })) })),
    'InvalidArgumentException', /Records size exceeds 10 MB limit/],
    ['GetShardIterator: AT_SEQUENCE_NUMBER without a number', () => k().send(new GetShardIteratorCommand({ StreamName: missing,
      ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_SEQUENCE_NUMBER' })), 'InvalidArgumentException', /Request specified AT_SEQUENCE_NUMBER and no/],
    ['GetShardIterator: LATEST with a number', () => k().send(new GetShardIteratorCommand({ StreamName: missing,
      ShardId: 'shardId-000000000000', ShardIteratorType: 'LATEST', StartingSequenceNumber: '1' })), 'InvalidArgumentException', /also a StartingSequenceNumber/],
    ['GetShardIterator: AT_TIMESTAMP without a timestamp', () => k().send(new GetShardIteratorCommand({ StreamName: missing,
      ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_TIMESTAMP' })), 'InvalidArgumentException', /Must specify timestampInMillis/],
    ['GetShardIterator: AT_TIMESTAMP in the future', () => k().send(new GetShardIteratorCommand({ StreamName: missing,
      ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(nimbus.current.clock.now() + 60_000) })),
    'InvalidArgumentException', /cannot be greater than the currentTimestampInMillis/],
    ['GetShardIterator: an unknown type', () => k().send(new GetShardIteratorCommand({ StreamName: missing,
      ShardId: 'shardId-000000000000', ShardIteratorType: 'OLDEST' as never })), 'ValidationException', /shardIteratorType/],
    ['IncreaseStreamRetentionPeriod: 9,000 hours', () => k().send(new IncreaseStreamRetentionPeriodCommand({ StreamName: missing,
      RetentionPeriodHours: 9000 })), 'InvalidArgumentException', /Maximum allowed retention period is 8760 hours/],
    ['DecreaseStreamRetentionPeriod: 12 hours', () => k().send(new DecreaseStreamRetentionPeriodCommand({ StreamName: missing,
      RetentionPeriodHours: 12 })), 'InvalidArgumentException', /Minimum allowed retention period is 24 hours/],
    ['ListShards: AT_TIMESTAMP filter without a timestamp', () => k().send(new ListShardsCommand({ StreamName: missing,
      ShardFilter: { Type: 'AT_TIMESTAMP' } })), 'InvalidArgumentException', /Must specify Timestamp/],
    ['ListShards: NextToken with a stream name', () => k().send(new ListShardsCommand({ StreamName: missing, NextToken: 'abc' })),
      'InvalidArgumentException', /cannot be provided together/],
    ['UpdateShardCount: 0 shards', () => k().send(new UpdateShardCountCommand({ StreamName: missing, TargetShardCount: 0,
      ScalingType: 'UNIFORM_SCALING' })), 'ValidationException', /targetShardCount/],
    ['SplitShard: a hash key that is not a number', () => k().send(new SplitShardCommand({ StreamName: missing,
      ShardToSplit: 'shardId-000000000000', NewStartingHashKey: 'x' })), 'ValidationException', /newStartingHashKey/],
    ['DescribeStream: Limit 0', () => k().send(new DescribeStreamCommand({ StreamName: missing, Limit: 0 })), 'ValidationException', /at 'limit'/],
    ['GetRecords: Limit 0 with an iterator that is not one', () => k().send(new GetRecordsCommand({ ShardIterator: 'AAAA', Limit: 0 })),
      'ValidationException', /at 'limit'/],
    ['GetRecords: an iterator that is not one', () => k().send(new GetRecordsCommand({ ShardIterator: 'AAAA' })),
      'InvalidArgumentException', /Invalid ShardIterator/],
    ['ListStreamConsumers: a NextToken that is not one', () => k().send(new ListStreamConsumersCommand({ StreamARN: missingArn, NextToken: '!!' })),
      'InvalidArgumentException', /NextToken/],
    ['PutResourcePolicy: a document that is not JSON', () => k().send(new PutResourcePolicyCommand({ ResourceARN: missingArn, Policy: 'not json' })),
      'InvalidArgumentException', /policy/],
    ['SubscribeToShard: AT_SEQUENCE_NUMBER without a number, missing consumer', () => k().send(new SubscribeToShardCommand({
      ConsumerARN: `${missingArn}/consumer/c:1`, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'AT_SEQUENCE_NUMBER' } })),
    'InvalidArgumentException', /Request specified AT_SEQUENCE_NUMBER and no/],
    ['CreateStream: 0 shards for a name that exists', () => k().send(new CreateStreamCommand({ StreamName: 'taken', ShardCount: 0 })),
      'ValidationException', /shardCount/],
  ]
  for (const [what, call, code, message] of cases) {
    it(`${what} → ${code}`, async () => {
      await k().send(new CreateStreamCommand({ StreamName: 'taken', ShardCount: 1 })).catch(() => {})
      const e = await sdkError(call())
      assert.equal(e.name, code, e.message)
      assert.match(e.message, message)
      assert.equal(e.status, 400)
    })
  }

  it('then the resource: a well-formed request for a missing stream is ResourceNotFoundException', async () => {
    const e = await sdkError(k().send(new IncreaseStreamRetentionPeriodCommand({ StreamName: missing, RetentionPeriodHours: 48 })))
    assert.equal(e.name, 'ResourceNotFoundException')
  })

  it('then its state: a stream still CREATING refuses a change with ResourceInUseException, before the change is judged', async () => {
    await k().send(new CreateStreamCommand({ StreamName: 'young', ShardCount: 1 }))
    // Decreasing a 24 h retention to 24 h would be fine; 30 h would be "longer" — the state answers first.
    const e = await sdkError(k().send(new DecreaseStreamRetentionPeriodCommand({ StreamName: 'young', RetentionPeriodHours: 30 })))
    assert.equal(e.name, 'ResourceInUseException')
    await advance(nimbus.current, 500)
  })

  it('then limits: SplitShard with a bad key at the shard quota is the key\'s InvalidArgumentException; a good key hits the quota', async () => {
    // ap-south-1's default quota is 1,000 open shards: one stream takes them all.
    const client = kinesisClient(nimbus.current, 'ap-south-1')
    const name = await activeStream(nimbus.current, client, 1000)
    const bad = await sdkError(client.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: '1' })))
    assert.equal(bad.name, 'InvalidArgumentException')
    const good = await sdkError(client.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'shardId-000000000000',
      NewStartingHashKey: '1000000000000000000000000000000000' })))
    assert.equal(good.name, 'LimitExceededException')
  })

  it('MergeShards: an unknown shard of an existing stream is ResourceNotFoundException', async () => {
    const name = await activeStream(nimbus.current, k(), 1)
    const e = await sdkError(k().send(new MergeShardsCommand({ StreamName: name, ShardToMerge: 'shardId-000000000000',
      AdjacentShardToMerge: 'shardId-000000000009' })))
    assert.equal(e.name, 'ResourceNotFoundException')
  })
})

describe('boto3 sees the same order', () => {
  it('bad base64, a bad hash key, bad retention and a bad iterator type against a missing stream', async () => {
    const script = `import boto3, botocore, json, sys
k = boto3.client('kinesis', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='t', aws_secret_access_key='t')
k.meta.events.register('before-sign.kinesis.PutRecord', lambda request, **kw: setattr(request, 'data', request.data.replace(b'"QUJD"', b'"AB%D"')) if request.data else None)
${attemptCodes}
attempt(k.put_record, StreamName='${missing}', PartitionKey='k', Data=b'ABC')
attempt(k.put_record, StreamName='${missing}', PartitionKey='k', Data=b'x', ExplicitHashKey='340282366920938463463374607431768211456')
attempt(k.increase_stream_retention_period, StreamName='${missing}', RetentionPeriodHours=10000)
attempt(k.get_shard_iterator, StreamName='${missing}', ShardId='shardId-000000000000', ShardIteratorType='AFTER_SEQUENCE_NUMBER')
attempt(k.describe_stream_summary, StreamName='${missing}')
print(json.dumps(out))
`
    const stdout = await runBoto3(script, nimbus.current.endpoint)
    assert.deepEqual(JSON.parse(stdout), ['SerializationException', 'InvalidArgumentException', 'InvalidArgumentException',
      'InvalidArgumentException', 'ResourceNotFoundException'])
  })
})
