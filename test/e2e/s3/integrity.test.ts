// Integrity: Content-MD5, the flexible checksums SDKs send (headers and aws-chunked trailers),
// checksums returned with ChecksumMode, and failed uploads leaving the previous object intact.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { before, describe, it } from 'node:test'
import { crc32 } from 'node:zlib'
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest } from '../../helpers/raw-http.ts'
import { bucketName, s3Client, text } from '../../helpers/s3.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const Bucket = bucketName('integrity')
const auth = 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0'

function crc32Base64(data: string): string {
  const out = Buffer.alloc(4)
  out.writeUInt32BE(crc32(Buffer.from(data)))
  return out.toString('base64')
}

/** An aws-chunked body: chunks, the final zero chunk, trailers. */
function chunked(chunks: string[], trailers: Record<string, string>, signed = false): string {
  const sig = signed ? ';chunk-signature=' + '0'.repeat(64) : ''
  const body = chunks.map((c) => `${Buffer.byteLength(c).toString(16)}${sig}\r\n${c}\r\n`).join('')
  const trailer = Object.entries(trailers).map(([k, v]) => `${k}:${v}\r\n`).join('')
  return `${body}0${sig}\r\n${trailer}\r\n`
}

async function putRaw(key: string, body: string, headers: Record<string, string>) {
  return rawRequest(nimbus.current.endpoint, { method: 'PUT', path: `/${Bucket}/${key}`, body,
    headers: { authorization: auth, 'content-length': String(Buffer.byteLength(body)), ...headers } })
}

describe('S3 integrity', () => {
  before(async () => {
    await s3Client(nimbus.current).send(new CreateBucketCommand({ Bucket }))
  })

  it('checks Content-MD5: BadDigest for a wrong one, InvalidDigest for one that is not an MD5', async () => {
    const s3 = s3Client(nimbus.current)
    const md5 = createHash('md5').update('right').digest('base64')
    await s3.send(new PutObjectCommand({ Bucket, Key: 'md5', Body: 'right', ContentMD5: md5 }))
    const bad = await sdkError(s3.send(new PutObjectCommand({ Bucket, Key: 'md5', Body: 'wrong', ContentMD5: md5 })))
    assert.deepEqual([bad.name, bad.status], ['BadDigest', 400])
    const invalid = await sdkError(s3.send(new PutObjectCommand({ Bucket, Key: 'md5', Body: 'x', ContentMD5: 'not-md5' })))
    assert.equal(invalid.name, 'InvalidDigest')
    assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket, Key: 'md5' }))).Body), 'right')
  })

  it('stores every flexible checksum the SDK sends and returns it with ChecksumMode ENABLED', async () => {
    const s3 = s3Client(nimbus.current)
    for (const algorithm of ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const) {
      const Key = `sum-${algorithm}`
      const put = await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'checksum me', ChecksumAlgorithm: algorithm }))
      const sent = put[`Checksum${algorithm}`]
      assert.ok(sent, `${algorithm} echoed`)
      const head = await s3.send(new HeadObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }))
      assert.equal(head[`Checksum${algorithm}`], sent, algorithm)
      assert.equal(head.ChecksumType, 'FULL_OBJECT')
      // The SDK validates the body against the returned checksum as it reads it.
      assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }))).Body), 'checksum me')
    }
    const known = await s3.send(new HeadObjectCommand({ Bucket, Key: 'sum-SHA256', ChecksumMode: 'ENABLED' }))
    assert.equal(known.ChecksumSHA256, createHash('sha256').update('checksum me').digest('base64'))
  })

  it('decodes the SDK\'s aws-chunked stream uploads with a trailing checksum', async () => {
    const s3 = s3Client(nimbus.current)
    const parts = ['first chunk ', 'second chunk ', 'third']
    await s3.send(new PutObjectCommand({ Bucket, Key: 'streamed', Body: Readable.from(parts.map((p) => Buffer.from(p))),
      ContentLength: parts.join('').length }))
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'streamed', ChecksumMode: 'ENABLED' }))
    assert.equal(await text(got.Body), parts.join(''))
    assert.equal(got.ChecksumCRC32, crc32Base64(parts.join('')))
  })

  it('decodes raw unsigned-trailer and signed chunked bodies', async () => {
    const unsigned = await putRaw('raw-unsigned', chunked(['hello ', 'world'], { 'x-amz-checksum-crc32': crc32Base64('hello world') }), {
      'content-encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'x-amz-decoded-content-length': '11', 'x-amz-trailer': 'x-amz-checksum-crc32',
    })
    assert.equal(unsigned.status, 200, unsigned.body)
    assert.equal(unsigned.headers['etag'], `"${createHash('md5').update('hello world').digest('hex')}"`)
    const signed = await putRaw('raw-signed', chunked(['signed ', 'body'], {}, true), {
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'x-amz-decoded-content-length': '11',
    })
    assert.equal(signed.status, 200, signed.body)
    const s3 = s3Client(nimbus.current)
    assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket, Key: 'raw-unsigned' }))).Body), 'hello world')
    assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket, Key: 'raw-signed' }))).Body), 'signed body')
  })

  it('refuses truncated, corrupted or wrongly checksummed chunked bodies and keeps the previous object', async () => {
    const s3 = s3Client(nimbus.current)
    await s3.send(new PutObjectCommand({ Bucket, Key: 'keep', Body: 'original' }))
    const headers = { 'content-encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'x-amz-trailer': 'x-amz-checksum-crc32' }
    const cases: Array<[string, string, Record<string, string>, string]> = [
      ['truncated', '5\r\nhello\r\n', { ...headers, 'x-amz-decoded-content-length': '5' }, 'IncompleteBody'],
      ['short of the declared length', chunked(['hel'], { 'x-amz-checksum-crc32': crc32Base64('hel') }),
        { ...headers, 'x-amz-decoded-content-length': '5' }, 'IncompleteBody'],
      ['a bad chunk size', 'zz\r\nhello\r\n0\r\n\r\n', headers, 'InvalidRequest'],
      ['a chunk longer than its size', '2\r\nhello\r\n0\r\n\r\n', headers, 'InvalidRequest'],
      ['a wrong trailing checksum', chunked(['hello'], { 'x-amz-checksum-crc32': crc32Base64('other') }), headers, 'BadDigest'],
      ['a wrong checksum header', 'hello', { 'x-amz-checksum-sha256': createHash('sha256').update('x').digest('base64') }, 'BadDigest'],
      ['a checksum header of the wrong size', 'hello', { 'x-amz-checksum-crc32': 'AAAA' }, 'InvalidRequest'],
    ]
    for (const [name, body, extra, code] of cases) {
      const response = await putRaw('keep', body, extra)
      assert.equal(response.status, 400, `${name}: ${response.body}`)
      assert.match(response.body, new RegExp(`<Code>${code}</Code>`), name)
    }
    assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket, Key: 'keep' }))).Body), 'original')
  })
})
