// docs/pipeline-api-gateway-kinesis-firehose.md run as written: its shell blocks (AWS CLI v1 through
// AWS_ENDPOINT_URL, curl to the REST API's host-form invoke URL) against a Nimbus on the system clock,
// as a user runs them; the clicks posted through API Gateway → Kinesis must land in S3 via Firehose.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { after, before, it } from 'node:test'
import { promisify } from 'node:util'
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { type Nimbus, startNimbus } from '../../src/index.ts'
import { awsCliEnv } from '../helpers/aws-cli.ts'
import { testCredentials } from '../helpers/nimbus.ts'

const run = promisify(execFile)
const doc = readFileSync(new URL('../../docs/pipeline-api-gateway-kinesis-firehose.md', import.meta.url), 'utf8')
const blocks = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '')

let nimbus: Nimbus
// The system clock, not the manual one: the doc's `aws kinesis wait` and Firehose's once-a-second read
// of the stream must happen by themselves, as they do for the reader.
before(async () => { nimbus = await startNimbus({ port: 0, log: () => {} }) })
after(async () => { await nimbus.stop() })

/** The doc's blocks joined into one script, on this test's port instead of 4566. */
function script(parts: string[]): string {
  const port = new URL(nimbus.endpoint).port
  return 'set -e\n' + parts.join('\n').replaceAll(':4566', `:${port}`)
}

it('the pipeline example works as written: clicks posted to the API arrive in the S3 bucket', async () => {
  assert.equal(blocks.length, 4, 'export, setup, send, read')
  const env = { ...awsCliEnv, AWS_ENDPOINT_URL: nimbus.endpoint }
  const sent = await run('bash', ['-c', script(blocks.slice(0, 3))], { env })
  assert.equal((sent.stdout.match(/"SequenceNumber"/g) ?? []).length, 3, `three PutRecord answers:\n${sent.stdout}`)

  // Firehose reads the shard once a second of the system clock: wait for its object, bounded.
  const s3 = new S3Client({ endpoint: nimbus.endpoint, region: 'us-east-1', credentials: testCredentials, forcePathStyle: true })
  let keys: string[] = []
  for (const deadline = Date.now() + 15_000; keys.length === 0 && Date.now() < deadline;) {
    keys = ((await s3.send(new ListObjectsV2Command({ Bucket: 'clicks-archive' }))).Contents ?? []).map((o) => o.Key ?? '')
    if (keys.length === 0) await new Promise((resolve) => setTimeout(resolve, 100))
  }
  const [key = ''] = keys
  assert.equal(keys.length, 1, 'one object')
  assert.match(key, /^clicks\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/clicks-to-s3-1-/)
  const body = await (await s3.send(new GetObjectCommand({ Bucket: 'clicks-archive', Key: key }))).Body?.transformToString()
  assert.equal(body, '{"page":"/home","n":1}{"page":"/home","n":2}{"page":"/home","n":3}')

  const read = await run('bash', ['-c', script([...blocks.slice(0, 1), ...blocks.slice(3)])], { env })
  assert.ok(read.stdout.includes(key), read.stdout)
  assert.ok(read.stdout.includes(body ?? '-'), 'the doc\'s `aws s3 cp … -` prints the records')
})
