// S3 access points end to end: created, read, listed and deleted with @aws-sdk/client-s3-control,
// their policies and Block Public Access settings, and data-plane requests with @aws-sdk/client-s3
// through an access point ARN or alias, the access point policy evaluated beside the bucket policy.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, DeletePublicAccessBlockCommand, GetBucketLocationCommand, GetBucketTaggingCommand,
  GetBucketVersioningCommand, GetObjectCommand, GetObjectTaggingCommand, HeadBucketCommand, ListObjectsV2Command, PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand, PutBucketVersioningCommand, PutObjectCommand, PutObjectTaggingCommand, S3Client,
} from '@aws-sdk/client-s3'
import {
  CreateAccessPointCommand, DeleteAccessPointCommand, DeleteAccessPointPolicyCommand, GetAccessPointCommand, GetAccessPointPolicyCommand,
  GetAccessPointPolicyStatusCommand, ListAccessPointsCommand, PutAccessPointPolicyCommand,
} from '@aws-sdk/client-s3-control'
import { useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest } from '../../helpers/raw-http.ts'
import { bucketName, text } from '../../helpers/s3.ts'
import { s3ArnClient, s3ControlClient } from '../../helpers/s3-control.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const OWNER = '111122223333'
const OTHER = '444455556666'
const s3 = (account = OWNER) => new S3Client({ endpoint: nimbus.current.endpoint, region: 'us-east-1', forcePathStyle: true,
  credentials: { accessKeyId: account, secretAccessKey: 'test' }, maxAttempts: 1 })
const control = () => s3ControlClient(nimbus.current, OWNER)
const arnOf = (name: string) => `arn:aws:s3:us-east-1:${OWNER}:accesspoint/${name}`
const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement })

async function bucketWithAccessPoint(prefix: string, block?: object): Promise<{ Bucket: string; Name: string; Alias: string }> {
  const Bucket = bucketName(prefix)
  await s3().send(new CreateBucketCommand({ Bucket }))
  await s3().send(new PutObjectCommand({ Bucket, Key: 'data/a.txt', Body: 'alpha' }))
  const Name = `${prefix}-ap-${Math.random().toString(36).slice(2, 8)}`
  const created = await control().send(new CreateAccessPointCommand({ AccountId: OWNER, Name, Bucket,
    ...(block !== undefined && { PublicAccessBlockConfiguration: block }) }))
  assert.equal(created.AccessPointArn, arnOf(Name))
  assert.match(created.Alias!, new RegExp(`^${Name}-[a-z0-9]+-s3alias$`))
  return { Bucket, Name, Alias: created.Alias! }
}

describe('S3 access points (control plane)', () => {
  it('creates, reads, lists and deletes an access point', async () => {
    const { Bucket, Name, Alias } = await bucketWithAccessPoint('apc')
    const got = await control().send(new GetAccessPointCommand({ AccountId: OWNER, Name }))
    assert.deepEqual([got.Name, got.Bucket, got.NetworkOrigin, got.Alias, got.AccessPointArn, got.BucketAccountId],
      [Name, Bucket, 'Internet', Alias, arnOf(Name), OWNER])
    // New access points block all public access by default.
    assert.deepEqual(got.PublicAccessBlockConfiguration,
      { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true })
    assert.ok(got.CreationDate instanceof Date)
    const listed = await control().send(new ListAccessPointsCommand({ AccountId: OWNER, Bucket }))
    assert.deepEqual(listed.AccessPointList?.map((ap) => [ap.Name, ap.Bucket, ap.Alias]), [[Name, Bucket, Alias]])
    const again = await sdkError(control().send(new CreateAccessPointCommand({ AccountId: OWNER, Name, Bucket })))
    assert.deepEqual([again.name, again.status], ['AccessPointAlreadyOwnedByYou', 409])
    await control().send(new DeleteAccessPointCommand({ AccountId: OWNER, Name }))
    const gone = await sdkError(control().send(new GetAccessPointCommand({ AccountId: OWNER, Name })))
    assert.deepEqual([gone.name, gone.status], ['NoSuchAccessPoint', 404])
    assert.deepEqual((await control().send(new ListAccessPointsCommand({ AccountId: OWNER, Bucket }))).AccessPointList ?? [], [])
  })

  it('GetAccessPoint answers the endpoints of the access point\'s region', async () => {
    const { Name } = await bucketWithAccessPoint('ape')
    const got = await control().send(new GetAccessPointCommand({ AccountId: OWNER, Name }))
    assert.deepEqual(got.Endpoints, {
      ipv4: 's3-accesspoint.us-east-1.amazonaws.com', fips: 's3-accesspoint-fips.us-east-1.amazonaws.com',
      fips_dualstack: 's3-accesspoint-fips.dualstack.us-east-1.amazonaws.com', dualstack: 's3-accesspoint.dualstack.us-east-1.amazonaws.com',
    })
  })

  it('DeleteBucket refuses a bucket with access points attached, until they are deleted', async () => {
    const { Bucket, Name } = await bucketWithAccessPoint('apx')
    await s3().send(new DeleteObjectCommand({ Bucket, Key: 'data/a.txt' }))
    const refused = await sdkError(s3().send(new DeleteBucketCommand({ Bucket })))
    assert.deepEqual([refused.name, refused.status, refused.message],
      ['BucketHasAccessPointsAttached', 409, 'Bucket has access points attached and cannot be deleted.'])
    await control().send(new DeleteAccessPointCommand({ AccountId: OWNER, Name }))
    await s3().send(new DeleteBucketCommand({ Bucket }))
    assert.equal((await sdkError(s3().send(new HeadBucketCommand({ Bucket })))).status, 404)
  })

  it('refuses a missing bucket and a bad name', async () => {
    const noBucket = await sdkError(control().send(new CreateAccessPointCommand({ AccountId: OWNER, Name: 'ap-nobucket', Bucket: bucketName('none') })))
    assert.deepEqual([noBucket.name, noBucket.status], ['NoSuchBucket', 404])
    const Bucket = bucketName('apn')
    await s3().send(new CreateBucketCommand({ Bucket }))
    assert.equal((await sdkError(control().send(new CreateAccessPointCommand({ AccountId: OWNER, Name: 'Bad_Name', Bucket })))).status, 400)
  })

  it('keeps a policy: get, status, delete; a public one refused while BlockPublicPolicy holds', async () => {
    const { Name } = await bucketWithAccessPoint('app')
    const missing = await sdkError(control().send(new GetAccessPointPolicyCommand({ AccountId: OWNER, Name })))
    assert.deepEqual([missing.name, missing.status], ['NoSuchAccessPointPolicy', 404])
    const publicRead = policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${arnOf(Name)}/object/*` })
    const refused = await sdkError(control().send(new PutAccessPointPolicyCommand({ AccountId: OWNER, Name, Policy: publicRead })))
    assert.deepEqual([refused.name, refused.status], ['AccessDenied', 403])
    const crossAccount = policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 's3:GetObject',
      Resource: `${arnOf(Name)}/object/*` })
    await control().send(new PutAccessPointPolicyCommand({ AccountId: OWNER, Name, Policy: crossAccount }))
    assert.equal((await control().send(new GetAccessPointPolicyCommand({ AccountId: OWNER, Name }))).Policy, crossAccount)
    assert.equal((await control().send(new GetAccessPointPolicyStatusCommand({ AccountId: OWNER, Name }))).PolicyStatus?.IsPublic, false)
    const badResource = policy({ Effect: 'Allow', Principal: { AWS: OTHER }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::some-bucket/*' })
    const malformed = await sdkError(control().send(new PutAccessPointPolicyCommand({ AccountId: OWNER, Name, Policy: badResource })))
    assert.deepEqual([malformed.name, malformed.message], ['MalformedPolicy', 'Policy has invalid resource'])
    await control().send(new DeleteAccessPointPolicyCommand({ AccountId: OWNER, Name }))
    assert.equal((await sdkError(control().send(new GetAccessPointPolicyCommand({ AccountId: OWNER, Name })))).name, 'NoSuchAccessPointPolicy')
  })
})

describe('S3 access points (data plane)', () => {
  it('the owner reads, writes and lists through the ARN and the alias', async () => {
    const { Bucket, Name, Alias } = await bucketWithAccessPoint('apd')
    const viaArn = s3ArnClient(nimbus.current, OWNER)
    assert.equal(await text((await viaArn.send(new GetObjectCommand({ Bucket: arnOf(Name), Key: 'data/a.txt' }))).Body), 'alpha')
    await viaArn.send(new PutObjectCommand({ Bucket: arnOf(Name), Key: 'data/b.txt', Body: 'beta' }))
    assert.equal(await text((await s3().send(new GetObjectCommand({ Bucket, Key: 'data/b.txt' }))).Body), 'beta')
    const listed = await s3().send(new ListObjectsV2Command({ Bucket: Alias, Prefix: 'data/' }))
    assert.deepEqual(listed.Contents?.map((o) => o.Key), ['data/a.txt', 'data/b.txt'])
    assert.equal(await text((await s3().send(new GetObjectCommand({ Bucket: Alias, Key: 'data/a.txt' }))).Body), 'alpha')
    // The Host AWS's endpoint rules give an ARN: `<name>-<account>.s3-accesspoint.<region>.amazonaws.com`.
    const raw = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: '/data/a.txt', headers: {
      host: `${Name}-${OWNER}.s3-accesspoint.us-east-1.amazonaws.com`,
      authorization: `AWS4-HMAC-SHA256 Credential=${OWNER}/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0` } })
    assert.deepEqual([raw.status, raw.body], [200, 'alpha'])
  })

  it('serves object operations, listings and a few bucket reads through an access point, and refuses the rest', async () => {
    const { Bucket, Name, Alias } = await bucketWithAccessPoint('apr')
    // Served (S3 User Guide, "Access point compatibility").
    await s3().send(new PutObjectTaggingCommand({ Bucket: Alias, Key: 'data/a.txt', Tagging: { TagSet: [{ Key: 'k', Value: 'v' }] } }))
    assert.deepEqual((await s3().send(new GetObjectTaggingCommand({ Bucket: Alias, Key: 'data/a.txt' }))).TagSet, [{ Key: 'k', Value: 'v' }])
    await s3().send(new HeadBucketCommand({ Bucket: Alias }))
    assert.equal((await s3().send(new GetBucketLocationCommand({ Bucket: Alias }))).LocationConstraint, undefined)
    // Refused: a bucket's configuration and the bucket itself, by alias or by ARN; the bucket is untouched.
    const refusedCalls: (() => Promise<unknown>)[] = [
      () => s3().send(new PutBucketVersioningCommand({ Bucket: Alias, VersioningConfiguration: { Status: 'Enabled' } })),
      () => s3().send(new GetBucketVersioningCommand({ Bucket: Alias })),
      () => s3().send(new PutBucketPolicyCommand({ Bucket: Alias, Policy: policy({ Effect: 'Deny', Principal: '*', Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${Bucket}/*` }) })),
      () => s3().send(new DeleteBucketCommand({ Bucket: Alias })),
      () => s3ArnClient(nimbus.current, OWNER).send(new GetBucketTaggingCommand({ Bucket: arnOf(Name) })),
    ]
    for (const call of refusedCalls) {
      const refused = await sdkError(call())
      assert.deepEqual([refused.name, refused.status], ['MethodNotAllowed', 405])
    }
    assert.equal((await s3().send(new GetBucketVersioningCommand({ Bucket }))).Status, undefined)
    assert.equal(await text((await s3().send(new GetObjectCommand({ Bucket, Key: 'data/a.txt' }))).Body), 'alpha')
  })

  it('a public ACL through an access point that blocks public ACLs is refused', async () => {
    const Bucket = bucketName('apacl')
    await s3().send(new CreateBucketCommand({ Bucket }))
    await s3().send(new DeletePublicAccessBlockCommand({ Bucket }))
    await s3().send(new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }))
    const { Alias } = await control().send(new CreateAccessPointCommand({ AccountId: OWNER, Name: `apacl-${Math.random().toString(36).slice(2, 8)}`,
      Bucket }))
    const error = await sdkError(s3().send(new PutObjectCommand({ Bucket: Alias, Key: 'p', Body: 'x', ACL: 'public-read' })))
    assert.deepEqual([error.name, error.status], ['AccessDenied', 403])
    // Straight to the bucket, whose own block is lifted, the same write is taken.
    await s3().send(new PutObjectCommand({ Bucket, Key: 'p', Body: 'x', ACL: 'public-read' }))
  })

  it('an explicit Deny in the access point policy refuses even the owner, only through that access point', async () => {
    const { Bucket, Name, Alias } = await bucketWithAccessPoint('apx')
    await control().send(new PutAccessPointPolicyCommand({ AccountId: OWNER, Name, Policy: policy({ Effect: 'Deny',
      Principal: { AWS: OWNER }, Action: 's3:GetObject', Resource: `${arnOf(Name)}/object/data/*` }) }))
    const error = await sdkError(s3().send(new GetObjectCommand({ Bucket: Alias, Key: 'data/a.txt' })))
    assert.deepEqual([error.name, error.status], ['AccessDenied', 403])
    assert.equal((await s3().send(new GetObjectCommand({ Bucket, Key: 'data/a.txt' }))).$metadata.httpStatusCode, 200)
  })

  it('another account needs both the access point policy and the bucket policy (delegation by s3:DataAccessPointAccount)', async () => {
    const { Bucket, Name, Alias } = await bucketWithAccessPoint('apo')
    const other = s3(OTHER)
    const get = () => other.send(new GetObjectCommand({ Bucket: Alias, Key: 'data/a.txt' }))
    assert.equal((await sdkError(get())).status, 403)
    await control().send(new PutAccessPointPolicyCommand({ AccountId: OWNER, Name, Policy: policy({ Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 's3:GetObject', Resource: `${arnOf(Name)}/object/*` }) }))
    // The access point allows, the bucket policy doesn't yet.
    assert.equal((await sdkError(get())).status, 403)
    await s3().send(new PutBucketPolicyCommand({ Bucket, Policy: policy({ Effect: 'Allow', Principal: { AWS: '*' }, Action: '*',
      Resource: [`arn:aws:s3:::${Bucket}`, `arn:aws:s3:::${Bucket}/*`], Condition: { StringEquals: { 's3:DataAccessPointAccount': OWNER } } }) }))
    assert.equal(await text((await get()).Body), 'alpha')
    // The delegation holds only through the access point: straight to the bucket the other account is refused.
    assert.equal((await sdkError(other.send(new GetObjectCommand({ Bucket, Key: 'data/a.txt' })))).status, 403)
  })

  it('anonymous reads through an access point need its public access block lifted and a public policy', async () => {
    const { Name, Alias } = await bucketWithAccessPoint('apa', { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false,
      RestrictPublicBuckets: false })
    const anonymousGet = () => rawRequest(nimbus.current.endpoint, { method: 'GET', path: `/${Alias}/data/a.txt` })
    assert.equal((await anonymousGet()).status, 403)
    await control().send(new PutAccessPointPolicyCommand({ AccountId: OWNER, Name, Policy: policy({ Effect: 'Allow', Principal: '*',
      Action: 's3:GetObject', Resource: `${arnOf(Name)}/object/*` }) }))
    assert.equal((await control().send(new GetAccessPointPolicyStatusCommand({ AccountId: OWNER, Name }))).PolicyStatus?.IsPublic, true)
    // The bucket (all public access blocked, no policy) still refuses: both must allow.
    assert.equal((await anonymousGet()).status, 403)
  })
})
