// Walks the developer guide's Amazon S3 proxy tutorial with its sample API (the OpenAPI definition, imported):
// every method AWS_IAM, called with SigV4-signed requests as the guide's Postman page does; the integration
// responses' header mappings (Content-Type, Content-Length, and S3's Date as `Timestamp`) and the `4\d{2}` →
// 400 selection compared with what S3 answers. Today's S3 refuses the sample's `x-amz-acl: authenticated-read`
// on a new bucket (Object Ownership defaults to BucketOwnerEnforced): the bucket is readied for ACLs to upload.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GetExportCommand, ImportRestApiCommand } from '@aws-sdk/client-api-gateway'
import { CreateBucketCommand, DeletePublicAccessBlockCommand, HeadBucketCommand, PutBucketOwnershipControlsCommand } from '@aws-sdk/client-s3'
import { apiGatewayClient, deploy, sendTo } from '../../../helpers/apigateway.ts'
import { signedHeaders } from '../../../helpers/execute-api-signer.ts'
import { testCredentials, useNimbus } from '../../../helpers/nimbus.ts'
import { bucketName, s3Client } from '../../../helpers/s3.ts'
import { s3ProxyApi } from './s3-proxy-api.ts'

const nimbus = useNimbus()

describe('the S3 proxy tutorial', () => {
  it('lists buckets and objects, uploads, reads, heads and deletes an object through the sample API, signed', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await client.send(new ImportRestApiCommand({ body: Buffer.from(JSON.stringify(s3ProxyApi)) }))
    assert.equal(api.name, 'MyS3')
    await deploy(client, api.id!, 'S3')
    const host = new URL(nimbus.current.endpoint).host
    const call = async (method: string, resource: string, body = '', headers: Record<string, string> = {}) => {
      const path = `/restapis/${api.id}/S3/_user_request_${resource}`
      const signed = await signedHeaders(nimbus.current, testCredentials, method, host, path, body)
      return sendTo(nimbus.current, host, path, { method, headers: { ...signed, ...headers, 'content-length': String(Buffer.byteLength(body)) }, body })
    }

    const unsigned = await sendTo(nimbus.current, host, `/restapis/${api.id}/S3/_user_request_/`, {})
    assert.equal(unsigned.status, 403)
    assert.deepEqual(unsigned.json(), { message: 'Missing Authentication Token' })

    // GET /: ListBuckets; Content-Type, Content-Length and S3's Date (as Timestamp) mapped onto the method response.
    const bucket = bucketName('apig-demo')
    // The sample's URIs name us-west-2: the bucket lives there.
    const s3 = s3Client(nimbus.current, { region: 'us-west-2' })
    await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } }))
    const buckets = await call('GET', '/')
    assert.equal(buckets.status, 200)
    assert.equal(buckets.headers['content-type'], 'application/xml')
    assert.equal(buckets.headers['timestamp'], new Date(nimbus.current.clock.now()).toUTCString())
    assert.equal(buckets.headers['content-length'], String(buckets.body.length))
    assert.match(buckets.text, new RegExp(`<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Buckets><Bucket><Name>${bucket}</Name>`))

    // PUT /{folder}: CreateBucket at the URI's us-west-2 endpoint — without a LocationConstraint body S3 refuses it, and
    // with one it refuses the sample's `x-amz-acl: authenticated-read`; S3's 400 selects `4\d{2}` → 400.
    const location = '<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>us-west-2' +
      '</LocationConstraint></CreateBucketConfiguration>'
    const unplaced = await call('PUT', `/${bucketName('apig-acl')}`, '', { 'content-type': 'application/xml' })
    assert.equal(unplaced.status, 400)
    assert.match(unplaced.text, /<Code>IllegalLocationConstraintException<\/Code>/)
    const refused = await call('PUT', `/${bucketName('apig-acl')}`, location, { 'content-type': 'application/xml' })
    assert.equal(refused.status, 400)
    assert.equal(refused.headers['content-type'], 'application/json')
    assert.match(refused.text, /<Code>InvalidBucketAclWithObjectOwnership<\/Code>/)

    // PUT /{folder}/{item} on a bucket that takes ACLs; GET, HEAD and the folder's listing show it.
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: bucket, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }))
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }))
    const readme = '{"message":"Hello, World!"}'
    const uploaded = await call('PUT', `/${bucket}/Readme.txt`, readme, { 'content-type': 'application/json' })
    assert.equal(uploaded.status, 200)
    assert.equal(uploaded.text, '')
    const got = await call('GET', `/${bucket}/Readme.txt`)
    assert.equal(got.status, 200)
    assert.equal(got.headers['content-type'], 'application/json')
    assert.equal(got.text, readme)
    const head = await call('HEAD', `/${bucket}/Readme.txt`)
    assert.equal(head.status, 200)
    assert.equal(head.headers['content-length'], String(readme.length))
    const listing = await call('GET', `/${bucket}`)
    assert.equal(listing.status, 200)
    assert.equal(listing.headers['content-type'], 'application/xml')
    assert.match(listing.text, /<Contents><Key>Readme\.txt<\/Key>.*<Size>27<\/Size>/)

    // A missing object: S3's 404 NoSuchKey selects `4\d{2}` → the method's 400, S3's XML as the body.
    const missing = await call('GET', `/${bucket}/nope.txt`)
    assert.equal(missing.status, 400)
    assert.match(missing.text, /<Code>NoSuchKey<\/Code><Message>The specified key does not exist.<\/Message><Key>nope.txt<\/Key>/)

    // DELETE the object, then the bucket.
    assert.equal((await call('DELETE', `/${bucket}/Readme.txt`)).status, 200)
    assert.equal((await call('GET', `/${bucket}/Readme.txt`)).status, 400)
    const dropped = await call('DELETE', `/${bucket}`)
    assert.equal(dropped.status, 200)
    assert.equal(dropped.headers['date'] !== undefined, true)
    await assert.rejects(s3.send(new HeadBucketCommand({ Bucket: bucket })), { name: 'NotFound' })

    // Exported again, each operation produces the response models' media type and, with no templates, consumes none.
    const exported = await client.send(new GetExportCommand({ restApiId: api.id!, stageName: 'S3', exportType: 'swagger', accepts: 'application/json' }))
    const doc = JSON.parse(Buffer.from(exported.body!).toString('utf8')) as typeof s3ProxyApi
    const mediaTypes = (d: typeof s3ProxyApi) => Object.entries(d.paths).flatMap(([p, ops]) =>
      Object.entries(ops as Record<string, { consumes?: string[]; produces?: string[] }>).map(([verb, op]) => [p, verb, op.consumes, op.produces]))
    assert.deepEqual(mediaTypes(doc), mediaTypes(s3ProxyApi))
  })
})
