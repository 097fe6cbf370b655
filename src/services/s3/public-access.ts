// Which unsigned requests S3 serves: reads a bucket policy grants to everyone (Principal "*"), or a
// public-read ACL when the bucket's ownership controls and public access block let ACLs count.
// Everything else unsigned is AccessDenied, as AWS answers it.
import type { HttpRequest } from '../../protocol/http.ts'
import type { Bucket } from './bucket.ts'
import type { ObjectVersion } from './object.ts'
import type { S3State } from './store.ts'

const allUsers = 'http://acs.amazonaws.com/groups/global/AllUsers'

/** The anonymous actions Nimbus serves, by operation (writes and configuration stay signed-only). */
const actions: Record<string, string> = {
  GetObject: 's3:GetObject', HeadObject: 's3:GetObject', ListObjects: 's3:ListBucket', ListObjectsV2: 's3:ListBucket',
}

interface Statement {
  Effect?: unknown
  Principal?: unknown
  NotPrincipal?: unknown
  Action?: unknown
  NotAction?: unknown
  Resource?: unknown
  NotResource?: unknown
  Condition?: unknown
}

/** The bucket ACL kept for anonymous access: everyone may list (`public-read`), and write (`public-read-write`). */
export function publicBucketAcl(input: Parameters<typeof grantsPublicRead>[0]): 'public-read' | 'public-read-write' | undefined {
  if (input.ACL === 'public-read-write') return 'public-read-write'
  return grantsPublicRead(input) ? 'public-read' : undefined
}

/** Canned ACLs, grant headers and AccessControlPolicy grants that let everyone read. */
export function grantsPublicRead(input: { ACL?: string; GrantRead?: string; GrantFullControl?: string;
  AccessControlPolicy?: { Grants?: Array<{ Grantee?: { URI?: string }; Permission?: string }> } }): boolean {
  if (input.ACL === 'public-read' || input.ACL === 'public-read-write') return true
  if ([input.GrantRead, input.GrantFullControl].some((grant) => grant?.includes(allUsers) === true)) return true
  return (input.AccessControlPolicy?.Grants ?? []).some((g) => g.Grantee?.URI === allUsers && (g.Permission === 'READ' || g.Permission === 'FULL_CONTROL'))
}

/** Whether S3 serves this unsigned request (PostObject checks its own policy document in its handler). */
export function allowsAnonymous(state: S3State, operation: string | undefined, request: HttpRequest): boolean {
  if (operation === 'PostObject') return true
  const action = operation === undefined ? undefined : actions[operation]
  const path = /^\/([^/]+)(?:\/(.+))?$/.exec(request.rawPath)
  if (action === undefined || path === null) return false
  let bucketName: string
  let key: string | undefined
  try {
    bucketName = decodeURIComponent(path[1]!)
    key = path[2] === undefined ? undefined : decodeURIComponent(path[2])
  } catch {
    return false
  }
  const bucket = state.bucket(bucketName)
  // A bucket's existence is no secret: anyone hears NoSuchBucket.
  if (bucket === undefined) return true
  if (action === 's3:ListBucket') return granted(bucket, action, `arn:aws:s3:::${bucketName}`, undefined)
  const version = key === undefined ? undefined : bucket.current(key)
  if (!granted(bucket, action, `arn:aws:s3:::${bucketName}/${key ?? ''}`, version)) return false
  // A missing key is NoSuchKey only to a caller who may list the bucket; others get AccessDenied [D].
  return (version !== undefined && !version.deleteMarker) || granted(bucket, 's3:ListBucket', `arn:aws:s3:::${bucketName}`, undefined)
}

/** Whether a policy or ACL grants everyone `action` on `resource` (an explicit Deny wins). */
export function granted(bucket: Bucket, action: string, resource: string, version: ObjectVersion | undefined): boolean {
  const verdict = policyVerdict(bucket, action, resource)
  if (verdict !== undefined) return verdict === 'allow'
  return aclAllows(bucket, action, version)
}

/** A public access block's RestrictPublicBuckets makes a public policy count for no anonymous caller [D]. */
function policyVerdict(bucket: Bucket, action: string, resource: string): 'allow' | 'deny' | undefined {
  const text = bucket.configs.get('policy') as string | undefined
  if (text === undefined) return undefined
  let statements: Statement[]
  try {
    const parsed = (JSON.parse(text) as { Statement?: unknown }).Statement
    statements = (Array.isArray(parsed) ? parsed : [parsed]).filter((s): s is Statement => s !== null && typeof s === 'object')
  } catch {
    return undefined
  }
  const applies = statements.filter((s) => matches(s, action, resource))
  // An explicit Deny wins; a Deny with conditions Nimbus can't evaluate counts (the safe side).
  if (applies.some((s) => s.Effect === 'Deny' && (s.NotPrincipal !== undefined || isEveryone(s.Principal)))) return 'deny'
  const restricted = (bucket.configs.get('publicAccessBlock') as { RestrictPublicBuckets?: boolean } | undefined)?.RestrictPublicBuckets === true
  if (restricted) return undefined
  // An Allow with conditions (source IP, VPC…) isn't granted: Nimbus can't evaluate them.
  return applies.some((s) => s.Effect === 'Allow' && isEveryone(s.Principal) && s.Condition === undefined) ? 'allow' : undefined
}

function matches(s: Statement, action: string, resource: string): boolean {
  const actionOk = s.NotAction !== undefined ? !anyMatch(s.NotAction, action) : anyMatch(s.Action, action)
  const resourceOk = s.NotResource !== undefined ? !anyMatch(s.NotResource, resource) : anyMatch(s.Resource, resource)
  return actionOk && resourceOk
}

function isEveryone(principal: unknown): boolean {
  if (principal === '*') return true
  const aws = (principal as { AWS?: unknown } | null | undefined)?.AWS
  return aws === '*' || (Array.isArray(aws) && aws.includes('*'))
}

function anyMatch(patterns: unknown, value: string): boolean {
  const list = Array.isArray(patterns) ? patterns : [patterns]
  return list.some((p) => typeof p === 'string' && wildcardMatch(p, value))
}

/** IAM wildcards: `*` any run, `?` one character; actions compare case-insensitively (resources too, harmlessly here). */
function wildcardMatch(pattern: string, value: string): boolean {
  const p = pattern.toLowerCase()
  const v = value.toLowerCase()
  let pi = 0
  let vi = 0
  let star = -1
  let mark = 0
  while (vi < v.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === v[vi])) {
      pi++
      vi++
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++
      mark = vi
    } else if (star !== -1) {
      pi = star + 1
      vi = ++mark
    } else {
      return false
    }
  }
  while (pi < p.length && p[pi] === '*') pi++
  return pi === p.length
}

/** ACLs count only when the bucket's ownership allows them and IgnorePublicAcls is off [D]. */
function aclAllows(bucket: Bucket, action: string, version: ObjectVersion | undefined): boolean {
  const ownership = (bucket.configs.get('ownership') as { Rules?: Array<{ ObjectOwnership?: string }> } | undefined)?.Rules?.[0]?.ObjectOwnership
  if (ownership === 'BucketOwnerEnforced') return false
  if ((bucket.configs.get('publicAccessBlock') as { IgnorePublicAcls?: boolean } | undefined)?.IgnorePublicAcls === true) return false
  const acl = bucket.configs.get('acl')
  if (action === 's3:ListBucket') return acl === 'public-read' || acl === 'public-read-write'
  if (action === 's3:PutObject') return acl === 'public-read-write'
  return version?.publicRead === true
}
