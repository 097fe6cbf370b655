// What feeds Kinesis and Firehose, walked as the EventBridge and SNS guides set it up, on the manual
// clock: a rule with a Kinesis target (KinesisParameters.PartitionKeyPath, and the event id as the
// partition key without one) and a Firehose target, the event delivered as its JSON; an SNS
// subscription with protocol `firehose` (SubscriptionRoleArn), the notification archived as one JSON
// line, or the message itself with RawMessageDelivery.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge'
import { GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-kinesis'
import { PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns'
import { activeStream, kinesisClient, streamArn } from '../../../helpers/kinesis.ts'
import { advance, testCredentials, uniqueName, useNimbus } from '../../../helpers/nimbus.ts'
import { createTopic, snsClient } from '../../../helpers/sns.ts'
import { deliveriesSettled, firehoseHealth, listKeys, objectBytes, streamToBucket } from '../firehose-helpers.ts'

const nimbus = useNimbus()
const role = 'arn:aws:iam::000000000000:role/feeds'
const fhArn = (name: string) => `arn:aws:firehose:us-east-1:000000000000:deliverystream/${name}`

async function delivered(ms: number, batches: number): Promise<void> {
  const before = firehoseHealth(nimbus.current).deliveredObjects
  await advance(nimbus.current, ms)
  await deliveriesSettled(nimbus.current, before + batches)
}

describe('Feeding Kinesis and Firehose: EventBridge targets and SNS firehose subscriptions', () => {
  it('an EventBridge rule puts the event into Kinesis (PartitionKeyPath or the event id) and Firehose', async () => {
    const events = new EventBridgeClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const k = kinesisClient(nimbus.current)
    const stream = await activeStream(nimbus.current, k, 1)
    const { s3, bucket, name } = await streamToBucket(nimbus.current, { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 } })
    const rule = uniqueName('orders')
    await events.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: ['com.example.orders'] }) }))
    const targets = await events.send(new PutTargetsCommand({ Rule: rule, Targets: [
      { Id: 'by-customer', Arn: streamArn(stream), RoleArn: role, KinesisParameters: { PartitionKeyPath: '$.detail.customer' } },
      { Id: 'by-id', Arn: streamArn(stream), RoleArn: role },
      { Id: 'archive', Arn: fhArn(name), RoleArn: role },
    ] }))
    assert.equal(targets.FailedEntryCount, 0)
    const put = await events.send(new PutEventsCommand({ Entries: [
      { Source: 'com.example.orders', DetailType: 'Order Placed', Detail: JSON.stringify({ customer: 'alice', total: 12 }) },
    ] }))
    assert.equal(put.FailedEntryCount, 0)
    const eventId = put.Entries![0]!.EventId!
    await advance(nimbus.current, 1_000)
    const { ShardIterator } = await k.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))
    const { Records } = await k.send(new GetRecordsCommand({ ShardIterator }))
    assert.deepEqual(Records!.map((r) => r.PartitionKey).sort(), ['alice', eventId].sort())
    const event = JSON.parse(Buffer.from(Records![0]!.Data!).toString()) as Record<string, unknown>
    assert.deepEqual(Object.keys(event), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail'])
    assert.deepEqual([event.id, event['detail-type'], event.source, event.detail], [eventId, 'Order Placed', 'com.example.orders', { customer: 'alice', total: 12 }])
    await delivered(60_000, 1)
    const [key] = await listKeys(s3, bucket)
    assert.deepEqual(JSON.parse((await objectBytes(s3, bucket, key!)).toString()), event)
  })

  it('an SNS firehose subscription archives each notification as a JSON line, or the raw message', async () => {
    const sns = snsClient(nimbus.current)
    const { s3, bucket, name } = await streamToBucket(nimbus.current, { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 } })
    const topic = await createTopic(sns)
    const sub = await sns.send(new SubscribeCommand({
      TopicArn: topic, Protocol: 'firehose', Endpoint: fhArn(name), Attributes: { SubscriptionRoleArn: role }, ReturnSubscriptionArn: true,
    }))
    assert.match(sub.SubscriptionArn!, new RegExp(`^${topic}:`))
    const published = await sns.send(new PublishCommand({ TopicArn: topic, Subject: 'order', Message: 'order 1 placed' }))
    const raw = await streamToBucket(nimbus.current, { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 } })
    await sns.send(new SubscribeCommand({
      TopicArn: topic, Protocol: 'firehose', Endpoint: fhArn(raw.name), Attributes: { SubscriptionRoleArn: role, RawMessageDelivery: 'true' },
    }))
    await sns.send(new PublishCommand({ TopicArn: topic, Message: 'order 2 placed' }))
    await delivered(65_000, 2)
    const [key] = await listKeys(s3, bucket)
    const lines = (await objectBytes(s3, bucket, key!)).toString().split('\n')
    assert.equal(lines.at(-1), '')
    const first = JSON.parse(lines[0]!) as Record<string, unknown>
    for (const field of ['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'UnsubscribeURL']) assert.ok(field in first, field)
    assert.deepEqual([first.Type, first.MessageId, first.TopicArn, first.Subject, first.Message], ['Notification', published.MessageId, topic, 'order', 'order 1 placed'])
    assert.equal(lines.length, 3)
    const [rawKey] = await listKeys(raw.s3, raw.bucket)
    assert.equal((await objectBytes(raw.s3, raw.bucket, rawKey!)).toString(), 'order 2 placed\n')
  })
})
