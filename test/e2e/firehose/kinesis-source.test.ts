// KinesisStreamAsSource end to end: Kinesis PutRecords → Firehose reading the stream each second of
// the manual clock → its buffer → one S3 object with the records concatenated; records from before
// the delivery stream's creation are not read (AWS starts at DeliveryStartTimestamp); PutRecord is
// refused; the read position survives a restart (no duplicates, nothing lost).
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import { CreateDeliveryStreamCommand, DescribeDeliveryStreamCommand, PutRecordCommand } from '@aws-sdk/client-firehose'
import {
  CreateStreamCommand, KinesisClient, PutRecordsCommand, SplitShardCommand, UpdateMaxRecordSizeCommand, UpdateShardCountCommand,
} from '@aws-sdk/client-kinesis'
import { CreateBucketCommand } from '@aws-sdk/client-s3'
import { type Nimbus } from '../../../src/index.ts'
import { durableNimbus } from '../../helpers/durable-nimbus.ts'
import { advance, testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { clients, deliveriesSettled, firehoseHealth, listKeys, objectBytes } from './firehose-helpers.ts'

const nimbus = useNimbus()
const role = 'arn:aws:iam::000000000000:role/firehose'
const streamArn = (name: string) => `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`
const kinesisOf = (n: Nimbus) => new KinesisClient({ endpoint: n.endpoint, region: 'us-east-1', credentials: testCredentials })
const entries = (...lines: string[]) => lines.map((l, i) => ({ Data: Buffer.from(l), PartitionKey: `key-${i}` }))

/** A Kinesis stream (ACTIVE) and a Kinesis-sourced delivery stream (ACTIVE) over a fresh bucket. */
async function pipeline(n: Nimbus, shards = 2, interval = 60) {
  const kinesis = kinesisOf(n)
  const { firehose, s3 } = clients(n)
  const stream = uniqueName('src')
  const name = uniqueName('fh-from-kinesis')
  const bucket = uniqueName('fh-kinesis').toLowerCase()
  await kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: shards }))
  await advance(n, 500)
  await kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: entries('before-creation\n') }))
  await advance(n, 1)
  await s3.send(new CreateBucketCommand({ Bucket: bucket }))
  await firehose.send(new CreateDeliveryStreamCommand({
    DeliveryStreamName: name, DeliveryStreamType: 'KinesisStreamAsSource',
    KinesisStreamSourceConfiguration: { KinesisStreamARN: streamArn(stream), RoleARN: role },
    ExtendedS3DestinationConfiguration: { RoleARN: role, BucketARN: `arn:aws:s3:::${bucket}`, BufferingHints: { SizeInMBs: 1, IntervalInSeconds: interval } },
  }))
  await advance(n, 5_000)
  return { kinesis, firehose, s3, stream, name, bucket }
}

/** A KPL aggregated record (magic, protobuf AggregatedRecord, MD5), encoded by hand as the KPL writes it. */
function kplAggregate(keys: string[], records: Array<{ key: number; data: string }>): Buffer {
  const varint = (n: number) => {
    const out: number[] = []
    for (; n >= 0x80; n = Math.floor(n / 128)) out.push((n & 0x7f) | 0x80)
    out.push(n)
    return Buffer.from(out)
  }
  const field = (number: number, bytes: Buffer) => Buffer.concat([varint(number * 8 + 2), varint(bytes.length), bytes])
  const message = Buffer.concat([
    ...keys.map((k) => field(1, Buffer.from(k))),
    ...records.map((r) => field(3, Buffer.concat([varint(1 * 8), varint(r.key), field(3, Buffer.from(r.data))]))),
  ])
  return Buffer.concat([Buffer.from([0xf3, 0x89, 0x9a, 0xc2]), message, createHash('md5').update(message).digest()])
}

/** The concatenated records as lines, sorted (shards are read side by side: order holds within a shard only). */
const sortedLines = (body: Buffer) => body.toString().split('\n').filter((l) => l !== '').sort()

describe('Firehose with a Kinesis stream as its source', () => {
  it('delivers Kinesis records to S3 on the clock, from DeliveryStartTimestamp on', async () => {
    const { kinesis, firehose, s3, stream, name, bucket } = await pipeline(nimbus.current)
    const description = (await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))).DeliveryStreamDescription!
    assert.equal(description.DeliveryStreamType, 'KinesisStreamAsSource')
    assert.equal(description.Source?.KinesisStreamSourceDescription?.KinesisStreamARN, streamArn(stream))

    const refused = await sdkError(firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: Buffer.from('x') } })))
    assert.equal(refused.name, 'InvalidArgumentException')
    assert.equal(refused.message, 'This operation is not permitted on KinesisStreamAsSource delivery stream type.')

    const lines = Array.from({ length: 20 }, (_, i) => `record-${String(i).padStart(2, '0')}\n`)
    await kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: entries(...lines) }))
    assert.equal(firehoseHealth(nimbus.current).pendingRecords, 0, 'nothing read before the next poll')
    await advance(nimbus.current, 1_000)
    assert.equal(firehoseHealth(nimbus.current).pendingRecords, 20)
    await advance(nimbus.current, 59_999)
    await deliveriesSettled(nimbus.current)
    assert.deepEqual(await listKeys(s3, bucket), [], 'the buffer is due 60 s after Firehose read its oldest record')
    await advance(nimbus.current, 1)
    await deliveriesSettled(nimbus.current, 1)
    const keys = await listKeys(s3, bucket)
    assert.equal(keys.length, 1)
    assert.match(keys[0]!, new RegExp(`^\\d{4}/\\d{2}/\\d{2}/\\d{2}/${name}-1-`))
    assert.deepEqual(sortedLines(await objectBytes(s3, bucket, keys[0]!)), lines.map((l) => l.trim()), 'the record from before creation is not read')
  })

  it('reads child shards after a split once their parent is read to its end', async () => {
    const { kinesis, s3, stream, bucket } = await pipeline(nimbus.current, 1, 0)
    await kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: entries('parent\n') }))
    await kinesis.send(new SplitShardCommand({ StreamName: stream, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (2n ** 127n).toString() }))
    await advance(nimbus.current, 500)
    await kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: entries('child-a\n', 'child-b\n', 'child-c\n') }))
    for (let i = 0; i < 3; i++) await advance(nimbus.current, 1_000)
    await deliveriesSettled(nimbus.current)
    const bodies = await Promise.all((await listKeys(s3, bucket)).map((k) => objectBytes(s3, bucket, k)))
    assert.deepEqual(sortedLines(Buffer.concat(bodies)), ['child-a', 'child-b', 'child-c', 'parent'])
  })
  it("reads through UpdateShardCount's short-lived shards: every record once", async () => {
    const { kinesis, s3, stream, bucket } = await pipeline(nimbus.current, 3, 0)
    const lines: string[] = []
    const put = async (phase: string) => {
      const batch = Array.from({ length: 12 }, (_, i) => `${phase}-${i}\n`)
      lines.push(...batch.map((l) => l.trim()))
      await kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: entries(...batch) }))
    }
    await put('before')
    // 3 → 4: splits at the quarters when the first 500 ms of UPDATING end, merges of the slivers 500 ms later.
    await kinesis.send(new UpdateShardCountCommand({ StreamName: stream, TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' }))
    await put('updating')
    await advance(nimbus.current, 500)
    await put('short-lived')
    await advance(nimbus.current, 500)
    await put('after')
    for (let i = 0; i < 5; i++) await advance(nimbus.current, 1_000)
    await deliveriesSettled(nimbus.current)
    const bodies = await Promise.all((await listKeys(s3, bucket)).map((k) => objectBytes(s3, bucket, k)))
    assert.deepEqual(sortedLines(Buffer.concat(bodies)), [...lines].sort())
  })

  it('de-aggregates KPL aggregated records into their user records; a bad checksum is kept as sent', async () => {
    const { kinesis, s3, stream, bucket } = await pipeline(nimbus.current, 1)
    const aggregated = kplAggregate(['pk-a', 'pk-b'], [{ key: 0, data: 'user-1\n' }, { key: 1, data: 'user-2\n' }, { key: 0, data: 'user-3\n' }])
    const broken = Buffer.from(aggregated)
    broken[broken.length - 1]! ^= 0xff
    await kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: [{ Data: aggregated, PartitionKey: 'pk-a' }, { Data: Buffer.from('plain\n'), PartitionKey: 'x' }] }))
    await kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: [{ Data: broken, PartitionKey: 'pk-a' }] }))
    await advance(nimbus.current, 1_000)
    assert.equal(firehoseHealth(nimbus.current).pendingRecords, 5)
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, 1)
    const [key] = await listKeys(s3, bucket)
    const body = await objectBytes(s3, bucket, key!)
    assert.ok(body.subarray(0, 'user-1\nuser-2\nuser-3\nplain\n'.length).equals(Buffer.from('user-1\nuser-2\nuser-3\nplain\n')))
    assert.ok(body.subarray('user-1\nuser-2\nuser-3\nplain\n'.length).equals(broken), 'not a valid aggregate: delivered as it came')
  })

  it("delivers a Kinesis record larger than Firehose's 1,000 KiB whole (AWS documents no rule for it [R])", async () => {
    const { kinesis, s3, stream, bucket } = await pipeline(nimbus.current, 1, 0)
    await kinesis.send(new UpdateMaxRecordSizeCommand({ StreamARN: streamArn(stream), MaxRecordSizeInKiB: 2_048 }))
    const large = Buffer.alloc(1_500_000, 0x62)
    await kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: [{ Data: large, PartitionKey: 'k' }] }))
    await advance(nimbus.current, 1_000)
    await deliveriesSettled(nimbus.current, 1)
    const keys = await listKeys(s3, bucket)
    assert.equal(keys.length, 1)
    assert.deepEqual(await objectBytes(s3, bucket, keys[0]!), large)
  })

  it("a transformation Lambda's event names the source stream and each record's kinesisRecordMetadata", async () => {
    const fn = await createFunction(lambdaClient(nimbus.current), `
      exports.handler = async (event) => ({ records: event.records.map((r) => ({ recordId: r.recordId, result: 'Ok',
        data: Buffer.from(JSON.stringify({ source: event.sourceKinesisStreamArn, text: Buffer.from(r.data, 'base64').toString(),
          arrival: r.approximateArrivalTimestamp, meta: r.kinesisRecordMetadata }) + '\\n').toString('base64') })) })`)
    const kinesis = kinesisOf(nimbus.current)
    const { firehose, s3 } = clients(nimbus.current)
    const stream = uniqueName('src')
    const bucket = uniqueName('fh-kinesis').toLowerCase()
    await kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }))
    await advance(nimbus.current, 500)
    await s3.send(new CreateBucketCommand({ Bucket: bucket }))
    await firehose.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: uniqueName('fh-transform'), DeliveryStreamType: 'KinesisStreamAsSource',
      KinesisStreamSourceConfiguration: { KinesisStreamARN: streamArn(stream), RoleARN: role },
      ExtendedS3DestinationConfiguration: { RoleARN: role, BucketARN: `arn:aws:s3:::${bucket}`, BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
        ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'Lambda', Parameters: [
          { ParameterName: 'LambdaArn', ParameterValue: `arn:aws:lambda:us-east-1:000000000000:function:${fn}` }] }] } },
    }))
    await advance(nimbus.current, 5_000)
    const aggregated = kplAggregate(['pk-a'], [{ key: 0, data: 'user-0' }, { key: 0, data: 'user-1' }])
    const put = await kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: [{ Data: Buffer.from('plain'), PartitionKey: 'pk-plain' },
      { Data: aggregated, PartitionKey: 'pk-a' }] }))
    const kinesisArrival = nimbus.current.clock.now()
    await advance(nimbus.current, 1_000)
    // The Lambda processor's buffer (60 s), then the destination's (60 s from the transformation).
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current)
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, 1)
    const [key] = await listKeys(s3, bucket)
    const lines = (await objectBytes(s3, bucket, key!)).toString().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    const meta = (i: number, sub: number, pk: string) => ({ shardId: 'shardId-000000000000', partitionKey: pk, approximateArrivalTimestamp: kinesisArrival,
      sequenceNumber: put.Records![i]!.SequenceNumber, subsequenceNumber: sub })
    assert.deepEqual(lines.map(({ source, text, meta: m }) => ({ source, text, m })), [
      { source: streamArn(stream), text: 'plain', m: meta(0, 0, 'pk-plain') },
      { source: streamArn(stream), text: 'user-0', m: meta(1, 0, 'pk-a') },
      { source: streamArn(stream), text: 'user-1', m: meta(1, 1, 'pk-a') },
    ])
  })
})

describe('Firehose with a Kinesis source across a restart', () => {
  it('keeps the read position: nothing read twice, nothing lost', async () => {
    const durable = await durableNimbus('firehose-kinesis')
    let n = durable.nimbus
    try {
      const { kinesis, stream, name, bucket } = await pipeline(n, 2, 120)
      await kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: entries('one\n', 'two\n') }))
      await advance(n, 1_000)
      assert.equal(firehoseHealth(n).pendingRecords, 2)
      await kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: entries('three\n') }))
      await durable.restart()
      n = durable.nimbus
      await advance(n, 1_000)
      assert.equal(firehoseHealth(n).pendingRecords, 3, 'the buffered records are back, the unread one read once')
      await advance(n, 1_000)
      assert.equal(firehoseHealth(n).pendingRecords, 3)
      await advance(n, 120_000)
      await deliveriesSettled(n, 1)
      const { s3 } = clients(n)
      const [key, ...rest] = await listKeys(s3, bucket)
      assert.deepEqual(rest, [])
      assert.match(key!, new RegExp(`${name}-1-`))
      assert.deepEqual(sortedLines(await objectBytes(s3, bucket, key!)), ['one', 'three', 'two'])
    } finally {
      await durable.stop()
    }
  })

})
