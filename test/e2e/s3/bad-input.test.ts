// A table of bad S3 requests: each gets AWS's code and status, nothing is half-written, and the
// server keeps serving (an object stored before the table is intact after it).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest } from '../../helpers/raw-http.ts'
import { bucketName, s3Client, text } from '../../helpers/s3.ts'

const nimbus = useNimbus()
const Bucket = bucketName('bad')
const auth = { authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0' }

interface Case {
  name: string
  method: string
  path: string
  headers?: Record<string, string>
  body?: string
  status: number
  code?: string
}

const cases: Case[] = [
  { name: 'a missing bucket', method: 'GET', path: `/${bucketName('nobucket')}/k`, status: 404, code: 'NoSuchBucket' },
  { name: 'a missing key', method: 'GET', path: `/${Bucket}/nokey`, status: 404, code: 'NoSuchKey' },
  { name: 'a put to a missing bucket', method: 'PUT', path: `/${bucketName('nobucket')}/k`, body: 'x', status: 404, code: 'NoSuchBucket' },
  { name: 'a range past the end', method: 'GET', path: `/${Bucket}/keep`, headers: { range: 'bytes=100-200' }, status: 416, code: 'InvalidRange' },
  { name: 'a wrong Content-MD5', method: 'PUT', path: `/${Bucket}/keep`, body: 'new', headers: { 'content-md5': '1B2M2Y8AsgTpgAmY7PhCfg==' },
    status: 400, code: 'BadDigest' },
  { name: 'a Content-MD5 that is no MD5', method: 'PUT', path: `/${Bucket}/keep`, body: 'new', headers: { 'content-md5': 'abc' },
    status: 400, code: 'InvalidDigest' },
  { name: 'max-keys that is no number', method: 'GET', path: `/${Bucket}?list-type=2&max-keys=ten`, status: 400, code: 'InvalidArgument' },
  { name: 'a malformed DeleteObjects document', method: 'POST', path: `/${Bucket}?delete`, body: '<Delete><Object>', status: 400,
    code: 'MalformedXML' },
  { name: 'a versioning document with no status', method: 'PUT', path: `/${Bucket}?versioning`,
    body: '<VersioningConfiguration><Status>Maybe</Status></VersioningConfiguration>', status: 400, code: 'MalformedXML' },
  { name: 'an invalid bucket name', method: 'PUT', path: '/Invalid_Bucket', status: 400, code: 'InvalidBucketName' },
  { name: 'an invalid version id', method: 'GET', path: `/${Bucket}/keep?versionId=%00bad`, status: 400, code: 'InvalidArgument' },
  { name: 'a key over 1024 bytes', method: 'PUT', path: `/${Bucket}/${'k'.repeat(1025)}`, body: 'x', status: 400, code: 'KeyTooLongError' },
  { name: 'a bad copy source', method: 'PUT', path: `/${Bucket}/copy`, headers: { 'x-amz-copy-source': 'no-slash' }, status: 400,
    code: 'InvalidArgument' },
  { name: 'an unknown upload', method: 'PUT', path: `/${Bucket}/keep?partNumber=1&uploadId=nope`, body: 'x', status: 404, code: 'NoSuchUpload' },
  { name: 'a method S3 does not have', method: 'PATCH', path: `/${Bucket}/keep`, status: 405, code: 'MethodNotAllowed' },
  { name: 'a response-* override with CR/LF', method: 'GET', path: `/${Bucket}/keep?response-content-type=a%0D%0AX-Evil:%201`, status: 400,
    code: 'InvalidArgument' },
  { name: 'a response-* override past Latin-1', method: 'GET', path: `/${Bucket}/keep?response-content-disposition=%E2%98%83`, status: 400,
    code: 'InvalidArgument' },
  { name: 'headers over Node\'s limit', method: 'GET', path: `/${Bucket}/keep`, headers: { 'x-amz-meta-huge': 'h'.repeat(20_000) }, status: 431 },
]

describe('S3 bad input', () => {
  it('answers each bad request with AWS\'s error and keeps the stored object intact', async () => {
    const s3 = s3Client(nimbus.current)
    await s3.send(new CreateBucketCommand({ Bucket }))
    await s3.send(new PutObjectCommand({ Bucket, Key: 'keep', Body: 'kept' }))
    for (const c of cases) {
      const response = await rawRequest(nimbus.current.endpoint, { method: c.method, path: c.path, body: c.body, headers: { ...auth, ...c.headers } })
      assert.equal(response.status, c.status, `${c.name}: ${response.body.slice(0, 300)}`)
      if (c.code !== undefined) assert.match(response.body, new RegExp(`<Code>${c.code}</Code>`), c.name)
      assert.doesNotMatch(response.body, /at .*\.ts:\d+/, `${c.name}: no stack trace`)
    }
    assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket, Key: 'keep' }))).Body), 'kept')
  })
})
