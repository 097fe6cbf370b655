// ListObjects v1 and v2: prefixes, delimiters and common prefixes, pages, start-after, url
// encoding, and UTF-8 byte order.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { before, describe, it } from 'node:test'
import { CreateBucketCommand, ListObjectsCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3'
import { useNimbus } from '../../helpers/nimbus.ts'
import { bucketName, s3Client } from '../../helpers/s3.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const Bucket = bucketName('listing')
const keys = ['a.txt', 'photos/2024/1.jpg', 'photos/2024/2.jpg', 'photos/2025/3.jpg', 'photos/cover.jpg', 'z.txt']

describe('S3 listing', () => {
  before(async () => {
    const s3 = s3Client(nimbus.current)
    await s3.send(new CreateBucketCommand({ Bucket }))
    for (const Key of [...keys].reverse()) await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }))
  })

  it('lists v2 with prefix, delimiter and common prefixes', async () => {
    const s3 = s3Client(nimbus.current)
    const all = await s3.send(new ListObjectsV2Command({ Bucket }))
    assert.deepEqual(all.Contents?.map((c) => c.Key), keys)
    assert.equal(all.KeyCount, keys.length)
    assert.equal(all.Contents?.[0]?.ETag, `"${createHash('md5').update('a.txt').digest('hex')}"`)
    assert.equal(all.Contents?.[0]?.Size, 5)
    const top = await s3.send(new ListObjectsV2Command({ Bucket, Delimiter: '/' }))
    assert.deepEqual(top.Contents?.map((c) => c.Key), ['a.txt', 'z.txt'])
    assert.deepEqual(top.CommonPrefixes?.map((p) => p.Prefix), ['photos/'])
    const photos = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'photos/', Delimiter: '/' }))
    assert.deepEqual(photos.Contents?.map((c) => c.Key), ['photos/cover.jpg'])
    assert.deepEqual(photos.CommonPrefixes?.map((p) => p.Prefix), ['photos/2024/', 'photos/2025/'])
    assert.equal(photos.KeyCount, 3)
  })

  it('pages v2 with MaxKeys and ContinuationToken, and starts after a key', async () => {
    const s3 = s3Client(nimbus.current)
    const seen: string[] = []
    let token: string | undefined
    let pages = 0
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket, MaxKeys: 2, ContinuationToken: token }))
      seen.push(...(page.Contents ?? []).map((c) => c.Key!))
      token = page.NextContinuationToken
      assert.equal(page.IsTruncated, token !== undefined)
      pages++
    } while (token !== undefined)
    assert.deepEqual(seen, keys)
    assert.equal(pages, 3)
    const after = await s3.send(new ListObjectsV2Command({ Bucket, StartAfter: 'photos/2025/3.jpg' }))
    assert.deepEqual(after.Contents?.map((c) => c.Key), ['photos/cover.jpg', 'z.txt'])
    const delimited = await s3.send(new ListObjectsV2Command({ Bucket, Delimiter: '/', MaxKeys: 2 }))
    assert.deepEqual([delimited.Contents?.map((c) => c.Key), delimited.CommonPrefixes?.map((p) => p.Prefix)], [['a.txt'], ['photos/']])
    const rest = await s3.send(new ListObjectsV2Command({ Bucket, Delimiter: '/', MaxKeys: 2, ContinuationToken: delimited.NextContinuationToken }))
    assert.deepEqual(rest.Contents?.map((c) => c.Key), ['z.txt'])
    assert.equal(rest.CommonPrefixes, undefined)
  })

  it('pages v1 with Marker and NextMarker', async () => {
    const s3 = s3Client(nimbus.current)
    const first = await s3.send(new ListObjectsCommand({ Bucket, MaxKeys: 3 }))
    assert.deepEqual(first.Contents?.map((c) => c.Key), keys.slice(0, 3))
    assert.equal(first.IsTruncated, true)
    assert.equal(first.NextMarker, undefined, 'NextMarker only with a delimiter')
    const second = await s3.send(new ListObjectsCommand({ Bucket, Marker: 'photos/2024/2.jpg' }))
    assert.deepEqual(second.Contents?.map((c) => c.Key), keys.slice(3))
    const delimited = await s3.send(new ListObjectsCommand({ Bucket, Delimiter: '/', MaxKeys: 2 }))
    assert.equal(delimited.NextMarker, 'photos/')
    const next = await s3.send(new ListObjectsCommand({ Bucket, Delimiter: '/', Marker: delimited.NextMarker }))
    assert.deepEqual(next.Contents?.map((c) => c.Key), ['z.txt'])
  })

  it('url-encodes keys with EncodingType=url and orders keys by UTF-8 bytes', async () => {
    const s3 = s3Client(nimbus.current)
    const B = bucketName('order')
    await s3.send(new CreateBucketCommand({ Bucket: B }))
    // UTF-16 would put U+FFFD after the emoji's surrogates; UTF-8 bytes put it before.
    for (const Key of ['😀', '\uFFFD', 'a b', 'Z', 'a+b']) await s3.send(new PutObjectCommand({ Bucket: B, Key, Body: 'x' }))
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: B }))
    assert.deepEqual(listed.Contents?.map((c) => c.Key), ['Z', 'a b', 'a+b', '\uFFFD', '😀'])
    const encoded = await s3.send(new ListObjectsV2Command({ Bucket: B, EncodingType: 'url', Prefix: 'a' }))
    assert.deepEqual(encoded.Contents?.map((c) => c.Key), ['a%20b', 'a%2Bb'])
    const bad = await sdkError(s3.send(new ListObjectsV2Command({ Bucket: B, EncodingType: 'base64' as 'url' })))
    assert.equal(bad.name, 'InvalidArgument')
  })
})
