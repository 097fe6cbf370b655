// x-amz-copy-source: `bucket/key` or `/bucket/key`, URL-encoded, with an optional `?versionId=`.
import type { Bucket } from './bucket.ts'
import { type Conditions, checkCopyConditions } from './conditions.ts'
import { s3Errors } from './errors.ts'
import { readableVersion } from './object-lookup.ts'
import type { ObjectVersion } from './object.ts'
import { checkReadable } from './restore.ts'
import type { S3State } from './store.ts'

export interface CopySource {
  bucket: string
  key: string
  versionId: string | undefined
}

export function parseCopySource(header: string): CopySource {
  const q = header.indexOf('?')
  const path = q === -1 ? header : header.slice(0, q)
  const versionId = q === -1 ? undefined : new URLSearchParams(header.slice(q + 1)).get('versionId') ?? undefined
  let decoded: string
  try {
    decoded = decodeURIComponent(path.startsWith('/') ? path.slice(1) : path)
  } catch {
    throw invalidSource()
  }
  const slash = decoded.indexOf('/')
  if (slash <= 0 || slash === decoded.length - 1) throw invalidSource()
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1), versionId }
}

function invalidSource() {
  return s3Errors.invalidArgument('Invalid copy source object key', 'x-amz-copy-source')
}

/** The source version a copy reads, after its x-amz-copy-source-if-* conditions. */
export function copySourceVersion(state: S3State, header: string, conditions: Conditions): { bucket: Bucket; version: ObjectVersion } {
  const src = parseCopySource(header)
  const bucket = state.requireBucket(src.bucket)
  const version = readableVersion(bucket, src.key, src.versionId, 'GET')
  checkReadable(version)
  checkCopyConditions(conditions, version.etag, version.lastModified)
  return { bucket, version }
}

/** The copy-source-if-* members of CopyObject and UploadPartCopy, as read conditions. */
export function copyConditions(input: { CopySourceIfMatch?: string; CopySourceIfNoneMatch?: string; CopySourceIfModifiedSince?: Date;
  CopySourceIfUnmodifiedSince?: Date }): Conditions {
  return { IfMatch: input.CopySourceIfMatch, IfNoneMatch: input.CopySourceIfNoneMatch, IfModifiedSince: input.CopySourceIfModifiedSince,
    IfUnmodifiedSince: input.CopySourceIfUnmodifiedSince }
}
