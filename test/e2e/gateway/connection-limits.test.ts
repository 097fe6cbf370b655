// Socket limits: slowloris headers and stalled bodies are dropped, a slow but moving body is not,
// and a real client is served while more idle sockets than the cap are open.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { connect, type Socket } from 'node:net'
import { describe, it } from 'node:test'
import { CreateQueueCommand, ListQueuesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { longPollsParked, testCredentials, useNimbus } from '../../helpers/nimbus.ts'
import { sqsQueryHeaders } from '../../helpers/raw-http.ts'

const logged: string[] = []
const nimbus = useNimbus({ headersTimeoutMs: 200, bodyIdleTimeoutMs: 300, keepAliveTimeoutMs: 300, maxConnections: 50,
  log: (line) => logged.push(line) })

async function open(): Promise<Socket> {
  const { port } = nimbus.current
  const socket = connect(port, '127.0.0.1')
  await once(socket, 'connect')
  return socket
}

/** Resolves with what the server sent once it closes the connection. */
function closedBy(socket: Socket): Promise<string> {
  let received = ''
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')))
  socket.on('error', () => {})
  return new Promise((resolve) => socket.once('close', () => resolve(received)))
}

function headerLines(length: number): string {
  const headers = { ...sqsQueryHeaders, host: '127.0.0.1', 'content-length': String(length) }
  return 'POST / HTTP/1.1\r\n' + Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n'
}

describe('connection limits', () => {
  it('closes a connection whose headers never finish (slowloris)', async () => {
    const socket = await open()
    const closed = closedBy(socket)
    socket.write('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ')
    const received = await closed
    // Node answers 408 before closing; no request ever reached a service.
    assert.ok(received === '' || received.startsWith('HTTP/1.1 408'), received)
  })

  it('drops a request whose body stops arriving', async () => {
    const socket = await open()
    const closed = closedBy(socket)
    socket.write(headerLines(100) + 'Action=List')
    assert.equal(await closed, '')
    await new Promise((resolve) => setImmediate(resolve))
    // Dropping it is no failure of Nimbus's.
    assert.deepEqual(logged, [])
  })

  it('serves a slow body that keeps moving past the idle timeout', async () => {
    const socket = await open()
    let received = ''
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')))
    const body = 'Action=ListQueues&Version=2012-11-05'
    socket.write(headerLines(body.length))
    // Six pieces 100 ms apart: 600 ms in all, twice the 300 ms idle timeout, never idle 300 ms.
    for (let i = 0; i < body.length; i += 6) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      socket.write(body.slice(i, i + 6))
    }
    while (!received.includes('</ListQueuesResponse>')) await once(socket, 'data')
    assert.match(received, /^HTTP\/1\.1 200/)
    socket.destroy()
  })

  it('never times out a long poll, even on a reused keep-alive connection', async () => {
    const sqs = new SQSClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 })
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'outlasts-timeouts' }))
    const polled = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }))
    await longPollsParked(nimbus.current)
    // Real time past every socket timeout (headers 200 ms, body 300 ms, keep-alive 300 ms): the
    // parked request's connection is left alone while the operation runs.
    await new Promise((resolve) => setTimeout(resolve, 700))
    const sender = new SQSClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    await sender.send(new SendMessageCommand({ QueueUrl, MessageBody: 'worth the wait' }))
    assert.equal((await polled).Messages?.[0]?.Body, 'worth the wait')
    sqs.destroy()
    sender.destroy()
  })

  it('serves a new client while more idle sockets than the cap are open', async () => {
    const idle = await Promise.all(Array.from({ length: 60 }, () => open()))
    const closed = idle.map((socket) => closedBy(socket))
    const sqs = new SQSClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const answer = await sqs.send(new ListQueuesCommand({}))
    assert.equal(answer.$metadata.httpStatusCode, 200)
    const server = (await (await fetch(`${nimbus.current.endpoint}/_nimbus/health`)).json() as { server: { evicted: number; connections: number } }).server
    assert.ok(server.evicted >= 10, JSON.stringify(server))
    assert.ok(server.connections <= 50, JSON.stringify(server))
    for (const socket of idle) socket.destroy()
    await Promise.all(closed)
    sqs.destroy()
  })
})
