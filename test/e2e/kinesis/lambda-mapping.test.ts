// Kinesis → Lambda event source mappings with the real @aws-sdk/client-lambda and client-kinesis on
// the manual clock: AWS's record shape, StartingPosition and BatchSize, shard order, a poison record
// bisected down to itself and skipped after MaximumRetryAttempts, and children read after their parent
// (a split's, and UpdateShardCount's short-lived shards').
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateEventSourceMappingCommand, type CreateEventSourceMappingCommandInput } from '@aws-sdk/client-lambda'
import { ListShardsCommand, PutRecordCommand, PutRecordsCommand, SplitShardCommand, UpdateShardCountCommand } from '@aws-sdk/client-kinesis'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { createFunction, lambdaClient, role } from '../../helpers/lambda.ts'
import { settle, until, watchFunctionLog } from '../../helpers/function-log.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const lambda = () => lambdaClient(nimbus.current)
const mapping = (input: CreateEventSourceMappingCommandInput) => lambda().send(new CreateEventSourceMappingCommand(input))

/** Logs each batch as `BATCH [data…]` and each record as `RECORD <json>`; throws on a record whose data is "poison". */
const handler = `
  exports.handler = async (event) => {
    const data = event.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString())
    console.log('BATCH ' + JSON.stringify(data))
    for (const record of event.Records) console.log('RECORD ' + JSON.stringify(record))
    if (data.includes('poison')) throw new Error('cannot digest')
  }`

describe('Kinesis event source mapping', () => {
  it("hands AWS's Kinesis record over, in shard order, BatchSize at a time, from TRIM_HORIZON", async () => {
    const k = kinesisClient(nimbus.current)
    const stream = await activeStream(nimbus.current, k)
    const puts = []
    for (const d of ['a', 'b', 'c']) puts.push(await k.send(new PutRecordCommand({ StreamName: stream, PartitionKey: `pk-${d}`, Data: Buffer.from(d) })))
    const name = await createFunction(lambda(), handler)
    const log = watchFunctionLog(nimbus.current, name)
    const created = await mapping({ FunctionName: name, EventSourceArn: streamArn(stream), BatchSize: 2, StartingPosition: 'TRIM_HORIZON' })
    assert.deepEqual([created.StartingPosition, created.BatchSize, created.MaximumRetryAttempts, created.BisectBatchOnFunctionError],
      ['TRIM_HORIZON', 2, -1, false])
    await log.waitFor('REPORT RequestId', 2)
    assert.deepEqual(log.tagged('BATCH'), [['a', 'b'], ['c']])
    const first = log.tagged('RECORD')[0]
    assert.deepEqual(Object.keys(first), ['kinesis', 'eventSource', 'eventVersion', 'eventID', 'eventName', 'invokeIdentityArn', 'awsRegion',
      'eventSourceARN'])
    assert.deepEqual(first, {
      kinesis: { kinesisSchemaVersion: '1.0', partitionKey: 'pk-a', sequenceNumber: puts[0]!.SequenceNumber,
        data: Buffer.from('a').toString('base64'), approximateArrivalTimestamp: first.kinesis.approximateArrivalTimestamp },
      eventSource: 'aws:kinesis', eventVersion: '1.0', eventID: `shardId-000000000000:${puts[0]!.SequenceNumber}`,
      eventName: 'aws:kinesis:record', invokeIdentityArn: role, awsRegion: 'us-east-1', eventSourceARN: streamArn(stream),
    })
    assert.equal(typeof first.kinesis.approximateArrivalTimestamp, 'number')
    // New records arrive with the next poll (once a second of the clock).
    await k.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'p', Data: Buffer.from('d') }))
    await advance(nimbus.current, 1000)
    await log.waitFor('REPORT RequestId', 3)
    assert.deepEqual(log.tagged('BATCH').at(-1), ['d'])
    log.stop()
  })

  it('LATEST skips what was there; a poison record is bisected down to itself and skipped after MaximumRetryAttempts', async () => {
    const k = kinesisClient(nimbus.current)
    const stream = await activeStream(nimbus.current, k)
    await k.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'p', Data: Buffer.from('old') }))
    const name = await createFunction(lambda(), handler)
    const log = watchFunctionLog(nimbus.current, name)
    await mapping({ FunctionName: name, EventSourceArn: streamArn(stream), BatchSize: 4, StartingPosition: 'LATEST',
      BisectBatchOnFunctionError: true, MaximumRetryAttempts: 1 })
    await settle(20)
    await k.send(new PutRecordsCommand({ StreamName: stream, Records: ['r1', 'r2', 'poison', 'r4'].map((d) => ({ PartitionKey: 'p', Data: Buffer.from(d) })) }))
    // Polls come once a second of the clock; after a failure the shard waits for the next one.
    for (const reports of [1, 3, 4, 6]) {
      await advance(nimbus.current, 1000)
      await log.waitFor('REPORT RequestId', reports)
      await settle(20)
    }
    const batches = log.tagged('BATCH')
    assert.deepEqual(batches, [
      ['r1', 'r2', 'poison', 'r4'], // fails: split in two
      ['r1', 'r2'], // fine
      ['poison', 'r4'], // fails: split
      ['poison'], // fails (attempt 1)
      ['poison'], // fails (retry 1 of MaximumRetryAttempts 1): skipped
      ['r4'],
    ])
    assert.ok(!batches.flat().includes('old'))
    log.stop()
  })

  it('reads children only after their parent is read to its end', async () => {
    const k = kinesisClient(nimbus.current)
    const stream = await activeStream(nimbus.current, k)
    await k.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'p', Data: Buffer.from('parent') }))
    await k.send(new SplitShardCommand({ StreamName: stream, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: String(1n << 127n) }))
    await advance(nimbus.current, 500)
    await k.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'p', Data: Buffer.from('child') }))
    const name = await createFunction(lambda(), handler)
    const log = watchFunctionLog(nimbus.current, name)
    await mapping({ FunctionName: name, EventSourceArn: streamArn(stream), StartingPosition: 'TRIM_HORIZON' })
    await log.waitFor('REPORT RequestId', 1)
    await settle(20)
    // The parent is drained on the first poll; its children are read on the next.
    await advance(nimbus.current, 1000)
    await log.waitFor('REPORT RequestId', 2)
    assert.deepEqual(log.tagged('BATCH'), [['parent'], ['child']])
    log.stop()
  })

  it('a running mapping reads the parent while a split is UPDATING, and the children once it is made', async () => {
    const k = kinesisClient(nimbus.current)
    const stream = await activeStream(nimbus.current, k)
    await k.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'p', Data: Buffer.from('before') }))
    const name = await createFunction(lambda(), handler)
    const log = watchFunctionLog(nimbus.current, name)
    await mapping({ FunctionName: name, EventSourceArn: streamArn(stream), StartingPosition: 'TRIM_HORIZON' })
    await log.waitFor('REPORT RequestId', 1) // the poll at creation (t0); the next ones at t0 + 1 s, + 2 s…
    await advance(nimbus.current, 600)
    await k.send(new SplitShardCommand({ StreamName: stream, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: String(1n << 127n) }))
    // UPDATING until t0 + 1.1 s: the write goes to the parent, which the poll at t0 + 1 s reads.
    const during = await k.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'p', Data: Buffer.from('during') }))
    assert.equal(during.ShardId, 'shardId-000000000000')
    await advance(nimbus.current, 400)
    await log.waitFor('REPORT RequestId', 2)
    await advance(nimbus.current, 100)
    const after = await k.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'p', Data: Buffer.from('after') }))
    assert.notEqual(after.ShardId, 'shardId-000000000000')
    // The poll at t0 + 2 s finds the parent at its end; the children are read on the next.
    await advance(nimbus.current, 900)
    await settle(20)
    await advance(nimbus.current, 1000)
    await log.waitFor('REPORT RequestId', 3)
    assert.deepEqual(log.tagged('BATCH'), [['before'], ['during'], ['after']])
    log.stop()
  })

  it("reads through UpdateShardCount's short-lived shards: every record once, parents before children", async () => {
    const k = kinesisClient(nimbus.current)
    const stream = await activeStream(nimbus.current, k, 3)
    // A long timeout: the clock moving on while an invocation runs doesn't time it out.
    const name = await createFunction(lambda(), handler, { Timeout: 900 })
    const log = watchFunctionLog(nimbus.current, name)
    await mapping({ FunctionName: name, EventSourceArn: streamArn(stream), StartingPosition: 'TRIM_HORIZON', BatchSize: 100 })
    let n = 0
    const put = async () => {
      const out = await k.send(new PutRecordsCommand({ StreamName: stream,
        Records: Array.from({ length: 12 }, (_, i) => ({ PartitionKey: `key-${i % 5}`, Data: Buffer.from(`r${n++}`) })) }))
      assert.equal(out.FailedRecordCount, 0)
    }
    await put()
    // 3 → 4: three splits (UPDATING's first 500 ms), then two merges of the slivers (the next 500 ms).
    await k.send(new UpdateShardCountCommand({ StreamName: stream, TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' }))
    await put()
    await advance(nimbus.current, 500)
    await put() // onto the short-lived shards
    await advance(nimbus.current, 500)
    await put()
    // A second of the clock at a time until every record was handed over (the parents' polls first).
    await until(async () => {
      if (log.tagged('RECORD').length >= n) return true
      await advance(nimbus.current, 1000)
      await settle(5)
      return false
    }, `${n} records`)
    await advance(nimbus.current, 5000)
    await settle(20)
    const records = log.tagged('RECORD') as Array<{ eventID: string; kinesis: { data: string; partitionKey: string } }>
    const texts = records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString())
    assert.deepEqual([...texts].sort(), Array.from({ length: n }, (_, i) => `r${i}`).sort(), 'every record once')
    // Per key, in the order written; and no shard's record before its parents' last.
    for (let key = 0; key < 5; key++) {
      const got = records.filter((r) => r.kinesis.partitionKey === `key-${key}`).map((r) => Number(Buffer.from(r.kinesis.data, 'base64').toString().slice(1)))
      assert.deepEqual(got, [...got].sort((a, b) => a - b), `key-${key} in order`)
    }
    const shards = (await k.send(new ListShardsCommand({ StreamName: stream }))).Shards!
    const shardOf = (r: { eventID: string }) => r.eventID.slice(0, r.eventID.indexOf(':'))
    for (const shard of shards) {
      const first = records.findIndex((r) => shardOf(r) === shard.ShardId)
      for (const parent of [shard.ParentShardId, shard.AdjacentParentShardId]) {
        if (parent === undefined || first < 0) continue
        const lastOfParent = records.findLastIndex((r) => shardOf(r) === parent)
        assert.ok(lastOfParent < first, `${parent} is read before its child ${shard.ShardId}`)
      }
    }
    assert.ok(records.some((r) => ['shardId-000000000004', 'shardId-000000000005', 'shardId-000000000006', 'shardId-000000000007'].includes(shardOf(r))),
      'records written onto the short-lived shards')
    log.stop()
  })

  it("refuses a missing stream and a mapping without StartingPosition", async () => {
    const name = await createFunction(lambda(), handler)
    const missing = await sdkError(mapping({ FunctionName: name, EventSourceArn: streamArn('nope'), StartingPosition: 'LATEST' }))
    assert.equal(missing.name, 'InvalidParameterValueException')
    const k = kinesisClient(nimbus.current)
    const stream = await activeStream(nimbus.current, k)
    const noPosition = await sdkError(mapping({ FunctionName: name, EventSourceArn: streamArn(stream) }))
    assert.equal(noPosition.name, 'InvalidParameterValueException')
  })
})
