// Valid requests, one protocol family at a time, written as the SDK serialisers put them on the
// wire: the starting points the fuzzer mutates. Names are fixed so mutations hit real resources.
import { makeZip } from '../../../helpers/zip.ts'

export type Family = 'query' | 'json' | 'rest-json' | 'rest-xml'

export interface Seed {
  family: Family
  /** The SigV4 scope service (routes the request like a real SDK would). */
  service: string
  method: string
  path: string
  headers: Record<string, string>
  /** JSON bodies as values (mutated structurally), query bodies as parameter lists, anything else as text. */
  json?: Record<string, unknown>
  params?: [string, string][]
  text?: string
}

export const names = { queue: 'fuzz-q', topic: 'fuzz-t', group: 'fuzz-g', bucket: 'fuzz-b', fn: 'fuzz-fn', bus: 'fuzz-bus' }

export function seeds(endpoint: string): Seed[] {
  const account = '000000000000'
  const queueUrl = `${endpoint}/${account}/${names.queue}`
  const queueArn = `arn:aws:sqs:us-east-1:${account}:${names.queue}`
  const topicArn = `arn:aws:sns:us-east-1:${account}:${names.topic}`
  const sqsQuery = (action: string, params: [string, string][]): Seed => ({ family: 'query', service: 'sqs', method: 'POST', path: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded' }, params: [['Action', action], ['Version', '2012-11-05'], ...params] })
  const snsQuery = (action: string, params: [string, string][]): Seed => ({ family: 'query', service: 'sns', method: 'POST', path: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded' }, params: [['Action', action], ['Version', '2010-03-31'], ...params] })
  const json = (service: string, target: string, version: string, body: Record<string, unknown>): Seed => ({ family: 'json', service,
    method: 'POST', path: '/', headers: { 'content-type': `application/x-amz-json-${version}`, 'x-amz-target': target }, json: body })
  const sqs = (op: string, body: Record<string, unknown>) => json('sqs', `AmazonSQS.${op}`, '1.0', body)
  const events = (op: string, body: Record<string, unknown>) => json('events', `AWSEvents.${op}`, '1.1', body)
  const logs = (op: string, body: Record<string, unknown>) => json('logs', `Logs_20140328.${op}`, '1.1', body)
  const lambda = (method: string, path: string, body?: Record<string, unknown>): Seed => ({ family: 'rest-json', service: 'lambda', method, path,
    headers: body === undefined ? {} : { 'content-type': 'application/json' }, ...(body === undefined ? {} : { json: body }) })
  const s3 = (method: string, path: string, text?: string, headers: Record<string, string> = {}): Seed => ({ family: 'rest-xml', service: 's3',
    method, path, headers, ...(text === undefined ? {} : { text }) })
  const zip = makeZip([{ path: 'index.js', content: 'exports.handler = async () => 1' }]).toString('base64')
  const attribute = { DataType: 'String', StringValue: 'v' }
  return [
    sqsQuery('SendMessage', [['QueueUrl', queueUrl], ['MessageBody', 'hello'], ['DelaySeconds', '0'], ['MessageAttribute.1.Name', 'a'],
      ['MessageAttribute.1.Value.DataType', 'String'], ['MessageAttribute.1.Value.StringValue', 'v'],
      ['MessageAttribute.2.Name', 'b'], ['MessageAttribute.2.Value.DataType', 'Binary'], ['MessageAttribute.2.Value.BinaryValue', 'AQID']]),
    sqsQuery('SendMessageBatch', [['QueueUrl', queueUrl], ['SendMessageBatchRequestEntry.1.Id', 'a'],
      ['SendMessageBatchRequestEntry.1.MessageBody', 'x'], ['SendMessageBatchRequestEntry.2.Id', 'b'], ['SendMessageBatchRequestEntry.2.MessageBody', 'y']]),
    sqsQuery('DeleteMessageBatch', [['QueueUrl', queueUrl], ['DeleteMessageBatchRequestEntry.1.Id', 'a'],
      ['DeleteMessageBatchRequestEntry.1.ReceiptHandle', 'bm9wZQ==']]),
    sqsQuery('ChangeMessageVisibilityBatch', [['QueueUrl', queueUrl], ['ChangeMessageVisibilityBatchRequestEntry.1.Id', 'a'],
      ['ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle', 'bm9wZQ=='], ['ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout', '5']]),
    sqsQuery('ReceiveMessage', [['QueueUrl', queueUrl], ['MaxNumberOfMessages', '1'], ['VisibilityTimeout', '0'], ['AttributeName.1', 'All'],
      ['MessageAttributeName.1', 'All']]),
    sqsQuery('SetQueueAttributes', [['QueueUrl', queueUrl], ['Attribute.1.Name', 'VisibilityTimeout'], ['Attribute.1.Value', '30'],
      ['Attribute.2.Name', 'RedrivePolicy'], ['Attribute.2.Value', JSON.stringify({ deadLetterTargetArn: queueArn, maxReceiveCount: 3 })]]),
    sqsQuery('AddPermission', [['QueueUrl', queueUrl], ['Label', 'l1'], ['AWSAccountId.1', '111111111111'], ['ActionName.1', 'SendMessage']]),
    sqsQuery('TagQueue', [['QueueUrl', queueUrl], ['Tag.1.Key', 'k'], ['Tag.1.Value', 'v']]),
    sqsQuery('CreateQueue', [['QueueName', 'fuzz-q2.fifo'], ['Attribute.1.Name', 'FifoQueue'], ['Attribute.1.Value', 'true']]),
    snsQuery('Publish', [['TopicArn', topicArn], ['Message', 'hello'], ['Subject', 's'], ['MessageAttributes.entry.1.Name', 'a'],
      ['MessageAttributes.entry.1.Value.DataType', 'String'], ['MessageAttributes.entry.1.Value.StringValue', 'v']]),
    snsQuery('PublishBatch', [['TopicArn', topicArn], ['PublishBatchRequestEntries.member.1.Id', 'a'],
      ['PublishBatchRequestEntries.member.1.Message', 'x']]),
    snsQuery('Subscribe', [['TopicArn', topicArn], ['Protocol', 'sqs'], ['Endpoint', queueArn], ['Attributes.entry.1.key', 'FilterPolicy'],
      ['Attributes.entry.1.value', '{"a":["b"]}'], ['ReturnSubscriptionArn', 'true']]),
    snsQuery('SetTopicAttributes', [['TopicArn', topicArn], ['AttributeName', 'DisplayName'], ['AttributeValue', 'x']]),
    snsQuery('AddPermission', [['TopicArn', topicArn], ['Label', 'l1'], ['AWSAccountId.member.1', '111111111111'], ['ActionName.member.1', 'Publish']]),
    snsQuery('CreateTopic', [['Name', 'fuzz-t2'], ['Tags.member.1.Key', 'k'], ['Tags.member.1.Value', 'v']]),
    sqs('SendMessage', { QueueUrl: queueUrl, MessageBody: 'hi', DelaySeconds: 0, MessageAttributes: { a: attribute, b: { DataType: 'Binary', BinaryValue: 'AQID' } } }),
    sqs('SendMessageBatch', { QueueUrl: queueUrl, Entries: [{ Id: 'a', MessageBody: 'x' }, { Id: 'b', MessageBody: 'y', DelaySeconds: 1 }] }),
    sqs('DeleteMessageBatch', { QueueUrl: queueUrl, Entries: [{ Id: 'a', ReceiptHandle: 'bm9wZQ==' }] }),
    sqs('ReceiveMessage', { QueueUrl: queueUrl, MaxNumberOfMessages: 2, VisibilityTimeout: 0, MessageSystemAttributeNames: ['All'] }),
    sqs('SetQueueAttributes', { QueueUrl: queueUrl, Attributes: { VisibilityTimeout: '30', Policy: '{"Version":"2012-10-17","Statement":[]}' } }),
    sqs('ListQueues', { QueueNamePrefix: 'fuzz', MaxResults: 10 }),
    sqs('StartMessageMoveTask', { SourceArn: queueArn, MaxNumberOfMessagesPerSecond: 10 }),
    events('PutEvents', { Entries: [{ Source: 'app', DetailType: 't', Detail: '{"a":1}', Resources: ['r'], Time: 1_700_000_000 }] }),
    events('PutRule', { Name: 'fuzz-r', EventBusName: names.bus, EventPattern: '{"source":["app"],"detail":{"a":[{"numeric":[">",0]}]}}' }),
    events('PutTargets', { Rule: 'fuzz-r', EventBusName: names.bus, Targets: [{ Id: '1', Arn: queueArn,
      InputTransformer: { InputPathsMap: { a: '$.detail.a' }, InputTemplate: '{"x": <a>}' } }] }),
    events('TestEventPattern', { EventPattern: '{"source":["app"]}', Event: JSON.stringify({ id: '1', account, source: 'app', time: '2020-01-01T00:00:00Z',
      region: 'us-east-1', resources: [], 'detail-type': 't', detail: {} }) }),
    events('CreateArchive', { ArchiveName: 'fuzz-a', EventSourceArn: `arn:aws:events:us-east-1:${account}:event-bus/${names.bus}`, RetentionDays: 1 }),
    events('ListRules', { EventBusName: names.bus, Limit: 10 }),
    logs('PutLogEvents', { logGroupName: names.group, logStreamName: 's', logEvents: [{ timestamp: 1_700_000_000_000, message: 'hello' }] }),
    logs('FilterLogEvents', { logGroupName: names.group, filterPattern: '{ ($.a = 1) && ($.b = "x") }', limit: 10, startTime: 0 }),
    logs('GetLogEvents', { logGroupName: names.group, logStreamName: 's', startFromHead: true, limit: 5 }),
    logs('DescribeLogStreams', { logGroupName: names.group, orderBy: 'LastEventTime', descending: true }),
    logs('CreateLogGroup', { logGroupName: 'fuzz-g2', tags: { k: 'v' } }),
    lambda('POST', '/2015-03-31/functions', { FunctionName: 'fuzz-fn2', Runtime: 'nodejs22.x', Handler: 'index.handler',
      Role: `arn:aws:iam::${account}:role/r`, Code: { ZipFile: zip }, Timeout: 3, MemorySize: 128, Environment: { Variables: { A: 'b' } } }),
    lambda('GET', `/2015-03-31/functions/${names.fn}`),
    lambda('GET', '/2015-03-31/functions?MaxItems=5'),
    lambda('PUT', `/2015-03-31/functions/${names.fn}/configuration`, { Timeout: 5, Description: 'd' }),
    lambda('POST', `/2015-03-31/functions/${names.fn}/aliases`, { Name: 'live', FunctionVersion: '$LATEST' }),
    lambda('PUT', `/2019-09-25/functions/${names.fn}/event-invoke-config`, { MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 60 }),
    lambda('POST', `/2015-03-31/functions/${names.fn}/policy`, { StatementId: 's1', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com' }),
    lambda('GET', `/2015-03-31/functions/${names.fn}/versions?Marker=x&MaxItems=1`),
    s3('PUT', `/${names.bucket}/key.txt`, 'hello', { 'content-type': 'text/plain', 'x-amz-meta-a': 'b' }),
    s3('GET', `/${names.bucket}/key.txt`, undefined, { range: 'bytes=0-2' }),
    s3('GET', `/${names.bucket}?list-type=2&max-keys=5&prefix=k`),
    s3('PUT', `/${names.bucket}?tagging`, '<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>'),
    s3('POST', `/${names.bucket}?delete`, '<Delete><Object><Key>nope</Key></Object><Quiet>true</Quiet></Delete>'),
    s3('PUT', `/${names.bucket}?cors`, '<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>'),
    s3('PUT', `/${names.bucket}/copy.txt`, undefined, { 'x-amz-copy-source': `/${names.bucket}/key.txt` }),
    s3('POST', `/${names.bucket}/mp?uploads`),
    s3('PUT', `/${names.bucket}/mp?partNumber=1&uploadId=nope`, 'part'),
    s3('POST', `/${names.bucket}/mp?uploadId=nope`, '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"x"</ETag></Part></CompleteMultipartUpload>'),
    s3('PUT', `/${names.bucket}?lifecycle`, '<LifecycleConfiguration><Rule><ID>r</ID><Status>Enabled</Status><Filter><Prefix>a</Prefix></Filter>' +
      '<Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>'),
    s3('HEAD', `/${names.bucket}/key.txt`),
  ]
}
