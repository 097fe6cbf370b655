// SNS subscriptions with protocol `firehose` end to end: Subscribe's checks (a delivery stream ARN,
// SubscriptionRoleArn required), and what lands in S3 as AWS documents it ("Formatting Amazon SNS
// notifications for storage in Amazon S3 destinations"): one JSON notification a line without
// signature fields, or with RawMessageDelivery the message body alone (attributes not sent).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GetSubscriptionAttributesCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { createTopic, snsClient } from '../../helpers/sns.ts'
import { deliveriesSettled, listKeys, objectBytes, streamToBucket } from '../firehose/firehose-helpers.ts'

const nimbus = useNimbus()
const role = 'arn:aws:iam::000000000000:role/sns-to-firehose'
const streamArn = (name: string) => `arn:aws:firehose:us-east-1:000000000000:deliverystream/${name}`

async function deliveredLines(bucket: string, s3: Parameters<typeof listKeys>[0], objects: number): Promise<string[]> {
  await advance(nimbus.current, 60_000)
  await deliveriesSettled(nimbus.current, objects)
  const keys = await listKeys(s3, bucket)
  assert.equal(keys.length, 1)
  return (await objectBytes(s3, bucket, keys[0]!)).toString().split('\n')
}

describe('SNS subscriptions to Firehose', () => {
  it('refuses a firehose subscription without SubscriptionRoleArn or with an endpoint that is not a delivery stream', async () => {
    const sns = snsClient(nimbus.current)
    const topic = await createTopic(sns)
    const noRole = await sdkError(sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'firehose', Endpoint: streamArn('s') })))
    assert.equal(noRole.name, 'InvalidParameterException')
    assert.equal(noRole.status, 400)
    const notStream = await sdkError(sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'firehose',
      Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q', Attributes: { SubscriptionRoleArn: role } })))
    assert.equal(notStream.name, 'InvalidParameterException')
  })

  it('writes the JSON notification a line, subject and attributes included, into the stream\'s bucket', async () => {
    const sns = snsClient(nimbus.current)
    const { s3, bucket, name } = await streamToBucket(nimbus.current, { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 } })
    const topic = await createTopic(sns)
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'firehose', Endpoint: streamArn(name),
      Attributes: { SubscriptionRoleArn: role }, ReturnSubscriptionArn: true }))
    // Confirmed at once (AWS needs no confirmation for firehose endpoints), the role kept.
    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))
    assert.equal(Attributes!.PendingConfirmation, 'false')
    assert.equal(Attributes!.SubscriptionRoleArn, role)
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn: topic, Subject: 'My 1st subject', Message: 'My 1st body',
      MessageAttributes: { myKey1: { DataType: 'String', StringValue: 'myValue1' } } }))
    await sns.send(new PublishCommand({ TopicArn: topic, Message: 'My 2nd body' }))
    const lines = await deliveredLines(bucket, s3, 1)
    assert.equal(lines.at(-1), '', 'each notification ends with a line break')
    const [first, second] = lines.slice(0, -1).map((l) => JSON.parse(l) as Record<string, unknown>)
    assert.deepEqual(Object.keys(first!), ['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'UnsubscribeURL', 'MessageAttributes'])
    assert.equal(first!.Type, 'Notification')
    assert.equal(first!.MessageId, MessageId)
    assert.equal(first!.TopicArn, topic)
    assert.equal(first!.Subject, 'My 1st subject')
    assert.equal(first!.Message, 'My 1st body')
    assert.match(first!.Timestamp as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    assert.match(first!.UnsubscribeURL as string, /Action=Unsubscribe&SubscriptionArn=arn:aws:sns:/)
    assert.deepEqual(first!.MessageAttributes, { myKey1: { Type: 'String', Value: 'myValue1' } })
    // No Subject, no attributes: the keys are left out.
    assert.deepEqual(Object.keys(second!), ['Type', 'MessageId', 'TopicArn', 'Message', 'Timestamp', 'UnsubscribeURL'])
  })

  it('with RawMessageDelivery writes the message body alone, a line each', async () => {
    const sns = snsClient(nimbus.current)
    const { s3, bucket, name } = await streamToBucket(nimbus.current, { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 } })
    const topic = await createTopic(sns)
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'firehose', Endpoint: streamArn(name),
      Attributes: { SubscriptionRoleArn: role, RawMessageDelivery: 'true' } }))
    await sns.send(new PublishCommand({ TopicArn: topic, Message: '{"order":1}',
      MessageAttributes: { myKey1: { DataType: 'String', StringValue: 'myValue1' } } }))
    await sns.send(new PublishCommand({ TopicArn: topic, Message: 'plain text' }))
    assert.deepEqual(await deliveredLines(bucket, s3, 1), ['{"order":1}', 'plain text', ''])
  })
})
