// Presigned URLs (query-string SigV4) fetched with plain fetch: GET and PUT work, an expired URL is
// refused by Nimbus's clock (signatures themselves are not verified).
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { bucketName, s3Client, text } from '../../helpers/s3.ts'

const nimbus = useNimbus()
const Bucket = bucketName('presigned')

describe('S3 presigned URLs', () => {
  before(async () => {
    await s3Client(nimbus.current).send(new CreateBucketCommand({ Bucket }))
  })

  it('PUTs and GETs through presigned URLs with plain fetch', async () => {
    const s3 = s3Client(nimbus.current)
    const signingDate = new Date(nimbus.current.clock.now())
    const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket, Key: 'shared/file.txt', ContentType: 'text/plain' }),
      { expiresIn: 300, signingDate })
    const put = await fetch(putUrl, { method: 'PUT', body: 'via presigned PUT', headers: { 'content-type': 'text/plain' } })
    assert.equal(put.status, 200, await put.text())
    assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket, Key: 'shared/file.txt' }))).Body), 'via presigned PUT')
    const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket, Key: 'shared/file.txt' }), { expiresIn: 300, signingDate })
    const got = await fetch(getUrl)
    assert.equal(got.status, 200)
    assert.equal(got.headers.get('content-type'), 'text/plain')
    assert.equal(await got.text(), 'via presigned PUT')
  })

  it('refuses an expired URL with AccessDenied "Request has expired"', async () => {
    const s3 = s3Client(nimbus.current)
    await s3.send(new PutObjectCommand({ Bucket, Key: 'soon-gone', Body: 'x' }))
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket, Key: 'soon-gone' }),
      { expiresIn: 60, signingDate: new Date(nimbus.current.clock.now()) })
    assert.equal((await fetch(url)).status, 200)
    await advance(nimbus.current, 61_000)
    const expired = await fetch(url)
    assert.equal(expired.status, 403)
    const body = await expired.text()
    assert.match(body, /<Code>AccessDenied<\/Code>/)
    assert.match(body, /<Message>Request has expired<\/Message>/)
  })
})
