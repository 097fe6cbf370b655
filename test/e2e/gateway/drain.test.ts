// stop() drains: a parked SQS long poll answers empty at once, an upload under way completes, idle
// keep-alive connections close, and new connections are refused.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { request } from 'node:http'
import { connect } from 'node:net'
import { describe, it } from 'node:test'
import { CreateBucketCommand } from '@aws-sdk/client-s3'
import { CreateQueueCommand, ListQueuesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { startNimbus, type Nimbus } from '../../../src/index.ts'
import { longPollsParked, testCredentials } from '../../helpers/nimbus.ts'
import { sqsQueryHeaders } from '../../helpers/raw-http.ts'
import { s3Client } from '../../helpers/s3.ts'

function serverStats(nimbus: Nimbus): Promise<{ inFlight: number; connections: number }> {
  return new Promise((resolve, reject) => {
    request(`${nimbus.endpoint}/_nimbus/health`, { agent: false }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve((JSON.parse(body) as { server: { inFlight: number; connections: number } }).server))
    }).on('error', reject).end()
  })
}

describe('stop() drains', () => {
  it('answers a parked long poll empty and closes idle keep-alive connections', async () => {
    const nimbus = await startNimbus({ port: 0, clock: 'manual', log: () => {} })
    const sqs = new SQSClient({ endpoint: nimbus.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 })
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'drain-q' }))
    // A second client leaves an idle keep-alive connection behind.
    const idle = new SQSClient({ endpoint: nimbus.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 })
    await idle.send(new ListQueuesCommand({}))
    const polled = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }))
    await longPollsParked(nimbus)
    // The manual clock never moves: only the drain can end this poll.
    await nimbus.stop()
    const answer = await polled
    assert.equal(answer.$metadata.httpStatusCode, 200)
    assert.equal(answer.Messages, undefined)
    const refused = connect(nimbus.port, '127.0.0.1')
    const [error] = await once(refused, 'error') as [NodeJS.ErrnoException]
    assert.equal(error.code, 'ECONNREFUSED')
    sqs.destroy()
    idle.destroy()
  })

  it('lets an upload under way complete', async () => {
    const nimbus = await startNimbus({ port: 0, clock: 'manual', log: () => {} })
    const s3 = s3Client(nimbus)
    await s3.send(new CreateBucketCommand({ Bucket: 'drain-bucket' }))
    const size = 8 * 1024 * 1024
    const half = Buffer.alloc(size / 2, 7)
    let begin!: () => void
    const stopping = new Promise<void>((resolve) => (begin = resolve))
    const answer = new Promise<{ status: number; etag: string | undefined }>((resolve, reject) => {
      const req = request(`${nimbus.endpoint}/drain-bucket/big`, {
        method: 'PUT', agent: false,
        headers: {
          'content-length': String(size), 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
          authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0',
        },
      }, (res) => {
        res.resume()
        res.on('end', () => resolve({ status: res.statusCode ?? 0, etag: res.headers.etag as string | undefined }))
      })
      req.on('error', reject)
      req.write(half)
      // The rest is sent only once stop() has begun.
      stopping.then(() => req.end(half), reject)
    })
    // The upload and this health request are both in flight.
    while ((await serverStats(nimbus)).inFlight < 2) await new Promise((resolve) => setImmediate(resolve))
    const stopped = nimbus.stop()
    begin()
    const put = await answer
    assert.equal(put.status, 200)
    // The ETag is the MD5 of everything stored: the whole body arrived.
    assert.equal(put.etag, `"${createHash('md5').update(half).update(half).digest('hex')}"`)
    await stopped
    s3.destroy()
  })

  it('cuts what is still running after the grace period', async () => {
    const nimbus = await startNimbus({ port: 0, clock: 'manual', log: () => {}, shutdownGraceMs: 50 })
    const socket = connect(nimbus.port, '127.0.0.1')
    await once(socket, 'connect')
    // A request whose body never finishes, so it is in flight until cut.
    const headers = Object.entries({ ...sqsQueryHeaders, host: '127.0.0.1', 'content-length': '100' }).map(([k, v]) => `${k}: ${v}\r\n`)
    socket.write(`POST / HTTP/1.1\r\n${headers.join('')}\r\nAction=List`)
    while ((await serverStats(nimbus)).inFlight < 2) await new Promise((resolve) => setImmediate(resolve))
    const closed = once(socket, 'close')
    socket.on('error', () => {})
    await nimbus.stop()
    await closed
  })
})
