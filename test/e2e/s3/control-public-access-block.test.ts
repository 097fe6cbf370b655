// S3 Control's account-level Block Public Access, end to end with @aws-sdk/client-s3-control, and how
// S3 applies it together with each bucket's settings (each setting on when either turns it on).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateBucketCommand, DeletePublicAccessBlockCommand as DeleteBucketBlock, GetObjectCommand, PutBucketAclCommand, PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand, PutObjectAclCommand, PutObjectCommand, PutPublicAccessBlockCommand as PutBucketBlock, S3Client,
} from '@aws-sdk/client-s3'
import { DeletePublicAccessBlockCommand, GetPublicAccessBlockCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3-control'
import { useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest } from '../../helpers/raw-http.ts'
import { bucketName } from '../../helpers/s3.ts'
import { s3ControlClient } from '../../helpers/s3-control.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const ACCOUNT = '111122223333'
const s3 = () => new S3Client({ endpoint: nimbus.current.endpoint, region: 'us-east-1', forcePathStyle: true,
  credentials: { accessKeyId: ACCOUNT, secretAccessKey: 'test' }, maxAttempts: 1 })
const control = () => s3ControlClient(nimbus.current, ACCOUNT)
const publicRead = (bucket: string) => JSON.stringify({ Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }] })

/** A bucket with its own public access block lifted and ACLs enabled. */
async function openBucket(): Promise<string> {
  const Bucket = bucketName('pab')
  await s3().send(new CreateBucketCommand({ Bucket }))
  await s3().send(new DeleteBucketBlock({ Bucket }))
  await s3().send(new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }))
  await s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'hello' }))
  return Bucket
}

describe('S3 Control account-level public access block', () => {
  it('is absent until put, answered as put, and gone after delete', async () => {
    const missing = await sdkError(control().send(new GetPublicAccessBlockCommand({ AccountId: ACCOUNT })))
    assert.deepEqual([missing.name, missing.status, missing.message],
      ['NoSuchPublicAccessBlockConfiguration', 404, 'The public access block configuration was not found'])
    await control().send(new PutPublicAccessBlockCommand({ AccountId: ACCOUNT, PublicAccessBlockConfiguration: { BlockPublicPolicy: true } }))
    const got = await control().send(new GetPublicAccessBlockCommand({ AccountId: ACCOUNT }))
    assert.deepEqual(got.PublicAccessBlockConfiguration,
      { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: true, RestrictPublicBuckets: false })
    await control().send(new DeletePublicAccessBlockCommand({ AccountId: ACCOUNT }))
    assert.equal((await sdkError(control().send(new GetPublicAccessBlockCommand({ AccountId: ACCOUNT })))).name, 'NoSuchPublicAccessBlockConfiguration')
    // Deleting what isn't there succeeds, as AWS's DeletePublicAccessBlock does.
    await control().send(new DeletePublicAccessBlockCommand({ AccountId: ACCOUNT }))
  })

  it('refuses another account id than the caller\'s', async () => {
    const error = await sdkError(control().send(new GetPublicAccessBlockCommand({ AccountId: '444455556666' })))
    assert.deepEqual([error.name, error.status], ['AccessDenied', 403])
  })

  it('BlockPublicPolicy of the account refuses a public bucket policy the bucket itself allows', async () => {
    const Bucket = await openBucket()
    await control().send(new PutPublicAccessBlockCommand({ AccountId: ACCOUNT, PublicAccessBlockConfiguration: { BlockPublicPolicy: true } }))
    const error = await sdkError(s3().send(new PutBucketPolicyCommand({ Bucket, Policy: publicRead(Bucket) })))
    assert.deepEqual([error.name, error.status], ['AccessDenied', 403])
    await control().send(new DeletePublicAccessBlockCommand({ AccountId: ACCOUNT }))
    await s3().send(new PutBucketPolicyCommand({ Bucket, Policy: publicRead(Bucket) }))
  })

  it('RestrictPublicBuckets of the account stops a public policy serving anonymous reads', async () => {
    const Bucket = await openBucket()
    await s3().send(new PutBucketPolicyCommand({ Bucket, Policy: publicRead(Bucket) }))
    assert.equal((await rawRequest(nimbus.current.endpoint, { method: 'GET', path: `/${Bucket}/k` })).status, 200)
    await control().send(new PutPublicAccessBlockCommand({ AccountId: ACCOUNT, PublicAccessBlockConfiguration: { RestrictPublicBuckets: true } }))
    assert.equal((await rawRequest(nimbus.current.endpoint, { method: 'GET', path: `/${Bucket}/k` })).status, 403)
    // The owner is unaffected.
    assert.equal((await s3().send(new GetObjectCommand({ Bucket, Key: 'k' }))).$metadata.httpStatusCode, 200)
    await control().send(new DeletePublicAccessBlockCommand({ AccountId: ACCOUNT }))
    assert.equal((await rawRequest(nimbus.current.endpoint, { method: 'GET', path: `/${Bucket}/k` })).status, 200)
  })

  it('BlockPublicAcls and IgnorePublicAcls of the account apply to bucket and object ACLs', async () => {
    const Bucket = await openBucket()
    await control().send(new PutPublicAccessBlockCommand({ AccountId: ACCOUNT, PublicAccessBlockConfiguration: { BlockPublicAcls: true } }))
    for (const call of [s3().send(new PutBucketAclCommand({ Bucket, ACL: 'public-read' })),
      s3().send(new PutObjectAclCommand({ Bucket, Key: 'k', ACL: 'public-read' }))]) {
      const error = await sdkError(call)
      assert.deepEqual([error.name, error.status], ['AccessDenied', 403])
    }
    await control().send(new PutPublicAccessBlockCommand({ AccountId: ACCOUNT, PublicAccessBlockConfiguration: { IgnorePublicAcls: true } }))
    await s3().send(new PutObjectAclCommand({ Bucket, Key: 'k', ACL: 'public-read' }))
    assert.equal((await rawRequest(nimbus.current.endpoint, { method: 'GET', path: `/${Bucket}/k` })).status, 403)
    await control().send(new DeletePublicAccessBlockCommand({ AccountId: ACCOUNT }))
    assert.equal((await rawRequest(nimbus.current.endpoint, { method: 'GET', path: `/${Bucket}/k` })).status, 200)
  })

  it('the most restrictive wins: the bucket\'s own setting holds when the account\'s is off', async () => {
    const Bucket = await openBucket()
    await s3().send(new PutBucketBlock({ Bucket, PublicAccessBlockConfiguration: { BlockPublicPolicy: true } }))
    await control().send(new PutPublicAccessBlockCommand({ AccountId: ACCOUNT, PublicAccessBlockConfiguration: { BlockPublicPolicy: false } }))
    assert.equal((await sdkError(s3().send(new PutBucketPolicyCommand({ Bucket, Policy: publicRead(Bucket) })))).status, 403)
    await control().send(new DeletePublicAccessBlockCommand({ AccountId: ACCOUNT }))
  })

  it('answers the Host forms the SDK sends: `<account>.s3-control.<region>.amazonaws.com` and `<account>.localhost`', async () => {
    await control().send(new PutPublicAccessBlockCommand({ AccountId: ACCOUNT, PublicAccessBlockConfiguration: { BlockPublicAcls: true } }))
    for (const host of [`${ACCOUNT}.s3-control.us-east-1.amazonaws.com`, `${ACCOUNT}.localhost:4566`]) {
      const answer = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: '/v20180820/configuration/publicAccessBlock',
        headers: { host, 'x-amz-account-id': ACCOUNT,
          authorization: `AWS4-HMAC-SHA256 Credential=${ACCOUNT}/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0` },
      })
      assert.equal(answer.status, 200, host)
      assert.match(answer.body, /<BlockPublicAcls>true<\/BlockPublicAcls>/)
    }
    await control().send(new DeletePublicAccessBlockCommand({ AccountId: ACCOUNT }))
  })
})
