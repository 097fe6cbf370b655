// CloudWatch alarms end to end on the manual clock: M out of N, TreatMissingData, SetAlarmState,
// composite alarms, history, and actions — SNS (AWS's notification JSON reaching an SQS
// subscriber) and the "CloudWatch Alarm State Change" event on EventBridge's default bus.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DescribeAlarmHistoryCommand, DescribeAlarmsCommand, PutCompositeAlarmCommand, PutMetricAlarmCommand, PutMetricDataCommand,
  type PutMetricAlarmCommandInput, SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch'
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge'
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { advanceTo, cloudWatchClient, minuteNow } from '../../helpers/cloudwatch.ts'
import { testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { createTopic, snsClient, subscribeQueue } from '../../helpers/sns.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()

interface AlarmDetail {
  alarmName: string
  state: { value: string }
  previousState: { value: string }
  configuration: { metrics: { metricStat: { metric: unknown } }[] }
}
const minute = 60_000

async function stateOf(name: string): Promise<string | undefined> {
  const out = await cloudWatchClient(nimbus.current).send(new DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }))
  return out.MetricAlarms?.[0]?.StateValue ?? out.CompositeAlarms?.[0]?.StateValue
}

/** An alarm on its own metric (Maximum over 60 s > 5); returns its name and namespace. */
async function alarm(extra: Partial<PutMetricAlarmCommandInput> = {}) {
  const name = uniqueName('alarm')
  const ns = uniqueName('ns')
  await cloudWatchClient(nimbus.current).send(new PutMetricAlarmCommand({
    AlarmName: name, Namespace: ns, MetricName: 'Errors', Statistic: 'Maximum', Period: 60, EvaluationPeriods: 1,
    Threshold: 5, ComparisonOperator: 'GreaterThanThreshold', ...extra,
  }))
  return { name, ns }
}

/** Puts one value per minute starting at `from` (undefined = no datapoint that minute). */
async function series(ns: string, from: number, values: (number | undefined)[]) {
  const data = values.flatMap((v, i) => (v === undefined ? [] : [{ MetricName: 'Errors', Value: v, Timestamp: new Date(from + i * minute + 1000) }]))
  if (data.length > 0) await cloudWatchClient(nimbus.current).send(new PutMetricDataCommand({ Namespace: ns, MetricData: data }))
}

describe('CloudWatch alarms', () => {
  it('goes to ALARM on 2 breaching datapoints out of 3 and back to OK, with AWS\'s reason', async () => {
    const t = minuteNow(nimbus.current) + minute
    const { name, ns } = await alarm({ EvaluationPeriods: 3, DatapointsToAlarm: 2, TreatMissingData: 'notBreaching' })
    await series(ns, t, [9, 1, 9, 1, 1, 1])
    await advanceTo(nimbus.current, t + 2 * minute)
    assert.equal(await stateOf(name), 'OK')
    await advanceTo(nimbus.current, t + 3 * minute)
    assert.equal(await stateOf(name), 'ALARM')
    const described = await cloudWatchClient(nimbus.current).send(new DescribeAlarmsCommand({ AlarmNames: [name] }))
    assert.match(described.MetricAlarms![0]!.StateReason!,
      /^Threshold Crossed: 2 out of the last 3 datapoints \[9\.0 \(.+\), 1\.0 \(.+\), 9\.0 \(.+\)\] were greater than the threshold \(5\.0\) \(minimum 2 datapoints for OK -> ALARM transition\)\.$/)
    await advanceTo(nimbus.current, t + 5 * minute)
    assert.equal(await stateOf(name), 'OK')
    const history = await cloudWatchClient(nimbus.current).send(new DescribeAlarmHistoryCommand({ AlarmName: name, HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending' }))
    assert.deepEqual(history.AlarmHistoryItems!.map((h) => [h.HistorySummary, h.Timestamp!.getTime() - t]), [
      ['Alarm updated from INSUFFICIENT_DATA to OK', 0],
      ['Alarm updated from OK to ALARM', 3 * minute],
      ['Alarm updated from ALARM to OK', 4 * minute],
    ])
  })

  it('treats a window with no data as each TreatMissingData says: missing, breaching, notBreaching, ignore', async () => {
    const t = minuteNow(nimbus.current) + minute
    const missing = await alarm({ TreatMissingData: 'missing' })
    const breaching = await alarm({ TreatMissingData: 'breaching' })
    const notBreaching = await alarm({ TreatMissingData: 'notBreaching' })
    const ignore = await alarm({ TreatMissingData: 'ignore' })
    await advanceTo(nimbus.current, t + 2 * minute)
    assert.deepEqual(await Promise.all([missing, breaching, notBreaching, ignore].map((a) => stateOf(a.name))),
      ['INSUFFICIENT_DATA', 'ALARM', 'OK', 'INSUFFICIENT_DATA'])
    // ignore keeps whatever state it had: OK after a good datapoint, still OK once data stops.
    await series(ignore.ns, t + 2 * minute, [1])
    await advanceTo(nimbus.current, t + 4 * minute)
    assert.equal(await stateOf(ignore.name), 'OK')
    await advanceTo(nimbus.current, t + 30 * minute)
    assert.equal(await stateOf(ignore.name), 'OK')
    assert.equal(await stateOf(missing.name), 'INSUFFICIENT_DATA')
  })

  it('SetAlarmState holds until the next evaluation; unknown alarms are ResourceNotFound', async () => {
    const t = minuteNow(nimbus.current) + minute
    const { name } = await alarm({ TreatMissingData: 'notBreaching' })
    await advanceTo(nimbus.current, t + minute)
    assert.equal(await stateOf(name), 'OK')
    await cloudWatchClient(nimbus.current).send(new SetAlarmStateCommand({ AlarmName: name, StateValue: 'ALARM', StateReason: 'testing' }))
    assert.equal(await stateOf(name), 'ALARM')
    await advanceTo(nimbus.current, t + 2 * minute)
    assert.equal(await stateOf(name), 'OK')
    const error = await sdkError(cloudWatchClient(nimbus.current).send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'OK', StateReason: 'x' })))
    assert.deepEqual([error.code, error.status], ['ResourceNotFound', 404])
  })

  it('evaluates composite alarms when their children change: ALARM(a) AND NOT OK(b)', async () => {
    const t = minuteNow(nimbus.current) + minute
    const a = await alarm({ TreatMissingData: 'notBreaching' })
    const b = await alarm({ TreatMissingData: 'notBreaching' })
    const parent = uniqueName('composite')
    await cloudWatchClient(nimbus.current).send(new PutCompositeAlarmCommand({ AlarmName: parent,
      AlarmRule: `ALARM("${a.name}") AND NOT OK(${b.name})` }))
    assert.equal(await stateOf(parent), 'OK')
    await series(a.ns, t, [9])
    await series(b.ns, t, [9])
    await advanceTo(nimbus.current, t + minute)
    assert.equal(await stateOf(parent), 'ALARM')
    await advanceTo(nimbus.current, t + 2 * minute)
    assert.equal(await stateOf(parent), 'OK')
    const bad = await sdkError(cloudWatchClient(nimbus.current).send(new PutCompositeAlarmCommand({ AlarmName: uniqueName('c'), AlarmRule: 'ALARM(x) AND' })))
    assert.deepEqual([bad.code, bad.status], ['InvalidParameterValue', 400])
  })

  it('publishes AWS\'s notification JSON to an SNS topic and the state change event to the default bus', async () => {
    const sqs = new SQSClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const queue = async () => {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('q') }))
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))
      return { url: QueueUrl!, arn: Attributes!.QueueArn! }
    }
    const notifications = await queue()
    const events = await queue()
    const sns = snsClient(nimbus.current)
    const topic = await createTopic(sns)
    await subscribeQueue(sns, topic, notifications.arn, { RawMessageDelivery: 'true' })
    const eb = new EventBridgeClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const rule = uniqueName('rule')
    await eb.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'] }) }))
    await eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'q', Arn: events.arn }] }))

    const t = minuteNow(nimbus.current) + minute
    const { name, ns } = await alarm({ AlarmActions: [topic], AlarmDescription: 'too many errors' })
    await series(ns, t, [9])
    await advanceTo(nimbus.current, t + minute)
    await advanceTo(nimbus.current, t + minute + 1000)

    const [note] = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: notifications.url }))).Messages ?? []
    const message = JSON.parse(note!.Body!) as Record<string, unknown>
    assert.equal(message.AlarmName, name)
    assert.equal(message.AlarmDescription, 'too many errors')
    assert.equal(message.AWSAccountId, '000000000000')
    assert.equal(message.NewStateValue, 'ALARM')
    assert.equal(message.OldStateValue, 'INSUFFICIENT_DATA')
    assert.equal(message.Region, 'US East (N. Virginia)')
    assert.equal(message.AlarmArn, `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${name}`)
    assert.match(String(message.StateChangeTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+0000$/)
    assert.deepEqual(message.Trigger, {
      MetricName: 'Errors', Namespace: ns, StatisticType: 'Statistic', Statistic: 'MAXIMUM', Unit: null, Dimensions: [],
      Period: 60, EvaluationPeriods: 1, DatapointsToAlarm: 1, ComparisonOperator: 'GreaterThanThreshold', Threshold: 5,
      TreatMissingData: 'missing', EvaluateLowSampleCountPercentile: '',
    })

    const [event] = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: events.url }))).Messages ?? []
    const envelope = JSON.parse(event!.Body!) as { source: string; 'detail-type': string; resources: string[]; detail: AlarmDetail }
    assert.equal(envelope.source, 'aws.cloudwatch')
    assert.equal(envelope['detail-type'], 'CloudWatch Alarm State Change')
    assert.deepEqual(envelope.resources, [message.AlarmArn])
    assert.equal(envelope.detail.alarmName, name)
    assert.equal(envelope.detail.state.value, 'ALARM')
    assert.equal(envelope.detail.previousState.value, 'INSUFFICIENT_DATA')
    assert.deepEqual(envelope.detail.configuration.metrics[0]!.metricStat.metric, { namespace: ns, name: 'Errors', dimensions: {} })

    const actions = await cloudWatchClient(nimbus.current).send(new DescribeAlarmHistoryCommand({ AlarmName: name, HistoryItemType: 'Action' }))
    assert.deepEqual(actions.AlarmHistoryItems!.map((h) => h.HistorySummary), [`Successfully executed action ${topic}`])
  })

  it('refuses invalid actions and DatapointsToAlarm above EvaluationPeriods', async () => {
    const cw = cloudWatchClient(nimbus.current)
    const base = { AlarmName: uniqueName('a'), Namespace: 'n', MetricName: 'm', Statistic: 'Sum' as const, Period: 60, EvaluationPeriods: 2,
      Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' as const }
    const action = await sdkError(cw.send(new PutMetricAlarmCommand({ ...base, AlarmActions: ['arn:aws:s3:::bucket'] })))
    assert.deepEqual([action.code, action.status], ['InvalidParameterValue', 400])
    const m = await sdkError(cw.send(new PutMetricAlarmCommand({ ...base, DatapointsToAlarm: 3 })))
    assert.equal(m.code, 'InvalidParameterValue')
    // An EC2 action needs the alarm to watch an instance (an InstanceId dimension).
    const ec2 = await sdkError(cw.send(new PutMetricAlarmCommand({ ...base, AlarmActions: ['arn:aws:automate:us-east-1:ec2:stop'] })))
    assert.deepEqual([ec2.code, ec2.status, ec2.message], ['ValidationError', 400,
      'Invalid use of EC2 action. An EC2 action can only be used if the alarm is monitoring an EC2 instance.'])
    await cw.send(new PutMetricAlarmCommand({ ...base, Dimensions: [{ Name: 'InstanceId', Value: 'i-0123456789abcdef0' }],
      AlarmActions: ['arn:aws:automate:us-east-1:ec2:stop'] }))
  })

  it('jumps 30 days with 100 alarms without walking idle minutes', async () => {
    const cw = cloudWatchClient(nimbus.current)
    const t = minuteNow(nimbus.current) + minute
    const before = (nimbus.current.health().cloudwatch as { evaluations: number }).evaluations
    const names: string[] = []
    for (let i = 0; i < 100; i++) {
      const a = await alarm({ TreatMissingData: i % 2 === 0 ? 'missing' : 'notBreaching', EvaluationPeriods: 3, DatapointsToAlarm: 2 })
      names.push(a.name)
      await series(a.ns, t, [9, 9, 1])
    }
    await advanceTo(nimbus.current, t + 30 * 86_400_000)
    const evaluations = (nimbus.current.health().cloudwatch as { evaluations: number }).evaluations - before
    // Each alarm: → ALARM, → OK (or INSUFFICIENT_DATA) when the data leaves the window; nothing for 43,200 idle minutes.
    assert.ok(evaluations <= 400, `${evaluations} evaluations`)
    const all = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'alarm-', MaxRecords: 100 }))
    assert.ok(all.MetricAlarms!.length > 0)
    const states = await Promise.all(names.map(stateOf))
    assert.equal(states.filter((s) => s === 'OK').length, 50)
    assert.equal(states.filter((s) => s === 'INSUFFICIENT_DATA').length, 50)
    const history = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: names[0], HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending' }))
    assert.deepEqual(history.AlarmHistoryItems!.map((h) => h.HistorySummary), [
      'Alarm updated from INSUFFICIENT_DATA to ALARM', 'Alarm updated from ALARM to OK', 'Alarm updated from OK to INSUFFICIENT_DATA'])
  })
})
