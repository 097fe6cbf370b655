// Bucket configurations S3 stores and returns as put: policy, CORS, lifecycle, ownership controls,
// public access block, encryption, website, tagging, ACL. Each absent one answers with the error
// AWS names for it. New buckets start with AWS's 2023 defaults (BucketOwnerEnforced, all public
// access blocked, SSE-S3), which Delete* removes.
import type { AwsError } from '../../../protocol/errors.ts'
import type { OperationTable } from '../../service.ts'
import type { BucketConfigName } from '../bucket.ts'
import { checkCorsRules } from '../cors.ts'
import { s3Errors } from '../errors.ts'
import { grantsForWrite } from '../acl-rules.ts'
import { aclDocument, bucketGrants } from '../access/acl.ts'
import { publicAccessBlockOf, accessDenied } from '../access/authorize.ts'
import { checkBucketPolicy, parseBucketPolicy } from '../access/bucket-policy.ts'
import { policyIsPublic } from '../access/public-policy.ts'
import { MalformedPolicy } from '../../../policy/document.ts'
import { responseStatus } from '../../../protocol/http.ts'
import type * as T from '../generated/types.ts'
import type { S3Operations } from '../generated/types.ts'
import type { Lifecycle } from '../lifecycle.ts'
import { checkLifecycleRules, withRuleIds } from '../lifecycle-rules.ts'
import { limits } from '../limits.ts'
import { tagSet, tagsFromSet } from '../object-input.ts'
import type { S3State } from '../store.ts'

export function defaultConfigs(ownership: string | undefined): Array<[BucketConfigName, unknown]> {
  return [
    ['ownership', { Rules: [{ ObjectOwnership: ownership ?? 'BucketOwnerEnforced' }] }],
    ['publicAccessBlock', { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true }],
    ['encryption', { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }] }],
  ]
}

export function bucketConfigOperations(state: S3State, lifecycle: Lifecycle): OperationTable<S3Operations> {
  /** The stored configuration, or AWS's error for its absence. */
  const stored = <V>(bucketName: string, name: BucketConfigName, absent: (bucket: string) => AwsError): V => {
    const bucket = state.requireBucket(bucketName)
    if (!bucket.configs.has(name)) throw absent(bucketName)
    return bucket.configs.get(name) as V
  }
  const put = (bucketName: string, name: BucketConfigName, value: unknown): void => {
    if (value === undefined) throw s3Errors.malformedXml()
    const bucket = state.requireBucket(bucketName)
    bucket.configs.set(name, value)
    bucket.saved()
  }
  const remove = (bucketName: string, name: BucketConfigName): void => {
    const bucket = state.requireBucket(bucketName)
    bucket.configs.delete(name)
    bucket.saved()
  }
  return {
    // 204 No Content, as AWS answers it.
    PutBucketPolicy: (input) => {
      const bucket = state.requireBucket(input.Bucket)
      const document = checkPolicy(input.Policy, bucket.name)
      // BlockPublicPolicy refuses a public policy (AWS: 403 AccessDenied) [R: message].
      if (publicAccessBlockOf(bucket).BlockPublicPolicy === true && policyIsPublic(document)) throw accessDenied()
      put(input.Bucket, 'policy', input.Policy)
      return { [responseStatus]: 204 } as unknown as void
    },
    GetBucketPolicyStatus: (input) => ({
      PolicyStatus: { IsPublic: isPublicText(stored<string>(input.Bucket, 'policy', s3Errors.noSuchBucketPolicy)) },
    }),
    GetBucketPolicy: (input) => ({ Policy: stored<string>(input.Bucket, 'policy', s3Errors.noSuchBucketPolicy) }),
    DeleteBucketPolicy: (input) => remove(input.Bucket, 'policy'),

    PutBucketCors: (input) => {
      const rules = nonEmpty(input.CORSConfiguration?.CORSRules)
      checkCorsRules(rules)
      put(input.Bucket, 'cors', rules)
    },
    GetBucketCors: (input) => ({ CORSRules: stored<T.CORSRule[]>(input.Bucket, 'cors', s3Errors.noSuchCors) }),
    DeleteBucketCors: (input) => remove(input.Bucket, 'cors'),

    PutBucketLifecycleConfiguration: (input) => {
      const rules = nonEmpty(input.LifecycleConfiguration?.Rules)
      checkLifecycleRules(rules)
      put(input.Bucket, 'lifecycle', withRuleIds(rules))
      lifecycle.arm()
      return { TransitionDefaultMinimumObjectSize: input.TransitionDefaultMinimumObjectSize ?? 'all_storage_classes_128K' }
    },
    GetBucketLifecycleConfiguration: (input) => ({
      Rules: stored<T.LifecycleRule[]>(input.Bucket, 'lifecycle', s3Errors.noSuchLifecycle),
      TransitionDefaultMinimumObjectSize: 'all_storage_classes_128K',
    }),
    DeleteBucketLifecycle: (input) => remove(input.Bucket, 'lifecycle'),

    PutBucketOwnershipControls: (input) => put(input.Bucket, 'ownership', input.OwnershipControls),
    GetBucketOwnershipControls: (input) => ({
      OwnershipControls: stored<T.OwnershipControls>(input.Bucket, 'ownership', s3Errors.noSuchOwnershipControls),
    }),
    DeleteBucketOwnershipControls: (input) => remove(input.Bucket, 'ownership'),

    PutPublicAccessBlock: (input) => put(input.Bucket, 'publicAccessBlock', input.PublicAccessBlockConfiguration),
    GetPublicAccessBlock: (input) => ({
      PublicAccessBlockConfiguration: stored<T.PublicAccessBlockConfiguration>(input.Bucket, 'publicAccessBlock', s3Errors.noSuchPublicAccessBlock),
    }),
    DeletePublicAccessBlock: (input) => remove(input.Bucket, 'publicAccessBlock'),

    PutBucketEncryption: (input) => put(input.Bucket, 'encryption', input.ServerSideEncryptionConfiguration),
    GetBucketEncryption: (input) => ({
      ServerSideEncryptionConfiguration: stored<T.ServerSideEncryptionConfiguration>(input.Bucket, 'encryption', s3Errors.noSuchEncryption),
    }),
    DeleteBucketEncryption: (input) => remove(input.Bucket, 'encryption'),

    PutBucketWebsite: (input) => put(input.Bucket, 'website', input.WebsiteConfiguration),
    GetBucketWebsite: (input) => stored<T.GetBucketWebsiteOutput>(input.Bucket, 'website', s3Errors.noSuchWebsite),
    DeleteBucketWebsite: (input) => remove(input.Bucket, 'website'),

    PutBucketTagging: (input) => put(input.Bucket, 'tagging', tagsFromSet(input.Tagging?.TagSet, limits.maxBucketTags)),
    GetBucketTagging: (input) => ({ TagSet: tagSet(stored<Record<string, string>>(input.Bucket, 'tagging', s3Errors.noSuchTagSet)) }),
    DeleteBucketTagging: (input) => remove(input.Bucket, 'tagging'),

    // The grants are kept (access/acl.ts) and evaluated for callers other than the owner.
    PutBucketAcl: (input) => {
      const bucket = state.requireBucket(input.Bucket)
      const acl = grantsForWrite(bucket, input, bucket.owner)
      if (acl !== undefined && acl.length > 0) bucket.configs.set('acl', acl)
      else bucket.configs.delete('acl')
      bucket.saved()
    },
    GetBucketAcl: (input) => {
      const bucket = state.requireBucket(input.Bucket)
      return aclDocument(bucket.owner, bucketGrants(bucket.configs.get('acl'), bucket.owner)) as T.GetBucketAclOutput
    },
  }
}

function nonEmpty<V>(list: V[] | undefined): V[] {
  if (list === undefined || list.length === 0) throw s3Errors.malformedXml()
  return list
}

/** S3's checks of a policy document (access/bucket-policy.ts): MalformedPolicy with S3's message. */
function checkPolicy(policy: string | undefined, bucket: string) {
  try {
    return checkBucketPolicy(policy ?? '', bucket)
  } catch (error) {
    if (error instanceof MalformedPolicy) throw s3Errors.malformedPolicy(error.message)
    throw error
  }
}

/** A stored policy's public status (AWS's definition: access/public-policy.ts). */
function isPublicText(text: string): boolean {
  try {
    return policyIsPublic(parseBucketPolicy(text))
  } catch {
    return false
  }
}
