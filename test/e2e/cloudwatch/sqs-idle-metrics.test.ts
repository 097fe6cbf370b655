// AWS/SQS metrics between activity, on the manual clock: an active queue's counters publish 0s in quiet
// minutes (for six hours after activity, and while it holds messages), and the oldest message's age
// keeps growing without any call — so "consumer stopped" and "message stuck" alarms fire as on AWS.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DescribeAlarmsCommand, GetMetricStatisticsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch'
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { advanceTo, cloudWatchClient, minuteNow } from '../../helpers/cloudwatch.ts'
import { testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const minute = 60_000
const hour = 3_600_000
const sqsClient = () => new SQSClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })

async function queue(sqs: SQSClient): Promise<{ name: string; url: string }> {
  const name = uniqueName('q')
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }))
  return { name, url: QueueUrl! }
}

async function series(name: string, metric: string, statistic: 'Sum' | 'Maximum', from: number, to: number): Promise<[number, number][]> {
  const { Datapoints } = await cloudWatchClient(nimbus.current).send(new GetMetricStatisticsCommand({ Namespace: 'AWS/SQS',
    MetricName: metric, Dimensions: [{ Name: 'QueueName', Value: name }], StartTime: new Date(from), EndTime: new Date(to),
    Period: 60, Statistics: [statistic] }))
  return Datapoints!.map((d) => [(d.Timestamp!.getTime() - from) / minute, d[statistic]!] as [number, number]).sort((a, b) => a[0] - b[0])
}

const alarmState = async (name: string) =>
  (await cloudWatchClient(nimbus.current).send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms![0]!.StateValue

describe('AWS/SQS metrics in quiet minutes', () => {
  it('counters are 0 in quiet minutes while the queue is active, and stop six hours after its last activity once empty', async () => {
    const sqs = sqsClient()
    const q = await queue(sqs)
    const t = minuteNow(nimbus.current) + minute
    await advanceTo(nimbus.current, t + 1000)
    await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'one' }))
    const [m] = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url }))).Messages!
    await sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: m!.ReceiptHandle! }))
    await advanceTo(nimbus.current, t + 5 * minute)
    assert.deepEqual(await series(q.name, 'NumberOfMessagesSent', 'Sum', t, t + 5 * minute), [[0, 1], [1, 0], [2, 0], [3, 0], [4, 0]])
    assert.deepEqual(await series(q.name, 'NumberOfMessagesDeleted', 'Sum', t, t + 3 * minute), [[0, 1], [1, 0], [2, 0]])
    // The size of sent messages has no datapoint without a message.
    const { Datapoints } = await cloudWatchClient(nimbus.current).send(new GetMetricStatisticsCommand({ Namespace: 'AWS/SQS',
      MetricName: 'SentMessageSize', Dimensions: [{ Name: 'QueueName', Value: q.name }], StartTime: new Date(t),
      EndTime: new Date(t + 5 * minute), Period: 60, Statistics: ['Maximum'] }))
    assert.equal(Datapoints!.length, 1)
    // Empty and untouched: the 0s end six hours after the last activity.
    await advanceTo(nimbus.current, t + 8 * hour)
    const late = await series(q.name, 'NumberOfMessagesSent', 'Sum', t + 5 * hour, t + 7 * hour)
    assert.equal(late.length, 60, 'minutes 300–359 after it are 0s, then nothing')
    assert.ok(late.every(([, v]) => v === 0))
  })

  it('an alarm on NumberOfMessagesSent < 1 for 5 minutes (producer stopped) goes to ALARM while the backlog waits', async () => {
    const sqs = sqsClient()
    const q = await queue(sqs)
    const name = uniqueName('quiet')
    await cloudWatchClient(nimbus.current).send(new PutMetricAlarmCommand({ AlarmName: name, Namespace: 'AWS/SQS',
      MetricName: 'NumberOfMessagesSent', Dimensions: [{ Name: 'QueueName', Value: q.name }], Statistic: 'Sum', Period: 60,
      EvaluationPeriods: 5, Threshold: 1, ComparisonOperator: 'LessThanThreshold' }))
    const t = minuteNow(nimbus.current) + minute
    for (let i = 0; i < 4; i++) {
      await advanceTo(nimbus.current, t + i * minute + 1000)
      await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: `m${i}` }))
    }
    await advanceTo(nimbus.current, t + 5 * minute + 30_000)
    assert.notEqual(await alarmState(name), 'ALARM', 'one quiet minute is not five')
    await advanceTo(nimbus.current, t + 10 * minute)
    assert.equal(await alarmState(name), 'ALARM')
    // Messages stay in the queue: it stays active (0s) a day later, and the alarm stays in ALARM.
    await advanceTo(nimbus.current, t + 26 * hour)
    assert.equal(await alarmState(name), 'ALARM')
    assert.equal((await series(q.name, 'NumberOfMessagesSent', 'Sum', t + 25 * hour, t + 25 * hour + 10 * minute)).length, 10)
  })

  it('the oldest message ages minute by minute without any call, and an age alarm fires', async () => {
    const sqs = sqsClient()
    const q = await queue(sqs)
    const name = uniqueName('stuck')
    await cloudWatchClient(nimbus.current).send(new PutMetricAlarmCommand({ AlarmName: name, Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage', Dimensions: [{ Name: 'QueueName', Value: q.name }], Statistic: 'Maximum',
      Period: 60, EvaluationPeriods: 1, Threshold: 300, ComparisonOperator: 'GreaterThanThreshold' }))
    const t = minuteNow(nimbus.current) + minute
    await advanceTo(nimbus.current, t)
    await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'stuck' }))
    await advanceTo(nimbus.current, t + 4 * minute + 30_000)
    assert.notEqual(await alarmState(name), 'ALARM')
    assert.deepEqual(await series(q.name, 'ApproximateAgeOfOldestMessage', 'Maximum', t, t + 4 * minute), [[0, 60], [1, 120], [2, 180], [3, 240]])
    // 300 s is passed in the sixth minute: the alarm fires when that minute's datapoint is complete.
    await advanceTo(nimbus.current, t + 7 * minute)
    assert.equal(await alarmState(name), 'ALARM')
    // A day later (one clock jump) it is still the same message, a day old.
    await advanceTo(nimbus.current, t + 24 * hour + 2 * minute)
    const day = await series(q.name, 'ApproximateAgeOfOldestMessage', 'Maximum', t + 24 * hour, t + 24 * hour + minute)
    assert.deepEqual(day, [[0, 86_460]])
    // Consumed: the age falls to 0 and the alarm returns to OK.
    const [m] = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url }))).Messages!
    await sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: m!.ReceiptHandle! }))
    await advanceTo(nimbus.current, t + 24 * hour + 5 * minute)
    assert.equal(await alarmState(name), 'OK')
  })
})
