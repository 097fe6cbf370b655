// A log group's subscription filters (at most 2) and what they send, as AWS shapes it: a gzip-
// compressed JSON message {messageType, owner, logGroup, logStream, subscriptionFilters, logEvents}
// — as the record's bytes to Kinesis and Firehose, and base64 inside `{"awslogs":{"data":…}}` to
// Lambda (an asynchronous invoke). Delivered through the fabric, addressed by the destination ARN.
import { gzipSync } from 'node:zlib'

export interface SubscriptionFilterData {
  filterName: string
  filterPattern: string
  destinationArn: string
  roleArn?: string
  /** Kinesis destinations only: records keyed by log stream (default) or at random. */
  distribution: 'ByLogStream' | 'Random'
  creationTime: number
}

/** The destination kinds AWS takes: a Kinesis data stream, a Firehose stream, a Lambda function (or a cross-account destination: not served). */
export type DestinationKind = 'kinesis' | 'firehose' | 'lambda'

export function destinationKind(arn: string): DestinationKind | undefined {
  const m = /^arn:[^:]+:(kinesis|firehose|lambda):[^:]*:\d{12}:(stream\/.+|deliverystream\/.+|function:.+)$/.exec(arn)
  if (m === null) return undefined
  const [, service, resource] = m
  if (service === 'kinesis' && resource!.startsWith('stream/')) return 'kinesis'
  if (service === 'firehose' && resource!.startsWith('deliverystream/')) return 'firehose'
  if (service === 'lambda' && resource!.startsWith('function:')) return 'lambda'
  return undefined
}

export interface LogsMessage {
  messageType: 'DATA_MESSAGE' | 'CONTROL_MESSAGE'
  owner: string
  logGroup: string
  logStream: string
  subscriptionFilters: string[]
  logEvents: Array<{ id: string; timestamp: number; message: string }>
}

/**
 * The test message AWS sends when a Kinesis or Firehose filter is put, to check the destination
 * (`owner` "CloudwatchLogs", empty group and stream) [R wording of the message].
 */
export function controlMessage(kind: DestinationKind, now: number): LogsMessage {
  const what = kind === 'kinesis' ? 'Kinesis stream' : 'Firehose'
  return {
    messageType: 'CONTROL_MESSAGE', owner: 'CloudwatchLogs', logGroup: '', logStream: '', subscriptionFilters: [],
    logEvents: [{ id: '', timestamp: now, message: `CWL CONTROL MESSAGE: Checking health of destination ${what}.` }],
  }
}

/** The gzip-compressed JSON, base64 (the fabric carries text; Kinesis and Firehose decode it into the record's bytes). */
export function encodeMessage(message: LogsMessage): string {
  return gzipSync(JSON.stringify(message)).toString('base64')
}

/** What a Lambda destination is invoked with. */
export function lambdaEvent(encoded: string): string {
  return JSON.stringify({ awslogs: { data: encoded } })
}
