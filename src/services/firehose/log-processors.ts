// The processors for CloudWatch Logs subscription payloads: `Decompression` (CompressionFormat GZIP)
// gunzips each record — a record that is not gzip goes to the `decompression-failed` error output
// as it came, and CloudWatch Logs' CONTROL_MESSAGE records are dropped — and
// `CloudWatchLogProcessing` (DataMessageExtraction true, after Decompression) keeps only the
// `message` of each log event, one record per message, dropping the envelope's metadata.
import { gunzipSync } from 'node:zlib'
import type { BufferedRecord } from './buffered-record.ts'
import { firehoseErrors } from './errors.ts'
import type * as T from './generated/types.ts'
import { param, type Processed } from './processing.ts'

export interface LogProcessing {
  decompress: boolean
  extractMessages: boolean
}

/** Checks the two processors' parameters ([R] wordings) given the processor types present. */
export function logProcessingOf(processors: readonly T.Processor[]): LogProcessing | undefined {
  const decompression = processors.find((p) => p.Type === 'Decompression')
  const logs = processors.find((p) => p.Type === 'CloudWatchLogProcessing')
  if (decompression === undefined && logs === undefined) return undefined
  if (decompression !== undefined) {
    const format = param(decompression, 'CompressionFormat') ?? 'GZIP'
    if (format !== 'GZIP') throw firehoseErrors.invalidArgument(`CompressionFormat ${format} is not supported for the Decompression processor; only GZIP is.`) // [R]
  }
  if (logs !== undefined) {
    if (decompression === undefined) throw firehoseErrors.invalidArgument('The CloudWatchLogProcessing processor requires the Decompression processor.') // [R]
    if (param(logs, 'DataMessageExtraction') !== 'true') {
      throw firehoseErrors.invalidArgument('DataMessageExtraction must be true for the CloudWatchLogProcessing processor.') // [R]
    }
  }
  return { decompress: decompression !== undefined, extractMessages: logs !== undefined }
}

interface LogsEnvelope {
  messageType?: string
  logEvents?: Array<{ message?: unknown }>
}

/** Runs Decompression (and message extraction) over a batch: what goes on, and the records that failed. */
export function processLogs(records: readonly BufferedRecord[], how: LogProcessing, now: number): { ok: BufferedRecord[]; failed: Processed['failed'] } {
  const ok: BufferedRecord[] = []
  const failed: Processed['failed'] = []
  for (const r of records) {
    let data: Buffer
    try {
      data = gunzipSync(r.data)
    } catch (e) {
      failed.push({ record: r, errorCode: 'Decompression.Failed', errorMessage: `Unable to decompress the record: ${(e as Error).message}`, // [R]
        attempts: 1, endedAt: now, errorType: 'decompression-failed' })
      continue
    }
    let envelope: LogsEnvelope | undefined
    try {
      envelope = JSON.parse(data.toString('utf8')) as LogsEnvelope
    } catch {
      envelope = undefined
    }
    // CloudWatch Logs' test message when a subscription is created carries no log events.
    if (envelope?.messageType === 'CONTROL_MESSAGE') continue
    if (!how.extractMessages) {
      ok.push({ ...r, data })
      continue
    }
    if (!Array.isArray(envelope?.logEvents)) {
      failed.push({ record: r, errorCode: 'CloudWatchLogProcessing.MessageExtractionFailed', errorMessage: 'The record is not a CloudWatch Logs DATA_MESSAGE.', // [R]
        attempts: 1, endedAt: now, errorType: 'processing-failed' })
      continue
    }
    const messages = envelope.logEvents.map((e) => typeof e?.message === 'string' ? e.message : JSON.stringify(e?.message ?? null))
    // Sub-records keep their record's arrival; seqs stay unique and ordered by a fractional index.
    messages.forEach((m, i) => ok.push({ seq: r.seq + i / (messages.length + 1), arrival: r.arrival, data: Buffer.from(m) }))
  }
  return { ok, failed }
}
