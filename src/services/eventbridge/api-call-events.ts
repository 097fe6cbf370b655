// "AWS API Call via CloudTrail": every successful state-changing management call on an emulated
// service becomes an event on the caller's default bus (source `aws.<service>`), so the notes'
// "API call → CloudTrail → EventBridge → SNS" pattern works for any service. AWS sends write
// management events by default; read-only calls (Get/List/Describe…) and data events (messages,
// objects, invokes, publishes: they need a trail with data events) are not sent [D].
import { randomUUID } from 'node:crypto'
import type { ApiCall } from '../service.ts'
import type { EventBridgePort } from './port.ts'

const readOnly = /^(Get|List|Describe|Head|Test|Lookup|Search|Check|Filter|Select|BatchGet|Detect|Validate)/

/** Data-plane operations: CloudTrail data events, not delivered without a trail that records them. */
const dataEvents: Record<string, ReadonlySet<string>> = {
  sqs: new Set(['SendMessage', 'SendMessageBatch', 'ReceiveMessage', 'DeleteMessage', 'DeleteMessageBatch',
    'ChangeMessageVisibility', 'ChangeMessageVisibilityBatch']),
  sns: new Set(['Publish', 'PublishBatch']),
  lambda: new Set(['Invoke', 'InvokeAsync', 'InvokeWithResponseStream']),
  events: new Set(['PutEvents']),
  logs: new Set(['PutLogEvents']),
  dynamodb: new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'GetItem', 'BatchWriteItem', 'BatchGetItem', 'Query', 'Scan',
    'TransactWriteItems', 'TransactGetItems', 'ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction']),
  s3: new Set(['PutObject', 'GetObject', 'HeadObject', 'DeleteObject', 'DeleteObjects', 'CopyObject', 'CreateMultipartUpload',
    'UploadPart', 'UploadPartCopy', 'CompleteMultipartUpload', 'AbortMultipartUpload', 'PutObjectTagging',
    'DeleteObjectTagging', 'PutObjectAcl', 'RestoreObject', 'SelectObjectContent']),
}

/** Is this call one AWS delivers to EventBridge by default? */
export function deliversApiCallEvent(signingName: string, operation: string): boolean {
  return !readOnly.test(operation) && dataEvents[signingName]?.has(operation) !== true
}

/** The hook the gateway calls after each successful call; cheap when nothing could match. */
export function apiCallEvents(eventbridge: () => EventBridgePort | undefined, now: () => number): (call: ApiCall) => void {
  return (call) => {
    const port = eventbridge()
    const { account, region } = call.caller
    if (port === undefined || !port.defaultBusHasRules(account, region)) return
    if (!deliversApiCallEvent(call.signingName, call.operation)) return
    const time = now()
    port.putEvents(account, region, [{
      source: `aws.${call.signingName}`,
      detailType: 'AWS API Call via CloudTrail',
      time,
      detail: {
        eventVersion: '1.09',
        userIdentity: {
          type: 'Root', principalId: account, arn: `arn:aws:iam::${account}:root`, accountId: account,
          ...(call.caller.accessKeyId === '' ? {} : { accessKeyId: call.caller.accessKeyId }),
        },
        eventTime: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        eventSource: `${call.signingName}.amazonaws.com`,
        eventName: call.operation,
        awsRegion: region,
        sourceIPAddress: '127.0.0.1',
        userAgent: call.userAgent ?? '',
        requestParameters: cloudTrailShape(call.input) ?? null,
        responseElements: cloudTrailShape(call.output) ?? null,
        requestID: call.requestId,
        eventID: randomUUID(),
        readOnly: false,
        eventType: 'AwsApiCall',
        managementEvent: true,
        recipientAccountId: account,
        eventCategory: 'Management',
      },
    }])
  }
}

/**
 * CloudTrail writes top-level parameter names in lower camel case ("queueName", "topicArn"); nested
 * values (attribute maps, structures) are kept as sent [R]. Bodies and streams are left out.
 */
function cloudTrailShape(value: unknown): Record<string, unknown> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
  const out: Record<string, unknown> = {}
  for (const [key, member] of Object.entries(value)) {
    const shaped = secretMembers.has(key) ? hidden : plain(member)
    if (shaped !== undefined) out[key.charAt(0).toLowerCase() + key.slice(1)] = shaped
  }
  return Object.keys(out).length === 0 ? undefined : out
}

function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString()
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return undefined
  if (typeof value === 'object' && value !== null && typeof (value as { pipe?: unknown }).pipe === 'function') return undefined
  return redacted(value)
}

/** Members CloudTrail never shows (connection passwords, API keys, client secrets, secret parameters). */
const secretMembers = new Set(['Password', 'ApiKeyValue', 'ClientSecret', 'SecretAccessKey', 'SessionToken'])
const hidden = 'HIDDEN_DUE_TO_SECURITY_REASONS'

function redacted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redacted)
  if (typeof value !== 'object' || value === null) return value
  const secretValue = (value as { IsValueSecret?: unknown }).IsValueSecret === true
  return Object.fromEntries(Object.entries(value).map(([key, member]) =>
    [key, secretMembers.has(key) || (secretValue && key === 'Value') ? hidden : redacted(member)]))
}
