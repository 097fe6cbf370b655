// The narrow port other services use: Lambda reads deployment packages, Firehose will write
// objects, notifications subscribe to object events. Types only.
import type { Readable } from 'node:stream'
import type { EventChannel } from '../../core/events.ts'
import type { MetricSource } from '../cloudwatch/port.ts'

export type ObjectEventName =
  | 'ObjectCreated:Put' | 'ObjectCreated:Post' | 'ObjectCreated:Copy' | 'ObjectCreated:CompleteMultipartUpload'
  | 'ObjectRemoved:Delete' | 'ObjectRemoved:DeleteMarkerCreated'
  | 'ObjectTagging:Put' | 'ObjectTagging:Delete' | 'ObjectAcl:Put'
  | 'LifecycleExpiration:Delete' | 'LifecycleExpiration:DeleteMarkerCreated'
  | 'ObjectRestore:Post' | 'ObjectRestore:Completed' | 'ObjectRestore:Delete'

/** What a restore-completed event adds (records' glacierEventData, EventBridge's restore-expiry-time). */
export interface RestoreEventData {
  readonly expiry: Date
  readonly storageClass: string
}

export interface ObjectEvent {
  readonly name: ObjectEventName
  readonly bucket: string
  /** The bucket owner's account and the bucket's region. */
  readonly account: string
  readonly region: string
  /** The raw key (notification records URL-encode it). */
  readonly key: string
  readonly size: number | undefined
  /** Unquoted, as records carry it. */
  readonly etag: string | undefined
  /** Only when the bucket is versioned (or a delete marker was created). */
  readonly versionId: string | undefined
  readonly sequencer: string | undefined
  readonly time: Date
  readonly requestId: string
  /** The caller's account (records' principalId). */
  readonly requester: string
  /** Records' principalId when S3 itself acted (lifecycle: `s3.amazonaws.com`); else `AWS:<requester>`. */
  readonly principal?: string
  readonly restore?: RestoreEventData
  /** The object's storage class (EventBridge's restore events name it). */
  readonly storageClass?: string
}

export interface S3ObjectRead {
  body: Buffer
  etag: string
  contentType: string | undefined
  metadata: Readonly<Record<string, string>>
}

export interface S3Port {
  /** The AWS/S3 metrics CloudWatch reads: request metrics of configured buckets, daily storage metrics of all. */
  metrics: MetricSource
  /** Whole object at once (small objects: Lambda code); throws NoSuchBucket / NoSuchKey / NoSuchVersion. */
  getObject(bucket: string, key: string, versionId?: string): S3ObjectRead
  /** Writes an object as the bucket's owner; announces ObjectCreated:Put like a PutObject. */
  putObject(bucket: string, key: string, body: Buffer | Readable, options?: { contentType?: string; metadata?: Record<string, string> }):
    Promise<{ etag: string; versionId: string | undefined }>
  exists(bucket: string, key?: string): boolean
  /** The bucket's current keys (no delete markers) starting with `prefix`, in ListObjects' order; throws NoSuchBucket. */
  listKeys(bucket: string, prefix: string): string[]
  /** The bucket's policy document as put (undefined when it has none or doesn't exist): CloudTrail checks it grants its service principal. */
  bucketPolicy(bucket: string): string | undefined
  readonly events: EventChannel<ObjectEvent>
  /** S3 Control's API (services/s3control) over S3's own state: account-level Block Public Access and access points. */
  readonly control: S3ControlPort
}

/** Block Public Access settings as S3 Control's documents carry them. */
export interface PublicAccessBlockSettings {
  BlockPublicAcls?: boolean
  IgnorePublicAcls?: boolean
  BlockPublicPolicy?: boolean
  RestrictPublicBuckets?: boolean
}

/** Which account and region an S3 Control call acts in (the `x-amz-account-id` header, the signing region) and who calls. */
export interface ControlScope {
  account: string
  region: string
  caller: string
}

export interface AccessPointView {
  name: string
  bucket: string
  bucketAccount: string
  arn: string
  alias: string
  vpcId: string | undefined
  block: PublicAccessBlockSettings
  created: Date
}

/** Each call throws S3 Control's AWS error (NoSuchPublicAccessBlockConfiguration, NoSuchAccessPoint, AccessDenied…). */
export interface S3ControlPort {
  getPublicAccessBlock(scope: ControlScope): PublicAccessBlockSettings
  putPublicAccessBlock(scope: ControlScope, block: PublicAccessBlockSettings | undefined): void
  deletePublicAccessBlock(scope: ControlScope): void
  createAccessPoint(scope: ControlScope, request: { name: string; bucket: string; bucketAccount?: string; vpcId?: string;
    block?: PublicAccessBlockSettings }): AccessPointView
  getAccessPoint(scope: ControlScope, name: string): AccessPointView
  listAccessPoints(scope: ControlScope, bucket: string | undefined): AccessPointView[]
  deleteAccessPoint(scope: ControlScope, name: string): void
  getAccessPointPolicy(scope: ControlScope, name: string): string
  putAccessPointPolicy(scope: ControlScope, name: string, policy: string | undefined): void
  deleteAccessPointPolicy(scope: ControlScope, name: string): void
  accessPointPolicyIsPublic(scope: ControlScope, name: string): boolean
}
