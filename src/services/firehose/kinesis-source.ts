// KinesisStreamAsSource: a delivery stream reads its Kinesis stream through Kinesis's port, each
// shard once a second of the clock, and buffers the records as PutRecord would. AWS starts reading
// at the stream's DeliveryStartTimestamp (its creation); a child shard is read once its parents are
// read to the end. The position (last sequence number read per shard) is part of the stream's row,
// written in the same turn as the records it buffered: a restart neither repeats nor loses records.
// A stream caught up (its last poll read nothing and changed nothing) stops polling until Kinesis
// reports activity (the port's `watch`) or a change due on the clock (`quietUntil`), then polls at the
// tick it would have polled at anyway (the 1 s phase kept): a long clock jump costs no polls.
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

/** A watched delivery stream's polling: the next tick's timer (none while idle) and the tick polled last. */
interface Watch {
  timer: Timer | undefined
  /** When the timer is due; Infinity while idle. */
  at: number
  lastTick: number
  /** Activity reported while a poll ran: that poll may have missed it, so it does not count as caught up. */
  touched: boolean
  /** The source stream (its ARN never changes; undefined when it does not parse: nothing is read). */
  source: SourceStream | undefined
  unwatch: () => void
}

export class KinesisSource {
  private readonly state: FirehoseState
  private readonly kinesis: KinesisPort
  private readonly clock: Clock
  private readonly log: (line: string) => void
  private readonly watches = new Map<DeliveryStream, Watch>()
  /** Records read from Kinesis in all (health). */
  read = 0
  /** Polls made in all (health: an idle source makes none, however far the clock jumps). */
  polls = 0

  constructor(state: FirehoseState, kinesis: KinesisPort, clock: Clock, log: (line: string) => void) {
    this.state = state
    this.kinesis = kinesis
    this.clock = clock
    this.log = log
  }

  /** Starts polling a Kinesis-sourced stream (created, or loaded from its row). */
  watch(stream: DeliveryStream): void {
    if (stream.type !== 'KinesisStreamAsSource' || stream.source?.KinesisStreamARN === undefined || this.watches.has(stream)) return
    const source = sourceStreamOf(stream.source.KinesisStreamARN)
    const now = this.clock.now()
    const watch: Watch = { timer: undefined, at: Infinity, lastTick: now, touched: false, source, unwatch: () => {} }
    if (source !== undefined) watch.unwatch = this.kinesis.watch(source.account, source.region, source.name, () => this.wake(stream))
    this.watches.set(stream, watch)
    this.schedule(stream, watch, now)
  }

  /**
   * CreateDeliveryStream: the source stream must exist — AWS describes it with the source's RoleARN
   * when the delivery stream is created (a role without kinesis:DescribeStream fails the creation).
   * The ARN's form was checked by the model's pattern before.
   */
  requireStream(streamArn: string): void {
    const source = sourceStreamOf(streamArn)
    if (source === undefined || !this.kinesis.streamExists(source.account, source.region, source.name)) {
      throw firehoseErrors.invalidArgument(`Stream ${source?.name ?? streamArn} under account ${source?.account ?? ''} not found.`) // [R] Kinesis's own not-found wording
    }
  }

  forget(stream: DeliveryStream): void {
    const watch = this.watches.get(stream)
    watch?.timer?.cancel()
    watch?.unwatch()
    this.watches.delete(stream)
  }

  stop(): void {
    for (const watch of this.watches.values()) {
      watch.timer?.cancel()
      watch.unwatch()
    }
    this.watches.clear()
  }

  /** Arms the poll at `at` (a tick of the stream's 1 s phase), replacing a later one. */
  private schedule(stream: DeliveryStream, watch: Watch, at: number): void {
    watch.timer?.cancel()
    watch.at = at
    watch.timer = this.clock.at(at, () => {
      watch.lastTick = at
      watch.touched = false
      let caughtUp = false
      try {
        caughtUp = this.poll(stream, watch.source) && !watch.touched
      } catch (error) {
        this.log(`firehose: ${stream.name}: reading ${stream.source?.KinesisStreamARN} failed: ${String(error)}`)
      }
      if (this.watches.get(stream) !== watch) return
      let next = at + POLL_MS
      if (caughtUp) {
        // Caught up: the next poll that could find anything is at the first tick once the stream's next change on the clock is due.
        const { account, region, name } = watch.source!
        const quiet = this.kinesis.quietUntil(account, region, name)
        // Looking the stream up may settle a transition that fell due, which reports activity: then it is not caught up.
        if (!watch.touched) next = tickAtOrAfter(at, quiet)
      }
      watch.timer = undefined
      watch.at = Infinity
      if (next !== Infinity) this.schedule(stream, watch, Math.max(next, at + POLL_MS))
    })
  }

  /** Kinesis reported activity: an idle stream polls at its next tick after now (the one it would have polled at). */
  private wake(stream: DeliveryStream): void {
    const watch = this.watches.get(stream)
    if (watch === undefined) return
    watch.touched = true
    const next = tickAfter(watch.lastTick, this.clock.now())
    if (next < watch.at) this.schedule(stream, watch, next)
  }

  /**
   * One poll: every shard whose parents are drained, read from its position; records go to the buffer.
   * True when it is caught up: the stream ACTIVE, every listed shard read (or drained) and nothing read or changed.
   */
  private poll(stream: DeliveryStream, source: SourceStream | undefined): boolean {
    this.polls += 1
    // Nothing is read while CREATING; reading then starts at DeliveryStartTimestamp, so nothing is missed.
    if (stream.status(this.clock.now()) !== 'ACTIVE') return false
    if (source === undefined) return false
    const { account, region, name } = source
    const shards = this.kinesis.shards(account, region, name)
    const listed = new Set(shards.map((s) => s.shardId))
    const positions = stream.positions
    let changed = false
    let waiting = false
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
      if (!parentsDone) {
        waiting = true
        continue
      }
      const position = positions.get(shard.shardId) ?? {}
      if (position.drained === true) continue
      for (let n = 0; n < READS_PER_POLL; n++) {
        const from = position.after !== undefined ? { after: position.after } : { atTime: stream.createdAt }
        const read = this.kinesis.read(account, region, name, shard.shardId, from, READ_LIMIT)
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
    return !changed && !waiting
  }
}

interface SourceStream { account: string; region: string; name: string }

/** A source stream ARN's account, region and stream name (undefined when it does not parse). */
function sourceStreamOf(streamArn: string): SourceStream | undefined {
  const arn = parseArn(streamArn)
  return arn === undefined ? undefined : { account: arn.account, region: arn.region, name: arn.resource.replace(/^stream\//, '') }
}

/** The first tick of a phase (`tick` + n × 1 s) strictly after `now`: a tick at `now` has run already. */
export function tickAfter(tick: number, now: number): number {
  return tick + (Math.floor((now - tick) / POLL_MS) + 1) * POLL_MS
}

/** The first tick of the phase at or after `at` (Infinity stays Infinity). */
export function tickAtOrAfter(tick: number, at: number): number {
  if (at === Infinity) return Infinity
  return at <= tick ? tick : tick + Math.ceil((at - tick) / POLL_MS) * POLL_MS
}
