// SubscribeToShard: enhanced fan-out's push reads over an HTTP/2 event stream. An ACTIVE consumer
// gets its shard's records as they arrive (an empty event at least every 5 s of the clock), ChildShards
// at a closed shard's end, and the subscription ends after 5 minutes of the clock, as on AWS.
import type { Clock } from '../../../core/clock.ts'
import { protocolErrors } from '../../../protocol/errors.ts'
import type { Operation } from '../../service.ts'
import { kinesisErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { limits } from '../limits.ts'
import type { Shard } from '../shard.ts'
import type { KinesisState } from '../store.ts'
import type { Stream } from '../stream.ts'
import { find } from './consumers.ts'
import { childShards, recordShape, startPosition } from './records.ts'

/** A subscription lives 5 minutes; with nothing to send, an empty event keeps it alive every 5 s. [R: AWS's cadence] */
const SUBSCRIPTION_MS = 300_000
const HEARTBEAT_MS = 5_000

type Event = { SubscribeToShardEvent: T.SubscribeToShardEvent }

export function subscribeOperations(state: KinesisState) {
  /** Consumer ARN + shard id of each open subscription: AWS allows one at a time. */
  const open = new Set<string>()

  const subscribeToShard: Operation<T.SubscribeToShardInput, T.SubscribeToShardOutput> = (input, ctx) => {
    // The event stream is framed for awsJson; the CBOR flavour's (Java SDK over TLS) is a listed gap.
    if (ctx.protocol !== 'json') throw protocolErrors.notImplemented('SubscribeToShard over CBOR', 'kinesis')
    const { stream, consumer } = find(state, { ConsumerARN: input.ConsumerARN }, ctx)
    if (consumer.status !== 'ACTIVE') throw kinesisErrors.resourceInUse(`Consumer ${consumer.arn} is not in ACTIVE state.`) // [R]
    const shard = stream.shard(input.ShardId)
    if (shard === undefined) throw kinesisErrors.shardMissing(input.ShardId, stream.name, stream.meta.account)
    const key = `${consumer.arn}|${shard.id}`
    if (open.has(key)) {
      throw kinesisErrors.resourceInUse(`Another active subscription exists for consumer ${consumer.arn} and shard ${shard.id}.`) // [R]
    }
    const now = state.now()
    stream.trim(now)
    const { Type, SequenceNumber, Timestamp } = input.StartingPosition
    const position = startPosition(stream, shard, { ShardId: shard.id, ShardIteratorType: Type, StartingSequenceNumber: SequenceNumber,
      Timestamp }, now)
    open.add(key)
    // The generated type models the event stream as its union; on the wire it is the async iterable
    // of union members the JSON protocol frames as event-stream messages (protocol/event-stream.ts).
    const stream$: AsyncIterable<Event> = events(state, stream, shard, position, ctx.signal, () => open.delete(key))
    return { EventStream: stream$ } as unknown as T.SubscribeToShardOutput
  }

  return { SubscribeToShard: subscribeToShard }
}

async function* events(state: KinesisState, stream: Stream, shard: Shard, from: number, signal: AbortSignal,
  done: () => void): AsyncGenerator<Event> {
  const ends = state.now() + SUBSCRIPTION_MS
  let next = from
  // Where to resume: the last record sent, or (before any) what comes just before the start.
  let continuation = shard.sequenceOf(Math.max(0, from - 1), state.now())
  try {
    for (;;) {
      const now = state.now()
      stream.trim(now)
      next = Math.max(next, shard.trimHorizon)
      const read = shard.read(next, limits.maxGetRecordsLimit, limits.maxGetRecordsBytes)
      if (read.length > 0) next = read.at(-1)!.entry.counter + 1
      const caughtUp = next >= shard.nextCounter
      const ended = !shard.open && caughtUp
      const last = read.at(-1)?.entry
      if (last !== undefined) continuation = shard.sequenceOf(last.counter, last.arrival)
      yield { SubscribeToShardEvent: {
        Records: read.map((r) => recordShape(shard, r, stream.meta.encryption.type)),
        ContinuationSequenceNumber: continuation,
        MillisBehindLatest: caughtUp || last === undefined ? 0 : Math.max(0, now - last.arrival),
        ...(ended && { ChildShards: childShards(stream, shard) }),
      } }
      if (ended || signal.aborted || state.now() >= ends) return
      if (!caughtUp) continue
      await wake(shard, state.clock, Math.min(ends, state.now() + HEARTBEAT_MS), signal)
      if (signal.aborted || state.now() >= ends) return
    }
  } finally {
    done()
  }
}

/** Resolves on the shard's next append, at `at` on the clock, or when the client goes away — whichever is first. */
function wake(shard: Shard, clock: Clock, at: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    let settled = false
    const finish = () => {
      if (settled) return
      settled = true
      timer.cancel()
      off()
      signal.removeEventListener('abort', finish)
      resolve()
    }
    const timer = clock.at(at, finish)
    const off = shard.onAppend(finish)
    signal.addEventListener('abort', finish)
  })
}
