// The record processors of a ProcessingConfiguration other than Lambda, and the order Firehose runs
// them in: Decompression → CloudWatchLogProcessing (log-processors.ts) → RecordDeAggregation (JSON
// or DELIMITED sub-records) → Lambda → MetadataExtraction (JQ
// partition keys for `!{partitionKeyFromQuery:…}`) → AppendDelimiterToRecord. Checked at
// CreateDeliveryStream/UpdateDestination; run when a buffer is cut.
import type { LambdaPort } from '../lambda/port.ts'
import type { BufferedRecord } from './buffered-record.ts'
import { firehoseErrors } from './errors.ts'
import type * as T from './generated/types.ts'
import { compileJq, defaultMaxSteps, JqError, type JqRun, type Json } from './jq.ts'
import { partitionOf } from './prefix.ts'
import { logProcessingOf, processLogs, type LogProcessing } from './log-processors.ts'
import { lambdaProcessorOf, param, processRecords, type Processed } from './processing.ts'

export interface Pipeline {
  logs?: LogProcessing
  deaggregation?: { type: 'JSON' } | { type: 'DELIMITED'; delimiter: Buffer }
  lambda?: ReturnType<typeof lambdaProcessorOf>
  extraction?: { query: string; run: (input: Json, at?: JqRun) => Json }
  delimiter?: Buffer
}

/** `\n`-style escapes in a Delimiter parameter (the console sends `\\n` for a newline) [R]. */
const unescape = (s: string) => s.replace(/\\([ntr\\])/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r', '\\': '\\' })[c]!)

/** The processors of a ProcessingConfiguration, checked; `dynamic` is DynamicPartitioningConfiguration.Enabled. */
export function pipelineOf(config: T.ProcessingConfiguration | undefined, dynamic: boolean): Pipeline {
  const pipeline: Pipeline = {}
  if (config?.Enabled !== true) return pipeline
  const seen = new Set<string>()
  for (const p of config.Processors ?? []) {
    if (seen.has(p.Type)) throw firehoseErrors.invalidArgument(`Only one ${p.Type} processor is supported.`) // [R]
    seen.add(p.Type)
    if (p.Type === 'Lambda') pipeline.lambda = lambdaProcessorOf(p)
    else if (p.Type === 'MetadataExtraction') pipeline.extraction = extractionOf(p, dynamic)
    else if (p.Type === 'AppendDelimiterToRecord') pipeline.delimiter = Buffer.from(unescape(param(p, 'Delimiter') ?? '\\n'))
    else if (p.Type === 'RecordDeAggregation') pipeline.deaggregation = deaggregationOf(p)
    else if (p.Type !== 'Decompression' && p.Type !== 'CloudWatchLogProcessing') throw firehoseErrors.unsupported(`the ${String(p.Type)} processor`)
  }
  const logs = logProcessingOf(config.Processors ?? [])
  if (logs !== undefined) pipeline.logs = logs
  return pipeline
}

function extractionOf(p: T.Processor, dynamic: boolean): NonNullable<Pipeline['extraction']> {
  // [R] wordings: AWS ties MetadataExtraction to dynamic partitioning and to the JQ-1.6 engine.
  if (!dynamic) throw firehoseErrors.invalidArgument('MetadataExtraction processor is only supported when dynamic partitioning is enabled.') // [R]
  const query = param(p, 'MetadataExtractionQuery')
  const engine = param(p, 'JsonParsingEngine')
  if (query === undefined || query === '') throw firehoseErrors.invalidArgument('MetadataExtractionQuery is required for the MetadataExtraction processor.') // [R]
  if (engine !== 'JQ-1.6') throw firehoseErrors.invalidArgument(`JsonParsingEngine must be JQ-1.6 for the MetadataExtraction processor; got ${engine ?? 'null'}.`) // [R]
  try {
    return { query, run: compileJq(query) }
  } catch (e) {
    if (e instanceof JqError) throw firehoseErrors.invalidArgument(`Invalid MetadataExtractionQuery ${query}: ${e.message}`) // [R]
    throw e
  }
}

function deaggregationOf(p: T.Processor): NonNullable<Pipeline['deaggregation']> {
  const type = param(p, 'SubRecordType') ?? 'JSON'
  if (type === 'JSON') return { type: 'JSON' }
  if (type !== 'DELIMITED') throw firehoseErrors.invalidArgument(`SubRecordType must be JSON or DELIMITED; got ${type}.`) // [R]
  const raw = param(p, 'Delimiter')
  if (raw === undefined || raw === '') throw firehoseErrors.invalidArgument('Delimiter is required when SubRecordType is DELIMITED.') // [R]
  // The DELIMITED delimiter is base64-encoded in the API (as CDK encodes it) [R].
  const delimiter = Buffer.from(raw, 'base64')
  if (delimiter.length === 0) throw firehoseErrors.invalidArgument('Delimiter must be a non-empty base64-encoded string.') // [R]
  return { type: 'DELIMITED', delimiter }
}

/** Splits each record into its sub-records (each keeps its record's arrival; seqs are made unique by a sub-index). */
function deaggregate(records: readonly BufferedRecord[], how: NonNullable<Pipeline['deaggregation']>): BufferedRecord[] {
  const out: BufferedRecord[] = []
  for (const r of records) {
    const parts = how.type === 'DELIMITED' ? splitDelimited(r.data, how.delimiter) : splitJson(r.data)
    parts.forEach((data, i) => out.push({ seq: r.seq + i / (parts.length + 1), arrival: r.arrival, data }))
  }
  return out
}

function splitDelimited(data: Buffer, delimiter: Buffer): Buffer[] {
  const parts: Buffer[] = []
  let start = 0
  for (let at = data.indexOf(delimiter); at !== -1; at = data.indexOf(delimiter, start)) {
    parts.push(data.subarray(start, at))
    start = at + delimiter.length
  }
  if (start < data.length) parts.push(data.subarray(start))
  return parts.filter((p) => p.length > 0)
}

/** Concatenated JSON values (`{"a":1}{"a":2}`, whitespace between allowed): split at each top-level value's end. */
function splitJson(data: Buffer): Buffer[] {
  const text = data.toString('utf8')
  const parts: Buffer[] = []
  let depth = 0
  let inString = false
  let start = -1
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
      continue
    }
    if (start === -1 && /\s/.test(c)) continue
    if (start === -1) start = i
    if (c === '"') inString = true
    else if (c === '{' || c === '[') depth++
    else if (c === '}' || c === ']') depth--
    if (depth === 0 && (c === '}' || c === ']')) {
      parts.push(Buffer.from(text.slice(start, i + 1)))
      start = -1
    }
  }
  // A tail that is not a whole JSON value is kept as its own record (it fails partitioning later, as on AWS).
  if (start !== -1) parts.push(Buffer.from(text.slice(start)))
  return parts
}

export const partitionFailure = (record: BufferedRecord, message: string, now: number): Processed['failed'][number] => ({
  record, errorCode: 'DynamicPartitioning.MetadataExtractionFailed', errorMessage: message, attempts: 1, endedAt: now, errorType: 'partitioning-failed',
})

/**
 * What a record's query gave, by the record's data: a record partitioned on arrival is extracted again
 * when its buffer is cut, and a query at its step or regex bound would hold Nimbus's thread twice as
 * long (jq is pure, and `now` is the record's arrival, so the answer is the same).
 */
const extracted = new WeakMap<Buffer, { query: string; arrival: number; keys: Record<string, string> | string }>()

/** The keys of `!{partitionKeyFromQuery:…}` for one record, or why they can't be had. */
export function extract(record: BufferedRecord, extraction: NonNullable<Pipeline['extraction']>): Record<string, string> | string {
  const known = extracted.get(record.data)
  if (known !== undefined && known.query === extraction.query && known.arrival === record.arrival) {
    return typeof known.keys === 'string' ? known.keys : { ...known.keys }
  }
  const keys = evaluate(record, extraction)
  extracted.set(record.data, { query: extraction.query, arrival: record.arrival, keys: typeof keys === 'string' ? keys : { ...keys } })
  return keys
}

function evaluate(record: BufferedRecord, extraction: NonNullable<Pipeline['extraction']>): Record<string, string> | string {
  let input: Json
  try {
    input = JSON.parse(record.data.toString('utf8')) as Json
  } catch {
    return 'Non JSON record provided'
  }
  let result: Json
  try {
    // jq's `now` is the record's arrival on the clock: the same answer on arrival and when the buffer is cut.
    // The step budget grows with the record: a query walking every value (`..`) takes about a step a byte [R].
    result = extraction.run(input, { now: record.arrival, maxSteps: defaultMaxSteps + 16 * record.data.length })
  } catch (e) {
    return `Failed to execute the metadata extraction query ${extraction.query}: ${(e as Error).message}` // [R]
  }
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return `The metadata extraction query must produce a JSON object; got ${JSON.stringify(result)}` // [R]
  const keys: Record<string, string> = {}
  for (const [k, v] of Object.entries(result)) {
    if (v === null) continue
    keys[k] = typeof v === 'string' ? v : JSON.stringify(v)
  }
  return keys
}

/** Runs the pipeline over a cut batch (all but the delimiter): what reaches the destination (with its partition keys) and what failed. */
export async function runPipeline(lambda: LambdaPort, pipeline: Pipeline, streamArn: string, region: string,
  source: readonly BufferedRecord[], now: () => number, sourceArn?: string): Promise<Processed> {
  const processed: Processed = { ok: [], failed: [] }
  let records = [...source]
  // Decompression (and CloudWatch Logs message extraction) come first: the other processors see plain data.
  if (pipeline.logs !== undefined) {
    const logs = processLogs(records, pipeline.logs, now())
    processed.failed.push(...logs.failed)
    records = logs.ok
  }
  if (pipeline.deaggregation !== undefined) records = deaggregate(records, pipeline.deaggregation)
  if (pipeline.lambda !== undefined) {
    const transformed = await processRecords(lambda, pipeline.lambda, streamArn, region, records, now, sourceArn)
    processed.failed.push(...transformed.failed)
    records = transformed.ok
  }
  for (let record of records) {
    if (pipeline.extraction !== undefined) {
      const keys = extract(record, pipeline.extraction)
      if (typeof keys === 'string') {
        processed.failed.push(partitionFailure(record, keys, now()))
        continue
      }
      record = { ...record, keys: { ...record.keys, query: keys } }
    }
    processed.ok.push(record)
  }
  return processed
}

/**
 * A pipeline with a Lambda processor runs in two stages, as AWS buffers twice: what runs up to the
 * Lambda (decompression, log extraction, de-aggregation, the function) on the processor's own buffer,
 * the rest (metadata extraction, the delimiter) when the destination's buffer is cut.
 */
export function stagesOf(pipeline: Pipeline): { transform?: Pipeline & { lambda: NonNullable<Pipeline['lambda']> }; delivery: Pipeline } {
  const { logs, deaggregation, lambda, ...delivery } = pipeline
  if (lambda === undefined) return { delivery: pipeline }
  return { transform: { ...(logs !== undefined && { logs }), ...(deaggregation !== undefined && { deaggregation }), lambda }, delivery }
}

/** AppendDelimiterToRecord, applied last (after partitioning, so error records keep their own bytes). */
export const withDelimiter = (records: BufferedRecord[], pipeline: Pipeline): BufferedRecord[] =>
  pipeline.delimiter === undefined ? records : records.map((r) => ({ ...r, data: Buffer.concat([r.data, pipeline.delimiter!]) }))


/**
 * A record's buffer on arrival, for a dynamically partitioned stream whose partition keys come from
 * the JQ query alone (AWS buffers each partition on its own). Undefined when a Lambda or
 * de-aggregation comes first: those streams are partitioned when their buffer is cut (README Gaps).
 * Records whose keys can't be evaluated share one buffer of their own.
 */
export function partitionerOf(settings: { DynamicPartitioningConfiguration?: T.DynamicPartitioningConfiguration
  ProcessingConfiguration?: T.ProcessingConfiguration; Prefix?: string }): ((record: BufferedRecord) => string) | undefined {
  if (settings.DynamicPartitioningConfiguration?.Enabled !== true) return undefined
  const pipeline = pipelineOf(settings.ProcessingConfiguration, true)
  const extraction = pipeline.extraction
  if (pipeline.lambda !== undefined || pipeline.deaggregation !== undefined || pipeline.logs !== undefined || extraction === undefined) return undefined
  return (record) => {
    const keys = extract(record, extraction)
    if (typeof keys === 'string') return '!failed'
    const partition = partitionOf(settings.Prefix ?? '', { query: keys })
    return 'id' in partition ? partition.id : '!failed'
  }
}
