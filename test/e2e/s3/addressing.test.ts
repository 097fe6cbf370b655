// Addressing: virtual-host style (`<bucket>.s3.<domain>`, `<bucket>.localhost`) beside path style,
// and S3 as the gateway's catch-all for unsigned REST requests.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import { useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest, signedBy } from '../../helpers/raw-http.ts'
import { bucketName, makePublic, s3Client, text } from '../../helpers/s3.ts'

const nimbus = useNimbus()

/**
 * A virtual-host client for a domain that needn't resolve: the SDK builds `<bucket>.<domain>`
 * URLs; the connection goes to 127.0.0.1 with that Host header, as DNS would send it.
 */
const hostsSent: string[] = []

function virtualHostClient(domain: string): S3Client {
  const s3 = s3Client(nimbus.current, { endpoint: `http://${domain}:${nimbus.current.port}`, forcePathStyle: false })
  s3.middlewareStack.add((next) => async (args) => {
    const request = args.request as { hostname: string; port?: number; headers: Record<string, string> }
    request.headers['host'] = `${request.hostname}:${request.port}`
    hostsSent.push(request.headers['host'])
    request.hostname = '127.0.0.1'
    return next(args)
  }, { step: 'finalizeRequest', name: 'connectToLoopback', priority: 'low' })
  return s3
}

describe('S3 addressing', () => {
  it('serves virtual-host style requests from the SDK (<bucket>.s3.<domain>)', async () => {
    const s3 = virtualHostClient('s3.localhost.localstack.cloud')
    const Bucket = bucketName('vhost')
    await s3.send(new CreateBucketCommand({ Bucket }))
    await s3.send(new PutObjectCommand({ Bucket, Key: 'dir/file.txt', Body: 'virtual' }))
    assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket, Key: 'dir/file.txt' }))).Body), 'virtual')
    assert.deepEqual((await s3.send(new ListObjectsV2Command({ Bucket }))).Contents?.map((c) => c.Key), ['dir/file.txt'])
    assert.ok(hostsSent.length >= 4 && hostsSent.every((h) => h.startsWith(`${Bucket}.s3.localhost.localstack.cloud:`)), hostsSent.join())
    // The same bucket, path style.
    const path = s3Client(nimbus.current)
    assert.equal(await text((await path.send(new GetObjectCommand({ Bucket, Key: 'dir/file.txt' }))).Body), 'virtual')
  })

  it('reads <bucket>.localhost and amazonaws.com hosts from unsigned requests (a public bucket)', async () => {
    const Bucket = bucketName('unsigned')
    await s3Client(nimbus.current).send(new CreateBucketCommand({ Bucket }))
    await s3Client(nimbus.current).send(new PutObjectCommand({ Bucket, Key: 'a b.txt', Body: 'plain' }))
    await makePublic(s3Client(nimbus.current), Bucket)
    for (const host of [`${Bucket}.localhost:${nimbus.current.port}`, `${Bucket}.s3.us-east-1.amazonaws.com`, `${Bucket}.s3.amazonaws.com`]) {
      const response = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: '/a%20b.txt', headers: { host } })
      assert.deepEqual([response.status, response.body], [200, 'plain'], host)
    }
    const pathStyle = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: `/${Bucket}/a%20b.txt` })
    assert.deepEqual([pathStyle.status, pathStyle.body], [200, 'plain'])
    const missing = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: `/${bucketName('none')}/k` })
    assert.equal(missing.status, 404)
    assert.match(missing.body, /<Code>NoSuchBucket<\/Code>/)
  })
})

describe('S3 response documents', () => {
  it('names root elements as S3 does; GetBucketLocation is the bare LocationConstraint element', async () => {
    const Bucket = bucketName('docs')
    await s3Client(nimbus.current, { region: 'eu-west-1' }).send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }))
    const location = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: `/${Bucket}?location`, headers: signedBy('s3') })
    assert.match(location.body, /<LocationConstraint xmlns="http:\/\/s3\.amazonaws\.com\/doc\/2006-03-01\/">eu-west-1<\/LocationConstraint>$/)
    const list = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: `/${Bucket}?list-type=2`, headers: signedBy('s3') })
    assert.match(list.body, /<ListBucketResult xmlns="http:\/\/s3\.amazonaws\.com\/doc\/2006-03-01\/">/)
  })
})
