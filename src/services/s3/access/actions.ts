// Which IAM action each S3 operation needs, on which resource (the bucket's ARN or an object's), and
// which ACL permission grants it — AWS's "Required permissions for Amazon S3 API operations" table.
// Operations on a version (a `versionId`) need the …Version… action where AWS names one.
import type { AclPermission } from './acl.ts'

export interface ActionSpec {
  action: string
  /** Object-level actions are checked against `arn:aws:s3:::bucket/key`, the rest against the bucket. */
  object: boolean
  /** The action when the request names a version. */
  versioned?: string
  /** The ACL permission that grants it: on the bucket's ACL for bucket actions and PUT/DELETE of objects, else the object's. */
  acl?: AclPermission
  /** Writes and deletes of objects are granted by the bucket's ACL (WRITE), not the object's. */
  aclOnBucket?: boolean
}

const bucket = (action: string, acl?: AclPermission): ActionSpec => ({ action, object: false, ...(acl !== undefined && { acl }) })
const object = (action: string, versioned?: string, acl?: AclPermission): ActionSpec =>
  ({ action, object: true, ...(versioned !== undefined && { versioned }), ...(acl !== undefined && { acl }) })
const write = (action: string, versioned?: string): ActionSpec => ({ ...object(action, versioned, 'WRITE'), aclOnBucket: true })

export const operationActions: Record<string, ActionSpec> = {
  ListObjects: bucket('s3:ListBucket', 'READ'),
  ListObjectsV2: bucket('s3:ListBucket', 'READ'),
  HeadBucket: bucket('s3:ListBucket', 'READ'),
  ListObjectVersions: bucket('s3:ListBucketVersions', 'READ'),
  ListMultipartUploads: bucket('s3:ListBucketMultipartUploads', 'READ'),
  GetBucketLocation: bucket('s3:GetBucketLocation'),
  DeleteBucket: bucket('s3:DeleteBucket'),
  GetBucketVersioning: bucket('s3:GetBucketVersioning'),
  PutBucketVersioning: bucket('s3:PutBucketVersioning'),
  GetBucketPolicy: bucket('s3:GetBucketPolicy'),
  PutBucketPolicy: bucket('s3:PutBucketPolicy'),
  DeleteBucketPolicy: bucket('s3:DeleteBucketPolicy'),
  GetBucketPolicyStatus: bucket('s3:GetBucketPolicyStatus'),
  GetBucketCors: bucket('s3:GetBucketCORS'),
  PutBucketCors: bucket('s3:PutBucketCORS'),
  DeleteBucketCors: bucket('s3:PutBucketCORS'),
  GetBucketLifecycleConfiguration: bucket('s3:GetLifecycleConfiguration'),
  PutBucketLifecycleConfiguration: bucket('s3:PutLifecycleConfiguration'),
  DeleteBucketLifecycle: bucket('s3:PutLifecycleConfiguration'),
  GetBucketOwnershipControls: bucket('s3:GetBucketOwnershipControls'),
  PutBucketOwnershipControls: bucket('s3:PutBucketOwnershipControls'),
  DeleteBucketOwnershipControls: bucket('s3:PutBucketOwnershipControls'),
  GetPublicAccessBlock: bucket('s3:GetBucketPublicAccessBlock'),
  PutPublicAccessBlock: bucket('s3:PutBucketPublicAccessBlock'),
  DeletePublicAccessBlock: bucket('s3:PutBucketPublicAccessBlock'),
  GetBucketEncryption: bucket('s3:GetEncryptionConfiguration'),
  PutBucketEncryption: bucket('s3:PutEncryptionConfiguration'),
  DeleteBucketEncryption: bucket('s3:PutEncryptionConfiguration'),
  GetBucketWebsite: bucket('s3:GetBucketWebsite'),
  PutBucketWebsite: bucket('s3:PutBucketWebsite'),
  DeleteBucketWebsite: bucket('s3:DeleteBucketWebsite'),
  GetBucketTagging: bucket('s3:GetBucketTagging'),
  PutBucketTagging: bucket('s3:PutBucketTagging'),
  DeleteBucketTagging: bucket('s3:PutBucketTagging'),
  GetBucketAcl: bucket('s3:GetBucketAcl', 'READ_ACP'),
  PutBucketAcl: bucket('s3:PutBucketAcl', 'WRITE_ACP'),
  GetBucketNotificationConfiguration: bucket('s3:GetBucketNotification'),
  PutBucketNotificationConfiguration: bucket('s3:PutBucketNotification'),
  GetObjectLockConfiguration: bucket('s3:GetBucketObjectLockConfiguration'),
  PutObjectLockConfiguration: bucket('s3:PutBucketObjectLockConfiguration'),
  // AWS: List needs the Get action, Delete the Put action.
  GetBucketMetricsConfiguration: bucket('s3:GetMetricsConfiguration'),
  ListBucketMetricsConfigurations: bucket('s3:GetMetricsConfiguration'),
  PutBucketMetricsConfiguration: bucket('s3:PutMetricsConfiguration'),
  DeleteBucketMetricsConfiguration: bucket('s3:PutMetricsConfiguration'),

  GetObject: object('s3:GetObject', 's3:GetObjectVersion', 'READ'),
  HeadObject: object('s3:GetObject', 's3:GetObjectVersion', 'READ'),
  GetObjectAttributes: object('s3:GetObjectAttributes', 's3:GetObjectVersionAttributes'),
  PutObject: write('s3:PutObject'),
  PostObject: write('s3:PutObject'),
  CopyObject: write('s3:PutObject'),
  CreateMultipartUpload: write('s3:PutObject'),
  UploadPart: write('s3:PutObject'),
  UploadPartCopy: write('s3:PutObject'),
  CompleteMultipartUpload: write('s3:PutObject'),
  AbortMultipartUpload: write('s3:AbortMultipartUpload'),
  ListParts: object('s3:ListMultipartUploadParts'),
  DeleteObject: write('s3:DeleteObject', 's3:DeleteObjectVersion'),
  // Checked per key (access/authorize.ts): each refused key answers AccessDenied in the result.
  DeleteObjects: write('s3:DeleteObject', 's3:DeleteObjectVersion'),
  GetObjectAcl: object('s3:GetObjectAcl', 's3:GetObjectVersionAcl', 'READ_ACP'),
  PutObjectAcl: object('s3:PutObjectAcl', 's3:PutObjectVersionAcl', 'WRITE_ACP'),
  GetObjectTagging: object('s3:GetObjectTagging', 's3:GetObjectVersionTagging'),
  PutObjectTagging: object('s3:PutObjectTagging', 's3:PutObjectVersionTagging'),
  DeleteObjectTagging: object('s3:DeleteObjectTagging', 's3:DeleteObjectVersionTagging'),
  RestoreObject: object('s3:RestoreObject'),
  GetObjectRetention: object('s3:GetObjectRetention'),
  PutObjectRetention: object('s3:PutObjectRetention'),
  GetObjectLegalHold: object('s3:GetObjectLegalHold'),
  PutObjectLegalHold: object('s3:PutObjectLegalHold'),
}

/** Every S3 action a bucket policy may name, with whether it applies to objects (else to buckets). */
export const knownActions: ReadonlyMap<string, 'object' | 'bucket'> = new Map([
  ...Object.values(operationActions).flatMap((spec) => [spec.action, ...(spec.versioned === undefined ? [] : [spec.versioned])]
    .map((action): [string, 'object' | 'bucket'] => [action.toLowerCase(), spec.object ? 'object' : 'bucket'])),
  ...['s3:BypassGovernanceRetention', 's3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags', 's3:ObjectOwnerOverrideToBucketOwner',
    's3:PutObjectVersionAcl', 's3:GetObjectVersionForReplication', 's3:GetObjectTorrent', 's3:GetObjectVersionTorrent']
    .map((action): [string, 'object' | 'bucket'] => [action.toLowerCase(), 'object']),
  ...['s3:CreateBucket', 's3:ListAllMyBuckets', 's3:GetBucketLogging', 's3:PutBucketLogging', 's3:GetReplicationConfiguration',
    's3:PutReplicationConfiguration', 's3:GetAccelerateConfiguration', 's3:PutAccelerateConfiguration', 's3:GetBucketRequestPayment',
    's3:PutBucketRequestPayment', 's3:GetAnalyticsConfiguration', 's3:PutAnalyticsConfiguration', 's3:GetInventoryConfiguration',
    's3:PutInventoryConfiguration', 's3:GetMetricsConfiguration', 's3:PutMetricsConfiguration', 's3:GetIntelligentTieringConfiguration',
    's3:PutIntelligentTieringConfiguration', 's3:ListBucketByTags', 's3:GetBucketObjectLockConfiguration']
    .map((action): [string, 'object' | 'bucket'] => [action.toLowerCase(), 'bucket']),
])
