// Buckets: create (location constraints, the us-east-1 quirk), head, list with pagination,
// delete, location, versioning, and the configurations S3 stores and returns.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateBucketCommand, DeleteBucketCommand, DeleteBucketCorsCommand, DeleteBucketEncryptionCommand, DeleteBucketLifecycleCommand,
  DeleteBucketOwnershipControlsCommand, DeleteBucketPolicyCommand, DeleteBucketTaggingCommand, DeleteBucketWebsiteCommand,
  DeletePublicAccessBlockCommand, GetBucketCorsCommand, GetBucketEncryptionCommand, GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand, GetBucketOwnershipControlsCommand, GetBucketPolicyCommand, GetBucketTaggingCommand,
  GetBucketVersioningCommand, GetBucketWebsiteCommand, GetPublicAccessBlockCommand, HeadBucketCommand, ListBucketsCommand,
  PutBucketCorsCommand, PutBucketLifecycleConfigurationCommand, PutBucketPolicyCommand, PutBucketTaggingCommand,
  PutBucketVersioningCommand, PutBucketWebsiteCommand, PutObjectCommand, PutPublicAccessBlockCommand, S3Client,
} from '@aws-sdk/client-s3'
import { testCredentials, useNimbus } from '../../helpers/nimbus.ts'
import { signedBy } from '../../helpers/raw-http.ts'
import { bucketName, s3Client } from '../../helpers/s3.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()

describe('S3 buckets', () => {
  it('creates, heads, locates and deletes a bucket; a bucket with objects is not deleted', async () => {
    const s3 = s3Client(nimbus.current)
    const Bucket = bucketName()
    const created = await s3.send(new CreateBucketCommand({ Bucket }))
    assert.equal(created.Location, `/${Bucket}`)
    const head = await s3.send(new HeadBucketCommand({ Bucket }))
    assert.equal(head.BucketRegion, 'us-east-1')
    assert.equal((await s3.send(new GetBucketLocationCommand({ Bucket }))).LocationConstraint, undefined)
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }))
    const notEmpty = await sdkError(s3.send(new DeleteBucketCommand({ Bucket })))
    assert.deepEqual([notEmpty.name, notEmpty.status], ['BucketNotEmpty', 409])
    const missing = await sdkError(s3.send(new HeadBucketCommand({ Bucket: bucketName('gone') })))
    assert.deepEqual([missing.name, missing.status], ['NotFound', 404])
  })

  it('follows AWS on repeated creates: 200 in us-east-1, BucketAlreadyOwnedByYou elsewhere, BucketAlreadyExists for another account', async () => {
    const east = s3Client(nimbus.current)
    const Bucket = bucketName()
    await east.send(new CreateBucketCommand({ Bucket }))
    await east.send(new CreateBucketCommand({ Bucket }))
    const eu = s3Client(nimbus.current, { region: 'eu-west-1' })
    const EuBucket = bucketName('eu')
    await eu.send(new CreateBucketCommand({ Bucket: EuBucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }))
    assert.equal((await eu.send(new GetBucketLocationCommand({ Bucket: EuBucket }))).LocationConstraint, 'eu-west-1')
    const again = await sdkError(eu.send(new CreateBucketCommand({ Bucket: EuBucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })))
    assert.deepEqual([again.name, again.status], ['BucketAlreadyOwnedByYou', 409])
    const other = new S3Client({ endpoint: nimbus.current.endpoint, region: 'us-east-1', forcePathStyle: true,
      credentials: { ...testCredentials, accessKeyId: '111122223333' } })
    const taken = await sdkError(other.send(new CreateBucketCommand({ Bucket })))
    assert.deepEqual([taken.name, taken.status], ['BucketAlreadyExists', 409])
    // SDK v3 adds the client's region as the constraint; a bare request to an eu-west-1 endpoint has none.
    const unconstrained = await fetch(`${nimbus.current.endpoint}/${bucketName('eu')}`, { method: 'PUT', headers: {
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/eu-west-1/s3/aws4_request, SignedHeaders=host, Signature=0' } })
    assert.equal(unconstrained.status, 400)
    assert.match(await unconstrained.text(), /<Code>IllegalLocationConstraintException<\/Code>/)
    // Through the us-east-1 endpoint a bucket may be made in any region its constraint names.
    const elsewhere = bucketName('elsewhere')
    await east.send(new CreateBucketCommand({ Bucket: elsewhere, CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-2' } }))
    assert.equal((await east.send(new GetBucketLocationCommand({ Bucket: elsewhere }))).LocationConstraint, 'ap-southeast-2')
    // A regional endpoint still refuses another region's constraint, and nobody takes a made-up region.
    const foreign = await sdkError(eu.send(new CreateBucketCommand({ Bucket: bucketName('foreign'),
      CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } })))
    assert.equal(foreign.name, 'IllegalLocationConstraintException')
    const madeUp = await sdkError(east.send(new CreateBucketCommand({ Bucket: bucketName('madeup'),
      CreateBucketConfiguration: { LocationConstraint: 'moon-base' as 'us-west-2' } })))
    assert.equal(madeUp.name, 'InvalidLocationConstraint')
  })

  it('refuses invalid names', async () => {
    const s3 = s3Client(nimbus.current)
    for (const Bucket of ['ab', 'Upper-case', 'a..b', '192.168.1.1', '-leading', 'x'.repeat(64), 'xn--punycode', 'under_score']) {
      const error = await sdkError(s3.send(new CreateBucketCommand({ Bucket })))
      assert.equal(error.name, 'InvalidBucketName', Bucket)
    }
  })

  it('lists buckets in pages with MaxBuckets and ContinuationToken', async () => {
    const s3 = new S3Client({ endpoint: nimbus.current.endpoint, region: 'us-east-1', forcePathStyle: true,
      credentials: { ...testCredentials, accessKeyId: '444455556666' } })
    const names = ['page-a', 'page-b', 'page-c'].map((p) => bucketName(p))
    for (const Bucket of names) await s3.send(new CreateBucketCommand({ Bucket }))
    const first = await s3.send(new ListBucketsCommand({ MaxBuckets: 2 }))
    assert.deepEqual(first.Buckets?.map((b) => b.Name), names.slice(0, 2))
    assert.ok(first.ContinuationToken)
    const second = await s3.send(new ListBucketsCommand({ MaxBuckets: 2, ContinuationToken: first.ContinuationToken }))
    assert.deepEqual(second.Buckets?.map((b) => b.Name), names.slice(2))
    assert.equal(second.ContinuationToken, undefined)
    assert.match(first.Owner?.ID ?? '', /^[0-9a-f]{64}$/)
  })

  it('stores versioning: Enabled, then Suspended', async () => {
    const s3 = s3Client(nimbus.current)
    const Bucket = bucketName()
    await s3.send(new CreateBucketCommand({ Bucket }))
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status, undefined)
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }))
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status, 'Enabled')
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }))
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status, 'Suspended')
  })

  it('stores and returns configurations, and names each absent one as AWS does', async () => {
    const s3 = s3Client(nimbus.current)
    const Bucket = bucketName()
    await s3.send(new CreateBucketCommand({ Bucket }))
    // New buckets carry AWS's defaults: owner enforced, public access blocked, SSE-S3.
    const ownership = await s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))
    assert.equal(ownership.OwnershipControls?.Rules?.[0]?.ObjectOwnership, 'BucketOwnerEnforced')
    assert.equal((await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration?.BlockPublicAcls, true)
    const sse = await s3.send(new GetBucketEncryptionCommand({ Bucket }))
    assert.equal(sse.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm, 'AES256')

    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*` }] })
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: policy }))
    assert.equal((await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy, policy)
    await s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: [{ AllowedMethods: ['GET', 'PUT'], AllowedOrigins: ['*'], MaxAgeSeconds: 60 }] } }))
    const cors = await s3.send(new GetBucketCorsCommand({ Bucket }))
    assert.deepEqual(cors.CORSRules?.[0]?.AllowedMethods, ['GET', 'PUT'])
    assert.equal(cors.CORSRules?.[0]?.MaxAgeSeconds, 60)
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [
      { ID: 'expire', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 7 } }] } }))
    const lifecycle = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))
    assert.equal(lifecycle.Rules?.[0]?.Expiration?.Days, 7)
    assert.equal(lifecycle.Rules?.[0]?.Filter?.Prefix, 'tmp/')
    await s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'team', Value: 'core' }] } }))
    assert.deepEqual((await s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet, [{ Key: 'team', Value: 'core' }])
    await s3.send(new PutBucketWebsiteCommand({ Bucket, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } } }))
    assert.equal((await s3.send(new GetBucketWebsiteCommand({ Bucket }))).IndexDocument?.Suffix, 'index.html')
    await s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: false } }))
    assert.equal((await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration?.BlockPublicAcls, false)

    const absent: Array<[() => Promise<unknown>, () => Promise<unknown>, string]> = [
      [() => s3.send(new DeleteBucketPolicyCommand({ Bucket })), () => s3.send(new GetBucketPolicyCommand({ Bucket })), 'NoSuchBucketPolicy'],
      [() => s3.send(new DeleteBucketCorsCommand({ Bucket })), () => s3.send(new GetBucketCorsCommand({ Bucket })), 'NoSuchCORSConfiguration'],
      [() => s3.send(new DeleteBucketLifecycleCommand({ Bucket })), () => s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })),
        'NoSuchLifecycleConfiguration'],
      [() => s3.send(new DeleteBucketTaggingCommand({ Bucket })), () => s3.send(new GetBucketTaggingCommand({ Bucket })), 'NoSuchTagSet'],
      [() => s3.send(new DeleteBucketEncryptionCommand({ Bucket })), () => s3.send(new GetBucketEncryptionCommand({ Bucket })),
        'ServerSideEncryptionConfigurationNotFoundError'],
      [() => s3.send(new DeleteBucketWebsiteCommand({ Bucket })), () => s3.send(new GetBucketWebsiteCommand({ Bucket })), 'NoSuchWebsiteConfiguration'],
      [() => s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket })), () => s3.send(new GetBucketOwnershipControlsCommand({ Bucket })),
        'OwnershipControlsNotFoundError'],
      [() => s3.send(new DeletePublicAccessBlockCommand({ Bucket })), () => s3.send(new GetPublicAccessBlockCommand({ Bucket })),
        'NoSuchPublicAccessBlockConfiguration'],
    ]
    for (const [remove, get, code] of absent) {
      await remove()
      const error = await sdkError(get())
      assert.deepEqual([error.name, error.status], [code, 404])
    }
  })

  it('answers MalformedXML for a configuration that is not XML', async () => {
    const s3 = s3Client(nimbus.current)
    const Bucket = bucketName()
    await s3.send(new CreateBucketCommand({ Bucket }))
    const response = await fetch(`${nimbus.current.endpoint}/${Bucket}?tagging`, { method: 'PUT', body: '<Tagging><TagSet>', headers: signedBy('s3') })
    assert.equal(response.status, 400)
    assert.match(await response.text(), /<Code>MalformedXML<\/Code>/)
  })
})
