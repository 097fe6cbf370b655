// Objects: metadata and content headers, ranges, conditional reads, response overrides, copies,
// tags, batch deletes, and keys of every kind.
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import {
  CopyObjectCommand, CreateBucketCommand, DeleteObjectCommand, DeleteObjectsCommand, DeleteObjectTaggingCommand, GetObjectCommand,
  GetObjectTaggingCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, PutObjectTaggingCommand,
} from '@aws-sdk/client-s3'
import { useNimbus } from '../../helpers/nimbus.ts'
import { bucketName, s3Client, text } from '../../helpers/s3.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const Bucket = bucketName('objects')

describe('S3 objects', () => {
  before(async () => {
    await s3Client(nimbus.current).send(new CreateBucketCommand({ Bucket }))
  })

  it('keeps user metadata, content headers, storage class and tags', async () => {
    const s3 = s3Client(nimbus.current)
    await s3.send(new PutObjectCommand({
      Bucket, Key: 'doc.html', Body: '<p>hi</p>', ContentType: 'text/html', ContentEncoding: 'identity', ContentDisposition: 'inline',
      ContentLanguage: 'en', CacheControl: 'max-age=60', Expires: new Date('2030-01-01T00:00:00Z'), Metadata: { Owner: 'me', 'x-y': 'z' },
      StorageClass: 'STANDARD_IA', Tagging: 'a=1&b=two%20words', ACL: 'bucket-owner-full-control',
    }))
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'doc.html' }))
    assert.equal(head.ContentType, 'text/html')
    assert.equal(head.ContentEncoding, 'identity')
    assert.equal(head.ContentDisposition, 'inline')
    assert.equal(head.ContentLanguage, 'en')
    assert.equal(head.CacheControl, 'max-age=60')
    assert.equal(head.ExpiresString, 'Tue, 01 Jan 2030 00:00:00 GMT')
    assert.deepEqual(head.Metadata, { owner: 'me', 'x-y': 'z' })
    assert.equal(head.StorageClass, 'STANDARD_IA')
    assert.equal(head.ContentLength, 9)
    assert.ok(head.LastModified instanceof Date)
    const tags = await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'doc.html' }))
    assert.deepEqual(tags.TagSet, [{ Key: 'a', Value: '1' }, { Key: 'b', Value: 'two words' }])
    await s3.send(new PutObjectTaggingCommand({ Bucket, Key: 'doc.html', Tagging: { TagSet: [{ Key: 'c', Value: '3' }] } }))
    assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'doc.html' }))).TagSet, [{ Key: 'c', Value: '3' }])
    assert.equal((await s3.send(new GetObjectCommand({ Bucket, Key: 'doc.html' }))).TagCount, 1)
    await s3.send(new DeleteObjectTaggingCommand({ Bucket, Key: 'doc.html' }))
    assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'doc.html' }))).TagSet, [])
  })

  it('serves ranges, suffix ranges, and InvalidRange 416 past the end', async () => {
    const s3 = s3Client(nimbus.current)
    await s3.send(new PutObjectCommand({ Bucket, Key: 'digits', Body: '0123456789' }))
    const part = await s3.send(new GetObjectCommand({ Bucket, Key: 'digits', Range: 'bytes=2-5' }))
    assert.equal(await text(part.Body), '2345')
    assert.equal(part.ContentRange, 'bytes 2-5/10')
    assert.equal(part.ContentLength, 4)
    assert.equal(part.$metadata.httpStatusCode, 206)
    assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket, Key: 'digits', Range: 'bytes=-3' }))).Body), '789')
    assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket, Key: 'digits', Range: 'bytes=7-' }))).Body), '789')
    assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket, Key: 'digits', Range: 'bytes=8-100' }))).Body), '89')
    assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket, Key: 'digits', Range: 'bytes=-50' }))).Body), '0123456789')
    const invalid = await sdkError(s3.send(new GetObjectCommand({ Bucket, Key: 'digits', Range: 'bytes=10-' })))
    assert.deepEqual([invalid.name, invalid.status], ['InvalidRange', 416])
  })

  it('answers conditional reads with 304 and 412', async () => {
    const s3 = s3Client(nimbus.current)
    const { ETag } = await s3.send(new PutObjectCommand({ Bucket, Key: 'cond', Body: 'v1' }))
    const ok = await s3.send(new GetObjectCommand({ Bucket, Key: 'cond', IfMatch: ETag }))
    assert.equal(await text(ok.Body), 'v1')
    const failed = await sdkError(s3.send(new GetObjectCommand({ Bucket, Key: 'cond', IfMatch: '"nope"' })))
    assert.deepEqual([failed.name, failed.status], ['PreconditionFailed', 412])
    const notModified = await sdkError(s3.send(new GetObjectCommand({ Bucket, Key: 'cond', IfNoneMatch: ETag })))
    assert.equal(notModified.status, 304)
    // Not modified since its own write (a date in the future would be ignored: conditional.test.ts).
    const since = new Date(nimbus.current.clock.now())
    assert.equal((await sdkError(s3.send(new HeadObjectCommand({ Bucket, Key: 'cond', IfModifiedSince: since })))).status, 304)
    const earlier = new Date(nimbus.current.clock.now() - 60_000)
    assert.equal((await sdkError(s3.send(new GetObjectCommand({ Bucket, Key: 'cond', IfUnmodifiedSince: earlier })))).status, 412)
    const conditionalPut = await sdkError(s3.send(new PutObjectCommand({ Bucket, Key: 'cond', Body: 'v2', IfNoneMatch: '*' })))
    assert.equal(conditionalPut.status, 412)
  })

  it('overrides response headers with response-* parameters', async () => {
    const s3 = s3Client(nimbus.current)
    await s3.send(new PutObjectCommand({ Bucket, Key: 'over', Body: 'x', ContentType: 'text/plain' }))
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'over', ResponseContentType: 'application/json',
      ResponseContentDisposition: 'attachment; filename="x.json"', ResponseCacheControl: 'no-cache' }))
    assert.equal(got.ContentType, 'application/json')
    assert.equal(got.ContentDisposition, 'attachment; filename="x.json"')
    assert.equal(got.CacheControl, 'no-cache')
  })

  it('copies with the metadata directive, an encoded source key, and copy conditions', async () => {
    const s3 = s3Client(nimbus.current)
    const key = 'src dir/ünïcode+file?.txt'
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: key, Body: 'copy me', ContentType: 'text/plain', Metadata: { a: '1' } }))
    const source = `${Bucket}/${encodeURIComponent(key)}`
    const copied = await s3.send(new CopyObjectCommand({ Bucket, Key: 'copy-1', CopySource: source }))
    assert.equal(copied.CopyObjectResult?.ETag, put.ETag)
    const head1 = await s3.send(new HeadObjectCommand({ Bucket, Key: 'copy-1' }))
    assert.deepEqual([head1.ContentType, head1.Metadata], ['text/plain', { a: '1' }])
    await s3.send(new CopyObjectCommand({ Bucket, Key: 'copy-2', CopySource: source, MetadataDirective: 'REPLACE',
      ContentType: 'application/x-new', Metadata: { b: '2' } }))
    const head2 = await s3.send(new HeadObjectCommand({ Bucket, Key: 'copy-2' }))
    assert.deepEqual([head2.ContentType, head2.Metadata], ['application/x-new', { b: '2' }])
    assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket, Key: 'copy-2' }))).Body), 'copy me')
    const failed = await sdkError(s3.send(new CopyObjectCommand({ Bucket, Key: 'copy-3', CopySource: source, CopySourceIfMatch: '"other"' })))
    assert.deepEqual([failed.name, failed.status], ['PreconditionFailed', 412])
    const self = await sdkError(s3.send(new CopyObjectCommand({ Bucket, Key: 'copy-1', CopySource: `${Bucket}/copy-1` })))
    assert.equal(self.name, 'InvalidRequest')
    const missing = await sdkError(s3.send(new CopyObjectCommand({ Bucket, Key: 'copy-4', CopySource: `${Bucket}/nope` })))
    assert.equal(missing.name, 'NoSuchKey')
  })

  it('deletes one object and many, quietly or not; deleting a missing key succeeds', async () => {
    const s3 = s3Client(nimbus.current)
    for (const Key of ['del/1', 'del/2', 'del/3']) await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }))
    assert.equal((await s3.send(new DeleteObjectCommand({ Bucket, Key: 'del/1' }))).$metadata.httpStatusCode, 204)
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'del/never' }))
    const loud = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'del/2' }, { Key: 'del/x' }] } }))
    assert.deepEqual(loud.Deleted?.map((d) => d.Key), ['del/2', 'del/x'])
    const quiet = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'del/3' }], Quiet: true } }))
    assert.equal(quiet.Deleted, undefined)
    const left = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'del/' }))
    assert.equal(left.KeyCount, 0)
  })

  it('stores keys with .., control characters and unicode as themselves', async () => {
    const s3 = s3Client(nimbus.current)
    const keys = ['../../etc/passwd', 'a/../b', 'tab\there', 'bell\u0007', '日本語/ファイル', 'emoji 😀', 'trailing/', '%2F literal', ' spaced ']
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket, Key, Body: `body of ${Key}` }))
    for (const Key of keys) {
      assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket, Key }))).Body), `body of ${Key}`, JSON.stringify(Key))
    }
    const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: '../' }))
    assert.deepEqual(listed.Contents?.map((c) => c.Key), ['../../etc/passwd'])
  })
})
