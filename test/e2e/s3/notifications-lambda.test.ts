// The notes' use case end to end: an upload of `photo.jpg` to a bucket with a `.jpg` suffix filter
// runs a Node function (asynchronously, as S3 invokes Lambda) that writes a thumbnail into a second
// bucket through Nimbus's S3 REST API; a `.txt` upload runs nothing (aws-behaviour.md §4.4, §7).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { until, watchFunctionLog } from '../../helpers/function-log.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { s3Client, text } from '../../helpers/s3.ts'
import { account, createBucket, putNotifications } from './notification-fixtures.ts'

const nimbus = useNimbus()
const s3 = () => s3Client(nimbus.current)

// Functions have no node_modules: the "thumbnailer" reads and writes objects with plain fetch,
// path-style, at the endpoint Nimbus gives every function (AWS_ENDPOINT_URL).
const thumbnailer = `
exports.handler = async (event) => {
  for (const record of event.Records) {
    const bucket = record.s3.bucket.name
    const key = decodeURIComponent(record.s3.object.key.replace(/\\+/g, ' '))
    console.log('EVENT ' + JSON.stringify({ name: record.eventName, key, configurationId: record.s3.configurationId }))
    const path = (b, k) => process.env.AWS_ENDPOINT_URL + '/' + b + '/' + k.split('/').map(encodeURIComponent).join('/')
    // As an SDK would with the function's credentials (Nimbus checks a signature is there, not its value).
    const authorization = 'AWS4-HMAC-SHA256 Credential=' + process.env.AWS_ACCESS_KEY_ID + '/20260101/us-east-1/s3/aws4_request, ' +
      'SignedHeaders=host, Signature=0'
    const original = await (await fetch(path(bucket, key), { headers: { authorization } })).text()
    const name = key.slice(key.lastIndexOf('/') + 1)
    const put = await fetch(path(process.env.THUMBS, 'thumbs/' + name), {
      method: 'PUT', body: 'thumbnail(' + original + ')', headers: { 'content-type': 'image/jpeg', authorization },
    })
    if (!put.ok) throw new Error('thumbnail upload failed: ' + put.status)
  }
}`

describe('S3 → Lambda thumbnails', () => {
  it('runs the function for a .jpg upload, which writes a thumbnail to a second bucket; a .txt runs nothing', async () => {
    const uploads = await createBucket(s3(), 'uploads')
    const thumbs = await createBucket(s3(), 'thumbs')
    const lambda = lambdaClient(nimbus.current)
    const fn = await createFunction(lambda, thumbnailer, { Environment: { Variables: { THUMBS: thumbs } } })
    await putNotifications(s3(), uploads, { LambdaFunctionConfigurations: [{
      Id: 'thumbnails', LambdaFunctionArn: `arn:aws:lambda:us-east-1:${account}:function:${fn}`, Events: ['s3:ObjectCreated:*'],
      Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.jpg' }] } },
    }] })
    const log = watchFunctionLog(nimbus.current, fn)
    const exists = (key: string) => nimbus.current.services.s3.exists(thumbs, key)

    await s3().send(new PutObjectCommand({ Bucket: uploads, Key: 'photo.jpg', Body: 'pixels' }))
    await until(() => exists('thumbs/photo.jpg'), 'the thumbnail of photo.jpg')
    const thumb = await s3().send(new GetObjectCommand({ Bucket: thumbs, Key: 'thumbs/photo.jpg' }))
    assert.equal(await text(thumb.Body), 'thumbnail(pixels)')
    assert.equal(thumb.ContentType, 'image/jpeg')

    await s3().send(new PutObjectCommand({ Bucket: uploads, Key: 'notes.txt', Body: 'words' }))
    // A later .jpg marks the point by which an invocation for notes.txt would have run.
    await s3().send(new PutObjectCommand({ Bucket: uploads, Key: 'holiday/beach photo.jpg', Body: 'sand' }))
    await until(() => exists('thumbs/beach photo.jpg'), 'the thumbnail of holiday/beach photo.jpg')
    // Both invocations have finished: S3 sent notes.txt's event (had it matched) a tick before the beach photo's.
    await log.waitFor(/^REPORT RequestId/, 2)
    assert.deepEqual(log.tagged('EVENT'), [
      { name: 'ObjectCreated:Put', key: 'photo.jpg', configurationId: 'thumbnails' },
      { name: 'ObjectCreated:Put', key: 'holiday/beach photo.jpg', configurationId: 'thumbnails' },
    ])
    assert.equal(exists('thumbs/notes.txt'), false)
    log.stop()
  })
})
