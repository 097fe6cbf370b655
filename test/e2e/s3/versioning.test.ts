// Versioning: version ids, delete markers, reads and deletes by version, ListObjectVersions, and
// the `null` version of a suspended bucket.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CopyObjectCommand, CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectVersionsCommand,
  ListObjectsV2Command, PutBucketVersioningCommand, PutObjectCommand,
} from '@aws-sdk/client-s3'
import { useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest, signedBy } from '../../helpers/raw-http.ts'
import { bucketName, s3Client, text } from '../../helpers/s3.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()

describe('S3 versioning', () => {
  it('keeps every version, hides the key behind a delete marker, and reads or removes versions by id', async () => {
    const s3 = s3Client(nimbus.current)
    const Bucket = bucketName('versions')
    await s3.send(new CreateBucketCommand({ Bucket }))
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }))
    const v1 = await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'one' }))
    const v2 = await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'two' }))
    assert.ok(v1.VersionId && v2.VersionId && v1.VersionId !== v2.VersionId)
    assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket, Key: 'k' }))).Body), 'two')
    const old = await s3.send(new GetObjectCommand({ Bucket, Key: 'k', VersionId: v1.VersionId }))
    assert.deepEqual([await text(old.Body), old.VersionId], ['one', v1.VersionId])

    const marker = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'k' }))
    assert.equal(marker.DeleteMarker, true)
    assert.ok(marker.VersionId)
    assert.equal((await sdkError(s3.send(new GetObjectCommand({ Bucket, Key: 'k' })))).name, 'NoSuchKey')
    assert.equal((await sdkError(s3.send(new HeadObjectCommand({ Bucket, Key: 'k', VersionId: marker.VersionId })))).status, 405)
    assert.equal((await s3.send(new ListObjectsV2Command({ Bucket }))).KeyCount, 0)

    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket }))
    assert.deepEqual(listed.Versions?.map((v) => [v.VersionId, v.IsLatest]), [[v2.VersionId, false], [v1.VersionId, false]])
    assert.deepEqual(listed.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest]), [[marker.VersionId, true]])
    const paged = await s3.send(new ListObjectVersionsCommand({ Bucket, MaxKeys: 2 }))
    assert.equal(paged.IsTruncated, true)
    const rest = await s3.send(new ListObjectVersionsCommand({ Bucket, KeyMarker: paged.NextKeyMarker, VersionIdMarker: paged.NextVersionIdMarker }))
    assert.deepEqual(rest.Versions?.map((v) => v.VersionId), [v1.VersionId])

    // Removing the marker brings the object back.
    const removed = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'k', VersionId: marker.VersionId }))
    assert.equal(removed.DeleteMarker, true)
    assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket, Key: 'k' }))).Body), 'two')
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'k', VersionId: v2.VersionId }))
    assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket, Key: 'k' }))).Body), 'one')
    assert.equal((await sdkError(s3.send(new GetObjectCommand({ Bucket, Key: 'k', VersionId: v2.VersionId })))).name, 'NoSuchVersion')
    assert.equal((await sdkError(s3.send(new DeleteBucketCommand({ Bucket })))).name, 'BucketNotEmpty')
  })

  it('writes the `null` version on a suspended bucket, replacing the previous null version', async () => {
    const s3 = s3Client(nimbus.current)
    const Bucket = bucketName('suspended')
    await s3.send(new CreateBucketCommand({ Bucket }))
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'before versioning' }))
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }))
    const kept = await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'versioned' }))
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }))
    // Writes to a suspended bucket make the `null` version and answer no version id, as AWS.
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'suspended' }))
    assert.equal(put.VersionId, undefined)
    const copied = await s3.send(new CopyObjectCommand({ Bucket, Key: 'copy', CopySource: `${Bucket}/k` }))
    assert.equal(copied.VersionId, undefined)
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: 'k' }))
    assert.deepEqual(versions.Versions?.map((v) => v.VersionId), ['null', kept.VersionId])
    assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket, Key: 'k', VersionId: 'null' }))).Body), 'suspended')
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'k' }))
    assert.deepEqual([deleted.DeleteMarker, deleted.VersionId], [true, 'null'])
    const after = await s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: 'k' }))
    assert.deepEqual(after.Versions?.map((v) => v.VersionId), [kept.VersionId])
    assert.deepEqual(after.DeleteMarkers?.map((m) => m.VersionId), ['null'])
  })

  it('answers GET/HEAD of a key behind a delete marker with 404 and x-amz-delete-marker, the marker\'s version id (raw HTTP)', async () => {
    const s3 = s3Client(nimbus.current)
    const Bucket = bucketName('marker')
    await s3.send(new CreateBucketCommand({ Bucket }))
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }))
    await s3.send(new PutObjectCommand({ Bucket, Key: 'gone', Body: 'x' }))
    const marker = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'gone' }))
    for (const method of ['GET', 'HEAD']) {
      const res = await rawRequest(nimbus.current.endpoint, { method, path: `/${Bucket}/gone`, headers: signedBy('s3') })
      assert.equal(res.status, 404)
      assert.equal(res.headers['x-amz-delete-marker'], 'true')
      assert.equal(res.headers['x-amz-version-id'], marker.VersionId)
      if (method === 'GET') assert.match(res.body, /<Code>NoSuchKey<\/Code>/)
    }
    // Named by its id, the marker is 405 MethodNotAllowed, with the same headers and its Last-Modified.
    const byId = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: `/${Bucket}/gone?versionId=${marker.VersionId}`,
      headers: signedBy('s3') })
    assert.deepEqual([byId.status, byId.headers['x-amz-delete-marker']], [405, 'true'])
    assert.ok(byId.headers['last-modified'])
    // A key that never existed says nothing of markers.
    const never = await rawRequest(nimbus.current.endpoint, { method: 'HEAD', path: `/${Bucket}/never`, headers: signedBy('s3') })
    assert.deepEqual([never.status, never.headers['x-amz-delete-marker']], [404, undefined])
  })
})
