// What S3 refuses of ACLs before anything is stored: any ACL but `bucket-owner-full-control` on a
// bucket whose Object Ownership is BucketOwnerEnforced (ACLs disabled), and email-address grantees
// (AWS ended them in 2025: 405). Also whether a bucket policy is public (GetBucketPolicyStatus).
import type { Bucket } from './bucket.ts'
import { AwsError } from '../../protocol/errors.ts'

/** The ACL members of a write or an ACL put. */
export interface AclInput {
  ACL?: string
  GrantRead?: string
  GrantReadACP?: string
  GrantWrite?: string
  GrantWriteACP?: string
  GrantFullControl?: string
  AccessControlPolicy?: { Grants?: Array<{ Grantee?: { Type?: string; EmailAddress?: string; ID?: string; URI?: string }; Permission?: string }> }
}

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
 * A policy is public when an Allow statement names everyone (`*`, `{"AWS": "*"}`) without a condition
 * that pins it down; any condition counts as pinning here (AWS accepts only some keys as such) [R].
 */
export function policyIsPublic(text: string): boolean {
  let statements: unknown
  try {
    statements = (JSON.parse(text) as { Statement?: unknown }).Statement
  } catch {
    return false
  }
  const list = Array.isArray(statements) ? statements : [statements]
  return list.some((s) => {
    const st = s as { Effect?: unknown; Principal?: unknown; Condition?: unknown } | null
    if (st === null || typeof st !== 'object' || st.Effect !== 'Allow' || st.Condition !== undefined) return false
    const p = st.Principal
    const aws = (p as { AWS?: unknown } | null | undefined)?.AWS
    return p === '*' || aws === '*' || (Array.isArray(aws) && aws.includes('*'))
  })
}
