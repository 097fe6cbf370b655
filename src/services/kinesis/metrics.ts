// The AWS/Kinesis metrics, counted per minute in memory (core/minute-log.ts) and read by CloudWatch
// through its port as a metric source: stream-level (StreamName) records and bytes in and out, each
// operation's success and bytes, throttled writes and reads, iterator age; and shard-level
// (StreamName + ShardId) the ones EnableEnhancedMonitoring turned on for the stream. A minute without
// activity has no datapoint.
import type { MinuteLog } from '../../core/minute-log.ts'
import type { MetricSource } from '../cloudwatch/port.ts'
import { type MinuteMetric, minuteMetricSource } from '../minute-metrics.ts'

const definitions: Record<string, MinuteMetric> = {
  IncomingRecords: { unit: 'Count', counter: 'incomingRecords' },
  IncomingBytes: { unit: 'Bytes', counter: 'incomingBytes' },
  'PutRecord.Success': { unit: 'Count', measure: 'putRecordSuccess' },
  'PutRecord.Bytes': { unit: 'Bytes', measure: 'putRecordBytes' },
  'PutRecords.Success': { unit: 'Count', measure: 'putRecordsSuccess' },
  'PutRecords.Bytes': { unit: 'Bytes', measure: 'putRecordsBytes' },
  'PutRecords.TotalRecords': { unit: 'Count', counter: 'putRecordsTotal' },
  'PutRecords.SuccessfulRecords': { unit: 'Count', counter: 'putRecordsSuccessful' },
  'PutRecords.FailedRecords': { unit: 'Count', counter: 'putRecordsFailed' },
  'PutRecords.ThrottledRecords': { unit: 'Count', counter: 'putRecordsThrottled' },
  WriteProvisionedThroughputExceeded: { unit: 'Count', counter: 'writeThrottled' },
  'GetRecords.Success': { unit: 'Count', measure: 'getRecordsSuccess' },
  'GetRecords.Records': { unit: 'Count', measure: 'getRecordsRecords' },
  'GetRecords.Bytes': { unit: 'Bytes', measure: 'getRecordsBytes' },
  'GetRecords.IteratorAgeMilliseconds': { unit: 'Milliseconds', measure: 'iteratorAge' },
  ReadProvisionedThroughputExceeded: { unit: 'Count', counter: 'readThrottled' },
  // Shard-level only (the shared names above count per shard too, on the shard's series).
  OutgoingRecords: { unit: 'Count', counter: 'outgoingRecords' },
  OutgoingBytes: { unit: 'Bytes', counter: 'outgoingBytes' },
  IteratorAgeMilliseconds: { unit: 'Milliseconds', measure: 'shardIteratorAge' },
}

/** A shard's series key: the stream's name and the shard id (names have no NUL). */
const shardKey = (stream: string, shardId: string) => `${stream}\u0000${shardId}`

function dimensionsOf(key: string): { Name: string; Value: string }[] {
  const at = key.indexOf('\u0000')
  return at < 0 ? [{ Name: 'StreamName', Value: key }]
    : [{ Name: 'StreamName', Value: key.slice(0, at) }, { Name: 'ShardId', Value: key.slice(at + 1) }]
}

function keyOf(dimensions: readonly { Name: string; Value: string }[]): string | undefined {
  const stream = dimensions.find((d) => d.Name === 'StreamName')?.Value
  if (stream === undefined) return undefined
  if (dimensions.length === 1) return stream
  const shard = dimensions.find((d) => d.Name === 'ShardId')?.Value
  return dimensions.length === 2 && shard !== undefined ? shardKey(stream, shard) : undefined
}

/** What a shard-level series has: only the enhanced-monitoring metrics. */
const shardMetrics = new Set(['IncomingBytes', 'IncomingRecords', 'OutgoingBytes', 'OutgoingRecords', 'WriteProvisionedThroughputExceeded',
  'ReadProvisionedThroughputExceeded', 'IteratorAgeMilliseconds'])

/** What the record operations tell the metrics, per stream. */
export class KinesisMetrics {
  private readonly log: MinuteLog

  constructor(log: MinuteLog) {
    this.log = log
  }

  /** A PutRecord answered (admitted) or throttled. */
  putRecord(account: string, region: string, stream: string, bytes: number, admitted: boolean): void {
    const l = this.log
    l.measure(account, region, stream, 'putRecordSuccess', admitted ? 1 : 0)
    if (!admitted) return l.count(account, region, stream, 'writeThrottled')
    l.count(account, region, stream, 'incomingRecords')
    l.count(account, region, stream, 'incomingBytes', bytes)
    l.measure(account, region, stream, 'putRecordBytes', bytes)
  }

  /** A PutRecords call: its records, how many were admitted and their bytes. */
  putRecords(account: string, region: string, stream: string, total: number, admitted: number, bytes: number): void {
    const l = this.log
    l.measure(account, region, stream, 'putRecordsSuccess', 1)
    l.measure(account, region, stream, 'putRecordsBytes', bytes)
    l.count(account, region, stream, 'putRecordsTotal', total)
    l.count(account, region, stream, 'putRecordsSuccessful', admitted)
    l.count(account, region, stream, 'putRecordsFailed', total - admitted)
    l.count(account, region, stream, 'putRecordsThrottled', total - admitted)
    l.count(account, region, stream, 'incomingRecords', admitted)
    l.count(account, region, stream, 'incomingBytes', bytes)
    if (total > admitted) l.count(account, region, stream, 'writeThrottled', total - admitted)
  }

  /**
   * Shard-level writes (EnableEnhancedMonitoring's `enabled` metrics only): records and bytes a shard
   * took, and records it refused for its write limit.
   */
  shardWrite(account: string, region: string, stream: string, shardId: string, enabled: readonly string[], records: number, bytes: number, throttled: number): void {
    const l = this.log
    const key = shardKey(stream, shardId)
    if (records > 0 && enabled.includes('IncomingRecords')) l.count(account, region, key, 'incomingRecords', records)
    if (records > 0 && enabled.includes('IncomingBytes')) l.count(account, region, key, 'incomingBytes', bytes)
    if (throttled > 0 && enabled.includes('WriteProvisionedThroughputExceeded')) l.count(account, region, key, 'writeThrottled', throttled)
  }

  /** Shard-level reads (enabled metrics only): a GetRecords answered, or refused for the shard's read limit. */
  shardRead(account: string, region: string, stream: string, shardId: string, enabled: readonly string[],
    read: { records: number; bytes: number; iteratorAgeMs: number } | undefined): void {
    const l = this.log
    const key = shardKey(stream, shardId)
    if (read === undefined) {
      if (enabled.includes('ReadProvisionedThroughputExceeded')) l.count(account, region, key, 'readThrottled')
      return
    }
    if (enabled.includes('OutgoingRecords')) l.count(account, region, key, 'outgoingRecords', read.records)
    if (enabled.includes('OutgoingBytes')) l.count(account, region, key, 'outgoingBytes', read.bytes)
    if (enabled.includes('IteratorAgeMilliseconds')) l.measure(account, region, key, 'shardIteratorAge', read.iteratorAgeMs)
  }

  /** A GetRecords answered, or refused for the shard's read limit. */
  getRecords(account: string, region: string, stream: string, read: { records: number; bytes: number; iteratorAgeMs: number } | undefined): void {
    const l = this.log
    l.measure(account, region, stream, 'getRecordsSuccess', read === undefined ? 0 : 1)
    if (read === undefined) return l.count(account, region, stream, 'readThrottled')
    l.measure(account, region, stream, 'getRecordsRecords', read.records)
    l.measure(account, region, stream, 'getRecordsBytes', read.bytes)
    l.measure(account, region, stream, 'iteratorAge', read.iteratorAgeMs)
  }
}

export function kinesisMetricSource(log: MinuteLog): MetricSource {
  return minuteMetricSource({ namespace: 'AWS/Kinesis', log, metrics: definitions, dimensionsOf, keyOf,
    has: (key, name) => key.includes('\u0000') ? shardMetrics.has(name) : !shardOnly.has(name) })
}

const shardOnly = new Set(['OutgoingBytes', 'OutgoingRecords', 'IteratorAgeMilliseconds'])
