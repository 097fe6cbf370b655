// CopyObject: the destination shares the source's body (blobs are immutable), with metadata and
// tags copied or replaced by the directives.
import type { OperationTable } from '../../service.ts'
import { copyConditions, copySourceVersion, parseCopySource } from '../copy-source.ts'
import { checkCustomerKey, encryptionFor, encryptionMembers, withoutEncryption } from '../encryption.ts'
import { s3Errors } from '../errors.ts'
import { grantsForWrite, objectOwner } from '../acl-rules.ts'
import { lockForWrite } from '../object-lock.ts'
import { writtenVersionId } from '../object-lookup.ts'
import type * as T from '../generated/types.ts'
import type { S3Operations } from '../generated/types.ts'
import { checkKey, checksumMembers, contentHeaders, metadataOf, storageClassOf, tagsFromHeader } from '../object-input.ts'
import type { S3State } from '../store.ts'
import { source } from './objects.ts'

export function copyOperations(state: S3State): OperationTable<S3Operations> {
  return {
    CopyObject: (input, ctx) => {
      const target = state.requireBucket(input.Bucket)
      checkKey(input.Key)
      const owner = objectOwner(target, ctx.caller.account, input.ACL)
      const acl = grantsForWrite(target, input, owner)
      const from = copySourceVersion(state, input.CopySource, copyConditions(input))
      const src = from.version
      checkCustomerKey(src.headers, { SSECustomerAlgorithm: input.CopySourceSSECustomerAlgorithm, SSECustomerKey: input.CopySourceSSECustomerKey,
        SSECustomerKeyMD5: input.CopySourceSSECustomerKeyMD5 }, 'x-amz-copy-source-server-side-encryption')
      const encryption = encryptionFor(input, target, ctx.caller.account)
      const metadataDirective = directive(input.MetadataDirective, 'metadata')
      const taggingDirective = directive(input.TaggingDirective, 'tagging')
      const sameObject = from.bucket === target && src.key === input.Key && parseCopySource(input.CopySource).versionId === undefined
      if (sameObject && metadataDirective === 'COPY' && input.StorageClass === undefined && input.WebsiteRedirectLocation === undefined &&
        input.ServerSideEncryption === undefined && input.SSECustomerKey === undefined) {
        throw s3Errors.invalidRequest('This copy request is illegal because it is trying to copy an object to itself without changing the ' +
          'object\'s metadata, storage class, website redirect location or encryption attributes.')
      }
      // Everything that can refuse the request is read before the source's blob is retained (no reference leaks).
      // The destination's encryption is the request's or the bucket default, never the source's.
      const headers = { ...(metadataDirective === 'REPLACE' ? contentHeaders(input) : withoutEncryption(src.headers)), ...encryption }
      const metadata = metadataDirective === 'REPLACE' ? metadataOf(input.Metadata) : src.metadata
      const tags = taggingDirective === 'REPLACE' ? tagsFromHeader(input.Tagging) : { ...src.tags }
      const storageClass = input.StorageClass === undefined ? src.storageClass : storageClassOf(input.StorageClass)
      // The copy is a new version: the request's lock or the destination's default retention, never the source's.
      const lock = lockForWrite(target, input, state.clock.now())
      // The copy shares the body: nothing is read, so nothing can be removed under it.
      src.blob!.retain()
      const { stored, replaced } = target.put(input.Key, {
        blob: src.blob, size: src.size, etag: src.etag, parts: src.parts, checksum: src.checksum, partChecksums: src.partChecksums, headers,
        metadata, tags, storageClass, ...(lock !== undefined && { lock }),
      }, state.writeContext(owner))
      state.release(replaced)
      if (acl !== undefined && acl.length > 0) stored.acl = acl
      state.emit('ObjectCreated:Copy', target, stored, source(ctx))
      return {
        CopyObjectResult: { ETag: stored.etag, LastModified: stored.lastModified, ...checksumMembers(stored) } as T.CopyObjectResult,
        VersionId: writtenVersionId(stored),
        CopySourceVersionId: from.bucket.versioning === undefined ? undefined : src.versionId,
        ...encryptionMembers(stored.headers),
      }
    },
  }
}

function directive(value: string | undefined, kind: 'metadata' | 'tagging'): 'COPY' | 'REPLACE' {
  if (value === undefined || value === 'COPY' || value === 'REPLACE') return value ?? 'COPY'
  throw s3Errors.invalidArgument(`Unknown ${kind} directive.`, `x-amz-${kind}-directive`, value)
}
