// A delivery stream: its settings, its status and encryption on the clock, and the records it has
// accepted but not yet delivered (the buffer, then batches being written or waiting for a retry).
import type { BufferedRecord } from './buffered-record.ts'
import type { S3Settings } from './destination.ts'
import { bufferSettingsOf, type HttpSettings } from './http-endpoint.ts'
import type { Processed } from './processing.ts'
import { partitionerOf, pipelineOf, stagesOf } from './record-processors.ts'
import type * as T from './generated/types.ts'
import { limits } from './limits.ts'

export type { BufferedRecord } from './buffered-record.ts'

/** Records cut from the buffer, delivered together as one object (per target). */
export interface Batch {
  id: number
  records: BufferedRecord[]
  /**
   * Targets still to write: the destination, the backup bucket when S3BackupMode is Enabled, and
   * the processing-failed error output once a transformation failed records.
   */
  pending: Array<'main' | 'backup' | 'errors' | 'httpFailed'>
  /** The transformation's outcome (in memory: after a restart the batch is transformed again). */
  processed?: Processed & { partitions: BufferedRecord[][] }
  firstAttempt: number
  nextAttempt: number
  attempts: number
  /** HTTP endpoint: why delivery was given up once RetryOptions ran out (its records go to `http-endpoint-failed`). */
  httpFailure?: { code: string; message: string; attempts: number; endedAt: number }
  /** Its records' seqs are not a contiguous range of the stream's (cut from some partitions, or a Lambda's output): stored as a list. */
  partial?: boolean
  /** A transformation's failed records, waiting for their error output: `processed.failed` is stored with the batch. */
  failures?: boolean
}

/** KinesisStreamAsSource: a shard's position — `after` the last sequence number read (undefined: not read yet), `drained` once a closed shard is done. */
export interface ShardPosition {
  after?: string
  drained?: boolean
}

export interface EncryptionState {
  keyType: T.KeyType
  keyArn: string | undefined
  enabled: boolean
  /** When the last Start/Stop was called: ENABLING/DISABLING until `limits.encryptionChangeMs` later. */
  changedAt: number
}

export interface StreamInit {
  uid: number
  name: string
  account: string
  region: string
  type: T.DeliveryStreamType
  createdAt: number
  /** Which configuration created it: legacy S3DestinationConfiguration or ExtendedS3DestinationConfiguration. */
  legacy: boolean
  settings: S3Settings
  source: T.KinesisStreamSourceConfiguration | undefined
  /** An HTTP endpoint destination (else S3). */
  http?: HttpSettings
}

export class DeliveryStream {
  readonly uid: number
  readonly name: string
  readonly account: string
  readonly region: string
  readonly arn: string
  readonly type: T.DeliveryStreamType
  readonly createdAt: number
  readonly legacy: boolean
  readonly source: T.KinesisStreamSourceConfiguration | undefined
  private current!: S3Settings
  private httpCurrent: HttpSettings | undefined
  /** Dynamic partitioning by the JQ query: each record's partition on arrival, and the bytes each partition holds. */
  private partitioner: ((record: BufferedRecord) => string) | undefined
  private readonly partitionBytes = new Map<string, number>()
  /** The processors: those up to a Lambda run on the processor's buffer (`transform`), the rest when the destination's buffer is cut. */
  stages!: ReturnType<typeof stagesOf>
  version = 1
  updatedAt: number
  encryption: EncryptionState | undefined
  /** When Start/StopDeliveryStreamEncryption were called within the last 24 hours (their combined limit). */
  encryptionCalls: number[] = []
  readonly tags = new Map<string, string>()
  buffer: BufferedRecord[] = []
  bufferBytes = 0
  /** Data transformation: source records in the Lambda processor's own buffer, and those the function has now (transform-stage.ts). */
  staged: BufferedRecord[] = []
  stagedBytes = 0
  transforming: BufferedRecord[] = []
  readonly batches = new Map<number, Batch>()
  /** KinesisStreamAsSource: how far each shard of the source has been read (stored with the stream). */
  readonly positions = new Map<string, ShardPosition>()

  constructor(init: StreamInit) {
    this.uid = init.uid
    this.name = init.name
    this.account = init.account
    this.region = init.region
    this.arn = `arn:aws:firehose:${init.region}:${init.account}:deliverystream/${init.name}`
    this.type = init.type
    this.createdAt = init.createdAt
    this.updatedAt = init.createdAt
    this.legacy = init.legacy
    this.settings = init.settings
    this.source = init.source
    if (init.http !== undefined) this.http = init.http
  }

  /** An HTTP endpoint destination's settings; undefined for S3 streams. */
  get http(): HttpSettings | undefined {
    return this.httpCurrent
  }

  /** HTTP endpoint: the buffer runs on the endpoint's hints and processors, S3 writes on its S3Configuration. */
  set http(http: HttpSettings | undefined) {
    this.httpCurrent = http
    if (http !== undefined) this.settings = bufferSettingsOf(http)
  }

  get settings(): S3Settings {
    return this.current
  }

  /** New settings (create, UpdateDestination): buffered records are re-partitioned by them. */
  set settings(settings: S3Settings) {
    this.current = settings
    this.stages = stagesOf(pipelineOf(settings.ProcessingConfiguration, settings.DynamicPartitioningConfiguration?.Enabled === true))
    this.partitioner = partitionerOf(settings)
    this.rebuffer(this.buffer)
  }

  /** The destination's buffer becomes `records`: its bytes counted and each record tagged with its partition again. */
  private rebuffer(records: BufferedRecord[]): void {
    this.buffer = records
    this.bufferBytes = records.reduce((n, r) => n + r.data.length, 0)
    this.partitionBytes.clear()
    for (const r of records) this.tag(r)
  }

  private tag(record: BufferedRecord): void {
    record.partition = this.partitioner?.(record)
    if (record.partition !== undefined) this.partitionBytes.set(record.partition, (this.partitionBytes.get(record.partition) ?? 0) + record.data.length)
  }

  status(now: number): T.DeliveryStreamStatus {
    return now - this.createdAt >= limits.creatingMs ? 'ACTIVE' : 'CREATING'
  }

  encryptionStatus(now: number): T.DeliveryStreamEncryptionStatus {
    const e = this.encryption
    if (e === undefined) return 'DISABLED'
    const settled = now - e.changedAt >= limits.encryptionChangeMs
    if (e.enabled) return settled ? 'ENABLED' : 'ENABLING'
    return settled ? 'DISABLED' : 'DISABLING'
  }

  /** When the buffer is due by interval (its oldest record's arrival + IntervalInSeconds), or undefined when empty. */
  dueAt(): number | undefined {
    const oldest = this.buffer[0]
    return oldest === undefined ? undefined : (oldest.buffered ?? oldest.arrival) + this.settings.BufferingHints.IntervalInSeconds * 1000
  }

  /** The Lambda processor's buffer: due at its oldest record's arrival + BufferIntervalInSeconds (undefined when empty or no Lambda). */
  stagedDueAt(): number | undefined {
    const oldest = this.staged[0]
    const lambda = this.stages.transform?.lambda
    return oldest === undefined || lambda === undefined ? undefined : oldest.arrival + lambda.intervalMs
  }

  /** The Lambda processor's buffer reached BufferSizeInMBs. */
  stagedFull(): boolean {
    const lambda = this.stages.transform?.lambda
    return lambda !== undefined && this.stagedBytes >= lambda.bufferBytes
  }

  /** A source record for the Lambda processor's buffer. */
  stage(record: BufferedRecord): void {
    this.staged.push(record)
    this.stagedBytes += record.data.length
  }

  /** After an update: source records follow the processors — into the Lambda's buffer when there is one now, else into the destination's. */
  restage(): void {
    if (this.stages.transform === undefined) {
      if (this.staged.length === 0) return
      const staged = this.staged
      this.staged = []
      this.stagedBytes = 0
      for (const r of staged) this.append(r)
      return
    }
    const source = this.buffer.filter((r) => r.transformed !== true)
    if (source.length === 0) return
    this.rebuffer(this.buffer.filter((r) => r.transformed === true))
    for (const r of source) this.stage(r)
    this.staged.sort((a, b) => a.seq - b.seq)
  }

  /** The source records go to the S3 backup too: an HTTP endpoint's AllData, or S3's S3BackupMode Enabled. */
  get backsUpSource(): boolean {
    return this.http !== undefined ? this.http.S3BackupMode === 'AllData' : this.settings.S3BackupMode === 'Enabled'
  }

  private sizeBytes(): number {
    return this.settings.BufferingHints.SizeInMBs * 1024 * 1024
  }

  /** The buffer (or, partitioned, one partition's buffer) reached SizeInMBs. */
  full(): boolean {
    if (this.partitioner === undefined) return this.bufferBytes >= this.sizeBytes()
    for (const bytes of this.partitionBytes.values()) if (bytes >= this.sizeBytes()) return true
    return false
  }

  append(record: BufferedRecord): void {
    this.buffer.push(record)
    this.bufferBytes += record.data.length
    this.tag(record)
  }

  /**
   * Takes the buffer as a new batch — partitioned, only the partitions that are full or whose oldest
   * record is IntervalInSeconds old (the rest keep buffering). Undefined when nothing is due.
   */
  cut(id: number, now: number): Batch | undefined {
    let taken = this.buffer
    if (this.partitioner !== undefined) {
      const interval = this.settings.BufferingHints.IntervalInSeconds * 1000
      const oldest = new Map<string, number>()
      for (const r of this.buffer) if (!oldest.has(r.partition!)) oldest.set(r.partition!, r.buffered ?? r.arrival)
      const due = new Set([...oldest].filter(([p, at]) => at + interval <= now || (this.partitionBytes.get(p) ?? 0) >= this.sizeBytes()).map(([p]) => p))
      taken = this.buffer.filter((r) => due.has(r.partition!))
      for (const p of due) this.partitionBytes.delete(p)
    }
    if (taken.length === 0) return undefined
    const partial = taken.length < this.buffer.length
    // Stored by range only when no other record of the stream can fall in it: a Lambda's output gets its
    // seq when the function answers, after source records still waiting in the processor's buffer.
    const listed = partial || taken.some((r) => r.transformed === true)
    const takenSet = new Set(taken)
    this.buffer = partial ? this.buffer.filter((r) => !takenSet.has(r)) : []
    this.bufferBytes = this.buffer.reduce((n, r) => n + r.data.length, 0)
    // HTTP endpoint with AllData: the S3 backup is written first (the endpoint may keep it retrying).
    // With a Lambda processor the source records were backed up when the function took them (transform-stage.ts).
    const backup = this.stages.transform === undefined && this.backsUpSource
    const batch: Batch = {
      id, records: taken, pending: backup ? (this.http !== undefined ? ['backup', 'main'] : ['main', 'backup']) : ['main'],
      firstAttempt: now, nextAttempt: now, attempts: 0, ...(listed ? { partial: true } : {}),
    }
    this.batches.set(id, batch)
    return batch
  }

  /** Records accepted and not yet delivered (shown by /_nimbus/health). */
  pendingRecords(): number {
    let n = this.buffer.length + this.staged.length + this.transforming.length
    for (const b of this.batches.values()) n += b.records.length
    return n
  }
}
