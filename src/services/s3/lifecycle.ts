// Carries out lifecycle rules on the clock. Every action S3 schedules falls due at a midnight UTC
// (days are rounded up to it, Dates must be midnights), so one sweep per midnight over the buckets
// that have rules is exact and costs nothing per object between sweeps. The sweep is armed only
// while some bucket has a lifecycle configuration. With a data dir the last midnight swept is
// stored: a restart sweeps each midnight that passed while Nimbus was down, in order, as of it.
import type { Timer } from '../../core/clock.ts'
import { newRequestId } from '../../core/ids.ts'
import type { Bucket } from './bucket.ts'
import type * as T from './generated/types.ts'
import { currentExpiry, dayMs, dueAfterDays, enabledRules, ruleSelects } from './lifecycle-rules.ts'
import type { ObjectVersion } from './object.ts'
import type { S3State } from './store.ts'

/** Lifecycle actions are S3's own: records name it as the principal [R]. */
const lifecyclePrincipal = 's3.amazonaws.com'

export class Lifecycle {
  private readonly state: S3State
  private timer: Timer | undefined
  /** The last midnight swept (or the one before rules were first armed). */
  private sweptThrough: number | undefined

  constructor(state: S3State) {
    this.state = state
  }

  /** A bucket got rules: make sure the next midnight's sweep is armed. */
  arm(): void {
    if (this.timer !== undefined) return
    if (this.sweptThrough === undefined) {
      this.sweptThrough = Math.floor(this.state.clock.now() / dayMs) * dayMs
      this.state.rows?.lifecycleSwept(this.sweptThrough)
    }
    const next = this.sweptThrough + dayMs
    this.timer = this.state.clock.at(next, () => {
      this.timer = undefined
      this.sweep(next)
      this.sweptThrough = next
      this.state.rows?.lifecycleSwept(next)
      if (this.state.allBuckets().some((b) => b.configs.has('lifecycle'))) this.arm()
      else this.sweptThrough = undefined
    })
  }

  /**
   * At start: the midnights after the stored one are armed again; those already past run at once,
   * one after another (the clock runs due timers in order).
   */
  resume(sweptThrough: number | undefined): void {
    if (!this.state.allBuckets().some((b) => b.configs.has('lifecycle'))) return
    this.sweptThrough = sweptThrough
    this.arm()
  }

  stop(): void {
    this.timer?.cancel()
    this.timer = undefined
  }

  /** Applies every due action of every bucket's enabled rules, as of `now` (a midnight). */
  sweep(now = this.state.clock.now()): void {
    for (const bucket of this.state.allBuckets()) {
      const rules = enabledRules(bucket)
      if (rules.length === 0) continue
      for (const key of [...bucket.sortedKeys()]) this.sweepKey(bucket, key, rules, now)
      this.abortUploads(bucket, rules, now)
    }
  }

  private sweepKey(bucket: Bucket, key: string, rules: readonly T.LifecycleRule[], now: number): void {
    const current = bucket.current(key)
    if (current !== undefined && !current.deleteMarker) {
      const due = rules.some((r) => ruleSelects(r, current) && (currentExpiry(r, current) ?? Infinity) <= now)
      if (due) this.expireCurrent(bucket, current, now)
    }
    this.expireNoncurrent(bucket, key, rules, now)
    // A delete marker with no versions left behind it is an "expired object delete marker" [D].
    const versions = bucket.versions(key)
    const only = versions[0]
    if (versions.length === 1 && only!.deleteMarker &&
      rules.some((r) => r.Expiration?.ExpiredObjectDeleteMarker === true && ruleSelects(r, { key }))) {
      this.removeVersion(bucket, only!)
    }
  }

  /** Unversioned: the object is deleted. Versioned (or suspended): a delete marker becomes current [D]. */
  private expireCurrent(bucket: Bucket, current: ObjectVersion, now: number): void {
    const write = this.state.writeContext(bucket.owner, now)
    const { marker, replaced } = bucket.deleteCurrent(current.key, write)
    this.state.release(replaced)
    const etag = current.etag.replaceAll('"', '')
    if (marker === undefined) {
      this.state.emit('LifecycleExpiration:Delete', bucket, { ...current, sequencer: write.sequencer }, this.source(bucket),
        { principal: lifecyclePrincipal })
    } else {
      this.state.emit('LifecycleExpiration:DeleteMarkerCreated', bucket, marker, this.source(bucket), { etag, principal: lifecyclePrincipal })
    }
  }

  /**
   * NoncurrentVersionExpiration: a version becomes noncurrent when the next one is written; it goes
   * NoncurrentDays later (rounded to midnight), except the NewerNoncurrentVersions newest noncurrent ones [D].
   */
  private expireNoncurrent(bucket: Bucket, key: string, rules: readonly T.LifecycleRule[], now: number): void {
    const versions = bucket.versions(key)
    const doomed: ObjectVersion[] = []
    for (let i = 1; i < versions.length; i++) {
      const version = versions[i]!
      const since = versions[i - 1]!.lastModified
      const due = rules.some((r) => {
        const n = r.NoncurrentVersionExpiration
        if (n?.NoncurrentDays === undefined || !ruleSelects(r, version)) return false
        return i - 1 >= (n.NewerNoncurrentVersions ?? 0) && dueAfterDays(since, n.NoncurrentDays) <= now
      })
      if (due) doomed.push(version)
    }
    for (const version of doomed) this.removeVersion(bucket, version)
  }

  private removeVersion(bucket: Bucket, version: ObjectVersion): void {
    const removed = bucket.deleteVersion(version.key, version.versionId)
    if (removed === undefined) return
    this.state.release([removed])
    const sequencer = this.state.writeContext(bucket.owner).sequencer
    this.state.emit('LifecycleExpiration:Delete', bucket, { ...removed, sequencer }, this.source(bucket),
      { principal: lifecyclePrincipal, etag: removed.deleteMarker ? undefined : removed.etag.replaceAll('"', '') })
  }

  /** AbortIncompleteMultipartUpload: DaysAfterInitiation after the upload began, its parts go (no event, as AWS) [D]. */
  private abortUploads(bucket: Bucket, rules: readonly T.LifecycleRule[], now: number): void {
    for (const upload of [...bucket.uploads.values()]) {
      const due = rules.some((r) => {
        const days = r.AbortIncompleteMultipartUpload?.DaysAfterInitiation
        return days !== undefined && ruleSelects(r, { key: upload.key }) && dueAfterDays(upload.initiated, days) <= now
      })
      if (!due) continue
      bucket.removeUpload(upload)
      for (const part of upload.parts.values()) part.blob.release()
    }
  }

  private source(bucket: Bucket): { requestId: string; requester: string } {
    return { requestId: newRequestId().replaceAll('-', '').slice(0, 16).toUpperCase(), requester: bucket.owner }
  }
}
