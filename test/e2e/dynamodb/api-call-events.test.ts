// "DynamoDB → CloudTrail → EventBridge → SNS": a DeleteTable (a management call) reaches a rule on the
// default bus as an "AWS API Call via CloudTrail" event and goes on to an SNS topic's SQS subscriber;
// PutItem and GetItem (data events, not logged without a data-event trail) send nothing.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DeleteTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge'
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns'
import { until } from '../../helpers/function-log.ts'
import { activeTable, dynamoClient } from '../../helpers/dynamodb.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { snsClient } from '../../helpers/sns.ts'
import { createQueue, ebClient, receiveBodies, sqsClient } from '../eventbridge/fixtures.ts'

const nimbus = useNimbus()

describe('DynamoDB API calls on the default bus', () => {
  it('sends a DeleteTable through a rule and SNS to a queue; item calls send nothing', async () => {
    const sqs = sqsClient(nimbus.current)
    const sns = snsClient(nimbus.current)
    const eb = ebClient(nimbus.current)
    const db = dynamoClient(nimbus.current)
    const inbox = await createQueue(sqs)
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'dynamodb-audit' }))
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: inbox.arn, Attributes: { RawMessageDelivery: 'true' } }))
    await eb.send(new PutRuleCommand({ Name: 'dynamodb-calls', EventPattern: JSON.stringify({
      source: ['aws.dynamodb'], 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventName: ['DeleteTable', 'PutItem', 'GetItem'] },
    }) }))
    await eb.send(new PutTargetsCommand({ Rule: 'dynamodb-calls', Targets: [{ Id: 'topic', Arn: TopicArn }] }))
    const TableName = await activeTable(nimbus.current, db)
    const Key = { pk: { S: 'a' }, sk: { N: '1' } }
    await db.send(new PutItemCommand({ TableName, Item: Key }))
    await db.send(new GetItemCommand({ TableName, Key }))
    await db.send(new DeleteTableCommand({ TableName }))

    let events: { source: string; detail: { eventName: string; eventSource: string; requestParameters: unknown } }[] = []
    await until(async () => {
      events = events.concat(await receiveBodies(sqs, inbox))
      return events.length > 0
    }, 'the DeleteTable event')
    assert.deepEqual(events.map((e) => e.detail.eventName), ['DeleteTable'])
    assert.equal(events[0]!.detail.eventSource, 'dynamodb.amazonaws.com')
    assert.deepEqual(events[0]!.detail.requestParameters, { tableName: TableName })
    db.destroy()
  })
})
