// Bucket policies enforced for every caller: the owner's account is allowed unless a policy denies;
// another account (a 12-digit access key is that account) or an IAM user of it needs the policy's
// Allow; conditions are read from the request. Examples follow the S3 User Guide's bucket policies.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand } from '@aws-sdk/client-iam'
import { AssumeRoleCommand } from '@aws-sdk/client-sts'
import {
  CopyObjectCommand, CreateBucketCommand, DeleteBucketPolicyCommand, DeleteObjectCommand, DeleteObjectsCommand, DeletePublicAccessBlockCommand, GetBucketPolicyCommand, GetBucketPolicyStatusCommand,
  GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command, PutBucketPolicyCommand, PutObjectCommand, PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3'
import { iamClient, stsClient } from '../../helpers/iam.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest } from '../../helpers/raw-http.ts'
import { bucketName, text } from '../../helpers/s3.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const OWNER = '111122223333'
const OTHER = '444455556666'
const client = (accessKeyId: string, secretAccessKey = 'test', sessionToken?: string) => new S3Client({ endpoint: nimbus.current.endpoint,
  region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId, secretAccessKey, sessionToken }, maxAttempts: 1 })
const owner = () => client(OWNER)
const other = () => client(OTHER)

async function bucketWith(prefix: string, objects: Record<string, string> = {}): Promise<string> {
  const Bucket = bucketName(prefix)
  await owner().send(new CreateBucketCommand({ Bucket }))
  for (const [Key, Body] of Object.entries(objects)) await owner().send(new PutObjectCommand({ Bucket, Key, Body }))
  return Bucket
}

const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement })
const denied = async (call: Promise<unknown>, head = false) => {
  const error = await sdkError(call)
  // A HEAD answer has no body to name the error: the SDK knows only the status.
  assert.deepEqual([head ? 'AccessDenied' : error.name, error.status], ['AccessDenied', 403])
}

describe('S3 bucket policies', () => {
  it('refuses another account everything by default, and grants what the policy allows it', async () => {
    const Bucket = await bucketWith('xacct', { 'shared/a.txt': 'a', 'private/b.txt': 'b' })
    await denied(other().send(new GetObjectCommand({ Bucket, Key: 'shared/a.txt' })))
    await denied(other().send(new ListObjectsV2Command({ Bucket })))
    await denied(other().send(new HeadBucketCommand({ Bucket })), true)
    await denied(other().send(new PutObjectCommand({ Bucket, Key: 'x', Body: 'x' })))
    const raw = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: `/${Bucket}/shared/a.txt`,
      headers: { authorization: `AWS4-HMAC-SHA256 Credential=${OTHER}/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0` } })
    assert.equal(raw.status, 403)
    assert.match(raw.body, /<Code>AccessDenied<\/Code><Message>Access Denied<\/Message>/)

    await owner().send(new PutBucketPolicyCommand({ Bucket, Policy: policy(
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/shared/*` },
      // Listing only under shared/ (the User Guide's s3:prefix example).
      { Effect: 'Allow', Principal: { AWS: OTHER }, Action: 's3:ListBucket', Resource: `arn:aws:s3:::${Bucket}`,
        Condition: { StringLike: { 's3:prefix': 'shared/*' } } }) }))
    assert.equal(await text((await other().send(new GetObjectCommand({ Bucket, Key: 'shared/a.txt' }))).Body), 'a')
    await denied(other().send(new GetObjectCommand({ Bucket, Key: 'private/b.txt' })))
    await denied(other().send(new PutObjectCommand({ Bucket, Key: 'shared/new', Body: 'x' })))
    const listed = await other().send(new ListObjectsV2Command({ Bucket, Prefix: 'shared/' }))
    assert.deepEqual(listed.Contents?.map((o) => o.Key), ['shared/a.txt'])
    await denied(other().send(new ListObjectsV2Command({ Bucket })))
    // A missing key under shared/: AccessDenied, as the caller may not list the whole bucket.
    await denied(other().send(new GetObjectCommand({ Bucket, Key: 'shared/missing' })))
    // The owner is still allowed everything.
    await owner().send(new PutObjectCommand({ Bucket, Key: 'private/c.txt', Body: 'c' }))
  })

  it('lets a policy name one IAM user of another account, not the rest of it', async () => {
    const iam = iamClient(nimbus.current, { accessKeyId: OTHER, secretAccessKey: 'test' })
    await iam.send(new CreateUserCommand({ UserName: 'reader' }))
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'reader' }))).AccessKey!
    const reader = client(key.AccessKeyId!, key.SecretAccessKey!)
    const Bucket = await bucketWith('iamuser', { k: 'v' })
    await owner().send(new PutBucketPolicyCommand({ Bucket, Policy: policy(
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:user/reader` }, Action: ['s3:GetObject'], Resource: `arn:aws:s3:::${Bucket}/*` }) }))
    assert.equal(await text((await reader.send(new GetObjectCommand({ Bucket, Key: 'k' }))).Body), 'v')
    await denied(other().send(new GetObjectCommand({ Bucket, Key: 'k' })))
  })

  it('lets a policy name a role: its sessions may act', async () => {
    const credentials = { accessKeyId: OTHER, secretAccessKey: 'test' }
    await iamClient(nimbus.current, credentials).send(new CreateRoleCommand({ RoleName: 'auditor', AssumeRolePolicyDocument: JSON.stringify({
      Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 'sts:AssumeRole' }] }) }))
    const session = (await stsClient(nimbus.current, credentials).send(new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${OTHER}:role/auditor`, RoleSessionName: 'audit' }))).Credentials!
    const auditor = client(session.AccessKeyId!, session.SecretAccessKey!, session.SessionToken)
    const Bucket = await bucketWith('role', { k: 'v' })
    await denied(auditor.send(new GetObjectCommand({ Bucket, Key: 'k' })))
    await owner().send(new PutBucketPolicyCommand({ Bucket, Policy: policy(
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:role/auditor` }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*` }) }))
    assert.equal(await text((await auditor.send(new GetObjectCommand({ Bucket, Key: 'k' }))).Body), 'v')
  })

  it('an explicit Deny wins, even for the owner (require SSE-KMS; NotPrincipal)', async () => {
    const Bucket = await bucketWith('deny')
    await owner().send(new PutBucketPolicyCommand({ Bucket, Policy: policy(
      { Sid: 'DenyUnencrypted', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${Bucket}/*`,
        Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } } },
      { Sid: 'OnlyOwnerDeletes', Effect: 'Deny', NotPrincipal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 's3:DeleteObject',
        Resource: `arn:aws:s3:::${Bucket}/*` }) }))
    await denied(owner().send(new PutObjectCommand({ Bucket, Key: 'plain', Body: 'x' })))
    await owner().send(new PutObjectCommand({ Bucket, Key: 'kms', Body: 'x', ServerSideEncryption: 'aws:kms' }))
    await denied(owner().send(new DeleteObjectCommand({ Bucket, Key: 'kms' })))
  })

  it('never locks the owner\'s root out of the policy, and answers other accounts 405 for it', async () => {
    const Bucket = await bucketWith('lockout')
    const everything = [`arn:aws:s3:::${Bucket}`, `arn:aws:s3:::${Bucket}/*`]
    await owner().send(new PutBucketPolicyCommand({ Bucket, Policy: policy(
      { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: everything },
      { Effect: 'Allow', Principal: { AWS: OTHER }, Action: 's3:GetBucketPolicy', Resource: `arn:aws:s3:::${Bucket}` }) }))
    await denied(owner().send(new ListObjectsV2Command({ Bucket })))
    const notOwner = await sdkError(other().send(new GetBucketPolicyCommand({ Bucket })))
    assert.deepEqual([notOwner.name, notOwner.status], ['AccessDenied', 403])
    assert.ok((await owner().send(new GetBucketPolicyCommand({ Bucket }))).Policy)
    await owner().send(new DeleteBucketPolicyCommand({ Bucket }))
    await owner().send(new ListObjectsV2Command({ Bucket }))
    await owner().send(new PutBucketPolicyCommand({ Bucket, Policy: policy(
      { Effect: 'Allow', Principal: { AWS: OTHER }, Action: 's3:GetBucketPolicy', Resource: `arn:aws:s3:::${Bucket}` }) }))
    const allowedButForeign = await sdkError(other().send(new GetBucketPolicyCommand({ Bucket })))
    assert.deepEqual([allowedButForeign.name, allowedButForeign.status], ['MethodNotAllowed', 405])
  })

  it('grants a cross-account upload only with bucket-owner-full-control (s3:x-amz-acl)', async () => {
    const Bucket = await bucketWith('bofc')
    await owner().send(new PutBucketPolicyCommand({ Bucket, Policy: policy({ Effect: 'Allow', Principal: { AWS: OTHER }, Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${Bucket}/*`, Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } }) }))
    await denied(other().send(new PutObjectCommand({ Bucket, Key: 'drop', Body: 'x' })))
    await other().send(new PutObjectCommand({ Bucket, Key: 'drop', Body: 'x', ACL: 'bucket-owner-full-control' }))
    // BucketOwnerEnforced: the bucket's owner owns what another account wrote.
    assert.equal(await text((await owner().send(new GetObjectCommand({ Bucket, Key: 'drop' }))).Body), 'x')
  })

  it('tests the client address (aws:SourceIp): a policy pinned to addresses is not public', async () => {
    const Bucket = await bucketWith('ip', { k: 'v' })
    const statement = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*`,
      Condition: { IpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128'] } } }
    // Accepted with every public access block on: AWS doesn't count an address-pinned policy as public.
    await owner().send(new PutBucketPolicyCommand({ Bucket, Policy: policy(statement) }))
    assert.equal((await owner().send(new GetBucketPolicyStatusCommand({ Bucket }))).PolicyStatus?.IsPublic, false)
    const anonymous = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: `/${Bucket}/k` })
    assert.deepEqual([anonymous.status, anonymous.body], [200, 'v'])
    await owner().send(new PutBucketPolicyCommand({ Bucket, Policy: policy({ ...statement, Condition: { IpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } }) }))
    assert.equal((await rawRequest(nimbus.current.endpoint, { method: 'GET', path: `/${Bucket}/k` })).status, 403)
    // Deny everything from outside a range: the owner too.
    await owner().send(new PutBucketPolicyCommand({ Bucket, Policy: policy({ Effect: 'Deny', Principal: '*', Action: 's3:*',
      Resource: [`arn:aws:s3:::${Bucket}`, `arn:aws:s3:::${Bucket}/*`], Condition: { NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } }) }))
    await denied(owner().send(new HeadObjectCommand({ Bucket, Key: 'k' })), true)
  })

  it('reads object tags (s3:ExistingObjectTag) and answers DeleteObjects per key', async () => {
    const Bucket = await bucketWith('tags', { 'tmp/a': 'a', 'keep/b': 'b', open: 'o', closed: 'c' })
    await owner().send(new PutObjectTaggingCommand({ Bucket, Key: 'open', Tagging: { TagSet: [{ Key: 'share', Value: 'yes' }] } }))
    await owner().send(new PutBucketPolicyCommand({ Bucket, Policy: policy(
      { Effect: 'Allow', Principal: { AWS: OTHER }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*`,
        Condition: { StringEquals: { 's3:ExistingObjectTag/share': 'yes' } } },
      { Effect: 'Allow', Principal: { AWS: OTHER }, Action: 's3:DeleteObject', Resource: `arn:aws:s3:::${Bucket}/tmp/*` }) }))
    assert.equal(await text((await other().send(new GetObjectCommand({ Bucket, Key: 'open' }))).Body), 'o')
    await denied(other().send(new GetObjectCommand({ Bucket, Key: 'closed' })))
    const result = await other().send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'tmp/a' }, { Key: 'keep/b' }] } }))
    assert.deepEqual(result.Deleted?.map((d) => d.Key), ['tmp/a'])
    assert.deepEqual(result.Errors?.map((e) => [e.Key, e.Code, e.Message]), [['keep/b', 'AccessDenied', 'Access Denied']])
  })

  it('needs read on the source to copy across accounts', async () => {
    const Bucket = await bucketWith('src', { k: 'v' })
    const target = bucketName('dst')
    await other().send(new CreateBucketCommand({ Bucket: target }))
    await denied(other().send(new CopyObjectCommand({ Bucket: target, Key: 'copy', CopySource: `${Bucket}/k` })))
    await owner().send(new PutBucketPolicyCommand({ Bucket, Policy: policy({ Effect: 'Allow', Principal: { AWS: OTHER }, Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${Bucket}/*` }) }))
    await other().send(new CopyObjectCommand({ Bucket: target, Key: 'copy', CopySource: `${Bucket}/k` }))
    assert.equal(await text((await other().send(new GetObjectCommand({ Bucket: target, Key: 'copy' }))).Body), 'v')
  })

  it('refuses malformed policies with S3\'s MalformedPolicy messages, and public ones while BlockPublicPolicy is on', async () => {
    const Bucket = await bucketWith('malformed')
    const put = (Policy: string) => sdkError(owner().send(new PutBucketPolicyCommand({ Bucket, Policy })))
    const good = { Effect: 'Allow', Principal: { AWS: OTHER }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*` }
    const cases: Array<[string, string]> = [
      ['[]', "Policies must be valid JSON and the first byte must be '{'"],
      ['{"Statement": [', 'This policy contains invalid Json'],
      [policy({ ...good, Resource: 'arn:aws:s3:::another-bucket/*' }), 'Policy has invalid resource'],
      [policy({ ...good, Resource: '*' }), 'Policy has invalid resource'],
      [policy({ ...good, Principal: { AWS: 'not-a-principal' } }), 'Invalid principal in policy'],
      [policy({ ...good, Action: 's3:GetObjekt' }), 'Policy has invalid action'],
      [policy({ ...good, Resource: `arn:aws:s3:::${Bucket}` }), 'Action does not apply to any resource(s) in statement'],
      [policy({ ...good, Condition: { StringEquals: { 's3:no-such-key': 'x' } } }), 'Policy has an invalid condition key'],
      [policy({ ...good, Effect: 'Maybe' }), 'Invalid effect: Maybe'],
      [policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*` }), 'Missing required field Principal'],
    ]
    for (const [document, message] of cases) {
      const error = await put(document)
      assert.deepEqual([error.name, error.status, error.message], ['MalformedPolicy', 400, message], document)
    }
    // S3 takes any Sid (IAM only alphanumerics).
    await owner().send(new PutBucketPolicyCommand({ Bucket, Policy: policy({ ...good, Sid: 'Allow read-only 1' }) }))
    const open = policy({ ...good, Principal: '*' })
    await denied(owner().send(new PutBucketPolicyCommand({ Bucket, Policy: open })))
    await owner().send(new DeletePublicAccessBlockCommand({ Bucket }))
    await owner().send(new PutBucketPolicyCommand({ Bucket, Policy: open }))
    assert.equal((await owner().send(new GetBucketPolicyStatusCommand({ Bucket }))).PolicyStatus?.IsPublic, true)
  })
})
