// A Kinesis stream's poller: each shard once per second of the clock, in order, children only after
// their parents are read to the end. A batch the function fails is retried (split in two first with
// BisectBatchOnFunctionError) until MaximumRetryAttempts, then skipped; the shard waits meanwhile.
import { parseArn } from '../../../core/arn.ts'
import type { Timer } from '../../../core/clock.ts'
import type { KinesisPort, KinesisReadRecord } from '../../kinesis/port.ts'
import type { EventSourcePoller, PollerDeps, PollerSettings } from './poller.ts'

/** A stream ARN's account, region and name. */
export function streamOf(arn: string): { account: string; region: string; name: string } {
  const parsed = parseArn(arn)
  return { account: parsed?.account ?? '', region: parsed?.region ?? '', name: parsed?.resource.replace(/^stream\//, '') ?? '' }
}

interface Batch { records: KinesisReadRecord[]; attempts: number }

interface Cursor {
  /** Where the next read starts (undefined: the mapping's StartingPosition, or TRIM_HORIZON for children). */
  after: string | undefined
  drained: boolean
  /** Batches read and not yet done with, oldest first (a bisected batch becomes two). */
  pending: Batch[]
}

/** AWS polls each shard about once a second. */
const POLL_MS = 1000
/** Batches one shard may finish per poll before yielding to the others. */
const BATCHES_PER_POLL = 100

export class KinesisPoller implements EventSourcePoller {
  private settings: PollerSettings
  private readonly deps: PollerDeps & { kinesis: KinesisPort }
  private readonly cursors = new Map<string, Cursor>()
  private timer: Timer | undefined
  private running = false
  private polling = false
  private again = false
  /** Shards seen at the first poll start at StartingPosition; later ones (children) at TRIM_HORIZON. */
  private first = true

  constructor(settings: PollerSettings, deps: PollerDeps & { kinesis: KinesisPort }) {
    this.settings = settings
    this.deps = deps
  }

  start(): void {
    if (this.running) return
    this.running = true
    this.schedule(0)
  }

  stop(): void {
    this.running = false
    this.timer?.cancel()
    this.timer = undefined
  }

  update(settings: PollerSettings): void {
    this.settings = settings
  }

  /** A poll every second of the clock; one falling due while the last still runs follows right after it. */
  private schedule(ms: number): void {
    this.timer = this.deps.clock.after(ms, () => {
      if (!this.running) return
      this.schedule(POLL_MS)
      this.kick()
    })
  }

  private kick(): void {
    if (this.polling) {
      this.again = true
      return
    }
    this.polling = true
    this.poll().catch((error: unknown) => this.deps.log(`[lambda] Kinesis poller for ${this.settings.sourceArn} failed: ${String(error)}`))
      .finally(() => {
        this.polling = false
        if (this.again && this.running) {
          this.again = false
          this.kick()
        }
      })
  }

  private async poll(): Promise<void> {
    const { account, region, name } = streamOf(this.settings.sourceArn)
    const shards = this.deps.kinesis.shards(account, region, name)
    const listed = new Set(shards.map((s) => s.shardId))
    const ready = shards.filter((s) => [s.parentShardId, s.adjacentParentShardId]
      .every((p) => p === undefined || !listed.has(p) || this.cursors.get(p)?.drained === true))
    for (const s of shards) if (!this.cursors.has(s.shardId)) this.cursors.set(s.shardId, { after: this.first ? undefined : '', drained: false, pending: [] })
    this.first = false
    await Promise.all(ready.map((s) => this.pollShard(account, region, name, s.shardId)))
  }

  private async pollShard(account: string, region: string, name: string, shardId: string): Promise<void> {
    const cursor = this.cursors.get(shardId)!
    for (let n = 0; n < BATCHES_PER_POLL && this.running && !cursor.drained; n++) {
      if (cursor.pending.length === 0) {
        const read = this.deps.kinesis.read(account, region, name, shardId, this.from(cursor), this.settings.batchSize)
        cursor.after = read.after
        if (read.records.length === 0) {
          cursor.drained = read.ended
          return
        }
        cursor.pending.push({ records: read.records, attempts: 0 })
      }
      if (!(await this.attempt(shardId, cursor))) return
    }
  }

  private from(cursor: Cursor): { after: string } | { atTime: number } | 'TRIM_HORIZON' | 'LATEST' {
    if (cursor.after === '') return 'TRIM_HORIZON'
    if (cursor.after !== undefined) return { after: cursor.after }
    const stream = this.settings.stream
    if (stream?.startingPosition === 'AT_TIMESTAMP') return { atTime: stream.startingTimestamp ?? 0 }
    return stream?.startingPosition === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON'
  }

  /** Invokes the front batch; false when the shard must wait for its next poll (a failure to retry). */
  private async attempt(shardId: string, cursor: Cursor): Promise<boolean> {
    const batch = cursor.pending[0]!
    const result = await this.deps.invoke(Buffer.from(JSON.stringify({ Records: batch.records.map((r) => this.record(shardId, r)) })))
    const failed = 'throttled' in result || result.outcome === 'error'
    batch.attempts += 1
    for (const r of batch.records) this.deps.hop(`${shardId}:${r.sequenceNumber}`, failed ? 'failed' : 'delivered', batch.attempts)
    if (!failed) {
      cursor.pending.shift()
      return true
    }
    const stream = this.settings.stream
    if (stream?.bisect === true && batch.records.length > 1) {
      // Split in two and retry each half: the failing record ends up alone. Splitting doesn't count as a retry.
      const half = Math.ceil(batch.records.length / 2)
      cursor.pending.splice(0, 1, { records: batch.records.slice(0, half), attempts: batch.attempts - 1 },
        { records: batch.records.slice(half), attempts: batch.attempts - 1 })
      return false
    }
    const maxRetries = stream?.maxRetries ?? -1
    if (maxRetries >= 0 && batch.attempts > maxRetries) {
      this.deps.log(`[lambda] Kinesis mapping skipped ${batch.records.length} record(s) of ${shardId} after ${batch.attempts} attempt(s)`)
      cursor.pending.shift()
      return true
    }
    return false
  }

  /** A record as Lambda hands it over from Kinesis (key order as AWS sends it). */
  private record(shardId: string, r: KinesisReadRecord) {
    const { region } = streamOf(this.settings.sourceArn)
    return {
      kinesis: {
        kinesisSchemaVersion: '1.0', partitionKey: r.partitionKey, sequenceNumber: r.sequenceNumber,
        data: r.data.toString('base64'), approximateArrivalTimestamp: r.approximateArrivalTimestamp / 1000,
      },
      eventSource: 'aws:kinesis', eventVersion: '1.0', eventID: `${shardId}:${r.sequenceNumber}`, eventName: 'aws:kinesis:record',
      invokeIdentityArn: this.settings.stream?.roleArn ?? '', awsRegion: region, eventSourceARN: this.settings.sourceArn,
    }
  }
}
