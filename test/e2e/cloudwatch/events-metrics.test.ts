// AWS/Events metrics on the manual clock: TriggeredRules, Invocations, FailedInvocations,
// InvocationsSentToDlq and InvocationAttempts per rule (RuleName on the default bus, EventBusName +
// RuleName on a custom one), MatchedEvents and Invocations without dimensions.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GetMetricStatisticsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch'
import { CreateEventBusCommand, EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge'
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs'
import { advanceTo, cloudWatchClient, minuteNow } from '../../helpers/cloudwatch.ts'
import { testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const minute = 60_000

describe('AWS/Events metrics', () => {
  it('counts matched events, triggered rules and how each target invocation ended', async () => {
    const config = { endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials }
    const sqs = new SQSClient(config)
    const events = new EventBridgeClient(config)
    const queue = async () => {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('q') }))
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))
      return { url: QueueUrl!, arn: Attributes!.QueueArn! }
    }
    const ok = await queue()
    const gone = await queue()
    const dlq = await queue()
    const source = uniqueName('app')
    const rule = uniqueName('rule')
    await events.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: [source] }) }))
    await events.send(new PutTargetsCommand({ Rule: rule, Targets: [
      { Id: 'ok', Arn: ok.arn },
      { Id: 'gone', Arn: gone.arn, DeadLetterConfig: { Arn: dlq.arn } },
    ] }))
    const bus = uniqueName('bus')
    await events.send(new CreateEventBusCommand({ Name: bus }))
    const busRule = uniqueName('rule')
    await events.send(new PutRuleCommand({ Name: busRule, EventBusName: bus, EventPattern: JSON.stringify({ source: [source] }) }))
    await events.send(new PutTargetsCommand({ Rule: busRule, EventBusName: bus, Targets: [{ Id: 'gone', Arn: gone.arn, RetryPolicy: { MaximumRetryAttempts: 0 } }] }))
    await sqs.send(new DeleteQueueCommand({ QueueUrl: gone.url }))

    const t = minuteNow(nimbus.current) + minute
    await advanceTo(nimbus.current, t + 1000)
    const entry = { Source: source, DetailType: 'd', Detail: '{}' }
    await events.send(new PutEventsCommand({ Entries: [entry, entry, { ...entry, EventBusName: bus }, { ...entry, Source: 'nobody' }] }))
    await advanceTo(nimbus.current, t + 3 * minute)

    const cw = cloudWatchClient(nimbus.current)
    const sum = async (metric: string, dimensions: { Name: string; Value: string }[]) => (await cw.send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/Events', MetricName: metric, Dimensions: dimensions,
      StartTime: new Date(t), EndTime: new Date(t + 5 * minute), Period: 60, Statistics: ['Sum'],
    }))).Datapoints!.map((d) => d.Sum)
    const byRule = [{ Name: 'RuleName', Value: rule }]
    const byBusRule = [{ Name: 'EventBusName', Value: bus }, { Name: 'RuleName', Value: busRule }]
    assert.deepEqual(await sum('TriggeredRules', byRule), [2])
    // Two events × two targets; the gone queue's two went to the DLQ.
    assert.deepEqual(await sum('Invocations', byRule), [4])
    assert.deepEqual(await sum('InvocationsSentToDlq', byRule), [2])
    assert.deepEqual(await sum('FailedInvocations', byRule), [])
    assert.deepEqual(await sum('TriggeredRules', byBusRule), [1])
    assert.deepEqual(await sum('FailedInvocations', byBusRule), [1])
    // Three events matched a rule (the fourth matched none); five invocations in all.
    assert.deepEqual(await sum('MatchedEvents', []), [3])
    assert.deepEqual(await sum('Invocations', []), [5])

    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/Events', Dimensions: byBusRule }))
    assert.deepEqual(listed.Metrics!.map((m) => m.MetricName).sort(), ['FailedInvocations', 'InvocationAttempts', 'Invocations', 'TriggeredRules'])
  })
})
