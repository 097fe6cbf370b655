// Multipart uploads: parts stream in like PutObject bodies; completing one checks the part list
// (order, ETags, 5 MiB minimum) and makes an object that reads the parts back to back.
import { createHash, randomBytes } from 'node:crypto'
import type { OperationTable } from '../../service.ts'
import { ingest, type Ingested } from '../body/ingest.ts'
import { storedContentEncoding } from '../body/aws-chunked.ts'
import type { Bucket } from '../bucket.ts'
import { checkWriteConditions } from '../conditions.ts'
import { copyConditions, copySourceVersion } from '../copy-source.ts'
import { checkCustomerKey, checkPartKey, encryptionFor, encryptionMembers } from '../encryption.ts'
import { s3Errors } from '../errors.ts'
import { grantsForWrite, objectOwner } from '../acl-rules.ts'
import { hasLockHeaders, lockForWrite } from '../object-lock.ts'
import { writtenVersionId } from '../object-lookup.ts'
import type * as T from '../generated/types.ts'
import type { S3Operations } from '../generated/types.ts'
import { limits } from '../limits.ts'
import type { MultipartUpload, Part } from '../multipart.ts'
import { checkCompleteChecksums, checkPartChecksumSent, checksumTypeOf, completedChecksum } from '../multipart-checksum.ts'
import type { ObjectVersion } from '../object.ts'
import {
  checkKey, checksumAlgorithmOf, contentHeaders, metadataOf, storageClassOf, tagsFromHeader,
} from '../object-input.ts'
import { checkDeclaredSize, extrasOf } from '../request-extras.ts'
import type { S3State } from '../store.ts'
import { liveCurrent, readRetained, sentChecksums, source } from './objects.ts'
import { listMultipartUploads, listParts } from './multipart-lists.ts'

export function multipartOperations(state: S3State): OperationTable<S3Operations> {
  const requireUpload = (bucket: Bucket, key: string, uploadId: string): MultipartUpload => {
    const upload = bucket.uploads.get(uploadId)
    if (upload === undefined || upload.key !== key) throw s3Errors.noSuchUpload(uploadId)
    return upload
  }
  /** Stores a part, replacing one with the same number, unless the upload ended meanwhile. */
  const addPart = (bucket: Bucket, upload: MultipartUpload, part: Part): void => {
    if (bucket.uploads.get(upload.id) !== upload) {
      part.blob.release()
      throw s3Errors.noSuchUpload(upload.id)
    }
    bucket.addPart(upload, part)?.blob.release()
  }

  return {
    CreateMultipartUpload: (input, ctx) => {
      const bucket = state.requireBucket(input.Bucket)
      checkKey(input.Key)
      // The ACL and the object's owner are decided now and given to the completed object.
      const ownedBy = objectOwner(bucket, ctx.caller.account, input.ACL)
      const acl = grantsForWrite(bucket, input, ownedBy)
      // Lock headers are checked now (a bucket without Object Lock refuses them) and kept for the completed object.
      const lock = hasLockHeaders(input) ? lockForWrite(bucket, input, ctx.clock.now()) : undefined
      const upload: MultipartUpload = {
        id: randomBytes(36).toString('base64url'), key: input.Key, initiated: new Date(ctx.clock.now()), owner: ctx.caller.account,
        storageClass: storageClassOf(input.StorageClass), metadata: metadataOf(input.Metadata), tags: tagsFromHeader(input.Tagging),
        headers: { ...contentHeaders({ ...input, ContentEncoding: storedContentEncoding(input.ContentEncoding) }),
          ...encryptionFor(input, bucket, ctx.caller.account) },
        checksumAlgorithm: checksumAlgorithmOf(input.ChecksumAlgorithm),
        checksumType: checksumTypeOf(input.ChecksumType, checksumAlgorithmOf(input.ChecksumAlgorithm)),
        parts: new Map(),
        ...(acl !== undefined && acl.length > 0 && { acl }), objectOwner: ownedBy, ...(lock !== undefined && { lock }),
      }
      bucket.addUpload(upload)
      return { Bucket: input.Bucket, Key: input.Key, UploadId: upload.id, ChecksumAlgorithm: upload.checksumAlgorithm,
        ChecksumType: upload.checksumType, ...encryptionMembers(upload.headers) }
    },

    UploadPart: async (input, ctx) => {
      checkDeclaredSize(input)
      const bucket = state.requireBucket(input.Bucket)
      const upload = requireUpload(bucket, input.Key, input.UploadId)
      checkPartNumber(input.PartNumber)
      checkPartKey(upload, input)
      const body = await ingest(state.blobs, {
        body: input.Body, transfer: extrasOf(input).transfer, contentMd5: input.ContentMD5, checksums: sentChecksums(input),
        algorithm: upload.checksumAlgorithm ?? checksumAlgorithmOf(input.ChecksumAlgorithm),
      })
      const etag = `"${body.md5.toString('hex')}"`
      addPart(bucket, upload, { number: input.PartNumber, etag, md5: body.md5, size: body.size, blob: body.blob,
        lastModified: new Date(ctx.clock.now()), checksum: body.checksum?.value })
      return { ETag: etag, ...(body.checksum === undefined ? {} : { [`Checksum${body.checksum.algorithm}`]: body.checksum.value }),
        ...encryptionMembers(upload.headers) }
    },

    UploadPartCopy: async (input, ctx) => {
      const bucket = state.requireBucket(input.Bucket)
      const upload = requireUpload(bucket, input.Key, input.UploadId)
      checkPartNumber(input.PartNumber)
      checkPartKey(upload, input)
      const from = copySourceVersion(state, input.CopySource, copyConditions(input))
      checkCustomerKey(from.version.headers, { SSECustomerAlgorithm: input.CopySourceSSECustomerAlgorithm,
        SSECustomerKey: input.CopySourceSSECustomerKey, SSECustomerKeyMD5: input.CopySourceSSECustomerKeyMD5 },
      'x-amz-copy-source-server-side-encryption')
      const { start, end } = copyRange(input.CopySourceRange, from.version.size)
      // The read holds the source blob, so an overwrite or delete of the source meanwhile can't remove its file.
      const read = readRetained(from.version.blob!, start, end)
      let body: Ingested
      try {
        body = await ingest(state.blobs, {
          body: read, transfer: { awsChunked: false, decodedLength: undefined, trailer: undefined },
          contentMd5: undefined, checksums: {}, algorithm: upload.checksumAlgorithm,
        })
      } finally {
        // ingest never destroys its source; a failed copy must still close the read (and let go of the blob).
        read.destroy()
      }
      const part: Part = { number: input.PartNumber, etag: `"${body.md5.toString('hex')}"`, md5: body.md5, size: body.size, blob: body.blob,
        lastModified: new Date(ctx.clock.now()), checksum: body.checksum?.value }
      addPart(bucket, upload, part)
      return {
        CopyPartResult: { ETag: part.etag, LastModified: part.lastModified,
          ...(body.checksum === undefined ? {} : { [`Checksum${body.checksum.algorithm}`]: body.checksum.value }) },
        CopySourceVersionId: from.bucket.versioning === undefined ? undefined : from.version.versionId,
        ...encryptionMembers(upload.headers),
      }
    },

    CompleteMultipartUpload: (input, ctx) => {
      const bucket = state.requireBucket(input.Bucket)
      const upload = bucket.uploads.get(input.UploadId)
      if (upload === undefined || upload.key !== input.Key) {
        // A repeated Complete (an SDK retrying after a lost answer) gets the first one's answer.
        const done = bucket.versions(input.Key).find((v) => v.uploadId === input.UploadId)
        if (done === undefined) throw s3Errors.noSuchUpload(input.UploadId)
        return completeOutput(ctx.host, bucket, input.Key, done)
      }
      checkWriteConditions(input, liveCurrent(bucket.current(input.Key)), input.Key)
      if (input.ChecksumType !== undefined && upload.checksumType !== undefined && input.ChecksumType !== upload.checksumType) {
        throw s3Errors.invalidRequest(`The upload was created using the ${upload.checksumType} checksum mode. The complete request must use the ` +
          'same checksum mode.')
      }
      const parts = chosenParts(upload, input.MultipartUpload?.Parts ?? [])
      const checksum = completedChecksum(upload, parts)
      const lock = upload.lock ?? lockForWrite(bucket, {}, ctx.clock.now())
      checkCompleteChecksums(sentChecksums(input), checksum)
      const md5 = createHash('md5')
      for (const part of parts) md5.update(part.md5)
      const blob = state.blobs.concat(parts.map((p) => p.blob))
      const { stored, replaced } = bucket.put(input.Key, {
        blob, size: blob.size, etag: `"${md5.digest('hex')}-${parts.length}"`, parts: parts.map((p) => p.size),
        headers: upload.headers, metadata: upload.metadata, tags: upload.tags, storageClass: upload.storageClass, checksum, uploadId: upload.id,
        ...(checksum !== undefined && { partChecksums: parts.map((p) => p.checksum!) }), ...(lock !== undefined && { lock }),
      }, state.writeContext(upload.objectOwner ?? ctx.caller.account))
      if (upload.acl !== undefined) stored.acl = upload.acl
      // The object holds the parts now; the upload lets go of them.
      bucket.removeUpload(upload)
      for (const part of upload.parts.values()) part.blob.release()
      state.release(replaced)
      state.emit('ObjectCreated:CompleteMultipartUpload', bucket, stored, source(ctx))
      return completeOutput(ctx.host, bucket, input.Key, stored)
    },

    AbortMultipartUpload: (input) => {
      const bucket = state.requireBucket(input.Bucket)
      const upload = requireUpload(bucket, input.Key, input.UploadId)
      bucket.removeUpload(upload)
      for (const part of upload.parts.values()) part.blob.release()
      return {}
    },

    ListParts: (input) => {
      const bucket = state.requireBucket(input.Bucket)
      return listParts(bucket, requireUpload(bucket, input.Key, input.UploadId), input)
    },

    ListMultipartUploads: (input) => listMultipartUploads(state.requireBucket(input.Bucket), input),
  }
}

function checkPartNumber(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > limits.maxParts) {
    throw s3Errors.invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', String(n))
  }
}

/** x-amz-copy-source-range: `bytes=first-last`, inside the source. */
function copyRange(header: string | undefined, size: number): { start: number; end: number } {
  if (header === undefined) return { start: 0, end: size }
  const m = /^bytes=(\d+)-(\d+)$/.exec(header.trim())
  if (m === null || Number(m[1]) > Number(m[2]) || Number(m[2]) >= size) {
    throw s3Errors.invalidArgument(`Range specified is not valid for source object of size: ${size}`, 'x-amz-copy-source-range', header)
  }
  return { start: Number(m[1]), end: Number(m[2]) + 1 }
}

/** The parts a completion names: ascending, uploaded, ETags matching, all but the last ≥ 5 MiB. */
function chosenParts(upload: MultipartUpload, requested: readonly T.CompletedPart[]): Part[] {
  if (requested.length === 0) throw s3Errors.malformedXml()
  const parts: Part[] = []
  let previous = 0
  for (const item of requested) {
    const number = item.PartNumber ?? 0
    if (number <= previous) throw s3Errors.invalidPartOrder(upload.id)
    previous = number
    const part = upload.parts.get(number)
    const etag = item.ETag?.replaceAll('"', '')
    if (part === undefined || etag === undefined || part.etag.replaceAll('"', '') !== etag) throw s3Errors.invalidPart(upload.id, number, item.ETag)
    const sent = upload.checksumAlgorithm === undefined ? undefined : (item as Record<string, unknown>)[`Checksum${upload.checksumAlgorithm}`]
    checkPartChecksumSent(upload, number, sent)
    if (sent !== undefined && sent !== part.checksum) throw s3Errors.invalidPart(upload.id, number, item.ETag)
    parts.push(part)
  }
  parts.slice(0, -1).forEach((part) => {
    if (part.size < limits.minPartBytes) throw s3Errors.entityTooSmall(part.size, limits.minPartBytes)
  })
  return parts
}

function completeOutput(host: string, bucket: Bucket, key: string, stored: ObjectVersion): T.CompleteMultipartUploadOutput {
  return {
    Location: `http://${host}/${bucket.name}/${encodeURIComponent(key)}`, Bucket: bucket.name, Key: key,
    ETag: stored.etag, VersionId: writtenVersionId(stored),
    ...(stored.checksum === undefined ? {} : { [`Checksum${stored.checksum.algorithm}`]: stored.checksum.value, ChecksumType: stored.checksum.type }),
    ...encryptionMembers(stored.headers),
  } as T.CompleteMultipartUploadOutput
}
