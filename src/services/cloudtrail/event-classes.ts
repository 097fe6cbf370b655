// Which calls CloudTrail records as what: management events (every call, read-only or not) and data
// events (item, object, message and invoke calls, recorded only by a trail whose selectors ask for
// them), with the resources a data event names (what data-resource selectors match).
import type { ApiCall } from '../service.ts'
import type { EventResource } from './port.ts'

const readOnlyNames = /^(Get|List|Describe|Head|Test|Lookup|Search|Check|Filter|Select|BatchGet|Detect|Validate|Query|Scan|Receive|TransactGet)/

/** Data-plane operations per signing name: CloudTrail data events. */
const dataOperations: Record<string, ReadonlySet<string>> = {
  sqs: new Set(['SendMessage', 'SendMessageBatch', 'ReceiveMessage', 'DeleteMessage', 'DeleteMessageBatch',
    'ChangeMessageVisibility', 'ChangeMessageVisibilityBatch']),
  sns: new Set(['Publish', 'PublishBatch']),
  lambda: new Set(['Invoke', 'InvokeAsync', 'InvokeWithResponseStream']),
  events: new Set(['PutEvents']),
  logs: new Set(['PutLogEvents']),
  dynamodb: new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'GetItem', 'BatchWriteItem', 'BatchGetItem', 'Query', 'Scan',
    'TransactWriteItems', 'TransactGetItems', 'ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction',
    // DynamoDB Streams signs as dynamodb: reading records is data-plane too.
    'GetRecords', 'GetShardIterator']),
  kinesis: new Set(['PutRecord', 'PutRecords', 'GetRecords', 'GetShardIterator', 'SubscribeToShard']),
  firehose: new Set(['PutRecord', 'PutRecordBatch']),
  monitoring: new Set(['PutMetricData', 'GetMetricData', 'GetMetricStatistics', 'ListMetrics']),
  s3: new Set(['PutObject', 'GetObject', 'HeadObject', 'DeleteObject', 'DeleteObjects', 'CopyObject', 'CreateMultipartUpload',
    'UploadPart', 'UploadPartCopy', 'CompleteMultipartUpload', 'AbortMultipartUpload', 'PutObjectTagging',
    'DeleteObjectTagging', 'PutObjectAcl', 'RestoreObject', 'SelectObjectContent', 'GetObjectTagging', 'GetObjectAcl']),
}

export type { EventResource }

export function isReadOnly(operation: string): boolean {
  return readOnlyNames.test(operation)
}

export function isDataEvent(signingName: string, operation: string): boolean {
  return dataOperations[signingName]?.has(operation) === true
}

/** The resources a data event acts on, as its record's `resources` names them. */
export function dataResources(call: ApiCall): EventResource[] {
  const { account, region } = call.caller
  const input = call.input
  switch (call.signingName) {
    case 'dynamodb':
      return dynamoTables(input).map((name) => ({
        type: 'AWS::DynamoDB::Table', arn: name.startsWith('arn:') ? name : `arn:aws:dynamodb:${region}:${account}:table/${name}`,
      }))
    case 's3':
      return s3Objects(input).map((arn) => ({ type: 'AWS::S3::Object', arn }))
    case 'lambda': {
      const name = str(input['FunctionName'])
      if (name === undefined) return []
      return [{ type: 'AWS::Lambda::Function', arn: name.startsWith('arn:') ? name : `arn:aws:lambda:${region}:${account}:function:${name}` }]
    }
    case 'sns': {
      const arn = str(input['TopicArn']) ?? str(input['TargetArn'])
      return arn === undefined ? [] : [{ type: 'AWS::SNS::Topic', arn }]
    }
    case 'kinesis': {
      const arn = str(input['StreamARN']) ?? (str(input['StreamName']) === undefined ? undefined
        : `arn:aws:kinesis:${region}:${account}:stream/${String(input['StreamName'])}`)
      return arn === undefined ? [] : [{ type: 'AWS::Kinesis::Stream', arn }]
    }
    case 'sqs': {
      const url = str(input['QueueUrl'])
      const match = url === undefined ? null : /\/(\d{12})\/([^/?]+)\/?$/.exec(url)
      return match === null ? [] : [{ type: 'AWS::SQS::Queue', arn: `arn:aws:sqs:${region}:${match[1]!}:${match[2]!}` }]
    }
    default:
      return []
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** Every table an item call names: TableName, a batch's RequestItems, a transaction's items, PartiQL statements. */
function dynamoTables(input: Record<string, unknown>): string[] {
  const names = new Set<string>()
  const add = (value: unknown) => {
    const name = str(value)
    if (name !== undefined) names.add(name)
  }
  add(input['TableName'])
  const requestItems = input['RequestItems']
  if (requestItems !== null && typeof requestItems === 'object') Object.keys(requestItems).forEach(add)
  for (const item of list(input['TransactItems'])) {
    for (const kind of ['Put', 'Update', 'Delete', 'ConditionCheck', 'Get']) add((item[kind] as Record<string, unknown> | undefined)?.['TableName'])
  }
  const statements = [input['Statement'], ...list(input['Statements']).map((s) => s['Statement']),
    ...list(input['TransactStatements']).map((s) => s['Statement'])]
  for (const statement of statements) {
    const match = typeof statement === 'string' ? /\b(?:from|into|update)\s+"?([A-Za-z0-9_.-]+)"?/i.exec(statement) : null
    if (match !== null) add(match[1])
  }
  return [...names]
}

function s3Objects(input: Record<string, unknown>): string[] {
  const bucket = str(input['Bucket'])
  if (bucket === undefined) return []
  const key = str(input['Key'])
  if (key !== undefined) return [`arn:aws:s3:::${bucket}/${key}`]
  const objects = list((input['Delete'] as Record<string, unknown> | undefined)?.['Objects'])
  return objects.flatMap((o) => (str(o['Key']) === undefined ? [] : [`arn:aws:s3:::${bucket}/${String(o['Key'])}`]))
}

function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object') : []
}
