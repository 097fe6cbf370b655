// AWS/S3 metrics on the manual clock: the bucket metrics configuration API and its errors, request
// metrics per BucketName + FilterId (a request counts under each matching filter), an alarm on
// 4xxErrors, and the daily storage metrics (BucketName + StorageType).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DescribeAlarmsCommand, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch'
import {
  CreateBucketCommand, DeleteBucketMetricsConfigurationCommand, DeleteObjectCommand, GetBucketMetricsConfigurationCommand, GetObjectCommand,
  HeadObjectCommand, ListBucketMetricsConfigurationsCommand, type MetricsFilter, ListObjectsV2Command, PutBucketMetricsConfigurationCommand, PutObjectCommand,
} from '@aws-sdk/client-s3'
import { advanceTo, cloudWatchClient, minuteNow } from '../../helpers/cloudwatch.ts'
import { durableNimbus } from '../../helpers/durable-nimbus.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { s3Client } from '../../helpers/s3.ts'

const nimbus = useNimbus()
const minute = 60_000
const day = 86_400_000

describe('AWS/S3 metrics', () => {
  it('stores metrics configurations with AWS errors', async () => {
    const s3 = s3Client(nimbus.current)
    const Bucket = uniqueName('cfg')
    await s3.send(new CreateBucketCommand({ Bucket }))
    await assert.rejects(s3.send(new GetBucketMetricsConfigurationCommand({ Bucket, Id: 'nope' })),
      (e: Error & { $metadata: { httpStatusCode: number } }) => e.name === 'NoSuchConfiguration' && e.$metadata.httpStatusCode === 404)
    await assert.rejects(s3.send(new DeleteBucketMetricsConfigurationCommand({ Bucket, Id: 'nope' })), { name: 'NoSuchConfiguration' })
    await assert.rejects(s3.send(new PutBucketMetricsConfigurationCommand({ Bucket: 'no-such-bucket-' + Bucket, Id: 'a', MetricsConfiguration: { Id: 'a' } })),
      { name: 'NoSuchBucket' })
    await assert.rejects(s3.send(new PutBucketMetricsConfigurationCommand({ Bucket, Id: 'a', MetricsConfiguration: { Id: 'b' } })), { name: 'InvalidArgument' })
    await assert.rejects(s3.send(new PutBucketMetricsConfigurationCommand({ Bucket, Id: 'two',
      MetricsConfiguration: { Id: 'two', Filter: { Prefix: 'a/', Tag: { Key: 'k', Value: 'v' } } as unknown as MetricsFilter } })), { name: 'MalformedXML' })
    await assert.rejects(s3.send(new PutBucketMetricsConfigurationCommand({ Bucket, Id: 'and1',
      MetricsConfiguration: { Id: 'and1', Filter: { And: { Prefix: 'a/' } } } })), { name: 'MalformedXML' })
    await s3.send(new PutBucketMetricsConfigurationCommand({ Bucket, Id: 'all', MetricsConfiguration: { Id: 'all' } }))
    const docs = { Id: 'docs', Filter: { And: { Prefix: 'docs/', Tags: [{ Key: 'k', Value: 'v' }] } } }
    await s3.send(new PutBucketMetricsConfigurationCommand({ Bucket, Id: 'docs', MetricsConfiguration: docs }))
    assert.deepEqual((await s3.send(new GetBucketMetricsConfigurationCommand({ Bucket, Id: 'docs' }))).MetricsConfiguration, docs)
    const listed = await s3.send(new ListBucketMetricsConfigurationsCommand({ Bucket }))
    assert.deepEqual(listed.MetricsConfigurationList!.map((c) => c.Id), ['all', 'docs'])
    assert.equal(listed.IsTruncated, false)
    await s3.send(new DeleteBucketMetricsConfigurationCommand({ Bucket, Id: 'all' }))
    assert.deepEqual((await s3.send(new ListBucketMetricsConfigurationsCommand({ Bucket }))).MetricsConfigurationList!.map((c) => c.Id), ['docs'])
  })

  it('counts requests per filter and minute, alarms on 4xxErrors, and reports daily storage', async () => {
    const s3 = s3Client(nimbus.current)
    const cw = cloudWatchClient(nimbus.current)
    const Bucket = uniqueName('req')
    const quiet = uniqueName('quiet')
    await s3.send(new CreateBucketCommand({ Bucket }))
    await s3.send(new CreateBucketCommand({ Bucket: quiet }))
    await s3.send(new PutBucketMetricsConfigurationCommand({ Bucket, Id: 'EntireBucket', MetricsConfiguration: { Id: 'EntireBucket' } }))
    await s3.send(new PutBucketMetricsConfigurationCommand({ Bucket, Id: 'logs', MetricsConfiguration: { Id: 'logs', Filter: { Prefix: 'logs/' } } }))
    const alarm = uniqueName('s3-4xx')
    await cw.send(new PutMetricAlarmCommand({ AlarmName: alarm, Namespace: 'AWS/S3', MetricName: '4xxErrors',
      Dimensions: [{ Name: 'BucketName', Value: Bucket }, { Name: 'FilterId', Value: 'EntireBucket' }], Statistic: 'Sum', Period: 60,
      EvaluationPeriods: 1, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' }))

    const t = minuteNow(nimbus.current) + minute
    await advanceTo(nimbus.current, t + 1000)
    await s3.send(new PutObjectCommand({ Bucket, Key: 'logs/a.txt', Body: 'x'.repeat(100) }))
    await s3.send(new PutObjectCommand({ Bucket, Key: 'img/b.png', Body: 'y'.repeat(50) }))
    await s3.send(new PutObjectCommand({ Bucket: quiet, Key: 'q', Body: 'z' }))
    await s3.send(new GetObjectCommand({ Bucket, Key: 'logs/a.txt' })).then((r) => r.Body!.transformToString())
    await s3.send(new HeadObjectCommand({ Bucket, Key: 'img/b.png' }))
    await s3.send(new ListObjectsV2Command({ Bucket }))
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket, Key: 'logs/missing' })), { name: 'NoSuchKey' })
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'img/b.png' }))
    // The minute with the NoSuchKey is evaluated as it ends: ALARM; a minute later (no errors) OK again.
    await advanceTo(nimbus.current, t + minute + 5000)
    assert.equal((await cw.send(new DescribeAlarmsCommand({ AlarmNames: [alarm] }))).MetricAlarms![0]!.StateValue, 'ALARM')
    await advanceTo(nimbus.current, t + 2 * minute + 5000)

    const stat = async (metric: string, filterId: string, statistic: 'Sum' | 'Average' | 'SampleCount' = 'Sum') => (await cw.send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/S3', MetricName: metric, Dimensions: [{ Name: 'BucketName', Value: Bucket }, { Name: 'FilterId', Value: filterId }],
      StartTime: new Date(t), EndTime: new Date(t + 5 * minute), Period: 60, Statistics: [statistic],
    }))).Datapoints!.map((d) => d[statistic])
    assert.deepEqual(await stat('AllRequests', 'EntireBucket'), [7])
    assert.deepEqual(await stat('PutRequests', 'EntireBucket'), [2])
    assert.deepEqual(await stat('GetRequests', 'EntireBucket'), [2])
    assert.deepEqual(await stat('HeadRequests', 'EntireBucket'), [1])
    assert.deepEqual(await stat('ListRequests', 'EntireBucket'), [1])
    assert.deepEqual(await stat('DeleteRequests', 'EntireBucket'), [1])
    assert.deepEqual(await stat('BytesUploaded', 'EntireBucket'), [150])
    // The object's 100 bytes and the listing's XML (AWS counts every response with a body).
    assert.ok((await stat('BytesDownloaded', 'EntireBucket'))[0]! > 100)
    assert.deepEqual(await stat('BytesDownloaded', 'logs'), [100])
    assert.deepEqual(await stat('4xxErrors', 'EntireBucket'), [1])
    assert.deepEqual(await stat('4xxErrors', 'EntireBucket', 'SampleCount'), [7])
    assert.deepEqual(await stat('5xxErrors', 'EntireBucket'), [0])
    assert.equal((await stat('TotalRequestLatency', 'EntireBucket', 'SampleCount'))[0], 7)
    // The prefix filter saw the logs/ put, get and failed get only (bucket-level requests match no filter).
    assert.deepEqual(await stat('AllRequests', 'logs'), [3])
    assert.deepEqual(await stat('4xxErrors', 'logs', 'Average'), [1 / 3])

    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/S3', Dimensions: [{ Name: 'BucketName', Value: Bucket }, { Name: 'FilterId' }] }))
    assert.ok(listed.Metrics!.some((m) => m.MetricName === 'FirstByteLatency' && m.Dimensions!.some((d) => d.Value === 'logs')))
    // Every request metric but PostRequests (no POST was made: a metric is listed once it has a datapoint).
    assert.equal(listed.Metrics!.filter((m) => m.Dimensions!.some((d) => d.Value === 'EntireBucket')).length, 12)
    // The bucket without a configuration has no request metrics.
    const none = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/S3', Dimensions: [{ Name: 'BucketName', Value: quiet }, { Name: 'FilterId' }] }))
    assert.deepEqual(none.Metrics, [])

    // Storage: nothing until the bucket's first day has ended, then one datapoint per day.
    await advanceTo(nimbus.current, t + 2 * day)
    const storage = async (metric: string, type: string) => (await cw.send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/S3', MetricName: metric, Dimensions: [{ Name: 'BucketName', Value: Bucket }, { Name: 'StorageType', Value: type }],
      StartTime: new Date(t - 2 * day), EndTime: new Date(t + 3 * day), Period: 86_400, Statistics: ['Average'],
    }))).Datapoints!.map((d) => d.Average)
    assert.deepEqual(await storage('BucketSizeBytes', 'StandardStorage'), [100, 100])
    assert.deepEqual(await storage('NumberOfObjects', 'AllStorageTypes'), [1, 1])
    const storageListed = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/S3', MetricName: 'BucketSizeBytes',
      Dimensions: [{ Name: 'BucketName', Value: quiet }] }))
    assert.deepEqual(storageListed.Metrics!.map((m) => m.Dimensions!.find((d) => d.Name === 'StorageType')!.Value), ['StandardStorage'])
    // The alarm saw no more errors: back to OK.
    assert.equal((await cw.send(new DescribeAlarmsCommand({ AlarmNames: [alarm] }))).MetricAlarms![0]!.StateValue, 'OK')
  })
})

describe('AWS/S3 metrics with a data dir', () => {
  it('keeps metrics configurations across a restart, and counts requests again after it', async () => {
    const n = await durableNimbus('s3-metrics')
    let s3 = s3Client(n.nimbus)
    const Bucket = uniqueName('dur')
    await s3.send(new CreateBucketCommand({ Bucket }))
    await s3.send(new PutBucketMetricsConfigurationCommand({ Bucket, Id: 'EntireBucket', MetricsConfiguration: { Id: 'EntireBucket' } }))
    s3.destroy()
    await n.restart()
    s3 = s3Client(n.nimbus)
    assert.deepEqual((await s3.send(new ListBucketMetricsConfigurationsCommand({ Bucket }))).MetricsConfigurationList, [{ Id: 'EntireBucket' }])
    const t = minuteNow(n.nimbus) + minute
    await advanceTo(n.nimbus, t + 1000)
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'abc' }))
    await advanceTo(n.nimbus, t + minute + 1000)
    const { Datapoints } = await cloudWatchClient(n.nimbus).send(new GetMetricStatisticsCommand({ Namespace: 'AWS/S3', MetricName: 'PutRequests',
      Dimensions: [{ Name: 'BucketName', Value: Bucket }, { Name: 'FilterId', Value: 'EntireBucket' }], StartTime: new Date(t),
      EndTime: new Date(t + minute), Period: 60, Statistics: ['Sum'] }))
    assert.deepEqual(Datapoints!.map((d) => d.Sum), [1])
    s3.destroy()
    await n.stop()
  })
})
