// SubscribeToShard across UpdateShardCount's rounds (uniform-scaling.ts): a subscription on a shard that
// a later round closes — not the first — ends with ChildShards when that round is made, not at its next
// 5 s heartbeat, even when nothing else reads the stream meanwhile.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { RegisterStreamConsumerCommand, SubscribeToShardCommand, UpdateShardCountCommand } from '@aws-sdk/client-kinesis'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

/** The promise's value, or 'pending' if it hasn't settled after many turns of the event loop (the clock not moved). */
async function soon<T>(promise: Promise<T>): Promise<T | 'pending'> {
  let settled = false
  const tracked = promise.finally(() => { settled = true })
  for (let turn = 0; turn < 5_000 && !settled; turn++) await new Promise((resolve) => setImmediate(resolve))
  return settled ? tracked : 'pending'
}

describe('SubscribeToShard and UpdateShardCount rounds', { timeout: 60_000 }, () => {
  it("4 → 3: shard 0, closed by the second round (a merge), ends when that round is made", async () => {
    const k = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, k, 4)
    const { Consumer: c } = await k.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn(name), ConsumerName: 'efo' }))
    await advance(nimbus.current, 500)
    const out = await k.send(new SubscribeToShardCommand({ ConsumerARN: c!.ConsumerARN, ShardId: 'shardId-000000000000',
      StartingPosition: { Type: 'TRIM_HORIZON' } }))
    const events = out.EventStream![Symbol.asyncIterator]()
    assert.deepEqual((await events.next()).value!.SubscribeToShardEvent!.Records, [])
    // Round one splits shards 1 and 2 at the thirds; round two merges shard 0 with the sliver [¼, ⅓).
    await k.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 3, ScalingType: 'UNIFORM_SCALING' }))
    const next = events.next()
    await advance(nimbus.current, 500)
    await advance(nimbus.current, 500)
    const last = await soon(next)
    assert.notEqual(last, 'pending', 'no event when the round closing the shard was made')
    const event = (last as IteratorResult<{ SubscribeToShardEvent?: { ChildShards?: Array<{ ShardId?: string; ParentShards?: string[] }> } }>)
      .value!.SubscribeToShardEvent!
    assert.deepEqual(event.ChildShards?.map((s: { ShardId?: string; ParentShards?: string[] }) => [s.ShardId, s.ParentShards]),
      [['shardId-000000000008', ['shardId-000000000000', 'shardId-000000000004']]])
    assert.equal((await events.next()).done, true)
  })
})
