// Record distribution strategy with @aws-sdk/client-kinesis: AUTO (on-demand streams only) spreads
// records evenly over the open shards whatever their partition key or ExplicitHashKey, and takes
// records without a key; USER_PARTITION_KEY (the default) routes by key and needs one. Channels are
// answered 501 NotImplemented.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateChannelCommand, CreateStreamCommand, DescribeStreamSummaryCommand, GetRecordsCommand, GetShardIteratorCommand, ListChannelsCommand,
  PutRecordCommand, PutRecordsCommand, UpdateStreamModeCommand, UpdateStreamRecordDistributionStrategyCommand,
} from '@aws-sdk/client-kinesis'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const client = () => kinesisClient(nimbus.current)

async function onDemand(strategy?: 'AUTO'): Promise<string> {
  const name = uniqueName('ks')
  await client().send(new CreateStreamCommand({ StreamName: name, StreamModeDetails: { StreamMode: 'ON_DEMAND' },
    ...(strategy !== undefined && { RecordDistributionStrategy: strategy }) }))
  await advance(nimbus.current, 500)
  return name
}

const strategyOf = async (name: string) =>
  (await client().send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!.RecordDistributionStrategy

describe('record distribution strategy', () => {
  it('USER_PARTITION_KEY by default; UpdateStreamRecordDistributionStrategy switches an on-demand stream at once', async () => {
    const k = client()
    const name = await onDemand()
    assert.equal(await strategyOf(name), 'USER_PARTITION_KEY')
    await k.send(new UpdateStreamRecordDistributionStrategyCommand({ StreamARN: streamArn(name), RecordDistributionStrategy: 'AUTO' }))
    const summary = (await k.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!
    assert.deepEqual([summary.RecordDistributionStrategy, summary.StreamStatus], ['AUTO', 'ACTIVE'])
    // One key, one ExplicitHashKey: spread over the 4 shards all the same.
    const put = await k.send(new PutRecordsCommand({ StreamName: name, Records: Array.from({ length: 8 }, (_, i) => ({
      PartitionKey: 'same', ExplicitHashKey: '0', Data: Buffer.from(String(i)) })) }))
    assert.equal(put.FailedRecordCount, 0)
    const counts = new Map<string, number>()
    for (const r of put.Records!) counts.set(r.ShardId!, (counts.get(r.ShardId!) ?? 0) + 1)
    assert.deepEqual([...counts.values()], [2, 2, 2, 2])
    // Back to USER_PARTITION_KEY: one key, one shard again.
    await k.send(new UpdateStreamRecordDistributionStrategyCommand({ StreamARN: streamArn(name), RecordDistributionStrategy: 'USER_PARTITION_KEY' }))
    const again = await k.send(new PutRecordsCommand({ StreamName: name, Records: Array.from({ length: 4 }, () => ({
      PartitionKey: 'same', Data: Buffer.from('x') })) }))
    assert.equal(new Set(again.Records!.map((r) => r.ShardId)).size, 1)
  })

  it('an AUTO stream takes records without a partition key; GetRecords hands them back without one', async () => {
    const k = client()
    const name = await onDemand('AUTO')
    assert.equal(await strategyOf(name), 'AUTO')
    const one = await k.send(new PutRecordCommand({ StreamName: name, Data: Buffer.from('keyless') }))
    const iterator = (await k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: one.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator!
    const read = await k.send(new GetRecordsCommand({ ShardIterator: iterator }))
    assert.equal(Buffer.from(read.Records![0]!.Data!).toString(), 'keyless')
    assert.equal(read.Records![0]!.PartitionKey, undefined)
    const batch = await k.send(new PutRecordsCommand({ StreamName: name, Records: [{ Data: Buffer.from('a') }, { PartitionKey: 'k', Data: Buffer.from('b') }] }))
    assert.equal(batch.FailedRecordCount, 0)
    // AWS: ordering does not apply to service-managed distribution; PutRecord with SequenceNumberForOrdering is refused.
    const ordered = await sdkError(k.send(new PutRecordCommand({ StreamName: name, Data: Buffer.from('x'), SequenceNumberForOrdering: one.SequenceNumber })))
    assert.deepEqual([ordered.name, ordered.status], ['InvalidArgumentException', 400])
  })

  it('AUTO needs ON_DEMAND (InvalidArgumentException); other streams still need a key (Coral\'s ValidationException)', async () => {
    const k = client()
    const provisioned = await activeStream(nimbus.current, k)
    // AWS: the summary's RecordDistributionStrategy "is only present for streams that use the on-demand capacity mode".
    assert.equal(await strategyOf(provisioned), undefined)
    const refused = await sdkError(k.send(new UpdateStreamRecordDistributionStrategyCommand({ StreamARN: streamArn(provisioned),
      RecordDistributionStrategy: 'AUTO' })))
    assert.equal(refused.name, 'InvalidArgumentException')
    const atCreate = await sdkError(k.send(new CreateStreamCommand({ StreamName: uniqueName('ks'), ShardCount: 1, RecordDistributionStrategy: 'AUTO' })))
    assert.equal(atCreate.name, 'InvalidArgumentException')
    // USER_PARTITION_KEY is any stream's.
    await k.send(new UpdateStreamRecordDistributionStrategyCommand({ StreamARN: streamArn(provisioned), RecordDistributionStrategy: 'USER_PARTITION_KEY' }))
    assert.deepEqual(await sdkError(k.send(new PutRecordCommand({ StreamName: provisioned, Data: Buffer.from('x') }))), {
      name: 'ValidationException', status: 400,
      message: "1 validation error detected: Value null at 'partitionKey' failed to satisfy constraint: Member must not be null" })
    const inBatch = await sdkError(k.send(new PutRecordsCommand({ StreamName: 'no-such-stream', Records: [{ PartitionKey: 'k', Data: Buffer.from('x') },
      { Data: Buffer.from('y') }] })))
    assert.equal(inBatch.message, "1 validation error detected: Value null at 'records.2.member.partitionKey' failed to satisfy constraint: " +
      'Member must not be null')
    const bad = await sdkError(k.send(new UpdateStreamRecordDistributionStrategyCommand({ StreamARN: streamArn(provisioned),
      RecordDistributionStrategy: 'RANDOM' as 'AUTO' })))
    assert.equal(bad.name, 'ValidationException')
    // Switched to PROVISIONED, an AUTO stream routes by key again (and shows no strategy); back on demand, USER_PARTITION_KEY.
    const auto = await onDemand('AUTO')
    await k.send(new UpdateStreamModeCommand({ StreamARN: streamArn(auto), StreamModeDetails: { StreamMode: 'PROVISIONED' } }))
    await advance(nimbus.current, 500)
    assert.equal(await strategyOf(auto), undefined)
    assert.deepEqual(await sdkError(k.send(new PutRecordCommand({ StreamName: auto, Data: Buffer.from('x') }))), {
      name: 'ValidationException', status: 400,
      message: "1 validation error detected: Value null at 'partitionKey' failed to satisfy constraint: Member must not be null" })
  })
})

describe('channels', () => {
  it('are not served: 501 NotImplemented in the JSON protocol', async () => {
    const k = client()
    for (const call of [
      () => k.send(new ListChannelsCommand({})),
      () => k.send(new CreateChannelCommand({ ChannelName: 'c', StreamARN: streamArn('s'), ServiceExecutionRoleARN: 'arn:aws:iam::000000000000:role/r',
        RecordConfiguration: { RecordFormatType: 'JSON' } } as never)),
    ]) {
      const error = await sdkError(call())
      assert.equal(error.status, 501)
      assert.equal(error.name, 'NotImplemented')
    }
  })
})
