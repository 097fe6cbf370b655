// UpdateShardCount as AWS documents it: "Kinesis Data Streams performs splits or merges on individual
// shards. This can cause short-lived shards to be created, in addition to the final shards." A scaling
// that is not a doubling or halving goes through rounds of splits, then merges, one every UPDATING step
// (500 ms of the clock here); the short-lived shards are closed with their EndingSequenceNumber and
// lineage, every shard names at most a parent and an adjacent parent, and a KCL-style reader walking
// ParentShardId / AdjacentParentShardId / ChildShards reads every record once, parents first.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DescribeStreamSummaryCommand, GetRecordsCommand, GetShardIteratorCommand, type KinesisClient, ListShardsCommand, PutRecordsCommand,
  type Shard, UpdateShardCountCommand,
} from '@aws-sdk/client-kinesis'
import { activeStream, kinesisClient } from '../../helpers/kinesis.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const client = () => kinesisClient(nimbus.current)
const space = 1n << 128n
const at = (n: bigint, d: bigint) => String((n * space) / d)

const summary = async (k: KinesisClient, name: string) => (await k.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!
const allShards = async (k: KinesisClient, name: string) => (await k.send(new ListShardsCommand({ StreamName: name }))).Shards!
const range = (s: Shard) => [BigInt(s.HashKeyRange!.StartingHashKey!), BigInt(s.HashKeyRange!.EndingHashKey!)] as const

let written = 0
/** Writes `n` records with keys spread over the hash space; returns their texts. */
async function put(k: KinesisClient, name: string, n: number): Promise<string[]> {
  const texts = Array.from({ length: n }, () => `r${written++}`)
  const out = await k.send(new PutRecordsCommand({ StreamName: name,
    Records: texts.map((t, i) => ({ PartitionKey: `key-${i % 7}`, Data: Buffer.from(t) })) }))
  assert.equal(out.FailedRecordCount, 0)
  return texts
}

/**
 * What the KCL does: a shard is read (TRIM_HORIZON to its end) only once every parent it names has
 * been read to its end; a closed shard's last GetRecords names its children. Returns the records by
 * partition key, in the order read, and the order shards were finished in.
 */
async function walk(k: KinesisClient, name: string): Promise<{ byKey: Map<string, string[]>; all: string[]; finished: string[] }> {
  const shards = await allShards(k, name)
  const finished: string[] = []
  const all: string[] = []
  const byKey = new Map<string, string[]>()
  const pending = [...shards]
  while (pending.length > 0) {
    const i = pending.findIndex((s) => [s.ParentShardId, s.AdjacentParentShardId].every((p) => p === undefined || finished.includes(p)))
    assert.ok(i >= 0, 'some shard has its parents read')
    const [shard] = pending.splice(i, 1)
    let iterator = (await k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: shard!.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator
    for (;;) {
      const out = await k.send(new GetRecordsCommand({ ShardIterator: iterator }))
      for (const r of out.Records!) {
        const text = Buffer.from(r.Data!).toString()
        all.push(text)
        byKey.set(r.PartitionKey!, [...byKey.get(r.PartitionKey!) ?? [], text])
      }
      if (out.NextShardIterator === undefined) {
        // The end of a closed shard: its children are named, each listing this shard among its parents.
        const children = shards.filter((s) => s.ParentShardId === shard!.ShardId || s.AdjacentParentShardId === shard!.ShardId)
        assert.deepEqual(out.ChildShards?.map((c) => c.ShardId), children.map((c) => c.ShardId))
        for (const c of out.ChildShards!) assert.ok(c.ParentShards!.includes(shard!.ShardId!) && c.ParentShards!.length <= 2)
        break
      }
      if (out.Records!.length === 0) break // an open shard, caught up
      iterator = out.NextShardIterator
    }
    finished.push(shard!.ShardId!)
  }
  return { byKey, all, finished }
}

/** The lineage AWS's splits and merges give: checked over every shard listed. */
function checkLineage(shards: Shard[]): void {
  const byId = new Map(shards.map((s) => [s.ShardId!, s]))
  for (const s of shards) {
    const [start, end] = range(s)
    const parent = s.ParentShardId === undefined ? undefined : byId.get(s.ParentShardId)
    const adjacent = s.AdjacentParentShardId === undefined ? undefined : byId.get(s.AdjacentParentShardId)
    if (adjacent !== undefined) {
      // A merge: the two parents are adjacent and the child spans exactly both.
      assert.ok(parent !== undefined, `${s.ShardId} names an adjacent parent only with a parent`)
      const [low, high] = [range(parent), range(adjacent)].sort((a, b) => (a[0] < b[0] ? -1 : 1))
      assert.equal(low![1] + 1n, high![0], `${s.ShardId}'s parents are adjacent`)
      assert.deepEqual([start, end], [low![0], high![1]])
    } else if (parent !== undefined) {
      // A split: the child lies within its one parent, and the parent's two children divide it.
      const siblings = shards.filter((c) => c.ParentShardId === parent.ShardId && c.AdjacentParentShardId === undefined)
      assert.equal(siblings.length, 2, `${parent.ShardId} split in two`)
      const [a, b] = siblings.map(range).sort((x, y) => (x[0] < y[0] ? -1 : 1))
      assert.deepEqual([a![0], a![1] + 1n, b![1]], [range(parent)[0], b![0], range(parent)[1]])
    }
    const children = shards.filter((c) => c.ParentShardId === s.ShardId || c.AdjacentParentShardId === s.ShardId)
    assert.equal(s.SequenceNumberRange!.EndingSequenceNumber !== undefined, children.length > 0, `${s.ShardId}: closed exactly when it has children`)
  }
}

/** The open shards once ACTIVE are the uniform ranges CreateStream would give `n` shards. */
function checkUniform(shards: Shard[], n: number): void {
  const open = shards.filter((s) => s.SequenceNumberRange!.EndingSequenceNumber === undefined).map(range).sort((a, b) => (a[0] < b[0] ? -1 : 1))
  assert.deepEqual(open.map(([s]) => String(s)), Array.from({ length: n }, (_, i) => at(BigInt(i), BigInt(n))))
  assert.equal(open.at(-1)![1], space - 1n)
}

describe('UpdateShardCount by splits and merges', () => {
  it('3 → 4: splits at the quarters, then merges of the slivers; the short-lived shards closed with their lineage', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k, 3)
    const before = await put(k, name, 30)
    const out = await k.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' }))
    assert.deepEqual([out.CurrentShardCount, out.TargetShardCount], [3, 4])
    const during = await put(k, name, 30)
    // The first step: each shard splits at the quarter inside it; still UPDATING, six open.
    await advance(nimbus.current, 500)
    let s = await summary(k, name)
    assert.deepEqual([s.StreamStatus, s.OpenShardCount], ['UPDATING', 6])
    const between = await put(k, name, 30)
    const mid = await allShards(k, name)
    assert.deepEqual(mid.map((x) => [x.ShardId, x.ParentShardId, x.HashKeyRange!.StartingHashKey]), [
      ['shardId-000000000000', undefined, '0'], ['shardId-000000000001', undefined, at(1n, 3n)], ['shardId-000000000002', undefined, at(2n, 3n)],
      ['shardId-000000000003', 'shardId-000000000000', '0'], ['shardId-000000000004', 'shardId-000000000000', at(1n, 4n)],
      ['shardId-000000000005', 'shardId-000000000001', at(1n, 3n)], ['shardId-000000000006', 'shardId-000000000001', at(2n, 4n)],
      ['shardId-000000000007', 'shardId-000000000002', at(2n, 3n)], ['shardId-000000000008', 'shardId-000000000002', at(3n, 4n)],
    ])
    // The second: the slivers either side of a third merge; ACTIVE with the four uniform shards.
    await advance(nimbus.current, 500)
    s = await summary(k, name)
    assert.deepEqual([s.StreamStatus, s.OpenShardCount], ['ACTIVE', 4])
    const after = await put(k, name, 30)
    const shards = await allShards(k, name)
    assert.deepEqual(shards.slice(9).map((x) => [x.ShardId, x.ParentShardId, x.AdjacentParentShardId]), [
      ['shardId-000000000009', 'shardId-000000000004', 'shardId-000000000005'],
      ['shardId-000000000010', 'shardId-000000000006', 'shardId-000000000007'],
    ])
    const shortLived = shards.filter((x) => ['shardId-000000000004', 'shardId-000000000005', 'shardId-000000000006', 'shardId-000000000007'].includes(x.ShardId!))
    for (const x of shortLived) assert.ok(x.SequenceNumberRange!.EndingSequenceNumber, `${x.ShardId} is closed`)
    checkLineage(shards)
    checkUniform(shards, 4)
    const read = await walk(k, name)
    assert.deepEqual([...read.all].sort(), [...before, ...during, ...between, ...after].sort(), 'every record once')
    for (const [key, texts] of read.byKey) {
      assert.deepEqual(texts, [...texts].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))), `${key} in order`)
    }
  })

  for (const [from, to] of [[4, 3], [3, 5], [5, 3], [4, 7], [7, 4], [6, 11], [2, 3]] as const) {
    it(`${from} → ${to}: rounds of splits and merges reach the uniform shards; every record read once, in order per key`, async () => {
      const k = client()
      const name = await activeStream(nimbus.current, k, from)
      const texts = await put(k, name, 40)
      await k.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: to, ScalingType: 'UNIFORM_SCALING' }))
      let steps = 0
      while ((await summary(k, name)).StreamStatus === 'UPDATING') {
        assert.ok(steps < 10, 'the stream leaves UPDATING') // a regression fails rather than loops for good
        texts.push(...await put(k, name, 40))
        await advance(nimbus.current, 500)
        steps++
      }
      assert.ok(steps >= 2 && steps <= 4, `${steps} steps`)
      texts.push(...await put(k, name, 40))
      const shards = await allShards(k, name)
      checkLineage(shards)
      checkUniform(shards, to)
      assert.equal((await summary(k, name)).OpenShardCount, to)
      const read = await walk(k, name)
      assert.deepEqual([...read.all].sort(), [...texts].sort())
      for (const [key, got] of read.byKey) assert.deepEqual(got, [...got].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))), `${key} in order`)
    })
  }

  it("the short-lived shards count towards the account's shard quota", async () => {
    // ap-south-1's quota is 1,000 shards (limits.ts). 3 → 4 opens six at its peak (three splits, then two merges):
    // beside a stream of 995 that is 1,001, though the target alone (999) would fit.
    const k = kinesisClient(nimbus.current, 'ap-south-1')
    const name = await activeStream(nimbus.current, k, 3)
    await activeStream(nimbus.current, k, 995)
    const refused = await sdkError(k.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' })))
    assert.equal(refused.name, 'LimitExceededException')
    assert.ok(refused.message.startsWith('This request would exceed the shard limit for the account 000000000000 in ap-south-1. Current ' +
      'shard count for the account: 998. Limit: 1000. Number of additional shards that would have resulted from this request: 3. '), refused.message)
    assert.equal((await summary(k, name)).StreamStatus, 'ACTIVE')
    // Halving needs merges only: nothing is added.
    const ok = await k.send(new UpdateShardCountCommand({ StreamName: name, TargetShardCount: 2, ScalingType: 'UNIFORM_SCALING' }))
    assert.equal(ok.TargetShardCount, 2)
  })
})
