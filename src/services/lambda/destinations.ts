// Where async invocation records go: SQS and SNS (standard only), Lambda, EventBridge buses
// (aws-behaviour.md §2.6), through the delivery fabric by the destination's ARN; S3 buckets for
// stream mappings' on-failure records (the fabric's s3 target kind writes the object).
import { arnService, type Fabric } from '../../fabric/fabric.ts'
import { noRetry } from '../../fabric/policy.ts'

export interface RecordSource {
  /** The function ARN qualified as invoked. */
  functionArn: string
  account: string
  requestId: string
  success: boolean
  traceHeader: string | undefined
  /** S3 destinations: the object's key. */
  objectKey?: string
}

/**
 * A failed delivery counts as a DestinationDeliveryFailure on AWS; the invocation itself is
 * unaffected, so the fabric only logs it (owner 'lambda:destination' has no hooks).
 */
export function sendToDestination(fabric: Fabric, targetArn: string, record: string, from: RecordSource): void {
  const service = arnService(targetArn)
  fabric.deliver({
    owner: 'lambda:destination', source: from.functionArn, target: targetArn, id: from.requestId,
    payload: service === 'sns' ? fitForSns(record) : record,
    options: {
      // AWS delivers only to standard queues and topics. SQS destinations carry the invocation's trace header.
      standardOnly: true, senderId: from.account, traceHeader: service === 'sqs' ? from.traceHeader : undefined, account: from.account,
      region: from.functionArn.split(':')[3],
      source: 'lambda', detailType: `Lambda Function Invocation Result - ${from.success ? 'Success' : 'Failure'}`,
      resources: [targetArn, from.functionArn], objectKey: from.objectKey,
    },
    policy: noRetry,
  })
}

/** SNS takes 256 KB: a larger record loses its request and response payloads, as on AWS [M]. */
function fitForSns(record: string): string {
  if (Buffer.byteLength(record) <= 256 * 1024) return record
  const trimmed = JSON.parse(record) as Record<string, unknown>
  delete trimmed.requestPayload
  delete trimmed.responsePayload
  return JSON.stringify(trimmed)
}
