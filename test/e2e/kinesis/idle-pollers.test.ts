// Caught-up Kinesis pollers (Firehose's Kinesis source, Lambda's stream mapping) idle across clock
// jumps: a 7-day jump over idle streams makes no polls at all (health's poll counters), a record put
// after the jump is still read at the tick of the 1 s phase it would have been read at, and records
// put just before a jump are read at the first tick, as when the pollers polled every second.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateDeliveryStreamCommand, DeleteDeliveryStreamCommand } from '@aws-sdk/client-firehose'
import { CreateEventSourceMappingCommand, DeleteEventSourceMappingCommand } from '@aws-sdk/client-lambda'
import { ListShardsCommand, PutRecordCommand, SplitShardCommand } from '@aws-sdk/client-kinesis'
import { GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch'
import { CreateBucketCommand } from '@aws-sdk/client-s3'
import { cloudWatchClient } from '../../helpers/cloudwatch.ts'
import type { Nimbus } from '../../../src/index.ts'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { settle, watchFunctionLog } from '../../helpers/function-log.ts'
import { batches, DAY } from '../../helpers/idle-pollers.ts'
import { advance, toNextSecond, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { clients, deliveriesSettled, listKeys } from '../firehose/firehose-helpers.ts'

const nimbus = useNimbus()
const role = 'arn:aws:iam::000000000000:role/firehose'

const handler = `
  exports.handler = async (event) => {
    console.log('BATCH ' + JSON.stringify(event.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString())))
  }`

interface Polls { firehose: number; lambda: number; pending: number }
const polls = (n: Nimbus): Polls => {
  const health = n.health() as { firehose: { kinesisPolls: number; pendingRecords: number }; lambda: { streamPolls: number } }
  return { firehose: health.firehose.kinesisPolls, lambda: health.lambda.streamPolls, pending: health.firehose.pendingRecords }
}

/** A 4-shard stream read by a Firehose delivery stream (to S3, 60 s buffer) and a Lambda mapping, both created at `origin` (a whole second). */
async function pipeline(n: Nimbus) {
  const k = kinesisClient(n)
  const stream = await activeStream(n, k, 4)
  const { firehose, s3 } = clients(n)
  const bucket = uniqueName('idle-pollers').toLowerCase()
  await s3.send(new CreateBucketCommand({ Bucket: bucket }))
  const fn = await createFunction(lambdaClient(n), handler)
  const log = watchFunctionLog(n, fn)
  await toNextSecond(n)
  // Both pollers take their 1 s phase from their creation, at this instant.
  const origin = n.clock.now()
  const delivery = uniqueName('idle-fh')
  await firehose.send(new CreateDeliveryStreamCommand({
    DeliveryStreamName: delivery, DeliveryStreamType: 'KinesisStreamAsSource',
    KinesisStreamSourceConfiguration: { KinesisStreamARN: streamArn(stream), RoleARN: role },
    ExtendedS3DestinationConfiguration: { RoleARN: role, BucketARN: `arn:aws:s3:::${bucket}`, BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 } },
  }))
  const { UUID: mapping } = await lambdaClient(n).send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: streamArn(stream),
    StartingPosition: 'TRIM_HORIZON' }))
  assert.equal(n.clock.now(), origin)
  // Past CREATING: both pollers read the (empty) stream and are caught up.
  await advance(n, 5_000)
  await settle(20)
  return { k, s3, stream, bucket, log, origin, delivery, fn, mapping: mapping! }
}

const watchers = (n: Nimbus) => (n.health() as { kinesis: { streamWatchers: number } }).kinesis.streamWatchers

/**
 * A metric's one-minute sums within 12 hours of `around`, as [epoch ms, sum] — after checking that the
 * hourly sums over the 8 days from an hour before it hold nothing else.
 */
async function datapoints(n: Nimbus, namespace: string, metric: string, dimension: string, value: string, around: number, only = true) {
  const query = async (from: number, to: number, period: number) => (await cloudWatchClient(n).send(new GetMetricStatisticsCommand({
    Namespace: namespace, MetricName: metric, Dimensions: [{ Name: dimension, Value: value }],
    StartTime: new Date(from), EndTime: new Date(to), Period: period, Statistics: ['Sum'],
  }))).Datapoints!.map((d) => [d.Timestamp!.getTime(), d.Sum]).sort((a, b) => a[0]! - b[0]!)
  const hourly = await query(around - 3_600_000, around + 8 * DAY, 3600)
  const minutes = await query(around - DAY / 2 + 60_000, around + DAY / 2, 60)
  if (only) assert.deepEqual(hourly.map(([, sum]) => sum), minutes.map(([, sum]) => sum), `${metric}: nothing outside the tick's half-day`)
  return minutes
}

/** The first tick of the phase strictly after now. */
const nextTick = (n: Nimbus, origin: number) => origin + (Math.floor((n.clock.now() - origin) / 1000) + 1) * 1000

describe('Kinesis pollers across clock jumps', () => {
  it('make no polls over 7 idle days, and read a record put afterwards at the tick they would have read it at', async () => {
    const n = nimbus.current
    const { k, stream, log, origin } = await pipeline(n)
    const before = polls(n)
    await advance(n, 7 * DAY)
    await settle(20)
    const after = polls(n)
    assert.equal(after.firehose - before.firehose, 0, 'Firehose polled an idle stream')
    assert.equal(after.lambda - before.lambda, 0, 'the mapping polled an idle stream')

    // A record put 300 ms into a second: read at the phase's next tick, not at once, not later.
    await advance(n, 300)
    await k.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'p', Data: Buffer.from('after-jump') }))
    const tick = nextTick(n, origin)
    await advance(n, tick - 1 - n.clock.now())
    await settle(20)
    assert.deepEqual(polls(n), after, 'nothing polled before the tick')
    assert.equal(log.matching('BATCH').length, 0)
    await advance(n, 1)
    assert.equal(n.clock.now(), tick)
    const atTick = polls(n)
    assert.equal(atTick.pending, 1, 'Firehose read the record at the tick')
    assert.equal(atTick.firehose - after.firehose, 1)
    assert.equal(atTick.lambda - after.lambda, 1)
    await batches(log)
    assert.deepEqual(log.tagged('BATCH'), [['after-jump']])
    assert.equal(n.clock.now(), tick, 'the function was invoked at the tick')
    log.stop()
  })

  it('reads records put just before a jump at the first tick, then idles again', async () => {
    const n = nimbus.current
    const { k, stream, s3, bucket, log, origin, delivery, fn } = await pipeline(n)
    await advance(n, 250)
    await k.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'p', Data: Buffer.from('before-jump\n') }))
    const tick = nextTick(n, origin)
    const before = polls(n)
    await advance(n, 7 * DAY)
    await batches(log)
    await deliveriesSettled(n, 1)
    await settle(20)
    assert.deepEqual(log.tagged('BATCH'), [['before-jump\n']])
    // Firehose buffered the record at the tick: its 60 s buffer interval ran from there.
    const [key] = await listKeys(s3, bucket)
    assert.ok(key !== undefined)
    // Both read it at the tick: Firehose's DataReadFromKinesisStream.Records and Lambda's Invocations fall in the tick's minute.
    const minute = Math.floor(tick / 60_000) * 60_000
    assert.deepEqual(await datapoints(n, 'AWS/Firehose', 'DataReadFromKinesisStream.Records', 'DeliveryStreamName', delivery, tick), [[minute, 1]])
    // The invocation began at the tick; the function's timeout runs on the clock, so it may time out in the jump
    // and be retried after it (the retry's datapoint then falls after the jump).
    assert.deepEqual(await datapoints(n, 'AWS/Lambda', 'Invocations', 'FunctionName', fn, tick, false), [[minute, 1]])
    const after = polls(n)
    // Firehose: the tick that read it, and the one after that found nothing. Lambda: the tick that
    // invoked, and one poll owed for the ticks that fell due while the invocation ran (a retried batch: two more).
    assert.equal(after.firehose - before.firehose, 2)
    assert.ok(after.lambda - before.lambda >= 2 && after.lambda - before.lambda <= 4, `Lambda polls: ${after.lambda - before.lambda}`)
    // A poller still awake when a jump starts polls at its first tick; the jump is over by the time that poll is done,
    // so one more is owed: at most two polls, then none.
    await advance(n, DAY)
    await settle(20)
    const settled = polls(n)
    assert.ok(settled.lambda - after.lambda <= 2, `Lambda polls: ${settled.lambda - after.lambda}`)
    await advance(n, DAY)
    await settle(20)
    assert.deepEqual(polls(n), settled, 'idle again once caught up')
    log.stop()
  })

  it('wakes for a reshard made while idle and reads the children after their parent', async () => {
    const n = nimbus.current
    const { k, stream: name, log, origin } = await pipeline(n)
    await advance(n, DAY)
    // The last shard: its children keep the open shards in hash key order.
    const last = (await k.send(new ListShardsCommand({ StreamName: name }))).Shards!.at(-1)!
    const start = BigInt(last.HashKeyRange!.StartingHashKey!)
    await k.send(new SplitShardCommand({ StreamName: name, ShardToSplit: last.ShardId!, NewStartingHashKey: String(start + 1000n) }))
    // UPDATING ends 500 ms later; the pollers see the children at the ticks that follow.
    await advance(n, 3_000)
    await settle(20)
    await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', ExplicitHashKey: String(start + 1n), Data: Buffer.from('child') }))
    const tick = nextTick(n, origin)
    const before = polls(n)
    await advance(n, tick - n.clock.now())
    assert.equal(polls(n).pending - before.pending, 1, 'Firehose read the child shard at the tick')
    await batches(log)
    assert.deepEqual(log.tagged('BATCH'), [['child']])
    await advance(n, DAY)
    await settle(20)
    // Idle again, except for the closed parent leaving the listing once past retention (one wake-up each).
    assert.ok(polls(n).firehose - before.firehose <= 4, `Firehose polls: ${polls(n).firehose - before.firehose}`)
    assert.ok(polls(n).lambda - before.lambda <= 4, `Lambda polls: ${polls(n).lambda - before.lambda}`)
    log.stop()
  })

  it('lets go of the stream when the mapping and the delivery stream are deleted', async () => {
    const n = nimbus.current
    const baseline = watchers(n)
    const { delivery, mapping, log } = await pipeline(n)
    log.stop()
    assert.equal(watchers(n), baseline + 2)
    await lambdaClient(n).send(new DeleteEventSourceMappingCommand({ UUID: mapping }))
    await clients(n).firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: delivery }))
    await advance(n, 10_000)
    assert.equal(watchers(n), baseline)
  })
})
