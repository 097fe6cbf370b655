// Enhanced fan-out's per-consumer limits on the manual clock: each consumer reads a shard at up to
// 2 MiB per second, one SubscribeToShard call per second per consumer and shard (LimitExceeded), a
// second call within 5 s of a successful one is ResourceInUse, and one 5 s or more later takes the
// subscription over (the old stream ends with ResourceInUseException), as AWS documents.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DescribeStreamSummaryCommand, PutRecordCommand, RegisterStreamConsumerCommand, SubscribeToShardCommand, type SubscribeToShardEventStream,
} from '@aws-sdk/client-kinesis'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const client = () => kinesisClient(nimbus.current)

async function consumer(name: string, consumerName = 'efo'): Promise<string> {
  const { Consumer: c } = await client().send(new RegisterStreamConsumerCommand({ StreamARN: streamArn(name), ConsumerName: consumerName }))
  await advance(nimbus.current, 500)
  return c!.ConsumerARN!
}

const subscribe = (arn: string, shard = 'shardId-000000000000') => client().send(new SubscribeToShardCommand({ ConsumerARN: arn,
  ShardId: shard, StartingPosition: { Type: 'TRIM_HORIZON' } }))

async function nextEvent(it: AsyncIterator<SubscribeToShardEventStream>) {
  const { value, done } = await it.next()
  assert.equal(done, false)
  return value!.SubscribeToShardEvent!
}

describe('SubscribeToShard limits', () => {
  it('a consumer reads a shard at 2 MiB per second of the clock; another consumer has its own 2 MiB', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    // Three records of 1,000,000 bytes (the shard takes 1 MiB of writes a second: one a second).
    for (let i = 0; i < 3; i++) {
      await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.alloc(1_000_000, i) }))
      await advance(nimbus.current, 1000)
    }
    const one = await consumer(name, 'one')
    const two = await consumer(name, 'two')
    const it1 = (await subscribe(one)).EventStream![Symbol.asyncIterator]()
    const it2 = (await subscribe(two)).EventStream![Symbol.asyncIterator]()
    // Each gets two records (2,000,000 bytes) now; the third would pass 2 MiB in this second.
    for (const it of [it1, it2]) {
      const e = await nextEvent(it)
      assert.deepEqual(e.Records?.map((r) => r.Data![0]), [0, 1])
      assert.ok(e.MillisBehindLatest! > 0)
    }
    let third: SubscribeToShardEventStream | undefined
    const pending = it1.next().then((r) => (third = r.value))
    const second = Math.floor(nimbus.current.clock.now() / 1000)
    await advance(nimbus.current, (second + 1) * 1000 - 1 - nimbus.current.clock.now())
    // A full round trip to Nimbus later, the third record has still not been pushed.
    await k.send(new DescribeStreamSummaryCommand({ StreamName: name }))
    assert.equal(third, undefined)
    await advance(nimbus.current, 1)
    await pending
    assert.deepEqual(third!.SubscribeToShardEvent!.Records?.map((r) => r.Data![0]), [2])
    const e2 = await nextEvent(it2)
    assert.deepEqual(e2.Records?.map((r) => r.Data![0]), [2])
  })

  it('one call per second per consumer and shard; within 5 s of a success ResourceInUse; later calls take over', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('a') }))
    const arn = await consumer(name)
    // A refused call counts too: two in the same second of the clock are LimitExceededException.
    const missing = await sdkError(subscribe(arn, 'shardId-000000000009'))
    assert.equal(missing.name, 'ResourceNotFoundException')
    const fast = await sdkError(subscribe(arn, 'shardId-000000000009'))
    assert.equal(fast.name, 'LimitExceededException')
    await advance(nimbus.current, 1000)
    assert.equal((await sdkError(subscribe(arn, 'shardId-000000000009'))).name, 'ResourceNotFoundException')

    await advance(nimbus.current, 1000)
    const old = (await subscribe(arn)).EventStream![Symbol.asyncIterator]()
    assert.deepEqual((await nextEvent(old)).Records?.map((r) => Buffer.from(r.Data!).toString()), ['a'])
    await advance(nimbus.current, 4999)
    const inUse = await sdkError(subscribe(arn))
    assert.equal(inUse.name, 'ResourceInUseException')
    assert.match(inUse.message, /^Another active subscription exists for this consumer/)
    await advance(nimbus.current, 1)
    // 5 s after the successful call: this one takes over, and the old subscription fails.
    const fresh = (await subscribe(arn)).EventStream![Symbol.asyncIterator]()
    assert.deepEqual((await nextEvent(fresh)).Records?.map((r) => Buffer.from(r.Data!).toString()), ['a'])
    for (;;) {
      const r = await old.next().catch((e: Error) => e)
      if (r instanceof Error) {
        assert.equal(r.name, 'ResourceInUseException')
        break
      }
      assert.equal(r.done, false, 'the old subscription ended without ResourceInUseException')
    }
  })
})
