// Firehose → HTTP endpoint: the response contract AWS documents ("HTTP endpoint delivery request and
// response specifications", "Troubleshooting HTTP Endpoints") — only a 200 with `application/json`,
// the request's requestId and a numeric timestamp delivers; a 413 is a permanent failure (no retry,
// not written to the error output); other statuses, 3xx included, and broken 200s are retried with
// AWS's back-off (1 s doubling, at most 2 minutes) on the clock; an endpoint silent for 3 minutes of
// the clock times out; a reset connection is HttpEndpoint.ConnectionReset.
import assert from 'node:assert/strict'
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { CreateDeliveryStreamCommand, PutRecordCommand, type HttpEndpointDestinationConfiguration } from '@aws-sdk/client-firehose'
import { CreateBucketCommand } from '@aws-sdk/client-s3'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { clients, deliveriesSettled, firehoseHealth, listKeys, objectBytes } from './firehose-helpers.ts'

const nimbus = useNimbus({ clockStart: Date.UTC(2026, 5, 1, 10, 0, 0) })
const role = 'arn:aws:iam::000000000000:role/firehose'

interface Received { headers: IncomingHttpHeaders; requestId: string }
type Reply = (r: Received, res: ServerResponse) => void
let received: Received[] = []
let reply: Reply = () => {}
let server: Server
let url = ''

/** AWS's success answer. */
const ok: Reply = (r, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ requestId: r.requestId, timestamp: Date.now() }))

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const r = { headers: req.headers, requestId: (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { requestId: string }).requestId }
      received.push(r)
      reply(r, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/in`
})
after(() => {
  server.closeAllConnections()
  server.close()
})

async function httpStream(config: Partial<HttpEndpointDestinationConfiguration>) {
  const { firehose, s3 } = clients(nimbus.current)
  const bucket = uniqueName('fh-contract').toLowerCase()
  const name = uniqueName('fh-contract')
  await s3.send(new CreateBucketCommand({ Bucket: bucket }))
  await firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: name, HttpEndpointDestinationConfiguration: {
    EndpointConfiguration: { Url: url }, BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 }, RoleARN: role,
    S3Configuration: { RoleARN: role, BucketARN: `arn:aws:s3:::${bucket}`, ErrorOutputPrefix: 'err/!{firehose:error-output-type}/' }, ...config,
  } }))
  await advance(nimbus.current, 5_000)
  received = []
  return { firehose, s3, bucket, name }
}

/** Puts one record and lets the first attempt finish. */
async function putOne(firehose: ReturnType<typeof clients>['firehose'], name: string, data = 'payload'): Promise<void> {
  await firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: new TextEncoder().encode(data) } }))
  await deliveriesSettled(nimbus.current)
}

/** Steps the clock a second at a time (each retry gets to run), `seconds` times. */
async function seconds(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await advance(nimbus.current, 1_000)
    await deliveriesSettled(nimbus.current)
  }
}

/** Waits (a turn at a time, bounded) until the endpoint has received `n` requests in all. */
async function arrived(n: number): Promise<void> {
  for (let i = 0; received.length < n; i++) {
    if (i > 100_000) throw new Error(`only ${received.length} requests arrived`)
    await new Promise((r) => i < 50_000 ? setImmediate(r) : setTimeout(r, 1))
  }
}

async function errorRecords(s3: ReturnType<typeof clients>['s3'], bucket: string): Promise<Array<Record<string, unknown>>> {
  const keys = (await listKeys(s3, bucket)).filter((k) => k.startsWith('err/http-endpoint-failed/'))
  const lines = await Promise.all(keys.map(async (k) => (await objectBytes(s3, bucket, k)).toString().trim().split('\n')))
  return lines.flat().map((l) => JSON.parse(l) as Record<string, unknown>)
}

describe('Firehose HTTP endpoint response contract', () => {
  it('413 is a permanent failure: one attempt, no retry, nothing in the error output; an AllData backup is still written', async () => {
    const { firehose, s3, bucket, name } = await httpStream({ RetryOptions: { DurationInSeconds: 30 }, S3BackupMode: 'AllData' })
    reply = (_r, res) => void res.writeHead(413, { 'content-type': 'application/json' }).end('{"errorMessage":"Payload too large"}')
    const dropped = (firehoseHealth(nimbus.current) as unknown as { httpBatchesDropped: number }).httpBatchesDropped
    await putOne(firehose, name)
    await seconds(40)
    assert.equal(received.length, 1, 'not retried')
    assert.deepEqual(await errorRecords(s3, bucket), [])
    const keys = await listKeys(s3, bucket)
    assert.equal(keys.length, 1, 'only the AllData copy')
    assert.ok(!keys[0]!.startsWith('err/'))
    assert.equal((firehoseHealth(nimbus.current) as unknown as { httpBatchesDropped: number }).httpBatchesDropped, dropped + 1)
  })

  const broken: Array<[string, Reply, string, RegExp]> = [
    ['a 200 without Content-Type application/json', (r, res) => void res.writeHead(200, { 'content-type': 'text/plain' })
      .end(JSON.stringify({ requestId: r.requestId, timestamp: 1 })), 'HttpEndpoint.InvalidResponseFromDestination',
    /^The response received from the specified endpoint is invalid\. Contact the owner of the endpoint to resolve the issue\. Response for request [0-9a-f-]{36} is not recognized as valid JSON or has unexpected fields\. Raw response received: 200 \{"requestId"/],
    ['a 200 whose timestamp is a string', (r, res) => void res.writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ requestId: r.requestId, timestamp: '1578090903599' })), 'HttpEndpoint.InvalidResponseFromDestination', /Raw response received: 200 /],
    ['a bare 200', (_r, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(), 'HttpEndpoint.InvalidResponseFromDestination',
      /Raw response received: 200 $/],
    ['a 204 (a 2xx that is not 200)', (_r, res) => void res.writeHead(204).end(), 'HttpEndpoint.DestinationException',
      /^The following response was received from the endpoint destination\. 204: $/],
    ['a redirect (not followed)', (_r, res) => void res.writeHead(302, { location: '/elsewhere' }).end(), 'HttpEndpoint.DestinationException',
      /destination\. 302: /],
    ['a 429', (_r, res) => void res.writeHead(429, { 'content-type': 'application/json' }).end('{"errorMessage":"slow down"}'),
      'HttpEndpoint.DestinationException', /429: \{"errorMessage":"slow down"\}$/],
    ['a connection reset', (_r, res) => res.socket!.destroy(), 'HttpEndpoint.ConnectionReset', /reset/],
  ]
  for (const [what, answer, code, message] of broken) {
    it(`${what} is retried, then written to http-endpoint-failed/ with ${code}`, async () => {
      const { firehose, s3, bucket, name } = await httpStream({ RetryOptions: { DurationInSeconds: 3 } })
      reply = answer
      await putOne(firehose, name)
      await seconds(4)
      assert.equal(received.length, 3, 'attempts at 0, 1 s and the 3 s deadline')
      assert.equal(new Set(received.map((r) => r.requestId)).size, 1)
      const errors = await errorRecords(s3, bucket)
      assert.equal(errors.length, 1)
      assert.equal(errors[0]!.errorCode, code)
      assert.match(String(errors[0]!.errorMessage), message)
      assert.equal(errors[0]!.attemptsMade, 3)
    })
  }

  it('backs off 1 s, doubling, at most 2 minutes apart (AWS\'s documented cap)', async () => {
    const { firehose, name } = await httpStream({ RetryOptions: { DurationInSeconds: 600 } })
    reply = (_r, res) => void res.writeHead(500).end()
    await putOne(firehose, name)
    const times: number[] = []
    const t0 = nimbus.current.clock.now()
    let seen = 1
    for (let t = 0; t < 600; t++) {
      await advance(nimbus.current, 1_000)
      await deliveriesSettled(nimbus.current)
      if (received.length > seen) {
        seen = received.length
        times.push((nimbus.current.clock.now() - t0) / 1000)
      }
    }
    // Gaps 1, 2, 4 … 64, then 120 (128 capped), 120, 120, and the last attempt at the 600 s deadline.
    assert.deepEqual(times, [1, 3, 7, 15, 31, 63, 127, 247, 367, 487, 600])
  })

  it('an endpoint that does not answer for 3 minutes of the clock times out (HttpEndpoint.RequestTimeout) and is retried', async () => {
    const { firehose, s3, bucket, name } = await httpStream({ RetryOptions: { DurationInSeconds: 200 } })
    reply = () => {} // never answers
    await firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: new TextEncoder().encode('slow') } }))
    await arrived(1)
    await advance(nimbus.current, 179_999)
    assert.equal(firehoseHealth(nimbus.current).deliveriesInFlight, 1, 'still waiting just before 3 minutes')
    await advance(nimbus.current, 1)
    await deliveriesSettled(nimbus.current)
    // Retried 1 s later; that attempt is answered at once.
    reply = ok
    await advance(nimbus.current, 1_000)
    await deliveriesSettled(nimbus.current)
    assert.equal(received.length, 2)
    assert.deepEqual(await errorRecords(s3, bucket), [])

    // One that never answers at all: timed out at +180 s, retried at +181 s, timed out again past the
    // 200 s deadline, so it ends in the error output with the timeout's code.
    reply = () => {}
    await firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: new TextEncoder().encode('lost') } }))
    await arrived(3)
    await advance(nimbus.current, 180_000)
    await deliveriesSettled(nimbus.current)
    await advance(nimbus.current, 1_000)
    await arrived(4)
    await advance(nimbus.current, 180_000)
    await deliveriesSettled(nimbus.current)
    const errors = await errorRecords(s3, bucket)
    assert.equal(errors.length, 1)
    assert.equal(errors[0]!.errorCode, 'HttpEndpoint.RequestTimeout')
  })
})
