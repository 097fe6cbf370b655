// ACLs kept and evaluated while Object Ownership allows them, and the public access block's four
// settings: BlockPublicAcls refuses public ACLs, IgnorePublicAcls ignores them.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeletePublicAccessBlockCommand, GetBucketAclCommand, GetObjectAclCommand, GetObjectCommand, ListBucketsCommand,
  ListObjectsV2Command, PutBucketAclCommand, PutBucketOwnershipControlsCommand, PutBucketPolicyCommand, PutObjectAclCommand, PutObjectCommand, PutPublicAccessBlockCommand,
  S3Client, UploadPartCommand,
} from '@aws-sdk/client-s3'
import { useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest } from '../../helpers/raw-http.ts'
import { bucketName, text } from '../../helpers/s3.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const client = (accessKeyId: string) => new S3Client({ endpoint: nimbus.current.endpoint, region: 'us-east-1', forcePathStyle: true,
  credentials: { accessKeyId, secretAccessKey: 'test' }, maxAttempts: 1 })
const owner = () => client('111122223333')
const other = () => client('444455556666')
const anonymous = (path: string) => rawRequest(nimbus.current.endpoint, { method: 'GET', path })
const denied = async (call: Promise<unknown>) => assert.deepEqual(Object.values(await sdkError(call)).slice(0, 1), ['AccessDenied'])

/** A bucket with ACLs enabled (ObjectWriter) and, unless kept, no public access block. */
async function aclBucket(prefix: string, keepBlock = false): Promise<string> {
  const Bucket = bucketName(prefix)
  await owner().send(new CreateBucketCommand({ Bucket, ObjectOwnership: 'ObjectWriter' }))
  if (!keepBlock) await owner().send(new DeletePublicAccessBlockCommand({ Bucket }))
  return Bucket
}

describe('S3 ACLs', () => {
  it('grants another account what a bucket or object ACL names, and answers the grants', async () => {
    const otherId = (await other().send(new ListBucketsCommand({}))).Owner!.ID!
    const Bucket = await aclBucket('grants')
    await owner().send(new PutObjectCommand({ Bucket, Key: 'shared', Body: 's', GrantRead: `id="${otherId}"` }))
    await owner().send(new PutObjectCommand({ Bucket, Key: 'mine', Body: 'm' }))
    assert.equal(await text((await other().send(new GetObjectCommand({ Bucket, Key: 'shared' }))).Body), 's')
    await denied(other().send(new GetObjectCommand({ Bucket, Key: 'mine' })))
    const objectAcl = await owner().send(new GetObjectAclCommand({ Bucket, Key: 'shared' }))
    assert.deepEqual(objectAcl.Grants?.map((g) => [g.Grantee?.Type, g.Permission]), [['CanonicalUser', 'FULL_CONTROL'], ['CanonicalUser', 'READ']])
    assert.equal(objectAcl.Grants?.[1]?.Grantee?.ID, otherId)

    await denied(other().send(new ListObjectsV2Command({ Bucket })))
    await owner().send(new PutBucketAclCommand({ Bucket, GrantRead: `id="${otherId}"` }))
    assert.deepEqual((await other().send(new ListObjectsV2Command({ Bucket }))).Contents?.map((o) => o.Key), ['mine', 'shared'])
    const bucketAcl = await owner().send(new GetBucketAclCommand({ Bucket }))
    assert.deepEqual(bucketAcl.Grants?.map((g) => g.Permission), ['FULL_CONTROL', 'READ'])
    // WRITE on the bucket lets the other account upload.
    await denied(other().send(new PutObjectCommand({ Bucket, Key: 'theirs', Body: 't' })))
    await owner().send(new PutBucketAclCommand({ Bucket, AccessControlPolicy: { Owner: bucketAcl.Owner, Grants: [
      { Grantee: { Type: 'CanonicalUser', ID: otherId }, Permission: 'WRITE' }] } }))
    await other().send(new PutObjectCommand({ Bucket, Key: 'theirs', Body: 't' }))
  })

  it('leaves an object another account wrote to its ACL: the bucket owner reads it only when granted', async () => {
    const Bucket = await aclBucket('foreign')
    await owner().send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Principal: { AWS: '444455556666' }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${Bucket}/*` }] }) }))
    await other().send(new PutObjectCommand({ Bucket, Key: 'theirs', Body: 't' }))
    await other().send(new PutObjectCommand({ Bucket, Key: 'shared', Body: 's', ACL: 'bucket-owner-read' }))
    await denied(owner().send(new GetObjectCommand({ Bucket, Key: 'theirs' })))
    assert.equal(await text((await owner().send(new GetObjectCommand({ Bucket, Key: 'shared' }))).Body), 's')
    assert.equal(await text((await other().send(new GetObjectCommand({ Bucket, Key: 'theirs' }))).Body), 't')
    // Enforcing bucket ownership makes the bucket owner the owner of everything.
    await owner().send(new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } }))
    assert.equal(await text((await owner().send(new GetObjectCommand({ Bucket, Key: 'theirs' }))).Body), 't')
  })

  it('serves public-read and authenticated-read objects as AWS does, unless IgnorePublicAcls', async () => {
    const Bucket = await aclBucket('public')
    await owner().send(new PutObjectCommand({ Bucket, Key: 'open', Body: 'o', ACL: 'public-read' }))
    await owner().send(new PutObjectCommand({ Bucket, Key: 'members', Body: 'm', ACL: 'authenticated-read' }))
    assert.deepEqual([(await anonymous(`/${Bucket}/open`)).body], ['o'])
    assert.equal((await anonymous(`/${Bucket}/members`)).status, 403)
    assert.equal(await text((await other().send(new GetObjectCommand({ Bucket, Key: 'members' }))).Body), 'm')
    await owner().send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { IgnorePublicAcls: true } }))
    assert.equal((await anonymous(`/${Bucket}/open`)).status, 403)
    await denied(other().send(new GetObjectCommand({ Bucket, Key: 'members' })))
    // Turning ACLs off (BucketOwnerEnforced) makes every ACL count for nothing.
    await owner().send(new DeletePublicAccessBlockCommand({ Bucket }))
    await owner().send(new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } }))
    assert.equal((await anonymous(`/${Bucket}/open`)).status, 403)
  })

  it('keeps the ACL a multipart upload or a browser POST upload asked for', async () => {
    const Bucket = await aclBucket('later')
    const { UploadId } = await owner().send(new CreateMultipartUploadCommand({ Bucket, Key: 'multi', ACL: 'public-read' }))
    const part = await owner().send(new UploadPartCommand({ Bucket, Key: 'multi', UploadId, PartNumber: 1, Body: 'm' }))
    await owner().send(new CompleteMultipartUploadCommand({ Bucket, Key: 'multi', UploadId,
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag, ChecksumCRC32: part.ChecksumCRC32 }] } }))
    assert.deepEqual([(await anonymous(`/${Bucket}/multi`)).body], ['m'])
    const form = new FormData()
    form.append('key', 'posted')
    form.append('acl', 'public-read')
    form.append('policy', Buffer.from(JSON.stringify({ expiration: new Date(nimbus.current.clock.now() + 60_000).toISOString(),
      conditions: [{ bucket: Bucket }, { key: 'posted' }, { acl: 'public-read' }, ['starts-with', '$x-amz-credential', '']] })).toString('base64'))
    form.append('x-amz-credential', '111122223333/20260101/us-east-1/s3/aws4_request')
    form.append('file', new Blob(['p']), 'p.txt')
    assert.equal((await fetch(`${nimbus.current.endpoint}/${Bucket}`, { method: 'POST', body: form })).status, 204)
    assert.deepEqual([(await anonymous(`/${Bucket}/posted`)).body], ['p'])
  })

  it('BlockPublicAcls refuses public ACLs on writes and ACL puts', async () => {
    const Bucket = await aclBucket('block', true)
    await owner().send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true } }))
    await denied(owner().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', ACL: 'public-read' })))
    await owner().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', ACL: 'private' }))
    await denied(owner().send(new PutObjectAclCommand({ Bucket, Key: 'k', ACL: 'public-read-write' })))
    await denied(owner().send(new PutBucketAclCommand({ Bucket, GrantRead: 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' })))
  })

  it('refuses ACLs where Object Ownership disables them', async () => {
    const Bucket = bucketName('enforced')
    const created = await sdkError(owner().send(new CreateBucketCommand({ Bucket, ACL: 'public-read' })))
    assert.deepEqual([created.name, created.status, created.message],
      ['InvalidBucketAclWithObjectOwnership', 400, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting"])
    await owner().send(new CreateBucketCommand({ Bucket, ACL: 'private' }))
    const refused = await sdkError(owner().send(new PutBucketAclCommand({ Bucket, GrantRead: 'id="abc"' })))
    assert.deepEqual([refused.name, refused.status], ['AccessControlListNotSupported', 400])
  })
})
