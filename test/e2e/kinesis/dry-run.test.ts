// DryRun on Kinesis's data plane with @aws-sdk/client-kinesis, as AWS's developer guide documents it:
// the call's checks run (parameters, the stream, shard or consumer) and then nothing happens — no
// record written or read, no shard budget spent — and the answer is HTTP 400 DryRunOperationException;
// a failing check answers the real call's error; one dry run a second per stream (ThrottlingException).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DescribeStreamSummaryCommand, GetRecordsCommand, GetShardIteratorCommand, PutRecordCommand, PutRecordsCommand,
  RegisterStreamConsumerCommand, SubscribeToShardCommand,
} from '@aws-sdk/client-kinesis'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { advance, toNextSecond, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const dryRunAnswer = { name: 'DryRunOperationException', status: 400, message: 'Request would have succeeded, but DryRun flag is set.' }

async function retained(name: string): Promise<number> {
  const k = kinesisClient(nimbus.current)
  const { ShardIterator } = await k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))
  return (await k.send(new GetRecordsCommand({ ShardIterator }))).Records!.length
}

describe('Kinesis DryRun', () => {
  it('PutRecord and PutRecords check everything, write nothing and answer DryRunOperationException', async () => {
    const k = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, k)
    const put = await sdkError(k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('x'), DryRun: true })))
    assert.deepEqual([put.name, put.status, put.message], [dryRunAnswer.name, dryRunAnswer.status, dryRunAnswer.message])
    await toNextSecond(nimbus.current)
    const records = Array.from({ length: 3 }, (_, i) => ({ PartitionKey: `k${i}`, Data: Buffer.from(`r${i}`) }))
    const batch = await sdkError(k.send(new PutRecordsCommand({ StreamName: name, Records: records, DryRun: true })))
    assert.equal(batch.name, 'DryRunOperationException')
    assert.equal(await retained(name), 0)
    // DryRun: false is the ordinary call.
    const real = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('x'), DryRun: false }))
    assert.match(real.SequenceNumber!, /^49\d+$/)
    assert.equal(await retained(name), 1)
  })

  it('a large PutRecords body (the streaming parse\'s) with DryRun writes nothing either', async () => {
    const k = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, k)
    const records = Array.from({ length: 200 }, (_, i) => ({ PartitionKey: `k${i}`, Data: Buffer.alloc(1024, i) }))
    const dry = await sdkError(k.send(new PutRecordsCommand({ StreamName: name, Records: records, DryRun: true })))
    assert.deepEqual([dry.name, dry.status], ['DryRunOperationException', 400])
    assert.equal(await retained(name), 0)
    await toNextSecond(nimbus.current)
    const real = await k.send(new PutRecordsCommand({ StreamName: name, Records: records }))
    assert.equal(real.FailedRecordCount, 0)
    assert.equal(await retained(name), 200)
  })

  it('a failing check answers the real call\'s error, not DryRunOperationException', async () => {
    const k = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, k)
    const missing = await sdkError(k.send(new PutRecordCommand({ StreamName: 'no-such', PartitionKey: 'p', Data: Buffer.from('x'), DryRun: true })))
    assert.deepEqual([missing.name, missing.message], ['ResourceNotFoundException', 'Stream no-such under account 000000000000 not found.'])
    const badKey = await sdkError(k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', ExplicitHashKey: '9'.repeat(39),
      Data: Buffer.from('x'), DryRun: true })))
    assert.equal(badKey.name, 'InvalidArgumentException')
    const tooMany = await sdkError(k.send(new PutRecordsCommand({ StreamName: name, DryRun: true,
      Records: Array.from({ length: 501 }, () => ({ PartitionKey: 'p', Data: Buffer.from('x') })) })))
    assert.equal(tooMany.name, 'ValidationException')
    const shard = await sdkError(k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000009',
      ShardIteratorType: 'LATEST', DryRun: true })))
    assert.equal(shard.name, 'ResourceNotFoundException')
    const type = await sdkError(k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000',
      ShardIteratorType: 'AT_SEQUENCE_NUMBER', DryRun: true })))
    assert.equal(type.name, 'InvalidArgumentException')
    // The checks that failed were not counted as dry runs: the next one is answered, not throttled.
    const ok = await sdkError(k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('x'), DryRun: true })))
    assert.equal(ok.name, 'DryRunOperationException')
  })

  it('GetShardIterator and GetRecords issue and read nothing, and spend none of the shard\'s reads', async () => {
    const k = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, k)
    const written = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('x') }))
    const iter = await sdkError(k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: written.ShardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      StartingSequenceNumber: written.SequenceNumber, DryRun: true })))
    assert.equal(iter.name, 'DryRunOperationException')
    await toNextSecond(nimbus.current)
    const { ShardIterator } = await k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: written.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))
    const read = await sdkError(k.send(new GetRecordsCommand({ ShardIterator, DryRun: true })))
    assert.equal(read.name, 'DryRunOperationException')
    // The shard's 5 reads a second are all still there in the dry run's second.
    for (let i = 0; i < 5; i++) assert.equal((await k.send(new GetRecordsCommand({ ShardIterator }))).Records!.length, 1)
    // An expired iterator is the real call's error.
    await advance(nimbus.current, 300_001)
    const expired = await sdkError(k.send(new GetRecordsCommand({ ShardIterator, DryRun: true })))
    assert.equal(expired.name, 'ExpiredIteratorException')
  })

  it('SubscribeToShard checks the consumer and shard, and subscribes nothing', async () => {
    const k = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, k)
    const { Consumer } = await k.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn(name), ConsumerName: 'efo' }))
    const creating = await sdkError(k.send(new SubscribeToShardCommand({ ConsumerARN: Consumer!.ConsumerARN, ShardId: 'shardId-000000000000',
      StartingPosition: { Type: 'LATEST' }, DryRun: true })))
    assert.equal(creating.name, 'ResourceInUseException')
    await advance(nimbus.current, 5_000)
    const dry = await sdkError(k.send(new SubscribeToShardCommand({ ConsumerARN: Consumer!.ConsumerARN, ShardId: 'shardId-000000000000',
      StartingPosition: { Type: 'LATEST' }, DryRun: true })))
    assert.equal(dry.name, 'DryRunOperationException')
    assert.equal((nimbus.current.health().kinesis as { subscriptions: number }).subscriptions, 0)
    // Not a call for SubscribeToShard's one-a-second rate: a real subscription in the same second goes ahead.
    const real = await k.send(new SubscribeToShardCommand({ ConsumerARN: Consumer!.ConsumerARN, ShardId: 'shardId-000000000000',
      StartingPosition: { Type: 'LATEST' } }))
    assert.ok(real.EventStream)
    assert.equal((nimbus.current.health().kinesis as { subscriptions: number }).subscriptions, 1)
    await advance(nimbus.current, 300_000)
  })

  it('allows one dry run a second per stream, shared by the operations (ThrottlingException past it)', async () => {
    const k = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, k)
    const other = await activeStream(nimbus.current, k)
    await toNextSecond(nimbus.current)
    const first = await sdkError(k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('x'), DryRun: true })))
    assert.equal(first.name, 'DryRunOperationException')
    const second = await sdkError(k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000',
      ShardIteratorType: 'LATEST', DryRun: true })))
    assert.deepEqual([second.name, second.status], ['ThrottlingException', 400])
    // Another stream has its own; the stream's ordinary calls are not limited by it.
    assert.equal((await sdkError(k.send(new PutRecordCommand({ StreamName: other, PartitionKey: 'p', Data: Buffer.from('x'), DryRun: true })))).name,
      'DryRunOperationException')
    await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('x') }))
    await advance(nimbus.current, 1_000)
    const next = await sdkError(k.send(new PutRecordsCommand({ StreamName: name, Records: [{ PartitionKey: 'p', Data: Buffer.from('y') }], DryRun: true })))
    assert.equal(next.name, 'DryRunOperationException')
    assert.equal((await k.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!.StreamStatus, 'ACTIVE')
    assert.equal(await retained(name), 1)
  })
})
