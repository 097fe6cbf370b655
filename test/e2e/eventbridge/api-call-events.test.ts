// "API call → CloudTrail → EventBridge → SNS": state-changing calls on any emulated service arrive
// on the default bus as "AWS API Call via CloudTrail" events; reads and data events do not.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateConnectionCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge'
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns'
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs'
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { until } from '../../helpers/function-log.ts'
import { bucketName, s3Client } from '../../helpers/s3.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { snsClient } from '../../helpers/sns.ts'
import { account, createQueue, ebClient, receiveBodies, region, sqsClient } from './fixtures.ts'

const nimbus = useNimbus()

describe('AWS API Call via CloudTrail events', () => {
  it('routes a CreateQueue call through a rule to an SNS topic; reads and messages send nothing', async () => {
    const sqs = sqsClient(nimbus.current)
    const sns = snsClient(nimbus.current)
    const eb = ebClient(nimbus.current)
    const inbox = await createQueue(sqs)
    const other = await createQueue(sqs)
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'api-calls' }))
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: inbox.arn, Attributes: { RawMessageDelivery: 'true' } }))
    await eb.send(new PutRuleCommand({ Name: 'sqs-api-calls',
      EventPattern: JSON.stringify({ source: ['aws.sqs'], 'detail-type': ['AWS API Call via CloudTrail'] }) }))
    await eb.send(new PutTargetsCommand({ Rule: 'sqs-api-calls', Targets: [{ Id: 'topic', Arn: TopicArn }] }))

    // A data event and a read first: neither may arrive.
    await sqs.send(new SendMessageCommand({ QueueUrl: other.url, MessageBody: 'data event' }))
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: other.url, AttributeNames: ['All'] }))
    await sqs.send(new CreateQueueCommand({ QueueName: 'audited-queue', Attributes: { VisibilityTimeout: '45' } }))

    let events: any[] = [] // eslint-disable-line @typescript-eslint/no-explicit-any
    await until(async () => {
      events = events.concat(await receiveBodies(sqs, inbox))
      return events.length > 0
    }, 'the API-call event')
    assert.equal(events.length, 1)
    const [event] = events
    assert.equal(event.source, 'aws.sqs')
    assert.equal(event['detail-type'], 'AWS API Call via CloudTrail')
    assert.equal(event.account, account)
    assert.equal(event.region, region)
    const detail = event.detail
    assert.equal(detail.eventSource, 'sqs.amazonaws.com')
    assert.equal(detail.eventName, 'CreateQueue')
    assert.equal(detail.awsRegion, region)
    assert.equal(detail.eventType, 'AwsApiCall')
    assert.equal(detail.readOnly, false)
    assert.equal(detail.managementEvent, true)
    assert.equal(detail.recipientAccountId, account)
    assert.deepEqual(detail.requestParameters, { queueName: 'audited-queue', attributes: { VisibilityTimeout: '45' } })
    assert.match(detail.responseElements.queueUrl, /\/000000000000\/audited-queue$/)
    assert.match(detail.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    assert.equal(detail.userIdentity.accountId, account)
  })

  it('names any service: an S3 CreateBucket arrives as source aws.s3; PutObject (a data event) does not', async () => {
    const sqs = sqsClient(nimbus.current)
    const eb = ebClient(nimbus.current)
    const s3 = s3Client(nimbus.current)
    const inbox = await createQueue(sqs)
    await eb.send(new PutRuleCommand({ Name: 's3-api-calls', EventPattern: JSON.stringify({ source: ['aws.s3'] }) }))
    await eb.send(new PutTargetsCommand({ Rule: 's3-api-calls', Targets: [{ Id: 'inbox', Arn: inbox.arn }] }))
    const first = bucketName()
    await s3.send(new CreateBucketCommand({ Bucket: first }))
    await s3.send(new PutObjectCommand({ Bucket: first, Key: 'k', Body: 'data event' }))
    const second = bucketName()
    await s3.send(new CreateBucketCommand({ Bucket: second }))
    let events: any[] = [] // eslint-disable-line @typescript-eslint/no-explicit-any
    await until(async () => (events = events.concat(await receiveBodies(sqs, inbox))).length >= 2, 'two CreateBucket events')
    assert.deepEqual(events.map((e) => [e.source, e.detail.eventName, e.detail.requestParameters.bucket]),
      [['aws.s3', 'CreateBucket', first], ['aws.s3', 'CreateBucket', second]])
    assert.equal(events[0].detail.eventSource, 's3.amazonaws.com')
  })

  it('hides connection secrets in requestParameters, as CloudTrail does', async () => {
    const sqs = sqsClient(nimbus.current)
    const eb = ebClient(nimbus.current)
    const inbox = await createQueue(sqs)
    await eb.send(new PutRuleCommand({ Name: 'events-api-calls', EventPattern: JSON.stringify({ source: ['aws.events'], detail: { eventName: ['CreateConnection'] } }) }))
    await eb.send(new PutTargetsCommand({ Rule: 'events-api-calls', Targets: [{ Id: 'inbox', Arn: inbox.arn }] }))
    await eb.send(new CreateConnectionCommand({ Name: 'partner', AuthorizationType: 'BASIC',
      AuthParameters: { BasicAuthParameters: { Username: 'me', Password: 's3cret' } } }))
    let events: any[] = [] // eslint-disable-line @typescript-eslint/no-explicit-any
    await until(async () => (events = events.concat(await receiveBodies(sqs, inbox))).length > 0, 'the CreateConnection event')
    const params = events[0].detail.requestParameters
    assert.equal(params.name, 'partner')
    assert.deepEqual(params.authParameters.BasicAuthParameters, { Username: 'me', Password: 'HIDDEN_DUE_TO_SECURITY_REASONS' })
    assert.ok(!JSON.stringify(events[0]).includes('s3cret'))
  })
})
