// The AWS/Kinesis stream-level metrics (StreamName dimension), counted per minute in memory
// (core/minute-log.ts) and read by CloudWatch through its port as a metric source: records and
// bytes in and out, each operation's success and bytes, throttled writes and reads, iterator age.
// A minute without activity has no datapoint. Shard-level (enhanced) metrics are not published.
import type { MinuteLog } from '../../core/minute-log.ts'
import type { MetricSource } from '../cloudwatch/port.ts'
import { type MinuteMetric, minuteMetricSource, singleDimension } from '../minute-metrics.ts'

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
}

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
  return minuteMetricSource({ namespace: 'AWS/Kinesis', log, metrics: definitions, ...singleDimension('StreamName') })
}
