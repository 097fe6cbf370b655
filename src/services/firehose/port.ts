// The narrow, typed port other services use to reach Firehose (SNS `firehose` subscriptions and
// EventBridge targets write records through it). Types only.

export interface FirehosePort {
  /**
   * Buffers one record as PutRecord does (AWS's checks: the stream exists and is ACTIVE, DirectPut,
   * data ≤ 1,000 KiB); throws Firehose's AwsError otherwise. Returns the record id.
   */
  putRecord(account: string, region: string, deliveryStreamName: string, data: Buffer): string
  exists(account: string, region: string, deliveryStreamName: string): boolean
  /** The AWS/Firehose metrics delivery streams publish, from their in-memory per-minute counters. */
  metrics: import('../cloudwatch/port.ts').MetricSource
}
