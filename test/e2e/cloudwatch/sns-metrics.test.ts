// AWS/SNS metrics on the manual clock: messages published (and their size), notifications
// delivered, filtered out by scope, failed and redriven to a DLQ, per TopicName and per minute;
// an alarm on NumberOfNotificationsFailed goes to ALARM (and stays there: missing data is ignored).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DescribeAlarmsCommand, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch'
import { PublishCommand } from '@aws-sdk/client-sns'
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs'
import { advanceTo, cloudWatchClient, minuteNow } from '../../helpers/cloudwatch.ts'
import { testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { createTopic, snsClient, subscribeQueue } from '../../helpers/sns.ts'

const nimbus = useNimbus()
const minute = 60_000

async function queue(sqs: SQSClient): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('q') }))
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))
  return { url: QueueUrl!, arn: Attributes!.QueueArn! }
}

describe('AWS/SNS metrics', () => {
  it('counts published, delivered, filtered-out, failed and redriven notifications per topic and minute', async () => {
    const sqs = new SQSClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const sns = snsClient(nimbus.current)
    const topicArn = await createTopic(sns)
    const topicName = topicArn.split(':').pop()!
    const kept = await queue(sqs)
    const bodyFiltered = await queue(sqs)
    const attributeFiltered = await queue(sqs)
    const gone = await queue(sqs)
    const dlq = await queue(sqs)
    await subscribeQueue(sns, topicArn, kept.arn)
    await subscribeQueue(sns, topicArn, bodyFiltered.arn, { FilterPolicyScope: 'MessageBody', FilterPolicy: '{"kind":["never"]}' })
    await subscribeQueue(sns, topicArn, attributeFiltered.arn, { FilterPolicy: '{"kind":["never"]}' })
    await subscribeQueue(sns, topicArn, gone.arn, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) })
    await sqs.send(new DeleteQueueCommand({ QueueUrl: gone.url }))

    const cw = cloudWatchClient(nimbus.current)
    const alarm = uniqueName('sns-failed')
    await cw.send(new PutMetricAlarmCommand({ AlarmName: alarm, Namespace: 'AWS/SNS', MetricName: 'NumberOfNotificationsFailed',
      Dimensions: [{ Name: 'TopicName', Value: topicName }], Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'ignore' }))
    const t = minuteNow(nimbus.current) + minute
    await advanceTo(nimbus.current, t + 1000)
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: '{"kind":"a"}' }))
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: '{"kind":"bb"}' }))
    await advanceTo(nimbus.current, t + 3 * minute)

    const sum = async (metric: string, statistic: 'Sum' | 'Maximum' | 'Minimum' | 'SampleCount' = 'Sum') => (await cw.send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/SNS', MetricName: metric, Dimensions: [{ Name: 'TopicName', Value: topicName }],
      StartTime: new Date(t), EndTime: new Date(t + 5 * minute), Period: 60, Statistics: [statistic],
    }))).Datapoints!.map((d) => d[statistic])
    assert.deepEqual(await sum('NumberOfMessagesPublished'), [2])
    assert.deepEqual(await sum('PublishSize', 'Maximum'), [Buffer.byteLength('{"kind":"bb"}')])
    assert.deepEqual(await sum('PublishSize', 'SampleCount'), [2])
    // Two messages reached `kept`; the gone queue's two went to the DLQ (delivered there, failed here).
    assert.deepEqual(await sum('NumberOfNotificationsDelivered'), [2])
    assert.deepEqual(await sum('NumberOfNotificationsFailed'), [2])
    assert.deepEqual(await sum('NumberOfNotificationsRedrivenToDlq'), [2])
    assert.deepEqual(await sum('NumberOfNotificationsFilteredOut'), [4])
    assert.deepEqual(await sum('NumberOfNotificationsFilteredOut-MessageBody'), [2])
    assert.deepEqual(await sum('NumberOfNotificationsFilteredOut-MessageAttributes'), [2])

    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/SNS', Dimensions: [{ Name: 'TopicName', Value: topicName }] }))
    assert.deepEqual(listed.Metrics!.map((m) => m.MetricName).sort(), [
      'NumberOfMessagesPublished', 'NumberOfNotificationsDelivered', 'NumberOfNotificationsFailed', 'NumberOfNotificationsFilteredOut',
      'NumberOfNotificationsFilteredOut-MessageAttributes', 'NumberOfNotificationsFilteredOut-MessageBody',
      'NumberOfNotificationsRedrivenToDlq', 'PublishSize',
    ])
    const state = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [alarm] }))).MetricAlarms![0]!.StateValue
    assert.equal(state, 'ALARM')
  })
})
