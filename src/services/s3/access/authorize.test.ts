// S3's access decision against a table of AWS's documented bucket policy examples (S3 User Guide,
// "Examples of Amazon S3 bucket policies"; "Bucket policy examples using condition keys";
// "Blocking public access"), each asked as the request S3 would receive.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { HttpRequest } from '../../../protocol/http.ts'
import { Bucket } from '../bucket.ts'
import { checkBucketPolicy } from './bucket-policy.ts'
import { operationActions } from './actions.ts'
import { isAllowed } from './authorize.ts'
import { anonymousRequester, conditionContext, type Requester } from './context.ts'
import { policyIsPublic } from './public-policy.ts'

const OWNER = '111122223333'
const OTHER = '444455556666'
const B = 'amzn-s3-demo-bucket'
const root = (account: string): Requester => ({ principal: { arn: `arn:aws:iam::${account}:root`, account }, account, anonymous: false })
const user = (account: string, name: string): Requester => ({ principal: { arn: `arn:aws:iam::${account}:user/${name}`, account }, account, anonymous: false })

interface Ask {
  who: Requester
  operation: string
  key?: string
  query?: Record<string, string>
  headers?: Record<string, string>
  ip?: string
}

function bucketWith(statements: object[], block: Record<string, boolean> = {}): Bucket {
  const bucket = new Bucket(B, 'us-east-1', OWNER, new Date(0))
  const text = JSON.stringify({ Version: '2012-10-17', Statement: statements })
  checkBucketPolicy(text, B)
  bucket.configs.set('policy', text)
  bucket.configs.set('publicAccessBlock', block)
  return bucket
}

function allowed(bucket: Bucket, ask: Ask): boolean {
  const spec = operationActions[ask.operation]!
  const request: HttpRequest = { method: 'GET', rawPath: `/${B}`, query: new URLSearchParams(ask.query ?? {}), headers: ask.headers ?? {},
    body: Buffer.alloc(0), ...(ask.ip !== undefined && { remoteAddress: ask.ip }) }
  const versioned = ask.query?.versionId !== undefined && spec.versioned !== undefined
  const context = conditionContext({ operation: ask.operation, request, input: {}, bucketOwner: OWNER, version: undefined, now: Date.UTC(2026, 0, 1) })
  return isAllowed({ requester: ask.who, action: versioned ? spec.versioned! : spec.action, bucket, key: spec.object ? ask.key ?? 'k' : undefined,
    version: undefined, spec, context })
}

const anonymousRead = [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: [`arn:aws:s3:::${B}/*`] }]
const ipDeny = [{ Sid: 'IPAllow', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${B}`, `arn:aws:s3:::${B}/*`],
  Condition: { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '2001:DB8:1234:5678::/64'] } } }]
const requireKms = [{ Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${B}/*`,
  Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } } }]
const requireSseHeader = [{ Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${B}/*`,
  Condition: { Null: { 's3:x-amz-server-side-encryption': 'true' } } }]
const crossAccountUpload = [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${B}/*`,
  Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } }]
const httpsOnly = [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${B}`, `arn:aws:s3:::${B}/*`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } } }]
const referer = [{ Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: `arn:aws:s3:::${B}/*`,
  Condition: { StringLike: { 'aws:Referer': ['https://www.example.com/*', 'https://example.com/*'] } } }]
const homeListing = [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:user/Dave` }, Action: 's3:ListBucket', Resource: `arn:aws:s3:::${B}`,
  Condition: { StringEquals: { 's3:prefix': ['', 'home/'], 's3:delimiter': '/' } } }]
const maxKeys = [{ Effect: 'Allow', Principal: { AWS: OTHER }, Action: 's3:ListBucket', Resource: `arn:aws:s3:::${B}`,
  Condition: { NumericLessThanEquals: { 's3:max-keys': '10' } } }]
const tagKeys = [{ Effect: 'Allow', Principal: { AWS: OTHER }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${B}/*`,
  Condition: { 'ForAllValues:StringLike': { 's3:RequestObjectTagKeys': ['Owner', 'CreationDate'] },
    StringEquals: { 's3:RequestObjectTag/Owner': 'Dave' } } }]
const oneVersion = [{ Effect: 'Allow', Principal: { AWS: OTHER }, Action: 's3:GetObjectVersion', Resource: `arn:aws:s3:::${B}/*`,
  Condition: { StringEquals: { 's3:VersionId': 'AaaHbAQitwiL_h47_44lRO2DDfLlBO5e' } } }]
const accountOnly = [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${B}/*`,
  Condition: { StringEquals: { 'aws:PrincipalAccount': OTHER } } }]
// IAM User Guide's …IfExists example, on S3: a missing key counts as a match.
const storageClassIfExists = [{ Effect: 'Allow', Principal: { AWS: OTHER }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${B}/*`,
  Condition: { StringEqualsIfExists: { 's3:x-amz-storage-class': 'STANDARD_IA' } } }]
const noSecretTags = [{ Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${B}/*`,
  Condition: { 'ForAnyValue:StringEquals': { 's3:RequestObjectTagKeys': ['secret', 'classified'] } } }]
const readOnly = [{ Effect: 'Deny', Principal: '*', NotAction: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${B}`, `arn:aws:s3:::${B}/*`] }]
const notPrivate = [{ Effect: 'Allow', Principal: { AWS: OTHER }, Action: 's3:GetObject', NotResource: `arn:aws:s3:::${B}/private/*` }]

const table: Array<[name: string, statements: object[], block: Record<string, boolean>, ask: Ask, expected: boolean]> = [
  ['anonymous read: anyone may GetObject', anonymousRead, {}, { who: anonymousRequester, operation: 'GetObject' }, true],
  ['anonymous read: a version too', anonymousRead, {}, { who: anonymousRequester, operation: 'GetObject', query: { versionId: 'v1' } }, true],
  ['anonymous read: not PutObject', anonymousRead, {}, { who: anonymousRequester, operation: 'PutObject' }, false],
  ['anonymous read: not listing', anonymousRead, {}, { who: anonymousRequester, operation: 'ListObjectsV2' }, false],
  ['anonymous read: RestrictPublicBuckets ignores the public policy for anonymous callers', anonymousRead, { RestrictPublicBuckets: true },
    { who: anonymousRequester, operation: 'GetObject' }, false],
  ['anonymous read: … and for other accounts', anonymousRead, { RestrictPublicBuckets: true }, { who: root(OTHER), operation: 'GetObject' }, false],
  ['anonymous read: … but not for the owner', anonymousRead, { RestrictPublicBuckets: true }, { who: root(OWNER), operation: 'GetObject' }, true],
  ['source IP: the owner from outside the ranges is denied', ipDeny, {}, { who: root(OWNER), operation: 'GetObject', ip: '198.51.100.7' }, false],
  ['source IP: the owner from inside an IPv4 range', ipDeny, {}, { who: root(OWNER), operation: 'GetObject', ip: '192.0.2.44' }, true],
  ['source IP: the owner from inside the IPv6 range', ipDeny, {}, { who: root(OWNER), operation: 'ListObjects', ip: '2001:db8:1234:5678::9' }, true],
  ['source IP: an IPv4-mapped address is read as IPv4', ipDeny, {}, { who: root(OWNER), operation: 'GetObject', ip: '::ffff:192.0.2.1' }, true],
  ['require SSE-KMS: a plain upload is denied', requireKms, {}, { who: root(OWNER), operation: 'PutObject' }, false],
  ['require SSE-KMS: AES256 is denied', requireKms, {}, { who: root(OWNER), operation: 'PutObject', headers: { 'x-amz-server-side-encryption': 'AES256' } }, false],
  ['require SSE-KMS: aws:kms passes', requireKms, {}, { who: root(OWNER), operation: 'PutObject', headers: { 'x-amz-server-side-encryption': 'aws:kms' } }, true],
  ['require SSE-KMS: reads are untouched', requireKms, {}, { who: root(OWNER), operation: 'GetObject' }, true],
  ['Null condition: an upload without the SSE header is denied', requireSseHeader, {}, { who: root(OWNER), operation: 'PutObject' }, false],
  ['Null condition: with the header it passes', requireSseHeader, {}, { who: root(OWNER), operation: 'PutObject', headers: { 'x-amz-server-side-encryption': 'AES256' } }, true],
  ['cross-account upload with bucket-owner-full-control', crossAccountUpload, {},
    { who: root(OTHER), operation: 'PutObject', headers: { 'x-amz-acl': 'bucket-owner-full-control' } }, true],
  ['cross-account upload without the ACL', crossAccountUpload, {}, { who: root(OTHER), operation: 'PutObject' }, false],
  ['cross-account upload: an IAM user of that account', crossAccountUpload, {},
    { who: user(OTHER, 'uploader'), operation: 'PutObject', headers: { 'x-amz-acl': 'bucket-owner-full-control' } }, true],
  ['cross-account upload: a third account', crossAccountUpload, {},
    { who: root('999988887777'), operation: 'PutObject', headers: { 'x-amz-acl': 'bucket-owner-full-control' } }, false],
  ['HTTPS only: every request over HTTP is denied, the owner\'s too', httpsOnly, {}, { who: root(OWNER), operation: 'GetObject' }, false],
  ['referer: a page of the site may read', referer, {}, { who: anonymousRequester, operation: 'GetObject', headers: { referer: 'https://www.example.com/page' } }, true],
  ['referer: another site may not', referer, {}, { who: anonymousRequester, operation: 'GetObject', headers: { referer: 'https://evil.example/' } }, false],
  ['listing: the root with delimiter /', homeListing, {}, { who: user(OTHER, 'Dave'), operation: 'ListObjectsV2', query: { delimiter: '/' } }, true],
  ['listing: home/ with delimiter /', homeListing, {}, { who: user(OTHER, 'Dave'), operation: 'ListObjects', query: { prefix: 'home/', delimiter: '/' } }, true],
  ['listing: another prefix', homeListing, {}, { who: user(OTHER, 'Dave'), operation: 'ListObjectsV2', query: { prefix: 'private/', delimiter: '/' } }, false],
  ['listing: without the delimiter', homeListing, {}, { who: user(OTHER, 'Dave'), operation: 'ListObjectsV2' }, false],
  ['listing: another user of the account', homeListing, {}, { who: user(OTHER, 'Eve'), operation: 'ListObjectsV2', query: { delimiter: '/' } }, false],
  ['max-keys: 10 is fine', maxKeys, {}, { who: root(OTHER), operation: 'ListObjectsV2', query: { 'max-keys': '10' } }, true],
  ['max-keys: 1000 is not', maxKeys, {}, { who: root(OTHER), operation: 'ListObjectsV2', query: { 'max-keys': '1000' } }, false],
  ['max-keys: absent fails the condition', maxKeys, {}, { who: root(OTHER), operation: 'ListObjectsV2' }, false],
  ['request tags: only Owner and CreationDate, Owner=Dave', tagKeys, {},
    { who: root(OTHER), operation: 'PutObject', headers: { 'x-amz-tagging': 'Owner=Dave&CreationDate=2026' } }, true],
  ['request tags: another key', tagKeys, {}, { who: root(OTHER), operation: 'PutObject', headers: { 'x-amz-tagging': 'Owner=Dave&Project=x' } }, false],
  ['request tags: another owner', tagKeys, {}, { who: root(OTHER), operation: 'PutObject', headers: { 'x-amz-tagging': 'Owner=Eve' } }, false],
  ['version id: the named version', oneVersion, {}, { who: root(OTHER), operation: 'GetObject', query: { versionId: 'AaaHbAQitwiL_h47_44lRO2DDfLlBO5e' } }, true],
  ['version id: another version', oneVersion, {}, { who: root(OTHER), operation: 'GetObject', query: { versionId: 'other' } }, false],
  ['version id: the current object needs s3:GetObject', oneVersion, {}, { who: root(OTHER), operation: 'GetObject' }, false],
  ['principal account: that account', accountOnly, {}, { who: user(OTHER, 'x'), operation: 'GetObject' }, true],
  ['principal account: anonymous has none', accountOnly, {}, { who: anonymousRequester, operation: 'GetObject' }, false],
  ['IfExists: no storage class header passes', storageClassIfExists, {}, { who: root(OTHER), operation: 'PutObject' }, true],
  ['IfExists: STANDARD_IA passes', storageClassIfExists, {}, { who: root(OTHER), operation: 'PutObject', headers: { 'x-amz-storage-class': 'STANDARD_IA' } }, true],
  ['IfExists: GLACIER is denied', storageClassIfExists, {}, { who: root(OTHER), operation: 'PutObject', headers: { 'x-amz-storage-class': 'GLACIER' } }, false],
  ['ForAnyValue: a listed tag key among others is denied', noSecretTags, {},
    { who: root(OWNER), operation: 'PutObject', headers: { 'x-amz-tagging': 'team=a&classified=yes' } }, false],
  ['ForAnyValue: other tag keys pass', noSecretTags, {}, { who: root(OWNER), operation: 'PutObject', headers: { 'x-amz-tagging': 'team=a' } }, true],
  ['ForAnyValue: no tags at all pass', noSecretTags, {}, { who: root(OWNER), operation: 'PutObject' }, true],
  ['NotAction: everything but reads is denied, the owner too', readOnly, {}, { who: root(OWNER), operation: 'PutObject' }, false],
  ['NotAction: reads are not', readOnly, {}, { who: root(OWNER), operation: 'GetObject' }, true],
  ['NotResource: outside private/', notPrivate, {}, { who: root(OTHER), operation: 'GetObject', key: 'public/a' }, true],
  ['NotResource: inside private/', notPrivate, {}, { who: root(OTHER), operation: 'GetObject', key: 'private/a' }, false],
]

describe('S3 access decisions (AWS bucket policy examples)', () => {
  for (const [name, statements, block, ask, expected] of table) {
    it(name, () => assert.equal(allowed(bucketWith(statements, block), ask), expected))
  }

  it('tells public policies as AWS defines them', () => {
    const isPublic = (statements: object[]) => policyIsPublic(checkBucketPolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), B))
    assert.equal(isPublic(anonymousRead), true)
    assert.equal(isPublic(referer), true, 'aws:Referer pins nothing')
    assert.equal(isPublic(accountOnly), false, 'a fixed aws:PrincipalAccount')
    assert.equal(isPublic([{ ...anonymousRead[0], Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }]), false)
    assert.equal(isPublic([{ ...anonymousRead[0], Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } }]), true)
    assert.equal(isPublic([{ ...anonymousRead[0], Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } }]), false)
    assert.equal(isPublic([{ ...anonymousRead[0], Condition: { StringLike: { 'aws:SourceVpce': 'vpce-*' } } }]), true, 'a wildcard is no fixed value')
    assert.equal(isPublic([{ ...anonymousRead[0], Principal: { AWS: `arn:aws:iam::${OTHER}:root` } }]), false)
    assert.equal(isPublic(ipDeny), false, 'a Deny grants nothing')
    assert.equal(isPublic(crossAccountUpload), false)
  })
})
