// A reshard not yet made (its stream UPDATING) already counts the shards it will add against the
// account's quota (AWS: its shards "count towards your total shard limit"), and is made at the moment
// UPDATING ends, however much later the stream is next read.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ManualClock } from '../../core/clock.ts'
import type { OperationContext } from '../service.ts'
import { shardOperations } from './operations/shards.ts'
import { KinesisState } from './store.ts'

const ctx = { caller: { account: '000000000000', region: 'eu-central-1', accessKeyId: 'test' } } as unknown as OperationContext
const half = String(1n << 127n)

describe('pending reshards', () => {
  it('count against the shard quota before they are made', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1))
    const state = new KinesisState(clock, { transitionMs: 500, shardQuota: 3 })
    const ops = shardOperations(state)
    state.create('000000000000', 'eu-central-1', 'a', 'PROVISIONED', 0, {}).addShard({ start: '0', end: String((1n << 128n) - 1n), createdAt: clock.now() })
    state.create('000000000000', 'eu-central-1', 'b', 'PROVISIONED', 0, {}).addShard({ start: '0', end: String((1n << 128n) - 1n), createdAt: clock.now() })
    clock.advance(500)
    await ops.SplitShard({ StreamName: 'a', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: half }, ctx)
    // 2 open shards now, 3 once a's split is made: b's split would be a fourth.
    assert.equal(state.shardCount('000000000000', 'eu-central-1'), 2)
    assert.throws(() => ops.SplitShard({ StreamName: 'b', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: half }, ctx),
      { name: 'LimitExceededException' })
  })

  it('are made at the moment UPDATING ended, not when the stream is next read', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1))
    const state = new KinesisState(clock, { transitionMs: 500 })
    const ops = shardOperations(state)
    const stream = state.create('000000000000', 'eu-central-1', 'a', 'PROVISIONED', 0, {})
    stream.addShard({ start: '0', end: String((1n << 128n) - 1n), createdAt: clock.now() })
    clock.advance(500)
    const asked = clock.now()
    await ops.SplitShard({ StreamName: 'a', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: half }, ctx)
    clock.advance(60_000)
    const found = state.require('000000000000', 'eu-central-1', 'a')
    assert.equal(found.meta.status, 'ACTIVE')
    assert.equal(found.meta.pendingReshard, undefined)
    assert.deepEqual(found.shards.map((s) => [s.id, s.meta.closedAt ?? null, s.meta.createdAt]), [
      ['shardId-000000000000', asked + 500, asked - 500],
      ['shardId-000000000001', null, asked + 500],
      ['shardId-000000000002', null, asked + 500],
    ])
  })
})
