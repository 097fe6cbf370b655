// Firehose → HTTP endpoint destination: AWS's request contract (JSON body, X-Amz-Firehose-* headers,
// GZIP), the response contract (200 echoing the request id), buffering and retries on the manual
// clock, and the S3 backup (failed data under `http-endpoint-failed/`, or all data) — against a local
// HTTP server on 127.0.0.1.
import assert from 'node:assert/strict'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { gunzipSync } from 'node:zlib'
import {
  CreateDeliveryStreamCommand, DescribeDeliveryStreamCommand, PutRecordBatchCommand, PutRecordCommand, UpdateDestinationCommand,
  type HttpEndpointDestinationConfiguration,
} from '@aws-sdk/client-firehose'
import { CreateBucketCommand } from '@aws-sdk/client-s3'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { clients, deliveriesSettled, firehoseHealth, listKeys, objectBytes } from './firehose-helpers.ts'

const start = Date.UTC(2026, 2, 4, 5, 6, 7)
const nimbus = useNimbus({ clockStart: start })
const text = (s: string) => new TextEncoder().encode(s)
const role = 'arn:aws:iam::000000000000:role/firehose'

interface Received { headers: IncomingHttpHeaders; body: { requestId: string; timestamp: number; records: Array<{ data: string }> } }

/** A local endpoint: records what it receives; `answer` decides each response (default: AWS's success answer). */
let received: Received[] = []
let answer: (r: Received) => { status: number; body: string } = (r) => ({ status: 200, body: JSON.stringify({ requestId: r.body.requestId, timestamp: Date.now() }) })
let server: Server
let url = ''

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks)
      const json = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw
      const r = { headers: req.headers, body: JSON.parse(json.toString('utf8')) as Received['body'] }
      received.push(r)
      const out = answer(r)
      res.writeHead(out.status, { 'content-type': 'application/json' }).end(out.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ingest?tenant=a`
})
after(() => server.close())

async function httpStream(config: Partial<HttpEndpointDestinationConfiguration> = {}, s3Extra: Record<string, string> = {}) {
  const { firehose, s3 } = clients(nimbus.current)
  const bucket = uniqueName('fh-http').toLowerCase()
  const name = uniqueName('fh-http')
  await s3.send(new CreateBucketCommand({ Bucket: bucket }))
  await firehose.send(new CreateDeliveryStreamCommand({
    DeliveryStreamName: name,
    HttpEndpointDestinationConfiguration: {
      EndpointConfiguration: { Url: url, Name: 'local', AccessKey: 'secret-key' },
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
      RoleARN: role,
      S3Configuration: { RoleARN: role, BucketARN: `arn:aws:s3:::${bucket}`, ...s3Extra },
      ...config,
    },
  }))
  await advance(nimbus.current, 5_000)
  received = []
  answer = (r) => ({ status: 200, body: JSON.stringify({ requestId: r.body.requestId, timestamp: Date.now() }) })
  return { firehose, s3, bucket, name }
}

describe('Firehose → HTTP endpoint', () => {
  it('POSTs the buffer on the interval in AWS request format, with the access key and common attributes', async () => {
    const { firehose, s3, bucket, name } = await httpStream({
      RequestConfiguration: { CommonAttributes: [{ AttributeName: 'env', AttributeValue: 'test' }, { AttributeName: 'team', AttributeValue: 'data' }] },
    })
    await firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: text('one') } }))
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: text('two') }, { Data: text('three') }] }))
    await advance(nimbus.current, 59_999)
    await deliveriesSettled(nimbus.current)
    assert.equal(received.length, 0, 'nothing before the interval')
    const delivered = firehoseHealth(nimbus.current).deliveredObjects
    await advance(nimbus.current, 1)
    await deliveriesSettled(nimbus.current, delivered + 1)
    assert.equal(received.length, 1)
    const [r] = received
    assert.deepEqual(r!.body.records.map((x) => Buffer.from(x.data, 'base64').toString()), ['one', 'two', 'three'])
    assert.equal(r!.body.timestamp, start + 65_000)
    assert.match(r!.body.requestId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    assert.equal(r!.headers['x-amz-firehose-request-id'], r!.body.requestId)
    assert.equal(r!.headers['x-amz-firehose-access-key'], 'secret-key')
    assert.equal(r!.headers['x-amz-firehose-protocol-version'], '1.0')
    assert.equal(r!.headers['x-amz-firehose-source-arn'], `arn:aws:firehose:us-east-1:000000000000:deliverystream/${name}`)
    assert.equal(r!.headers['content-type'], 'application/json')
    assert.equal(r!.headers['content-encoding'], undefined)
    assert.deepEqual(JSON.parse(String(r!.headers['x-amz-firehose-common-attributes'])), { commonAttributes: { env: 'test', team: 'data' } })
    assert.deepEqual(await listKeys(s3, bucket), [], 'FailedDataOnly: nothing in S3 when delivered')
  })

  it('gzips the body with ContentEncoding GZIP and cuts at SizeInMBs without the clock moving', async () => {
    const { firehose, name } = await httpStream({ RequestConfiguration: { ContentEncoding: 'GZIP' }, BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 900 } })
    const big = new Uint8Array(600 * 1024).fill(97)
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: big }, { Data: big }] }))
    await deliveriesSettled(nimbus.current)
    assert.equal(received.length, 1)
    assert.equal(received[0]!.headers['content-encoding'], 'gzip')
    assert.deepEqual(received[0]!.body.records.map((x) => Buffer.from(x.data, 'base64').length), [600 * 1024, 600 * 1024])
  })

  it('retries a failing endpoint on the clock with back-off and the same request id, until it acknowledges', async () => {
    const { firehose, s3, bucket, name } = await httpStream({ BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 }, RetryOptions: { DurationInSeconds: 60 } })
    answer = () => ({ status: 503, body: '{"errorMessage":"busy"}' })
    await firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: text('payload') } }))
    await deliveriesSettled(nimbus.current)
    assert.equal(received.length, 1)
    // Back-off 1 s, 2 s, 4 s: attempts at +1 s, +3 s, +7 s.
    for (const [step, count] of [[999, 1], [1, 2], [1_999, 2], [1, 3], [4_000, 4]] as const) {
      await advance(nimbus.current, step)
      await deliveriesSettled(nimbus.current)
      assert.equal(received.length, count, `after ${step} ms more`)
    }
    answer = (r) => ({ status: 200, body: JSON.stringify({ requestId: r.body.requestId, timestamp: 1 }) })
    await advance(nimbus.current, 8_000)
    await deliveriesSettled(nimbus.current)
    assert.equal(received.length, 5)
    assert.equal(new Set(received.map((r) => r.body.requestId)).size, 1, 'one request id across retries')
    await advance(nimbus.current, 120_000)
    await deliveriesSettled(nimbus.current)
    assert.equal(received.length, 5, 'acknowledged: no more attempts')
    assert.deepEqual(await listKeys(s3, bucket), [])
  })

  it('after RetryOptions.DurationInSeconds writes the records to S3 under http-endpoint-failed/ as AWS error records', async () => {
    const { firehose, s3, bucket, name } = await httpStream({ BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 }, RetryOptions: { DurationInSeconds: 10 } })
    // A 200 whose requestId does not match is a failure too.
    answer = () => ({ status: 200, body: JSON.stringify({ requestId: 'someone-else', timestamp: 1 }) })
    const arrival = nimbus.current.clock.now()
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: text('a') }, { Data: text('b') }] }))
    await deliveriesSettled(nimbus.current)
    for (let i = 0; i < 10; i++) {
      await advance(nimbus.current, 1_000)
      await deliveriesSettled(nimbus.current)
    }
    // Attempts at 0, 1, 3, 7 and at the deadline, 10 s.
    assert.equal(received.length, 5)
    const keys = await listKeys(s3, bucket)
    assert.equal(keys.length, 1)
    const iso = new Date(arrival).toISOString()
    const hour = `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(11, 13)}`
    const time = iso.slice(0, 19).replace(/[T:]/g, '-')
    assert.match(keys[0]!, new RegExp(`^http-endpoint-failed/${hour}/${name}-1-${time}-[0-9a-f-]{36}$`))
    const lines = (await objectBytes(s3, bucket, keys[0]!)).toString().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    assert.deepEqual(lines.map((l) => Buffer.from(String(l.rawData), 'base64').toString()), ['a', 'b'])
    assert.equal(lines[0]!.errorCode, 'HttpEndpoint.InvalidResponseFromDestination')
    assert.equal(lines[0]!.attemptsMade, 5)
    assert.equal(lines[0]!.arrivalTimestamp, arrival)
    assert.equal(lines[0]!.attemptEndingTimestamp, arrival + 10_000)
  })

  it('an unreachable endpoint is a failed attempt, not a crash; AllData also backs every record up to S3', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const { firehose, s3, bucket, name } = await httpStream({
      EndpointConfiguration: { Url: `http://127.0.0.1:${port}/` }, S3BackupMode: 'AllData',
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 }, RetryOptions: { DurationInSeconds: 0 },
    }, { Prefix: 'all/', ErrorOutputPrefix: 'err/!{firehose:error-output-type}/' })
    const failedBefore = firehoseHealth(nimbus.current).failedAttempts
    await firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: text('kept') } }))
    await deliveriesSettled(nimbus.current)
    assert.ok(firehoseHealth(nimbus.current).failedAttempts > failedBefore)
    const keys = await listKeys(s3, bucket)
    assert.equal(keys.length, 2)
    assert.ok(keys.some((k) => k.startsWith('all/2026/')), 'AllData: the source record')
    assert.ok(keys.some((k) => k.startsWith('err/http-endpoint-failed/')), 'the failed record')
    const err = JSON.parse((await objectBytes(s3, bucket, keys.find((k) => k.startsWith('err/'))!)).toString()) as Record<string, unknown>
    assert.equal(err.errorCode, 'HttpEndpoint.ConnectionFailed')
  })

  it('is described as AWS describes it (no access key), validated by the model, and updated in place', async () => {
    const { firehose, name } = await httpStream({ RetryOptions: { DurationInSeconds: 30 } })
    const d = (await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))).DeliveryStreamDescription!
    const dest = d.Destinations![0]!
    assert.equal(dest.ExtendedS3DestinationDescription, undefined)
    const h = dest.HttpEndpointDestinationDescription!
    assert.deepEqual(h.EndpointConfiguration, { Url: url, Name: 'local' })
    assert.deepEqual(h.BufferingHints, { SizeInMBs: 1, IntervalInSeconds: 60 })
    assert.deepEqual(h.RequestConfiguration, { ContentEncoding: 'NONE' })
    assert.deepEqual(h.RetryOptions, { DurationInSeconds: 30 })
    assert.equal(h.S3BackupMode, 'FailedDataOnly')
    assert.equal(h.S3DestinationDescription!.CompressionFormat, 'UNCOMPRESSED')
    assert.deepEqual(h.S3DestinationDescription!.BufferingHints, { SizeInMBs: 5, IntervalInSeconds: 300 })

    const bad = async (config: Partial<HttpEndpointDestinationConfiguration>) => {
      try {
        await firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: uniqueName('fh-bad'), HttpEndpointDestinationConfiguration: {
          EndpointConfiguration: { Url: url }, S3Configuration: { RoleARN: role, BucketARN: 'arn:aws:s3:::b' }, ...config } }))
      } catch (e) {
        return { name: (e as Error).name, message: (e as Error).message }
      }
      throw new Error('accepted')
    }
    assert.deepEqual(await bad({ BufferingHints: { SizeInMBs: 65, IntervalInSeconds: 60 } }), { name: 'ValidationException',
      message: "1 validation error detected: Value '65' at 'httpEndpointDestinationConfiguration.bufferingHints.sizeInMBs' failed to satisfy constraint: Member must have value less than or equal to 64" })
    assert.deepEqual(await bad({ EndpointConfiguration: { Url: 'ftp://x' } }), { name: 'ValidationException',
      message: "1 validation error detected: Value 'ftp://x' at 'httpEndpointDestinationConfiguration.endpointConfiguration.url' failed to satisfy constraint: Member must satisfy regular expression pattern: https://.*" })
    assert.equal((await bad({ RetryOptions: { DurationInSeconds: 7201 } })).name, 'ValidationException')
    // The URL's scheme is one of the model's constraints: reported with the others in one message, in the model's order.
    assert.deepEqual(await bad({ EndpointConfiguration: { Url: 'ftp://x' }, BufferingHints: { SizeInMBs: 65 } }), { name: 'ValidationException',
      message: "2 validation errors detected: Value 'ftp://x' at 'httpEndpointDestinationConfiguration.endpointConfiguration.url' failed to satisfy constraint: Member must satisfy regular expression pattern: https://.*; " +
        "Value '65' at 'httpEndpointDestinationConfiguration.bufferingHints.sizeInMBs' failed to satisfy constraint: Member must have value less than or equal to 64" })

    await firehose.send(new UpdateDestinationCommand({
      DeliveryStreamName: name, CurrentDeliveryStreamVersionId: '1', DestinationId: 'destinationId-000000000001',
      HttpEndpointDestinationUpdate: { EndpointConfiguration: { Url: `${url}&v=2`, AccessKey: 'new-key' }, BufferingHints: { IntervalInSeconds: 0 } },
    }))
    const after = (await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))).DeliveryStreamDescription!
    assert.equal(after.VersionId, '2')
    assert.deepEqual(after.Destinations![0]!.HttpEndpointDestinationDescription!.BufferingHints, { SizeInMBs: 1, IntervalInSeconds: 0 })
    await firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: text('v2') } }))
    await deliveriesSettled(nimbus.current)
    assert.equal(received.length, 1)
    assert.equal(received[0]!.headers['x-amz-firehose-access-key'], 'new-key')
  })

  it('runs a Lambda transformation before the POST; its failures go to processing-failed/ in the S3 bucket', async () => {
    const fn = await createFunction(lambdaClient(nimbus.current), `
      exports.handler = async (event) => ({ records: event.records.map((r) => {
        const text = Buffer.from(r.data, 'base64').toString()
        return text === 'bad' ? { recordId: r.recordId, result: 'ProcessingFailed', data: r.data }
          : { recordId: r.recordId, result: 'Ok', data: Buffer.from(text.toUpperCase()).toString('base64') }
      }) })`)
    const { firehose, s3, bucket, name } = await httpStream({ BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 }, ProcessingConfiguration: {
      Enabled: true, Processors: [
        { Type: 'Lambda', Parameters: [{ ParameterName: 'LambdaArn', ParameterValue: `arn:aws:lambda:us-east-1:000000000000:function:${fn}` }] },
        { Type: 'AppendDelimiterToRecord' },
      ] } })
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: text('ok') }, { Data: text('bad') }, { Data: text('fine') }] }))
    const delivered = firehoseHealth(nimbus.current).deliveredObjects
    // The processor's buffer (60 s): the function runs, its failures are written; the POST after the endpoint's 60 s.
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, delivered + 1)
    assert.equal(received.length, 0)
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, delivered + 2)
    assert.equal(received.length, 1)
    assert.deepEqual(received[0]!.body.records.map((x) => Buffer.from(x.data, 'base64').toString()), ['OK\n', 'FINE\n'])
    const keys = await listKeys(s3, bucket)
    assert.equal(keys.length, 1)
    assert.match(keys[0]!, /^processing-failed\//)
    const line = JSON.parse((await objectBytes(s3, bucket, keys[0]!)).toString()) as Record<string, unknown>
    assert.equal(line.errorCode, 'Lambda.ProcessingFailedStatus')
    assert.equal(Buffer.from(String(line.rawData), 'base64').toString(), 'bad')
  })
})
