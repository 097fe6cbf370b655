// The notes' flow, "DynamoDB → CloudTrail → EventBridge → SNS", end to end: a PutItem on a table a
// logging trail records data events for reaches a rule on the default bus as an "AWS API Call via
// CloudTrail" event, goes on to an SNS topic and its SQS subscriber; a DeleteTable (a management
// event) does the same with no trail at all. PutItem on another table, or with logging stopped, sends nothing.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateTrailCommand, PutEventSelectorsCommand, StartLoggingCommand, StopLoggingCommand } from '@aws-sdk/client-cloudtrail'
import { DeleteTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge'
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns'
import { activeTable, dynamoClient } from '../../helpers/dynamodb.ts'
import { settle, until } from '../../helpers/function-log.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { s3Client } from '../../helpers/s3.ts'
import { snsClient } from '../../helpers/sns.ts'
import { createQueue, ebClient, receiveBodies, sqsClient } from '../eventbridge/fixtures.ts'
import { account, ctClient, trailBucket } from './fixtures.ts'

const nimbus = useNimbus()

describe('DynamoDB → CloudTrail → EventBridge → SNS', () => {
  it('delivers a PutItem under a data-event trail and a DeleteTable to an SNS topic\'s SQS subscriber', async () => {
    const [sqs, sns, eb, db, ct] = [sqsClient(nimbus.current), snsClient(nimbus.current), ebClient(nimbus.current),
      dynamoClient(nimbus.current), ctClient(nimbus.current)]
    const inbox = await createQueue(sqs)
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'table-audit' }))
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: inbox.arn, Attributes: { RawMessageDelivery: 'true' } }))
    await eb.send(new PutRuleCommand({ Name: 'table-calls', EventPattern: JSON.stringify({
      source: ['aws.dynamodb'], 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventName: ['PutItem', 'DeleteTable'] },
    }) }))
    await eb.send(new PutTargetsCommand({ Rule: 'table-calls', Targets: [{ Id: 'topic', Arn: TopicArn }] }))
    const orders = await activeTable(nimbus.current, db)
    const other = await activeTable(nimbus.current, db)
    const ordersArn = `arn:aws:dynamodb:us-east-1:${account}:table/${orders}`

    // No trail yet: a PutItem is a data event nobody records.
    await db.send(new PutItemCommand({ TableName: orders, Item: { pk: { S: 'before' }, sk: { N: '0' } } }))
    const Bucket = await trailBucket(s3Client(nimbus.current))
    await ct.send(new CreateTrailCommand({ Name: 'orders-data', S3BucketName: Bucket }))
    await ct.send(new PutEventSelectorsCommand({ TrailName: 'orders-data', EventSelectors: [
      { ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::DynamoDB::Table', Values: [ordersArn] }] },
    ] }))
    await ct.send(new StartLoggingCommand({ Name: 'orders-data' }))
    await db.send(new PutItemCommand({ TableName: other, Item: { pk: { S: 'elsewhere' }, sk: { N: '1' } } }))
    await db.send(new PutItemCommand({ TableName: orders, Item: { pk: { S: 'order-1' }, sk: { N: '1' } } }))

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let events: any[] = []
    await until(async () => (events = events.concat(await receiveBodies(sqs, inbox))).length > 0, 'the PutItem event')
    assert.equal(events.length, 1)
    const put = events[0]
    assert.equal(put.source, 'aws.dynamodb')
    assert.equal(put['detail-type'], 'AWS API Call via CloudTrail')
    assert.equal(put.detail.eventName, 'PutItem')
    assert.equal(put.detail.eventCategory, 'Data')
    assert.equal(put.detail.managementEvent, false)
    assert.deepEqual(put.detail.resources, [{ accountId: account, type: 'AWS::DynamoDB::Table', ARN: ordersArn }])
    assert.deepEqual(put.detail.requestParameters.item, { pk: { S: 'order-1' }, sk: { N: '1' } })

    // Logging stopped: data events stop; DeleteTable, a management event, still arrives.
    await ct.send(new StopLoggingCommand({ Name: 'orders-data' }))
    await db.send(new PutItemCommand({ TableName: orders, Item: { pk: { S: 'order-2' }, sk: { N: '1' } } }))
    await db.send(new DeleteTableCommand({ TableName: orders }))
    events = []
    await until(async () => (events = events.concat(await receiveBodies(sqs, inbox))).length > 0, 'the DeleteTable event')
    await settle()
    events = events.concat(await receiveBodies(sqs, inbox))
    assert.deepEqual(events.map((e) => e.detail.eventName), ['DeleteTable'])
    assert.deepEqual(events[0].detail.requestParameters, { tableName: orders })
    assert.equal(events[0].detail.managementEvent, true)
    for (const client of [sqs, sns, eb, db, ct]) client.destroy()
  })

  it('sends S3 object calls under a bucket-prefix selector, and only those', async () => {
    const [sqs, eb, ct] = [sqsClient(nimbus.current), ebClient(nimbus.current), ctClient(nimbus.current)]
    const s3 = s3Client(nimbus.current)
    const inbox = await createQueue(sqs)
    await eb.send(new PutRuleCommand({ Name: 'object-calls', EventPattern: JSON.stringify({
      source: ['aws.s3'], 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventCategory: ['Data'] },
    }) }))
    await eb.send(new PutTargetsCommand({ Rule: 'object-calls', Targets: [{ Id: 'inbox', Arn: inbox.arn }] }))
    const Bucket = await trailBucket(s3)
    await ct.send(new CreateTrailCommand({ Name: 'uploads', S3BucketName: Bucket }))
    await ct.send(new PutEventSelectorsCommand({ TrailName: 'uploads', EventSelectors: [
      { ReadWriteType: 'WriteOnly', DataResources: [{ Type: 'AWS::S3::Object', Values: [`arn:aws:s3:::${Bucket}/uploads/`] }] },
    ] }))
    await ct.send(new StartLoggingCommand({ Name: 'uploads' }))
    await s3.send(new PutObjectCommand({ Bucket, Key: 'elsewhere/a.txt', Body: 'no' }))
    await s3.send(new PutObjectCommand({ Bucket, Key: 'uploads/a.txt', Body: 'yes' }))
    await s3.send(new GetObjectCommand({ Bucket, Key: 'uploads/a.txt' }))
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let events: any[] = []
    await until(async () => (events = events.concat(await receiveBodies(sqs, inbox))).length > 0, 'the PutObject event')
    await settle()
    events = events.concat(await receiveBodies(sqs, inbox))
    assert.deepEqual(events.map((e) => [e.detail.eventName, e.detail.resources[0].ARN]), [['PutObject', `arn:aws:s3:::${Bucket}/uploads/a.txt`]])
    assert.equal(events[0].detail.requestParameters.key, 'uploads/a.txt')
    assert.equal(events[0].detail.managementEvent, false)
    await ct.send(new StopLoggingCommand({ Name: 'uploads' }))
    for (const client of [sqs, eb, ct, s3]) client.destroy()
  })
})
