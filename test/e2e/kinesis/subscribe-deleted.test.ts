// SubscribeToShard when its stream or consumer goes mid-subscription: the event stream ends at once
// with an error event — the SubscribeToShardEventStream union's ResourceNotFoundException or
// ResourceInUseException members — rather than sending empty events until the 5 minutes are up.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DeleteStreamCommand, DeregisterStreamConsumerCommand, PutRecordCommand, RegisterStreamConsumerCommand, SubscribeToShardCommand,
  type SubscribeToShardEventStream,
} from '@aws-sdk/client-kinesis'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const client = () => kinesisClient(nimbus.current)
const health = () => nimbus.current.health().kinesis as { subscriptions: number }

async function subscribed(name: string) {
  const k = client()
  const { Consumer: c } = await k.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn(name), ConsumerName: 'efo' }))
  await advance(nimbus.current, 500)
  await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('one') }))
  const out = await k.send(new SubscribeToShardCommand({ ConsumerARN: c!.ConsumerARN, ShardId: 'shardId-000000000000',
    StartingPosition: { Type: 'TRIM_HORIZON' } }))
  const events = out.EventStream![Symbol.asyncIterator]()
  const first = await events.next()
  assert.deepEqual(first.value!.SubscribeToShardEvent!.Records!.map((r: { Data?: Uint8Array }) => Buffer.from(r.Data!).toString()), ['one'])
  return { consumer: c!, events }
}

/** The error the event stream ends with, the events before it (none expected), and whether it then ends. */
async function endOf(events: AsyncIterator<SubscribeToShardEventStream>) {
  const before: unknown[] = []
  for (;;) {
    const next = await events.next().catch((e: Error) => e)
    if (next instanceof Error) return { error: { name: next.name, message: next.message }, before }
    if (next.done === true) return { error: undefined, before }
    before.push(next.value)
  }
}

// A regression would leave a subscription open (empty events until its 5 minutes): bounded, so it fails rather than hangs.
describe('SubscribeToShard ends when what it reads goes', { timeout: 60_000 }, () => {
  it('DeleteStream: ResourceNotFoundException at once, not empty events until the 5 minutes are up', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    const { events } = await subscribed(name)
    const waiting = endOf(events)
    assert.equal(health().subscriptions, 1)
    // No clock moves: the deletion itself ends the subscription.
    await k.send(new DeleteStreamCommand({ StreamName: name, EnforceConsumerDeletion: true }))
    assert.deepEqual(await waiting, { before: [],
      error: { name: 'ResourceNotFoundException', message: `Stream ${name} under account 000000000000 not found.` } })
    assert.equal(health().subscriptions, 0)
  })

  it('DeregisterStreamConsumer: ResourceInUseException (the consumer no longer ACTIVE), at once', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    const { consumer, events } = await subscribed(name)
    const waiting = endOf(events)
    await k.send(new DeregisterStreamConsumerCommand({ ConsumerARN: consumer.ConsumerARN }))
    const created = Math.floor(consumer.ConsumerCreationTimestamp!.getTime() / 1000)
    assert.deepEqual(await waiting, { before: [], error: { name: 'ResourceInUseException',
      message: `Consumer efo with creation timestamp ${created} under stream: ${name} , account 000000000000 is not in ACTIVE status.` } })
    assert.equal(health().subscriptions, 0)
  })

  it('a subscription of another consumer, or on another stream, goes on', async () => {
    const k = client()
    const name = await activeStream(nimbus.current, k)
    const other = await activeStream(nimbus.current, k)
    const { events } = await subscribed(name)
    const { events: otherEvents } = await subscribed(other)
    const { Consumer: second } = await k.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn(name), ConsumerName: 'second' }))
    await advance(nimbus.current, 500)
    // The first subscriptions' waits were woken by the registration (a change of the stream's row) and go on.
    await k.send(new DeregisterStreamConsumerCommand({ ConsumerARN: second!.ConsumerARN }))
    await k.send(new DeleteStreamCommand({ StreamName: other, EnforceConsumerDeletion: true }))
    assert.equal((await endOf(otherEvents)).error?.name, 'ResourceNotFoundException')
    await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('two') }))
    const next = await events.next()
    assert.deepEqual(next.value!.SubscribeToShardEvent!.Records!.map((r: { Data?: Uint8Array }) => Buffer.from(r.Data!).toString()), ['two'])
    await k.send(new DeleteStreamCommand({ StreamName: name, EnforceConsumerDeletion: true }))
    assert.equal((await endOf(events)).error?.name, 'ResourceNotFoundException')
  })
})
