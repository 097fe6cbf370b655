// A record Firehose accepted and has not delivered yet.

export interface BufferedRecord {
  /** Unique across the service: the record's row key and its order. */
  seq: number
  data: Buffer
  arrival: number
  /** Dynamic partitioning on arrival: the buffer (partition) the record waits in (never stored: recomputed at load). */
  partition?: string
  /** Dynamic partitioning, after processing: the keys from the JQ query and from the Lambda's metadata (stored for a transformed record). */
  keys?: { query?: Record<string, string>; lambda?: Record<string, string> }
  /** Read from a Kinesis source: where it came from (the transformation event's `kinesisRecordMetadata`). */
  kinesis?: KinesisOrigin
  /** Data transformation: the Lambda's output, waiting in the destination's buffer (transform-stage.ts). */
  transformed?: boolean
  /** When a transformed record entered the destination's buffer: its interval counts from here, not from `arrival`. */
  buffered?: number
}

/** A Kinesis-sourced record's origin, as the transformation event names it. */
export interface KinesisOrigin {
  sequenceNumber: string
  /** A KPL user record's index within its aggregated record (0 for a plain record). */
  subsequenceNumber: number
  partitionKey: string
  shardId: string
  approximateArrivalTimestamp: number
}
