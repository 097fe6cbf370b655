// The event an SQS event source mapping hands a function, exactly as AWS shapes it (aws-behaviour.md §2.9).
import type { SqsReceived } from '../../sqs/port.ts'

export interface SqsRecord {
  messageId: string
  receiptHandle: string
  body: string
  attributes: Record<string, string>
  messageAttributes: Record<string, Record<string, unknown>>
  md5OfMessageAttributes?: string
  md5OfBody: string
  eventSource: 'aws:sqs'
  eventSourceARN: string
  awsRegion: string
}

/** Key order matters to people diffing events: it follows AWS's. */
export function toSqsRecord(m: SqsReceived, queueArn: string, region: string): SqsRecord {
  const attributes: Record<string, string> = {
    ApproximateReceiveCount: String(m.receiveCount),
    ...(m.traceHeader === undefined ? {} : { AWSTraceHeader: m.traceHeader }),
    SentTimestamp: String(m.sentTimestamp),
    ...(m.sequenceNumber === undefined ? {} : { SequenceNumber: m.sequenceNumber }),
    ...(m.groupId === undefined ? {} : { MessageGroupId: m.groupId }),
    SenderId: m.senderId,
    ...(m.dedupId === undefined ? {} : { MessageDeduplicationId: m.dedupId }),
    ApproximateFirstReceiveTimestamp: String(m.firstReceiveTimestamp),
  }
  const messageAttributes: Record<string, Record<string, unknown>> = {}
  for (const [name, value] of Object.entries(m.attributes ?? {})) {
    messageAttributes[name] = value.BinaryValue !== undefined
      ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64'), stringListValues: [], binaryListValues: [], dataType: value.DataType }
      : { stringValue: value.StringValue, stringListValues: [], binaryListValues: [], dataType: value.DataType }
  }
  return {
    messageId: m.messageId,
    receiptHandle: m.receiptHandle,
    body: m.body,
    attributes,
    messageAttributes,
    ...(m.attributesMd5 === undefined ? {} : { md5OfMessageAttributes: m.attributesMd5 }),
    md5OfBody: m.bodyMd5,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  }
}

/**
 * Which messages of a batch failed, from a ReportBatchItemFailures response. `undefined` means the
 * whole batch failed: an identifier missing, empty, not in the batch, or a malformed item.
 * `null`, `{}`, `{"batchItemFailures": []}` and `{"batchItemFailures": null}` are complete success.
 */
export function failedItems(payload: Buffer, batch: readonly SqsRecord[]): Set<string> | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(payload.toString('utf8') || 'null')
  } catch {
    return new Set()
  }
  if (parsed === null || typeof parsed !== 'object') return new Set()
  const failures = (parsed as { batchItemFailures?: unknown }).batchItemFailures
  if (failures === undefined || failures === null) return new Set()
  if (!Array.isArray(failures)) return undefined
  const ids = new Set(batch.map((r) => r.messageId))
  const failed = new Set<string>()
  for (const item of failures) {
    const id = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier
    if (typeof id !== 'string' || id === '' || !ids.has(id)) return undefined
    failed.add(id)
  }
  return failed
}
