// What S3 refuses of ACLs before anything is stored: any ACL but `bucket-owner-full-control` on a
// bucket whose Object Ownership is BucketOwnerEnforced (ACLs disabled), and email-address grantees
// (AWS ended them in 2025: 405), and public ACLs while BlockPublicAcls is on.
import type { Bucket } from './bucket.ts'
import { AwsError } from '../../protocol/errors.ts'
import { type AclRequest as AclInput, isPublicGrant, requestedGrants, type StoredGrant } from './access/acl.ts'
import { publicAccessBlockOf } from './access/public-access-block.ts'

export function objectOwnership(bucket: Bucket): string | undefined {
  return (bucket.configs.get('ownership') as { Rules?: Array<{ ObjectOwnership?: string }> } | undefined)?.Rules?.[0]?.ObjectOwnership
}

const grantHeaders = (input: AclInput) => [input.GrantRead, input.GrantReadACP, input.GrantWrite, input.GrantWriteACP, input.GrantFullControl]

/**
 * Throws AWS's refusal for an ACL this bucket can't take. With ACLs disabled only the
 * `bucket-owner-full-control` canned ACL (or an owner-only full-control grant) passes [D: S3 user guide];
 * AWS's wording [R].
 */
export function checkAcl(bucket: Bucket, input: AclInput): void {
  const grants = input.AccessControlPolicy?.Grants ?? []
  const emailHeader = grantHeaders(input).some((g) => g !== undefined && /emailAddress\s*=/i.test(g))
  if (emailHeader || grants.some((g) => g.Grantee?.EmailAddress !== undefined || g.Grantee?.Type === 'AmazonCustomerByEmail')) {
    // [D]: "the request will receive an HTTP 405 (Method Not Allowed) error"; code and wording [R].
    throw new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', { status: 405 })
  }
  if (objectOwnership(bucket) !== 'BucketOwnerEnforced') return
  const ownerOnly = grants.every((g) => g.Permission === 'FULL_CONTROL' && g.Grantee?.URI === undefined)
  const asked = (input.ACL !== undefined && input.ACL !== 'bucket-owner-full-control') || grantHeaders(input).some((g) => g !== undefined) ||
    !ownerOnly
  if (asked) throw new AwsError('AccessControlListNotSupported', 'The bucket does not allow ACLs', { status: 400 })
}

/**
 * Who owns a new object (Object Ownership): the bucket owner when ACLs are disabled, or under
 * BucketOwnerPreferred with the `bucket-owner-full-control` ACL; else the account that wrote it.
 */
export function objectOwner(bucket: Bucket, writer: string, acl: string | undefined): string {
  const ownership = objectOwnership(bucket)
  if (ownership === 'BucketOwnerEnforced' || (ownership === 'BucketOwnerPreferred' && acl === 'bucket-owner-full-control')) return bucket.owner
  return writer
}

/**
 * The grants a write or ACL put stores, after AWS's refusals: those of checkAcl, then a public ACL
 * (to everyone or any AWS account) on a bucket whose public access block has BlockPublicAcls → 403
 * AccessDenied [R: AWS's message]. Undefined when the request names no ACL, or ACLs are disabled.
 */
export function grantsForWrite(bucket: Bucket, input: AclInput, owner: string): StoredGrant[] | undefined {
  checkAcl(bucket, input)
  if (objectOwnership(bucket) === 'BucketOwnerEnforced') return undefined
  const grants = requestedGrants(input, owner, bucket.owner)
  if (grants !== undefined && grants.some(isPublicGrant) &&
    publicAccessBlockOf(bucket).BlockPublicAcls === true) {
    throw new AwsError('AccessDenied', 'Access Denied', { status: 403 })
  }
  return grants
}
