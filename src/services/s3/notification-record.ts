// What S3 sends: the event record (SQS body, SNS Message, Lambda event; §4.4), the s3:TestEvent
// sent to new SQS/SNS destinations (§4.3), and the EventBridge event (§4.6).
import { createHash } from 'node:crypto'
import type { ObjectEvent } from './events.ts'

/**
 * Record versions as AWS's recordings show them: 2.1 for create/remove, 2.3 for tagging and ACL
 * events (which carry an eTag but no size and no sequencer). Newer AWS docs describe a unified 2.4+;
 * consumers should only rely on the major `2.`.
 */
const eventVersions: Readonly<Record<string, string>> = {
  ObjectTagging: '2.3', ObjectAcl: '2.3', LifecycleExpiration: '2.3', 'ObjectRestore:Delete': '2.3',
}
const defaultEventVersion = '2.1'

/** Nimbus runs on the caller's machine; AWS puts the client's address here. */
export const sourceIpAddress = '127.0.0.1'

/**
 * Keys in records are form-encoded as Java's URLEncoder does — letters, digits and `.-*_` stay,
 * space becomes `+`, everything else is %XX of its UTF-8 bytes — except `/`, which AWS leaves as
 * it is (`photos/my photo.jpg` arrives as `photos/my+photo.jpg`).
 */
export function encodeKey(key: string): string {
  let out = ''
  for (const byte of Buffer.from(key, 'utf8')) {
    const c = String.fromCharCode(byte)
    if (/[A-Za-z0-9.\-*_/]/.test(c)) out += c
    else if (byte === 0x20) out += '+'
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/** x-amz-id-2: S3's opaque host id, stable per request here. */
export function hostId(requestId: string): string {
  return createHash('sha384').update(`nimbus-s3:${requestId}`).digest('base64')
}

/** The bucket owner's principal id as records show it (AWS's looks like `A3NL1KOZZKExample`). */
function ownerPrincipal(account: string): string {
  return `A${createHash('sha256').update(`nimbus-owner:${account}`).digest('hex').slice(0, 13).toUpperCase()}`
}

/** One record for one matching configuration, wrapped as S3 sends it: `{"Records":[…]}`. */
export function notificationMessage(event: ObjectEvent, configurationId: string): string {
  const family = event.name.slice(0, event.name.indexOf(':'))
  const object: Record<string, unknown> = { key: encodeKey(event.key) }
  if (event.size !== undefined) object.size = event.size
  if (event.etag !== undefined) object.eTag = event.etag
  if (event.versionId !== undefined) object.versionId = event.versionId
  const version = eventVersions[event.name] ?? eventVersions[family] ?? defaultEventVersion
  if (event.sequencer !== undefined && version === defaultEventVersion) object.sequencer = event.sequencer
  const record = {
    eventVersion: version,
    eventSource: 'aws:s3',
    awsRegion: event.region,
    eventTime: event.time.toISOString(),
    eventName: event.name,
    userIdentity: { principalId: event.principal ?? `AWS:${event.requester}` },
    requestParameters: { sourceIPAddress: sourceIpAddress },
    responseElements: { 'x-amz-request-id': event.requestId, 'x-amz-id-2': hostId(event.requestId) },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId,
      bucket: { name: event.bucket, ownerIdentity: { principalId: ownerPrincipal(event.account) }, arn: `arn:aws:s3:::${event.bucket}` },
      object,
    },
    // ObjectRestore:Completed says until when the restored copy stays [S].
    ...(event.restore === undefined ? {} : { glacierEventData: { restoreEventData: {
      lifecycleRestorationExpiryTime: event.restore.expiry.toISOString(), lifecycleRestoreStorageClass: event.restore.storageClass,
    } } }),
  }
  return JSON.stringify({ Records: [record] })
}

/** The message S3 sends to each new SQS/SNS destination after a successful PUT ?notification. */
export function testEventMessage(bucket: string, requestId: string, now: number): string {
  return JSON.stringify({
    Service: 'Amazon S3', Event: 's3:TestEvent', Time: new Date(now).toISOString(), Bucket: bucket, RequestId: requestId,
    HostId: hostId(requestId),
  })
}

const createdReasons: Readonly<Record<string, string>> = {
  'ObjectCreated:Put': 'PutObject', 'ObjectCreated:Post': 'POST Object', 'ObjectCreated:Copy': 'CopyObject',
  'ObjectCreated:CompleteMultipartUpload': 'CompleteMultipartUpload',
}

const detailTypes: Readonly<Record<string, string>> = {
  'ObjectTagging:Put': 'Object Tags Added', 'ObjectTagging:Delete': 'Object Tags Deleted', 'ObjectAcl:Put': 'Object ACL Updated',
}

/**
 * The EventBridge form of an event: hyphenated names (`etag`, `version-id`), the raw key (AWS is
 * believed not to encode it here), `reason` and `deletion-type` for creates and deletes.
 */
export function eventBridgeEntry(event: ObjectEvent): { detailType: string; detail: Record<string, unknown> } | undefined {
  const object: Record<string, unknown> = { key: event.key }
  if (event.size !== undefined) object.size = event.size
  if (event.etag !== undefined) object.etag = event.etag
  if (event.versionId !== undefined) object['version-id'] = event.versionId
  const common = { 'request-id': event.requestId, requester: event.requester, 'source-ip-address': sourceIpAddress }
  const bucket = { name: event.bucket }
  if (event.name.startsWith('ObjectCreated:')) {
    object.sequencer = event.sequencer
    return { detailType: 'Object Created', detail: { version: '0', bucket, object, ...common, reason: createdReasons[event.name] } }
  }
  if (event.name.startsWith('ObjectRemoved:') || event.name.startsWith('LifecycleExpiration:')) {
    object.sequencer = event.sequencer
    const deletionType = event.name.endsWith(':DeleteMarkerCreated') ? 'Delete Marker Created' : 'Permanently Deleted'
    const reason = event.name.startsWith('Lifecycle') ? 'Lifecycle Expiration' : 'DeleteObject'
    return { detailType: 'Object Deleted', detail: { version: '0', bucket, object, ...common, reason, 'deletion-type': deletionType } }
  }
  if (event.name.startsWith('ObjectRestore:')) {
    // Restore events name the archive the object lives in; the completed one until when the copy stays [S].
    const extra = event.restore === undefined ? {} : { 'restore-expiry-time': event.restore.expiry.toISOString() }
    return { detailType: restoreDetailTypes[event.name]!, detail: { version: '0', bucket, object, ...common,
      'source-storage-class': event.restore?.storageClass ?? event.storageClass, ...extra } }
  }
  const detailType = detailTypes[event.name]
  return detailType === undefined ? undefined : { detailType, detail: { version: '0', bucket, object, ...common } }
}

const restoreDetailTypes: Readonly<Record<string, string>> = {
  'ObjectRestore:Post': 'Object Restore Initiated', 'ObjectRestore:Completed': 'Object Restore Completed',
  'ObjectRestore:Delete': 'Object Restore Expired',
}
