// The query protocol (aws-sdk v2's CloudWatch: form posts, XML answers and ErrorResponse codes),
// GetMetricData with metric math, ScanBy and MaxDatapoints pagination (v3 client), dashboards,
// tags, and a malformed body answered as an error.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DeleteDashboardsCommand, GetDashboardCommand, GetMetricDataCommand, ListDashboardsCommand, ListTagsForResourceCommand,
  PutDashboardCommand, PutMetricAlarmCommand, PutMetricDataCommand, TagResourceCommand, UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch'
import { cloudWatchClient, cloudWatchQueryClient, minuteNow } from '../../helpers/cloudwatch.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest, signedBy } from '../../helpers/raw-http.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const minute = 60_000

describe('CloudWatch over the query protocol', () => {
  it('puts and reads statistics, and answers errors with their query codes', async () => {
    const cw = cloudWatchQueryClient(nimbus.current)
    const ns = uniqueName('ns')
    const t = minuteNow(nimbus.current) - 3 * minute
    await cw.putMetricData({ Namespace: ns, MetricData: [
      { MetricName: 'Jobs', Dimensions: [{ Name: 'Queue', Value: 'a' }], Values: [1, 2, 3], Counts: [1, 1, 2], Timestamp: new Date(t) },
    ] }).promise()
    const out = await cw.getMetricStatistics({ Namespace: ns, MetricName: 'Jobs', Dimensions: [{ Name: 'Queue', Value: 'a' }],
      StartTime: new Date(t), EndTime: new Date(t + minute), Period: 60, Statistics: ['Sum', 'SampleCount'], ExtendedStatistics: ['p50'] }).promise()
    assert.equal(out.Datapoints!.length, 1)
    assert.deepEqual([out.Datapoints![0]!.Sum, out.Datapoints![0]!.SampleCount, out.Datapoints![0]!.ExtendedStatistics], [9, 4, { p50: 2 }])
    const listed = await cw.listMetrics({ Namespace: ns }).promise()
    assert.deepEqual(listed.Metrics, [{ Namespace: ns, MetricName: 'Jobs', Dimensions: [{ Name: 'Queue', Value: 'a' }] }])
    const error = await cw.putMetricData({ Namespace: ns, MetricData: [{ MetricName: 'x', Value: 1, StorageResolution: 7 }] }).promise()
      .then(() => undefined, (e: { code: string; statusCode: number }) => e)
    assert.deepEqual([error?.code, error?.statusCode], ['InvalidParameterValue', 400])
    await cw.putMetricAlarm({ AlarmName: uniqueName('qa'), Namespace: ns, MetricName: 'Jobs', Statistic: 'Sum', Period: 60,
      EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' }).promise()
    const alarms = await cw.describeAlarmsForMetric({ Namespace: ns, MetricName: 'Jobs' }).promise()
    assert.equal(alarms.MetricAlarms!.length, 1)
  })

  it('answers a malformed JSON body with a SerializationException, and keeps serving', async () => {
    const response = await rawRequest(nimbus.current.endpoint, { headers: { ...signedBy('monitoring'),
      'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData' }, body: '{"Namespace":' })
    assert.equal(response.status, 400)
    assert.match(response.body, /SerializationException/)
  })
})

describe('GetMetricData', () => {
  it('returns MetricStat and expression results, newest first by default, ascending on request, paginated by MaxDatapoints', async () => {
    const cw = cloudWatchClient(nimbus.current)
    const ns = uniqueName('ns')
    const t = minuteNow(nimbus.current) - 10 * minute
    await cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: [
      ...[1, 2, 3].map((v, i) => ({ MetricName: 'Requests', Value: v * 10, Timestamp: new Date(t + i * minute) })),
      ...[1, 0, 1].map((v, i) => ({ MetricName: 'Errors', Value: v, Timestamp: new Date(t + i * minute) })),
    ] }))
    const stat = (name: string) => ({ Metric: { Namespace: ns, MetricName: name }, Period: 60, Stat: 'Sum' })
    const queries = [
      { Id: 'req', MetricStat: stat('Requests'), ReturnData: false },
      { Id: 'err', MetricStat: stat('Errors'), ReturnData: false },
      { Id: 'rate', Expression: '100 * err / req', Label: 'Error rate' },
      { Id: 'total', Expression: 'SUM(METRICS())' },
    ]
    const input = { StartTime: new Date(t), EndTime: new Date(t + 5 * minute), MetricDataQueries: queries }
    const out = await cw.send(new GetMetricDataCommand(input))
    assert.deepEqual(out.MetricDataResults!.map((r) => [r.Id, r.Label, r.Values, r.StatusCode]), [
      ['rate', 'Error rate', [100 / 30, 0, 10], 'Complete'],
      ['total', 'total', [31, 20, 11], 'Complete'],
    ])
    assert.deepEqual(out.MetricDataResults![0]!.Timestamps!.map((d) => d.getTime() - t), [2 * minute, minute, 0])
    const ascending = await cw.send(new GetMetricDataCommand({ ...input, ScanBy: 'TimestampAscending' }))
    assert.deepEqual(ascending.MetricDataResults![1]!.Values, [11, 20, 31])
    const first = await cw.send(new GetMetricDataCommand({ ...input, MaxDatapoints: 4 }))
    assert.deepEqual(first.MetricDataResults!.map((r) => [r.Id, r.Values!.length, r.StatusCode]), [['rate', 3, 'Complete'], ['total', 1, 'PartialData']])
    const second = await cw.send(new GetMetricDataCommand({ ...input, MaxDatapoints: 4, NextToken: first.NextToken }))
    assert.deepEqual(second.MetricDataResults!.map((r) => [r.Id, r.Values]), [['total', [20, 11]]])
    assert.equal(second.NextToken, undefined)
    const bad = await sdkError(cw.send(new GetMetricDataCommand({ ...input, MetricDataQueries: [{ Id: 'e1', Expression: 'SUM(' }] })))
    assert.deepEqual([bad.code, bad.status], ['InvalidParameterValue', 400])
  })
})

describe('dashboards and tags', () => {
  it('stores dashboards with JSON bodies and lists them; tags alarms', async () => {
    const cw = cloudWatchClient(nimbus.current)
    const name = uniqueName('dash')
    const body = JSON.stringify({ widgets: [{ type: 'text', x: 0, y: 0, width: 6, height: 3, properties: { markdown: 'hi' } }] })
    await cw.send(new PutDashboardCommand({ DashboardName: name, DashboardBody: body }))
    const got = await cw.send(new GetDashboardCommand({ DashboardName: name }))
    assert.deepEqual([got.DashboardName, got.DashboardBody, got.DashboardArn], [name, body, `arn:aws:cloudwatch::000000000000:dashboard/${name}`])
    assert.deepEqual((await cw.send(new ListDashboardsCommand({ DashboardNamePrefix: name }))).DashboardEntries!.map((d) => d.DashboardName), [name])
    const invalid = await sdkError(cw.send(new PutDashboardCommand({ DashboardName: name, DashboardBody: '{nope' })))
    assert.deepEqual([invalid.code, invalid.status], ['InvalidParameterInput', 400])
    await cw.send(new DeleteDashboardsCommand({ DashboardNames: [name] }))
    const gone = await sdkError(cw.send(new GetDashboardCommand({ DashboardName: name })))
    assert.deepEqual([gone.code, gone.status], ['ResourceNotFound', 404])

    const alarm = uniqueName('tagged')
    await cw.send(new PutMetricAlarmCommand({ AlarmName: alarm, Namespace: 'n', MetricName: 'm', Statistic: 'Sum', Period: 60,
      EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', Tags: [{ Key: 'team', Value: 'a' }] }))
    const arn = `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${alarm}`
    await cw.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'env', Value: 'dev' }] }))
    await cw.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['team'] }))
    assert.deepEqual((await cw.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags, [{ Key: 'env', Value: 'dev' }])
  })
})
