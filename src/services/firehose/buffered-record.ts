// A record Firehose accepted and has not delivered yet.

export interface BufferedRecord {
  /** Unique across the service: the record's row key and its order. */
  seq: number
  data: Buffer
  arrival: number
}
