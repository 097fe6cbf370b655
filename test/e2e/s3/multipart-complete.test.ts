// CompleteMultipartUpload as SDK retries and checksum uploads meet it: a repeated Complete answers
// the same, FULL_OBJECT CRCs are combined from the parts, and bad or missing checksums are 400s.
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import {
  type ChecksumAlgorithm, CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, GetObjectCommand, HeadObjectCommand,
  PutObjectCommand, UploadPartCommand,
} from '@aws-sdk/client-s3'
import { checksumOf } from '../../../src/services/s3/body/checksums.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest, signedBy } from '../../helpers/raw-http.ts'
import { bucketName, s3Client } from '../../helpers/s3.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const Bucket = bucketName('complete')
const first = Buffer.alloc(5 * 1024 * 1024, 'a')
const second = Buffer.from('the tail of the object')

async function uploadTwo(Key: string, ChecksumAlgorithm?: ChecksumAlgorithm, ChecksumType?: 'FULL_OBJECT' | 'COMPOSITE') {
  const s3 = s3Client(nimbus.current)
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm, ChecksumType }))
  const p1 = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: first, ChecksumAlgorithm }))
  const p2 = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 2, Body: second, ChecksumAlgorithm }))
  return { s3, UploadId: UploadId!, p1, p2 }
}

describe('S3 CompleteMultipartUpload', () => {
  before(async () => {
    await s3Client(nimbus.current).send(new CreateBucketCommand({ Bucket }))
  })

  it('is idempotent: a repeated Complete answers 200 with the same ETag and checksum', async () => {
    const { s3, UploadId, p1, p2 } = await uploadTwo('again', 'CRC32')
    const Parts = [{ PartNumber: 1, ETag: p1.ETag, ChecksumCRC32: p1.ChecksumCRC32 }, { PartNumber: 2, ETag: p2.ETag, ChecksumCRC32: p2.ChecksumCRC32 }]
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'again', UploadId, MultipartUpload: { Parts } }))
    const again = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'again', UploadId, MultipartUpload: { Parts } }))
    assert.equal(again.$metadata.httpStatusCode, 200)
    assert.deepEqual([again.ETag, again.ChecksumCRC32, again.ChecksumType], [done.ETag, done.ChecksumCRC32, 'COMPOSITE'])
    // Another upload id is still unknown.
    assert.equal((await sdkError(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'again', UploadId: 'nope',
      MultipartUpload: { Parts } })))).name, 'NoSuchUpload')
  })

  it('refuses a Complete of a checksum upload that leaves out a part\'s checksum', async () => {
    const { s3, UploadId, p1, p2 } = await uploadTwo('missing', 'SHA256')
    const error = await sdkError(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'missing', UploadId, MultipartUpload: { Parts: [
      { PartNumber: 1, ETag: p1.ETag, ChecksumSHA256: p1.ChecksumSHA256 }, { PartNumber: 2, ETag: p2.ETag }] } })))
    assert.deepEqual([error.name, error.status], ['InvalidRequest', 400])
    assert.equal(error.message, 'The upload was created using a sha256 checksum. The complete request must include the checksum for each part. ' +
      'It was missing for part 2 in the request.')
  })

  it('refuses malformed checksum headers with 400', async () => {
    const s3 = s3Client(nimbus.current)
    const put = await rawRequest(nimbus.current.endpoint, { method: 'PUT', path: `/${Bucket}/bad`,
      headers: { ...signedBy('s3'), 'x-amz-checksum-crc32': 'not base64!' }, body: 'x' })
    assert.equal(put.status, 400)
    assert.match(put.body, /Value for x-amz-checksum-crc32 header is invalid\./)
    const { UploadId, p1, p2 } = await uploadTwo('badcomplete', 'CRC32')
    const error = await sdkError(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'badcomplete', UploadId, ChecksumCRC32: '???',
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag, ChecksumCRC32: p1.ChecksumCRC32 },
        { PartNumber: 2, ETag: p2.ETag, ChecksumCRC32: p2.ChecksumCRC32 }] } })))
    assert.deepEqual([error.name, error.status], ['InvalidRequest', 400])
  })

  for (const algorithm of ['CRC32', 'CRC32C', 'CRC64NVME'] as const) {
    it(`combines the parts' ${algorithm}s into the FULL_OBJECT checksum of the whole body`, async () => {
      const key = `full-${algorithm}`
      const { s3, UploadId, p1, p2 } = await uploadTwo(key, algorithm, 'FULL_OBJECT')
      const member = `Checksum${algorithm}` as const
      const expected = checksumOf(algorithm, Buffer.concat([first, second]))
      const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: key, UploadId, ChecksumType: 'FULL_OBJECT',
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag, [member]: p1[member] }, { PartNumber: 2, ETag: p2.ETag, [member]: p2[member] }] } }))
      assert.deepEqual([done[member], done.ChecksumType], [expected, 'FULL_OBJECT'])
      const head = await s3.send(new HeadObjectCommand({ Bucket, Key: key, ChecksumMode: 'ENABLED' }))
      assert.deepEqual([head[member], head.ChecksumType], [expected, 'FULL_OBJECT'])
      // The SDK validates a GET's body against a full-object checksum: it must be exact.
      const got = await s3.send(new GetObjectCommand({ Bucket, Key: key, ChecksumMode: 'ENABLED' }))
      assert.equal((await got.Body!.transformToByteArray()).length, first.length + second.length)
      assert.equal(got.ChecksumType, 'FULL_OBJECT')
    })
  }

  it('refuses FULL_OBJECT with a SHA algorithm, and a checksum type without an algorithm', async () => {
    const s3 = s3Client(nimbus.current)
    const sha = await sdkError(s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'x', ChecksumAlgorithm: 'SHA1', ChecksumType: 'FULL_OBJECT' })))
    assert.deepEqual([sha.name, sha.status], ['InvalidRequest', 400])
    const bare = await sdkError(s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'x', ChecksumType: 'FULL_OBJECT' })))
    assert.deepEqual([bare.name, bare.status], ['InvalidRequest', 400])
  })

  it('gives an object uploaded without a checksum a CRC64NVME (raw HTTP: the SDK always sends one)', async () => {
    const s3 = s3Client(nimbus.current)
    const put = await rawRequest(nimbus.current.endpoint, { method: 'PUT', path: `/${Bucket}/plain`, headers: signedBy('s3'), body: 'plain body' })
    assert.equal(put.status, 200)
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'plain', ChecksumMode: 'ENABLED' }))
    assert.deepEqual([head.ChecksumCRC64NVME, head.ChecksumType], [checksumOf('CRC64NVME', Buffer.from('plain body')), 'FULL_OBJECT'])
    // A multipart upload created without an algorithm: its parts' CRC64NVMEs combined as FULL_OBJECT, i.e. the whole body's.
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'plain-multipart' }))
    const etags: string[] = []
    for (const [n, body] of [[1, first], [2, second]] as const) {
      const part = await rawRequest(nimbus.current.endpoint, { method: 'PUT', path: `/${Bucket}/plain-multipart?partNumber=${n}&uploadId=${UploadId}`,
        headers: signedBy('s3'), body })
      assert.equal(part.status, 200)
      etags.push(part.headers.etag as string)
    }
    await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'plain-multipart', UploadId,
      MultipartUpload: { Parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) } }))
    const whole = await s3.send(new GetObjectCommand({ Bucket, Key: 'plain-multipart', ChecksumMode: 'ENABLED' }))
    assert.deepEqual([whole.ChecksumCRC64NVME, whole.ChecksumType], [checksumOf('CRC64NVME', Buffer.concat([first, second])), 'FULL_OBJECT'])
    assert.equal((await whole.Body!.transformToByteArray()).length, first.length + second.length)
    // An SDK upload keeps the checksum it sent.
    await s3.send(new PutObjectCommand({ Bucket, Key: 'sdk', Body: 'x', ChecksumAlgorithm: 'SHA256' }))
    assert.ok((await s3.send(new HeadObjectCommand({ Bucket, Key: 'sdk', ChecksumMode: 'ENABLED' }))).ChecksumSHA256)
  })
})
