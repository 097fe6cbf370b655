// Object Lock: a bucket made with it (versioning on, for good), default retention, per-version
// retention and legal hold on Nimbus's manual clock, governance bypass, and what S3 refuses.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteObjectCommand, DeleteObjectsCommand, GetBucketVersioningCommand, GetObjectLegalHoldCommand,
  GetObjectLockConfigurationCommand, GetObjectRetentionCommand, HeadObjectCommand, PutBucketVersioningCommand, PutObjectCommand,
  PutObjectLegalHoldCommand, PutObjectLockConfigurationCommand, PutObjectRetentionCommand, UploadPartCommand,
} from '@aws-sdk/client-s3'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest, signedBy } from '../../helpers/raw-http.ts'
import { bucketName, s3Client } from '../../helpers/s3.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const day = 86_400_000

async function lockedBucket(): Promise<string> {
  const Bucket = bucketName('lock')
  await s3Client(nimbus.current).send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }))
  return Bucket
}

describe('S3 Object Lock', () => {
  it('turns versioning on with the bucket, and keeps it from being suspended', async () => {
    const s3 = s3Client(nimbus.current)
    const Bucket = await lockedBucket()
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status, 'Enabled')
    assert.deepEqual((await s3.send(new GetObjectLockConfigurationCommand({ Bucket }))).ObjectLockConfiguration, { ObjectLockEnabled: 'Enabled' })
    const suspend = await sdkError(s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } })))
    assert.deepEqual([suspend.name, suspend.status], ['InvalidBucketState', 409])
    // A bucket without Object Lock: no configuration, and one can be added only once versioning is on.
    const plain = bucketName('nolock')
    await s3.send(new CreateBucketCommand({ Bucket: plain }))
    assert.equal((await sdkError(s3.send(new GetObjectLockConfigurationCommand({ Bucket: plain })))).name, 'ObjectLockConfigurationNotFoundError')
    const config = { ObjectLockEnabled: 'Enabled' as const, Rule: { DefaultRetention: { Mode: 'GOVERNANCE' as const, Days: 1 } } }
    const unversioned = await sdkError(s3.send(new PutObjectLockConfigurationCommand({ Bucket: plain, ObjectLockConfiguration: config })))
    assert.deepEqual([unversioned.name, unversioned.status], ['InvalidBucketState', 409])
    const noLock = await sdkError(s3.send(new PutObjectCommand({ Bucket: plain, Key: 'k', Body: 'x', ObjectLockLegalHoldStatus: 'ON' })))
    assert.deepEqual([noLock.name, noLock.message], ['InvalidRequest', 'Bucket is missing Object Lock Configuration'])
    const bad = await sdkError(s3.send(new PutObjectLockConfigurationCommand({ Bucket, ObjectLockConfiguration: {
      ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1, Years: 1 } } } })))
    assert.equal(bad.name, 'MalformedXML')
  })

  it('holds a COMPLIANCE version until its date on the clock; a delete marker is always allowed', async () => {
    const s3 = s3Client(nimbus.current)
    const Bucket = await lockedBucket()
    const until = new Date(nimbus.current.clock.now() + 2 * day)
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'c', Body: 'x', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: until }))
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'c' }))
    assert.deepEqual([head.ObjectLockMode, head.ObjectLockRetainUntilDate?.getTime()], ['COMPLIANCE', until.getTime()])
    const refused = await sdkError(s3.send(new DeleteObjectCommand({ Bucket, Key: 'c', VersionId: put.VersionId, BypassGovernanceRetention: true })))
    assert.deepEqual([refused.name, refused.status], ['AccessDenied', 403])
    // Shortening or weakening a COMPLIANCE retention is refused too.
    const shorter = await sdkError(s3.send(new PutObjectRetentionCommand({ Bucket, Key: 'c', VersionId: put.VersionId,
      Retention: { Mode: 'COMPLIANCE', RetainUntilDate: new Date(nimbus.current.clock.now() + day) } })))
    assert.equal(shorter.status, 403)
    const marker = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'c' }))
    assert.equal(marker.DeleteMarker, true)
    const batch = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'c', VersionId: put.VersionId }] } }))
    assert.deepEqual(batch.Errors?.map((e) => e.Code), ['AccessDenied'])
    await advance(nimbus.current, 2 * day + 1000)
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'c', VersionId: put.VersionId }))
  })

  it('lets GOVERNANCE be bypassed, applies the default retention, and keeps legal holds until lifted', async () => {
    const s3 = s3Client(nimbus.current)
    const Bucket = await lockedBucket()
    await s3.send(new PutObjectLockConfigurationCommand({ Bucket, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 3 } } } }))
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'g', Body: 'x' }))
    const retention = await s3.send(new GetObjectRetentionCommand({ Bucket, Key: 'g' }))
    assert.equal(retention.Retention?.Mode, 'GOVERNANCE')
    assert.equal(retention.Retention?.RetainUntilDate?.getTime(), nimbus.current.clock.now() + 3 * day)
    assert.equal((await sdkError(s3.send(new DeleteObjectCommand({ Bucket, Key: 'g', VersionId: put.VersionId })))).status, 403)
    const removeRetention = await sdkError(s3.send(new PutObjectRetentionCommand({ Bucket, Key: 'g', Retention: {} })))
    assert.equal(removeRetention.status, 403)
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'g', VersionId: put.VersionId, BypassGovernanceRetention: true }))
    // Legal hold: no bypass gets past it.
    const held = await s3.send(new PutObjectCommand({ Bucket, Key: 'h', Body: 'x', ObjectLockLegalHoldStatus: 'ON' }))
    assert.equal((await s3.send(new GetObjectLegalHoldCommand({ Bucket, Key: 'h' }))).LegalHold?.Status, 'ON')
    await s3.send(new PutObjectRetentionCommand({ Bucket, Key: 'h', Retention: {}, BypassGovernanceRetention: true }))
    assert.equal((await sdkError(s3.send(new DeleteObjectCommand({ Bucket, Key: 'h', VersionId: held.VersionId,
      BypassGovernanceRetention: true })))).status, 403)
    await s3.send(new PutObjectLegalHoldCommand({ Bucket, Key: 'h', LegalHold: { Status: 'OFF' } }))
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'h', VersionId: held.VersionId }))
  })

  it('refuses bad lock headers: a mode without a date, a past date, lock headers without Content-MD5 or a checksum', async () => {
    const s3 = s3Client(nimbus.current)
    const Bucket = await lockedBucket()
    const half = await sdkError(s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', ObjectLockMode: 'GOVERNANCE' })))
    assert.deepEqual([half.name, half.status], ['InvalidArgument', 400])
    const past = await sdkError(s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', ObjectLockMode: 'GOVERNANCE',
      ObjectLockRetainUntilDate: new Date(nimbus.current.clock.now() - day) })))
    assert.deepEqual([past.name, past.message], ['InvalidArgument', 'The retain until date must be in the future!'])
    const raw = await rawRequest(nimbus.current.endpoint, { method: 'PUT', path: `/${Bucket}/k`,
      headers: { ...signedBy('s3'), 'x-amz-object-lock-legal-hold': 'ON' }, body: 'x' })
    assert.equal(raw.status, 400)
    assert.match(raw.body, /Content-MD5 OR x-amz-checksum- HTTP header is required/)
    assert.equal((await sdkError(s3.send(new GetObjectRetentionCommand({ Bucket, Key: 'missing' })))).status, 404)
    await s3.send(new PutObjectCommand({ Bucket, Key: 'free', Body: 'x' }))
    assert.equal((await sdkError(s3.send(new GetObjectRetentionCommand({ Bucket, Key: 'free' })))).name, 'NoSuchObjectLockConfiguration')
  })

  it('applies the default retention and lock fields to browser POST uploads', async () => {
    const s3 = s3Client(nimbus.current)
    const Bucket = await lockedBucket()
    await s3.send(new PutObjectLockConfigurationCommand({ Bucket, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } } } }))
    const expiration = new Date(nimbus.current.clock.now() + 60_000).toISOString()
    const form = new FormData()
    form.append('key', 'posted')
    form.append('x-amz-object-lock-legal-hold', 'ON')
    form.append('policy', Buffer.from(JSON.stringify({ expiration, conditions: [{ bucket: Bucket }, ['starts-with', '$key', ''],
      ['starts-with', '$x-amz-object-lock-legal-hold', '']] })).toString('base64'))
    form.append('file', new Blob(['x']), 'x.txt')
    const response = await fetch(`${nimbus.current.endpoint}/${Bucket}`, { method: 'POST', body: form })
    assert.equal(response.status, 204, await response.clone().text())
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'posted' }))
    assert.deepEqual([head.ObjectLockMode, head.ObjectLockLegalHoldStatus], ['GOVERNANCE', 'ON'])
  })

  it('gives a multipart upload\'s object the lock headers of CreateMultipartUpload, checked when it is created', async () => {
    const s3 = s3Client(nimbus.current)
    const Bucket = await lockedBucket()
    const until = new Date(nimbus.current.clock.now() + 3 * day)
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'big', ObjectLockMode: 'COMPLIANCE',
      ObjectLockRetainUntilDate: until, ObjectLockLegalHoldStatus: 'ON' }))
    const part = await s3.send(new UploadPartCommand({ Bucket, Key: 'big', UploadId, PartNumber: 1, Body: 'only part' }))
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'big', UploadId,
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag, ChecksumCRC32: part.ChecksumCRC32 }] } }))
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'big' }))
    assert.deepEqual([head.ObjectLockMode, head.ObjectLockRetainUntilDate?.getTime(), head.ObjectLockLegalHoldStatus],
      ['COMPLIANCE', until.getTime(), 'ON'])
    const refused = await sdkError(s3.send(new DeleteObjectCommand({ Bucket, Key: 'big', VersionId: done.VersionId })))
    assert.equal(refused.status, 403)
    // Refused when the upload starts: a past date, or lock headers on a bucket without Object Lock.
    const past = await sdkError(s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'late', ObjectLockMode: 'GOVERNANCE',
      ObjectLockRetainUntilDate: new Date(nimbus.current.clock.now() - day) })))
    assert.equal(past.status, 400)
    const plain = bucketName('nolock-mpu')
    await s3.send(new CreateBucketCommand({ Bucket: plain }))
    const noLock = await sdkError(s3.send(new CreateMultipartUploadCommand({ Bucket: plain, Key: 'k', ObjectLockLegalHoldStatus: 'ON' })))
    assert.deepEqual([noLock.name, noLock.message], ['InvalidRequest', 'Bucket is missing Object Lock Configuration'])
  })
})
