// HTTP APIs' first-class AWS service integrations (IntegrationSubtype), as AWS's "Integration subtype
// reference" lists them: each one's parameters (which are required) and the service call it makes.
// StepFunctions-* and AppConfig-* name services Nimbus doesn't serve yet.

export interface Subtype {
  /** The service's signing name and its JSON target (Nimbus calls SQS through its JSON protocol). */
  service: string
  target: string
  jsonVersion: '1.0' | '1.1'
  parameters: readonly string[]
  required: readonly string[]
  /** Builds the service's JSON request from the mapped parameters (strings). */
  request(params: Record<string, string>): Record<string, unknown>
  /** SQS answers in AWS's JSON form of its query responses: `{"SendMessageResponse": {"SendMessageResult": …}}` [R]. */
  wrap?: string
}

const numbers = (params: Record<string, string>, names: string[]) =>
  Object.fromEntries(names.filter((n) => params[n] !== undefined).map((n) => [n, Number(params[n])]))

/** A list parameter: a JSON array, else comma-separated names [R]. */
const list = (text: string | undefined): string[] | undefined => {
  if (text === undefined) return undefined
  try {
    const parsed: unknown = JSON.parse(text)
    if (Array.isArray(parsed)) return parsed.map(String)
  } catch {
    // Not JSON: a comma-separated list.
  }
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '')
}

const object = (text: string | undefined): unknown => {
  if (text === undefined) return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

const pick = (params: Record<string, string>, names: string[]) =>
  Object.fromEntries(names.filter((n) => params[n] !== undefined).map((n) => [n, params[n]]))

export const subtypes: Record<string, Subtype> = {
  'SQS-SendMessage': {
    service: 'sqs', target: 'AmazonSQS.SendMessage', jsonVersion: '1.0', wrap: 'SendMessage',
    parameters: ['QueueUrl', 'MessageBody', 'DelaySeconds', 'MessageAttributes', 'MessageDeduplicationId', 'MessageGroupId', 'MessageSystemAttributes', 'Region'],
    required: ['QueueUrl', 'MessageBody'],
    request: (p) => ({
      ...pick(p, ['QueueUrl', 'MessageBody', 'MessageDeduplicationId', 'MessageGroupId']), ...numbers(p, ['DelaySeconds']),
      MessageAttributes: object(p.MessageAttributes), MessageSystemAttributes: object(p.MessageSystemAttributes),
    }),
  },
  'SQS-ReceiveMessage': {
    service: 'sqs', target: 'AmazonSQS.ReceiveMessage', jsonVersion: '1.0', wrap: 'ReceiveMessage',
    parameters: ['QueueUrl', 'AttributeNames', 'MaxNumberOfMessages', 'MessageAttributeNames', 'ReceiveRequestAttemptId', 'VisibilityTimeout', 'WaitTimeSeconds', 'Region'],
    required: ['QueueUrl'],
    request: (p) => ({
      ...pick(p, ['QueueUrl', 'ReceiveRequestAttemptId']), ...numbers(p, ['MaxNumberOfMessages', 'VisibilityTimeout', 'WaitTimeSeconds']),
      AttributeNames: list(p.AttributeNames), MessageAttributeNames: list(p.MessageAttributeNames),
    }),
  },
  'SQS-DeleteMessage': {
    service: 'sqs', target: 'AmazonSQS.DeleteMessage', jsonVersion: '1.0', wrap: 'DeleteMessage',
    parameters: ['ReceiptHandle', 'QueueUrl', 'Region'], required: ['ReceiptHandle', 'QueueUrl'],
    request: (p) => pick(p, ['QueueUrl', 'ReceiptHandle']),
  },
  'SQS-PurgeQueue': {
    service: 'sqs', target: 'AmazonSQS.PurgeQueue', jsonVersion: '1.0', wrap: 'PurgeQueue',
    parameters: ['QueueUrl', 'Region'], required: ['QueueUrl'],
    request: (p) => pick(p, ['QueueUrl']),
  },
  'EventBridge-PutEvents': {
    service: 'events', target: 'AWSEvents.PutEvents', jsonVersion: '1.1',
    parameters: ['Detail', 'DetailType', 'Source', 'Time', 'EventBusName', 'Resources', 'Region', 'TraceHeader'],
    required: ['Detail', 'DetailType', 'Source'],
    request: (p) => ({
      Entries: [{ ...pick(p, ['Detail', 'DetailType', 'Source', 'EventBusName', 'TraceHeader']), Resources: list(p.Resources),
        ...(p.Time !== undefined && { Time: /^\d+(\.\d+)?$/.test(p.Time) ? Number(p.Time) : Date.parse(p.Time) / 1000 }) }],
    }),
  },
  'Kinesis-PutRecord': {
    service: 'kinesis', target: 'Kinesis_20131202.PutRecord', jsonVersion: '1.1',
    parameters: ['StreamName', 'Data', 'PartitionKey', 'SequenceNumberForOrdering', 'ExplicitHashKey', 'Region'],
    required: ['StreamName', 'Data', 'PartitionKey'],
    // [R] The mapped Data is the record's bytes: Nimbus base64-encodes it for Kinesis's JSON API.
    request: (p) => ({
      ...pick(p, ['StreamName', 'PartitionKey', 'SequenceNumberForOrdering', 'ExplicitHashKey']),
      Data: Buffer.from(p.Data ?? '', 'utf8').toString('base64'),
    }),
  },
}

/** Subtypes AWS has whose service Nimbus doesn't serve (README Gaps). */
export const unservedSubtypes = new Set(['AppConfig-GetConfiguration', 'StepFunctions-StartExecution', 'StepFunctions-StartSyncExecution',
  'StepFunctions-StopExecution'])
