// Small wire details where S3 answers its own way: expected bucket owners, lifecycle rule IDs, empty
// delimiters, Content-Encoding as sent, presigned expiry bounds, RFC 2047 metadata, bucket policy
// answers, and the ACLs S3 refuses.
import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { describe, it } from 'node:test'
import {
  CreateBucketCommand, DeletePublicAccessBlockCommand, GetBucketLifecycleConfigurationCommand, GetBucketPolicyStatusCommand, GetObjectCommand, HeadObjectCommand,
  ListObjectsV2Command, PutBucketLifecycleConfigurationCommand, PutBucketPolicyCommand, PutObjectAclCommand, PutObjectCommand, S3Client,
} from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import { testCredentials, useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest, signedBy } from '../../helpers/raw-http.ts'
import { bucketName, s3Client, text } from '../../helpers/s3.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()

async function newBucket(prefix: string, s3 = s3Client(nimbus.current)): Promise<string> {
  const Bucket = bucketName(prefix)
  await s3.send(new CreateBucketCommand({ Bucket }))
  return Bucket
}

describe('S3 wire details', () => {
  it('checks x-amz-expected-bucket-owner on every operation: 403 for another account, 400 for a malformed one', async () => {
    const owner = new S3Client({ endpoint: nimbus.current.endpoint, region: 'us-east-1', forcePathStyle: true,
      credentials: { ...testCredentials, accessKeyId: '111122223333' } })
    const Bucket = await newBucket('owned', owner)
    await owner.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', ExpectedBucketOwner: '111122223333' }))
    assert.equal(await text((await owner.send(new GetObjectCommand({ Bucket, Key: 'k', ExpectedBucketOwner: '111122223333' }))).Body), 'x')
    for (const call of [
      () => owner.send(new GetObjectCommand({ Bucket, Key: 'k', ExpectedBucketOwner: '444455556666' })),
      () => owner.send(new ListObjectsV2Command({ Bucket, ExpectedBucketOwner: '444455556666' })),
      () => owner.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'y', ExpectedBucketOwner: '444455556666' })),
    ]) {
      const error = await sdkError(call())
      assert.deepEqual([error.name, error.status], ['AccessDenied', 403])
    }
    const malformed = await sdkError(owner.send(new ListObjectsV2Command({ Bucket, ExpectedBucketOwner: 'me' })))
    assert.deepEqual([malformed.name, malformed.status], ['InvalidArgument', 400])
  })

  it('gives lifecycle rules without an ID a generated one; refuses long or repeated IDs and transition dates off midnight', async () => {
    const s3 = s3Client(nimbus.current)
    const Bucket = await newBucket('lc')
    const rule = { Status: 'Enabled' as const, Filter: { Prefix: 'a/' }, Expiration: { Days: 3 } }
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [rule] } }))
    const got = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))
    assert.match(got.Rules?.[0]?.ID ?? '', /^[A-Za-z0-9+/=]{20,}$/)
    for (const Rules of [[{ ...rule, ID: 'x'.repeat(256) }], [{ ...rule, ID: 'same' }, { ...rule, ID: 'same' }],
      [{ ...rule, ID: 't', Transitions: [{ Date: new Date('2030-01-01T12:00:00Z'), StorageClass: 'GLACIER' as const }] }]]) {
      const error = await sdkError(s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules } })))
      assert.deepEqual([error.name, error.status], ['InvalidArgument', 400])
    }
  })

  it('does not echo an empty delimiter, keeps Content-Encoding as sent, and never decodes a plain body as aws-chunked', async () => {
    const Bucket = await newBucket('wire')
    const put = (key: string, headers: Record<string, string>, body: string) =>
      rawRequest(nimbus.current.endpoint, { method: 'PUT', path: `/${Bucket}/${key}`, headers: { ...signedBy('s3'), ...headers }, body })
    assert.equal((await put('gz', { 'content-encoding': 'gzip, br' }, 'zz')).status, 200)
    const chunkedLooking = '3\r\nabc\r\n0\r\n\r\n'
    assert.equal((await put('plain', { 'content-encoding': 'aws-chunked' }, chunkedLooking)).status, 200)
    const s3 = s3Client(nimbus.current)
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: 'gz' }))).ContentEncoding, 'gzip, br')
    const plain = await s3.send(new GetObjectCommand({ Bucket, Key: 'plain' }))
    assert.equal(await text(plain.Body), chunkedLooking)
    assert.equal(plain.ContentEncoding, undefined)
    const list = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: `/${Bucket}?list-type=2&delimiter=`, headers: signedBy('s3') })
    assert.equal(list.status, 200)
    assert.doesNotMatch(list.body, /<Delimiter>/)
  })

  it('treats X-Amz-Expires=0 as expired (403) and an expiry past a week as AuthorizationQueryParametersError', async () => {
    const s3 = s3Client(nimbus.current)
    const Bucket = await newBucket('presign')
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }))
    const url = new URL(await getSignedUrl(s3, new GetObjectCommand({ Bucket, Key: 'k' }),
      { expiresIn: 60, signingDate: new Date(nimbus.current.clock.now()) }))
    url.searchParams.set('X-Amz-Expires', '0')
    const zero = await fetch(url)
    assert.equal(zero.status, 403)
    assert.match(await zero.text(), /Request has expired/)
    url.searchParams.set('X-Amz-Expires', '604801')
    const long = await fetch(url)
    assert.equal(long.status, 400)
    assert.match(await long.text(), /<Code>AuthorizationQueryParametersError<\/Code>/)
  })

  it('answers non-ASCII user metadata RFC 2047-encoded (a raw socket: UTF-8 bytes in the header, as no client library sends)', async () => {
    const Bucket = await newBucket('meta')
    const { hostname, port } = new URL(nimbus.current.endpoint)
    const request = Buffer.concat([Buffer.from(`PUT /${Bucket}/k HTTP/1.1\r\nhost: ${hostname}:${port}\r\n` +
      `authorization: ${signedBy('s3').authorization}\r\ncontent-length: 1\r\nx-amz-meta-plain: ascii\r\nx-amz-meta-drink: `),
    Buffer.from('café ☕'), Buffer.from('\r\nconnection: close\r\n\r\nx')])
    const answer = await new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = []
      const socket = connect(Number(port), hostname, () => socket.end(request))
      socket.on('data', (c: Buffer) => chunks.push(c)).on('error', reject).on('close', () => resolve(Buffer.concat(chunks).toString()))
    })
    assert.match(answer, /^HTTP\/1\.1 200/)
    const head = await s3Client(nimbus.current).send(new HeadObjectCommand({ Bucket, Key: 'k' }))
    assert.deepEqual(head.Metadata, { drink: `=?UTF-8?B?${Buffer.from('café ☕').toString('base64')}?=`, plain: 'ascii' })
  })

  it('answers PutBucketPolicy with 204 and GetBucketPolicyStatus by whether the policy is public', async () => {
    const s3 = s3Client(nimbus.current)
    const Bucket = await newBucket('policy')
    assert.equal((await sdkError(s3.send(new GetBucketPolicyStatusCommand({ Bucket })))).name, 'NoSuchBucketPolicy')
    const statement = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*` }
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket }))
    const put = await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }) }))
    assert.equal(put.$metadata.httpStatusCode, 204)
    assert.equal((await s3.send(new GetBucketPolicyStatusCommand({ Bucket }))).PolicyStatus?.IsPublic, true)
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ ...statement,
      Principal: { AWS: 'arn:aws:iam::111122223333:root' } }] }) }))
    assert.equal((await s3.send(new GetBucketPolicyStatusCommand({ Bucket }))).PolicyStatus?.IsPublic, false)
  })

  it('refuses ACLs on a BucketOwnerEnforced bucket (but bucket-owner-full-control), and email grantees anywhere (405)', async () => {
    const s3 = s3Client(nimbus.current)
    const Bucket = await newBucket('acl')
    const refused = await sdkError(s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', ACL: 'public-read' })))
    assert.deepEqual([refused.name, refused.status, refused.message], ['AccessControlListNotSupported', 400, 'The bucket does not allow ACLs'])
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', ACL: 'bucket-owner-full-control' }))
    const email = await sdkError(s3.send(new PutObjectAclCommand({ Bucket, Key: 'k', GrantRead: 'emailAddress="someone@example.com"' })))
    assert.deepEqual([email.name, email.status], ['MethodNotAllowed', 405])
  })
})
