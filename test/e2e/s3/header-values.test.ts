// Values S3 answers with as headers: a response-* override or a POST upload field that HTTP can't
// carry (CR/LF, characters past U+00FF) is InvalidArgument up front, and anything that still can't
// be sent gets a complete 500 InternalError from the gateway — never a hung client — with the body
// stream destroyed (its file let go of). The server keeps serving after each.
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest, type RawResponse } from '../../helpers/raw-http.ts'
import { bucketName, s3Client, text } from '../../helpers/s3.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-s3-headers-'))
after(() => rmSync(dataDir, { recursive: true, force: true }))

const logged: string[] = []
const nimbus = useNimbus({ dataDir, log: (line) => logged.push(line) })
const auth = { authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0' }
// A regression hangs the client: fail instead of waiting forever.
const timeout = 10_000

const get = (path: string, method = 'GET'): Promise<RawResponse> =>
  rawRequest(nimbus.current.endpoint, { method, path, headers: auth })

function field(body: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1]
}

async function bucketWith(key: string, body: string): Promise<string> {
  const s3 = s3Client(nimbus.current)
  const Bucket = bucketName('hdr')
  await s3.send(new CreateBucketCommand({ Bucket }))
  await s3.send(new PutObjectCommand({ Bucket, Key: key, Body: body }))
  return Bucket
}

/** Yields to the event loop until `done` holds (stream close events are asynchronous); never sleeps. */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 100_000; attempt++) {
    if (done()) return
    await new Promise((resolve) => setImmediate(resolve))
  }
  throw new Error(`never: ${what}`)
}

const files = () => readdirSync(join(dataDir, 's3')).length

describe('S3 header values', () => {
  it('refuses response-* overrides HTTP cannot carry with InvalidArgument, GET and HEAD alike', { timeout }, async () => {
    const Bucket = await bucketWith('k', 'hello')
    const cases = [
      ['response-content-type', 'a%0D%0AX-Evil:%201', 'Header value contains invalid characters.'],
      ['response-content-disposition', 'attachment%3B%20filename%3D%22%E2%98%83.txt%22', 'Header value cannot be represented using ISO-8859-1.'],
      ['response-cache-control', '%E2%98%83', 'Header value cannot be represented using ISO-8859-1.'],
      ['response-content-language', 'en%00', 'Header value contains invalid characters.'],
      ['response-content-encoding', 'gzip%0A', 'Header value contains invalid characters.'],
    ] as const
    for (const [param, value, message] of cases) {
      const got = await get(`/${Bucket}/k?${param}=${value}`)
      assert.equal(got.status, 400, `${param}: ${got.body}`)
      assert.equal(field(got.body, 'Code'), 'InvalidArgument')
      assert.equal(field(got.body, 'Message'), message)
      assert.equal(field(got.body, 'ArgumentName'), param)
      assert.equal(got.headers['x-evil'], undefined)
      const head = await get(`/${Bucket}/k?${param}=${value}`, 'HEAD')
      assert.equal(head.status, 400, `${param} (HEAD)`)
    }
    // Latin-1 and plain ASCII overrides still apply.
    const ok = await get(`/${Bucket}/k?response-content-type=text%2Fplain&response-content-disposition=attachment%3B%20filename%3D%22caf%C3%A9%22`)
    assert.equal(ok.status, 200)
    assert.equal(ok.headers['content-type'], 'text/plain')
    assert.equal(ok.headers['content-disposition'], 'attachment; filename="café"')
    assert.equal(ok.body, 'hello')
  })

  it('refuses POST upload fields that would become invalid headers; nothing is stored and reads keep working', { timeout }, async () => {
    const Bucket = await bucketWith('keep', 'kept')
    const post = (fields: Record<string, string>) => {
      const form = new FormData()
      // An unsigned POST needs a policy (as on AWS): this one allows every field.
      const conditions = Object.keys(fields).map((k) => ['starts-with', `$${k}`, ''])
      form.append('policy', Buffer.from(JSON.stringify({ expiration: new Date(nimbus.current.clock.now() + 60_000).toISOString(), conditions }))
        .toString('base64'))
      for (const [k, v] of Object.entries(fields)) form.append(k, v)
      form.append('file', new Blob(['x']), 'x.txt')
      return fetch(`${nimbus.current.endpoint}/${Bucket}`, { method: 'POST', body: form })
    }
    const cases: [Record<string, string>, string, string][] = [
      [{ 'Content-Type': 'text/plain\r\nX-Evil: 1' }, 'content-type', 'Header value contains invalid characters.'],
      [{ 'Cache-Control': 'max-age=1\n' }, 'cache-control', 'Header value contains invalid characters.'],
      [{ 'Content-Disposition': 'attachment; filename="☃"' }, 'content-disposition', 'Header value cannot be represented using ISO-8859-1.'],
      [{ 'x-amz-meta-note': 'a\r\nb' }, 'x-amz-meta-note', 'Header value contains invalid characters.'],
      [{ 'x-amz-meta-bad name': 'v' }, 'x-amz-meta-bad name', 'Header name contains invalid characters.'],
    ]
    for (const [fields, name, message] of cases) {
      const response = await post({ key: 'posted', ...fields })
      const body = await response.text()
      assert.equal(response.status, 400, `${name}: ${body}`)
      assert.equal(field(body, 'Code'), 'InvalidArgument')
      assert.equal(field(body, 'Message'), message)
      assert.equal(field(body, 'ArgumentName'), name)
      const missing = await get(`/${Bucket}/posted`)
      assert.equal(missing.status, 404, `${name}: nothing stored`)
    }
    // A Latin-1 value is a valid header value: stored, and read back.
    const fine = await post({ key: 'posted', 'Content-Type': 'text/plain', 'x-amz-meta-note': 'plain' })
    assert.equal(fine.status, 204)
    const read = await get(`/${Bucket}/posted`)
    assert.deepEqual([read.status, read.headers['x-amz-meta-note'], read.body], [200, 'plain', 'x'])
    // Non-ASCII metadata is kept and answered RFC 2047-encoded, as AWS does.
    assert.equal((await post({ key: 'snowman', 'x-amz-meta-note': 'a ☃' })).status, 204)
    assert.equal((await get(`/${Bucket}/snowman`)).headers['x-amz-meta-note'], `=?UTF-8?B?${Buffer.from('a ☃').toString('base64')}?=`)
    assert.equal(await text((await s3Client(nimbus.current).send(new GetObjectCommand({ Bucket, Key: 'keep' }))).Body), 'kept')
  })

  it('answers a complete 500 InternalError when a stored value still cannot be sent, and lets go of the body', { timeout }, async () => {
    const Bucket = await bucketWith('keep', 'kept')
    // The internal port (Firehose, Lambda) doesn't go through the HTTP checks: the gateway is the last guard.
    await nimbus.current.services.s3.putObject(Bucket, 'snow', Buffer.from('snow body'), { contentType: 'text/☃' })
    const before = files()
    logged.length = 0
    const got = await get(`/${Bucket}/snow`)
    assert.equal(got.status, 500)
    assert.equal(field(got.body, 'Code'), 'InternalError')
    assert.equal(got.headers['content-length'], String(Buffer.byteLength(got.body)))
    assert.equal(got.headers['content-type'], 'application/xml')
    assert.ok(logged.some((line) => line.includes('invalid response header')), logged.join('\n'))
    const head = await get(`/${Bucket}/snow`, 'HEAD')
    assert.deepEqual([head.status, head.body], [500, ''])
    // The GET's body stream was destroyed: once the object is overwritten, its file goes.
    await s3Client(nimbus.current).send(new PutObjectCommand({ Bucket, Key: 'snow', Body: 'rain' }))
    await until(() => files() === before, 'the replaced body\'s file removed')
    const after = await get(`/${Bucket}/snow`)
    assert.deepEqual([after.status, after.body], [200, 'rain'])
    assert.equal(await text((await s3Client(nimbus.current).send(new GetObjectCommand({ Bucket, Key: 'keep' }))).Body), 'kept')
  })
})
