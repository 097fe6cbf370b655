// KinesisStreamAsSource: a delivery stream reads its Kinesis stream through Kinesis's port, each
// shard once a second of the clock, and buffers the records as PutRecord would. AWS starts reading
// at the stream's DeliveryStartTimestamp (its creation); a child shard is read once its parents are
// read to the end. The position (last sequence number read per shard) is part of the stream's row,
// written in the same turn as the records it buffered: a restart neither repeats nor loses records.
import { parseArn } from '../../core/arn.ts'
import type { Clock, Timer } from '../../core/clock.ts'
import type { KinesisPort } from '../kinesis/port.ts'
import type { KinesisOrigin } from './buffered-record.ts'
import type { DeliveryStream } from './delivery-stream.ts'
import { firehoseErrors } from './errors.ts'
import { deaggregateKpl } from './kpl.ts'
import type { FirehoseState } from './store.ts'

/** Firehose polls each shard about once a second ([R]: AWS documents GetRecords once per second per shard). */
const POLL_MS = 1000
/** Records per read, and reads per shard per poll (so one busy shard can't hold the turn forever). */
const READ_LIMIT = 10_000
const READS_PER_POLL = 10

export class KinesisSource {
  private readonly state: FirehoseState
  private readonly kinesis: KinesisPort
  private readonly clock: Clock
  private readonly log: (line: string) => void
  private readonly timers = new Map<DeliveryStream, Timer>()
  /** Records read from Kinesis in all (health). */
  read = 0

  constructor(state: FirehoseState, kinesis: KinesisPort, clock: Clock, log: (line: string) => void) {
    this.state = state
    this.kinesis = kinesis
    this.clock = clock
    this.log = log
  }

  /** Starts polling a Kinesis-sourced stream (created, or loaded from its row). */
  watch(stream: DeliveryStream): void {
    if (stream.type !== 'KinesisStreamAsSource' || stream.source?.KinesisStreamARN === undefined || this.timers.has(stream)) return
    this.schedule(stream, 0)
  }

  /**
   * CreateDeliveryStream: the source stream must exist — AWS describes it with the source's RoleARN
   * when the delivery stream is created (a role without kinesis:DescribeStream fails the creation).
   * The ARN's form was checked by the model's pattern before.
   */
  requireStream(streamArn: string): void {
    const arn = parseArn(streamArn)
    const name = arn?.resource.replace(/^stream\//, '') ?? streamArn
    if (arn === undefined || !this.kinesis.streamExists(arn.account, arn.region, name)) {
      throw firehoseErrors.invalidArgument(`Stream ${name} under account ${arn?.account ?? ''} not found.`) // [R] Kinesis's own not-found wording
    }
  }

  forget(stream: DeliveryStream): void {
    this.timers.get(stream)?.cancel()
    this.timers.delete(stream)
  }

  stop(): void {
    for (const timer of this.timers.values()) timer.cancel()
    this.timers.clear()
  }

  private schedule(stream: DeliveryStream, ms: number): void {
    this.timers.set(stream, this.clock.after(ms, () => {
      this.schedule(stream, POLL_MS)
      try {
        this.poll(stream)
      } catch (error) {
        this.log(`firehose: ${stream.name}: reading ${stream.source?.KinesisStreamARN} failed: ${String(error)}`)
      }
    }))
  }

  /** One poll: every shard whose parents are drained, read from its position; records go to the buffer. */
  poll(stream: DeliveryStream): void {
    // Nothing is read while CREATING; reading then starts at DeliveryStartTimestamp, so nothing is missed.
    if (stream.status(this.clock.now()) !== 'ACTIVE') return
    const arn = parseArn(stream.source!.KinesisStreamARN!)
    if (arn === undefined) return
    const name = arn.resource.replace(/^stream\//, '')
    const shards = this.kinesis.shards(arn.account, arn.region, name)
    const listed = new Set(shards.map((s) => s.shardId))
    const positions = stream.positions
    let changed = false
    // Shards gone past retention leave no position behind.
    for (const id of positions.keys()) {
      if (!listed.has(id)) {
        positions.delete(id)
        changed = true
      }
    }
    for (const shard of shards) {
      const parentsDone = [shard.parentShardId, shard.adjacentParentShardId]
        .every((p) => p === undefined || !listed.has(p) || positions.get(p)?.drained === true)
      if (!parentsDone) continue
      const position = positions.get(shard.shardId) ?? {}
      if (position.drained === true) continue
      for (let n = 0; n < READS_PER_POLL; n++) {
        const from = position.after !== undefined ? { after: position.after } : { atTime: stream.createdAt }
        const read = this.kinesis.read(arn.account, arn.region, name, shard.shardId, from, READ_LIMIT)
        if (read.records.length > 0) {
          // KPL aggregated records are split into their user records, as Firehose does; each keeps where it came from.
          const data: Buffer[] = []
          const origins: KinesisOrigin[] = []
          for (const r of read.records) {
            for (const [i, d] of (deaggregateKpl(r.data) ?? [r.data]).entries()) {
              data.push(d)
              origins.push({ sequenceNumber: r.sequenceNumber, subsequenceNumber: i, partitionKey: r.partitionKey, shardId: shard.shardId,
                approximateArrivalTimestamp: r.approximateArrivalTimestamp })
            }
          }
          this.state.put(stream, data, origins)
          this.state.metrics?.readFromKinesis(stream, read.records.length, read.records.reduce((n, r) => n + r.data.length, 0))
          this.read += read.records.length
          position.after = read.records.at(-1)!.sequenceNumber
          changed = true
        }
        if (read.ended) {
          position.drained = true
          changed = true
        }
        if (read.records.length < READ_LIMIT || read.ended) break
      }
      positions.set(shard.shardId, position)
    }
    if (changed) this.state.saved(stream)
  }
}
