// Object Lock operations: the bucket's lock configuration, and each version's retention and legal
// hold (object-lock.ts holds the rules). Retention dates are judged on Nimbus's clock.
import type { OperationTable } from '../../service.ts'
import type { Bucket } from '../bucket.ts'
import type * as T from '../generated/types.ts'
import type { S3Operations } from '../generated/types.ts'
import {
  checkLockConfiguration, checkMode, checkRetentionChange, futureDate, legalHoldOf, lockConfiguration, lockEnabled, lockErrors,
} from '../object-lock.ts'
import { readableVersion } from '../object-lookup.ts'
import type { ObjectVersion } from '../object.ts'
import { s3Errors } from '../errors.ts'
import type { S3State } from '../store.ts'

export function objectLockOperations(state: S3State): OperationTable<S3Operations> {
  /** The version a retention or legal hold call names, in a bucket with Object Lock. */
  const lockedVersion = (input: { Bucket: string; Key: string; VersionId?: string }, method: string): { bucket: Bucket; version: ObjectVersion } => {
    const bucket = state.requireBucket(input.Bucket)
    if (!lockEnabled(bucket)) throw lockErrors.missingConfiguration()
    return { bucket, version: readableVersion(bucket, input.Key, input.VersionId, method) }
  }

  return {
    PutObjectLockConfiguration: (input) => {
      const bucket = state.requireBucket(input.Bucket)
      const config = checkLockConfiguration(input.ObjectLockConfiguration as Parameters<typeof checkLockConfiguration>[0])
      // Object Lock needs versioning Enabled (a bucket made with it has it; others must turn it on first).
      if (bucket.versioning !== 'Enabled') throw lockErrors.versioningRequired()
      bucket.configs.set('objectLock', config)
      bucket.saved()
      return {}
    },

    GetObjectLockConfiguration: (input) => {
      const config = lockConfiguration(state.requireBucket(input.Bucket))
      if (config === undefined) throw lockErrors.noBucketConfiguration()
      return { ObjectLockConfiguration: config as T.ObjectLockConfiguration }
    },

    PutObjectRetention: (input) => {
      const { bucket, version } = lockedVersion(input, 'PUT')
      const now = state.clock.now()
      const r = input.Retention
      const next = r?.Mode === undefined && r?.RetainUntilDate === undefined ? {}
        : { mode: checkMode(r?.Mode ?? ''), retainUntil: r?.RetainUntilDate === undefined ? undefined : futureDate(r.RetainUntilDate, now) }
      if (next.mode !== undefined && next.retainUntil === undefined) throw s3Errors.malformedXml()
      checkRetentionChange(version.lock, next, input.BypassGovernanceRetention === true, now)
      version.lock = { ...version.lock, mode: next.mode, retainUntil: next.retainUntil }
      bucket.savedVersion(version)
      return {}
    },

    GetObjectRetention: (input) => {
      const { version } = lockedVersion(input, 'GET')
      const lock = version.lock
      if (lock?.mode === undefined) throw lockErrors.noObjectConfiguration()
      return { Retention: { Mode: lock.mode, RetainUntilDate: new Date(lock.retainUntil!) } }
    },

    PutObjectLegalHold: (input) => {
      const { bucket, version } = lockedVersion(input, 'PUT')
      if (input.LegalHold?.Status === undefined) throw s3Errors.malformedXml()
      version.lock = { ...version.lock, legalHold: legalHoldOf(input.LegalHold.Status) }
      bucket.savedVersion(version)
      return {}
    },

    GetObjectLegalHold: (input) => {
      const { version } = lockedVersion(input, 'GET')
      if (version.lock?.legalHold === undefined) throw lockErrors.noObjectConfiguration()
      return { LegalHold: { Status: version.lock.legalHold ? 'ON' : 'OFF' } }
    },
  }
}
