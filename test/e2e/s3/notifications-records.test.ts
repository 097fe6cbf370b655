// The event record S3 sends for each change, read from an SQS destination (aws-behaviour.md §4.1, §4.4).
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateMultipartUploadCommand, DeleteObjectCommand, DeleteObjectsCommand,
  DeleteObjectTaggingCommand, PutBucketVersioningCommand, PutObjectAclCommand, PutObjectCommand, PutObjectTaggingCommand, UploadPartCommand,
} from '@aws-sdk/client-s3'
import { useNimbus } from '../../helpers/nimbus.ts'
import { s3Client } from '../../helpers/s3.ts'
import { bucketToQueue, records } from './notification-fixtures.ts'

const nimbus = useNimbus()
const s3 = () => s3Client(nimbus.current)
const md5 = (text: string) => createHash('md5').update(text).digest('hex')

describe('S3 notification records', () => {
  it('sends one record per matching put with AWS\'s shape, key form-encoded, filters on the raw key', async () => {
    const { Bucket, queue } = await bucketToQueue(nimbus.current, s3(), ['s3:ObjectCreated:*'], { prefix: 'uploads/', suffix: '.txt' })
    const Key = 'uploads/my photo ü@+(1).txt'
    const put = await s3().send(new PutObjectCommand({ Bucket, Key, Body: 'hello' }))
    await s3().send(new PutObjectCommand({ Bucket, Key: 'other/a.txt', Body: 'x' }))
    await s3().send(new PutObjectCommand({ Bucket, Key: 'uploads/a.bin', Body: 'x' }))
    const [record, ...rest] = await records(nimbus.current, queue)
    assert.equal(rest.length, 0, 'only the key matching both prefix and suffix is announced')
    assert.deepEqual(Object.keys(record), ['eventVersion', 'eventSource', 'awsRegion', 'eventTime', 'eventName', 'userIdentity',
      'requestParameters', 'responseElements', 's3'])
    assert.equal(record.eventVersion, '2.1')
    assert.equal(record.eventSource, 'aws:s3')
    assert.equal(record.awsRegion, 'us-east-1')
    assert.equal(record.eventTime, new Date(nimbus.current.clock.now()).toISOString())
    assert.equal(record.eventName, 'ObjectCreated:Put')
    assert.deepEqual(record.userIdentity, { principalId: 'AWS:000000000000' })
    assert.deepEqual(record.requestParameters, { sourceIPAddress: '127.0.0.1' })
    assert.equal(record.responseElements['x-amz-request-id'], put.$metadata.requestId)
    assert.equal(typeof record.responseElements['x-amz-id-2'], 'string')
    assert.equal(record.s3.s3SchemaVersion, '1.0')
    assert.equal(record.s3.configurationId, 'to-queue')
    assert.equal(record.s3.bucket.name, Bucket)
    assert.equal(record.s3.bucket.arn, `arn:aws:s3:::${Bucket}`)
    assert.match(record.s3.bucket.ownerIdentity.principalId, /^A[0-9A-Z]+$/)
    assert.deepEqual(Object.keys(record.s3.object), ['key', 'size', 'eTag', 'sequencer'])
    assert.equal(record.s3.object.key, 'uploads/my+photo+%C3%BC%40%2B%281%29.txt')
    // What consumers do to get the key back (AWS's Lambda examples).
    assert.equal(decodeURIComponent(record.s3.object.key.replaceAll('+', ' ')), Key)
    assert.equal(record.s3.object.size, 5)
    assert.equal(record.s3.object.eTag, md5('hello'))
    assert.match(record.s3.object.sequencer, /^[0-9A-F]+$/)
  })

  it('carries versionId on a versioned bucket: puts, delete markers and deletes of a version', async () => {
    const { Bucket, queue } = await bucketToQueue(nimbus.current, s3())
    await s3().send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }))
    const put = await s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'v1' }))
    const marker = await s3().send(new DeleteObjectCommand({ Bucket, Key: 'k' }))
    await s3().send(new DeleteObjectCommand({ Bucket, Key: 'k', VersionId: put.VersionId }))
    const [created, markerCreated, removed] = await records(nimbus.current, queue)
    assert.equal(created.eventName, 'ObjectCreated:Put')
    assert.equal(created.s3.object.versionId, put.VersionId)
    assert.equal(markerCreated.eventName, 'ObjectRemoved:DeleteMarkerCreated')
    assert.equal(markerCreated.s3.object.versionId, marker.VersionId)
    assert.deepEqual(Object.keys(markerCreated.s3.object), ['key', 'versionId', 'sequencer'])
    assert.equal(removed.eventName, 'ObjectRemoved:Delete')
    assert.equal(removed.s3.object.versionId, put.VersionId)
    // Later events on one key have greater sequencers.
    assert.ok(created.s3.object.sequencer < markerCreated.s3.object.sequencer)
    assert.ok(markerCreated.s3.object.sequencer < removed.s3.object.sequencer)
  })

  it('announces deletes on an unversioned bucket without versionId, size or eTag, one per key of DeleteObjects', async () => {
    const { Bucket, queue } = await bucketToQueue(nimbus.current, s3(), ['s3:ObjectRemoved:*'])
    await s3().send(new PutObjectCommand({ Bucket, Key: 'a', Body: 'a' }))
    await s3().send(new DeleteObjectCommand({ Bucket, Key: 'a' }))
    // AWS announces a delete even of a key that never existed.
    await s3().send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'b' }, { Key: 'c d' }] } }))
    const got = await records(nimbus.current, queue)
    assert.deepEqual(got.map((r) => [r.eventName, r.s3.object.key]),
      [['ObjectRemoved:Delete', 'a'], ['ObjectRemoved:Delete', 'b'], ['ObjectRemoved:Delete', 'c+d']])
    assert.deepEqual(Object.keys(got[0].s3.object), ['key', 'sequencer'])
  })

  it('announces CopyObject and CompleteMultipartUpload, nothing for the upload\'s other steps', async () => {
    const { Bucket, queue } = await bucketToQueue(nimbus.current, s3(), ['s3:ObjectCreated:*'])
    await s3().send(new PutObjectCommand({ Bucket, Key: 'src', Body: 'copy me' }))
    await s3().send(new CopyObjectCommand({ Bucket, Key: 'dst', CopySource: `${Bucket}/src` }))
    const { UploadId } = await s3().send(new CreateMultipartUploadCommand({ Bucket, Key: 'big' }))
    const part = await s3().send(new UploadPartCommand({ Bucket, Key: 'big', UploadId, PartNumber: 1, Body: 'only part' }))
    const done = await s3().send(new CompleteMultipartUploadCommand({ Bucket, Key: 'big', UploadId,
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }))
    const got = await records(nimbus.current, queue)
    assert.deepEqual(got.map((r) => [r.eventName, r.s3.object.key]),
      [['ObjectCreated:Put', 'src'], ['ObjectCreated:Copy', 'dst'], ['ObjectCreated:CompleteMultipartUpload', 'big']])
    assert.equal(got[1].s3.object.eTag, md5('copy me'))
    assert.equal(got[2].s3.object.eTag, done.ETag!.replaceAll('"', ''))
    assert.match(got[2].s3.object.eTag, /-1$/)
    assert.equal(got[2].s3.object.size, 'only part'.length)
  })

  it('sends tagging and ACL events as version 2.3 records: eTag, no size, no sequencer', async () => {
    const { Bucket, queue } = await bucketToQueue(nimbus.current, s3(), ['s3:ObjectTagging:*', 's3:ObjectAcl:Put'])
    await s3().send(new PutObjectCommand({ Bucket, Key: 't', Body: 'tagged' }))
    await s3().send(new PutObjectTaggingCommand({ Bucket, Key: 't', Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] } }))
    await s3().send(new DeleteObjectTaggingCommand({ Bucket, Key: 't' }))
    await s3().send(new PutObjectAclCommand({ Bucket, Key: 't', ACL: 'bucket-owner-full-control' }))
    const got = await records(nimbus.current, queue)
    assert.deepEqual(got.map((r) => [r.eventName, r.eventVersion]),
      [['ObjectTagging:Put', '2.3'], ['ObjectTagging:Delete', '2.3'], ['ObjectAcl:Put', '2.3']])
    for (const r of got) assert.deepEqual(r.s3.object, { key: 't', eTag: md5('tagged') })
  })
})
