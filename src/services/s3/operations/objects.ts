// PutObject, GetObject, HeadObject: bodies stream in through the ingest pipeline and out as
// blob streams; the new version replaces the old one only once the whole body checked out.
import type { Readable } from 'node:stream'
import { responseStatus } from '../../../protocol/http.ts'
import type { OperationContext, OperationTable } from '../../service.ts'
import { ingest, type IngestRequest } from '../body/ingest.ts'
import { storedContentEncoding } from '../body/aws-chunked.ts'
import type { ChecksumAlgorithm } from '../body/checksums.ts'
import { checkWriteConditions, readConditions } from '../conditions.ts'
import { checkCustomerKey, encryptionFor, encryptionMembers } from '../encryption.ts'
import { s3Errors } from '../errors.ts'
import { ensureChecksum } from '../default-checksum.ts'
import { grantsForWrite, objectOwner } from '../acl-rules.ts'
import { hasLockHeaders, lockForWrite } from '../object-lock.ts'
import type * as T from '../generated/types.ts'
import type { S3Operations } from '../generated/types.ts'
import {
  checkHeaderValue, checkKey, checksumAlgorithmOf, checksumMembers, contentHeaders, metadataOf, storageClassOf, tagsFromHeader,
  versionHeaders,
} from '../object-input.ts'
import { expirationHeader } from '../lifecycle-rules.ts'
import { readableVersion, writtenVersionId } from '../object-lookup.ts'
import { checkReadable } from '../restore.ts'
import type { ObjectVersion } from '../object.ts'
import type { Blob } from '../../../storage/blob-store.ts'
import { contentRange, parseRange } from '../range.ts'
import { checkDeclaredSize, extrasOf } from '../request-extras.ts'
import type { S3State } from '../store.ts'

/** The checksum headers a request carries, by algorithm. */
export function sentChecksums(input: Partial<Record<`Checksum${ChecksumAlgorithm}`, string>>): IngestRequest['checksums'] {
  return { CRC32: input.ChecksumCRC32, CRC32C: input.ChecksumCRC32C, CRC64NVME: input.ChecksumCRC64NVME,
    SHA1: input.ChecksumSHA1, SHA256: input.ChecksumSHA256 }
}

export function objectOperations(state: S3State): OperationTable<S3Operations> {
  return {
    PutObject: async (input, ctx) => {
      checkDeclaredSize(input)
      const bucket = state.requireBucket(input.Bucket)
      checkKey(input.Key)
      const owner = objectOwner(bucket, ctx.caller.account, input.ACL)
      const acl = grantsForWrite(bucket, input, owner)
      checkWriteConditions(input, liveCurrent(bucket.current(input.Key)), input.Key)
      const headers = { ...contentHeaders({ ...input, ContentEncoding: storedContentEncoding(input.ContentEncoding) }),
        ...encryptionFor(input, bucket, ctx.caller.account) }
      const metadata = metadataOf(input.Metadata)
      const tags = tagsFromHeader(input.Tagging)
      const storageClass = storageClassOf(input.StorageClass)
      const lock = lockForWrite(bucket, input, state.clock.now())
      if (lock !== undefined && hasLockHeaders(input) && input.ContentMD5 === undefined && !Object.values(sentChecksums(input)).some(Boolean) &&
        extrasOf(input).transfer.trailer === undefined) {
        throw s3Errors.invalidRequest('Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters')
      }
      const body = await ingest(state.blobs, {
        body: input.Body, transfer: extrasOf(input).transfer, contentMd5: input.ContentMD5,
        checksums: sentChecksums(input),
        // An upload without a checksum gets its CRC64NVME on the first read that asks (default-checksum.ts).
        algorithm: checksumAlgorithmOf(input.ChecksumAlgorithm),
      })
      // The bucket may have gone, or the condition changed, while the body streamed in.
      try {
        if (state.bucket(input.Bucket) !== bucket) throw s3Errors.noSuchBucket(input.Bucket)
        checkWriteConditions(input, liveCurrent(bucket.current(input.Key)), input.Key)
      } catch (error) {
        body.blob.release()
        throw error
      }
      const { stored, replaced } = bucket.put(input.Key, {
        blob: body.blob, size: body.size, etag: `"${body.md5.toString('hex')}"`, headers, metadata, tags, storageClass,
        checksum: body.checksum === undefined ? undefined : { ...body.checksum, type: 'FULL_OBJECT' }, parts: undefined,
        ...(lock !== undefined && { lock }),
      }, state.writeContext(owner))
      state.release(replaced)
      if (acl !== undefined && acl.length > 0) stored.acl = acl
      state.emit('ObjectCreated:Put', bucket, stored, source(ctx))
      return {
        ETag: stored.etag, VersionId: writtenVersionId(stored),
        ...checksumMembers(stored), ...encryptionMembers(stored.headers), Size: stored.size, Expiration: expirationHeader(bucket, stored),
      } as T.PutObjectOutput
    },

    GetObject: async (input) => {
      await checksumFirst(state, input)
      const { version, read, output } = readResponse(state, input, 'GET')
      if (output[responseStatus] === 304) return output as T.GetObjectOutput
      return { ...output, Body: readBody(version, read) as unknown as Uint8Array } as T.GetObjectOutput
    },

    HeadObject: async (input) => {
      await checksumFirst(state, input)
      return readResponse(state, input, 'HEAD').output as T.HeadObjectOutput
    },
  }
}

/** With checksum mode, an object stored without a checksum gets its CRC64NVME first (any lookup error is readResponse's to throw). */
async function checksumFirst(state: S3State, input: T.GetObjectRequest | T.HeadObjectRequest): Promise<void> {
  if (input.ChecksumMode !== 'ENABLED') return
  const bucket = state.bucket(input.Bucket)
  const version = bucket === undefined ? undefined
    : input.VersionId === undefined || input.VersionId === '' ? bucket.current(input.Key) : bucket.version(input.Key, input.VersionId)
  if (bucket !== undefined && version !== undefined && !version.deleteMarker) await ensureChecksum(bucket, version)
}

/** What GetObject and HeadObject answer alike: version lookup, conditions, range/part, headers, 206. */
function readResponse(state: S3State, input: T.GetObjectRequest | T.HeadObjectRequest, method: 'GET' | 'HEAD') {
  const bucket = state.requireBucket(input.Bucket)
  const version = readableVersion(bucket, input.Key, input.VersionId, method)
  // HEAD answers for an archived object (with x-amz-restore); GET needs a restored copy.
  if (method === 'GET') checkReadable(version)
  checkCustomerKey(version.headers, input)
  if (readConditions(input, version.etag, version.lastModified, state.clock.now()) === 'not-modified') {
    // 304: no body, but the validators a cache revalidates with.
    const notModified = { ETag: version.etag, LastModified: version.lastModified, [responseStatus]: 304 }
    return { version, read: { start: 0, end: 0, whole: true }, output: notModified as T.HeadObjectOutput & { [responseStatus]?: number } }
  }
  const read = readPlan(version, input.Range, input.PartNumber)
  const output: T.HeadObjectOutput & { [responseStatus]?: number } = {
    ...versionHeaders(version, bucket.versioning !== undefined),
    ...(read.whole && input.ChecksumMode === 'ENABLED' ? checksumMembers(version) : {}),
    ...responseOverrides(input),
    ContentLength: read.end - read.start,
    ContentRange: read.whole ? undefined : contentRange(read, version.size),
    PartsCount: input.PartNumber === undefined ? undefined : (version.parts?.length ?? 1),
    Expiration: expirationHeader(bucket, version),
  }
  if (!read.whole) output[responseStatus] = 206
  return { version, read, output }
}

export function source(ctx: OperationContext): { requestId: string; requester: string } {
  return { requestId: ctx.requestId, requester: ctx.caller.account }
}

/** The body stream holds the blob, so an overwrite meanwhile can't remove a file being read. */
function readBody(version: ObjectVersion, read: { start: number; end: number }): Readable {
  return readRetained(version.blob!, read.start, read.end)
}

/**
 * Bytes [start, end) of a blob as a stream that holds the blob until it closes (ended, failed or
 * destroyed): an overwrite or delete meanwhile can't remove a file being read (GetObject, UploadPartCopy).
 */
export function readRetained(blob: Blob, start: number, end: number): Readable {
  const body = blob.read(start, end)
  blob.retain()
  body.once('close', () => blob.release())
  return body
}

/** A delete marker is no object for conditional writes. */
export function liveCurrent(version: ObjectVersion | undefined): ObjectVersion | undefined {
  return version === undefined || version.deleteMarker ? undefined : version
}

/** Which bytes a read sends: a Range, one part of a multipart object, or everything. */
function readPlan(version: ObjectVersion, range: string | undefined, partNumber: number | undefined):
  { start: number; end: number; whole: boolean } {
  if (partNumber !== undefined) {
    const sizes = version.parts ?? [version.size]
    if (partNumber < 1 || partNumber > sizes.length) throw s3Errors.invalidPartNumber(partNumber, sizes.length)
    const start = sizes.slice(0, partNumber - 1).reduce((a, b) => a + b, 0)
    const end = start + sizes[partNumber - 1]!
    return { start, end, whole: sizes.length === 1 }
  }
  const byteRange = parseRange(range, version.size)
  if (byteRange === undefined) return { start: 0, end: version.size, whole: true }
  return { ...byteRange, whole: false }
}

/** response-content-type & co. replace the stored headers on this one answer; each must be a valid header value. */
function responseOverrides(input: T.GetObjectRequest | T.HeadObjectRequest): Partial<T.GetObjectOutput> {
  for (const [param, value] of [['response-content-type', input.ResponseContentType],
    ['response-content-language', input.ResponseContentLanguage], ['response-content-disposition', input.ResponseContentDisposition],
    ['response-content-encoding', input.ResponseContentEncoding], ['response-cache-control', input.ResponseCacheControl]] as const) {
    if (value !== undefined) checkHeaderValue(param, value)
  }
  const out: Partial<T.GetObjectOutput> = {}
  if (input.ResponseContentType !== undefined) out.ContentType = input.ResponseContentType
  if (input.ResponseContentLanguage !== undefined) out.ContentLanguage = input.ResponseContentLanguage
  if (input.ResponseContentDisposition !== undefined) out.ContentDisposition = input.ResponseContentDisposition
  if (input.ResponseContentEncoding !== undefined) out.ContentEncoding = input.ResponseContentEncoding
  if (input.ResponseCacheControl !== undefined) out.CacheControl = input.ResponseCacheControl
  if (input.ResponseExpires !== undefined) out.Expires = input.ResponseExpires.toUTCString()
  return out
}
