// Firehose's Direct PUT quota, per delivery stream and second of the manual clock: AWS's per-Region
// defaults (5 MiB/s in us-east-1, 1 MiB/s elsewhere), PutRecord refused whole, PutRecordBatch's
// excess records failed one by one with "Slow down.", a lowered quota's requests and records,
// AWS/Firehose's ThrottledRecords, and SNS's writes through the port left out of the quota.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch'
import { CreateDeliveryStreamCommand, FirehoseClient, PutRecordBatchCommand, PutRecordCommand } from '@aws-sdk/client-firehose'
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3'
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns'
import { cloudWatchClient } from '../../helpers/cloudwatch.ts'
import { advance, testCredentials, toNextSecond, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { deliveriesSettled, firehoseHealth } from './firehose-helpers.ts'
import type { Nimbus } from '../../../src/index.ts'

const nimbus = useNimbus()
const lowered = useNimbus({ firehoseDirectPutQuota: { recordsPerSecond: 5, requestsPerSecond: 3, mibPerSecond: 1 } })
const slowDown = { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' }
const bytes = (n: number) => new Uint8Array(n).fill(0x61)

/** An ACTIVE stream in `region`, with a client that does not retry (a retry would take another request). */
async function stream(n: Nimbus, region = 'us-east-1') {
  const options = { endpoint: n.endpoint, region, credentials: testCredentials, maxAttempts: 1 }
  const firehose = new FirehoseClient(options)
  const bucket = uniqueName('quota').toLowerCase()
  const name = uniqueName('quota')
  await new S3Client({ ...options, forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: bucket }))
  await firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: name, ExtendedS3DestinationConfiguration: {
    RoleARN: 'arn:aws:iam::000000000000:role/firehose', BucketARN: `arn:aws:s3:::${bucket}`, BufferingHints: { SizeInMBs: 128, IntervalInSeconds: 900 },
  } }))
  await advance(n, 5_000)
  // Each test starts at the beginning of a clock second.
  await toNextSecond(n)
  return { firehose, name }
}

const batch = (name: string, count: number, size: number) =>
  new PutRecordBatchCommand({ DeliveryStreamName: name, Records: Array.from({ length: count }, () => ({ Data: bytes(size) })) })

describe('Firehose Direct PUT quota', () => {
  it("takes 5 MiB a second in us-east-1 (PutRecord and PutRecordBatch together), then answers 'Slow down.'", async () => {
    const { firehose, name } = await stream(nimbus.current)
    const first = await firehose.send(batch(name, 400, 10_000))
    assert.equal(first.FailedPutCount, 0)
    // 4,000,000 + 124 × 10,000 = 5,240,000 bytes fit in 5 MiB (5,242,880); the 125th does not, nor any after it.
    const second = await firehose.send(batch(name, 200, 10_000))
    assert.equal(second.FailedPutCount, 76)
    assert.equal(second.RequestResponses!.slice(0, 124).every((r) => typeof r.RecordId === 'string' && r.ErrorCode === undefined), true)
    assert.deepEqual(second.RequestResponses!.slice(124), Array.from({ length: 76 }, () => slowDown))
    // PutRecord over what is left is refused whole; the last 2,880 bytes still fit exactly.
    const refused = await sdkError(firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: bytes(2_881) } })))
    assert.deepEqual(refused, { name: 'ServiceUnavailableException', message: 'Slow down.', status: 503 })
    const exact = await firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: bytes(2_880) } }))
    assert.equal(typeof exact.RecordId, 'string')
    const full = await firehose.send(batch(name, 2, 1))
    assert.deepEqual(full.RequestResponses, [slowDown, slowDown])
    assert.equal(firehoseHealth(nimbus.current).pendingRecords, 400 + 124 + 1)
    // The next second of the clock has a fresh budget.
    await advance(nimbus.current, 1000)
    assert.equal((await firehose.send(batch(name, 2, 1))).FailedPutCount, 0)
    await deliveriesSettled(nimbus.current)
  })

  it('takes 1 MiB a second outside us-east-1, us-west-2 and eu-west-1, per stream', async () => {
    const a = await stream(nimbus.current, 'eu-central-1')
    const out = await a.firehose.send(batch(a.name, 2, 1_000_000))
    assert.equal(out.FailedPutCount, 1)
    assert.deepEqual(out.RequestResponses![1], slowDown)
    // Another stream has its own quota.
    const b = await stream(nimbus.current, 'eu-central-1')
    assert.equal((await b.firehose.send(batch(b.name, 1, 1_000_000))).FailedPutCount, 0)
  })

  it("refuses a call past the second's requests whole, and past its records record by record (firehoseDirectPutQuota)", async () => {
    const { firehose, name } = await stream(lowered.current)
    const one = await firehose.send(batch(name, 3, 1))
    assert.equal(one.FailedPutCount, 0)
    const two = await firehose.send(batch(name, 3, 1))
    assert.deepEqual(two.RequestResponses!.map((r) => r.ErrorCode ?? 'ok'), ['ok', 'ok', 'ServiceUnavailableException'])
    // The third request is taken (its record is not); the fourth is refused as a call.
    assert.deepEqual(await sdkError(firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: bytes(1) } }))),
      { name: 'ServiceUnavailableException', message: 'Slow down.', status: 503 })
    assert.deepEqual(await sdkError(firehose.send(batch(name, 1, 1))), { name: 'ServiceUnavailableException', message: 'Slow down.', status: 503 })
    await advance(lowered.current, 1000)
    assert.equal((await firehose.send(batch(name, 5, 1))).FailedPutCount, 0)

    // AWS/Firehose ThrottledRecords: 1 + 1 + 1 refused records in that second's minute.
    const t = lowered.current.clock.now()
    await advance(lowered.current, 120_000)
    const stats = await cloudWatchClient(lowered.current).send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/Firehose', MetricName: 'ThrottledRecords', Dimensions: [{ Name: 'DeliveryStreamName', Value: name }],
      StartTime: new Date(t - 600_000), EndTime: new Date(t + 120_000), Period: 3600, Statistics: ['Sum'],
    }))
    assert.deepEqual(stats.Datapoints!.map((d) => d.Sum), [3])
  })

  it("leaves other services' writes alone: an SNS firehose subscription delivers past a used-up second", async () => {
    const { firehose, name } = await stream(lowered.current)
    assert.equal((await firehose.send(batch(name, 5, 1))).FailedPutCount, 0)
    const sns = new SNSClient({ endpoint: lowered.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('quota-topic') }))
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'firehose', Endpoint: `arn:aws:firehose:us-east-1:000000000000:deliverystream/${name}`,
      Attributes: { SubscriptionRoleArn: 'arn:aws:iam::000000000000:role/sns', RawMessageDelivery: 'true' } }))
    const before = firehoseHealth(lowered.current).pendingRecords
    // More notifications than the second's requests (3) and records (5), all in the same clock second.
    for (let i = 0; i < 6; i++) await sns.send(new PublishCommand({ TopicArn, Message: `m${i}` }))
    for (let i = 0; i < 20 && firehoseHealth(lowered.current).pendingRecords < before + 6; i++) await new Promise((resolve) => setImmediate(resolve))
    assert.equal(firehoseHealth(lowered.current).pendingRecords, before + 6)
    // The port's writes took none of the second's requests: this call is the second's second, its record past the five.
    assert.deepEqual((await firehose.send(batch(name, 1, 1))).RequestResponses, [slowDown])
  })
})
