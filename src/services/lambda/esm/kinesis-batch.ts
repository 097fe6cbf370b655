// What a Kinesis batch's invocation came to (success, failure, or a partial batch response), and the
// failure record Lambda sends to a mapping's OnFailure destination when it gives a batch up.
import { randomUUID } from 'node:crypto'
import type { InvokeResult } from '../../../runtime/types.ts'
import type { Throttled } from '../invoker.ts'
import type { ShardRecord } from './shard-reader.ts'

export type Outcome = { kind: 'ok' } | { kind: 'failed' } | { kind: 'partial'; from: number }

/**
 * With ReportBatchItemFailures, AWS counts a null/empty response, `{}` and an empty or null
 * `batchItemFailures` as complete success; an item whose `itemIdentifier` is missing, empty or not a
 * sequence number of the batch fails the whole batch; otherwise it checkpoints at the lowest reported
 * sequence number and retries from there.
 */
export function outcomeOf(result: InvokeResult | Throttled, records: readonly ShardRecord[], reportItems: boolean): Outcome {
  if ('throttled' in result || result.outcome === 'error') return { kind: 'failed' }
  if (!reportItems) return { kind: 'ok' }
  const text = result.payload.toString('utf8').trim()
  if (text === '' || text === 'null') return { kind: 'ok' }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return { kind: 'failed' }
  }
  if (body === null || typeof body !== 'object') return { kind: 'failed' }
  const failures = (body as { batchItemFailures?: unknown }).batchItemFailures
  if (failures === undefined || failures === null) return { kind: 'ok' }
  if (!Array.isArray(failures)) return { kind: 'failed' }
  if (failures.length === 0) return { kind: 'ok' }
  let lowest = Infinity
  for (const item of failures) {
    const id = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier
    if (typeof id !== 'string' || id === '') return { kind: 'failed' }
    const index = records.findIndex((r) => r.sequenceNumber === id)
    if (index < 0) return { kind: 'failed' }
    lowest = Math.min(lowest, index)
  }
  return { kind: 'partial', from: lowest }
}

export type FailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded'

export interface FailureContext {
  functionArn: string
  executedVersion: string
  shardId: string
  streamArn: string
  now: number
  batchInfo: 'KinesisBatchInfo' | 'DDBStreamBatchInfo'
}

/** The invocation's request id (the runtime's START line names it); a fresh one when there was none. */
export function requestIdOf(result: InvokeResult | Throttled | undefined): string {
  const match = result !== undefined && 'log' in result ? /RequestId: ([0-9a-f-]{36})/.exec(result.log) : null
  return match?.[1] ?? randomUUID()
}

/** AWS's failure record for a discarded stream batch (key order as AWS sends it). */
export function failureRecord(ctx: FailureContext, records: readonly ShardRecord[], condition: FailureCondition,
  attempts: number, last: InvokeResult | Throttled | undefined, requestId: string, payload?: string): string {
  const first = records[0]!
  const lastRecord = records.at(-1)!
  return JSON.stringify({
    requestContext: { requestId, functionArn: ctx.functionArn, condition, approximateInvokeCount: attempts },
    // A throttled invoke answers 429 [R]; a function error is "Unhandled"; a partial batch response has none.
    responseContext: {
      statusCode: last !== undefined && 'throttled' in last ? 429 : 200, executedVersion: ctx.executedVersion,
      ...(last !== undefined && !('throttled' in last) && last.outcome === 'error' && { functionError: 'Unhandled' }),
    },
    version: '1.0',
    timestamp: new Date(ctx.now).toISOString(),
    [ctx.batchInfo]: {
      shardId: ctx.shardId, startSequenceNumber: first.sequenceNumber, endSequenceNumber: lastRecord.sequenceNumber,
      approximateArrivalOfFirstRecord: arrival(ctx, first), approximateArrivalOfLastRecord: arrival(ctx, lastRecord),
      batchSize: records.length, streamArn: ctx.streamArn,
    },
    // S3 destinations only: the invocation event as a JSON string [R on the string form].
    ...(payload !== undefined && { payload }),
  })
}

/** DynamoDB's creation times are whole seconds, and AWS's DDBStreamBatchInfo example writes them without a fraction. */
function arrival(ctx: FailureContext, record: ShardRecord): string {
  const iso = new Date(record.approximateArrivalTimestamp).toISOString()
  return ctx.batchInfo === 'DDBStreamBatchInfo' ? iso.replace(/\.\d{3}Z$/, 'Z') : iso
}
