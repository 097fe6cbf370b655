// Object Lock: a bucket's lock configuration (default retention), each version's retention (GOVERNANCE
// or COMPLIANCE, until a date on Nimbus's clock) and legal hold, and the deletes and retention changes
// they refuse. Wording of AWS's errors as recalled [R] unless the README says otherwise.
import type { Bucket } from './bucket.ts'
import { AwsError } from '../../protocol/errors.ts'
import { s3Errors } from './errors.ts'
import type { LockState, ObjectVersion } from './object.ts'

export type LockMode = 'GOVERNANCE' | 'COMPLIANCE'


export interface LockConfiguration {
  ObjectLockEnabled?: string
  Rule?: { DefaultRetention?: { Mode?: string; Days?: number; Years?: number } }
}

const e = (code: string, message: string, status: number) => new AwsError(code, message, { status })

export const lockErrors = {
  missingConfiguration: () => s3Errors.invalidRequest('Bucket is missing Object Lock Configuration'),
  noBucketConfiguration: () => e('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', 404),
  noObjectConfiguration: () => e('NoSuchObjectLockConfiguration', 'The specified object does not have a ObjectLock configuration', 404),
  versioningRequired: () => e('InvalidBucketState', 'Versioning must be \'Enabled\' on the bucket to apply a Object Lock configuration', 409),
  versioningLocked: () => e('InvalidBucketState',
    'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.', 409),
  protected: () => s3Errors.accessDenied('Access Denied because object protected by object lock.'),
  pastDate: () => s3Errors.invalidArgument('The retain until date must be in the future!'),
}

export function lockConfiguration(bucket: Bucket): LockConfiguration | undefined {
  return bucket.configs.get('objectLock') as LockConfiguration | undefined
}

export function lockEnabled(bucket: Bucket): boolean {
  return lockConfiguration(bucket)?.ObjectLockEnabled === 'Enabled'
}

/** PutObjectLockConfiguration's document: Enabled, and a default retention of a mode and Days or Years. */
export function checkLockConfiguration(config: LockConfiguration | undefined): LockConfiguration {
  if (config === undefined || config.ObjectLockEnabled !== 'Enabled') throw s3Errors.malformedXml()
  const retention = config.Rule?.DefaultRetention
  if (config.Rule !== undefined) {
    if (retention === undefined || (retention.Mode !== 'GOVERNANCE' && retention.Mode !== 'COMPLIANCE')) throw s3Errors.malformedXml()
    if ((retention.Days === undefined) === (retention.Years === undefined)) throw s3Errors.malformedXml()
    const period = retention.Days ?? retention.Years!
    if (!Number.isInteger(period) || period < 1) {
      throw s3Errors.invalidArgument('Default retention period must be a positive integer value.', 'Days', String(period))
    }
  }
  return config
}

/** The lock-related members a write may carry (PutObject, CopyObject headers). */
export interface LockRequest {
  ObjectLockMode?: string
  ObjectLockRetainUntilDate?: Date
  ObjectLockLegalHoldStatus?: string
}

/**
 * The lock a new version gets: the request's mode and date (both or neither, the date in the future),
 * else the bucket's default retention counted from now; its legal hold if asked. Lock headers on a
 * bucket without Object Lock → 400.
 */
export function lockForWrite(bucket: Bucket, input: LockRequest, now: number): LockState | undefined {
  const asked = input.ObjectLockMode !== undefined || input.ObjectLockRetainUntilDate !== undefined || input.ObjectLockLegalHoldStatus !== undefined
  if (!lockEnabled(bucket)) {
    if (asked) throw lockErrors.missingConfiguration()
    return undefined
  }
  const lock: LockState = {}
  if ((input.ObjectLockMode === undefined) !== (input.ObjectLockRetainUntilDate === undefined)) {
    throw s3Errors.invalidArgument('x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied')
  }
  if (input.ObjectLockMode !== undefined) {
    lock.mode = checkMode(input.ObjectLockMode)
    lock.retainUntil = futureDate(input.ObjectLockRetainUntilDate!, now)
  } else {
    const retention = lockConfiguration(bucket)?.Rule?.DefaultRetention
    if (retention?.Mode !== undefined) {
      lock.mode = retention.Mode as LockMode
      lock.retainUntil = retention.Days !== undefined ? now + retention.Days * 86_400_000 : addYears(now, retention.Years!)
    }
  }
  if (input.ObjectLockLegalHoldStatus !== undefined) lock.legalHold = legalHoldOf(input.ObjectLockLegalHoldStatus)
  return lock.mode === undefined && lock.legalHold === undefined ? undefined : lock
}

export function hasLockHeaders(input: LockRequest): boolean {
  return input.ObjectLockMode !== undefined || input.ObjectLockRetainUntilDate !== undefined || input.ObjectLockLegalHoldStatus !== undefined
}

export function checkMode(mode: string): LockMode {
  if (mode !== 'GOVERNANCE' && mode !== 'COMPLIANCE') throw s3Errors.invalidArgument('Unknown wormMode directive.', 'x-amz-object-lock-mode', mode)
  return mode
}

export function legalHoldOf(status: string): boolean {
  if (status !== 'ON' && status !== 'OFF') {
    throw s3Errors.invalidArgument('Legal Hold must be either of \'ON\' or \'OFF\'', 'x-amz-object-lock-legal-hold', status)
  }
  return status === 'ON'
}

export function futureDate(date: Date, now: number): number {
  const ms = date.getTime()
  if (Number.isNaN(ms) || ms <= now) throw lockErrors.pastDate()
  return ms
}

function addYears(now: number, years: number): number {
  const d = new Date(now)
  d.setUTCFullYear(d.getUTCFullYear() + years)
  return d.getTime()
}

/** Whether a retention still holds at `now`. */
function retained(lock: LockState | undefined, now: number): boolean {
  return lock?.mode !== undefined && lock.retainUntil !== undefined && lock.retainUntil > now
}

/**
 * Deleting a version for good: refused under a legal hold, a COMPLIANCE retention, or a GOVERNANCE
 * one unless the caller bypasses it (x-amz-bypass-governance-retention).
 */
export function checkDeletable(version: ObjectVersion, bypass: boolean, now: number): void {
  const lock = version.lock
  if (lock?.legalHold === true) throw lockErrors.protected()
  if (!retained(lock, now)) return
  if (lock!.mode === 'COMPLIANCE' || !bypass) throw lockErrors.protected()
}

/**
 * A retention change: an active COMPLIANCE retention may only be lengthened (same mode); an active
 * GOVERNANCE one may be lengthened or made COMPLIANCE, and shortened or removed only with the bypass.
 */
export function checkRetentionChange(current: LockState | undefined, next: { mode?: LockMode; retainUntil?: number }, bypass: boolean,
  now: number): void {
  if (!retained(current, now)) return
  const lengthens = next.mode !== undefined && next.retainUntil !== undefined && next.retainUntil >= current!.retainUntil!
  if (current!.mode === 'COMPLIANCE') {
    if (next.mode !== 'COMPLIANCE' || !lengthens) throw lockErrors.protected()
    return
  }
  if (!lengthens && !bypass) throw lockErrors.protected()
}

/** The x-amz-object-lock-* headers a read answers with. */
export function lockMembers(version: ObjectVersion): { ObjectLockMode?: LockMode; ObjectLockRetainUntilDate?: Date;
  ObjectLockLegalHoldStatus?: 'ON' | 'OFF' } {
  const lock = version.lock
  if (lock === undefined) return {}
  return {
    ...(lock.mode !== undefined && { ObjectLockMode: lock.mode, ObjectLockRetainUntilDate: new Date(lock.retainUntil!) }),
    ...(lock.legalHold !== undefined && { ObjectLockLegalHoldStatus: lock.legalHold ? 'ON' : 'OFF' }),
  }
}
