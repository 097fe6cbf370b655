// Archived objects (GLACIER, DEEP_ARCHIVE) and their restored copies: a read needs a completed
// restore; RestoreObject starts one that completes on the clock after the tier's time and lasts
// Days, rounded up to midnight UTC [D]. Events ObjectRestore:Post, :Completed and :Delete (§4.1).
import { newRequestId } from '../../core/ids.ts'
import type { Bucket } from './bucket.ts'
import { s3Errors } from './errors.ts'
import { dueAfterDays } from './lifecycle-rules.ts'
import type { ObjectVersion } from './object.ts'
import type { EventSource, S3State } from './store.ts'

export type Tier = 'Expedited' | 'Standard' | 'Bulk'

const minute = 60_000
/**
 * How long a restore takes here: the lower bound of each range AWS documents [D] — GLACIER
 * Expedited 1–5 min, Standard 3–5 h, Bulk 5–12 h; DEEP_ARCHIVE Standard within 12 h, Bulk within
 * 48 h (no Expedited tier).
 */
export const restoreTimes: Readonly<Record<string, Partial<Record<Tier, number>>>> = {
  GLACIER: { Expedited: minute, Standard: 180 * minute, Bulk: 300 * minute },
  DEEP_ARCHIVE: { Standard: 720 * minute, Bulk: 2880 * minute },
}

/** Storage classes whose objects can't be read until restored (GLACIER_IR reads directly). */
export function isArchived(version: ObjectVersion): boolean {
  return Object.hasOwn(restoreTimes, version.storageClass)
}

/** GetObject/CopyObject of an archived object without a restored copy: 403 InvalidObjectState [D]. */
export function checkReadable(version: ObjectVersion): void {
  if (isArchived(version) && version.restore?.ongoing !== false) throw s3Errors.invalidObjectState(version.storageClass)
}

/** x-amz-restore: `ongoing-request="true"`, then `ongoing-request="false", expiry-date="<RFC 1123>"` [D]. */
export function restoreHeader(version: ObjectVersion): string | undefined {
  const r = version.restore
  if (r === undefined) return undefined
  if (r.ongoing || r.expiry === undefined) return 'ongoing-request="true"'
  return `ongoing-request="false", expiry-date="${new Date(r.expiry).toUTCString()}"`
}

export class Restorer {
  private readonly state: S3State

  constructor(state: S3State) {
    this.state = state
  }

  /** 'accepted' (202) for a new restore, 'restored' (200) when a copy exists (its expiry moves to now + Days). */
  request(bucket: Bucket, version: ObjectVersion, days: number | undefined, tier: Tier, source: EventSource): 'accepted' | 'restored' {
    if (!isArchived(version)) throw s3Errors.restoreNotAllowed()
    if (days === undefined || !Number.isInteger(days) || days < 1) throw s3Errors.malformedXml()
    const took = restoreTimes[version.storageClass]![tier]
    if (took === undefined) throw s3Errors.invalidArgument(`${tier} retrieval is not supported for the ${version.storageClass} storage class`,
      'Tier', tier)
    const restore = version.restore
    if (restore?.ongoing === true) throw s3Errors.restoreAlreadyInProgress()
    if (restore !== undefined) {
      this.setExpiry(bucket, version, dueAfterDays(new Date(this.state.clock.now()), days))
      return 'restored'
    }
    const completesAt = this.state.clock.now() + took
    version.restore = { ongoing: true, expiry: undefined, expiryTimer: undefined, completesAt, days }
    bucket.savedVersion(version)
    this.state.emit('ObjectRestore:Post', bucket, { ...version, sequencer: this.state.writeContext(bucket.owner).sequencer }, source)
    this.armCompletion(bucket, version, completesAt, days)
    return 'accepted'
  }

  /** A restore read back at start: its completion or expiry is armed again (run at once if due while down). */
  rearm(bucket: Bucket, version: ObjectVersion): void {
    const r = version.restore
    if (r === undefined) return
    if (r.ongoing && r.completesAt !== undefined && r.days !== undefined) this.armCompletion(bucket, version, r.completesAt, r.days)
    else if (!r.ongoing && r.expiry !== undefined) this.setExpiry(bucket, version, r.expiry)
  }

  private armCompletion(bucket: Bucket, version: ObjectVersion, completesAt: number, days: number): void {
    this.state.clock.at(completesAt, () => {
      if (!this.live(bucket, version)) return
      version.restore!.ongoing = false
      // The copy lasts from when the restore completed (a restart catching up uses the stored instant).
      const expiry = dueAfterDays(new Date(completesAt), days)
      this.setExpiry(bucket, version, expiry)
      // The completion is S3's doing; records name the customer as AmazonCustomer:<id> [S].
      this.state.emit('ObjectRestore:Completed', bucket, { ...version, sequencer: this.state.writeContext(bucket.owner).sequencer },
        this.ownSource(bucket), { principal: `AmazonCustomer:${bucket.owner}`,
          restore: { expiry: new Date(expiry), storageClass: version.storageClass } })
    })
  }

  /** The restored copy goes at `expiry`; the archived object stays (ObjectRestore:Delete). */
  private setExpiry(bucket: Bucket, version: ObjectVersion, expiry: number): void {
    const restore = version.restore!
    restore.expiryTimer?.cancel()
    restore.expiry = expiry
    bucket.savedVersion(version)
    restore.expiryTimer = this.state.clock.at(expiry, () => {
      if (!this.live(bucket, version) || version.restore !== restore) return
      version.restore = undefined
      bucket.savedVersion(version)
      this.state.emit('ObjectRestore:Delete', bucket, { ...version, sequencer: this.state.writeContext(bucket.owner).sequencer },
        this.ownSource(bucket), { principal: 's3.amazonaws.com' })
    })
  }

  /** A version deleted (or its bucket gone) meanwhile has nothing left to restore. */
  private live(bucket: Bucket, version: ObjectVersion): boolean {
    return this.state.bucket(bucket.name) === bucket && bucket.version(version.key, version.versionId) === version
  }

  private ownSource(bucket: Bucket): EventSource {
    return { requestId: newRequestId().replaceAll('-', '').slice(0, 16).toUpperCase(), requester: bucket.owner }
  }
}
