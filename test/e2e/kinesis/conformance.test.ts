// Kinesis checked against the API reference the way a test writer would: each operation's documented
// refusals (codes and messages), UpdateShardCount's default limits, resharding only for PROVISIONED
// streams, and the AWS CLI's waiters on the manual clock.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateStreamCommand, DecreaseStreamRetentionPeriodCommand, GetRecordsCommand, GetShardIteratorCommand, IncreaseStreamRetentionPeriodCommand,
  ListShardsCommand, type ListShardsCommandInput, ListStreamsCommand, MergeShardsCommand, PutRecordCommand, SplitShardCommand, UpdateShardCountCommand,
  UpdateStreamModeCommand,
} from '@aws-sdk/client-kinesis'
import { CreateEventSourceMappingCommand, type CreateEventSourceMappingCommandInput } from '@aws-sdk/client-lambda'
import { awsCli } from '../../helpers/aws-cli.ts'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const client = () => kinesisClient(nimbus.current)
const account = '000000000000'

describe('documented refusals, word for word', () => {
  it('GetShardIterator, GetRecords, retention, SplitShard, MergeShards and UpdateShardCount', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k, 3)
    const put = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'a', Data: Buffer.from('x') }))
    const other = put.ShardId === 'shardId-000000000000' ? 'shardId-000000000001' : 'shardId-000000000000'
    const cases: Array<[Promise<unknown>, string, string]> = [
      [k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000009', ShardIteratorType: 'TRIM_HORIZON' })),
        'ResourceNotFoundException', `Shard shardId-000000000009 in stream ${name} under account ${account} does not exist`],
      [k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: '12345' })),
        'InvalidArgumentException', `StartingSequenceNumber 12345 used in GetShardIterator on shard shardId-000000000000 in stream ${name} under account ${account} is invalid.`],
      [k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: other, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: put.SequenceNumber })),
        'InvalidArgumentException', `Invalid StartingSequenceNumber. It encodes ${put.ShardId}, while it was used in a call to a shard with ${other}`],
      [k.send(new GetRecordsCommand({ ShardIterator: 'bm90IGFuIGl0ZXJhdG9y' })), 'InvalidArgumentException', 'Invalid ShardIterator.'],
      [k.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 9000 })),
        'InvalidArgumentException', 'Maximum allowed retention period is 8760 hours. Requested retention period (9000 hours) is too long.'],
      [k.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: 10 })),
        'InvalidArgumentException', 'Minimum allowed retention period is 24 hours. Requested retention period (10 hours) is too short.'],
      [k.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: '1' })),
        'InvalidArgumentException', `NewStartingHashKey 1 used in SplitShard() on shard shardId-000000000000 in stream ${name} under account ${account} ` +
        "is not both greater than one plus the shard's StartingHashKey 0 and less than the shard's EndingHashKey 113427455640312821154458202477256070484."],
      [k.send(new MergeShardsCommand({ StreamName: name, ShardToMerge: 'shardId-000000000000', AdjacentShardToMerge: 'shardId-000000000002' })),
        'InvalidArgumentException', `Shards shardId-000000000000 and shardId-000000000002 in stream ${name} under account ${account} are not an adjacent pair of shards eligible for merging`],
      [k.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 7, ScalingType: 'UNIFORM_SCALING' })),
        'LimitExceededException', 'UpdateShardCount cannot scale up over double your current open shard count. Current open shard count: 3 Target shard count: 7'],
      [k.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 1, ScalingType: 'UNIFORM_SCALING' })),
        'LimitExceededException', 'UpdateShardCount cannot scale down below half your current open shard count. Current open shard count: 3 Target shard count: 1'],
      [k.send(new ListShardsCommand({ StreamName: name, NextToken: 'x' })), 'InvalidArgumentException', 'NextToken and StreamName cannot be provided together.'],
    ]
    for (const [call, code, message] of cases) assert.deepEqual(await sdkError(call), { name: code, message, status: 400 })
  })

  it('a stream being resharded is UPDATING: changes are ResourceInUseException, records still flow', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k, 2)
    await k.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' }))
    // The parents are still the stream's shards while UPDATING (the children come when it is ACTIVE again).
    assert.deepEqual(await sdkError(k.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'shardId-000000000001', NewStartingHashKey: String(2n ** 127n + 10n) }))),
      { name: 'ResourceInUseException', message: `Stream ${name} under account ${account} not ACTIVE, instead in state UPDATING`, status: 400 })
    const put = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'a', Data: Buffer.from('x') }))
    assert.match(put.SequenceNumber!, /^\d{56}$/)
  })
})

describe('pagination as the API reference words it', () => {
  it('ListShards: NextToken alone names the stream and position; ExclusiveStartShardId with it is refused; at most 1,000 a page', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k, 3)
    const first = await k.send(new ListShardsCommand({ StreamName: name, MaxResults: 1 }))
    assert.deepEqual(first.Shards!.map((s) => s.ShardId), ['shardId-000000000000'])
    const next = await k.send(new ListShardsCommand({ NextToken: first.NextToken, MaxResults: 10_000 }))
    assert.deepEqual(next.Shards!.map((s) => s.ShardId), ['shardId-000000000001', 'shardId-000000000002'])
    assert.equal(next.NextToken, undefined)
    const both = await sdkError(k.send(new ListShardsCommand({ NextToken: first.NextToken, ExclusiveStartShardId: 'shardId-000000000001' })))
    assert.equal(both.name, 'InvalidArgumentException')
    const after = await k.send(new ListShardsCommand({ StreamName: name, ShardFilter: { Type: 'AFTER_SHARD_ID', ShardId: 'shardId-000000000000' } }))
    assert.deepEqual(after.Shards!.map((s) => s.ShardId), ['shardId-000000000001', 'shardId-000000000002'])
  })

  it('ShardFilter AT_TRIM_HORIZON / AT_TIMESTAMP before the stream existed find its first shards; AT_LATEST the open ones', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k, 2)
    await k.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (2n ** 126n).toString() }))
    await advance(nimbus.current, 500)
    const ids = async (ShardFilter: ListShardsCommandInput['ShardFilter']) =>
      (await k.send(new ListShardsCommand({ StreamName: name, ShardFilter }))).Shards!.map((s) => s.ShardId)
    assert.deepEqual(await ids({ Type: 'AT_TRIM_HORIZON' }), ['shardId-000000000000', 'shardId-000000000001'])
    assert.deepEqual(await ids({ Type: 'AT_TIMESTAMP', Timestamp: new Date('2020-01-01T00:00:00Z') }), ['shardId-000000000000', 'shardId-000000000001'])
    assert.deepEqual(await ids({ Type: 'AT_LATEST' }), ['shardId-000000000001', 'shardId-000000000002', 'shardId-000000000003'])
    assert.deepEqual(await ids({ Type: 'FROM_TRIM_HORIZON' }),
      ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002', 'shardId-000000000003'])
  })

  it('ListStreams answers at most 100 names a call whatever Limit says, with HasMoreStreams', async () => {
    const k = kinesisClient(nimbus.current, 'eu-north-1')
    for (let i = 0; i < 101; i++) await k.send(new CreateStreamCommand({ StreamName: `many-${String(i).padStart(3, '0')}`, ShardCount: 1 }))
    const page = await k.send(new ListStreamsCommand({ Limit: 10_000 }))
    assert.equal(page.StreamNames!.length, 100)
    assert.equal(page.StreamSummaries!.length, 100)
    assert.equal(page.HasMoreStreams, true)
    const rest = await k.send(new ListStreamsCommand({ ExclusiveStartStreamName: page.StreamNames!.at(-1) }))
    assert.deepEqual(rest.StreamNames, ['many-100'])
    assert.equal(rest.HasMoreStreams, false)
  })
})

describe("UpdateShardCount's default limits", () => {
  it('at most 10 calls per stream in a rolling 24 hours of the clock', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k, 2)
    const scale = (target: number) => k.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: target, ScalingType: 'UNIFORM_SCALING' }))
    for (let i = 0; i < 10; i++) {
      await scale(i % 2 === 0 ? 3 : 2)
      await advance(nimbus.current, 60_000)
    }
    const eleventh = await sdkError(scale(3))
    assert.equal(eleventh.name, 'LimitExceededException')
    assert.match(eleventh.message, /10 times/)
    // The first call leaves the 24-hour window: one more is allowed.
    await advance(nimbus.current, 24 * 3_600_000 - 10 * 60_000 + 1)
    const out = await scale(3)
    assert.deepEqual([out.CurrentShardCount, out.TargetShardCount], [2, 3])
  })

  it('UpdateStreamMode: two switches per stream in a rolling 24 hours of the clock', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k, 1)
    const arn = streamArn(name)
    const switchTo = (mode: 'ON_DEMAND' | 'PROVISIONED') => k.send(new UpdateStreamModeCommand({ StreamARN: arn, StreamModeDetails: { StreamMode: mode } }))
    await switchTo('ON_DEMAND')
    await advance(nimbus.current, 500)
    await switchTo('PROVISIONED')
    await advance(nimbus.current, 500)
    const third = await sdkError(switchTo('ON_DEMAND'))
    assert.equal(third.name, 'LimitExceededException')
    await advance(nimbus.current, 24 * 3_600_000)
    await switchTo('ON_DEMAND')
  })

  it('resharding an ON_DEMAND stream is a ValidationException (PROVISIONED streams only)', async () => {
    const k = client()
    const name = uniqueName('ks')
    await k.send(new CreateStreamCommand({ StreamName: name, StreamModeDetails: { StreamMode: 'ON_DEMAND' } }))
    await advance(nimbus.current, 500)
    const refusals = [
      await sdkError(k.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 6, ScalingType: 'UNIFORM_SCALING' }))),
      await sdkError(k.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: '1000' }))),
      await sdkError(k.send(new MergeShardsCommand({ StreamName: name, ShardToMerge: 'shardId-000000000000', AdjacentShardToMerge: 'shardId-000000000001' }))),
    ]
    for (const r of refusals) {
      assert.equal(r.name, 'ValidationException')
      assert.match(r.message, /ON_DEMAND/)
    }
  })
})

describe('AWS CLI waiters', () => {
  it('`aws kinesis wait stream-exists` returns once the clock has made the stream ACTIVE; stream-not-exists after deletion', async () => {
    const name = uniqueName('ks')
    await awsCli(nimbus.current, 'kinesis', 'create-stream', '--stream-name', name, '--shard-count', '1')
    await advance(nimbus.current, 500)
    await awsCli(nimbus.current, 'kinesis', 'wait', 'stream-exists', '--stream-name', name)
    const summary = await awsCli<{ StreamDescriptionSummary: { StreamStatus: string } }>(nimbus.current,
      'kinesis', 'describe-stream-summary', '--stream-name', name)
    assert.equal(summary.StreamDescriptionSummary.StreamStatus, 'ACTIVE')
    await awsCli(nimbus.current, 'kinesis', 'delete-stream', '--stream-name', name)
    await advance(nimbus.current, 500)
    await awsCli(nimbus.current, 'kinesis', 'wait', 'stream-not-exists', '--stream-name', name)
  })
})

describe('Kinesis event source mappings as CreateEventSourceMapping answers them', () => {
  const mapping = (input: CreateEventSourceMappingCommandInput) => lambdaClient(nimbus.current).send(new CreateEventSourceMappingCommand(input))

  it("answers AWS's stream defaults: User action, No records processed, batches of 100, retries and age forever", async () => {
    const stream = await activeStream(nimbus.current, client())
    const name = await createFunction(lambdaClient(nimbus.current), 'exports.handler = async () => {}')
    const created = await mapping({ FunctionName: name, EventSourceArn: streamArn(stream), StartingPosition: 'TRIM_HORIZON' })
    assert.deepEqual({ State: created.State, StateTransitionReason: created.StateTransitionReason, LastProcessingResult: created.LastProcessingResult,
      BatchSize: created.BatchSize, MaximumBatchingWindowInSeconds: created.MaximumBatchingWindowInSeconds, ParallelizationFactor: created.ParallelizationFactor,
      MaximumRetryAttempts: created.MaximumRetryAttempts, MaximumRecordAgeInSeconds: created.MaximumRecordAgeInSeconds,
      BisectBatchOnFunctionError: created.BisectBatchOnFunctionError, TumblingWindowInSeconds: created.TumblingWindowInSeconds,
      DestinationConfig: created.DestinationConfig, FunctionResponseTypes: created.FunctionResponseTypes }, {
      State: 'Creating', StateTransitionReason: 'User action', LastProcessingResult: 'No records processed', BatchSize: 100,
      MaximumBatchingWindowInSeconds: 0, ParallelizationFactor: 1, MaximumRetryAttempts: -1, MaximumRecordAgeInSeconds: -1,
      BisectBatchOnFunctionError: false, TumblingWindowInSeconds: 0, DestinationConfig: { OnFailure: {} }, FunctionResponseTypes: [],
    })
    // A bad request is refused as such, even beside an existing mapping of the same stream and function.
    const invalid = await sdkError(mapping({ FunctionName: name, EventSourceArn: streamArn(stream), StartingPosition: 'LATEST', BatchSize: 10_001 }))
    assert.deepEqual(invalid, { name: 'ValidationException', status: 400, message: "1 validation error detected: Value '10001' at 'batchSize' " +
      'failed to satisfy constraint: Member must have value less than or equal to 10000' })
    const types = await sdkError(mapping({ FunctionName: name, EventSourceArn: streamArn(stream), StartingPosition: 'LATEST',
      FunctionResponseTypes: ['Everything' as 'ReportBatchItemFailures'] }))
    assert.equal(types.name, 'ValidationException')
    assert.match(types.message, /at 'functionResponseTypes' failed to satisfy constraint/)
    const again = await sdkError(mapping({ FunctionName: name, EventSourceArn: streamArn(stream), StartingPosition: 'LATEST' }))
    assert.equal(again.name, 'ResourceConflictException')
  })
})
