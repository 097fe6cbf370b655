// PutEvents → rules (indexed patterns) → targets: the envelope AWS delivers and each target kind.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateEventBusCommand, PutEventsCommand, PutPermissionCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge'
import { CreateLogGroupCommand, CloudWatchLogsClient, GetLogEventsCommand, DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns'
import { testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { account, busArn, createQueue, ebClient, receive, receiveBodies, region, sqsClient } from './fixtures.ts'

const nimbus = useNimbus()
const eb = () => ebClient(nimbus.current)
const sqs = () => sqsClient(nimbus.current)

/** A rule on `bus` routing to a fresh queue; returns the queue. */
async function ruleToQueue(eventPattern: object, bus?: string) {
  const queue = await createQueue(sqs())
  const name = uniqueName('rule')
  await eb().send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify(eventPattern), EventBusName: bus }))
  await eb().send(new PutTargetsCommand({ Rule: name, EventBusName: bus, Targets: [{ Id: 'q', Arn: queue.arn }] }))
  return { queue, name }
}

describe('EventBridge routing', () => {
  it('delivers the event AWS builds, in AWS key order, to an SQS target', async () => {
    const source = uniqueName('orders')
    const { queue } = await ruleToQueue({ source: [source] })
    const time = new Date('2024-05-01T10:20:30.456Z')
    const { Entries, FailedEntryCount } = await eb().send(new PutEventsCommand({ Entries: [{
      Source: source, DetailType: 'Order Placed', Detail: '{"id": 7, "items": [1, 2]}', Resources: ['arn:aws:s3:::b'], Time: time,
    }] }))
    assert.equal(FailedEntryCount, 0)
    const [message] = await receive(sqs(), queue)
    const event = JSON.parse(message!.Body!)
    assert.deepEqual(Object.keys(event), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail'])
    assert.deepEqual(event, {
      version: '0', id: Entries![0]!.EventId, 'detail-type': 'Order Placed', source, account, time: '2024-05-01T10:20:30Z',
      region, resources: ['arn:aws:s3:::b'], detail: { id: 7, items: [1, 2] },
    })
  })

  it('matches numeric ranges and prefixes, and ignores events that do not match', async () => {
    const source = uniqueName('shop')
    const { queue } = await ruleToQueue({ source: [source], detail: { amount: [{ numeric: ['>', 100, '<=', 500] }], sku: [{ prefix: 'BK-' }] } })
    const put = (detail: object) => ({ Source: source, DetailType: 'sale', Detail: JSON.stringify(detail) })
    await eb().send(new PutEventsCommand({ Entries: [
      put({ amount: 150, sku: 'BK-1' }), put({ amount: 50, sku: 'BK-2' }), put({ amount: 500, sku: 'XX-3' }),
      put({ amount: '150', sku: 'BK-4' }), put({ amount: 500, sku: 'BK-5' }),
    ] }))
    const skus = (await receiveBodies(sqs(), queue)).map((e) => e.detail.sku).sort()
    assert.deepEqual(skus, ['BK-1', 'BK-5'])
  })

  it('does not deliver through disabled rules', async () => {
    const source = uniqueName('off')
    const { queue, name } = await ruleToQueue({ source: [source] })
    await eb().send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify({ source: [source] }), State: 'DISABLED' }))
    // A control rule on the same pattern: its delivery proves the event was routed (same tick).
    const control = await ruleToQueue({ source: [source] })
    await eb().send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'x', Detail: '{}' }] }))
    assert.equal((await receive(sqs(), control.queue)).length, 1)
    assert.deepEqual(await receive(sqs(), queue), [])
  })

  it('routes on a custom bus named by ARN, and one event to several targets', async () => {
    const bus = uniqueName('bus')
    await eb().send(new CreateEventBusCommand({ Name: bus }))
    const source = uniqueName('multi')
    const a = await ruleToQueue({ source: [source] }, bus)
    const b = await ruleToQueue({ 'detail-type': ['ping'] }, bus)
    await eb().send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'ping', Detail: '{}', EventBusName: busArn(bus) }] }))
    assert.equal((await receive(sqs(), a.queue)).length, 1)
    assert.equal((await receive(sqs(), b.queue)).length, 1)
  })

  it('sends to FIFO queues with the target MessageGroupId', async () => {
    const source = uniqueName('fifo')
    const queue = await createQueue(sqs(), { ContentBasedDeduplication: 'true' }, true)
    const name = uniqueName('rule')
    await eb().send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify({ source: [source] }) }))
    await eb().send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'f', Arn: queue.arn, SqsParameters: { MessageGroupId: 'g1' } }] }))
    await eb().send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'x', Detail: '{"n":1}' }] }))
    const [message] = await receive(sqs(), queue)
    assert.equal(message?.Attributes?.MessageGroupId, 'g1')
    assert.deepEqual(JSON.parse(message!.Body!).detail, { n: 1 })
  })

  it('publishes to SNS topics (and on to their subscribers)', async () => {
    const sns = new SNSClient({ endpoint: nimbus.current.endpoint, region, credentials: testCredentials })
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('t') }))
    const queue = await createQueue(sqs())
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queue.arn, Attributes: { RawMessageDelivery: 'true' } }))
    const source = uniqueName('sns')
    const name = uniqueName('rule')
    await eb().send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify({ source: [source] }) }))
    await eb().send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'topic', Arn: TopicArn! }] }))
    await eb().send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'x', Detail: '{"via":"sns"}' }] }))
    const [event] = await receiveBodies(sqs(), queue)
    assert.equal(event.source, source)
    assert.deepEqual(event.detail, { via: 'sns' })
  })

  it('forwards to another account\'s bus when its policy allows it', async () => {
    const other = '111122223333'
    const otherCredentials = { accessKeyId: other, secretAccessKey: 'x' }
    const otherEb = ebClient(nimbus.current, otherCredentials)
    const otherBus = uniqueName('central')
    await otherEb.send(new CreateEventBusCommand({ Name: otherBus }))
    await otherEb.send(new PutPermissionCommand({ EventBusName: otherBus, Action: 'events:PutEvents', Principal: account, StatementId: 'in' }))
    // A queue in the other account receives what its bus routes.
    const otherSqs = sqsClient(nimbus.current, otherCredentials)
    const queue = await createQueue(otherSqs)
    const source = uniqueName('x-acct')
    await otherEb.send(new PutRuleCommand({ Name: 'collect', EventBusName: otherBus, EventPattern: JSON.stringify({ source: [source] }) }))
    await otherEb.send(new PutTargetsCommand({ Rule: 'collect', EventBusName: otherBus, Targets: [{ Id: 'q', Arn: queue.arn }] }))
    const forward = uniqueName('rule')
    const otherBusArn = `arn:aws:events:${region}:${other}:event-bus/${otherBus}`
    await eb().send(new PutRuleCommand({ Name: forward, EventPattern: JSON.stringify({ source: [source] }) }))
    await eb().send(new PutTargetsCommand({ Rule: forward, Targets: [{ Id: 'bus', Arn: otherBusArn }] }))
    await eb().send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'x', Detail: '{"hop":1}' }] }))
    assert.ok(queue.arn.includes(`:${other}:`))
    const [event] = await receiveBodies(otherSqs, queue)
    assert.equal(event.account, account)
    assert.deepEqual(event.detail, { hop: 1 })
  })

  it('writes events to a CloudWatch Logs log group', async () => {
    const logs = new CloudWatchLogsClient({ endpoint: nimbus.current.endpoint, region, credentials: testCredentials })
    const group = `/aws/events/${uniqueName('g')}`
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }))
    const source = uniqueName('logs')
    const name = uniqueName('rule')
    await eb().send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify({ source: [source] }) }))
    await eb().send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'log', Arn: `arn:aws:logs:${region}:${account}:log-group:${group}` }] }))
    const { Entries } = await eb().send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'x', Detail: '{"l":1}' }] }))
    const { logStreams } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }))
    assert.deepEqual(logStreams?.map((s) => s.logStreamName), [Entries![0]!.EventId])
    const { events } = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: Entries![0]!.EventId! }))
    assert.deepEqual(JSON.parse(events![0]!.message!).detail, { l: 1 })
  })
})
