// A record Firehose accepted and has not delivered yet.

export interface BufferedRecord {
  /** Unique across the service: the record's row key and its order. */
  seq: number
  data: Buffer
  arrival: number
  /** Dynamic partitioning, after processing: the keys from the JQ query and from the Lambda's metadata (never stored). */
  /** Dynamic partitioning on arrival: the buffer (partition) the record waits in (never stored: recomputed at load). */
  partition?: string
  keys?: { query?: Record<string, string>; lambda?: Record<string, string> }
}
