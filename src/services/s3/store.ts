// S3's state: one global bucket namespace (bucket names are unique across accounts and regions),
// the blob store holding object bodies, and the event channel notifications will listen on.
import type { Clock } from '../../core/clock.ts'
import type { EventChannel } from '../../core/events.ts'
import type { BlobStore } from '../../storage/blob-store.ts'
import { Bucket, type BucketConfigName, type WriteContext } from './bucket.ts'
import { s3Errors } from './errors.ts'
import type * as T from './generated/types.ts'
import { createObjectEvents, type ObjectEvent, type ObjectEventName, type RestoreEventData } from './events.ts'
import type { ObjectVersion } from './object.ts'
import { AccessPoints } from './control/access-points.ts'
import { AccountSettings } from './control/account-settings.ts'
import type { Persistence } from '../../storage/persistence/persistence.ts'
import { decodeVersion, type LoadedS3, type RestoreBlob, type S3Rows } from './s3-rows.ts'

/** What S3's own actions (lifecycle, restores) add to an event. */
export interface EventExtras {
  /** Unquoted; a lifecycle delete marker announces the eTag of the object it expired. */
  etag?: string
  principal?: string
  restore?: RestoreEventData
}

export interface EventSource {
  requestId: string
  requester: string
}

export class S3State {
  readonly clock: Clock
  readonly blobs: BlobStore
  readonly events: EventChannel<ObjectEvent> = createObjectEvents()
  /** With a data dir: buckets, versions and uploads are written as rows (s3-rows.ts). */
  readonly rows: S3Rows | undefined
  private readonly buckets = new Map<string, Bucket>()
  /** Per-account settings S3 Control sets (account-level Block Public Access) and the access points. */
  readonly accounts: AccountSettings
  readonly accessPoints: AccessPoints
  private sequence = 0

  constructor(clock: Clock, blobs: BlobStore, rows?: S3Rows, persistence?: Persistence) {
    this.clock = clock
    this.blobs = blobs
    this.rows = rows
    this.accounts = new AccountSettings(persistence)
    this.accessPoints = new AccessPoints(persistence)
  }

  /**
   * Reads every stored bucket, version and upload back (at creation, before anything is written).
   * Versions of a key stack in sequencer order (the order they were written); the sequencer goes on
   * from the highest one stored, so events keep ordering across a restart.
   */
  load(blob: RestoreBlob): LoadedS3 {
    const loaded = this.rows!.load(blob)
    for (const row of loaded.buckets) {
      const bucket = new Bucket(row.name, row.region, row.owner, new Date(row.created))
      bucket.versioning = row.versioning
      for (const [name, value] of row.configs) bucket.configs.set(name, reviveConfig(name, value))
      bucket.rows = this.rows
      bucket.accountSettings = this.accounts
      this.buckets.set(bucket.name, bucket)
    }
    const versions = loaded.versions.sort((a, b) => (a.row.sequencer < b.row.sequencer ? -1 : a.row.sequencer > b.row.sequencer ? 1 : 0))
    for (const { row, blob: body } of versions) {
      const bucket = this.buckets.get(row.bucket)
      if (bucket === undefined) {
        body?.release()
        continue
      }
      bucket.restoreVersion(decodeVersion(row, body))
      const n = Number.parseInt(row.sequencer, 16)
      if (n > this.sequence) this.sequence = n
    }
    for (const { bucket: name, upload } of loaded.uploads) {
      const bucket = this.buckets.get(name)
      if (bucket === undefined) for (const part of upload.parts.values()) part.blob.release()
      else bucket.uploads.set(upload.id, upload)
    }
    return loaded
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
    bucket.rows = this.rows
    bucket.accountSettings = this.accounts
    bucket.saved()
  }

  removeBucket(bucket: Bucket): void {
    for (const upload of [...bucket.uploads.values()]) {
      bucket.removeUpload(upload)
      for (const part of upload.parts.values()) part.blob.release()
    }
    this.buckets.delete(bucket.name)
    this.rows?.bucketGone(bucket.name)
  }

  /** Every bucket of every account (the lifecycle sweep). */
  allBuckets(): Bucket[] {
    return [...this.buckets.values()]
  }

  /** An account's buckets by name (ListBuckets order). */
  bucketsOf(account: string): Bucket[] {
    return [...this.buckets.values()].filter((b) => b.owner === account).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }

  /** The context of one write: its time (now, or a lifecycle sweep's midnight), owner, and a sequencer greater than every earlier one. */
  writeContext(owner: string, at = this.clock.now()): WriteContext {
    this.sequence++
    return { now: new Date(at), owner, sequencer: this.sequence.toString(16).toUpperCase().padStart(16, '0') }
  }

  /** Versions a change replaced give their bodies back (a shared blob stays while anyone holds it). */
  release(versions: readonly ObjectVersion[]): void {
    for (const version of versions) version.blob?.release()
  }

  emit(name: ObjectEventName, bucket: Bucket, version: ObjectVersion | { key: string; sequencer: string }, source: EventSource,
    extras: EventExtras = {}): void {
    if (this.events.size === 0) return
    const v = 'versionId' in version ? version : undefined
    // Records carry size only for created and restored objects, and no eTag for removals (§4.4).
    const sized = name.startsWith('ObjectCreated') || name === 'ObjectRestore:Post' || name === 'ObjectRestore:Completed'
    const removed = name.startsWith('ObjectRemoved')
    this.events.emit({
      name, bucket: bucket.name, account: bucket.owner, region: bucket.region, key: version.key,
      size: sized ? v?.size : undefined,
      etag: extras.etag ?? (v === undefined || removed || v.etag === '' ? undefined : v.etag.replaceAll('"', '')),
      versionId: bucket.versioning !== undefined ? v?.versionId : undefined,
      sequencer: version.sequencer, time: new Date(this.clock.now()), requestId: source.requestId, requester: source.requester,
      principal: extras.principal, restore: extras.restore, storageClass: v?.storageClass,
    })
  }

  reset(): void {
    for (const bucket of this.buckets.values()) this.removeBucket(bucket)
    this.buckets.clear()
    this.rows?.clear()
    this.accounts.reset()
    this.accessPoints.reset()
    // With a data dir the files go once the cleared rows committed (blob-store.ts).
    this.blobs.clear()
  }
}

/** A configuration as put, from its row: lifecycle dates were Dates (JSON made them strings). */
function reviveConfig(name: BucketConfigName, value: unknown): unknown {
  if (name !== 'lifecycle' || !Array.isArray(value)) return value
  return (value as T.LifecycleRule[]).map((rule) => ({
    ...rule,
    ...(rule.Expiration?.Date !== undefined && { Expiration: { ...rule.Expiration, Date: new Date(rule.Expiration.Date) } }),
    ...(rule.Transitions !== undefined && { Transitions: rule.Transitions.map((t) => (t.Date === undefined ? t : { ...t, Date: new Date(t.Date) })) }),
  }))
}
