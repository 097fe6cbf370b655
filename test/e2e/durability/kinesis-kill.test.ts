// Kinesis's rolling-24-hour call histories survive `kill -9`: the built CLI on a data dir takes ten
// UpdateShardCount calls (AWS's default limit a stream a day) and two UpdateStreamMode switches (AWS's
// two a day), is killed with SIGKILL, and started again on the same folder: the eleventh call and
// the third switch are still refused, until 24 hours of the clock have passed since the first ones. A
// SplitShard answered before the kill is still made when its UPDATING ends, after the restart.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateStreamCommand, DescribeStreamCommand, DescribeStreamSummaryCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient,
  ListShardsCommand, PutRecordCommand, SplitShardCommand, UpdateShardCountCommand, UpdateStreamModeCommand,
} from '@aws-sdk/client-kinesis'
import { rawRequest, jsonHeaders } from '../../helpers/raw-http.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { killTestDir } from '../../helpers/spawn-cli.ts'

const { dataDir, processes } = killTestDir('nimbus-kinesis-kill-')
const splitting = killTestDir('nimbus-kinesis-kill-split-')

const arn = (name: string) => `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`
const client = (endpoint: string) => new KinesisClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 })

/** Moves the CLI's manual clock (past UPDATING's 500 ms, or past a day). */
async function advance(endpoint: string, ms: number): Promise<void> {
  const r = await rawRequest(endpoint, { path: '/_nimbus/clock', headers: jsonHeaders, body: JSON.stringify({ advanceMs: ms }) })
  assert.equal(r.status, 200, r.body)
}

describe('Kinesis on a data dir, killed with SIGKILL', () => {
  it('still counts the day\'s UpdateShardCount calls and UpdateStreamMode switches', async () => {
    const first = await processes.start(['--data-dir', dataDir])
    let k = client(first.endpoint)
    await k.send(new CreateStreamCommand({ StreamName: 'scaled', ShardCount: 1 }))
    await k.send(new CreateStreamCommand({ StreamName: 'switched', ShardCount: 1 }))
    await advance(first.endpoint, 500)
    for (let i = 0; i < 10; i++) {
      await k.send(new UpdateShardCountCommand({ StreamName: 'scaled', TargetShardCount: i % 2 === 0 ? 2 : 1, ScalingType: 'UNIFORM_SCALING' }))
      await advance(first.endpoint, 500)
    }
    for (const mode of ['ON_DEMAND', 'PROVISIONED'] as const) {
      await k.send(new UpdateStreamModeCommand({ StreamARN: arn('switched'), StreamModeDetails: { StreamMode: mode } }))
      await advance(first.endpoint, 500)
    }
    const refused = await sdkError(k.send(new UpdateShardCountCommand({ StreamName: 'scaled', TargetShardCount: 2, ScalingType: 'UNIFORM_SCALING' })))
    assert.equal(refused.name, 'LimitExceededException')
    k.destroy()
    await processes.kill(first)

    const second = await processes.start(['--data-dir', dataDir])
    k = client(second.endpoint)
    const calls = await sdkError(k.send(new UpdateShardCountCommand({ StreamName: 'scaled', TargetShardCount: 2, ScalingType: 'UNIFORM_SCALING' })))
    assert.equal(calls.name, 'LimitExceededException', 'the ten calls before the kill still count')
    assert.match(calls.message, /10 times in a rolling 24-hour period/)
    const switches = await sdkError(k.send(new UpdateStreamModeCommand({ StreamARN: arn('switched'), StreamModeDetails: { StreamMode: 'ON_DEMAND' } })))
    assert.equal(switches.name, 'LimitExceededException', 'the two switches before the kill still count')

    // A day of the clock later, both windows have rolled past them.
    await advance(second.endpoint, 24 * 3600_000)
    const out = await k.send(new UpdateShardCountCommand({ StreamName: 'scaled', TargetShardCount: 2, ScalingType: 'UNIFORM_SCALING' }))
    assert.equal(out.TargetShardCount, 2)
    await k.send(new UpdateStreamModeCommand({ StreamARN: arn('switched'), StreamModeDetails: { StreamMode: 'ON_DEMAND' } }))
    await advance(second.endpoint, 500)
    const summary = await k.send(new DescribeStreamSummaryCommand({ StreamName: 'switched' }))
    assert.equal(summary.StreamDescriptionSummary!.StreamModeDetails!.StreamMode, 'ON_DEMAND')
    k.destroy()
  })

  it('makes a split it answered before the kill when UPDATING ends, with what the parent took meanwhile', async () => {
    const first = await splitting.processes.start(['--data-dir', splitting.dataDir])
    let k = client(first.endpoint)
    await k.send(new CreateStreamCommand({ StreamName: 'split', ShardCount: 1 }))
    await advance(first.endpoint, 500)
    await k.send(new SplitShardCommand({ StreamName: 'split', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: String(1n << 127n) }))
    const during = await k.send(new PutRecordCommand({ StreamName: 'split', PartitionKey: 'p', Data: Buffer.from('during'), ExplicitHashKey: '0' }))
    assert.equal(during.ShardId, 'shardId-000000000000')
    k.destroy()
    await splitting.processes.kill(first)

    const second = await splitting.processes.start(['--data-dir', splitting.dataDir])
    k = client(second.endpoint)
    const still = (await k.send(new DescribeStreamCommand({ StreamName: 'split' }))).StreamDescription!
    assert.deepEqual([still.StreamStatus, still.Shards!.map((s) => s.ShardId)], ['UPDATING', ['shardId-000000000000']])
    await advance(second.endpoint, 500)
    const shards = (await k.send(new ListShardsCommand({ StreamName: 'split' }))).Shards!
    assert.deepEqual(shards.map((s) => [s.ShardId, s.ParentShardId, s.SequenceNumberRange!.EndingSequenceNumber !== undefined]), [
      ['shardId-000000000000', undefined, true],
      ['shardId-000000000001', 'shardId-000000000000', false],
      ['shardId-000000000002', 'shardId-000000000000', false],
    ])
    const it = await k.send(new GetShardIteratorCommand({ StreamName: 'split', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))
    const read = await k.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }))
    assert.deepEqual(read.Records!.map((r) => Buffer.from(r.Data!).toString()), ['during'])
    assert.deepEqual(read.ChildShards?.map((c) => c.ShardId), ['shardId-000000000001', 'shardId-000000000002'])
    k.destroy()
  })
})
