// Conditional requests where S3 differs from a naive reading of HTTP: what a 304 carries, a future
// If-Modified-Since, and the conditional writes S3 answers 501 NotImplemented.
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3'
import { useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest, signedBy } from '../../helpers/raw-http.ts'
import { bucketName, s3Client, text } from '../../helpers/s3.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const Bucket = bucketName('cond')

describe('S3 conditional requests', () => {
  before(async () => {
    await s3Client(nimbus.current).send(new CreateBucketCommand({ Bucket }))
  })

  it('answers 304 with the object\'s ETag and Last-Modified, and no body (raw HTTP: the SDK hides a 304\'s headers)', async () => {
    const s3 = s3Client(nimbus.current)
    const { ETag } = await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'hello' }))
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'k' }))
    for (const method of ['GET', 'HEAD']) {
      const res = await rawRequest(nimbus.current.endpoint, { method, path: `/${Bucket}/k`, headers: { ...signedBy('s3'), 'if-none-match': ETag! } })
      assert.equal(res.status, 304)
      assert.equal(res.headers.etag, ETag)
      assert.equal(res.headers['last-modified'], head.LastModified!.toUTCString())
      assert.equal(res.body, '')
    }
  })

  it('ignores an If-Modified-Since in the future (200)', async () => {
    const s3 = s3Client(nimbus.current)
    await s3.send(new PutObjectCommand({ Bucket, Key: 'f', Body: 'body' }))
    const future = new Date(nimbus.current.clock.now() + 86_400_000)
    assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket, Key: 'f', IfModifiedSince: future }))).Body), 'body')
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: 'f', IfModifiedSince: future }))).$metadata.httpStatusCode, 200)
  })

  it('answers 501 NotImplemented to conditional writes S3 doesn\'t do', async () => {
    const s3 = s3Client(nimbus.current)
    const { ETag } = await s3.send(new PutObjectCommand({ Bucket, Key: 'w', Body: 'v1' }))
    const byEtag = await sdkError(s3.send(new PutObjectCommand({ Bucket, Key: 'w', Body: 'v2', IfNoneMatch: ETag })))
    assert.deepEqual([byEtag.name, byEtag.status, byEtag.message],
      ['NotImplemented', 501, 'A header you provided implies functionality that is not implemented'])
    const matchAny = await sdkError(s3.send(new PutObjectCommand({ Bucket, Key: 'w', Body: 'v2', IfMatch: '*' })))
    assert.deepEqual([matchAny.name, matchAny.status], ['NotImplemented', 501])
    const mpu = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'w' }))
    const part = await s3.send(new UploadPartCommand({ Bucket, Key: 'w', UploadId: mpu.UploadId, PartNumber: 1, Body: 'p' }))
    const complete = await sdkError(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'w', UploadId: mpu.UploadId, IfNoneMatch: ETag,
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } })))
    assert.equal(complete.status, 501)
    // The ones S3 does still work.
    assert.ok((await s3.send(new PutObjectCommand({ Bucket, Key: 'w', Body: 'v2', IfMatch: ETag }))).ETag)
    assert.equal((await sdkError(s3.send(new PutObjectCommand({ Bucket, Key: 'w', Body: 'v3', IfNoneMatch: '*' })))).status, 412)
  })
})
