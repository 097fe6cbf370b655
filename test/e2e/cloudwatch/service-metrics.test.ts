// AWS/SQS and AWS/Lambda metrics on the manual clock, computed lazily from the services' in-memory
// logs: SQS counters per minute and gauges as steps (an alarm on the backlog fires its SNS action),
// Lambda's Invocations/Errors/Duration after real invocations.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch'
import { InvokeCommand } from '@aws-sdk/client-lambda'
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand,
  SQSClient } from '@aws-sdk/client-sqs'
import { advanceTo, cloudWatchClient, minuteNow } from '../../helpers/cloudwatch.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { createTopic, snsClient, subscribeQueue } from '../../helpers/sns.ts'

const nimbus = useNimbus()
const minute = 60_000
const sqsClient = () => new SQSClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })

async function queue(sqs: SQSClient): Promise<{ name: string; url: string; arn: string }> {
  const name = uniqueName('q')
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }))
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))
  return { name, url: QueueUrl!, arn: Attributes!.QueueArn! }
}

const stats = (namespace: string, metric: string, dimensions: { Name: string; Value: string }[], from: number, to: number,
  statistics: ('Sum' | 'Average' | 'Maximum' | 'Minimum' | 'SampleCount')[], extended?: string[], period = 60) =>
  cloudWatchClient(nimbus.current).send(new GetMetricStatisticsCommand({ Namespace: namespace, MetricName: metric, Dimensions: dimensions,
    StartTime: new Date(from), EndTime: new Date(to), Period: period, Statistics: statistics, ExtendedStatistics: extended }))

describe('AWS/SQS metrics', () => {
  it('counts sends, receives, deletes and empty receives per minute, and the backlog as a step series', async () => {
    const sqs = sqsClient()
    const q = await queue(sqs)
    const t = minuteNow(nimbus.current) + minute
    await advanceTo(nimbus.current, t + 1000)
    for (let i = 0; i < 7; i++) await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'x'.repeat(10 + i) }))
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, MaxNumberOfMessages: 2, VisibilityTimeout: 600 }))
    await sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: got.Messages![0]!.ReceiptHandle! }))
    await advanceTo(nimbus.current, t + 2 * minute)
    const empty = await queue(sqs)
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: empty.url }))
    // Hours later, nothing more happened: one read covers the whole range.
    await advanceTo(nimbus.current, t + 3 * 3_600_000)
    const dims = [{ Name: 'QueueName', Value: q.name }]
    const sum = async (metric: string) => (await stats('AWS/SQS', metric, dims, t, t + minute, ['Sum'])).Datapoints!.map((d) => d.Sum)
    assert.deepEqual(await sum('NumberOfMessagesSent'), [7])
    assert.deepEqual(await sum('NumberOfMessagesReceived'), [2])
    assert.deepEqual(await sum('NumberOfMessagesDeleted'), [1])
    const size = (await stats('AWS/SQS', 'SentMessageSize', dims, t, t + minute, ['Average', 'Maximum', 'Minimum', 'SampleCount'])).Datapoints!
    assert.deepEqual(size.map((d) => [d.SampleCount, d.Minimum, d.Maximum, d.Average, d.Unit]), [[7, 10, 16, 13, 'Bytes']])
    const emptyDims = [{ Name: 'QueueName', Value: empty.name }]
    assert.deepEqual((await stats('AWS/SQS', 'NumberOfEmptyReceives', emptyDims, t + minute, t + 2 * minute + minute, ['Sum'])).Datapoints!
      .map((d) => d.Sum), [1])
    // The backlog stays 6 visible minute after minute until the 10-minute visibility timeout ends (then 7).
    const visible = (await stats('AWS/SQS', 'ApproximateNumberOfMessagesVisible', dims, t, t + 30 * minute, ['Maximum'])).Datapoints!
      .sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime())
    assert.equal(visible.length, 30)
    assert.equal(visible[0]!.Maximum, 5)
    assert.equal(visible[20]!.Maximum, 6)
    const listed = await cloudWatchClient(nimbus.current).send(new ListMetricsCommand({ Namespace: 'AWS/SQS', Dimensions: dims }))
    assert.ok(listed.Metrics!.some((m) => m.MetricName === 'ApproximateAgeOfOldestMessage'))
  })

  it('an alarm on ApproximateNumberOfMessagesVisible > 5 goes to ALARM and notifies its SNS topic', async () => {
    const sqs = sqsClient()
    const q = await queue(sqs)
    const notifications = await queue(sqs)
    const sns = snsClient(nimbus.current)
    const topic = await createTopic(sns)
    await subscribeQueue(sns, topic, notifications.arn, { RawMessageDelivery: 'true' })
    const cw = cloudWatchClient(nimbus.current)
    const name = uniqueName('backlog')
    await cw.send(new PutMetricAlarmCommand({ AlarmName: name, Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: q.name }], Statistic: 'Maximum', Period: 60, EvaluationPeriods: 1, Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [topic] }))
    const t = minuteNow(nimbus.current)
    for (let i = 0; i < 8; i++) await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: `m${i}` }))
    await advanceTo(nimbus.current, t + minute)
    await advanceTo(nimbus.current, t + 3 * minute)
    const state = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms![0]!.StateValue
    assert.equal(state, 'ALARM')
    const [note] = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: notifications.url }))).Messages ?? []
    const message = JSON.parse(note!.Body!) as Record<string, unknown>
    assert.equal(message.AlarmName, name)
    assert.equal(message.NewStateValue, 'ALARM')
    // 30 idle days: the backlog stays until its 4-day retention ends (one sample then), and the jump
    // costs a handful of evaluations, not one per minute.
    const health = () => (nimbus.current.health().cloudwatch as { evaluations: number }).evaluations
    const before = health()
    await advanceTo(nimbus.current, t + 30 * 86_400_000)
    assert.equal((await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms![0]!.StateValue, 'OK')
    assert.ok(health() - before < 50, `a 30-day jump evaluated ${health() - before} times`)
    // Back to OK when the messages expired (4 days in), not at the jump's end.
    const history = (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: name, HistoryItemType: 'StateUpdate' }))).AlarmHistoryItems!
    const ok = history.find((h) => h.HistorySummary === 'Alarm updated from ALARM to OK')!
    const at = ok.Timestamp!.getTime() - t
    assert.ok(at >= 4 * 86_400_000 && at <= 4 * 86_400_000 + 3 * minute, `OK after ${at} ms`)
    // 26 days back, only hourly statistics are kept (1-minute ones for 15 days).
    const visible = (await stats('AWS/SQS', 'ApproximateNumberOfMessagesVisible', [{ Name: 'QueueName', Value: q.name }],
      t + 4 * 86_400_000 - 3 * 3_600_000, t + 4 * 86_400_000 + 3 * 3_600_000, ['Maximum'], undefined, 3600)).Datapoints!.map((d) => d.Maximum)
    assert.ok(visible.length >= 5, JSON.stringify(visible))
    assert.ok(visible.includes(8) && visible.includes(0), JSON.stringify(visible))
  })

  it('an alarm on NumberOfMessagesSent (Sum) sees the whole minute, sent in separate requests', async () => {
    const sqs = sqsClient()
    const q = await queue(sqs)
    const cw = cloudWatchClient(nimbus.current)
    const name = uniqueName('sent')
    await cw.send(new PutMetricAlarmCommand({ AlarmName: name, Namespace: 'AWS/SQS', MetricName: 'NumberOfMessagesSent',
      Dimensions: [{ Name: 'QueueName', Value: q.name }], Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold' }))
    const t = minuteNow(nimbus.current)
    for (let i = 0; i < 6; i++) await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: `m${i}` }))
    // Evaluated when the minute ends (a minute later the datapoint leaves the window: no 0s for idle minutes).
    await advanceTo(nimbus.current, t + minute + 1000)
    assert.equal((await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms![0]!.StateValue, 'ALARM')
  })
})

describe('AWS/Lambda metrics', () => {
  it('counts Invocations and Errors per function and Resource, with Duration statistics', async () => {
    const lambda = lambdaClient(nimbus.current)
    const fn = await createFunction(lambda, 'exports.handler = async (e) => { if (e.fail) throw new Error("boom"); return 1 }')
    const t = minuteNow(nimbus.current)
    for (const fail of [false, false, true]) await lambda.send(new InvokeCommand({ FunctionName: fn, Payload: JSON.stringify({ fail }) }))
    await lambda.send(new InvokeCommand({ FunctionName: `${fn}:$LATEST`, Payload: '{}' }))
    await advanceTo(nimbus.current, t + 2 * minute)
    const dims = [{ Name: 'FunctionName', Value: fn }]
    const sum = async (metric: string, d = dims) => (await stats('AWS/Lambda', metric, d, t, t + minute, ['Sum'])).Datapoints!.map((p) => p.Sum)
    assert.deepEqual(await sum('Invocations'), [4])
    assert.deepEqual(await sum('Errors'), [1])
    assert.deepEqual(await sum('Throttles'), [0])
    assert.deepEqual(await sum('Invocations', [...dims, { Name: 'Resource', Value: `${fn}:$LATEST` }]), [1])
    const duration = (await stats('AWS/Lambda', 'Duration', dims, t, t + minute, ['SampleCount', 'Maximum'], ['p50'])).Datapoints!
    assert.equal(duration.length, 1)
    assert.equal(duration[0]!.SampleCount, 4)
    assert.ok(duration[0]!.Maximum! >= 0 && duration[0]!.ExtendedStatistics!.p50! >= 0)
  })

  it('an alarm on Errors > 0 goes to ALARM after a failing invocation', async () => {
    const lambda = lambdaClient(nimbus.current)
    const fn = await createFunction(lambda, 'exports.handler = async () => { throw new Error("boom") }')
    const cw = cloudWatchClient(nimbus.current)
    const name = uniqueName('errors')
    await cw.send(new PutMetricAlarmCommand({ AlarmName: name, Namespace: 'AWS/Lambda', MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: fn }], Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold' }))
    const t = minuteNow(nimbus.current)
    await lambda.send(new InvokeCommand({ FunctionName: fn, Payload: '{}' }))
    await advanceTo(nimbus.current, t + minute + 1000)
    assert.equal((await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms![0]!.StateValue, 'ALARM')
  })
})
