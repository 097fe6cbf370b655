// An ON_DEMAND split scheduled on the clock survives a restart on the same data dir: it is kept in
// the stream's row and made when it falls due, as if Nimbus had kept running — also one asked for
// (the stream UPDATING) when Nimbus stopped.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { CreateStreamCommand, DescribeStreamSummaryCommand, ListShardsCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis'
import { durableNimbus } from '../../helpers/durable-nimbus.ts'
import { kinesisClient } from '../../helpers/kinesis.ts'
import { advance } from '../../helpers/nimbus.ts'

const open = async (k: KinesisClient) =>
  (await k.send(new ListShardsCommand({ StreamName: 'od' }))).Shards!.filter((s) => s.SequenceNumberRange!.EndingSequenceNumber === undefined)

it('an ON_DEMAND split due 15 minutes after a hot second is made after a restart', async () => {
  // A manual clock on a data dir carries on from its stored time after a restart.
  const n = await durableNimbus('kinesis-on-demand', { clockStart: Date.UTC(2026, 6, 1, 12, 0, 0) })
  let k = kinesisClient(n.nimbus)
  await k.send(new CreateStreamCommand({ StreamName: 'od', StreamModeDetails: { StreamMode: 'ON_DEMAND' } }))
  await advance(n.nimbus, 1000)
  const [first] = await open(k)
  // 600 KiB into shard 0 in one second: past 500 KiB, so it splits 15 minutes after that second.
  const out = await k.send(new PutRecordsCommand({ StreamName: 'od', Records: [0, 1].map(() => ({ PartitionKey: 'k',
    ExplicitHashKey: first!.HashKeyRange!.StartingHashKey, Data: new Uint8Array(300 * 1024) })) }))
  assert.equal(out.FailedRecordCount, 0)
  k.destroy()
  await n.restart()
  k = kinesisClient(n.nimbus)
  assert.equal(n.nimbus.clock.now(), Date.UTC(2026, 6, 1, 12, 0, 1))
  await advance(n.nimbus, 15 * 60_000 - 1)
  assert.equal((await open(k)).length, 4, 'not yet due')
  // Asked for 500 ms before it is due: the stream is UPDATING, and stays so across a restart.
  const summary = async () => (await k.send(new DescribeStreamSummaryCommand({ StreamName: 'od' }))).StreamDescriptionSummary!.StreamStatus
  assert.equal(await summary(), 'UPDATING')
  k.destroy()
  await n.restart()
  k = kinesisClient(n.nimbus)
  assert.equal(await summary(), 'UPDATING')
  await advance(n.nimbus, 1)
  assert.equal(await summary(), 'ACTIVE')
  const after = await open(k)
  assert.equal(after.length, 5)
  assert.deepEqual(after.filter((s) => s.ParentShardId === first!.ShardId).length, 2)
  k.destroy()
  await n.restart()
  k = kinesisClient(n.nimbus)
  await advance(n.nimbus, 20 * 60_000)
  assert.equal((await open(k)).length, 5, 'made once: the restart does not split again')
  k.destroy()
  await n.stop()
})
