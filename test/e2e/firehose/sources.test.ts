// Other services writing into Firehose through the fabric: SNS subscriptions with protocol
// `firehose` (one notification per line, or the raw message) and EventBridge rules targeting a
// delivery stream (the event as the record); both end up in S3 on the clock.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge'
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns'
import { advance, testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { deliveriesSettled, firehoseHealth, listKeys, objectBytes, streamToBucket } from './firehose-helpers.ts'

const nimbus = useNimbus()
const role = 'arn:aws:iam::000000000000:role/sns-firehose'
const options = () => ({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
const arnOf = (name: string) => `arn:aws:firehose:us-east-1:000000000000:deliverystream/${name}`

/** Lets the fabric's next-tick deliveries run. */
const tick = () => new Promise((resolve) => setImmediate(resolve))

describe('Firehose as a target', () => {
  it('SNS firehose subscriptions write one notification per line; raw delivery writes the message', async () => {
    const { s3, bucket, name } = await streamToBucket(nimbus.current, { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 } })
    const sns = new SNSClient(options())
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('to-firehose') }))
    const noRole = await sdkError(sns.send(new SubscribeCommand({ TopicArn, Protocol: 'firehose', Endpoint: arnOf(name) })))
    assert.equal(noRole.name, 'InvalidParameterException')
    assert.equal(noRole.message, 'Invalid parameter: Attributes Reason: SubscriptionRoleArn is required for firehose subscriptions')
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({
      TopicArn, Protocol: 'firehose', Endpoint: arnOf(name), Attributes: { SubscriptionRoleArn: role }, ReturnSubscriptionArn: true,
    }))
    assert.match(SubscriptionArn!, /^arn:aws:sns:/)
    await sns.send(new PublishCommand({ TopicArn, Message: 'first', Subject: 'hello', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }))
    await sns.send(new PublishCommand({ TopicArn, Message: 'second' }))
    for (let i = 0; i < 10 && firehoseHealth(nimbus.current).pendingRecords < 2; i++) await tick()
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, 1)
    const [key] = await listKeys(s3, bucket)
    const lines = (await objectBytes(s3, bucket, key!)).toString().split('\n')
    assert.equal(lines.length, 3)
    assert.equal(lines[2], '')
    const first = JSON.parse(lines[0]!) as Record<string, unknown>
    assert.deepEqual(Object.keys(first), ['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'UnsubscribeURL', 'MessageAttributes'])
    assert.equal(first.Message, 'first')
    assert.deepEqual(first.MessageAttributes, { k: { Type: 'String', Value: 'v' } })
    assert.equal((JSON.parse(lines[1]!) as { Message: string }).Message, 'second')

    const raw = await streamToBucket(nimbus.current, { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 } })
    await sns.send(new SubscribeCommand({
      TopicArn, Protocol: 'firehose', Endpoint: arnOf(raw.name), Attributes: { SubscriptionRoleArn: role, RawMessageDelivery: 'true' },
    }))
    const delivered = firehoseHealth(nimbus.current).deliveredObjects
    await sns.send(new PublishCommand({ TopicArn, Message: 'plain' }))
    for (let i = 0; i < 10 && firehoseHealth(nimbus.current).pendingRecords < 2; i++) await tick()
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, delivered + 2)
    const [rawKey] = await listKeys(raw.s3, raw.bucket)
    assert.equal((await objectBytes(raw.s3, raw.bucket, rawKey!)).toString(), 'plain\n')
  })

  it('EventBridge rules deliver matching events to a delivery stream as records', async () => {
    const { s3, bucket, name } = await streamToBucket(nimbus.current, { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 } })
    const events = new EventBridgeClient(options())
    const rule = uniqueName('to-firehose')
    await events.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: ['app.orders'] }) }))
    await events.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'fh', Arn: arnOf(name), RoleArn: role }] }))
    const delivered = firehoseHealth(nimbus.current).deliveredObjects
    await events.send(new PutEventsCommand({ Entries: [{ Source: 'app.orders', DetailType: 'Order', Detail: '{"id":7}' }] }))
    for (let i = 0; i < 10 && firehoseHealth(nimbus.current).pendingRecords < 1; i++) await tick()
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, delivered + 1)
    const [key] = await listKeys(s3, bucket)
    const event = JSON.parse((await objectBytes(s3, bucket, key!)).toString()) as { source: string; detail: unknown }
    assert.equal(event.source, 'app.orders')
    assert.deepEqual(event.detail, { id: 7 })
  })
})
