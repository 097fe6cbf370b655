// Multipart uploads: lib-storage's Upload end to end, the part rules (EntityTooSmall, InvalidPart,
// InvalidPartOrder, NoSuchUpload), ListParts, ListMultipartUploads and UploadPartCopy.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { before, describe, it } from 'node:test'
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, GetObjectCommand,
  HeadObjectCommand, ListMultipartUploadsCommand, ListPartsCommand, PutObjectCommand, UploadPartCommand, UploadPartCopyCommand,
} from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import { useNimbus } from '../../helpers/nimbus.ts'
import { bucketName, s3Client } from '../../helpers/s3.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const Bucket = bucketName('multipart')
const MiB = 1024 * 1024

function bytes(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size)
  for (let i = 0; i < size; i += 4096) out.fill((seed + i / 4096) & 0xff, i, Math.min(size, i + 4096))
  return out
}

const md5 = (data: Buffer) => createHash('md5').update(data).digest()

describe('S3 multipart uploads', () => {
  before(async () => {
    await s3Client(nimbus.current).send(new CreateBucketCommand({ Bucket }))
  })

  it('uploads a 12 MiB stream with lib-storage; the ETag is the MD5 of the part MD5s, -3', async () => {
    const s3 = s3Client(nimbus.current)
    const data = bytes(12 * MiB, 7)
    const upload = new Upload({ client: s3, params: { Bucket, Key: 'big.bin', Body: Readable.from([data]), ContentType: 'application/x-big' },
      partSize: 5 * MiB, queueSize: 2 })
    await upload.done()
    const parts = [data.subarray(0, 5 * MiB), data.subarray(5 * MiB, 10 * MiB), data.subarray(10 * MiB)]
    const expected = `"${createHash('md5').update(Buffer.concat(parts.map(md5))).digest('hex')}-3"`
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'big.bin' }))
    assert.equal(head.ETag, expected)
    assert.equal(head.ContentLength, 12 * MiB)
    assert.equal(head.ContentType, 'application/x-big')
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'big.bin' }))
    const body = Buffer.from(await got.Body!.transformToByteArray())
    assert.ok(body.equals(data))
    const second = await s3.send(new GetObjectCommand({ Bucket, Key: 'big.bin', PartNumber: 2 }))
    assert.equal(second.ContentLength, 5 * MiB)
    assert.equal(second.PartsCount, 3)
    const range = await s3.send(new GetObjectCommand({ Bucket, Key: 'big.bin', Range: `bytes=${5 * MiB - 2}-${5 * MiB + 1}` }))
    assert.ok(Buffer.from(await range.Body!.transformToByteArray()).equals(data.subarray(5 * MiB - 2, 5 * MiB + 2)))
  })

  it('enforces the part rules on completion', async () => {
    const s3 = s3Client(nimbus.current)
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'rules' }))
    const small = await s3.send(new UploadPartCommand({ Bucket, Key: 'rules', UploadId, PartNumber: 1, Body: 'tiny' }))
    const last = await s3.send(new UploadPartCommand({ Bucket, Key: 'rules', UploadId, PartNumber: 2, Body: 'last' }))
    const complete = (Parts: { PartNumber: number; ETag?: string }[]) =>
      sdkError(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'rules', UploadId, MultipartUpload: { Parts } })))
    assert.equal((await complete([{ PartNumber: 1, ETag: small.ETag }, { PartNumber: 2, ETag: last.ETag }])).name, 'EntityTooSmall')
    assert.equal((await complete([{ PartNumber: 2, ETag: last.ETag }, { PartNumber: 1, ETag: small.ETag }])).name, 'InvalidPartOrder')
    assert.equal((await complete([{ PartNumber: 1, ETag: '"0123"' }])).name, 'InvalidPart')
    assert.equal((await complete([{ PartNumber: 3, ETag: last.ETag }])).name, 'InvalidPart')
    // A single small part is fine: it is the last one.
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'rules', UploadId,
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: small.ETag }] } }))
    assert.match(done.ETag ?? '', /^"[0-9a-f]{32}-1"$/)
    const gone = await sdkError(s3.send(new UploadPartCommand({ Bucket, Key: 'rules', UploadId, PartNumber: 3, Body: 'x' })))
    assert.deepEqual([gone.name, gone.status], ['NoSuchUpload', 404])
  })

  it('lists parts and uploads, aborts, and copies parts from objects', async () => {
    const s3 = s3Client(nimbus.current)
    const source = bytes(6 * MiB, 3)
    await s3.send(new PutObjectCommand({ Bucket, Key: 'copy-source', Body: source }))
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'assembled' }))
    const other = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'abandoned' }))
    const copied = await s3.send(new UploadPartCopyCommand({ Bucket, Key: 'assembled', UploadId, PartNumber: 1,
      CopySource: `${Bucket}/copy-source`, CopySourceRange: `bytes=0-${5 * MiB - 1}` }))
    assert.equal(copied.CopyPartResult?.ETag, `"${md5(source.subarray(0, 5 * MiB)).toString('hex')}"`)
    const tail = await s3.send(new UploadPartCommand({ Bucket, Key: 'assembled', UploadId, PartNumber: 2, Body: 'tail' }))
    const parts = await s3.send(new ListPartsCommand({ Bucket, Key: 'assembled', UploadId }))
    assert.deepEqual(parts.Parts?.map((p) => [p.PartNumber, p.Size]), [[1, 5 * MiB], [2, 4]])
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket }))
    assert.deepEqual(uploads.Uploads?.map((u) => u.Key).sort(), ['abandoned', 'assembled'])
    await s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'abandoned', UploadId: other.UploadId }))
    const aborted = await sdkError(s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'abandoned', UploadId: other.UploadId })))
    assert.equal(aborted.name, 'NoSuchUpload')
    await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'assembled', UploadId,
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: copied.CopyPartResult?.ETag }, { PartNumber: 2, ETag: tail.ETag }] } }))
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'assembled' }))
    const body = Buffer.from(await got.Body!.transformToByteArray())
    assert.ok(body.equals(Buffer.concat([source.subarray(0, 5 * MiB), Buffer.from('tail')])))
    assert.deepEqual((await s3.send(new ListMultipartUploadsCommand({ Bucket }))).Uploads ?? [], [])
  })
})
