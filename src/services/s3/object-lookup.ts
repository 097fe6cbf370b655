// Finds the version a read names: the current one, or a version id; delete markers answer the way
// AWS does (404 NoSuchKey for the current one, 405 MethodNotAllowed when named by id).
import type { Bucket } from './bucket.ts'
import { s3Errors } from './errors.ts'
import type { ObjectVersion } from './object.ts'

/** Our version ids (and AWS's) are URL-safe characters; anything else is not a version id at all. */
const versionIdPattern = /^[A-Za-z0-9._-]{1,1024}$/

export function checkVersionId(versionId: string): void {
  if (versionId !== 'null' && !versionIdPattern.test(versionId)) throw s3Errors.invalidVersionId(versionId)
}

export function readableVersion(bucket: Bucket, key: string, versionId: string | undefined, method: string): ObjectVersion {
  if (versionId === undefined || versionId === '') {
    const current = bucket.current(key)
    if (current === undefined) throw s3Errors.noSuchKey(key)
    // The current version is a delete marker: 404, saying so and naming it.
    if (current.deleteMarker) throw s3Errors.noSuchKey(key, markerHeaders(current))
    return current
  }
  checkVersionId(versionId)
  const version = bucket.version(key, versionId)
  if (version === undefined) throw s3Errors.noSuchVersion(key, versionId)
  if (version.deleteMarker) {
    throw s3Errors.methodNotAllowed(method, 'DeleteMarker', { ...markerHeaders(version), 'last-modified': version.lastModified.toUTCString() })
  }
  return version
}

function markerHeaders(marker: ObjectVersion): Record<string, string> {
  return { 'x-amz-delete-marker': 'true', 'x-amz-version-id': marker.versionId }
}

/**
 * The x-amz-version-id a write answers with: the new version's id when versioning is Enabled; none
 * on an unversioned or Suspended bucket (whose writes make the `null` version).
 */
export function writtenVersionId(stored: ObjectVersion): string | undefined {
  return stored.versionId === 'null' ? undefined : stored.versionId
}
