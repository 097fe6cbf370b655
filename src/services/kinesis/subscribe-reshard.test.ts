// A subscription already waiting on a shard when a reshard that closes it is asked for: its
// ChildShards event goes out when UPDATING ends, not at the next 5 s heartbeat.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ManualClock } from '../../core/clock.ts'
import type { OperationContext } from '../service.ts'
import type * as T from './generated/types.ts'
import { consumerOperations } from './operations/consumers.ts'
import { shardOperations } from './operations/shards.ts'
import { subscribeOperations } from './operations/subscribe.ts'
import { KinesisState } from './store.ts'

const account = '000000000000'
const ctx = { caller: { account, region: 'us-east-1', accessKeyId: 'test' }, signal: new AbortController().signal } as unknown as OperationContext
const whole = { start: '0', end: String((1n << 128n) - 1n) }
type Event = { SubscribeToShardEvent: T.SubscribeToShardEvent }

/** Lets the subscription's promises run (no wall time passes on the manual clock). */
const turns = async (n = 20) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve))
}

async function subscribed() {
  const clock = new ManualClock(Date.UTC(2026, 0, 1))
  const state = new KinesisState(clock, { transitionMs: 500 })
  const stream = state.create(account, 'us-east-1', 's', 'PROVISIONED', 0, {})
  stream.addShard({ ...whole, createdAt: clock.now() })
  stream.addShard({ start: '1', end: '0', createdAt: clock.now() }).close(clock.now()) // a second index, never open
  clock.advance(500)
  const { Consumer: consumer } = await consumerOperations(state).RegisterStreamConsumer({ StreamARN: stream.arn, ConsumerName: 'c' }, ctx)
  clock.advance(500)
  const out = await subscribeOperations(state).SubscribeToShard({ ConsumerARN: consumer!.ConsumerARN!, ShardId: 'shardId-000000000000',
    StartingPosition: { Type: 'LATEST' } }, ctx)
  const events = (out.EventStream as unknown as AsyncIterable<Event>)[Symbol.asyncIterator]()
  const first = await events.next()
  assert.deepEqual(first.value!.SubscribeToShardEvent.Records, [])
  return { clock, state, events }
}

describe('SubscribeToShard while a reshard is asked for', () => {
  for (const [label, reshard] of [
    ['SplitShard', (ops: ReturnType<typeof shardOperations>) => ops.SplitShard({ StreamName: 's', ShardToSplit: 'shardId-000000000000',
      NewStartingHashKey: String(1n << 127n) }, ctx)],
    ['UpdateShardCount', (ops: ReturnType<typeof shardOperations>) => ops.UpdateShardCount({ StreamName: 's', TargetShardCount: 2,
      ScalingType: 'UNIFORM_SCALING' }, ctx)],
  ] as const) {
    it(`${label}: the waiting subscription ends with ChildShards when UPDATING ends`, async () => {
      const { clock, state, events } = await subscribed()
      // Set when the pending next() resolves (a box: the callback's assignment is invisible to narrowing).
      const box: { next?: IteratorResult<Event> } = {}
      void events.next().then((r) => { box.next = r })
      await turns()
      assert.equal(box.next, undefined, 'nothing to send yet')
      await reshard(shardOperations(state))
      await turns()
      // An empty event may or may not go out now; what matters is the end when UPDATING ends.
      const seen: IteratorResult<Event>[] = []
      if (box.next !== undefined) {
        seen.push(box.next)
        box.next = undefined
        void events.next().then((r) => { box.next = r })
      }
      clock.advance(499)
      await turns()
      assert.equal(box.next, undefined, 'still UPDATING: the parent is open')
      clock.advance(1)
      await turns()
      const ended = box.next as IteratorResult<Event> | undefined // not narrowed by the asserts above
      assert.ok(ended !== undefined, 'the ChildShards event goes out when UPDATING ends, not at the 5 s heartbeat')
      const last = ended.value!.SubscribeToShardEvent
      assert.deepEqual(last.Records, [])
      assert.deepEqual(last.ChildShards?.map((c: T.ChildShard) => c.ShardId), ['shardId-000000000002', 'shardId-000000000003'])
      assert.equal((await events.next()).done, true)
      assert.ok(seen.every((e) => e.value!.SubscribeToShardEvent.ChildShards === undefined))
    })
  }
})
