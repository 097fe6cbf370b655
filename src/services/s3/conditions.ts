// Conditional requests (If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since) the way
// S3 evaluates them: If-Match wins over If-Unmodified-Since, If-None-Match over If-Modified-Since.
import { s3Errors } from './errors.ts'

export interface Conditions {
  IfMatch?: string
  IfNoneMatch?: string
  IfModifiedSince?: Date
  IfUnmodifiedSince?: Date
}

/** ETags as a client may send them: quoted or not, a comma-separated list, or `*`. */
function matches(header: string, etag: string): boolean {
  const bare = etag.replaceAll('"', '')
  return header.split(',').some((item) => {
    const candidate = item.trim().replace(/^W\//, '').replaceAll('"', '')
    return candidate === '*' || candidate === bare
  })
}

/** HTTP dates have whole seconds: compare at that precision. */
const seconds = (date: Date) => Math.floor(date.getTime() / 1000)

/**
 * A read's conditions: throws PreconditionFailed (412); answers 'not-modified' where S3 answers 304
 * (with the object's ETag and Last-Modified). An If-Modified-Since later than `now` is ignored, as
 * HTTP says and S3 does.
 */
export function readConditions(c: Conditions, etag: string, lastModified: Date, now: number): 'ok' | 'not-modified' {
  try {
    checkReadConditions({ ...c, IfModifiedSince: c.IfModifiedSince !== undefined && c.IfModifiedSince.getTime() > now ? undefined
      : c.IfModifiedSince }, etag, lastModified)
    return 'ok'
  } catch (error) {
    if (error instanceof Error && error.name === 'NotModified') return 'not-modified'
    throw error
  }
}

/** Throws PreconditionFailed (412) or NotModified (304) when a read's conditions say so. */
export function checkReadConditions(c: Conditions, etag: string, lastModified: Date): void {
  if (c.IfMatch !== undefined && !matches(c.IfMatch, etag)) throw s3Errors.preconditionFailed('If-Match')
  if (c.IfMatch === undefined && c.IfUnmodifiedSince !== undefined && seconds(lastModified) > seconds(c.IfUnmodifiedSince)) {
    throw s3Errors.preconditionFailed('If-Unmodified-Since')
  }
  if (c.IfNoneMatch !== undefined && matches(c.IfNoneMatch, etag)) throw s3Errors.notModified()
  if (c.IfNoneMatch === undefined && c.IfModifiedSince !== undefined && seconds(lastModified) <= seconds(c.IfModifiedSince)) {
    throw s3Errors.notModified()
  }
}

/**
 * CopyObject's x-amz-copy-source-if-* headers: the same tests on the source, but every failure is
 * 412 PreconditionFailed (a copy has nothing to answer 304 with).
 */
export function checkCopyConditions(c: Conditions, etag: string, lastModified: Date): void {
  try {
    checkReadConditions(c, etag, lastModified)
  } catch (error) {
    if (error instanceof Error && error.name === 'NotModified') {
      throw s3Errors.preconditionFailed(c.IfNoneMatch !== undefined ? 'x-amz-copy-source-If-None-Match' : 'x-amz-copy-source-If-Modified-Since')
    }
    throw error
  }
}

/** Conditional writes (PutObject, CompleteMultipartUpload): If-None-Match `*` and If-Match. */
export function checkWriteConditions(c: Pick<Conditions, 'IfMatch' | 'IfNoneMatch'>, current: { etag: string } | undefined, key: string): void {
  // Writes take If-None-Match `*` only, If-Match an ETag only, and not both at once: anything else is 501.
  if (c.IfNoneMatch !== undefined && c.IfNoneMatch.trim() !== '*') throw s3Errors.conditionNotImplemented('If-None-Match')
  if (c.IfMatch !== undefined && c.IfMatch.trim() === '*') throw s3Errors.conditionNotImplemented('If-Match')
  if (c.IfMatch !== undefined && c.IfNoneMatch !== undefined) throw s3Errors.conditionNotImplemented('If-None-Match')
  if (c.IfNoneMatch !== undefined && current !== undefined) throw s3Errors.preconditionFailed('If-None-Match')
  if (c.IfMatch !== undefined) {
    if (current === undefined) throw s3Errors.noSuchKey(key)
    if (!matches(c.IfMatch, current.etag)) throw s3Errors.preconditionFailed('If-Match')
  }
}
