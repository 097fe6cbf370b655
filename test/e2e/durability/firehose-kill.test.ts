// Firehose survives `kill -9`: the built CLI on a data dir acknowledges records — some waiting in a
// destination's buffer, some handed to a transformation Lambda that has not answered yet — and is
// killed with SIGKILL. Started again on the same folder, every acknowledged record is delivered once:
// the function is invoked again for the records it had not answered (at least once, as AWS retries an
// invocation), and nothing delivered before a second kill is delivered again after it.
import assert from 'node:assert/strict'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, it } from 'node:test'
import { CreateDeliveryStreamCommand, FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose'
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda'
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { jsonHeaders, rawRequest } from '../../helpers/raw-http.ts'
import { killTestDir } from '../../helpers/spawn-cli.ts'
import { makeZip } from '../../helpers/zip.ts'

const { dataDir, processes } = killTestDir('nimbus-firehose-kill-')
const start = () => processes.start(['--data-dir', dataDir])

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' }
const options = (endpoint: string) => ({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 })
const role = 'arn:aws:iam::000000000000:role/firehose'

// The function asks the test's server before answering: the test decides when an invocation ends.
const transformer = `
exports.handler = async (event) => {
  await fetch(process.env.GATE + '/' + event.records.length)
  return { records: event.records.map((r) => ({ recordId: r.recordId, result: 'Ok',
    data: Buffer.from(Buffer.from(r.data, 'base64').toString().toUpperCase() + '\\n').toString('base64') })) }
}`

async function advance(endpoint: string, ms: number): Promise<void> {
  const r = await rawRequest(endpoint, { path: '/_nimbus/clock', headers: jsonHeaders, body: JSON.stringify({ advanceMs: ms }) })
  assert.equal(r.status, 200, r.body)
}

/** Every object in the bucket, its body as text, sorted. */
async function objects(s3: S3Client, bucket: string): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }))
  const bodies = await Promise.all((listed.Contents ?? []).map(async (o) =>
    (await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }))).Body!.transformToString())))
  return bodies.sort()
}

async function firehoseHealth(endpoint: string): Promise<{ pendingRecords: number; deliveriesInFlight: number }> {
  const r = await rawRequest(endpoint, { method: 'GET', path: '/_nimbus/health' })
  return (JSON.parse(r.body) as { services: { firehose: { pendingRecords: number; deliveriesInFlight: number } } }).services.firehose
}

/** Polls (a few ms at a time, the CLI runs apart) until `check` holds. */
async function until(what: string, check: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 2_000; i++) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`never: ${what}`)
}

describe('Firehose on a data dir, killed with SIGKILL', () => {
  it('delivers every acknowledged record once, transforming again what the function had not answered', async () => {
    const held: ServerResponse[] = []
    const asked: number[] = []
    let open = false
    const gate = createServer((req, res) => {
      asked.push(Number(req.url!.slice(1)))
      if (open) res.end('ok')
      else held.push(res)
    })
    await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve))
    try {
      const first = await start()
      let s3 = new S3Client({ ...options(first.endpoint), forcePathStyle: true })
      let firehose = new FirehoseClient(options(first.endpoint))
      const lambda = new LambdaClient(options(first.endpoint))
      await s3.send(new CreateBucketCommand({ Bucket: 'kill-fh' }))
      await lambda.send(new CreateFunctionCommand({
        FunctionName: 'shout', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/lambda-role',
        Code: { ZipFile: makeZip([{ path: 'index.js', content: transformer }]) },
        Environment: { Variables: { GATE: `http://127.0.0.1:${(gate.address() as AddressInfo).port}` } },
      }))
      lambda.destroy()
      const destination = (prefix: string) => ({ RoleARN: role, BucketARN: 'arn:aws:s3:::kill-fh', Prefix: prefix, BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 } })
      await firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'plain', ExtendedS3DestinationConfiguration: destination('plain/') }))
      await firehose.send(new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'shouting', ExtendedS3DestinationConfiguration: { ...destination('shout/'), ProcessingConfiguration: { Enabled: true, Processors: [{
          Type: 'Lambda', Parameters: [{ ParameterName: 'LambdaArn', ParameterValue: 'arn:aws:lambda:us-east-1:000000000000:function:shout' },
            { ParameterName: 'BufferIntervalInSeconds', ParameterValue: '0' }] }] } },
      }))
      await advance(first.endpoint, 5_000)
      const put = async (stream: string, ...lines: string[]) => {
        const out = await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: stream, Records: lines.map((l) => ({ Data: Buffer.from(l) })) }))
        assert.equal(out.FailedPutCount, 0)
      }
      await put('plain', 'p1\n', 'p2\n')
      // A processor interval of 0 hands the records to the function on arrival; it waits at the gate.
      await put('shouting', 'a', 'b')
      await until('the function is invoked', () => held.length === 1)
      await processes.kill(first)

      const second = await start()
      s3 = new S3Client({ ...options(second.endpoint), forcePathStyle: true })
      firehose = new FirehoseClient(options(second.endpoint))
      open = true
      for (const res of held.splice(0)) res.end('late')
      // The records the function never answered for go to it again at start.
      await until('the function is invoked again', () => asked.length === 2)
      assert.deepEqual(asked, [2, 2])
      // Its answer fills the destination's buffer, due 60 s of the clock later.
      await until('the function answers', async () => (await firehoseHealth(second.endpoint)).deliveriesInFlight === 0)
      await advance(second.endpoint, 60_000)
      await until('both streams deliver', async () => (await objects(s3, 'kill-fh')).length === 2)
      assert.deepEqual(await objects(s3, 'kill-fh'), ['A\nB\n', 'p1\np2\n'])
      await processes.kill(second)

      // Killed again after delivering: nothing is delivered twice, and the function is not invoked again.
      const third = await start()
      s3 = new S3Client({ ...options(third.endpoint), forcePathStyle: true })
      await advance(third.endpoint, 3_600_000)
      assert.equal((await firehoseHealth(third.endpoint)).pendingRecords, 0)
      assert.deepEqual(await objects(s3, 'kill-fh'), ['A\nB\n', 'p1\np2\n'])
      assert.deepEqual(asked, [2, 2])
      await processes.kill(third)
    } finally {
      gate.close()
      gate.closeAllConnections()
    }
  })
})
