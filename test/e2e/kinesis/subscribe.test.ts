// SubscribeToShard with @aws-sdk/client-kinesis over HTTP/2 (h2c) on the manual clock: records pushed
// as they arrive, empty events as the clock passes, ContinuationSequenceNumber to resume from,
// ChildShards at a closed shard's end, the 5-minute end, and AWS's refusals.
import assert from 'node:assert/strict'
import { connect, constants } from 'node:http2'
import { describe, it } from 'node:test'
import {
  PutRecordCommand, RegisterStreamConsumerCommand, SplitShardCommand, SubscribeToShardCommand, type SubscribeToShardEventStream,
} from '@aws-sdk/client-kinesis'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { decodeEventMessage } from '../../../src/protocol/event-stream.ts'
import { signedBy } from '../../helpers/raw-http.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const client = () => kinesisClient(nimbus.current)

/** Subscriptions open on the server (Kinesis's health). */
const subscriptions = () => (nimbus.current.health().kinesis as { subscriptions: number }).subscriptions

async function consumer(name: string): Promise<string> {
  const k = client()
  const { Consumer: c } = await k.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn(name), ConsumerName: 'efo' }))
  await advance(nimbus.current, 500)
  return c!.ConsumerARN!
}

/** Pulls the next event off the subscription. */
async function nextEvent(it: AsyncIterator<SubscribeToShardEventStream>) {
  const { value, done } = await it.next()
  assert.equal(done, false)
  return value!.SubscribeToShardEvent!
}

describe('SubscribeToShard', () => {
  it('pushes records as they arrive, empty events with the clock, and ends after 5 minutes', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    const first = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('one') }))
    const arn = await consumer(name)
    const out = await k.send(new SubscribeToShardCommand({ ConsumerARN: arn, ShardId: 'shardId-000000000000',
      StartingPosition: { Type: 'TRIM_HORIZON' } }))
    const it = out.EventStream![Symbol.asyncIterator]()
    const e1 = await nextEvent(it)
    assert.deepEqual(e1.Records?.map((r) => Buffer.from(r.Data!).toString()), ['one'])
    assert.equal(e1.ContinuationSequenceNumber, first.SequenceNumber)
    assert.equal(e1.MillisBehindLatest, 0)
    const second = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('two') }))
    const e2 = await nextEvent(it)
    assert.deepEqual(e2.Records?.map((r) => [Buffer.from(r.Data!).toString(), r.SequenceNumber]), [['two', second.SequenceNumber]])
    // A second call for the same consumer and shard within 5 s of the successful one is refused.
    const dup = await sdkError(k.send(new SubscribeToShardCommand({ ConsumerARN: arn, ShardId: 'shardId-000000000000',
      StartingPosition: { Type: 'LATEST' } })))
    assert.equal(dup.name, 'ResourceInUseException')
    assert.match(dup.message, /^Another active subscription exists for this consumer: 000000000000:/)
    await advance(nimbus.current, 5000)
    const heartbeat = await nextEvent(it)
    assert.deepEqual(heartbeat.Records, [])
    assert.equal(heartbeat.ContinuationSequenceNumber, second.SequenceNumber)
    for (let i = 0; i < 60; i++) await advance(nimbus.current, 5000)
    for (;;) {
      const { done } = await it.next()
      if (done) break
    }
    // The subscription is over: the consumer may subscribe to the shard again (from where it left off).
    const again = await k.send(new SubscribeToShardCommand({ ConsumerARN: arn, ShardId: 'shardId-000000000000',
      StartingPosition: { Type: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: first.SequenceNumber } }))
    const resumed = await nextEvent(again.EventStream![Symbol.asyncIterator]())
    assert.deepEqual(resumed.Records?.map((r) => Buffer.from(r.Data!).toString()), ['two'])
  })

  it('a client that goes away ends its subscription on the server', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    const arn = await consumer(name)
    // A raw HTTP/2 client that reads the first message, then resets its stream (CANCEL), as a consumer
    // process dying would. (The SDK's destroy() closes sessions gracefully, waiting for open streams.)
    const before = subscriptions()
    const session = connect(nimbus.current.endpoint)
    const req = session.request({ ':method': 'POST', ':path': '/', 'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'Kinesis_20131202.SubscribeToShard', ...signedBy('kinesis') })
    req.end(JSON.stringify({ ConsumerARN: arn, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'LATEST' } }))
    const first = await new Promise<Buffer>((resolve) => req.once('data', resolve))
    assert.equal(decodeEventMessage(first).headers[':event-type'], 'initial-response')
    assert.equal(subscriptions(), before + 1)
    req.close(constants.NGHTTP2_CANCEL)
    // The server sees the stream close and drops the subscription (polling Nimbus's own count).
    for (let attempt = 0; subscriptions() > before; attempt++) {
      assert.ok(attempt < 10_000, 'the server never noticed the client left')
      await new Promise((resolve) => setImmediate(resolve))
    }
    session.destroy()
  })

  it('names the children at a closed shard\'s end and stops', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('last') }))
    await k.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: String(1n << 127n) }))
    const arn = await consumer(name)
    const out = await k.send(new SubscribeToShardCommand({ ConsumerARN: arn, ShardId: 'shardId-000000000000',
      StartingPosition: { Type: 'TRIM_HORIZON' } }))
    const events = []
    for await (const e of out.EventStream!) events.push(e.SubscribeToShardEvent!)
    assert.equal(events.length, 1)
    assert.deepEqual(events[0]!.Records?.map((r) => Buffer.from(r.Data!).toString()), ['last'])
    assert.deepEqual(events[0]!.ChildShards?.map((c) => c.ShardId), ['shardId-000000000001', 'shardId-000000000002'])
  })

  it('a consumer still CREATING, or a missing one, is refused', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    const { Consumer: c } = await k.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn(name), ConsumerName: 'young' }))
    const young = await sdkError(k.send(new SubscribeToShardCommand({ ConsumerARN: c!.ConsumerARN, ShardId: 'shardId-000000000000',
      StartingPosition: { Type: 'LATEST' } })))
    assert.equal(young.name, 'ResourceInUseException')
    assert.match(young.message, new RegExp(`^Consumer young with creation timestamp \\d+ under stream: ${name} , account 000000000000 ` +
      'is not in ACTIVE status\\.$'))
    const missing = await sdkError(k.send(new SubscribeToShardCommand({ ConsumerARN: `${streamArn(name)}/consumer/nobody:1`,
      ShardId: 'shardId-000000000000', StartingPosition: { Type: 'LATEST' } })))
    assert.equal(missing.name, 'ResourceNotFoundException')
  })
})
