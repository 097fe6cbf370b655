// Large bodies stream: uploads far over the gateway's 16 MiB buffering cap go through, into memory
// chunks or into a file under the data directory, without the process holding the body whole.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { after, describe, it } from 'node:test'
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3'
import { useNimbus } from '../../helpers/nimbus.ts'
import { bucketName, s3Client } from '../../helpers/s3.ts'

const MiB = 1024 * 1024
const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-s3-data-'))
after(() => rmSync(dataDir, { recursive: true, force: true }))

const memory = useNimbus()
const onDisk = useNimbus({ dataDir })

/** Generates `size` bytes in 64 KiB chunks, hashing as it goes; records the peak RSS seen. */
function generated(size: number) {
  const md5 = createHash('md5')
  const stats = { peakRss: process.memoryUsage().rss }
  let sent = 0
  const stream = new Readable({
    read() {
      if (sent >= size) return this.push(null)
      const chunk = Buffer.alloc(Math.min(64 * 1024, size - sent), sent / 65536)
      md5.update(chunk)
      sent += chunk.length
      if (sent % (8 * MiB) === 0) stats.peakRss = Math.max(stats.peakRss, process.memoryUsage().rss)
      this.push(chunk)
    },
  })
  let hex: string | undefined
  return { stream, stats, digest: () => (hex ??= md5.digest('hex')) }
}

/** PUT with Transfer-Encoding: chunked, no Content-Length: nothing to buffer against. */
function put(endpoint: string, path: string, body: Readable): Promise<{ status: number; etag: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, endpoint), { method: 'PUT', headers: {
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0' } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, etag: res.headers.etag, body: Buffer.concat(chunks).toString() }))
    })
    req.on('error', reject)
    body.pipe(req)
  })
}

async function md5Of(body: Readable): Promise<string> {
  const md5 = createHash('md5')
  for await (const chunk of body) md5.update(chunk as Buffer)
  return md5.digest('hex')
}

describe('S3 large uploads', () => {
  it('streams a 64 MiB body (4× the buffering cap) into memory and back out', async () => {
    const s3 = s3Client(memory.current)
    const Bucket = bucketName('large')
    await s3.send(new CreateBucketCommand({ Bucket }))
    const body = generated(64 * MiB)
    const response = await put(memory.current.endpoint, `/${Bucket}/big`, body.stream)
    assert.equal(response.status, 200, response.body)
    assert.equal(response.etag, `"${body.digest()}"`)
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'big' }))
    assert.equal(got.ContentLength, 64 * MiB)
    assert.equal(await md5Of(got.Body as Readable), body.digest())
  })

  it('writes a 128 MiB body to a file under the data directory without holding it in memory', async () => {
    const s3 = s3Client(onDisk.current)
    const Bucket = bucketName('disk')
    await s3.send(new CreateBucketCommand({ Bucket }))
    const before = process.memoryUsage().rss
    const body = generated(128 * MiB)
    const response = await put(onDisk.current.endpoint, `/${Bucket}/big`, body.stream)
    assert.equal(response.status, 200, response.body)
    assert.equal(response.etag, `"${body.digest()}"`)
    // Loose on purpose (GC is lazy): a buffered body alone would add 128 MiB.
    assert.ok(body.stats.peakRss - before < 96 * MiB, `RSS grew ${((body.stats.peakRss - before) / MiB).toFixed(0)} MiB`)
    const files = readdirSync(join(dataDir, 's3')).map((name) => statSync(join(dataDir, 's3', name)).size)
    assert.deepEqual(files, [128 * MiB], 'one file, named by id, holding the body')
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: 'big' }))).ContentLength, 128 * MiB)
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'big', Range: `bytes=${100 * MiB}-${100 * MiB + 9}` }))
    assert.deepEqual([...await got.Body!.transformToByteArray()], Array(10).fill((100 * MiB) / 65536 & 0xff))
  })
})
