// docs/pipeline-api-gateway-kinesis-firehose.md run as written: its shell blocks (AWS CLI v1 through
// AWS_ENDPOINT_URL, curl to the REST API's host-form invoke URL) against a Nimbus on a manual clock
// that the test moves; the clicks posted through API Gateway → Kinesis must land in S3 via Firehose.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { after, before, it } from 'node:test'
import { promisify } from 'node:util'
import { DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis'
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { type Nimbus, startNimbus } from '../../src/index.ts'
import { awsCliEnv } from '../helpers/aws-cli.ts'
import { advance, testCredentials } from '../helpers/nimbus.ts'

const run = promisify(execFile)
const doc = readFileSync(new URL('../../docs/pipeline-api-gateway-kinesis-firehose.md', import.meta.url), 'utf8')
const blocks = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '')

let nimbus: Nimbus
before(async () => { nimbus = await startNimbus({ port: 0, clock: 'manual', log: () => {} }) })
after(async () => { await nimbus.stop() })

/** The doc's blocks joined into one script, on this test's port instead of 4566. */
function script(parts: string[]): string {
  const port = new URL(nimbus.endpoint).port
  return 'set -e\n' + parts.join('\n').replaceAll(':4566', `:${port}`)
}

it('the pipeline example works as written: clicks posted to the API arrive in the S3 bucket', async () => {
  assert.equal(blocks.length, 4, 'export, setup, send, read')
  const env = { ...awsCliEnv, AWS_ENDPOINT_URL: nimbus.endpoint }
  // Until the stream is ACTIVE the clock moves a second per turn of this process's event loop, so the
  // doc's `aws kinesis wait stream-exists` finds it so at its first ask (no 10 s poll); then it stands
  // still, so the three clicks arrive within one second of the clock, as when a reader types them.
  let running = true
  const kinesis = new KinesisClient({ endpoint: nimbus.endpoint, region: 'us-east-1', credentials: testCredentials })
  const active = async () => (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'clicks' })).catch(() => undefined))
    ?.StreamDescriptionSummary?.StreamStatus === 'ACTIVE'
  const mover = (async () => { while (running && !(await active())) await advance(nimbus, 1_000) })()
  let sent: { stdout: string }
  try {
    sent = await run('bash', ['-c', script(blocks.slice(0, 3))], { env })
  } finally {
    running = false
    await mover
  }
  assert.equal((sent.stdout.match(/"SequenceNumber"/g) ?? []).length, 3, `three PutRecord answers:\n${sent.stdout}`)

  // Firehose (ACTIVE a few seconds after its creation) reads the shard once a second of the clock and,
  // with IntervalInSeconds=0, writes what it read.
  for (let second = 0; second < 30; second++) await advance(nimbus, 1_000)
  const s3 = new S3Client({ endpoint: nimbus.endpoint, region: 'us-east-1', credentials: testCredentials, forcePathStyle: true })
  const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: 'clicks-archive' }))).Contents ?? []).map((o) => o.Key ?? '')
  const [key = ''] = keys
  assert.equal(keys.length, 1, 'one object')
  assert.match(key, /^clicks\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/clicks-to-s3-1-/)
  const body = await (await s3.send(new GetObjectCommand({ Bucket: 'clicks-archive', Key: key }))).Body?.transformToString()
  assert.equal(body, '{"page":"/home","n":1}{"page":"/home","n":2}{"page":"/home","n":3}')

  const read = await run('bash', ['-c', script([...blocks.slice(0, 1), ...blocks.slice(3)])], { env })
  assert.ok(read.stdout.includes(key), read.stdout)
  assert.ok(read.stdout.includes(body ?? '-'), 'the doc\'s `aws s3 cp … -` prints the records')
})
