// Server-side encryption state: what writes and reads answer for SSE-S3, SSE-KMS, SSE-C and a
// bucket's default encryption, and the 400s/403s S3 gives bad or missing SSE headers.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { before, describe, it } from 'node:test'
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand, GetObjectCommand, HeadObjectCommand,
  PutBucketEncryptionCommand, PutObjectCommand, UploadPartCommand,
} from '@aws-sdk/client-s3'
import { useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest, signedBy } from '../../helpers/raw-http.ts'
import { bucketName, s3Client, text } from '../../helpers/s3.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const Bucket = bucketName('sse')
const key1 = Buffer.alloc(32, 1)
const key2 = Buffer.alloc(32, 2)
const md5 = (b: Buffer) => createHash('md5').update(b).digest('base64')
/** The SDK takes the raw key and sends it base64 with its MD5. */
const ssec = (key: Buffer) => ({ SSECustomerAlgorithm: 'AES256', SSECustomerKey: key.toString('base64'), SSECustomerKeyMD5: md5(key) })

describe('S3 server-side encryption', () => {
  before(async () => {
    await s3Client(nimbus.current).send(new CreateBucketCommand({ Bucket }))
  })

  it('answers AES256 on writes and reads of SSE-S3 objects', async () => {
    const s3 = s3Client(nimbus.current)
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 's3', Body: 'x' }))
    assert.equal(put.ServerSideEncryption, 'AES256')
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: 's3' }))).ServerSideEncryption, 'AES256')
    assert.equal((await s3.send(new GetObjectCommand({ Bucket, Key: 's3' }))).ServerSideEncryption, 'AES256')
  })

  it('answers aws:kms and the key ARN for SSE-KMS, on every write and read', async () => {
    const s3 = s3Client(nimbus.current)
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'kms', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'my-key-id' }))
    assert.equal(put.ServerSideEncryption, 'aws:kms')
    assert.match(put.SSEKMSKeyId!, /^arn:aws:kms:us-east-1:\d{12}:key\/my-key-id$/)
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'kms' }))
    assert.equal(head.ServerSideEncryption, 'aws:kms')
    assert.equal(head.SSEKMSKeyId, put.SSEKMSKeyId)
    // Without a key id: the account's AWS managed key.
    const managed = await s3.send(new PutObjectCommand({ Bucket, Key: 'kms2', Body: 'x', ServerSideEncryption: 'aws:kms' }))
    assert.match(managed.SSEKMSKeyId!, /^arn:aws:kms:us-east-1:\d{12}:key\/[0-9a-f-]{36}$/)
    const copy = await s3.send(new CopyObjectCommand({ Bucket, Key: 'kms3', CopySource: `${Bucket}/s3`, ServerSideEncryption: 'aws:kms' }))
    assert.equal(copy.ServerSideEncryption, 'aws:kms')
    const mpu = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'kms4', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'k' }))
    assert.equal(mpu.ServerSideEncryption, 'aws:kms')
    const part = await s3.send(new UploadPartCommand({ Bucket, Key: 'kms4', UploadId: mpu.UploadId, PartNumber: 1, Body: 'p' }))
    assert.equal(part.ServerSideEncryption, 'aws:kms')
    assert.equal(part.SSEKMSKeyId, mpu.SSEKMSKeyId)
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'kms4', UploadId: mpu.UploadId,
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }))
    assert.equal(done.ServerSideEncryption, 'aws:kms')
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: 'kms4' }))).SSEKMSKeyId, mpu.SSEKMSKeyId)
  })

  it('applies the bucket default encryption, a KMS key included, to new objects', async () => {
    const s3 = s3Client(nimbus.current)
    const b = bucketName('sse-default')
    await s3.send(new CreateBucketCommand({ Bucket: b }))
    await s3.send(new PutBucketEncryptionCommand({ Bucket: b, ServerSideEncryptionConfiguration: { Rules: [{
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'arn:aws:kms:us-east-1:000000000000:key/def' },
      BucketKeyEnabled: true }] } }))
    const put = await s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'x' }))
    assert.equal(put.ServerSideEncryption, 'aws:kms')
    assert.equal(put.SSEKMSKeyId, 'arn:aws:kms:us-east-1:000000000000:key/def')
    assert.equal(put.BucketKeyEnabled, true)
    // An explicit method wins over the default.
    assert.equal((await s3.send(new PutObjectCommand({ Bucket: b, Key: 'k2', Body: 'x', ServerSideEncryption: 'AES256' }))).ServerSideEncryption,
      'AES256')
    // A copy takes the destination's default, not the source's state.
    const copy = await s3.send(new CopyObjectCommand({ Bucket: b, Key: 'k3', CopySource: `${Bucket}/s3` }))
    assert.equal(copy.ServerSideEncryption, 'aws:kms')
  })

  it('refuses mixed, unknown and misplaced SSE headers with 400s', async () => {
    const s3 = s3Client(nimbus.current)
    const mixed = await sdkError(s3.send(new PutObjectCommand({ Bucket, Key: 'm', Body: 'x', ServerSideEncryption: 'AES256', ...ssec(key1) })))
    assert.deepEqual([mixed.name, mixed.status], ['InvalidArgument', 400])
    assert.match(mixed.message, /Customer provided key is incompatible/)
    const keyOnly = await sdkError(s3.send(new PutObjectCommand({ Bucket, Key: 'm', Body: 'x', SSEKMSKeyId: 'k' })))
    assert.deepEqual([keyOnly.name, keyOnly.status], ['InvalidArgument', 400])
    assert.match(keyOnly.message, /requires HTTP header x-amz-server-side-encryption : aws:kms/)
    const unknown = await sdkError(s3.send(new PutObjectCommand({ Bucket, Key: 'm', Body: 'x',
      ServerSideEncryption: 'rot13' as 'AES256' })))
    assert.deepEqual([unknown.name, unknown.message], ['InvalidArgument', 'The encryption method specified is not supported'])
    const badAlgorithm = await sdkError(s3.send(new PutObjectCommand({ Bucket, Key: 'm', Body: 'x', ...ssec(key1), SSECustomerAlgorithm: 'DES' })))
    assert.deepEqual([badAlgorithm.name, badAlgorithm.status], ['InvalidEncryptionAlgorithmError', 400])
    // GET/HEAD take no x-amz-server-side-encryption (no SDK sends it: raw HTTP).
    await s3.send(new PutObjectCommand({ Bucket, Key: 'plain', Body: 'x' }))
    const get = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: `/${Bucket}/plain`,
      headers: { ...signedBy('s3'), 'x-amz-server-side-encryption': 'AES256' } })
    assert.equal(get.status, 400)
    assert.match(get.body, /<Code>InvalidArgument<\/Code>/)
  })

  it('binds an SSE-C key to the object: reads need it (400 without, 403 with another)', async () => {
    const s3 = s3Client(nimbus.current)
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'c', Body: 'secret', ...ssec(key1) }))
    assert.equal(put.ServerSideEncryption, undefined)
    assert.equal(put.SSECustomerAlgorithm, 'AES256')
    assert.equal(put.SSECustomerKeyMD5, md5(key1))
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'c', ...ssec(key1) }))
    assert.equal(await text(got.Body), 'secret')
    assert.equal(got.SSECustomerKeyMD5, md5(key1))
    assert.equal(got.ServerSideEncryption, undefined)
    const without = await sdkError(s3.send(new GetObjectCommand({ Bucket, Key: 'c' })))
    assert.deepEqual([without.name, without.status], ['InvalidRequest', 400])
    assert.match(without.message, /stored using a form of Server Side Encryption/)
    const wrong = await sdkError(s3.send(new GetObjectCommand({ Bucket, Key: 'c', ...ssec(key2) })))
    assert.deepEqual([wrong.name, wrong.status], ['AccessDenied', 403])
    assert.equal((await sdkError(s3.send(new HeadObjectCommand({ Bucket, Key: 'c' })))).status, 400)
    assert.equal((await sdkError(s3.send(new HeadObjectCommand({ Bucket, Key: 'c', ...ssec(key2) })))).status, 403)
    // A customer key on an object that has none → 400.
    const notApplicable = await sdkError(s3.send(new GetObjectCommand({ Bucket, Key: 'plain', ...ssec(key1) })))
    assert.deepEqual([notApplicable.name, notApplicable.message], ['InvalidRequest', 'The encryption parameters are not applicable to this object.'])
    // A copy reads the source with its key, and may re-encrypt with another.
    const noSourceKey = await sdkError(s3.send(new CopyObjectCommand({ Bucket, Key: 'c2', CopySource: `${Bucket}/c` })))
    assert.equal(noSourceKey.status, 400)
    const copy = await s3.send(new CopyObjectCommand({ Bucket, Key: 'c2', CopySource: `${Bucket}/c`, CopySourceSSECustomerAlgorithm: 'AES256',
      CopySourceSSECustomerKey: key1.toString('base64'), CopySourceSSECustomerKeyMD5: md5(key1), ...ssec(key2) }))
    assert.equal(copy.SSECustomerKeyMD5, md5(key2))
    assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket, Key: 'c2', ...ssec(key2) }))).Body), 'secret')
  })

  it('refuses a bad SSE-C key or MD5 with 400 (raw HTTP: the SDK computes the MD5 itself)', async () => {
    const put = (headers: Record<string, string>) => rawRequest(nimbus.current.endpoint, { method: 'PUT', path: `/${Bucket}/raw`,
      headers: { ...signedBy('s3'), 'x-amz-server-side-encryption-customer-algorithm': 'AES256', ...headers }, body: 'x' })
    const short = await put({ 'x-amz-server-side-encryption-customer-key': Buffer.alloc(16).toString('base64'),
      'x-amz-server-side-encryption-customer-key-md5': md5(Buffer.alloc(16)) })
    assert.equal(short.status, 400)
    assert.match(short.body, /The secret key was invalid for the specified algorithm\./)
    const badMd5 = await put({ 'x-amz-server-side-encryption-customer-key': key1.toString('base64'),
      'x-amz-server-side-encryption-customer-key-md5': md5(key2) })
    assert.equal(badMd5.status, 400)
    assert.match(badMd5.body, /The calculated MD5 hash of the key did not match the hash that was provided\./)
    const noKey = await put({})
    assert.equal(noKey.status, 400)
    assert.match(noKey.body, /must provide an appropriate secret key/)
  })

  it('requires every part of an SSE-C upload to carry the upload\'s key', async () => {
    const s3 = s3Client(nimbus.current)
    const mpu = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'cm', ...ssec(key1) }))
    assert.equal(mpu.SSECustomerKeyMD5, md5(key1))
    const UploadId = mpu.UploadId
    assert.equal((await sdkError(s3.send(new UploadPartCommand({ Bucket, Key: 'cm', UploadId, PartNumber: 1, Body: 'p' })))).status, 400)
    assert.equal((await sdkError(s3.send(new UploadPartCommand({ Bucket, Key: 'cm', UploadId, PartNumber: 1, Body: 'p', ...ssec(key2) })))).status,
      400)
    const part = await s3.send(new UploadPartCommand({ Bucket, Key: 'cm', UploadId, PartNumber: 1, Body: 'p', ...ssec(key1) }))
    assert.equal(part.SSECustomerKeyMD5, md5(key1))
    await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'cm', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }))
    assert.equal((await sdkError(s3.send(new HeadObjectCommand({ Bucket, Key: 'cm' })))).status, 400)
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: 'cm', ...ssec(key1) }))).SSECustomerAlgorithm, 'AES256')
  })
})
