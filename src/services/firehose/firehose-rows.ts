// Firehose's durable state as rows of the persistence layer (docs/persistence.md): delivery streams,
// every accepted record until it is delivered (acknowledged means on disk), and the batches being
// delivered with their retry times (timers are data). Only built with a data dir.
import type { Persistence, Table } from '../../storage/persistence/persistence.ts'
import type { KinesisOrigin } from './buffered-record.ts'
import type { Batch, BufferedRecord, DeliveryStream, ShardPosition } from './delivery-stream.ts'
import type { S3Settings } from './destination.ts'
import type { HttpSettings } from './http-endpoint.ts'
import type * as T from './generated/types.ts'

/** Key `<account>/<region>/<name>`. */
export interface StreamRow {
  uid: number
  name: string
  account: string
  region: string
  type: T.DeliveryStreamType
  createdAt: number
  updatedAt: number
  legacy: boolean
  settings: S3Settings
  source: T.KinesisStreamSourceConfiguration | undefined
  version: number
  encryption: DeliveryStream['encryption']
  /** Start/Stop encryption calls within the last 24 hours (absent when none, and on rows of older builds). */
  encryptionCalls?: number[]
  tags: Array<[string, string]>
  /** KinesisStreamAsSource: the position per shard of the source (absent on rows of older builds). */
  positions?: Array<[string, ShardPosition]>
  /** An HTTP endpoint destination's settings (absent for S3 streams). */
  http?: HttpSettings
}

/** Key: the record's seq. Short names: there are many. */
export interface RecordRow {
  /** Stream uid. */
  s: number
  /** Data, base64. */
  d: string
  /** Arrival time. */
  t: number
  /** Kinesis-sourced: where the record came from. */
  k?: KinesisOrigin
  /** Transformed by the Lambda processor (waiting in the destination's buffer), since `b`, with its Lambda partition keys `p`. */
  x?: 1
  b?: number
  p?: BufferedRecord['keys']
}

/** Key: the batch id. Its records are the stream's records with seq in [first, last]. */
export interface BatchRow {
  s: number
  first: number
  last: number
  pending: Batch['pending']
  firstAttempt: number
  nextAttempt: number
  attempts: number
  /** A batch cut from some partitions only: its records' seqs (the range would take other partitions' records). */
  seqs?: number[]
  /** HTTP endpoint: why delivery was given up (the records then go to the error output). */
  httpFailure?: Batch['httpFailure']
  /** A transformation's failed records (their error output not written yet): seq, code, message, attempts, time, type, function. */
  failures?: FailureRow[]
}

export type FailureRow = [seq: number, code: string, message: string, attempts: number, endedAt: number, type: string, lambdaArn?: string]

export interface LoadedFirehose {
  streams: StreamRow[]
  records: Array<[seq: number, row: RecordRow]>
  batches: Array<[id: number, row: BatchRow]>
}

const streamKey = (s: Pick<DeliveryStream, 'account' | 'region' | 'name'>) => `${s.account}/${s.region}/${s.name}`

export class FirehoseRows {
  private readonly streams: Table<StreamRow | { toJSON(): StreamRow }>
  private readonly records: Table<RecordRow>
  private readonly batches: Table<BatchRow | { toJSON(): BatchRow }>

  constructor(persistence: Persistence) {
    this.streams = persistence.table('firehose_streams')
    this.records = persistence.table('firehose_records')
    this.batches = persistence.table('firehose_batches')
  }

  /** A stream created or changed: serialised when the turn commits. */
  stream(s: DeliveryStream): void {
    this.streams.put(streamKey(s), {
      toJSON: () => ({ uid: s.uid, name: s.name, account: s.account, region: s.region, type: s.type, createdAt: s.createdAt,
        updatedAt: s.updatedAt, legacy: s.legacy, settings: s.settings, source: s.source, version: s.version, encryption: s.encryption,
        encryptionCalls: s.encryptionCalls.length > 0 ? s.encryptionCalls : undefined,
        tags: [...s.tags], positions: s.positions.size > 0 ? [...s.positions] : undefined, http: s.http }),
    })
  }

  streamGone(s: DeliveryStream): void {
    this.streams.delete(streamKey(s))
    for (const r of [...s.buffer, ...s.staged, ...s.transforming]) this.records.delete(String(r.seq))
    for (const b of s.batches.values()) this.batchDone(b)
  }

  record(uid: number, r: BufferedRecord): void {
    this.records.put(String(r.seq), { s: uid, d: r.data.toString('base64'), t: r.arrival, ...(r.kinesis !== undefined && { k: r.kinesis }),
      ...(r.transformed === true && { x: 1 as const, b: r.buffered, ...(r.keys !== undefined && { p: r.keys }) }) })
  }

  /** A record that left the service without a batch (transformed into others, dropped by the function). */
  recordGone(seq: number): void {
    this.records.delete(String(seq))
  }

  batch(uid: number, b: Batch): void {
    this.batches.put(String(b.id), {
      toJSON: () => ({ s: uid, first: b.records[0]?.seq ?? 0, last: b.records.at(-1)?.seq ?? 0, pending: b.pending,
        firstAttempt: b.firstAttempt, nextAttempt: b.nextAttempt, attempts: b.attempts, seqs: b.partial === true ? b.records.map((r) => r.seq) : undefined,
        httpFailure: b.httpFailure,
        failures: b.failures === true ? b.processed?.failed.map((f): FailureRow => f.lambdaArn === undefined
          ? [f.record.seq, f.errorCode, f.errorMessage, f.attempts, f.endedAt, f.errorType]
          : [f.record.seq, f.errorCode, f.errorMessage, f.attempts, f.endedAt, f.errorType, f.lambdaArn]) : undefined }),
    })
  }

  /** Delivered (or given up on): the batch and its records go. */
  batchDone(b: Batch): void {
    this.batches.delete(String(b.id))
    for (const r of b.records) this.records.delete(String(r.seq))
  }

  clear(): void {
    for (const table of [this.streams, this.records, this.batches]) table.clear()
  }

  load(): LoadedFirehose {
    return {
      streams: this.streams.load().map(([, row]) => row as StreamRow),
      records: this.records.load().map(([key, row]): [number, RecordRow] => [Number(key), row]),
      batches: this.batches.load().map(([key, row]): [number, BatchRow] => [Number(key), row as BatchRow]),
    }
  }
}
