// SubscribeToShard as the Java SDK v2 / KCL 2.x ask for it: a CBOR request over HTTP/2, answered by
// an event stream whose every message is labelled `:content-type: application/x-amz-cbor-1.1` and
// carries a CBOR payload (byte strings for data, tag 1 for timestamps). A raw HTTP/2 client reads
// the frames and decodes each payload.
import assert from 'node:assert/strict'
import { connect, type ClientHttp2Stream } from 'node:http2'
import { describe, it } from 'node:test'
import { PutRecordCommand, RegisterStreamConsumerCommand } from '@aws-sdk/client-kinesis'
import { CborTag, decode, encode } from '../../../src/protocol/cbor/cbor.ts'
import { decodeEventMessage } from '../../../src/protocol/event-stream.ts'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { signedBy } from '../../helpers/raw-http.ts'

const nimbus = useNimbus()

/** Splits the response body into event-stream messages as they arrive (a chunk may hold parts of several). */
function messages(req: ClientHttp2Stream): () => Promise<ReturnType<typeof decodeEventMessage>> {
  let pending = Buffer.alloc(0)
  const ready: Array<ReturnType<typeof decodeEventMessage>> = []
  const waiting: Array<() => void> = []
  req.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk])
    while (pending.length >= 4 && pending.length >= pending.readUInt32BE(0)) {
      const message = decodeEventMessage(pending)
      ready.push(message)
      pending = pending.subarray(message.length)
    }
    while (ready.length > 0 && waiting.length > 0) waiting.shift()!()
  })
  return async () => {
    while (ready.length === 0) await new Promise<void>((resolve) => waiting.push(resolve))
    return ready.shift()!
  }
}

describe('SubscribeToShard over CBOR', () => {
  it('streams CBOR events: initial-response, records as byte strings with tag-1 timestamps, heartbeats', async () => {
    const k = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, k)
    const data = Buffer.from([0, 1, 2, 0xfe, 0xff])
    const put = await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'pk', Data: data }))
    const { Consumer: c } = await k.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn(name), ConsumerName: 'kcl' }))
    await advance(nimbus.current, 500)
    const session = connect(nimbus.current.endpoint)
    const req = session.request({ ':method': 'POST', ':path': '/', 'content-type': 'application/x-amz-cbor-1.1',
      'x-amz-target': 'Kinesis_20131202.SubscribeToShard', ...signedBy('kinesis') })
    const headers = new Promise<Record<string, unknown>>((resolve) => req.once('response', resolve))
    req.end(encode({ ConsumerARN: c!.ConsumerARN, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'TRIM_HORIZON' } }))
    const next = messages(req)
    const response = await headers
    assert.equal(response[':status'], 200)
    assert.equal(response['content-type'], 'application/vnd.amazon.eventstream')

    const initial = await next()
    assert.deepEqual(initial.headers, { ':message-type': 'event', ':event-type': 'initial-response',
      ':content-type': 'application/x-amz-cbor-1.1' })
    assert.deepEqual({ ...(decode(initial.payload) as object) }, {})

    const first = await next()
    assert.deepEqual(first.headers, { ':message-type': 'event', ':event-type': 'SubscribeToShardEvent',
      ':content-type': 'application/x-amz-cbor-1.1' })
    // The payload is CBOR: the data blob a byte string (major type 2), not base64 text.
    assert.ok(first.payload.includes(Buffer.from([0x45, ...data])))
    const event = decode(first.payload, { epochAsNumber: false }) as Record<string, unknown>
    const records = event['Records'] as Array<Record<string, unknown>>
    assert.equal(records.length, 1)
    assert.deepEqual(Buffer.from(records[0]!['Data'] as Uint8Array), data)
    assert.equal(records[0]!['PartitionKey'], 'pk')
    assert.equal(records[0]!['SequenceNumber'], put.SequenceNumber)
    const arrival = records[0]!['ApproximateArrivalTimestamp'] as CborTag
    assert.ok(arrival instanceof CborTag && arrival.tag === 1)
    assert.equal(event['ContinuationSequenceNumber'], put.SequenceNumber)
    assert.equal(event['MillisBehindLatest'], 0)

    // A record written later is pushed; an idle 5 s of the clock brings an empty event.
    await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'pk', Data: Buffer.from('later') }))
    const pushed = decode((await next()).payload) as Record<string, unknown>
    assert.deepEqual((pushed['Records'] as Array<Record<string, unknown>>).map((r) => Buffer.from(r['Data'] as Uint8Array).toString()),
      ['later'])
    await advance(nimbus.current, 5000)
    const heartbeat = decode((await next()).payload) as Record<string, unknown>
    assert.deepEqual(heartbeat['Records'], [])
    req.close()
    session.destroy()
  })

  it('a refusal before the stream starts is a plain CBOR error', async () => {
    const k = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, k)
    const session = connect(nimbus.current.endpoint)
    const req = session.request({ ':method': 'POST', ':path': '/', 'content-type': 'application/x-amz-cbor-1.1',
      'x-amz-target': 'Kinesis_20131202.SubscribeToShard', ...signedBy('kinesis') })
    const headers = new Promise<Record<string, unknown>>((resolve) => req.once('response', resolve))
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    const ended = new Promise((resolve) => req.on('end', resolve))
    req.end(encode({ ConsumerARN: `${streamArn(name)}/consumer/nobody:1`, ShardId: 'shardId-000000000000',
      StartingPosition: { Type: 'LATEST' } }))
    const response = await headers
    await ended
    assert.equal(response[':status'], 400)
    assert.equal(response['content-type'], 'application/x-amz-cbor-1.1')
    assert.equal((decode(Buffer.concat(chunks)) as Record<string, unknown>)['__type'], 'com.amazonaws.kinesis#ResourceNotFoundException')
    session.destroy()
  })
})
