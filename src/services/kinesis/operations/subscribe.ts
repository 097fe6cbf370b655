// SubscribeToShard: enhanced fan-out's push reads over an HTTP/2 event stream (JSON or CBOR payloads,
// the protocol's business). An ACTIVE consumer gets its shard's records as they arrive, at most 2 MiB
// per second of the clock, an empty event at least every 5 s, ChildShards at a closed shard's end; the
// subscription ends after 5 minutes, or when a later call takes it over, as on AWS.
import type { Clock } from '../../../core/clock.ts'
import type { Operation } from '../../service.ts'
import { kinesisErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { limits, MiB } from '../limits.ts'
import type { Shard } from '../shard.ts'
import type { KinesisState } from '../store.ts'
import type { Consumer, Stream } from '../stream.ts'
import { canonicalShardId } from '../sequence-numbers.ts'
import { closesShard } from '../reshard.ts'
import { find } from './consumers.ts'
import { checkIteratorArguments, childShards, recordShape, startPosition } from './records.ts'
import { DryRuns } from '../dry-run.ts'

/** A subscription lives 5 minutes; with nothing to send, an empty event keeps it alive every 5 s. [R: AWS's cadence] */
const SUBSCRIPTION_MS = 300_000
const HEARTBEAT_MS = 5_000
/** AWS: a second call for the same consumer and shard within 5 s of a successful one is ResourceInUseException. */
const RESUBSCRIBE_MS = 5_000
/** Each consumer reads each shard at up to 2 MiB/s (enhanced fan-out's dedicated throughput). */
const CONSUMER_SHARD_BYTES_PER_SECOND = 2 * MiB

const TAKEOVER = 'takeover'

type Event = { SubscribeToShardEvent: T.SubscribeToShardEvent }

/** Per consumer and shard: the live subscription, the last successful call, the second of the last call. */
export class Subscriptions {
  readonly live = new Map<string, { takeOver: AbortController }>()
  readonly lastSuccess = new Map<string, number>()
  readonly lastCallSecond = new Map<string, number>()

  clear(): void {
    // A reset or stop ends subscriptions quietly (no takeover exception).
    for (const s of this.live.values()) s.takeOver.abort('reset')
    this.live.clear()
    this.lastSuccess.clear()
    this.lastCallSecond.clear()
  }
}

export function subscribeOperations(state: KinesisState, subscriptions = new Subscriptions(), dryRuns = new DryRuns()) {
  const subscribeToShard: Operation<T.SubscribeToShardInput, T.SubscribeToShardOutput> = (input, ctx) => {
    // The starting position's own rules come first (AWS's order: the request, then resources). The
    // rate and another live subscription are then judged before the consumer's state and the shard,
    // so a refused call counts as a call (one a second), and a second call right after a success is
    // ResourceInUseException, as AWS documents for calls within 5 s of a successful one.
    const now = state.now()
    const { Type, SequenceNumber, Timestamp } = input.StartingPosition
    const iterator = { ShardId: input.ShardId, ShardIteratorType: Type, StartingSequenceNumber: SequenceNumber, Timestamp }
    checkIteratorArguments(iterator, now)
    const { stream, consumer } = find(state, { ConsumerARN: input.ConsumerARN }, ctx)
    if (input.DryRun === true) dryRun(stream, consumer, input.ShardId, iterator, now, dryRuns)
    const key = `${consumer.arn}|${input.ShardId}`
    const second = Math.floor(now / 1000)
    const previousCall = subscriptions.lastCallSecond.get(key)
    subscriptions.lastCallSecond.set(key, second)
    const success = subscriptions.lastSuccess.get(key)
    if (success !== undefined && now - success < RESUBSCRIBE_MS) throw anotherActive(stream, consumer, input.ShardId)
    // AWS allows one call per second per consumer and shard.
    if (previousCall === second) {
      throw kinesisErrors.limitExceeded(`Rate exceeded for consumer ${consumer.arn} and shard ${input.ShardId}.`) // [R]
    }
    if (consumer.status !== 'ACTIVE') throw notActive(stream, consumer)
    // The shard id is read as GetShardIterator reads it (`shardId-1`, `1`); its message too. [R]
    const shardId = canonicalShardId(input.ShardId) ?? input.ShardId
    const shard = stream.shard(shardId)
    if (shard === undefined) throw kinesisErrors.shardMissing(shardId, stream.name, stream.meta.account)
    stream.trim(now)
    const position = startPosition(stream, shard, { ...iterator, ShardId: shard.id })
    // 5 s or more after the last successful call, this one takes the subscription over: the old one
    // ends with ResourceInUseException (AWS: "the previous connection expires or fails with" it).
    subscriptions.live.get(key)?.takeOver.abort(TAKEOVER)
    const takeOver = new AbortController()
    const entry = { takeOver }
    subscriptions.live.set(key, entry)
    subscriptions.lastSuccess.set(key, now)
    const stop = AbortSignal.any([ctx.signal, takeOver.signal])
    const done = () => {
      if (subscriptions.live.get(key) === entry) subscriptions.live.delete(key)
    }
    const lost = () => anotherActive(stream, consumer, shard.id)
    // The generated type models the event stream as its union; on the wire it is the async iterable
    // of union members the protocol frames as event-stream messages (protocol/json-rpc/event-stream-output.ts).
    const stream$: AsyncIterable<Event> = events(state, stream, consumer, shard, position, { stop, takenOver: takeOver.signal, lost, done })
    return { EventStream: stream$ } as unknown as T.SubscribeToShardOutput
  }

  return { SubscribeToShard: subscribeToShard }
}

/**
 * SubscribeToShard's checks without its bookkeeping: the consumer ACTIVE, the shard there, a sequence
 * number from it; then DryRun's answer. A dry run is not a call for the one-a-second rate or the 5 s
 * after a success, and takes no subscription over [R: AWS documents only permissions, parameters and
 * the resource for a dry run].
 */
function dryRun(stream: Stream, consumer: Consumer, shardIdGiven: string, iterator: T.GetShardIteratorInput, now: number, dryRuns: DryRuns): never {
  if (consumer.status !== 'ACTIVE') throw notActive(stream, consumer)
  const shardId = canonicalShardId(shardIdGiven) ?? shardIdGiven
  const shard = stream.shard(shardId)
  if (shard === undefined) throw kinesisErrors.shardMissing(shardId, stream.name, stream.meta.account)
  if (iterator.StartingSequenceNumber !== undefined) startPosition(stream, shard, { ...iterator, ShardId: shard.id })
  return dryRuns.answer(stream, now)
}

function notActive(stream: Stream, consumer: Consumer) {
  return kinesisErrors.resourceInUse(`Consumer ${consumer.name} with creation timestamp ${Math.floor(consumer.createdAt / 1000)} ` +
    `under stream: ${stream.name} , account ${stream.meta.account} is not in ACTIVE status.`)
}

/** AWS's wording for a consumer and shard already subscribed (the tail after the colon is [R]). */
function anotherActive(stream: Stream, consumer: Consumer, shardId: string) {
  return kinesisErrors.resourceInUse(`Another active subscription exists for this consumer: ${stream.meta.account}:${stream.name}:` +
    `${shardId}:${consumer.name}`)
}

interface Control {
  /** The client went away, or a later call took over. */
  stop: AbortSignal
  takenOver: AbortSignal
  lost: () => Error
  done: () => void
}

/**
 * Why a live subscription can't go on, as the error its event stream ends with (the event stream's
 * ResourceNotFoundException and ResourceInUseException members), or undefined while it can. The
 * stream deleted (DELETING, or gone or replaced by a namesake): ResourceNotFoundException, what
 * GetRecords answers then; the consumer deregistered: ResourceInUseException while it is DELETING
 * (not ACTIVE, what a new call answers), ResourceNotFoundException once gone. [R: AWS documents the
 * members, not when each is sent]
 */
function cannotGoOn(state: KinesisState, stream: Stream, consumer: Consumer): Error | undefined {
  const { account, region, name } = stream.meta
  // Finding the stream settles it: a reshard falls due when UPDATING ends, closing this shard then.
  if (state.find(account, region, name) !== stream || stream.meta.status === 'DELETING') return kinesisErrors.streamNotFound(name, account)
  const now = stream.consumer(consumer.name)
  if (now === undefined || now.arn !== consumer.arn) {
    return kinesisErrors.notFound(`Consumer ${consumer.name} under stream ${name} not found for account ${account}.`) // [R], as find's
  }
  return now.status === 'ACTIVE' ? undefined : notActive(stream, now)
}

async function* events(state: KinesisState, stream: Stream, consumer: Consumer, shard: Shard, from: number, control: Control): AsyncGenerator<Event> {
  const ends = state.now() + SUBSCRIPTION_MS
  const { stop } = control
  let next = from
  // Where to resume: the last record sent, or (before any) what comes just before the start.
  let continuation = shard.sequenceOf(Math.max(0, from - 1), state.now())
  // The consumer's 2 MiB/s, counted per second of the clock like the shard's own limits: bytes sent
  // in this second; once they reach 2 MiB the subscription waits for the next second.
  let windowSecond = -1
  let sent = 0
  let blockedUntil = 0
  // Woken when the stream's row changes (DeleteStream, DeregisterStreamConsumer), to end at once.
  const watched = (listener: () => void) => stream.onRowChanged(listener)
  try {
    for (;;) {
      if (state.now() < blockedUntil) {
        await wake(undefined, undefined, watched, state.clock, Math.min(ends, blockedUntil), stop)
        if (control.takenOver.reason === TAKEOVER) throw control.lost()
        if (stop.aborted || state.now() >= ends) return
        continue
      }
      const gone = cannotGoOn(state, stream, consumer)
      if (gone !== undefined) throw gone
      const now = state.now()
      const second = Math.floor(now / 1000)
      if (second !== windowSecond) {
        windowSecond = second
        sent = 0
      }
      stream.trim(now)
      next = Math.max(next, shard.trimHorizon)
      const room = CONSUMER_SHARD_BYTES_PER_SECOND - sent
      const read = shard.read(next, limits.maxGetRecordsLimit, room)
      // A read always holds one record; one that doesn't fit what is left of this second waits for the next.
      if (sent > 0 && read.length > 0 && read[0]!.entry.size > room) {
        blockedUntil = (windowSecond + 1) * 1000
        continue
      }
      if (read.length > 0) next = read.at(-1)!.entry.counter + 1
      sent += read.reduce((sum, r) => sum + r.entry.size, 0)
      if (sent >= CONSUMER_SHARD_BYTES_PER_SECOND) blockedUntil = (windowSecond + Math.ceil(sent / CONSUMER_SHARD_BYTES_PER_SECOND)) * 1000
      const caughtUp = next >= shard.nextCounter
      const ended = !shard.open && caughtUp
      const last = read.at(-1)?.entry
      if (last !== undefined) continuation = shard.sequenceOf(last.counter, last.arrival)
      yield { SubscribeToShardEvent: {
        Records: read.map((r) => recordShape(stream, shard, r)),
        ContinuationSequenceNumber: continuation,
        MillisBehindLatest: caughtUp || last === undefined ? 0 : Math.max(0, now - last.arrival),
        ...(ended && { ChildShards: childShards(stream, shard) }),
      } }
      if (control.takenOver.reason === TAKEOVER) throw control.lost()
      if (ended || stop.aborted || state.now() >= ends) return
      if (!caughtUp) continue
      // Woken early when a pending reshard closes this shard, so its ChildShards go out then — also
      // one asked for while waiting (the wait is then taken up again with its end, no event sent). A
      // uniform scaling's later round may close it: woken at each round's end, not only the one that does.
      // Waits taken up again send nothing, until a record arrives, the shard closes or the heartbeat is due.
      const heartbeat = Math.min(ends, state.now() + HEARTBEAT_MS)
      let woken: Wakeup
      do {
        const pending = stream.meta.pendingReshard
        const stepAt = pending?.kind === 'uniform' || closesShard(pending, shard.id, stream.openShardsByHashKey()) ? stream.meta.dueAt ?? Infinity : Infinity
        woken = await wake(shard, stream, watched, state.clock, Math.min(heartbeat, stepAt), stop)
        if (control.takenOver.reason === TAKEOVER) throw control.lost()
        if (stop.aborted || state.now() >= ends) return
        // Settles the stream too: a step that fell due is made (this shard closed by it, or not).
        const gone = cannotGoOn(state, stream, consumer)
        if (gone !== undefined) throw gone
      } while (woken !== 'append' && shard.open && state.now() < heartbeat)
    }
  } finally {
    control.done()
  }
}

/** Why a wait ended: a record appended, a reshard asked for on the stream, its row changed, or the time or signal. */
type Wakeup = 'append' | 'reshard' | 'changed' | 'other'

/**
 * Resolves on the shard's next append (when given), a reshard asked for on the stream (when given),
 * a change of the stream's row (`watch`: status, consumers… — not records appended to other shards),
 * at `at` on the clock, or on `signal` — whichever is first.
 */
function wake(shard: Shard | undefined, stream: Stream | undefined, watch: (listener: () => void) => () => void, clock: Clock, at: number,
  signal: AbortSignal): Promise<Wakeup> {
  return new Promise((resolve) => {
    let settled = false
    const finish = (why: Wakeup) => () => {
      if (settled) return
      settled = true
      timer.cancel()
      offAppend?.()
      offReshard?.()
      offWatch()
      signal.removeEventListener('abort', other)
      resolve(why)
    }
    const other = finish('other')
    const timer = clock.at(at, other)
    const offAppend = shard?.onAppend(finish('append'))
    const offReshard = stream?.onReshardAsked(finish('reshard'))
    const offWatch = watch(finish('changed'))
    signal.addEventListener('abort', other)
    if (signal.aborted) other()
  })
}
