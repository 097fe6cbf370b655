// The fabric's vocabulary: a delivery ("this payload to that ARN, with this policy"), what a target
// answers, and what a pending retry is — plain data, so durable state can store and re-arm it.
import type { RetryPolicy } from './policy.ts'

/** A message attribute as SQS and SNS both carry them. */
export interface DeliveryAttribute {
  DataType: string
  StringValue?: string
  BinaryValue?: Uint8Array
}

/**
 * What a target kind may need beyond the payload, as plain data. Each kind reads the members it
 * knows (its README says which); the others are ignored.
 */
export interface DeliveryOptions {
  /** SQS and SNS: message attributes. */
  attributes?: Record<string, DeliveryAttribute>
  /** SQS: MessageGroupId (FIFO queues, and fair standard queues unless `groupIdFifoOnly`). */
  groupId?: string
  /** SQS: only a FIFO queue gets the group id (SNS FIFO topics don't forward it to standard queues). */
  groupIdFifoOnly?: boolean
  /** SQS: MessageDeduplicationId, for FIFO queues only. */
  dedupId?: string
  /** SQS: the principal shown as SenderId. */
  senderId?: string
  /** SQS: the X-Ray header (AWSTraceHeader); Lambda async: the trace every attempt shares. */
  traceHeader?: string
  /** SNS: Subject. */
  subject?: string
  /** SQS and SNS: a FIFO queue or topic refuses the delivery (Lambda destinations). */
  standardOnly?: boolean
  /** EventBridge buses: the entry's Source, DetailType, Resources and Time; the account and region putting it. */
  source?: string
  detailType?: string
  resources?: string[]
  time?: number
  account?: string
  region?: string
  /** Kinesis and Firehose: the payload is base64 of binary data (CloudWatch Logs' gzip), decoded into the record. */
  payloadEncoding?: 'base64'
  /** S3 buckets (Lambda stream mappings' on-failure records): the object's key. */
  objectKey?: string
  /** Kinesis: the record's partition key (the delivery's id when absent). */
  partitionKey?: string
  /** CloudWatch Logs: the stream (created when missing) and the event's timestamp. */
  logStream?: string
  /** HTTP senders: request headers. */
  headers?: Record<string, string>
  /** Anything (JSON-able) a sender of the owner's own needs: Lambda's request id and version, an API destination's HttpParameters. */
  extra?: Record<string, unknown>
}

/** Where a delivery's dead letter goes, and (optionally) what it carries instead of the payload. */
export interface DeadLetter {
  target: string
  payload?: string
  options?: DeliveryOptions
}

export interface Delivery {
  /**
   * The service whose AWS policy governs the delivery ('sns', 'events', 'lambda', 's3'): its reset
   * cancels it, its registered hooks shape its dead letter and hear how it settled.
   */
  readonly owner: string
  /** Where it comes from: a topic, rule, bucket or function ARN (the trace log's source). */
  readonly source: string
  /** An ARN (dispatched to its target kind) or, with `via`, whatever that sender addresses (an URL). */
  readonly target: string
  /** A named sender instead of the ARN's target kind: HTTP endpoints, API destinations, Lambda's own invocation. */
  readonly via?: string
  /** The event or message id (the trace log's id). */
  readonly id: string
  readonly payload: string
  readonly options?: DeliveryOptions
  readonly policy: RetryPolicy
  readonly deadLetter?: DeadLetter
  /** When the event was born (maximum age counts from here); default: when handed to the fabric. */
  readonly since?: number
}

/** A successful send: the id the target gave what it made (SQS message id, SNS message id, request id). */
export interface Delivered {
  ref?: string
  /** What the target answered (a function's response), for the owner's records. */
  response?: string
  /** Owner-specific facts of the attempt (Lambda: the executed version). */
  extra?: Record<string, unknown>
}

/** A pending delivery: what persistence stores to re-arm it at start. */
export interface Pending {
  readonly seq: number
  /** Epoch ms on the clock. */
  dueAt: number
  /** Replaced (never changed) when its owner refreshes it. */
  delivery: Delivery
  /** When the delivery entered the fabric (or its `since`). */
  readonly firstAt: number
  /** Sends made so far (throttled ones included). */
  attempts: number
  /** Of those, throttled ones: they don't use up retries. */
  throttles: number
}

export type Condition = 'RetriesExhausted' | 'EventAgeExceeded' | 'NotRetryable'

/** How a delivery ended, as the owner's `settled` hook hears it. */
export interface Settlement {
  readonly outcome: 'delivered' | 'dead-lettered' | 'failed' | 'dropped'
  readonly attempts: number
  readonly throttles: number
  readonly delivered?: Delivered
  /** The last failure (not for 'delivered'). */
  readonly failure?: import('./failure.ts').DeliveryFailure
  readonly condition?: Condition
}
