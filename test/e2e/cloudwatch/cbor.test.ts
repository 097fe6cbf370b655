// CloudWatch over Smithy RPC v2 CBOR, spoken by the SDK's own CBOR protocol (what botocore's model
// lists first and newer SDKs send): values, timestamps (tag 1), lists, errors with query codes.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols'
import {
  CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricAlarmCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch'
import { minuteNow } from '../../helpers/cloudwatch.ts'
import { testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest, signedBy } from '../../helpers/raw-http.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const minute = 60_000

const cborClient = () => new CloudWatchClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials,
  maxAttempts: 1, protocol: AwsSmithyRpcV2CborProtocol })

describe('CloudWatch over Smithy RPC v2 CBOR', () => {
  it('puts datapoints and reads statistics, metric data, metrics and alarms back', async () => {
    const cw = cborClient()
    const ns = uniqueName('ns')
    const t = minuteNow(nimbus.current) - 5 * minute
    await cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: [
      { MetricName: 'Load', Dimensions: [{ Name: 'Host', Value: 'a' }], Values: [0.5, 1.5], Counts: [1, 3], Timestamp: new Date(t + 1500) },
    ] }))
    const stats = await cw.send(new GetMetricStatisticsCommand({ Namespace: ns, MetricName: 'Load', Dimensions: [{ Name: 'Host', Value: 'a' }],
      StartTime: new Date(t), EndTime: new Date(t + minute), Period: 60, Statistics: ['Average', 'SampleCount'], ExtendedStatistics: ['p25'] }))
    assert.deepEqual(stats.Datapoints, [{ Timestamp: new Date(t), Average: 1.25, SampleCount: 4, Unit: 'None', ExtendedStatistics: { p25: 0.5 } }])
    const data = await cw.send(new GetMetricDataCommand({ StartTime: new Date(t), EndTime: new Date(t + minute), MetricDataQueries: [
      { Id: 'm', MetricStat: { Metric: { Namespace: ns, MetricName: 'Load', Dimensions: [{ Name: 'Host', Value: 'a' }] }, Period: 60, Stat: 'Sum' } },
    ] }))
    assert.deepEqual(data.MetricDataResults!.map((r) => [r.Id, r.Timestamps, r.Values]), [['m', [new Date(t)], [5]]])
    assert.deepEqual((await cw.send(new ListMetricsCommand({ Namespace: ns }))).Metrics,
      [{ Namespace: ns, MetricName: 'Load', Dimensions: [{ Name: 'Host', Value: 'a' }] }])
    const name = uniqueName('cbor-alarm')
    await cw.send(new PutMetricAlarmCommand({ AlarmName: name, Namespace: ns, MetricName: 'Load', Statistic: 'Average', Period: 60,
      EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' }))
    const alarms = await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))
    assert.equal(alarms.MetricAlarms![0]!.StateValue, 'INSUFFICIENT_DATA')
    assert.ok(alarms.MetricAlarms![0]!.StateUpdatedTimestamp instanceof Date)
  })

  it('answers errors as the SDK reads them: the shape name, and the query code beside it', async () => {
    const error = await sdkError(cborClient().send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'x', Value: 1, StorageResolution: 3 }] })))
    assert.deepEqual([error.name, error.code, error.status], ['InvalidParameterValueException', 'InvalidParameterValue', 400])
  })

  it('answers a body that is not CBOR with a SerializationException in CBOR', async () => {
    const response = await rawRequest(nimbus.current.endpoint, { path: '/service/GraniteServiceVersion20100801/operation/ListMetrics',
      headers: { ...signedBy('monitoring'), 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor' }, body: Buffer.from([0x62, 0x61]) })
    assert.equal(response.status, 400)
    assert.equal(response.headers['smithy-protocol'], 'rpc-v2-cbor')
    assert.match(response.body, /SerializationException/)
  })
})
