// Requests over cleartext HTTP/2 (h2c) keep their method and path: an SDK client on Node's HTTP/2 handler
// reaches path-routed operations (S3's PUT/GET of an object, Lambda's REST paths) and Nimbus's own endpoints,
// not `GET /` whatever it sent.
import assert from 'node:assert/strict'
import { connect } from 'node:http2'
import { describe, it } from 'node:test'
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { NodeHttp2Handler } from '@smithy/node-http-handler'
import { testCredentials, useNimbus } from '../../helpers/nimbus.ts'
import { bucketName, text } from '../../helpers/s3.ts'

const nimbus = useNimbus()

describe('HTTP/2 (h2c) requests', () => {
  it('reach Nimbus\'s own endpoints by their path', async () => {
    const session = connect(nimbus.current.endpoint)
    const stream = session.request({ ':method': 'GET', ':path': '/_nimbus/health' })
    let body = ''
    let status = 0
    stream.on('response', (h) => { status = Number(h[':status']) })
    stream.setEncoding('utf8')
    stream.on('data', (c: string) => { body += c })
    await new Promise((resolve) => stream.on('end', resolve))
    session.close()
    assert.equal(status, 200)
    assert.equal(JSON.parse(body).edition, 'nimbus')
  })

  it('carry an S3 client\'s PUT and GET of an object (path-style)', async () => {
    const handler = new NodeHttp2Handler({ disableConcurrentStreams: true })
    const s3 = new S3Client({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials, forcePathStyle: true,
      requestHandler: handler })
    try {
      const Bucket = bucketName('h2')
      await s3.send(new CreateBucketCommand({ Bucket }))
      await s3.send(new PutObjectCommand({ Bucket, Key: 'dir/hello.txt', Body: 'over h2' }))
      assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket, Key: 'dir/hello.txt' }))).Body), 'over h2')
      assert.equal(nimbus.current.services.s3.exists(Bucket, 'dir/hello.txt'), true)
    } finally {
      handler.destroy()
    }
  })
})
