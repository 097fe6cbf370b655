// Who may do what to a bucket, decided before each operation runs, as S3 authorizes a request
// (S3 User Guide, "How Amazon S3 authorizes a request"; IAM's "Policy evaluation logic"):
// 1. an explicit Deny in the bucket policy that applies refuses anyone, the owner included;
// 2. the bucket owner's own identities (root, IAM users, role sessions of that account) are allowed —
//    identity-based IAM policies are checked by the gateway only under `--enforce-iam`;
// 3. another account or an anonymous caller needs an Allow: from the bucket policy (ignored when the
//    policy is public and the bucket's RestrictPublicBuckets is on), or from an ACL grant while
//    Object Ownership lets ACLs count (IgnorePublicAcls ignores grants to everyone / any account).
import type { AccessKeyLookup } from '../../../core/access-keys.ts'
import type { PolicyDocument } from '../../../policy/document.ts'
import { resourcePolicyDecision } from '../../../policy/evaluate.ts'
import type { ContextValues } from '../../../policy/match.ts'
import { AwsError } from '../../../protocol/errors.ts'
import type { HttpRequest } from '../../../protocol/http.ts'
import type { OperationContext } from '../../service.ts'
import { objectOwnership } from '../acl-rules.ts'
import type { Bucket } from '../bucket.ts'
import { parseCopySource } from '../copy-source.ts'
import { s3Errors } from '../errors.ts'
import type { ObjectVersion } from '../object.ts'
import type { S3State } from '../store.ts'
import { type AclRequest, aclGrants, bucketGrants, isPublicGrant, requestedGrants } from './acl.ts'
import { type ActionSpec, operationActions } from './actions.ts'
import { cachedPolicy } from './bucket-policy.ts'
import { anonymousRequester, conditionContext, isUnsigned, type Requester, requesterOf } from './context.ts'
import { policyIsPublic } from './public-policy.ts'
import { combineBlocks, type PublicAccessBlock, publicAccessBlockOf } from './public-access-block.ts'
import type { AccessPoint } from '../control/access-points.ts'
import { accessPointAllows, accessPointBlock, accessPointContext } from './through-access-point.ts'

export { type PublicAccessBlock, publicAccessBlockOf } from './public-access-block.ts'

export const accessDenied = () => s3Errors.accessDenied('Access Denied')

/** The bucket's policy as the evaluator reads it (parsed once per stored text). */
export function bucketPolicy(bucket: Bucket): PolicyDocument | undefined {
  return cachedPolicy(bucket, bucket.configs.get('policy') as string | undefined)
}

export interface AccessCheck {
  requester: Requester
  action: string
  bucket: Bucket
  /** Object-level: the key (resource `arn:aws:s3:::bucket/key`); undefined for the bucket itself. */
  key: string | undefined
  /** The version whose ACL counts for object ACL permissions. */
  version: ObjectVersion | undefined
  spec: ActionSpec | undefined
  context: ContextValues
  /** A request through an access point: its Block Public Access settings add to the bucket's. */
  extraBlock?: PublicAccessBlock
}

export function isAllowed(check: AccessCheck): boolean {
  const { requester, bucket, spec } = check
  const sameAccount = !requester.anonymous && requester.account === bucket.owner
  const policy = bucketPolicy(bucket)
  const aclsCount = objectOwnership(bucket) !== 'BucketOwnerEnforced'
  const block = check.extraBlock === undefined ? publicAccessBlockOf(bucket) : combineBlocks(publicAccessBlockOf(bucket), check.extraBlock)
  const ignorePublic = block.IgnorePublicAcls === true
  // An object another account owns (ACLs enabled): only its ACL grants reads and ACL access — the
  // bucket owner's policy can deny but not grant what the bucket owner doesn't own [D: S3 User Guide].
  const version = check.version
  const foreign = aclsCount && spec?.acl !== undefined && spec.object && spec.aclOnBucket !== true && version !== undefined &&
    !version.deleteMarker && version.owner !== bucket.owner
  if (policy !== undefined) {
    const resource = check.key === undefined ? `arn:aws:s3:::${bucket.name}` : `arn:aws:s3:::${bucket.name}/${check.key}`
    const verdict = resourcePolicyDecision({ principal: requester.principal, action: check.action, resource, resourceAccount: bucket.owner,
      context: check.context }, [policy])
    if (verdict === 'ExplicitDeny') return false
    if (foreign) return aclGrants(version.acl ?? [], version.owner, requester, spec.acl!, ignorePublic)
    if (sameAccount) return true
    if (verdict === 'Allow' && !(block.RestrictPublicBuckets === true && policyIsPublic(policy))) return true
  } else if (foreign) {
    return aclGrants(version.acl ?? [], version.owner, requester, spec.acl!, ignorePublic)
  } else if (sameAccount) {
    return true
  }
  if (spec?.acl === undefined || !aclsCount) return false
  const onObject = spec.object && spec.aclOnBucket !== true
  if (onObject && (version === undefined || version.deleteMarker)) return false
  const grants = onObject ? (version!.acl ?? []) : bucketGrants(bucket.configs.get('acl'), bucket.owner)
  const owner = onObject ? version!.owner : bucket.owner
  return aclGrants(grants, owner, requester, spec.acl, ignorePublic)
}

const policyOperations = new Set(['GetBucketPolicy', 'PutBucketPolicy', 'DeleteBucketPolicy'])

/** Operations no bucket policy governs: signed callers only (ListBuckets lists the caller's own; CreateBucket makes one). */
const unbound = new Set(['ListBuckets', 'CreateBucket', 'PostObject'])

/**
 * Refuses the request with 403 AccessDenied "Access Denied" unless S3 would serve it. Runs before
 * the handler; a bucket that doesn't exist is left to the handler's NoSuchBucket (anyone hears it).
 * The owner's requests on a bucket without a policy — nearly all — pay one map lookup.
 */
export function authorize(state: S3State, keys: AccessKeyLookup | undefined, operation: string, input: Record<string, unknown>,
  request: HttpRequest, ctx: OperationContext, accessPoint?: AccessPoint): void {
  const anonymous = isUnsigned(request)
  if (unbound.has(operation)) {
    if (anonymous && operation !== 'PostObject') throw accessDenied()
    return
  }
  const bucket = typeof input.Bucket === 'string' ? state.bucket(input.Bucket) : undefined
  if (bucket === undefined) {
    if (anonymous && input.Bucket === undefined) throw accessDenied()
    return
  }
  const spec = operationActions[operation]
  const copySource = operation === 'CopyObject' || operation === 'UploadPartCopy' ? request.headers['x-amz-copy-source'] : undefined
  if (accessPoint === undefined && !anonymous && ctx.caller.account === bucket.owner && !bucket.configs.has('policy') && copySource === undefined &&
    !mayBeForeign(bucket, spec, input)) return
  const requester = anonymous ? anonymousRequester : requesterOf(ctx.caller, keys)
  const check = (action: string, target: Bucket, key: string | undefined, versionId: string | undefined, actionSpec = spec): boolean => {
    const version = key === undefined ? undefined : versionId === undefined ? target.current(key) : target.version(key, versionId)
    const context = conditionContext({ operation, request, input, bucketOwner: target.owner, version, now: ctx.clock.now() })
    // Through an access point (its own bucket, not a copy's source): its policy must let the request through too.
    const viaAccessPoint = accessPoint !== undefined && target === bucket ? accessPoint : undefined
    if (viaAccessPoint === undefined) return isAllowed({ requester, action, bucket: target, key, version, spec: actionSpec, context })
    Object.assign(context, accessPointContext(viaAccessPoint))
    return accessPointAllows(state, viaAccessPoint, requester, action, key, context) &&
      isAllowed({ requester, action, bucket: target, key, version, spec: actionSpec, context, extraBlock: accessPointBlock(state, viaAccessPoint) })
  }
  if (spec === undefined) {
    // An operation Nimbus doesn't implement: the handler answers NotImplemented to the owner; others are refused.
    if (requester.anonymous || requester.account !== bucket.owner) throw accessDenied()
    return
  }
  const key = spec.object && typeof input.Key === 'string' ? input.Key : undefined
  const versionId = typeof input.VersionId === 'string' && input.VersionId !== '' ? input.VersionId : undefined
  if (operation === 'DeleteObjects') return deniedDeletes(input, (k, v) => check(v === undefined ? 's3:DeleteObject' : 's3:DeleteObjectVersion', bucket, k, v,
    operationActions.DeleteObject))
  const action = versionId !== undefined && spec.versioned !== undefined ? spec.versioned : spec.action
  if (policyOperations.has(operation)) {
    // The owner account's root may always read, replace or delete the policy, so a policy can't lock it out [D: PutBucketPolicy API reference].
    const ownerRoot = !requester.anonymous && requester.account === bucket.owner && requester.principal.arn.endsWith(':root')
    if (!ownerRoot && !check(action, bucket, key, versionId)) throw accessDenied()
    // Allowed, but not an identity of the owner's account: 405 [D]; wording and fields [R].
    if (requester.anonymous || requester.account !== bucket.owner) {
      throw new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', { status: 405 })
    }
    return
  }
  if (!check(action, bucket, key, versionId)) throw accessDenied()
  // Through an access point whose settings (or its account's) block public ACLs, a public ACL on the request is refused too [R: message].
  if (accessPoint !== undefined && accessPointBlock(state, accessPoint).BlockPublicAcls === true && requestsPublicAcl(input, bucket.owner)) {
    throw accessDenied()
  }
  // A missing object is NoSuchKey only to a caller who may list the bucket; others get AccessDenied [D: GetObject API reference].
  if ((operation === 'GetObject' || operation === 'HeadObject') && key !== undefined) {
    const version = versionId === undefined ? bucket.current(key) : bucket.version(key, versionId)
    if ((version === undefined || version.deleteMarker) && !check('s3:ListBucket', bucket, undefined, undefined, operationActions.ListObjects)) {
      throw accessDenied()
    }
  }
  if (request.headers['x-amz-bypass-governance-retention'] === 'true' && !check('s3:BypassGovernanceRetention', bucket, key, versionId)) {
    throw accessDenied()
  }
  if (copySource !== undefined) {
    let source: ReturnType<typeof parseCopySource>
    try {
      source = parseCopySource(copySource)
    } catch {
      return // the handler answers the malformed header
    }
    const from = state.bucket(source.bucket)
    if (from === undefined) return
    if (!check(source.versionId === undefined ? 's3:GetObject' : 's3:GetObjectVersion', from, source.key, source.versionId, operationActions.GetObject)) {
      throw accessDenied()
    }
  }
}

function requestsPublicAcl(input: Record<string, unknown>, owner: string): boolean {
  try {
    return requestedGrants(input as AclRequest, owner, owner)?.some(isPublicGrant) === true
  } catch {
    return false // the handler answers the malformed ACL
  }
}

/** Whether the object read may be another account's (ACLs enabled): then its ACL decides even for the bucket owner. */
function mayBeForeign(bucket: Bucket, spec: ActionSpec | undefined, input: Record<string, unknown>): boolean {
  if (spec?.acl === undefined || !spec.object || spec.aclOnBucket === true || typeof input.Key !== 'string') return false
  if (objectOwnership(bucket) === 'BucketOwnerEnforced') return false
  const version = typeof input.VersionId === 'string' && input.VersionId !== '' ? bucket.version(input.Key, input.VersionId) : bucket.current(input.Key)
  return version !== undefined && version.owner !== bucket.owner
}

/** Marks the object version in a DeleteObjects body the caller may not delete: each answers AccessDenied in the result, as AWS does. */
export const deniedKeys: unique symbol = Symbol('s3.deniedKeys')

function deniedDeletes(input: Record<string, unknown>, allowed: (key: string, versionId: string | undefined) => boolean): void {
  const objects = (input.Delete as { Objects?: Array<{ Key?: string; VersionId?: string }> } | undefined)?.Objects ?? []
  const denied = new Set<object>()
  for (const object of objects) if (object.Key !== undefined && !allowed(object.Key, object.VersionId || undefined)) denied.add(object)
  if (denied.size > 0) (input as Record<symbol, unknown>)[deniedKeys] = denied
}
