// Each input a hardening probe once drove to a 500, now answered with AWS's error in the client's
// protocol: empty query entries, documents nested thousands deep, over-long filter patterns.
import assert from 'node:assert/strict'
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge'
import { AddPermissionCommand, GetTopicAttributesCommand, SetTopicAttributesCommand } from '@aws-sdk/client-sns'
import { describe, it } from 'node:test'
import { logsClient, newStream, failure } from '../../helpers/logs.ts'
import { testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest } from '../../helpers/raw-http.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { createTopic, snsClient } from '../../helpers/sns.ts'
import { sqsClient, sqsProtocols } from '../../helpers/sqs-clients.ts'

const nimbus = useNimbus()

const signed = (service: string): Record<string, string> => ({
  authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
})
const form = (service: string, params: Record<string, string>) => rawRequest(nimbus.current.endpoint, {
  headers: { ...signed(service), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString(),
})
const code = (body: string) => /<Code>([^<]*)<\/Code>/.exec(body)?.[1]
const message = (body: string) => /<Message>([^<]*)<\/Message>/.exec(body)?.[1]?.replace(/&apos;/g, "'")
/** `{"a":{"a":…1…}}`, `depth` objects deep. */
const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)

describe('query entries with no members', () => {
  it('SQS SendMessage with an attribute name but no value: AWS\'s InvalidParameterValue, on both protocols', async () => {
    const sqs = sqsClient(nimbus.current, 'json')
    const { QueueUrl } = await sqs.call('CreateQueue', { QueueName: uniqueName('attr') })
    const query = await form('sqs', { Action: 'SendMessage', Version: '2012-11-05', QueueUrl, MessageBody: 'x', 'MessageAttribute.1.Name': 'a' })
    assert.equal(query.status, 400)
    assert.equal(code(query.body), 'InvalidParameterValue')
    assert.equal(message(query.body), "The message attribute 'a' must contain non-empty message attribute type.")
    const json = await sqs.fail('SendMessage', { QueueUrl, MessageBody: 'x', MessageAttributes: { a: { StringValue: 'v' } } })
    assert.equal(json.code, 'InvalidParameterValue')
    assert.equal(json.message, "The message attribute 'a' must contain non-empty message attribute type.")
  })

  it('SQS batch entries with no fields name the missing Id', async () => {
    const sqs = sqsClient(nimbus.current, 'json')
    const { QueueUrl } = await sqs.call('CreateQueue', { QueueName: uniqueName('batch') })
    for (const action of ['DeleteMessageBatch', 'SendMessageBatch', 'ChangeMessageVisibilityBatch']) {
      const response = await form('sqs', { Action: action, Version: '2012-11-05', QueueUrl, [`${action}RequestEntry.1`]: '' })
      assert.equal(response.status, 400, `${action}: ${response.body}`)
      assert.equal(code(response.body), 'MissingParameter', action)
      assert.equal(message(response.body), 'The request must contain the parameter Entries.1.Id.', action)
    }
    const json = await rawRequest(nimbus.current.endpoint, {
      headers: { ...signed('sqs'), 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.DeleteMessageBatch' },
      body: JSON.stringify({ QueueUrl, Entries: [null] }),
    })
    assert.equal(json.status, 400)
    assert.match(json.body, /MissingParameter.*Entries\.1\.Id/)
  })

  it('SNS Publish with an attribute name but no value', async () => {
    const topicArn = await createTopic(snsClient(nimbus.current))
    const response = await form('sns', { Action: 'Publish', Version: '2010-03-31', TopicArn: topicArn, Message: 'x',
      'MessageAttributes.entry.1.Name': 'a' })
    assert.equal(response.status, 400)
    assert.equal(code(response.body), 'InvalidParameter')
    assert.match(message(response.body) ?? '', /MessageAttributes\.a\.DataType/)
  })
})

describe('documents nested thousands deep', () => {
  for (const protocol of sqsProtocols) {
    it(`SQS (${protocol}): a deep RedrivePolicy or Policy is refused, and AddPermission keeps working`, async () => {
      const sqs = sqsClient(nimbus.current, protocol)
      const { QueueUrl } = await sqs.call('CreateQueue', { QueueName: uniqueName('deep') })
      const redrive = await sqs.fail('SetQueueAttributes', { QueueUrl, Attributes: { RedrivePolicy: nested(5_000) } })
      assert.equal(redrive.code, 'InvalidParameterValue')
      const tooBig = await sqs.fail('SetQueueAttributes', { QueueUrl, Attributes: { Policy: nested(10_000) } })
      assert.equal(tooBig.code, 'InvalidAttributeValue')
      assert.match(tooBig.message, /Policy must be at most 8192 bytes/)
      const tooDeep = await sqs.fail('SetQueueAttributes', { QueueUrl, Attributes: { Policy: '['.repeat(2_000) + ']'.repeat(2_000) } })
      assert.equal(tooDeep.code, 'InvalidAttributeValue')
      await sqs.call('AddPermission', { QueueUrl, Label: 'l', AWSAccountIds: ['111111111111'], Actions: ['SendMessage'] })
    })
  }

  it('SNS: a deep topic Policy or FilterPolicy is refused, and AddPermission keeps working', async () => {
    const sns = snsClient(nimbus.current)
    const TopicArn = await createTopic(sns)
    for (const value of [nested(10_000), nested(2_000)]) {
      const error = await sdkError(sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Policy', AttributeValue: value })))
      assert.equal(error.name, 'InvalidParameterException')
    }
    const filter = await form('sns', { Action: 'Subscribe', Version: '2010-03-31', TopicArn, Protocol: 'sqs',
      Endpoint: 'arn:aws:sqs:us-east-1:000000000000:nowhere', 'Attributes.entry.1.key': 'FilterPolicy', 'Attributes.entry.1.value': nested(20_000) })
    assert.equal(filter.status, 400)
    assert.equal(code(filter.body), 'InvalidParameter')
    await sns.send(new AddPermissionCommand({ TopicArn, Label: 'l', AWSAccountId: ['111111111111'], ActionName: ['Publish'] }))
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }))
    assert.match(Attributes?.Policy ?? '', /"Sid":"l"/)
  })

  it('EventBridge PutEvents: a Detail deeper than 1,100 levels is MalformedDetail; 1,000 is accepted', async () => {
    const events = new EventBridgeClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const { Entries, FailedEntryCount } = await events.send(new PutEventsCommand({ Entries: [
      { Source: 'app', DetailType: 't', Detail: nested(5_000) },
      { Source: 'app', DetailType: 't', Detail: nested(1_000) },
    ] }))
    assert.equal(FailedEntryCount, 1)
    assert.deepEqual(Entries?.[0], { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' })
    assert.ok(Entries?.[1]?.EventId)
  })

  it('CloudWatch Logs FilterLogEvents: a pattern over 1,024 characters is refused, one of 500 parentheses works', async () => {
    const logs = logsClient(nimbus.current)
    const { group } = await newStream(logs)
    const long = '{ ' + '('.repeat(2_000) + '$.a = 1' + ')'.repeat(2_000) + ' }'
    const error = await failure(logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: long })))
    assert.equal(error.name, 'InvalidParameterException')
    assert.match(error.message, /at 'filterPattern' failed to satisfy constraint: Member must have length less than or equal to 1024/)
    const deep = '{ ' + '('.repeat(500) + '$.a = 1' + ')'.repeat(500) + ' }'
    const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: deep }))
    assert.deepEqual(events, [])
  })
})
