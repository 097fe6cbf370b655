// The AWS/Firehose metrics per DeliveryStreamName, counted per minute in memory (core/minute-log.ts)
// and read by CloudWatch through its port as a metric source: what came in (DirectPut's PutRecord and
// PutRecordBatch, or read from a Kinesis data stream), what was delivered to S3 or an HTTP endpoint
// (success per attempt, records, bytes, data freshness), the S3 backup, and the Lambda transformation
// (success, duration). A minute without activity has no datapoint.
import type { MinuteLog } from '../../core/minute-log.ts'
import type { MetricSource } from '../cloudwatch/port.ts'
import { type MinuteMetric, minuteMetricSource, singleDimension } from '../minute-metrics.ts'

const definitions: Record<string, MinuteMetric> = {
  IncomingBytes: { unit: 'Bytes', counter: 'incomingBytes' },
  IncomingRecords: { unit: 'Count', counter: 'incomingRecords' },
  IncomingPutRequests: { unit: 'Count', counter: 'incomingPutRequests' },
  'PutRecord.Bytes': { unit: 'Bytes', measure: 'putRecordBytes' },
  'PutRecord.Requests': { unit: 'Count', counter: 'putRecordRequests' },
  'PutRecordBatch.Bytes': { unit: 'Bytes', measure: 'putRecordBatchBytes' },
  'PutRecordBatch.Records': { unit: 'Count', measure: 'putRecordBatchRecords' },
  'PutRecordBatch.Requests': { unit: 'Count', counter: 'putRecordBatchRequests' },
  ThrottledRecords: { unit: 'Count', counter: 'throttledRecords' },
  'DataReadFromKinesisStream.Bytes': { unit: 'Bytes', counter: 'kinesisBytes' },
  'DataReadFromKinesisStream.Records': { unit: 'Count', counter: 'kinesisRecords' },
  'DeliveryToS3.Success': { unit: 'Count', measure: 's3Success' },
  'DeliveryToS3.Records': { unit: 'Count', counter: 's3Records' },
  'DeliveryToS3.Bytes': { unit: 'Bytes', counter: 's3Bytes' },
  'DeliveryToS3.ObjectCount': { unit: 'Count', counter: 's3Objects' },
  'DeliveryToS3.DataFreshness': { unit: 'Seconds', measure: 's3Freshness' },
  'BackupToS3.Success': { unit: 'Count', measure: 'backupSuccess' },
  'BackupToS3.Records': { unit: 'Count', counter: 'backupRecords' },
  'BackupToS3.Bytes': { unit: 'Bytes', counter: 'backupBytes' },
  'BackupToS3.DataFreshness': { unit: 'Seconds', measure: 'backupFreshness' },
  'DeliveryToHttpEndpoint.Success': { unit: 'Count', measure: 'httpSuccess' },
  'DeliveryToHttpEndpoint.Records': { unit: 'Count', counter: 'httpRecords' },
  'DeliveryToHttpEndpoint.Bytes': { unit: 'Bytes', counter: 'httpBytes' },
  'DeliveryToHttpEndpoint.DataFreshness': { unit: 'Seconds', measure: 'httpFreshness' },
  'ExecuteProcessing.Success': { unit: 'Count', measure: 'processingSuccess' },
  'ExecuteProcessing.Duration': { unit: 'Milliseconds', measure: 'processingDuration' },
}

/** Where records went: the destination (S3 or an HTTP endpoint) or the S3 backup. */
export type DeliveryTarget = 's3' | 'http' | 'backup'

const prefix: Record<DeliveryTarget, string> = { s3: 's3', http: 'http', backup: 'backup' }

/** What PutRecord(Batch), the Kinesis source and delivery tell the metrics, per stream. */
export class FirehoseMetrics {
  private readonly log: MinuteLog

  constructor(log: MinuteLog) {
    this.log = log
  }

  /** A PutRecord (batch false) or PutRecordBatch accepted: its records and bytes. */
  put(s: { account: string; region: string; name: string }, records: number, bytes: number, batch: boolean): void {
    const l = this.log
    l.count(s.account, s.region, s.name, 'incomingPutRequests')
    l.count(s.account, s.region, s.name, 'incomingRecords', records)
    l.count(s.account, s.region, s.name, 'incomingBytes', bytes)
    if (!batch) {
      l.count(s.account, s.region, s.name, 'putRecordRequests')
      l.measure(s.account, s.region, s.name, 'putRecordBytes', bytes)
      return
    }
    l.count(s.account, s.region, s.name, 'putRecordBatchRequests')
    l.measure(s.account, s.region, s.name, 'putRecordBatchBytes', bytes)
    l.measure(s.account, s.region, s.name, 'putRecordBatchRecords', records)
  }

  /** Records refused by the Direct PUT quota (AWS's ThrottledRecords). */
  throttled(s: { account: string; region: string; name: string }, records: number): void {
    this.log.count(s.account, s.region, s.name, 'throttledRecords', records)
  }

  /** Records read from the source Kinesis data stream (KinesisStreamAsSource). */
  readFromKinesis(s: { account: string; region: string; name: string }, records: number, bytes: number): void {
    this.log.count(s.account, s.region, s.name, 'kinesisRecords', records)
    this.log.count(s.account, s.region, s.name, 'kinesisBytes', bytes)
  }

  /** One delivery attempt to a target: success (with records, bytes, objects, the oldest record's age in seconds) or failure. */
  delivered(s: { account: string; region: string; name: string }, target: DeliveryTarget,
    done: { records: number; bytes: number; objects: number; ageSeconds: number } | undefined): void {
    const l = this.log
    const p = prefix[target]
    l.measure(s.account, s.region, s.name, `${p}Success`, done === undefined ? 0 : 1)
    if (done === undefined) return
    l.count(s.account, s.region, s.name, `${p}Records`, done.records)
    l.count(s.account, s.region, s.name, `${p}Bytes`, done.bytes)
    l.measure(s.account, s.region, s.name, `${p}Freshness`, done.ageSeconds)
    if (target === 's3') l.count(s.account, s.region, s.name, 's3Objects', done.objects)
  }

  /** A Lambda transformation of a batch: whether the function answered, and how long it took (wall ms). */
  processed(s: { account: string; region: string; name: string }, ok: boolean, ms: number): void {
    this.log.measure(s.account, s.region, s.name, 'processingSuccess', ok ? 1 : 0)
    this.log.measure(s.account, s.region, s.name, 'processingDuration', ms)
  }
}

export function firehoseMetricSource(log: MinuteLog): MetricSource {
  return minuteMetricSource({ namespace: 'AWS/Firehose', log, metrics: definitions, ...singleDimension('DeliveryStreamName') })
}
