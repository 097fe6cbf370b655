// Data transformation with a Lambda processor: AWS's recordId/result/data contract. Records go to
// the function in invocations of at most the processor's BufferSizeInMBs; an invocation that fails
// (throws, function error, an answer that breaks the contract) is retried NumberOfRetries times;
// `Ok` records carry the function's data on, `Dropped` ones vanish, the rest become error records
// for the `processing-failed` error output, in AWS's format.
import { randomUUID } from 'node:crypto'
import type { LambdaPort, LambdaSyncResult } from '../lambda/port.ts'
import type { BufferedRecord } from './buffered-record.ts'
import { firehoseErrors } from './errors.ts'
import type * as T from './generated/types.ts'

export interface LambdaProcessor {
  lambdaArn: string
  retries: number
  /** The processor's own buffer (BufferSizeInMBs / BufferIntervalInSeconds): records wait for the function until either is reached. */
  bufferBytes: number
  intervalMs: number
}

export interface Processed {
  ok: BufferedRecord[]
  /** errorType is the `!{firehose:error-output-type}` of the error object the record goes to. */
  failed: Array<{ record: BufferedRecord; errorCode: string; errorMessage: string; attempts: number; endedAt: number
    errorType: 'processing-failed' | 'partitioning-failed' | 'http-endpoint-failed' | 'decompression-failed'; lambdaArn?: string }>
}

/** [R] for all but MissingRecordId (quoted from real processing-failed objects). */
const messages = {
  'Lambda.FunctionError': 'The Lambda function was successfully invoked but it returned an error result.',
  'Lambda.JsonProcessingException': 'There was an error parsing returned records from the Lambda function. Ensure that the returned records follow the status model required by Kinesis Data Firehose.',
  'Lambda.MissingRecordId': 'One or more record Ids were not returned. Ensure that the Lambda function returns all received record Ids.',
  'Lambda.DuplicatedRecordId': 'Multiple records were returned with the same record ID. Ensure that the Lambda function returns unique record IDs for each record.',
  'Lambda.ProcessingFailedStatus': 'ProcessingFailed status set for record',
  'Lambda.InvokeFailure': 'The Lambda function could not be invoked.',
} as const
type Code = keyof typeof messages

/** A processor's parameter value by name (the record processors read theirs the same way). */
export const param = (p: T.Processor, name: T.ProcessorParameterName) => p.Parameters?.find((x) => x.ParameterName === name)?.ParameterValue

/** A Lambda processor's parameters, checked as CreateDeliveryStream checks them. */
export function lambdaProcessorOf(p: T.Processor): LambdaProcessor {
  const lambdaArn = param(p, 'LambdaArn')
  if (lambdaArn === undefined) throw firehoseErrors.invalidArgument('LambdaArn is required for the Lambda processor.') // [R]
  const retries = Number(param(p, 'NumberOfRetries') ?? 3)
  const sizeMb = Number(param(p, 'BufferSizeInMBs') ?? 1)
  const interval = Number(param(p, 'BufferIntervalInSeconds') ?? 60)
  if (!Number.isInteger(retries) || retries < 0 || retries > 300) throw firehoseErrors.invalidArgument('NumberOfRetries must be between 0 and 300.') // [R]
  if (!(sizeMb >= 0.2 && sizeMb <= 3)) throw firehoseErrors.invalidArgument('BufferSizeInMBs must be between 0.2 and 3.') // [R]
  // The developer guide: "The Lambda buffering interval hint ranges between 0 and 900 seconds."
  if (!(interval >= 0 && interval <= 900)) throw firehoseErrors.invalidArgument('BufferIntervalInSeconds must be between 0 and 900.') // [R]
  return { lambdaArn, retries, bufferBytes: Math.floor(sizeMb * 1024 * 1024), intervalMs: interval * 1000 }
}

/**
 * Lambda's synchronous invocation takes at most 6 MB of request (AWS: "make sure that your buffering
 * size for sending the request to the function is less than or equal to 6 MB"): each record's part of
 * the event is serialised once, and an invocation is cut before its JSON (UTF-8 bytes) would pass it.
 */
const maxPayloadBytes = 6 * 1024 * 1024
/** The event around its records: the invocation id, the ARNs and the region, with room to spare. */
const envelopeBytes = 1024

interface EventRecord {
  record: BufferedRecord
  /** The record as the event carries it, serialised. */
  json: string
  bytes: number
}

/** A record's part of the event; a Kinesis-sourced record also says where it came from (AWS's sample event). */
function eventRecord(r: BufferedRecord): EventRecord {
  const json = JSON.stringify({ recordId: String(r.seq), approximateArrivalTimestamp: r.arrival, data: r.data.toString('base64'),
    ...(r.kinesis !== undefined && { kinesisRecordMetadata: { shardId: r.kinesis.shardId, partitionKey: r.kinesis.partitionKey,
      approximateArrivalTimestamp: r.kinesis.approximateArrivalTimestamp, sequenceNumber: r.kinesis.sequenceNumber,
      subsequenceNumber: r.kinesis.subsequenceNumber } }) })
  return { record: r, json, bytes: Buffer.byteLength(json) + 1 }
}

/** Invocations of at most `maxBytes` of record data (the processor's BufferSizeInMBs) and 6 MB of request. */
function chunks(records: readonly BufferedRecord[], maxBytes: number): EventRecord[][] {
  const out: EventRecord[][] = []
  let current: EventRecord[] = []
  let bytes = 0
  let payload = envelopeBytes
  for (const r of records) {
    const e = eventRecord(r)
    if (current.length > 0 && (bytes + r.data.length > maxBytes || payload + e.bytes > maxPayloadBytes)) {
      out.push(current)
      current = []
      bytes = 0
      payload = envelopeBytes
    }
    current.push(e)
    bytes += r.data.length
    payload += e.bytes
  }
  if (current.length > 0) out.push(current)
  return out
}

interface Answer {
  recordId: string
  result: string
  data?: string
  /** Dynamic partitioning: the keys of `!{partitionKeyFromLambda:…}`. */
  metadata?: { partitionKeys?: Record<string, unknown> }
}

/** One invocation's per-record answers, or the code of why the whole invocation failed. */
async function invokeOnce(lambda: LambdaPort, processor: LambdaProcessor, streamArn: string, region: string, records: readonly EventRecord[],
  sourceArn: string | undefined): Promise<Map<string, Answer | Code> | Code> {
  // A Kinesis-sourced stream's event also names the source stream (AWS's sample event); the records are serialised already.
  const head = JSON.stringify({ invocationId: randomUUID(), ...(sourceArn !== undefined && { sourceKinesisStreamArn: sourceArn }), deliveryStreamArn: streamArn, region })
  const event = `${head.slice(0, -1)},"records":[${records.map((r) => r.json).join(',')}]}`
  let answer: LambdaSyncResult
  try {
    answer = await lambda.invoke(processor.lambdaArn, event)
  } catch {
    return 'Lambda.InvokeFailure'
  }
  if (answer.outcome === 'throttled') return 'Lambda.InvokeFailure'
  if (answer.outcome === 'error') return 'Lambda.FunctionError'
  let parsed: { records?: unknown }
  try {
    parsed = JSON.parse(answer.payload.toString('utf8')) as { records?: unknown }
  } catch {
    return 'Lambda.JsonProcessingException'
  }
  if (!Array.isArray(parsed?.records)) return 'Lambda.JsonProcessingException'
  const out = new Map<string, Answer | Code>()
  for (const item of parsed.records as Answer[]) {
    if (typeof item?.recordId !== 'string' || typeof item.result !== 'string') return 'Lambda.JsonProcessingException'
    out.set(item.recordId, out.has(item.recordId) ? 'Lambda.DuplicatedRecordId' : item)
  }
  return out
}

/** Transforms a batch; invocation failures are retried at once, `retries` times. */
export async function processRecords(lambda: LambdaPort, processor: LambdaProcessor, streamArn: string, region: string,
  records: readonly BufferedRecord[], now: () => number, sourceArn?: string): Promise<Processed> {
  const processed: Processed = { ok: [], failed: [] }
  for (const chunk of chunks(records, processor.bufferBytes)) {
    let attempts = 0
    let answers: Map<string, Answer | Code> | Code = 'Lambda.InvokeFailure'
    while (attempts <= processor.retries) {
      attempts++
      answers = await invokeOnce(lambda, processor, streamArn, region, chunk, sourceArn)
      if (typeof answers !== 'string') break
    }
    const fail = (record: BufferedRecord, code: Code) =>
      processed.failed.push({ record, errorCode: code, errorMessage: messages[code], attempts, endedAt: now(), errorType: 'processing-failed', lambdaArn: processor.lambdaArn })
    for (const { record } of chunk) {
      if (typeof answers === 'string') {
        fail(record, answers)
        continue
      }
      const answer = answers.get(String(record.seq))
      if (answer === undefined) fail(record, 'Lambda.MissingRecordId')
      else if (typeof answer === 'string') fail(record, answer)
      else if (answer.result === 'Dropped') continue
      else if (answer.result === 'Ok' && typeof answer.data === 'string') {
        const keys = answer.metadata?.partitionKeys
        const lambdaKeys = keys !== null && typeof keys === 'object'
          ? Object.fromEntries(Object.entries(keys).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]))
          : undefined
        processed.ok.push({ seq: record.seq, arrival: record.arrival, data: Buffer.from(answer.data, 'base64'), keys: lambdaKeys === undefined ? undefined : { lambda: lambdaKeys } })
      } else if (answer.result === 'ProcessingFailed') fail(record, 'Lambda.ProcessingFailedStatus')
      else fail(record, 'Lambda.JsonProcessingException')
    }
  }
  return processed
}

/** An error object's lines: AWS's error record, one JSON object a line (lambdaArn only for transformation failures). */
export function errorLines(failed: Processed['failed']): Buffer {
  return Buffer.from(failed.map((f) => `${JSON.stringify({
    attemptsMade: f.attempts, arrivalTimestamp: f.record.arrival, errorCode: f.errorCode, errorMessage: f.errorMessage,
    attemptEndingTimestamp: f.endedAt, rawData: f.record.data.toString('base64'), lambdaArn: f.lambdaArn,
  })}\n`).join(''))
}
