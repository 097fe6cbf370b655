// Firehose PutRecordBatch delivered into S3: 500 × 1 KiB records a call for a few seconds, then the
// records found in the bucket counted (object bytes / 1 KiB), Nimbus and moto_server side by side
// in one run. Nimbus buffers (5 MiB or 1 s) and writes fewer, larger objects; moto writes one object
// per call. Run as part of `npm run bench` (bench/services.ts). Never a timed test: read the ratios.
import { request } from 'node:http'
import { performance } from 'node:perf_hooks'
import { flood, type LoadResult } from './load.ts'
import { HOST } from './sqs.ts'

const RECORD_BYTES = 1024
const RECORDS_PER_CALL = 500

const auth = (service: string) => `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`
const firehoseHeaders = (operation: string) => ({
  'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Firehose_20150804.${operation}`, authorization: auth('firehose'),
})

function call(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  const payload = body === undefined ? undefined : Buffer.from(body)
  return new Promise((resolve, reject) => {
    const req = request({ host: HOST, port, method, path, agent: false,
      headers: { ...headers, 'content-length': String(payload?.length ?? 0) } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(payload)
  })
}

const firehose = (port: number, operation: string, input: unknown) => call(port, 'POST', '/', firehoseHeaders(operation), JSON.stringify(input))
const s3 = (port: number, method: string, path: string) => call(port, method, path, { authorization: auth('s3') })

/** Bytes stored under the bucket (ListObjectsV2, every page). */
async function bucketBytes(port: number, bucket: string): Promise<{ bytes: number; objects: number }> {
  let bytes = 0
  let objects = 0
  let token: string | undefined
  do {
    const query = `list-type=2&max-keys=1000${token === undefined ? '' : `&continuation-token=${encodeURIComponent(token)}`}`
    const out = await s3(port, 'GET', `/${bucket}?${query}`)
    if (out.status !== 200) throw new Error(`ListObjectsV2: ${out.status} ${out.text.slice(0, 200)}`)
    for (const m of out.text.matchAll(/<Size>(\d+)<\/Size>/g)) {
      bytes += Number(m[1])
      objects++
    }
    token = /<IsTruncated>true<\/IsTruncated>/.test(out.text) ? /<NextContinuationToken>([^<]+)</.exec(out.text)?.[1] : undefined
  } while (token !== undefined)
  return { bytes, objects }
}

export interface FirehoseBenchResult {
  put: LoadResult
  /** Records found in S3 once delivery drained, per second of the flood. */
  deliveredPerSecond: number
  deliveredShare: number
  objects: number
}

export async function firehoseBench(port: number, options: { seconds: number; closesConnections: boolean; tag: string }): Promise<FirehoseBenchResult> {
  const bucket = `${options.tag}-firehose`
  const stream = `${options.tag}-stream`
  const made = await s3(port, 'PUT', `/${bucket}`)
  if (made.status !== 200) throw new Error(`CreateBucket: ${made.status} ${made.text.slice(0, 200)}`)
  const created = await firehose(port, 'CreateDeliveryStream', { DeliveryStreamName: stream, ExtendedS3DestinationConfiguration: {
    RoleARN: 'arn:aws:iam::000000000000:role/firehose', BucketARN: `arn:aws:s3:::${bucket}`, BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 1 },
  } })
  if (created.status !== 200) throw new Error(`CreateDeliveryStream: ${created.status} ${created.text.slice(0, 200)}`)
  // Streams are CREATING for a few seconds (Nimbus: 5 s on its clock, as AWS takes a while).
  const deadline = performance.now() + 30_000
  while (!/"DeliveryStreamStatus":\s*"ACTIVE"/.test((await firehose(port, 'DescribeDeliveryStream', { DeliveryStreamName: stream })).text)) {
    if (performance.now() > deadline) throw new Error('the delivery stream never became ACTIVE')
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  const record = Buffer.alloc(RECORD_BYTES - 1, 'x').toString() + '\n'
  const body = JSON.stringify({ DeliveryStreamName: stream, Records: Array.from({ length: RECORDS_PER_CALL }, () => ({ Data: Buffer.from(record).toString('base64') })) })
  const put = await flood({
    port, headers: firehoseHeaders('PutRecordBatch'), body, connections: options.closesConnections ? 10 : 16, warmupSeconds: 0,
    seconds: options.seconds, verify: (text) => /"FailedPutCount":\s*0\b/.test(text), serverClosesConnections: options.closesConnections,
  })
  // Let the last buffer (1 s interval) and writes in flight land, then count what S3 holds.
  let found = { bytes: 0, objects: 0 }
  const expected = put.ok * RECORDS_PER_CALL * RECORD_BYTES
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve) => setTimeout(resolve, 500))
    found = await bucketBytes(port, bucket)
    if (found.bytes >= expected) break
  }
  const delivered = found.bytes / RECORD_BYTES
  return {
    put: { ...put, perSecond: put.perSecond * RECORDS_PER_CALL },
    deliveredPerSecond: delivered / put.seconds,
    deliveredShare: expected === 0 ? 0 : found.bytes / expected,
    objects: found.objects,
  }
}
