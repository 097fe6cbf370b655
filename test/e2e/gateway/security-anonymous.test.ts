// Unsigned requests AWS does serve, and Nimbus with it: S3 reads a bucket policy or a public-read ACL
// allows (an explicit Deny winning), browser POST uploads with a policy, presigned URLs, SNS's
// SubscribeURL; everything else unsigned on S3 is AccessDenied.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateBucketCommand, DeletePublicAccessBlockCommand, GetObjectCommand, PutBucketAclCommand, PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand, PutObjectCommand, PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3'
import { SubscribeCommand } from '@aws-sdk/client-sns'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import { useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest } from '../../helpers/raw-http.ts'
import { bucketName, makePublic, s3Client } from '../../helpers/s3.ts'
import { createTopic, snsClient } from '../../helpers/sns.ts'

const nimbus = useNimbus()
const s3 = () => s3Client(nimbus.current)
const anonymous = (path: string, method = 'GET') => rawRequest(nimbus.current.endpoint, { method, path })
const codeOf = (body: string) => /<Code>([^<]+)<\/Code>/.exec(body)?.[1]

async function bucketWith(prefix: string, key: string, body: string): Promise<string> {
  const Bucket = bucketName(prefix)
  await s3().send(new CreateBucketCommand({ Bucket }))
  await s3().send(new PutObjectCommand({ Bucket, Key: key, Body: body }))
  return Bucket
}

describe('anonymous S3', () => {
  it('refuses every unsigned request on a private bucket with AccessDenied', async () => {
    const Bucket = await bucketWith('private', 'k', 'secret')
    for (const [method, path] of [['GET', `/${Bucket}/k`], ['GET', `/${Bucket}`], ['PUT', `/${Bucket}/k2`], ['DELETE', `/${Bucket}/k`],
      ['GET', '/'], ['PUT', `/${bucketName('new')}`]]) {
      const response = await anonymous(path!, method)
      assert.equal(response.status, 403, `${method} ${path}`)
      assert.equal(codeOf(response.body), 'AccessDenied')
      assert.match(response.body, /<Message>Access Denied<\/Message><RequestId>/)
    }
    const head = await anonymous(`/${Bucket}/k`, 'HEAD')
    assert.deepEqual([head.status, head.body], [403, ''])
    // A bucket's existence is no secret.
    assert.equal(codeOf((await anonymous(`/${bucketName('none')}/k`)).body), 'NoSuchBucket')
  })

  it('serves reads a public policy allows; Deny wins; a missing key is AccessDenied without s3:ListBucket', async () => {
    const Bucket = await bucketWith('public', 'docs/a.txt', 'public text')
    await s3().send(new PutObjectCommand({ Bucket, Key: 'secret/b.txt', Body: 'hidden' }))
    const Policy = JSON.stringify({ Statement: [
      { Effect: 'Allow', Principal: { AWS: '*' }, Action: ['s3:Get*'], Resource: `arn:aws:s3:::${Bucket}/*` },
      { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/secret/*` },
    ] })
    // The bucket's public access block (BlockPublicPolicy, on for new buckets) refuses a public policy, as on AWS.
    await assert.rejects(s3().send(new PutBucketPolicyCommand({ Bucket, Policy })), { name: 'AccessDenied' })
    await s3().send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { RestrictPublicBuckets: true } }))
    await s3().send(new PutBucketPolicyCommand({ Bucket, Policy }))
    // RestrictPublicBuckets makes a public policy count for nobody outside the account.
    assert.equal((await anonymous(`/${Bucket}/docs/a.txt`)).status, 403)
    await s3().send(new DeletePublicAccessBlockCommand({ Bucket }))
    const read = await anonymous(`/${Bucket}/docs/a.txt`)
    assert.deepEqual([read.status, read.body], [200, 'public text'])
    assert.equal((await anonymous(`/${Bucket}/docs/a.txt`, 'HEAD')).status, 200)
    assert.equal(codeOf((await anonymous(`/${Bucket}/secret/b.txt`)).body), 'AccessDenied')
    assert.equal(codeOf((await anonymous(`/${Bucket}/docs/missing`)).body), 'AccessDenied')
    assert.equal(codeOf((await anonymous(`/${Bucket}?list-type=2`)).body), 'AccessDenied')
    assert.equal(codeOf((await anonymous(`/${Bucket}/docs/a.txt`, 'DELETE')).body), 'AccessDenied')
  })

  it('lists a bucket whose policy allows s3:ListBucket, and then answers NoSuchKey', async () => {
    const Bucket = await bucketWith('listable', 'k', 'v')
    await makePublic(s3(), Bucket, true)
    const list = await anonymous(`/${Bucket}?list-type=2`)
    assert.equal(list.status, 200)
    assert.match(list.body, /<Key>k<\/Key>/)
    assert.equal(codeOf((await anonymous(`/${Bucket}/missing`)).body), 'NoSuchKey')
  })

  it('serves an object with a public-read ACL once the bucket lets ACLs count', async () => {
    const Bucket = await bucketWith('acl', 'private.txt', 'p')
    // BucketOwnerEnforced (the default) disables ACLs: S3 refuses to set one.
    await assert.rejects(s3().send(new PutObjectCommand({ Bucket, Key: 'open.txt', Body: 'open', ACL: 'public-read' })),
      { name: 'AccessControlListNotSupported' })
    await s3().send(new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }))
    // BlockPublicAcls refuses a public ACL; with only IgnorePublicAcls it is kept but counts for nothing.
    await assert.rejects(s3().send(new PutObjectCommand({ Bucket, Key: 'open.txt', Body: 'open', ACL: 'public-read' })), { name: 'AccessDenied' })
    await s3().send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { IgnorePublicAcls: true } }))
    await s3().send(new PutObjectCommand({ Bucket, Key: 'open.txt', Body: 'open', ACL: 'public-read' }))
    assert.equal((await anonymous(`/${Bucket}/open.txt`)).status, 403)
    await s3().send(new DeletePublicAccessBlockCommand({ Bucket }))
    assert.deepEqual([(await anonymous(`/${Bucket}/open.txt`)).body], ['open'])
    assert.equal((await anonymous(`/${Bucket}/private.txt`)).status, 403)
    assert.equal((await anonymous(`/${Bucket}?list-type=2`)).status, 403)
    await s3().send(new PutBucketAclCommand({ Bucket, ACL: 'public-read' }))
    assert.equal((await anonymous(`/${Bucket}?list-type=2`)).status, 200)
  })

  it('takes a browser POST upload only with a policy (or into a publicly writable bucket)', async () => {
    const Bucket = await bucketWith('post', 'k', 'v')
    const upload = (fields: Record<string, string>) => {
      const form = new FormData()
      for (const [k, v] of Object.entries(fields)) form.append(k, v)
      form.append('file', new Blob(['bytes']), 'f.txt')
      return fetch(`${nimbus.current.endpoint}/${Bucket}`, { method: 'POST', body: form })
    }
    const bare = await upload({ key: 'bare' })
    assert.deepEqual([bare.status, codeOf(await bare.text())], [403, 'AccessDenied'])
    const expiration = new Date(nimbus.current.clock.now() + 60_000).toISOString()
    const policy = Buffer.from(JSON.stringify({ expiration, conditions: [{ bucket: Bucket }, ['eq', '$key', 'ok']] })).toString('base64')
    assert.equal((await upload({ key: 'ok', policy })).status, 204)
    await s3().send(new DeletePublicAccessBlockCommand({ Bucket }))
    await s3().send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify({ Statement: [
      { Effect: 'Allow', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${Bucket}/*` }] }) }))
    assert.equal((await upload({ key: 'dropbox' })).status, 204)
  })

  it('serves presigned URLs', async () => {
    const Bucket = await bucketWith('presign', 'k', 'signed body')
    const url = await getSignedUrl(s3(), new GetObjectCommand({ Bucket, Key: 'k' }), { expiresIn: 60 })
    const response = await fetch(url)
    assert.deepEqual([response.status, await response.text()], [200, 'signed body'])
  })
})

describe('anonymous SNS', () => {
  it('follows a SubscribeURL unsigned, and refuses other unsigned actions', async () => {
    const sns = snsClient(nimbus.current)
    const topic = await createTopic(sns)
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'email', Endpoint: 'dev@example.com' }))
    const sent = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: '/_nimbus/sns/messages?type=SubscriptionConfirmation' })
    const { messages } = JSON.parse(sent.body) as { messages: Array<{ subscribeUrl?: string }> }
    const link = messages.find((m) => m.subscribeUrl?.includes(topic))?.subscribeUrl
    assert.ok(link, sent.body)
    const confirmed = await fetch(link)
    assert.equal(confirmed.status, 200)
    assert.match(await confirmed.text(), /<ConfirmSubscriptionResult><SubscriptionArn>arn:aws:sns:/)
    const publish = await anonymous(`/?Action=Publish&TopicArn=${encodeURIComponent(topic)}&Message=hi`)
    assert.equal(publish.status, 403)
    assert.match(publish.body, /<Code>MissingAuthenticationToken<\/Code>/)
  })
})
