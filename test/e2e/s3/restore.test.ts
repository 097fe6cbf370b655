// RestoreObject for archived storage classes: reads refused until a restore completes on the
// clock, x-amz-restore, the restored copy's expiry, and the ObjectRestore events.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, RestoreObjectCommand } from '@aws-sdk/client-s3'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { s3Client, text } from '../../helpers/s3.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { bucketToQueue, createBucket, records } from './notification-fixtures.ts'

const nimbus = useNimbus()
const s3 = () => s3Client(nimbus.current)
const minute = 60_000
const day = 86_400_000

describe('S3 RestoreObject', () => {
  it('refuses reads of a GLACIER object until a restore completes, then serves it until the copy expires', async () => {
    const { Bucket, queue } = await bucketToQueue(nimbus.current, s3(), ['s3:ObjectRestore:*'])
    await s3().send(new PutObjectCommand({ Bucket, Key: 'cold', Body: 'frozen', StorageClass: 'GLACIER' }))
    const refused = await sdkError(s3().send(new GetObjectCommand({ Bucket, Key: 'cold' })))
    assert.deepEqual([refused.name, refused.status], ['InvalidObjectState', 403])
    const copy = await sdkError(s3().send(new CopyObjectCommand({ Bucket, Key: 'warm', CopySource: `${Bucket}/cold` })))
    assert.equal(copy.name, 'InvalidObjectState')
    const head = await s3().send(new HeadObjectCommand({ Bucket, Key: 'cold' }))
    assert.deepEqual([head.StorageClass, head.Restore], ['GLACIER', undefined])

    const started = await s3().send(new RestoreObjectCommand({ Bucket, Key: 'cold',
      RestoreRequest: { Days: 2, GlacierJobParameters: { Tier: 'Expedited' } } }))
    assert.equal(started.$metadata.httpStatusCode, 202)
    assert.equal((await s3().send(new HeadObjectCommand({ Bucket, Key: 'cold' }))).Restore, 'ongoing-request="true"')
    const again = await sdkError(s3().send(new RestoreObjectCommand({ Bucket, Key: 'cold', RestoreRequest: { Days: 2 } })))
    assert.deepEqual([again.name, again.status], ['RestoreAlreadyInProgress', 409])
    const [post] = await records(nimbus.current, queue)
    assert.equal(post.eventName, 'ObjectRestore:Post')
    assert.equal(post.s3.object.size, 6)

    // Expedited takes a minute here (the lower bound of AWS's 1–5 minutes).
    await advance(nimbus.current, minute - 1)
    assert.equal((await sdkError(s3().send(new GetObjectCommand({ Bucket, Key: 'cold' })))).name, 'InvalidObjectState')
    await advance(nimbus.current, 1)
    const done = nimbus.current.clock.now()
    const expiry = Math.ceil((done + 2 * day) / day) * day
    const restoredHeader = `ongoing-request="false", expiry-date="${new Date(expiry).toUTCString()}"`
    const got = await s3().send(new GetObjectCommand({ Bucket, Key: 'cold' }))
    assert.equal(await text(got.Body), 'frozen')
    assert.equal(got.Restore, restoredHeader)
    assert.equal(got.StorageClass, 'GLACIER')
    const [completed] = await records(nimbus.current, queue)
    assert.equal(completed.eventName, 'ObjectRestore:Completed')
    assert.deepEqual(completed.glacierEventData, { restoreEventData: {
      lifecycleRestorationExpiryTime: new Date(expiry).toISOString(), lifecycleRestoreStorageClass: 'GLACIER' } })

    await advance(nimbus.current, expiry - nimbus.current.clock.now() - 1)
    assert.equal(await text((await s3().send(new GetObjectCommand({ Bucket, Key: 'cold' }))).Body), 'frozen')
    await advance(nimbus.current, 1)
    assert.equal((await sdkError(s3().send(new GetObjectCommand({ Bucket, Key: 'cold' })))).name, 'InvalidObjectState')
    assert.equal((await s3().send(new HeadObjectCommand({ Bucket, Key: 'cold' }))).Restore, undefined)
    const [expired] = await records(nimbus.current, queue)
    assert.equal(expired.eventName, 'ObjectRestore:Delete')
    assert.equal(expired.eventVersion, '2.3')
  })

  it('answers 200 for an object already restored and moves its expiry; tiers take their own time', async () => {
    const Bucket = await createBucket(s3())
    await s3().send(new PutObjectCommand({ Bucket, Key: 'deep', Body: 'x', StorageClass: 'DEEP_ARCHIVE' }))
    const expedited = await sdkError(s3().send(new RestoreObjectCommand({ Bucket, Key: 'deep',
      RestoreRequest: { Days: 1, GlacierJobParameters: { Tier: 'Expedited' } } })))
    assert.equal(expedited.name, 'InvalidArgument')
    await s3().send(new RestoreObjectCommand({ Bucket, Key: 'deep', RestoreRequest: { Days: 1, GlacierJobParameters: { Tier: 'Bulk' } } }))
    await advance(nimbus.current, 47 * 60 * minute)
    assert.equal((await s3().send(new HeadObjectCommand({ Bucket, Key: 'deep' }))).Restore, 'ongoing-request="true"')
    await advance(nimbus.current, 60 * minute)
    assert.match((await s3().send(new HeadObjectCommand({ Bucket, Key: 'deep' }))).Restore ?? '', /^ongoing-request="false"/)
    const extended = await s3().send(new RestoreObjectCommand({ Bucket, Key: 'deep', RestoreRequest: { Days: 10 } }))
    assert.equal(extended.$metadata.httpStatusCode, 200)
    const expiry = Math.ceil((nimbus.current.clock.now() + 10 * day) / day) * day
    assert.equal((await s3().send(new HeadObjectCommand({ Bucket, Key: 'deep' }))).Restore,
      `ongoing-request="false", expiry-date="${new Date(expiry).toUTCString()}"`)
    await advance(nimbus.current, 3 * day)
    assert.equal(await text((await s3().send(new GetObjectCommand({ Bucket, Key: 'deep' }))).Body), 'x')
  })

  it('reads GLACIER_IR directly and refuses to restore what is not archived', async () => {
    const Bucket = await createBucket(s3())
    await s3().send(new PutObjectCommand({ Bucket, Key: 'ir', Body: 'instant', StorageClass: 'GLACIER_IR' }))
    await s3().send(new PutObjectCommand({ Bucket, Key: 'std', Body: 'standard' }))
    assert.equal(await text((await s3().send(new GetObjectCommand({ Bucket, Key: 'ir' }))).Body), 'instant')
    for (const Key of ['ir', 'std']) {
      const e = await sdkError(s3().send(new RestoreObjectCommand({ Bucket, Key, RestoreRequest: { Days: 1 } })))
      assert.deepEqual([e.name, e.status], ['InvalidObjectState', 403])
    }
    const missing = await sdkError(s3().send(new RestoreObjectCommand({ Bucket, Key: 'nope', RestoreRequest: { Days: 1 } })))
    assert.equal(missing.name, 'NoSuchKey')
  })
})
