// The target kinds: how the fabric delivers to each service's ARNs, through that service's port.
// Registered once by the composition root (registry.ts); the ports are the registry's stand-ins, so
// a service still loads only when something is first delivered to it.
import { parseArn } from '../core/arn.ts'
import type { Clock } from '../core/clock.ts'
import { DeliveryFailure } from '../fabric/failure.ts'
import type { Fabric } from '../fabric/fabric.ts'
import type { Delivery } from '../fabric/types.ts'
import type { EventBridgePort } from './eventbridge/port.ts'
import type { FirehosePort } from './firehose/port.ts'
import type { KinesisPort } from './kinesis/port.ts'
import type { LambdaPort } from './lambda/port.ts'
import type { LogsPort } from './logs/port.ts'
import type { S3Port } from './s3/port.ts'
import type { SnsMessageAttributes, SnsPort } from './sns/port.ts'
import type { Attributes, SqsPort } from './sqs/port.ts'

export interface TargetPorts {
  sqs: SqsPort
  sns: SnsPort
  lambda: LambdaPort
  eventbridge: EventBridgePort
  logs: LogsPort
  firehose: FirehosePort
  kinesis: KinesisPort
  s3: S3Port
}

/** A record's bytes: the payload as text, or decoded from base64 when the source says so (binary data). */
const recordData = (d: Delivery) => Buffer.from(d.payload, d.options?.payloadEncoding === 'base64' ? 'base64' : 'utf8')

/** The wording EventBridge's dead letters carry in ERROR_MESSAGE for a target that is gone. */
const missing = (arn: string) => new DeliveryFailure('NO_RESOURCE', `Target ${arn} does not exist.`)

export function registerTargetKinds(fabric: Fabric, ports: TargetPorts, clock: Clock): void {
  fabric.registerTarget({ service: 'sqs', send: (d) => toQueue(ports.sqs, d) })
  fabric.registerTarget({ service: 'sns', send: (d) => toTopic(ports.sns, d) })
  fabric.registerTarget({
    service: 'lambda',
    send: (d) => {
      if (!ports.lambda.exists(d.target)) throw missing(d.target)
      return { ref: ports.lambda.invokeAsync(d.target, d.payload) }
    },
  })
  fabric.registerTarget({ service: 'events', accepts: (arn) => /:event-bus\//.test(arn), send: (d) => toBus(ports.eventbridge, d) })
  fabric.registerTarget({ service: 'logs', send: (d) => toLogGroup(ports.logs, d, clock) })
  fabric.registerTarget({ service: 'firehose', send: (d) => toDeliveryStream(ports.firehose, d) })
  fabric.registerTarget({ service: 'kinesis', send: (d) => toDataStream(ports.kinesis, d) })
  fabric.registerTarget({ service: 's3', send: (d) => toBucket(ports.s3, d) })
}

/** S3: the payload as one JSON object at `options.objectKey`, written as the bucket's owner (Lambda's stream on-failure records). */
async function toBucket(s3: S3Port, d: Delivery) {
  const bucket = d.target.slice(d.target.indexOf(':::') + 3)
  if (!d.target.includes(':::') || bucket === '' || !s3.exists(bucket)) throw missing(d.target)
  const put = await s3.putObject(bucket, d.options?.objectKey ?? d.id, Buffer.from(d.payload), { contentType: 'application/json' })
  return { ref: put.etag }
}

/** SQS: group ids reach FIFO queues (and fair standard queues unless `groupIdFifoOnly`), dedup ids FIFO queues only. */
function toQueue(sqs: SqsPort, d: Delivery) {
  const arn = d.target
  const o = d.options ?? {}
  if (!sqs.exists(arn)) throw missing(arn)
  const fifo = sqs.isFifo(arn)
  // AWS delivers Lambda destinations only to standard queues.
  if (fifo && o.standardOnly === true) throw new DeliveryFailure('SDK_CLIENT_ERROR', 'FIFO queues are not supported as destinations')
  const out = sqs.send({
    queueArn: arn, body: d.payload, attributes: o.attributes as Attributes | undefined, senderId: o.senderId ?? '',
    groupId: fifo || o.groupIdFifoOnly !== true ? o.groupId : undefined, dedupId: fifo ? o.dedupId : undefined,
    traceHeader: o.traceHeader,
  })
  return { ref: out.messageId }
}

function toTopic(sns: SnsPort, d: Delivery) {
  const arn = d.target
  const o = d.options ?? {}
  if (!sns.exists(arn)) throw missing(arn)
  if (o.standardOnly === true && sns.isFifo(arn)) throw new DeliveryFailure('SDK_CLIENT_ERROR', 'FIFO topics are not supported as destinations')
  const request: Parameters<SnsPort['publish']>[1] = { Message: d.payload }
  if (o.subject !== undefined) request.Subject = o.subject
  if (o.attributes !== undefined) request.MessageAttributes = o.attributes as SnsMessageAttributes
  return { ref: sns.publish(arn, request).messageId }
}

/** A bus takes the payload as an event's Detail, put by an AWS service (`options.source` and `detailType`). */
function toBus(eventbridge: EventBridgePort, d: Delivery) {
  const o = d.options ?? {}
  const arn = parseArn(d.target)
  const [result] = eventbridge.putEvents(o.account ?? arn?.account ?? '', o.region ?? arn?.region ?? '', [{
    source: o.source ?? '', detailType: o.detailType ?? '', detail: d.payload, resources: o.resources, time: o.time,
    eventBusName: d.target, traceHeader: o.traceHeader,
  }])
  if (result?.errorCode !== undefined) throw new DeliveryFailure('SDK_CLIENT_ERROR', `${result.errorCode}: ${result.errorMessage}`)
  return { ref: result?.eventId }
}

/** A log group (`log-group:<name>[:*]`) gets the payload as one event in `options.logStream`. */
function toLogGroup(logs: LogsPort, d: Delivery, clock: Clock) {
  const arn = parseArn(d.target)
  const group = arn === undefined ? undefined : /^log-group:([^:]+)(?::\*)?$/.exec(arn.resource)?.[1]
  if (arn === undefined || group === undefined || !logs.groupExists(arn.account, arn.region, group)) throw missing(d.target)
  const o = d.options ?? {}
  logs.write(arn.account, arn.region, group, o.logStream ?? d.id, [{ timestamp: o.time ?? clock.now(), message: d.payload }])
}

/**
 * A Firehose delivery stream (`deliverystream/<name>`) gets the payload as one record, as PutRecord
 * would (sources add their own delimiters: SNS a line break). A stream not ACTIVE or not DirectPut
 * refuses it as PutRecord does: a client error, not retried.
 */
function toDeliveryStream(firehose: FirehosePort, d: Delivery) {
  const arn = parseArn(d.target)
  const name = arn === undefined ? undefined : /^deliverystream\/(.+)$/.exec(arn.resource)?.[1]
  if (arn === undefined || name === undefined || !firehose.exists(arn.account, arn.region, name)) throw missing(d.target)
  try {
    return { ref: firehose.putRecord(arn.account, arn.region, name, recordData(d)) }
  } catch (error) {
    const e = error as { code?: string; message?: string }
    throw new DeliveryFailure('SDK_CLIENT_ERROR', `${e.code ?? 'Error'}: ${e.message ?? String(error)}`)
  }
}

/**
 * A Kinesis data stream (`stream/<name>`) gets the payload as one record, as PutRecord would, with
 * `options.partitionKey` (else the delivery's id: EventBridge's default is the event id). A shard
 * over its write throughput is a throttle, retried; other refusals are client errors.
 */
function toDataStream(kinesis: KinesisPort, d: Delivery) {
  const arn = parseArn(d.target)
  const name = arn === undefined ? undefined : /^stream\/(.+)$/.exec(arn.resource)?.[1]
  if (arn === undefined || name === undefined || !kinesis.streamExists(arn.account, arn.region, name)) throw missing(d.target)
  try {
    const put = kinesis.putRecord(arn.account, arn.region, name, d.options?.partitionKey ?? d.id, recordData(d))
    return { ref: put.sequenceNumber }
  } catch (error) {
    const e = error as { code?: string; message?: string }
    const message = `${e.code ?? 'Error'}: ${e.message ?? String(error)}`
    if (e.code === 'ProvisionedThroughputExceededException') throw new DeliveryFailure('ERROR_FROM_TARGET', message, { retryable: true })
    throw new DeliveryFailure('SDK_CLIENT_ERROR', message)
  }
}
