// Data-plane requests through an access point: the bucket named by an access point alias
// (`<name>-<metadata>-s3alias`), by the `<name>-<account>` host label the SDK makes of an access
// point ARN (`…s3-accesspoint.<region>…`, or `<label>.<custom endpoint host>`), or by the ARN itself,
// is the access point's bucket; the access point's policy is then evaluated beside the bucket policy
// (S3 User Guide, "Configuring IAM policies for using access points"): an explicit Deny in either
// refuses, and a caller outside the access point's account needs the access point policy's Allow too.
import { resourcePolicyDecision } from '../../../policy/evaluate.ts'
import type { ContextValues } from '../../../policy/match.ts'
import { type AccessPoint, accessPointArn, parseAccessPointArn } from '../control/access-points.ts'
import type { S3State } from '../store.ts'
import { cachedPolicy } from './bucket-policy.ts'
import type { Requester } from './context.ts'
import { combineBlocks, type PublicAccessBlock } from './public-access-block.ts'
import { policyIsPublic } from './public-policy.ts'

/**
 * The access point a request's bucket name stands for, else undefined (a real bucket of that name
 * wins over a host label). Rewrites `input.Bucket` to the access point's bucket.
 */
export function throughAccessPoint(state: S3State, input: Record<string, unknown>, region: string): AccessPoint | undefined {
  const name = input.Bucket
  if (typeof name !== 'string') return undefined
  let ap: AccessPoint | undefined
  if (name.endsWith('-s3alias')) ap = state.accessPoints.byAliasName(name)
  else if (name.startsWith('arn:')) {
    const arn = parseAccessPointArn(name)
    ap = arn === undefined ? undefined : state.accessPoints.get(arn.account, arn.region, arn.name)
  } else if (/-\d{12}$/.test(name) && state.bucket(name) === undefined) {
    ap = state.accessPoints.byHostLabel(name, region) ?? state.accessPoints.byHostLabel(name)
  }
  if (ap !== undefined) input.Bucket = ap.bucket
  return ap
}

/**
 * The operations S3 serves through an access point (S3 User Guide, "Access point compatibility": object
 * operations, listings, multipart uploads and a few bucket reads). Any other — a bucket's configuration,
 * DeleteBucket, a browser POST upload — is refused (`accessPointOperationRefused`).
 */
const servedThroughAccessPoint = new Set([
  'AbortMultipartUpload', 'CompleteMultipartUpload', 'CopyObject', 'CreateMultipartUpload', 'DeleteObject', 'DeleteObjects',
  'DeleteObjectTagging', 'GetBucketAcl', 'GetBucketCors', 'GetBucketLocation', 'GetBucketNotificationConfiguration', 'GetBucketPolicy',
  'GetObject', 'GetObjectAcl', 'GetObjectAttributes', 'GetObjectLegalHold', 'GetObjectRetention', 'GetObjectTagging', 'HeadBucket',
  'HeadObject', 'ListMultipartUploads', 'ListObjects', 'ListObjectsV2', 'ListObjectVersions', 'ListParts', 'PutObject', 'PutObjectAcl',
  'PutObjectLegalHold', 'PutObjectRetention', 'PutObjectTagging', 'RestoreObject', 'UploadPart', 'UploadPartCopy',
])

export function servedThroughAccessPointOperation(operation: string): boolean {
  return servedThroughAccessPoint.has(operation)
}

/** The condition keys a request through an access point carries (S3's `s3:DataAccessPoint*` keys). */
export function accessPointContext(ap: AccessPoint): Record<string, string> {
  return { 's3:DataAccessPointArn': accessPointArn(ap), 's3:DataAccessPointAccount': ap.account,
    's3:AccessPointNetworkOrigin': ap.vpcId === undefined ? 'Internet' : 'VPC' }
}

/** The access point's own settings with its account's: they add to the bucket's for requests through it. */
export function accessPointBlock(state: S3State, ap: AccessPoint): PublicAccessBlock {
  return combineBlocks(ap.block, state.accounts.block(ap.account))
}

/**
 * Whether the access point's policy lets the request through: an explicit Deny refuses anyone; the
 * access point's own account passes otherwise; another account or anonymous caller needs an Allow,
 * ignored when the policy is public and RestrictPublicBuckets holds for the access point.
 */
export function accessPointAllows(state: S3State, ap: AccessPoint, requester: Requester, action: string, key: string | undefined,
  context: ContextValues): boolean {
  const policy = cachedPolicy(ap, ap.policy)
  const sameAccount = !requester.anonymous && requester.account === ap.account
  if (policy === undefined) return sameAccount
  const resource = key === undefined ? accessPointArn(ap) : `${accessPointArn(ap)}/object/${key}`
  const verdict = resourcePolicyDecision({ principal: requester.principal, action, resource, resourceAccount: ap.account, context }, [policy])
  if (verdict === 'ExplicitDeny') return false
  if (sameAccount) return true
  return verdict === 'Allow' && !(accessPointBlock(state, ap).RestrictPublicBuckets === true && policyIsPublic(policy))
}
