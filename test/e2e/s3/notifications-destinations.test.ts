// Where S3 notifications go: the s3:TestEvent on new destinations, SNS fan-out, EventBridge, and a
// destination gone at delivery time (aws-behaviour.md §4.3, §4.5, §4.6).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge'
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { s3Client } from '../../helpers/s3.ts'
import { createTopic, snsClient, subscribeQueue } from '../../helpers/sns.ts'
import { standardQueue } from '../../helpers/sqs-queues.ts'
import { createQueue, ebClient, receiveBodies, sqsClient as ebSqsClient } from '../eventbridge/fixtures.ts'
import { account, createBucket, delivered, putNotifications, records, sqs } from './notification-fixtures.ts'

const logLines: string[] = []
const nimbus = useNimbus({ log: (line) => logLines.push(line) })
const s3 = () => s3Client(nimbus.current)

describe('S3 notification destinations', () => {
  it('sends s3:TestEvent to each new SQS destination on PUT, not again to one already configured', async () => {
    const Bucket = await createBucket(s3())
    const first = await standardQueue(sqs(nimbus.current))
    const second = await standardQueue(sqs(nimbus.current))
    const before = nimbus.current.clock.now()
    await putNotifications(s3(), Bucket, { QueueConfigurations: [{ QueueArn: first.arn, Events: ['s3:ObjectCreated:*'] }] })
    const [test] = await delivered(nimbus.current, first)
    assert.deepEqual(Object.keys(test), ['Service', 'Event', 'Time', 'Bucket', 'RequestId', 'HostId'])
    assert.equal(test.Service, 'Amazon S3')
    assert.equal(test.Event, 's3:TestEvent')
    assert.equal(test.Bucket, Bucket)
    assert.equal(test.Time, new Date(before).toISOString())
    await putNotifications(s3(), Bucket, { QueueConfigurations: [
      { QueueArn: first.arn, Events: ['s3:ObjectCreated:*'] }, { QueueArn: second.arn, Events: ['s3:ObjectRemoved:*'] }] })
    assert.deepEqual(await delivered(nimbus.current, first), [], 'the queue already configured gets no second test event')
    assert.deepEqual((await delivered(nimbus.current, second)).map((m) => m.Event), ['s3:TestEvent'])
    // With validation skipped, no test event either.
    const third = await standardQueue(sqs(nimbus.current))
    await putNotifications(s3(), Bucket, { QueueConfigurations: [{ QueueArn: third.arn, Events: ['s3:ObjectCreated:*'] }] }, true)
    assert.deepEqual(await delivered(nimbus.current, third), [])
  })

  it('fans out through SNS: the record is the Message, Subject "Amazon S3 Notification"', async () => {
    const sns = snsClient(nimbus.current)
    const topic = await createTopic(sns)
    const queues = [await standardQueue(sqs(nimbus.current)), await standardQueue(sqs(nimbus.current))]
    for (const q of queues) await subscribeQueue(sns, topic, q.arn)
    const Bucket = await createBucket(s3())
    await putNotifications(s3(), Bucket, { TopicConfigurations: [{ Id: 'fan', TopicArn: topic, Events: ['s3:ObjectCreated:Put'] }] })
    await s3().send(new PutObjectCommand({ Bucket, Key: 'report.csv', Body: 'a,b' }))
    for (const q of queues) {
      const envelopes = await delivered(nimbus.current, q)
      assert.deepEqual(envelopes.map((e) => [e.Type, e.Subject, e.TopicArn]),
        [['Notification', 'Amazon S3 Notification', topic], ['Notification', 'Amazon S3 Notification', topic]])
      assert.equal(JSON.parse(envelopes[0].Message).Event, 's3:TestEvent')
      const { Records } = JSON.parse(envelopes[1].Message)
      assert.equal(Records.length, 1)
      assert.equal(Records[0].eventName, 'ObjectCreated:Put')
      assert.equal(Records[0].s3.configurationId, 'fan')
      assert.equal(Records[0].s3.object.key, 'report.csv')
    }
  })

  it('logs and drops an event whose destination is gone, and the S3 request still succeeds', async () => {
    const Bucket = await createBucket(s3())
    const queue = await standardQueue(sqs(nimbus.current))
    await putNotifications(s3(), Bucket, { QueueConfigurations: [{ QueueArn: queue.arn, Events: ['s3:ObjectCreated:*'] }] })
    await sqs(nimbus.current).call('DeleteQueue', { QueueUrl: queue.url })
    const put = await s3().send(new PutObjectCommand({ Bucket, Key: 'lost', Body: 'x' }))
    assert.equal(put.$metadata.httpStatusCode, 200)
    await advance(nimbus.current, 0)
    assert.ok(logLines.some((l) => l.includes(`s3://${Bucket}/lost`) && l.includes(queue.arn) && l.includes('dropped')), logLines.join('\n'))
  })

  it('sends every event to the default bus with EventBridgeConfiguration, routed by rules', async () => {
    const eb = ebClient(nimbus.current)
    const target = await createQueue(ebSqsClient(nimbus.current))
    const rule = uniqueName('s3rule')
    const Bucket = await createBucket(s3())
    await eb.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({
      source: ['aws.s3'], 'detail-type': ['Object Created', 'Object Deleted'],
      detail: { bucket: { name: [Bucket] }, object: { key: [{ prefix: 'in/' }], size: [{ numeric: ['>', 3] }] } },
    }) }))
    await eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'q', Arn: target.arn }] }))
    // EventBridge alone, beside a queue configuration: both get their events.
    const queue = await standardQueue(sqs(nimbus.current))
    await putNotifications(s3(), Bucket, {
      EventBridgeConfiguration: {}, QueueConfigurations: [{ Id: 'q', QueueArn: queue.arn, Events: ['s3:ObjectCreated:*'] }],
    })
    const put = await s3().send(new PutObjectCommand({ Bucket, Key: 'in/big photo.jpg', Body: 'large enough' }))
    await s3().send(new PutObjectCommand({ Bucket, Key: 'in/s', Body: 'xs' }))
    await s3().send(new PutObjectCommand({ Bucket, Key: 'out/other.jpg', Body: 'large enough' }))
    await s3().send(new DeleteObjectCommand({ Bucket, Key: 'in/big photo.jpg' }))
    await advance(nimbus.current, 0)
    const events = await receiveBodies(ebSqsClient(nimbus.current), target)
    assert.equal(events.length, 1, 'deletes carry no size, so the numeric filter leaves them out')
    const [event] = events
    assert.equal(event['detail-type'], 'Object Created')
    assert.equal(event.source, 'aws.s3')
    assert.equal(event.account, account)
    assert.equal(event.region, 'us-east-1')
    assert.deepEqual(event.resources, [`arn:aws:s3:::${Bucket}`])
    assert.match(event.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    assert.deepEqual(Object.keys(event.detail), ['version', 'bucket', 'object', 'request-id', 'requester', 'source-ip-address', 'reason'])
    assert.deepEqual(event.detail.bucket, { name: Bucket })
    assert.equal(event.detail.object.key, 'in/big photo.jpg')
    assert.equal(event.detail.object.size, 'large enough'.length)
    assert.equal(event.detail.object.etag, put.ETag!.replaceAll('"', ''))
    assert.match(event.detail.object.sequencer, /^[0-9A-F]+$/)
    assert.equal(event.detail['request-id'], put.$metadata.requestId)
    assert.equal(event.detail.requester, account)
    assert.equal(event.detail.reason, 'PutObject')
    assert.equal((await records(nimbus.current, queue)).length, 3)
  })

  it('describes deletes to EventBridge as "Object Deleted" with a deletion-type', async () => {
    const eb = ebClient(nimbus.current)
    const target = await createQueue(ebSqsClient(nimbus.current))
    const rule = uniqueName('s3del')
    const Bucket = await createBucket(s3())
    await eb.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({
      source: ['aws.s3'], 'detail-type': ['Object Deleted'], resources: [`arn:aws:s3:::${Bucket}`] }) }))
    await eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'q', Arn: target.arn }] }))
    await putNotifications(s3(), Bucket, { EventBridgeConfiguration: {} })
    await s3().send(new PutObjectCommand({ Bucket, Key: 'gone', Body: 'x' }))
    await s3().send(new DeleteObjectCommand({ Bucket, Key: 'gone' }))
    await advance(nimbus.current, 0)
    const [event, ...rest] = await receiveBodies(ebSqsClient(nimbus.current), target)
    assert.equal(rest.length, 0)
    assert.equal(event.detail.reason, 'DeleteObject')
    assert.equal(event.detail['deletion-type'], 'Permanently Deleted')
    assert.deepEqual(Object.keys(event.detail.object), ['key', 'sequencer'])
  })
})
