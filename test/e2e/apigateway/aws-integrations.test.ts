// API Gateway AWS service integrations end to end, each as users configure it: Kinesis PutRecord by
// action, SQS SendMessage by path override with a form body, SNS Publish by action with query-string
// parameters, DynamoDB PutItem, EventBridge PutEvents, Firehose PutRecord, S3 PutObject by path
// override with a mapped key — and a service's error selected by status (the selection pattern).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GetItemCommand } from '@aws-sdk/client-dynamodb'
import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge'
import { GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-kinesis'
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3'
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { apiGatewayClient, createApi, createPath, deploy, invoke, nonProxyMethod } from '../../helpers/apigateway.ts'
import { activeTable, dynamoClient } from '../../helpers/dynamodb.ts'
import { activeStream, kinesisClient } from '../../helpers/kinesis.ts'
import { testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { bucketName, s3Client, text } from '../../helpers/s3.ts'
import { createTopic, snsClient } from '../../helpers/sns.ts'
import { streamToBucket } from '../firehose/firehose-helpers.ts'

const nimbus = useNimbus()
const role = 'arn:aws:iam::000000000000:role/apigateway-integration'
const json = { 'content-type': 'application/json' }

/** An API with one POST method integrated with `uri`, deployed to `dev`. */
async function integrated(path: string, uri: string, integration: Record<string, unknown>,
  responses: Parameters<typeof nonProxyMethod>[3], variables?: Record<string, string>) {
  const client = apiGatewayClient(nimbus.current)
  const api = await createApi(client)
  const resourceId = await createPath(client, api, path)
  await nonProxyMethod(client, { restApiId: api.id, resourceId, httpMethod: 'POST' },
    { type: 'AWS', integrationHttpMethod: 'POST', uri, credentials: role, ...integration }, responses)
  await deploy(client, api.id, 'dev', variables)
  return api.id
}

describe('API Gateway AWS service integrations', () => {
  it('puts a Kinesis record by action with a VTL body and maps the answer; a service error is selected by status', async () => {
    const kinesis = kinesisClient(nimbus.current)
    const stream = await activeStream(nimbus.current, kinesis)
    const apiId = await integrated('/events', 'arn:aws:apigateway:us-east-1:kinesis:action/PutRecord', {
      requestTemplates: { 'application/json': '{"StreamName": "$stageVariables.stream", "Data": "$util.base64Encode($input.json(\'$.event\'))", "PartitionKey": "$input.path(\'$.user\')"}' },
    }, [
      { statusCode: '200', responseTemplates: { 'application/json': '{"shard": "$input.path(\'$.ShardId\')", "seq": "$input.path(\'$.SequenceNumber\')"}' } },
      { statusCode: '400', selectionPattern: '4\\d{2}', responseTemplates: { 'application/json': '{"error": "$input.path(\'$.__type\')", "why": "$util.escapeJavaScript($input.path(\'$.message\'))"}' } },
    ], { stream })
    const res = await invoke(nimbus.current, 'host', apiId, 'dev', '/events', { method: 'POST', headers: json, body: '{"user":"u1","event":{"kind":"click"}}' })
    assert.equal(res.status, 200)
    const answer = res.json() as { shard: string; seq: string }
    assert.equal(answer.shard, 'shardId-000000000000')
    const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: answer.shard, ShardIteratorType: 'TRIM_HORIZON' }))
    const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator }))
    assert.equal(Records?.length, 1)
    assert.equal(Records![0]!.SequenceNumber, answer.seq)
    assert.equal(Records![0]!.PartitionKey, 'u1')
    assert.deepEqual(JSON.parse(Buffer.from(Records![0]!.Data!).toString()), { kind: 'click' })

    // A stream that doesn't exist: Kinesis answers 400 and the 4\d{2} integration response maps it.
    const missing = await integrated('/nowhere', 'arn:aws:apigateway:us-east-1:kinesis:action/PutRecord', {
      requestTemplates: { 'application/json': '{"StreamName": "nope", "Data": "eA==", "PartitionKey": "k"}' },
    }, [{ statusCode: '200' }, { statusCode: '400', selectionPattern: '4\\d{2}', responseTemplates: { 'application/json': '{"error": "$input.path(\'$.__type\')"}' } }])
    const failed = await invoke(nimbus.current, 'host', missing, 'dev', '/nowhere', { method: 'POST', headers: json, body: '{}' })
    assert.equal(failed.status, 400)
    assert.match((failed.json() as { error: string }).error, /ResourceNotFoundException$/)
  })

  it('sends to SQS by path override with a form-encoded template (Action=SendMessage)', async () => {
    const sqs = new SQSClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const queue = uniqueName('apigw-q')
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: queue }))
    const apiId = await integrated('/orders', `arn:aws:apigateway:us-east-1:sqs:path/000000000000/${queue}`, {
      requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
      requestTemplates: { 'application/json': 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)&MessageAttribute.1.Name=source&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=$context.stage' },
    }, [{ statusCode: '200', responseTemplates: { 'application/json': '#set($xml = $input.body){"sent": $xml.contains("<MessageId>")}' } }])
    const res = await invoke(nimbus.current, 'path', apiId, 'dev', '/orders', { method: 'POST', headers: json, body: '{"order": "o-1 & more"}' })
    assert.equal(res.status, 200)
    assert.deepEqual(res.json(), { sent: true })
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['All'] }))
    assert.equal(Messages?.[0]?.Body, '{"order": "o-1 & more"}')
    assert.equal(Messages?.[0]?.MessageAttributes?.source?.StringValue, 'dev')
  })

  it('publishes to SNS by action with query-string parameters mapped from the request', async () => {
    const topicArn = await createTopic(snsClient(nimbus.current))
    const apiId = await integrated('/notify', 'arn:aws:apigateway:us-east-1:sns:action/Publish', {
      requestParameters: { 'integration.request.querystring.TopicArn': `'${topicArn}'`, 'integration.request.querystring.Message': 'method.request.body',
        'integration.request.querystring.Subject': 'method.request.querystring.subject' },
    }, [{ statusCode: '200', responseParameters: { 'method.response.header.Content-Type': "'text/xml'" } }])
    const res = await invoke(nimbus.current, 'host', apiId, 'dev', '/notify?subject=hello', { method: 'POST', headers: json, body: '{"alert":"disk"}' })
    assert.equal(res.status, 200)
    assert.equal(res.headers['content-type'], 'text/xml')
    assert.match(res.text, /<PublishResponse[\s\S]*<MessageId>[0-9a-f-]{36}<\/MessageId>/)
  })

  it('writes a DynamoDB item (PutItem) and puts EventBridge events (PutEvents) by action', async () => {
    const dynamo = dynamoClient(nimbus.current)
    const table = await activeTable(nimbus.current, dynamo, {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    })
    const users = await integrated('/users/{id}', 'arn:aws:apigateway:us-east-1:dynamodb:action/PutItem', {
      requestTemplates: { 'application/json': `{"TableName": "${table}", "Item": {"id": {"S": "$input.params('id')"}, "name": {"S": "$input.path('$.name')"}, "tags": {"SS": $input.json('$.tags')}}}` },
    }, [{ statusCode: '200', responseTemplates: { 'application/json': '{"saved": true}' } }])
    const put = await invoke(nimbus.current, 'host', users, 'dev', '/users/u-7', { method: 'POST', headers: json, body: '{"name":"Ada","tags":["x","y"]}' })
    assert.equal(put.status, 200)
    assert.deepEqual(put.json(), { saved: true })
    const { Item } = await dynamo.send(new GetItemCommand({ TableName: table, Key: { id: { S: 'u-7' } } }))
    assert.deepEqual(Item, { id: { S: 'u-7' }, name: { S: 'Ada' }, tags: { SS: ['x', 'y'] } })

    const events = new EventBridgeClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const bus = uniqueName('bus')
    await events.send(new CreateEventBusCommand({ Name: bus }))
    const ingest = await integrated('/ingest', 'arn:aws:apigateway:us-east-1:events:action/PutEvents', {
      requestTemplates: { 'application/json': `{"Entries": [{"EventBusName": "${bus}", "Source": "my.api", "DetailType": "order", "Detail": "$util.escapeJavaScript($input.body)"}]}` },
    }, [{ statusCode: '200' }])
    const sent = await invoke(nimbus.current, 'host', ingest, 'dev', '/ingest', { method: 'POST', headers: json, body: '{"id": 1}' })
    assert.equal(sent.status, 200)
    const answer = sent.json() as { FailedEntryCount: number; Entries: { EventId?: string }[] }
    assert.equal(answer.FailedEntryCount, 0)
    assert.ok(answer.Entries[0]!.EventId)
  })

  it('puts a Firehose record by action and an S3 object by path override with a mapped key', async () => {
    const { name } = await streamToBucket(nimbus.current)
    const firehose = await integrated('/fh', 'arn:aws:apigateway:us-east-1:firehose:action/PutRecord', {
      requestTemplates: { 'application/json': `{"DeliveryStreamName": "${name}", "Record": {"Data": "$util.base64Encode($input.body)"}}` },
    }, [{ statusCode: '200' }])
    const record = await invoke(nimbus.current, 'host', firehose, 'dev', '/fh', { method: 'POST', headers: json, body: '{"n":1}' })
    assert.equal(record.status, 200)
    assert.ok((record.json() as { RecordId: string }).RecordId.length > 0)

    const s3 = s3Client(nimbus.current)
    const bucket = bucketName()
    await s3.send(new CreateBucketCommand({ Bucket: bucket }))
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const resourceId = await createPath(client, api, '/files/{key}')
    await nonProxyMethod(client, { restApiId: api.id, resourceId, httpMethod: 'PUT' }, {
      type: 'AWS', integrationHttpMethod: 'PUT', uri: `arn:aws:apigateway:us-east-1:s3:path/${bucket}/{object}`, credentials: role,
      requestParameters: { 'integration.request.path.object': 'method.request.path.key', 'integration.request.header.Content-Type': 'method.request.header.Content-Type' },
    }, [{ statusCode: '200', responseParameters: { 'method.response.header.ETag': 'integration.response.header.ETag' } }])
    await deploy(client, api.id, 'dev')
    const res = await invoke(nimbus.current, 'host', api.id, 'dev', '/files/report.txt', { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'hello s3' })
    assert.equal(res.status, 200)
    assert.match(String(res.headers['etag']), /^"[0-9a-f]{32}"$/)
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'report.txt' }))
    assert.equal(await text(object.Body), 'hello s3')
    assert.equal(object.ContentType, 'text/plain')
  })
})
