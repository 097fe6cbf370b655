// S3's state: one global bucket namespace (bucket names are unique across accounts and regions),
// the blob store holding object bodies, and the event channel notifications will listen on.
import type { Clock } from '../../core/clock.ts'
import type { EventChannel } from '../../core/events.ts'
import type { BlobStore } from '../../storage/blob-store.ts'
import { Bucket, type WriteContext } from './bucket.ts'
import { s3Errors } from './errors.ts'
import { createObjectEvents, type ObjectEvent, type ObjectEventName } from './events.ts'
import type { ObjectVersion } from './object.ts'

export interface EventSource {
  requestId: string
  requester: string
}

export class S3State {
  readonly clock: Clock
  readonly blobs: BlobStore
  readonly events: EventChannel<ObjectEvent> = createObjectEvents()
  private readonly buckets = new Map<string, Bucket>()
  private sequence = 0

  constructor(clock: Clock, blobs: BlobStore) {
    this.clock = clock
    this.blobs = blobs
  }

  bucket(name: string): Bucket | undefined {
    return this.buckets.get(name)
  }

  requireBucket(name: string): Bucket {
    const bucket = this.buckets.get(name)
    if (bucket === undefined) throw s3Errors.noSuchBucket(name)
    return bucket
  }

  addBucket(bucket: Bucket): void {
    this.buckets.set(bucket.name, bucket)
  }

  removeBucket(bucket: Bucket): void {
    for (const upload of bucket.uploads.values()) for (const part of upload.parts.values()) part.blob.release()
    this.buckets.delete(bucket.name)
  }

  /** An account's buckets by name (ListBuckets order). */
  bucketsOf(account: string): Bucket[] {
    return [...this.buckets.values()].filter((b) => b.owner === account).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }

  /** The context of one write: its time, owner, and a sequencer greater than every earlier one. */
  writeContext(owner: string): WriteContext {
    this.sequence++
    return { now: new Date(this.clock.now()), owner, sequencer: this.sequence.toString(16).toUpperCase().padStart(16, '0') }
  }

  /** Versions a change replaced give their bodies back (a shared blob stays while anyone holds it). */
  release(versions: readonly ObjectVersion[]): void {
    for (const version of versions) version.blob?.release()
  }

  emit(name: ObjectEventName, bucket: Bucket, version: ObjectVersion | { key: string; sequencer: string }, source: EventSource): void {
    if (this.events.size === 0) return
    const v = 'versionId' in version ? version : undefined
    const created = name.startsWith('ObjectCreated')
    // Records carry size only for created objects, and no eTag for removals (§4.4).
    const removed = name.startsWith('ObjectRemoved')
    this.events.emit({
      name, bucket: bucket.name, account: bucket.owner, region: bucket.region, key: version.key,
      size: created ? v?.size : undefined,
      etag: v === undefined || removed ? undefined : v.etag.replaceAll('"', ''),
      versionId: bucket.versioning !== undefined ? v?.versionId : undefined,
      sequencer: version.sequencer, time: new Date(this.clock.now()), requestId: source.requestId, requester: source.requester,
    })
  }

  reset(): void {
    for (const bucket of this.buckets.values()) this.removeBucket(bucket)
    this.buckets.clear()
    this.blobs.clear()
  }
}
