// S3 state across restarts on one data dir (in process): bucket configurations, objects with their
// metadata, tags, checksums, versions and delete markers, a multipart upload finished after a
// restart, and lifecycle and restore timers that fell due while Nimbus was down.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { after, describe, it } from 'node:test'
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteObjectCommand, GetBucketCorsCommand,
  GetBucketAclCommand, GetBucketEncryptionCommand, GetBucketLifecycleConfigurationCommand, GetBucketNotificationConfigurationCommand,
  GetBucketOwnershipControlsCommand, GetBucketPolicyCommand, GetBucketTaggingCommand, GetBucketVersioningCommand,
  GetBucketWebsiteCommand, GetObjectAclCommand, GetObjectAttributesCommand, GetObjectCommand, GetObjectLockConfigurationCommand, PutObjectLegalHoldCommand,
  PutObjectLockConfigurationCommand, GetObjectTaggingCommand, GetPublicAccessBlockCommand, HeadObjectCommand,
  ListBucketsCommand, ListMultipartUploadsCommand, ListObjectVersionsCommand, ListPartsCommand, PutBucketCorsCommand,
  PutBucketAclCommand, PutBucketLifecycleConfigurationCommand, PutBucketNotificationConfigurationCommand, PutBucketPolicyCommand,
  PutBucketTaggingCommand, PutBucketVersioningCommand, PutBucketWebsiteCommand, PutObjectCommand, PutObjectTaggingCommand,
  PutPublicAccessBlockCommand, RestoreObjectCommand, type S3Client, UploadPartCommand,
} from '@aws-sdk/client-s3'
import { type Nimbus, startNimbus } from '../../../src/index.ts'
import { s3Client, text } from '../../helpers/s3.ts'

const dirs: string[] = []
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

const day = 86_400_000
/** 10:00 UTC on some day: the clock every test starts at. */
const start = Date.UTC(2026, 0, 5, 10)

async function durableNimbus() {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-s3-durable-'))
  dirs.push(dataDir)
  const open = () => startNimbus({ port: 0, clock: 'manual', clockStart: start, log: () => {}, dataDir })
  const state = { nimbus: await open(), s3: undefined as S3Client | undefined }
  state.s3 = s3Client(state.nimbus)
  return {
    get nimbus(): Nimbus {
      return state.nimbus
    },
    get s3(): S3Client {
      return state.s3!
    },
    dataDir,
    /** Stops and starts again; `downMs` is time that passes on the (stored) manual clock while Nimbus is down. */
    restart: async (downMs = 0) => {
      state.s3!.destroy()
      await state.nimbus.stop()
      if (downMs > 0) {
        const db = new DatabaseSync(join(dataDir, 'nimbus.db'))
        const row = db.prepare(`SELECT value FROM "t_nimbus_meta" WHERE key = 'clock'`).get() as { value: string }
        const now = (JSON.parse(row.value) as { now: number }).now + downMs
        db.prepare(`UPDATE "t_nimbus_meta" SET value = ? WHERE key = 'clock'`).run(JSON.stringify({ now }))
        db.close()
      }
      state.nimbus = await open()
      state.s3 = s3Client(state.nimbus)
    },
    stop: async () => {
      state.s3!.destroy()
      await state.nimbus.stop()
    },
  }
}

const blobFiles = (dataDir: string) => readdirSync(join(dataDir, 's3')).filter((name) => name.endsWith('.blob')).sort()

describe('S3 across restarts on a data dir', () => {
  it('keeps buckets and every configuration', async () => {
    const n = await durableNimbus()
    const Bucket = 'configured'
    await n.s3.send(new CreateBucketCommand({ Bucket }))
    await n.s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }))
    await n.s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { BlockPublicPolicy: false } }))
    await n.s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*` }] }) }))
    await n.s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: [
      { AllowedMethods: ['GET'], AllowedOrigins: ['https://example.com'], MaxAgeSeconds: 60 }] } }))
    await n.s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [
      { ID: 'old', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Date: new Date(Date.UTC(2030, 0, 1)) } }] } }))
    await n.s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'team', Value: 'blue' }] } }))
    await n.s3.send(new PutBucketWebsiteCommand({ Bucket, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } } }))
    await n.s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: { EventBridgeConfiguration: {} } }))
    const read = async () => {
      const { $metadata: _a, ...cors } = await n.s3.send(new GetBucketCorsCommand({ Bucket }))
      const { $metadata: _b, ...lifecycle } = await n.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))
      const { $metadata: _c, ...website } = await n.s3.send(new GetBucketWebsiteCommand({ Bucket }))
      const { $metadata: _d, ...notification } = await n.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }))
      return {
        buckets: (await n.s3.send(new ListBucketsCommand({}))).Buckets,
        versioning: (await n.s3.send(new GetBucketVersioningCommand({ Bucket }))).Status,
        block: (await n.s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration,
        policy: (await n.s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy,
        tags: (await n.s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet,
        ownership: (await n.s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls,
        encryption: (await n.s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration,
        cors, lifecycle, website, notification,
      }
    }
    const before = await read()
    assert.equal(before.versioning, 'Enabled')
    await n.restart()
    assert.deepEqual(await read(), before)
    await n.stop()
  })

  it('keeps objects with their metadata, tags, checksums, versions and delete markers', async () => {
    const n = await durableNimbus()
    const Bucket = 'objects'
    await n.s3.send(new CreateBucketCommand({ Bucket }))
    await n.s3.send(new PutObjectCommand({ Bucket, Key: 'plain/a b.txt', Body: 'unversioned', ContentType: 'text/plain',
      Metadata: { owner: 'ann' }, Tagging: 'k=v', ChecksumAlgorithm: 'SHA256', CacheControl: 'max-age=60' }))
    await n.s3.send(new PutObjectCommand({ Bucket, Key: 'overwritten', Body: 'first' }))
    await n.s3.send(new PutObjectCommand({ Bucket, Key: 'overwritten', Body: 'second' }))
    await n.s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }))
    const v1 = await n.s3.send(new PutObjectCommand({ Bucket, Key: 'doc', Body: 'version one' }))
    const v2 = await n.s3.send(new PutObjectCommand({ Bucket, Key: 'doc', Body: 'version two', StorageClass: 'STANDARD_IA' }))
    await n.s3.send(new PutObjectTaggingCommand({ Bucket, Key: 'doc', VersionId: v1.VersionId, Tagging: { TagSet: [{ Key: 'old', Value: 'yes' }] } }))
    await n.s3.send(new DeleteObjectCommand({ Bucket, Key: 'doc' }))
    // Suspended: a `null` version stacked above versioned ones, replaced by the next `null` one.
    await n.s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }))
    await n.s3.send(new PutObjectCommand({ Bucket, Key: 'doc', Body: 'null one' }))
    await n.s3.send(new PutObjectCommand({ Bucket, Key: 'doc', Body: 'null two' }))
    const versions = async () => {
      const { $metadata: _, ...listed } = await n.s3.send(new ListObjectVersionsCommand({ Bucket }))
      return listed
    }
    const head = async () => {
      const { $metadata: _, ...h } = await n.s3.send(new HeadObjectCommand({ Bucket, Key: 'plain/a b.txt', ChecksumMode: 'ENABLED' }))
      return h
    }
    const before = { versions: await versions(), head: await head() }
    const files = blobFiles(n.dataDir)
    await n.restart()
    assert.deepEqual(await versions(), before.versions)
    assert.deepEqual(await head(), before.head)
    assert.equal(before.head.Metadata?.owner, 'ann')
    assert.ok(before.head.ChecksumSHA256)
    assert.deepEqual(blobFiles(n.dataDir), files, 'no body file lost or left over')
    assert.equal(await text((await n.s3.send(new GetObjectCommand({ Bucket, Key: 'plain/a b.txt' }))).Body), 'unversioned')
    assert.equal(await text((await n.s3.send(new GetObjectCommand({ Bucket, Key: 'overwritten' }))).Body), 'second')
    assert.equal(await text((await n.s3.send(new GetObjectCommand({ Bucket, Key: 'doc' }))).Body), 'null two')
    assert.equal(await text((await n.s3.send(new GetObjectCommand({ Bucket, Key: 'doc', VersionId: v1.VersionId }))).Body), 'version one')
    const got2 = await n.s3.send(new GetObjectCommand({ Bucket, Key: 'doc', VersionId: v2.VersionId }))
    assert.equal(await text(got2.Body), 'version two')
    assert.equal(got2.StorageClass, 'STANDARD_IA')
    assert.deepEqual((await n.s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'doc', VersionId: v1.VersionId }))).TagSet,
      [{ Key: 'old', Value: 'yes' }])
    assert.deepEqual((await n.s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'plain/a b.txt' }))).TagSet, [{ Key: 'k', Value: 'v' }])
    // Writes after the restart stack above the stored versions.
    await n.s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }))
    const v3 = await n.s3.send(new PutObjectCommand({ Bucket, Key: 'doc', Body: 'three' }))
    const listed = (await n.s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: 'doc' })))
    assert.deepEqual(listed.Versions?.map((v) => [v.VersionId, v.IsLatest]),
      [[v3.VersionId, true], ['null', false], [v2.VersionId, false], [v1.VersionId, false]])
    // A deleted version's body file goes (after its row's removal committed).
    await n.s3.send(new DeleteObjectCommand({ Bucket, Key: 'doc', VersionId: v1.VersionId }))
    await n.s3.send(new HeadObjectCommand({ Bucket, Key: 'doc' }))
    assert.equal(blobFiles(n.dataDir).length, files.length)
    await n.stop()
  })

  it('finishes a multipart upload begun before a restart', async () => {
    const n = await durableNimbus()
    const Bucket = 'uploads'
    await n.s3.send(new CreateBucketCommand({ Bucket }))
    const { UploadId } = await n.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'big', ContentType: 'application/x-big',
      Metadata: { part: 'ial' }, ChecksumAlgorithm: 'CRC32' }))
    const first = Buffer.alloc(5 * 1024 * 1024, 'a')
    const p1 = await n.s3.send(new UploadPartCommand({ Bucket, Key: 'big', UploadId, PartNumber: 1, Body: first, ChecksumAlgorithm: 'CRC32' }))
    await n.restart()
    const { $metadata: _, ...uploads } = await n.s3.send(new ListMultipartUploadsCommand({ Bucket }))
    assert.deepEqual(uploads.Uploads?.map((u) => [u.Key, u.UploadId]), [['big', UploadId]])
    const parts = await n.s3.send(new ListPartsCommand({ Bucket, Key: 'big', UploadId }))
    assert.deepEqual(parts.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size, p.ChecksumCRC32]), [[1, p1.ETag, first.length, p1.ChecksumCRC32]])
    const p2 = await n.s3.send(new UploadPartCommand({ Bucket, Key: 'big', UploadId, PartNumber: 2, Body: 'tail', ChecksumAlgorithm: 'CRC32' }))
    const done = await n.s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'big', UploadId, MultipartUpload: { Parts: [
      { PartNumber: 1, ETag: p1.ETag, ChecksumCRC32: p1.ChecksumCRC32 }, { PartNumber: 2, ETag: p2.ETag, ChecksumCRC32: p2.ChecksumCRC32 }] } }))
    assert.match(done.ETag!, /-2"$/)
    await n.restart()
    const got = await n.s3.send(new GetObjectCommand({ Bucket, Key: 'big' }))
    assert.equal(got.ETag, done.ETag)
    assert.equal(got.ContentType, 'application/x-big')
    assert.deepEqual(got.Metadata, { part: 'ial' })
    const body = Buffer.from(await got.Body!.transformToByteArray())
    assert.equal(body.length, first.length + 4)
    assert.ok(body.subarray(0, first.length).equals(first))
    assert.equal(body.subarray(first.length).toString(), 'tail')
    assert.equal((await n.s3.send(new ListMultipartUploadsCommand({ Bucket }))).Uploads, undefined)
    // A Complete repeated after a restart still answers as the first did (idempotent retries).
    const again = await n.s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'big', UploadId, MultipartUpload: { Parts: [
      { PartNumber: 1, ETag: p1.ETag, ChecksumCRC32: p1.ChecksumCRC32 }, { PartNumber: 2, ETag: p2.ETag, ChecksumCRC32: p2.ChecksumCRC32 }] } }))
    assert.deepEqual([again.ETag, again.ChecksumCRC32], [done.ETag, done.ChecksumCRC32])
    const attrs = await n.s3.send(new GetObjectAttributesCommand({ Bucket, Key: 'big', ObjectAttributes: ['ObjectParts'] }))
    assert.deepEqual(attrs.ObjectParts?.Parts?.map((p) => p.ChecksumCRC32), [p1.ChecksumCRC32, p2.ChecksumCRC32])
    await n.stop()
  })

  it('runs the lifecycle midnights that passed while down, each as of its own midnight', async () => {
    const n = await durableNimbus()
    const Bucket = 'expiring'
    await n.s3.send(new CreateBucketCommand({ Bucket }))
    await n.s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }))
    await n.s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [{
      ID: 'expire', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 1 }, NoncurrentVersionExpiration: { NoncurrentDays: 1 },
    }] } }))
    await n.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'soon gone' }))
    // Written 10:00 on day 0: the current version expires at day 2's midnight (a delete marker dated
    // then), which makes it noncurrent, so it goes at day 3's midnight. Down for four days.
    await n.restart(4 * day)
    const midnight = (d: number) => new Date(Date.UTC(2026, 0, 5 + d))
    const listed = await n.s3.send(new ListObjectVersionsCommand({ Bucket }))
    assert.equal(listed.Versions, undefined)
    assert.deepEqual(listed.DeleteMarkers?.map((m) => [m.Key, m.LastModified?.getTime()]), [['k', midnight(2).getTime()]])
    assert.deepEqual(blobFiles(n.dataDir), [])
    // And the sweep goes on at the next midnight.
    await n.s3.send(new PutObjectCommand({ Bucket, Key: 'later', Body: 'x' }))
    n.nimbus.clock.advance(3 * day)
    assert.equal((await n.s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: 'later' }))).DeleteMarkers?.length, 1)
    await n.stop()
  })

  it('completes a restore due while down, and keeps an ongoing one ongoing', async () => {
    const n = await durableNimbus()
    const Bucket = 'archive'
    await n.s3.send(new CreateBucketCommand({ Bucket }))
    await n.s3.send(new PutObjectCommand({ Bucket, Key: 'fast', Body: 'a', StorageClass: 'GLACIER' }))
    await n.s3.send(new PutObjectCommand({ Bucket, Key: 'slow', Body: 'b', StorageClass: 'DEEP_ARCHIVE' }))
    await n.s3.send(new RestoreObjectCommand({ Bucket, Key: 'fast', RestoreRequest: { Days: 2, GlacierJobParameters: { Tier: 'Expedited' } } }))
    await n.s3.send(new RestoreObjectCommand({ Bucket, Key: 'slow', RestoreRequest: { Days: 2, GlacierJobParameters: { Tier: 'Standard' } } }))
    await n.restart(5 * 60_000)
    // Expedited takes a minute: done at 10:01, lasting to the midnight after two days.
    assert.equal((await n.s3.send(new HeadObjectCommand({ Bucket, Key: 'fast' }))).Restore,
      `ongoing-request="false", expiry-date="${new Date(Date.UTC(2026, 0, 8)).toUTCString()}"`)
    assert.equal(await text((await n.s3.send(new GetObjectCommand({ Bucket, Key: 'fast' }))).Body), 'a')
    assert.equal((await n.s3.send(new HeadObjectCommand({ Bucket, Key: 'slow' }))).Restore, 'ongoing-request="true"')
    await n.restart()
    n.nimbus.clock.advance(12 * 3_600_000)
    assert.match((await n.s3.send(new HeadObjectCommand({ Bucket, Key: 'slow' }))).Restore ?? '', /ongoing-request="false"/)
    // The copy's expiry passes while down: the restored copy is gone at start.
    await n.restart(4 * day)
    assert.equal((await n.s3.send(new HeadObjectCommand({ Bucket, Key: 'fast' }))).Restore, undefined)
    await n.stop()
  })
  it('keeps each object\'s encryption state: SSE-KMS key, SSE-C key MD5 (reads still need the key), an SSE-C upload', async () => {
    const n = await durableNimbus()
    const Bucket = 'encrypted'
    const key = Buffer.alloc(32, 7)
    const ssec = { SSECustomerAlgorithm: 'AES256', SSECustomerKey: key.toString('base64'),
      SSECustomerKeyMD5: createHash('md5').update(key).digest('base64') }
    await n.s3.send(new CreateBucketCommand({ Bucket }))
    await n.s3.send(new PutObjectCommand({ Bucket, Key: 'kms', Body: 'k', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'key-1' }))
    await n.s3.send(new PutObjectCommand({ Bucket, Key: 'ssec', Body: 'c', ...ssec }))
    const { UploadId } = await n.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'mpu', ...ssec }))
    await n.restart()
    const kms = await n.s3.send(new HeadObjectCommand({ Bucket, Key: 'kms' }))
    assert.deepEqual([kms.ServerSideEncryption, kms.SSEKMSKeyId?.endsWith(':key/key-1')], ['aws:kms', true])
    await assert.rejects(n.s3.send(new HeadObjectCommand({ Bucket, Key: 'ssec' })), (e: { $metadata: { httpStatusCode: number } }) =>
      e.$metadata.httpStatusCode === 400)
    assert.equal((await n.s3.send(new HeadObjectCommand({ Bucket, Key: 'ssec', ...ssec }))).SSECustomerKeyMD5, ssec.SSECustomerKeyMD5)
    await assert.rejects(n.s3.send(new UploadPartCommand({ Bucket, Key: 'mpu', UploadId, PartNumber: 1, Body: 'p' })))
    assert.equal((await n.s3.send(new UploadPartCommand({ Bucket, Key: 'mpu', UploadId, PartNumber: 1, Body: 'p', ...ssec }))).SSECustomerKeyMD5,
      ssec.SSECustomerKeyMD5)
    await n.stop()
  })
  it('keeps Object Lock: the bucket configuration, each version\'s retention and legal hold, on the stored clock', async () => {
    const n = await durableNimbus()
    const Bucket = 'locked'
    await n.s3.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }))
    await n.s3.send(new PutObjectLockConfigurationCommand({ Bucket, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2 } } } }))
    const put = await n.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', ObjectLockLegalHoldStatus: 'ON' }))
    await n.restart()
    const config = await n.s3.send(new GetObjectLockConfigurationCommand({ Bucket }))
    assert.deepEqual(config.ObjectLockConfiguration?.Rule?.DefaultRetention, { Mode: 'COMPLIANCE', Days: 2 })
    const head = await n.s3.send(new HeadObjectCommand({ Bucket, Key: 'k' }))
    assert.deepEqual([head.ObjectLockMode, head.ObjectLockLegalHoldStatus], ['COMPLIANCE', 'ON'])
    await n.s3.send(new PutObjectLegalHoldCommand({ Bucket, Key: 'k', LegalHold: { Status: 'OFF' } }))
    await n.restart(day)
    await assert.rejects(n.s3.send(new DeleteObjectCommand({ Bucket, Key: 'k', VersionId: put.VersionId })))
    // The retention ends while Nimbus is down: the version may go after the restart.
    await n.restart(2 * day)
    await n.s3.send(new DeleteObjectCommand({ Bucket, Key: 'k', VersionId: put.VersionId }))
    await n.stop()
  })

  it('keeps bucket and object ACL grants, and they still decide', async () => {
    const n = await durableNimbus()
    const Bucket = 'acl-kept'
    await n.s3.send(new CreateBucketCommand({ Bucket, ObjectOwnership: 'ObjectWriter' }))
    await n.s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { BlockPublicPolicy: true } }))
    await n.s3.send(new PutObjectCommand({ Bucket, Key: 'open', Body: 'o', ACL: 'public-read' }))
    await n.s3.send(new PutBucketAclCommand({ Bucket, ACL: 'authenticated-read' }))
    await n.restart()
    const acl = await n.s3.send(new GetObjectAclCommand({ Bucket, Key: 'open' }))
    assert.deepEqual(acl.Grants?.map((g) => [g.Grantee?.URI, g.Permission]), [[undefined, 'FULL_CONTROL'],
      ['http://acs.amazonaws.com/groups/global/AllUsers', 'READ']])
    assert.equal((await n.s3.send(new GetBucketAclCommand({ Bucket }))).Grants?.[1]?.Grantee?.URI, 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers')
    const anonymous = await fetch(`${n.nimbus.endpoint}/${Bucket}/open`)
    assert.deepEqual([anonymous.status, await anonymous.text()], [200, 'o'])
    await n.stop()
  })
})
