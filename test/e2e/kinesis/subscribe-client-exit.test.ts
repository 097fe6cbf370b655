// A SubscribeToShard client whose process exits: its kernel closes the TCP connection (a FIN), with no
// HTTP/2 frame first — no RST_STREAM, no GOAWAY. The server must see the connection end, close it on its
// side (no socket left in CLOSE_WAIT) and drop the subscription, as it does for a stream reset
// (subscribe.test.ts). Plain HTTP/2 calls over such a connection likewise leave nothing open.
import assert from 'node:assert/strict'
import { connect as h2connect } from 'node:http2'
import { connect as tcpConnect, type Socket } from 'node:net'
import { describe, it } from 'node:test'
import { RegisterStreamConsumerCommand } from '@aws-sdk/client-kinesis'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { decodeEventMessage } from '../../../src/protocol/event-stream.ts'
import { signedBy } from '../../helpers/raw-http.ts'

const nimbus = useNimbus()
const subscriptions = () => (nimbus.current.health().kinesis as { subscriptions: number }).subscriptions

/** An HTTP/2 session over a TCP socket the test holds, so it can end the socket as a dying process would. */
function rawSession(): { session: ReturnType<typeof h2connect>; socket: Socket } {
  const url = new URL(nimbus.current.endpoint)
  const socket = tcpConnect(Number(url.port), url.hostname)
  const session = h2connect(nimbus.current.endpoint, { createConnection: () => socket })
  session.on('error', () => {})
  return { session, socket }
}

/** Resolves once the server has closed its side of the socket too (the client sees the end of the stream). */
const serverClosed = (socket: Socket) => new Promise<void>((resolve) => {
  if (socket.readableEnded) resolve()
  else socket.once('end', () => resolve())
})

async function until(check: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; !check(); attempt++) {
    assert.ok(attempt < 20_000, what)
    await new Promise((resolve) => setImmediate(resolve))
  }
}

// A regression would leave the server's side open, and `closed` would never settle: bounded, so it fails rather than hangs.
describe('SubscribeToShard: a client process that exits', { timeout: 30_000 }, () => {
  it('ends its subscription and its connection on the server when the client ends its TCP connection', async () => {
    const k = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, k)
    const { Consumer: c } = await k.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn(name), ConsumerName: 'efo' }))
    await advance(nimbus.current, 500)
    const before = subscriptions()
    const { session, socket } = rawSession()
    const req = session.request({ ':method': 'POST', ':path': '/', 'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'Kinesis_20131202.SubscribeToShard', ...signedBy('kinesis') })
    req.on('error', () => {})
    req.end(JSON.stringify({ ConsumerARN: c!.ConsumerARN, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'LATEST' } }))
    const first = await new Promise<Buffer>((resolve) => req.once('data', resolve))
    assert.equal(decodeEventMessage(first).headers[':event-type'], 'initial-response')
    assert.equal(subscriptions(), before + 1)
    const closed = serverClosed(socket)
    socket.end()
    await until(() => subscriptions() === before, 'the server kept the subscription of a client that left')
    await closed
    session.destroy()
  })

  it('closes an idle HTTP/2 connection whose client ended it', async () => {
    const { session, socket } = rawSession()
    const req = session.request({ ':method': 'POST', ':path': '/', 'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'Kinesis_20131202.ListStreams', ...signedBy('kinesis') })
    req.end('{}')
    const status = await new Promise<number>((resolve) => req.once('response', (headers) => resolve(Number(headers[':status']))))
    assert.equal(status, 200)
    req.resume()
    await new Promise((resolve) => req.once('end', resolve))
    const closed = serverClosed(socket)
    socket.end()
    await closed
    session.destroy()
  })
})
