// ON_DEMAND capacity as AWS's FAQ states it (and its quotas page for Regions other than us-east-1,
// us-west-2 and eu-west-1, where the streams here are: quotas.test.ts has the larger Regions' 10 GiB/s): "A new data stream created in on-demand mode has a quota
// of 4 MB/second and 4,000 records per second for writes. By default, these streams automatically
// scale up to 200 MB/second and 200,000 records per second for writes", and it "accommodates up to
// double its previous peak write throughput". Records count like bytes: a shard past 500 records in a
// second splits 15 minutes later; the stream stops splitting at the 200 shards its quota needs, and
// writes past 200,000 records in a second of the clock are throttled stream-wide.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateStreamCommand, PutRecordCommand, PutRecordsCommand, UpdateStreamModeCommand, type KinesisClient,
} from '@aws-sdk/client-kinesis'
import { kinesisClient, openShards, streamArn } from '../../helpers/kinesis.ts'
import { advance, toNextSecond, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
/** A Region with AWS's smaller on-demand ceiling (200 MiB/s and 200,000 records a second of writes). */
const REGION = 'ap-south-1'

/** `count` one-byte records into the shard whose range starts at `hashKey`, 500 a call; the number throttled. */
async function records(k: KinesisClient, name: string, hashKey: string, count: number): Promise<{ failed: number; messages: Set<string> }> {
  let failed = 0
  const messages = new Set<string>()
  for (let sent = 0; sent < count; sent += 500) {
    const n = Math.min(500, count - sent)
    const out = await k.send(new PutRecordsCommand({ StreamName: name,
      Records: Array.from({ length: n }, () => ({ PartitionKey: 'k', ExplicitHashKey: hashKey, Data: new Uint8Array([1]) })) }))
    failed += out.FailedRecordCount!
    for (const r of out.Records!) if (r.ErrorMessage !== undefined) messages.add(r.ErrorMessage)
  }
  return { failed, messages }
}

/** A PROVISIONED stream of `shards` switched to ON_DEMAND (UPDATING passes on the clock). */
async function onDemandWith(k: KinesisClient, shards: number): Promise<string> {
  const name = uniqueName('odc')
  await k.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }))
  await advance(nimbus.current, 500)
  await k.send(new UpdateStreamModeCommand({ StreamARN: streamArn(name, await k.config.region()), StreamModeDetails: { StreamMode: 'ON_DEMAND' } }))
  await advance(nimbus.current, 500)
  return name
}

describe('ON_DEMAND capacity', () => {
  it('a new stream takes 4,000 records a second spread over its 4 shards; the 1,001st a shard is throttled', async () => {
    const k = kinesisClient(nimbus.current)
    const name = uniqueName('odc')
    await k.send(new CreateStreamCommand({ StreamName: name, StreamModeDetails: { StreamMode: 'ON_DEMAND' } }))
    await advance(nimbus.current, 500)
    const shards = await openShards(k, name)
    assert.equal(shards.length, 4)
    await toNextSecond(nimbus.current)
    for (const s of shards) assert.equal((await records(k, name, s.HashKeyRange!.StartingHashKey!, 1000)).failed, 0)
    const e = await sdkError(k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', ExplicitHashKey: shards[0]!.HashKeyRange!.StartingHashKey,
      Data: new Uint8Array([1]) })))
    assert.equal(e.name, 'ProvisionedThroughputExceededException')
  })

  it('a shard past 500 records in a second splits 15 minutes later, so twice that record rate goes through', async () => {
    const k = kinesisClient(nimbus.current)
    const name = uniqueName('odc')
    await k.send(new CreateStreamCommand({ StreamName: name, StreamModeDetails: { StreamMode: 'ON_DEMAND' } }))
    await advance(nimbus.current, 500)
    const [first] = await openShards(k, name)
    await toNextSecond(nimbus.current)
    assert.equal((await records(k, name, first!.HashKeyRange!.StartingHashKey!, 501)).failed, 0)
    await advance(nimbus.current, 15 * 60_000)
    const after = await openShards(k, name)
    assert.equal(after.length, 5)
    const children = after.filter((s) => s.ParentShardId === first!.ShardId)
    assert.equal(children.length, 2)
    // 1,000 records into each child in one second: 2,000 where the parent took 1,000 at most.
    await toNextSecond(nimbus.current)
    for (const c of children) assert.equal((await records(k, name, c.HashKeyRange!.StartingHashKey!, 1000)).failed, 0)
  })

  it('stops scaling at 200 open shards (what its 200 MiB/s quota needs)', async () => {
    const k = kinesisClient(nimbus.current, REGION)
    const name = await onDemandWith(k, 200)
    const shards = await openShards(k, name)
    await toNextSecond(nimbus.current)
    assert.equal((await records(k, name, shards[0]!.HashKeyRange!.StartingHashKey!, 600)).failed, 0)
    await advance(nimbus.current, 16 * 60_000)
    assert.equal((await openShards(k, name)).length, 200)
  })

  it('throttles writes past 200,000 records in a second stream-wide, even where shards have room', async () => {
    const k = kinesisClient(nimbus.current, REGION)
    const name = await onDemandWith(k, 201)
    const shards = await openShards(k, name)
    assert.equal(shards.length, 201)
    await toNextSecond(nimbus.current)
    let failed = 0
    const messages = new Set<string>()
    for (const s of shards) {
      const out = await records(k, name, s.HashKeyRange!.StartingHashKey!, 1000)
      failed += out.failed
      for (const m of out.messages) messages.add(m)
    }
    assert.equal(failed, 1000, 'the last shard\'s 1,000 records are past the stream\'s 200,000')
    assert.deepEqual([...messages], [`Rate exceeded for stream ${name} under account 000000000000.`])
    // The next second the stream takes records again.
    await toNextSecond(nimbus.current)
    assert.equal((await records(k, name, shards.at(-1)!.HashKeyRange!.StartingHashKey!, 10)).failed, 0)
  })
})
