// S3 access control lists: the grants a write or an ACL put asks for (canned ACLs, x-amz-grant-*
// headers, an AccessControlPolicy document), kept beside the bucket or version, answered by
// GetBucketAcl/GetObjectAcl, and evaluated for callers other than the owner while Object Ownership
// lets ACLs count (not BucketOwnerEnforced). The owner always holds FULL_CONTROL, implied here.
import { canonicalId } from '../bucket-name.ts'

export type AclPermission = 'FULL_CONTROL' | 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP'

/** One grant as S3 answers it: a canonical user (by id) or one of S3's predefined groups (by URI). */
export interface StoredGrant {
  Grantee: { Type: 'CanonicalUser'; ID: string } | { Type: 'Group'; URI: string }
  Permission: AclPermission
}

export const allUsers = 'http://acs.amazonaws.com/groups/global/AllUsers'
export const authenticatedUsers = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers'
const logDelivery = 'http://acs.amazonaws.com/groups/s3/LogDelivery'

/** The ACL members of a write or an ACL put. */
export interface AclRequest {
  ACL?: string
  GrantRead?: string
  GrantReadACP?: string
  GrantWrite?: string
  GrantWriteACP?: string
  GrantFullControl?: string
  AccessControlPolicy?: { Grants?: Array<{ Grantee?: { Type?: string; EmailAddress?: string; ID?: string; URI?: string }; Permission?: string }> }
}

const group = (URI: string, Permission: AclPermission): StoredGrant => ({ Grantee: { Type: 'Group', URI }, Permission })
const user = (account: string, Permission: AclPermission): StoredGrant => ({ Grantee: { Type: 'CanonicalUser', ID: canonicalId(account) }, Permission })

/**
 * The grants a request asks for beyond the owner's own full control; undefined when it names no ACL
 * at all (a write then gets a private ACL, an ACL put is refused by the model's validation).
 * `bucketOwner` is for the object canned ACLs that name the bucket's owner.
 */
export function requestedGrants(input: AclRequest, owner: string, bucketOwner: string): StoredGrant[] | undefined {
  if (input.ACL !== undefined) return cannedGrants(input.ACL, owner, bucketOwner)
  const headers: Array<[string | undefined, AclPermission]> = [[input.GrantRead, 'READ'], [input.GrantReadACP, 'READ_ACP'],
    [input.GrantWrite, 'WRITE'], [input.GrantWriteACP, 'WRITE_ACP'], [input.GrantFullControl, 'FULL_CONTROL']]
  if (headers.some(([value]) => value !== undefined)) {
    return headers.flatMap(([value, permission]) => (value === undefined ? [] : headerGrants(value, permission)))
  }
  const grants = input.AccessControlPolicy?.Grants
  if (grants === undefined) return undefined
  return grants.flatMap((g): StoredGrant[] => {
    const permission = g.Permission as AclPermission | undefined
    if (permission === undefined) return []
    if (g.Grantee?.URI !== undefined) return [group(g.Grantee.URI, permission)]
    if (g.Grantee?.ID !== undefined) return g.Grantee.ID === canonicalId(owner) && permission === 'FULL_CONTROL' ? [] : [{ Grantee: { Type: 'CanonicalUser', ID: g.Grantee.ID }, Permission: permission }]
    return []
  })
}

/** AWS's canned ACLs (S3 User Guide, "Canned ACL"); aws-exec-read's EC2 grant has no principal here. */
function cannedGrants(name: string, owner: string, bucketOwner: string): StoredGrant[] {
  switch (name) {
    case 'public-read': return [group(allUsers, 'READ')]
    case 'public-read-write': return [group(allUsers, 'READ'), group(allUsers, 'WRITE')]
    case 'authenticated-read': return [group(authenticatedUsers, 'READ')]
    case 'bucket-owner-read': return bucketOwner === owner ? [] : [user(bucketOwner, 'READ')]
    case 'bucket-owner-full-control': return bucketOwner === owner ? [] : [user(bucketOwner, 'FULL_CONTROL')]
    case 'log-delivery-write': return [group(logDelivery, 'WRITE'), group(logDelivery, 'READ_ACP')]
    default: return []
  }
}

/** `uri="http://…/AllUsers", id="<canonical id>"` (email grantees are refused earlier: acl-rules.ts). */
function headerGrants(value: string, permission: AclPermission): StoredGrant[] {
  const out: StoredGrant[] = []
  for (const match of value.matchAll(/(id|uri)\s*=\s*"?([^",]+)"?/gi)) {
    const kind = match[1]!.toLowerCase()
    const target = match[2]!.trim()
    out.push(kind === 'uri' ? group(target, permission) : { Grantee: { Type: 'CanonicalUser', ID: target }, Permission: permission })
  }
  return out
}

/** Grants to everyone or to any AWS account: what Block Public Access calls a public ACL. */
export function isPublicGrant(grant: StoredGrant): boolean {
  return grant.Grantee.Type === 'Group' && (grant.Grantee.URI === allUsers || grant.Grantee.URI === authenticatedUsers)
}

/** Whether the grants give `who` (an account, or anonymous) the permission; the owner holds everything. */
export function aclGrants(grants: readonly StoredGrant[], owner: string, who: { account: string; anonymous: boolean },
  permission: AclPermission, ignorePublic: boolean): boolean {
  if (!who.anonymous && who.account === owner) return true
  const id = who.anonymous ? undefined : canonicalId(who.account)
  return grants.some((grant) => {
    if (grant.Permission !== permission && grant.Permission !== 'FULL_CONTROL') return false
    if (ignorePublic && isPublicGrant(grant)) return false
    const grantee = grant.Grantee
    if (grantee.Type === 'CanonicalUser') return grantee.ID === id
    return grantee.URI === allUsers || (grantee.URI === authenticatedUsers && !who.anonymous)
  })
}

/** GetBucketAcl / GetObjectAcl: the owner's full control, then the stored grants. */
export function aclDocument(owner: string, grants: readonly StoredGrant[]): { Owner: { ID: string }; Grants: StoredGrant[] } {
  const ID = canonicalId(owner)
  return { Owner: { ID }, Grants: [{ Grantee: { ID, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' }, ...grants.map((g) => ({ Grantee: { ...g.Grantee }, Permission: g.Permission }))] }
}

/** A bucket's stored ACL: grants, or the canned name kept by earlier versions of Nimbus (`public-read`, `public-read-write`). */
export function bucketGrants(stored: unknown, owner: string): StoredGrant[] {
  if (typeof stored === 'string') return cannedGrants(stored, owner, owner)
  return Array.isArray(stored) ? (stored as StoredGrant[]) : []
}
