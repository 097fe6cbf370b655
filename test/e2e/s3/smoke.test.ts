import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, ListObjectsV2Command, HeadObjectCommand } from '@aws-sdk/client-s3'
import { useNimbus } from '../../helpers/nimbus.ts'
import { bucketName, s3Client, text } from '../../helpers/s3.ts'

const nimbus = useNimbus()

describe('s3 smoke', () => {
  it('puts and gets an object', async () => {
    const s3 = s3Client(nimbus.current)
    const Bucket = bucketName()
    await s3.send(new CreateBucketCommand({ Bucket }))
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'a/b.txt', Body: 'hello', ContentType: 'text/plain' }))
    assert.equal(put.ETag, '"5d41402abc4b2a76b9719d911017c592"')
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'a/b.txt' }))
    assert.equal(await text(got.Body), 'hello')
    assert.equal(got.ContentType, 'text/plain')
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'a/b.txt' }))
    assert.equal(head.ContentLength, 5)
    const list = await s3.send(new ListObjectsV2Command({ Bucket }))
    assert.deepEqual(list.Contents?.map((c) => c.Key), ['a/b.txt'])
  })
})
