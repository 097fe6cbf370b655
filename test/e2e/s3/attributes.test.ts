// GetObjectAttributes: ETag, checksum with its type, parts (paginated), storage class and size; the
// SSE-C key rules and delete markers as for HEAD.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { before, describe, it } from 'node:test'
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, GetObjectAttributesCommand, PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3'
import { useNimbus } from '../../helpers/nimbus.ts'
import { bucketName, s3Client } from '../../helpers/s3.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const Bucket = bucketName('attrs')
const all = ['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize'] as const

describe('S3 GetObjectAttributes', () => {
  before(async () => {
    await s3Client(nimbus.current).send(new CreateBucketCommand({ Bucket }))
  })

  it('answers a single-part object\'s ETag (bare), checksum and type, storage class and size', async () => {
    const s3 = s3Client(nimbus.current)
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'one', Body: 'hello', ChecksumAlgorithm: 'SHA256', StorageClass: 'STANDARD_IA' }))
    const attrs = await s3.send(new GetObjectAttributesCommand({ Bucket, Key: 'one', ObjectAttributes: [...all] }))
    assert.equal(attrs.ETag, put.ETag!.replaceAll('"', ''))
    assert.deepEqual(attrs.Checksum, { ChecksumSHA256: put.ChecksumSHA256, ChecksumType: 'FULL_OBJECT' })
    assert.equal(attrs.ObjectParts, undefined)
    assert.equal(attrs.StorageClass, 'STANDARD_IA')
    assert.equal(attrs.ObjectSize, 5)
    assert.ok(attrs.LastModified instanceof Date)
    // Only what was asked for.
    const some = await s3.send(new GetObjectAttributesCommand({ Bucket, Key: 'one', ObjectAttributes: ['ObjectSize'] }))
    assert.deepEqual([some.ObjectSize, some.ETag, some.StorageClass], [5, undefined, undefined])
  })

  it('pages a multipart object\'s parts with their checksums', async () => {
    const s3 = s3Client(nimbus.current)
    const Key = 'multi'
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: 'CRC32' }))
    const bodies = [Buffer.alloc(5 * 1024 * 1024, 'a'), Buffer.alloc(5 * 1024 * 1024, 'b'), Buffer.from('end')]
    const parts = []
    for (const [i, Body] of bodies.entries()) {
      const p = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1, Body, ChecksumAlgorithm: 'CRC32' }))
      parts.push({ PartNumber: i + 1, ETag: p.ETag, ChecksumCRC32: p.ChecksumCRC32 })
    }
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts } }))
    const first = await s3.send(new GetObjectAttributesCommand({ Bucket, Key, ObjectAttributes: ['ObjectParts', 'Checksum'], MaxParts: 2 }))
    assert.deepEqual(first.Checksum, { ChecksumCRC32: done.ChecksumCRC32, ChecksumType: 'COMPOSITE' })
    assert.equal(first.ObjectParts?.TotalPartsCount, 3)
    assert.equal(first.ObjectParts?.IsTruncated, true)
    assert.equal(first.ObjectParts?.NextPartNumberMarker, '2')
    assert.deepEqual(first.ObjectParts?.Parts?.map((p) => [p.PartNumber, p.Size, p.ChecksumCRC32]),
      [[1, bodies[0]!.length, parts[0]!.ChecksumCRC32], [2, bodies[1]!.length, parts[1]!.ChecksumCRC32]])
    const rest = await s3.send(new GetObjectAttributesCommand({ Bucket, Key, ObjectAttributes: ['ObjectParts'], MaxParts: 2,
      PartNumberMarker: first.ObjectParts?.NextPartNumberMarker }))
    assert.equal(rest.ObjectParts?.IsTruncated, false)
    assert.deepEqual(rest.ObjectParts?.Parts?.map((p) => [p.PartNumber, p.Size]), [[3, 3]])
  })

  it('needs an SSE-C object\'s key (400 without, 403 with another); refuses unknown attributes; 404 for a missing key', async () => {
    const s3 = s3Client(nimbus.current)
    const key = Buffer.alloc(32, 9)
    const ssec = { SSECustomerAlgorithm: 'AES256', SSECustomerKey: key.toString('base64'),
      SSECustomerKeyMD5: createHash('md5').update(key).digest('base64') }
    await s3.send(new PutObjectCommand({ Bucket, Key: 'c', Body: 'x', ...ssec }))
    assert.equal((await sdkError(s3.send(new GetObjectAttributesCommand({ Bucket, Key: 'c', ObjectAttributes: ['ETag'] })))).status, 400)
    const other = Buffer.alloc(32, 8)
    assert.equal((await sdkError(s3.send(new GetObjectAttributesCommand({ Bucket, Key: 'c', ObjectAttributes: ['ETag'],
      SSECustomerAlgorithm: 'AES256', SSECustomerKey: other.toString('base64'),
      SSECustomerKeyMD5: createHash('md5').update(other).digest('base64') })))).status, 403)
    assert.equal((await s3.send(new GetObjectAttributesCommand({ Bucket, Key: 'c', ObjectAttributes: ['ObjectSize'], ...ssec }))).ObjectSize, 1)
    const unknown = await sdkError(s3.send(new GetObjectAttributesCommand({ Bucket, Key: 'c', ObjectAttributes: ['Colour' as 'ETag'], ...ssec })))
    assert.deepEqual([unknown.name, unknown.status], ['InvalidArgument', 400])
    assert.equal((await sdkError(s3.send(new GetObjectAttributesCommand({ Bucket, Key: 'none', ObjectAttributes: ['ETag'] })))).name, 'NoSuchKey')
  })
})
