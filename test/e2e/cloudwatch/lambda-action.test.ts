// An alarm action that invokes a Lambda function: the function receives CloudWatch's documented
// event (source aws.cloudwatch, alarmArn, alarmData with state, previousState and configuration).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PutMetricAlarmCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { advanceTo, cloudWatchClient, minuteNow } from '../../helpers/cloudwatch.ts'
import { watchFunctionLog } from '../../helpers/function-log.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

interface AlarmEvent {
  source: string
  alarmArn: string
  accountId: string
  region: string
  time: string
  alarmData: {
    alarmName: string
    state: { value: string; reason: string; timestamp: string }
    previousState: { value: string }
    configuration: { description?: string; metrics: { id: string; metricStat: { metric: { namespace: string; name: string; dimensions: Record<string, string> }; period: number; stat: string }; returnData: boolean }[] }
  }
}

describe('CloudWatch alarm → Lambda', () => {
  it('invokes the function asynchronously with the documented alarm event', async () => {
    const lambda = lambdaClient(nimbus.current)
    const fn = await createFunction(lambda, 'exports.handler = async (event) => { console.log("EVENT " + JSON.stringify(event)) }')
    const arn = (await lambda.send(new GetFunctionCommand({ FunctionName: fn }))).Configuration!.FunctionArn!
    const log = watchFunctionLog(nimbus.current, fn)
    const cw = cloudWatchClient(nimbus.current)
    const name = uniqueName('alarm')
    const ns = uniqueName('ns')
    await cw.send(new PutMetricAlarmCommand({ AlarmName: name, AlarmDescription: 'queue backing up', Namespace: ns, MetricName: 'Depth',
      Dimensions: [{ Name: 'Queue', Value: 'jobs' }], Statistic: 'Maximum', Period: 60, EvaluationPeriods: 1, Threshold: 100,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold', AlarmActions: [arn] }))
    const t = minuteNow(nimbus.current) + 60_000
    await cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: [{ MetricName: 'Depth', Dimensions: [{ Name: 'Queue', Value: 'jobs' }],
      Value: 250, Timestamp: new Date(t + 1000) }] }))
    await advanceTo(nimbus.current, t + 60_000)
    await log.waitFor('EVENT ')
    const [event] = log.tagged<AlarmEvent>('EVENT')
    log.stop()
    assert.equal(event!.source, 'aws.cloudwatch')
    assert.equal(event!.alarmArn, `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${name}`)
    assert.deepEqual([event!.accountId, event!.region], ['000000000000', 'us-east-1'])
    assert.equal(event!.alarmData.alarmName, name)
    assert.equal(event!.alarmData.state.value, 'ALARM')
    assert.match(event!.alarmData.state.reason, /^Threshold Crossed: 1 datapoint \[250\.0 \(.+\)\] was greater than or equal to the threshold \(100\.0\)\.$/)
    assert.equal(event!.alarmData.previousState.value, 'INSUFFICIENT_DATA')
    assert.deepEqual(event!.alarmData.configuration, {
      description: 'queue backing up',
      metrics: [{ id: 'm1', metricStat: { metric: { namespace: ns, name: 'Depth', dimensions: { Queue: 'jobs' } }, period: 60, stat: 'Maximum' }, returnData: true }],
    })
  })
})
