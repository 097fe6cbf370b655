// Lifecycle rules carried out on the clock: Expiration (Days, Date, ExpiredObjectDeleteMarker),
// NoncurrentVersionExpiration, AbortIncompleteMultipartUpload, filters, and the events they send.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateMultipartUploadCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectVersionsCommand, ListObjectsV2Command,
  PutBucketLifecycleConfigurationCommand, PutBucketVersioningCommand, PutObjectCommand, type LifecycleRule, type S3Client,
} from '@aws-sdk/client-s3'
import type { Nimbus } from '../../../src/index.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { s3Client } from '../../helpers/s3.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { bucketToQueue, createBucket, records } from './notification-fixtures.ts'

const nimbus = useNimbus()
const s3 = () => s3Client(nimbus.current)
const day = 86_400_000

async function rules(client: S3Client, Bucket: string, Rules: LifecycleRule[]): Promise<void> {
  await client.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules } }))
}

/** Midnight UTC at or after `now + days` (AWS rounds an object's expiry up to it). */
function dueAfter(nimbus: Nimbus, days: number): number {
  return Math.ceil((nimbus.clock.now() + days * day) / day) * day
}

async function keys(client: S3Client, Bucket: string): Promise<string[]> {
  return ((await client.send(new ListObjectsV2Command({ Bucket }))).Contents ?? []).map((o) => o.Key!)
}

describe('S3 lifecycle expiration', () => {
  it('deletes an unversioned object at the midnight after creation + Days, announces it, and says so in x-amz-expiration', async () => {
    const { Bucket, queue } = await bucketToQueue(nimbus.current, s3(), ['s3:LifecycleExpiration:*'])
    await rules(s3(), Bucket, [{ ID: 'logs-1d', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 1 } }])
    const due = dueAfter(nimbus.current, 1)
    const put = await s3().send(new PutObjectCommand({ Bucket, Key: 'logs/a.txt', Body: 'hello' }))
    await s3().send(new PutObjectCommand({ Bucket, Key: 'keep/b.txt', Body: 'x' }))
    const expected = `expiry-date="${new Date(due).toUTCString()}", rule-id="logs-1d"`
    assert.equal(put.Expiration, expected)
    assert.equal((await s3().send(new HeadObjectCommand({ Bucket, Key: 'logs/a.txt' }))).Expiration, expected)
    assert.equal((await s3().send(new HeadObjectCommand({ Bucket, Key: 'keep/b.txt' }))).Expiration, undefined)

    await advance(nimbus.current, due - nimbus.current.clock.now() - 1)
    assert.deepEqual(await keys(s3(), Bucket), ['keep/b.txt', 'logs/a.txt'], 'not before the midnight')
    await advance(nimbus.current, 1)
    assert.deepEqual(await keys(s3(), Bucket), ['keep/b.txt'])
    const [record, ...rest] = await records(nimbus.current, queue)
    assert.equal(rest.length, 0)
    assert.equal(record.eventName, 'LifecycleExpiration:Delete')
    assert.equal(record.eventVersion, '2.3')
    assert.equal(record.eventTime, new Date(due).toISOString())
    assert.deepEqual(record.userIdentity, { principalId: 's3.amazonaws.com' })
    assert.deepEqual(Object.keys(record.s3.object), ['key', 'eTag'])
    assert.equal(record.s3.object.key, 'logs/a.txt')
  })

  it('stacks a delete marker on a versioned bucket, then removes noncurrent versions and the expired marker', async () => {
    const { Bucket, queue } = await bucketToQueue(nimbus.current, s3(), ['s3:LifecycleExpiration:*'])
    await s3().send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }))
    const v1 = await s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'one' }))
    await rules(s3(), Bucket, [
      { ID: 'current', Status: 'Enabled', Filter: {}, Expiration: { Days: 1 } },
      { ID: 'old', Status: 'Enabled', Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 2 } },
      { ID: 'markers', Status: 'Enabled', Filter: {}, Expiration: { ExpiredObjectDeleteMarker: true } },
    ])
    await advance(nimbus.current, dueAfter(nimbus.current, 1) - nimbus.current.clock.now())
    const afterExpiry = await s3().send(new ListObjectVersionsCommand({ Bucket }))
    assert.equal(afterExpiry.DeleteMarkers?.length, 1)
    assert.deepEqual(afterExpiry.Versions?.map((v) => [v.VersionId, v.IsLatest]), [[v1.VersionId, false]])
    const [marker] = await records(nimbus.current, queue)
    assert.equal(marker.eventName, 'LifecycleExpiration:DeleteMarkerCreated')
    assert.equal(marker.s3.object.versionId, afterExpiry.DeleteMarkers![0]!.VersionId)

    // The version became noncurrent at that midnight: it goes 2 days later, and then the marker is alone.
    await advance(nimbus.current, 2 * day)
    const empty = await s3().send(new ListObjectVersionsCommand({ Bucket }))
    assert.equal(empty.Versions, undefined)
    assert.equal(empty.DeleteMarkers, undefined)
    const got = await records(nimbus.current, queue)
    assert.deepEqual(got.map((r) => [r.eventName, r.s3.object.versionId]),
      [['LifecycleExpiration:Delete', v1.VersionId], ['LifecycleExpiration:Delete', marker.s3.object.versionId]])
  })

  it('keeps the NewerNoncurrentVersions newest noncurrent versions', async () => {
    const Bucket = await createBucket(s3())
    await s3().send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }))
    const ids: string[] = []
    for (const Body of ['1', '2', '3', '4']) ids.push((await s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body }))).VersionId!)
    await rules(s3(), Bucket, [{ ID: 'n', Status: 'Enabled', Filter: { Prefix: '' },
      NoncurrentVersionExpiration: { NoncurrentDays: 1, NewerNoncurrentVersions: 2 } }])
    await advance(nimbus.current, 2 * day)
    const left = (await s3().send(new ListObjectVersionsCommand({ Bucket }))).Versions?.map((v) => v.VersionId)
    assert.deepEqual(left, [ids[3], ids[2], ids[1]])
  })

  it('selects by tag, size and And; ignores disabled rules; expires on a Date', async () => {
    const Bucket = await createBucket(s3())
    const put = (Key: string, Body: string, Tagging?: string) => s3().send(new PutObjectCommand({ Bucket, Key, Body, Tagging }))
    await put('tagged', 'x', 'temp=yes')
    await put('untagged', 'x')
    await put('big', 'x'.repeat(100))
    await put('small', 'x')
    await put('a/both', 'x'.repeat(10), 'temp=yes')
    await put('b/both', 'x'.repeat(10), 'temp=yes')
    await put('disabled', 'x')
    const date = new Date(dueAfter(nimbus.current, 3))
    await rules(s3(), Bucket, [
      { ID: 'tag', Status: 'Enabled', Filter: { And: { Prefix: 'tag', Tags: [{ Key: 'temp', Value: 'yes' }] } }, Expiration: { Days: 1 } },
      { ID: 'size', Status: 'Enabled', Filter: { ObjectSizeGreaterThan: 50 }, Expiration: { Days: 1 } },
      { ID: 'and', Status: 'Enabled', Filter: { And: { Prefix: 'a/', ObjectSizeGreaterThan: 5, ObjectSizeLessThan: 20 } }, Expiration: { Days: 1 } },
      { ID: 'off', Status: 'Disabled', Filter: { Prefix: 'disabled' }, Expiration: { Days: 1 } },
      { ID: 'date', Status: 'Enabled', Filter: { Prefix: 'small' }, Expiration: { Date: date } },
    ])
    await advance(nimbus.current, 2 * day)
    assert.deepEqual(await keys(s3(), Bucket), ['b/both', 'disabled', 'small', 'untagged'])
    await advance(nimbus.current, date.getTime() - nimbus.current.clock.now())
    assert.deepEqual(await keys(s3(), Bucket), ['b/both', 'disabled', 'untagged'])
  })

  it('aborts incomplete multipart uploads DaysAfterInitiation after they began', async () => {
    const Bucket = await createBucket(s3())
    await s3().send(new CreateMultipartUploadCommand({ Bucket, Key: 'tmp/upload' }))
    await s3().send(new CreateMultipartUploadCommand({ Bucket, Key: 'keep/upload' }))
    await rules(s3(), Bucket, [{ ID: 'mpu', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }])
    await advance(nimbus.current, 2 * day)
    const uploads = await s3().send(new ListMultipartUploadsCommand({ Bucket }))
    assert.deepEqual(uploads.Uploads?.map((u) => u.Key), ['keep/upload'])
  })

  it('refuses rules AWS refuses', async () => {
    const Bucket = await createBucket(s3())
    const zero = await sdkError(rules(s3(), Bucket, [{ ID: 'z', Status: 'Enabled', Filter: {}, Expiration: { Days: 0 } }]))
    assert.equal(zero.name, 'InvalidArgument')
    const both = await sdkError(rules(s3(), Bucket, [{ ID: 'b', Status: 'Enabled', Filter: {},
      Expiration: { Days: 1, ExpiredObjectDeleteMarker: true } }]))
    assert.equal(both.name, 'MalformedXML')
  })
})
