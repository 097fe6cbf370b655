// Object tags (Get/Put/DeleteObjectTagging) and ACLs (accepted, answered with owner full control).
import type { OperationTable } from '../../service.ts'
import type * as T from '../generated/types.ts'
import type { S3Operations } from '../generated/types.ts'
import { grantsForWrite } from '../acl-rules.ts'
import { limits } from '../limits.ts'
import { tagSet, tagsFromSet } from '../object-input.ts'
import { readableVersion } from '../object-lookup.ts'
import type { S3State } from '../store.ts'
import { aclDocument } from '../access/acl.ts'
import { source } from './objects.ts'

export function objectTaggingOperations(state: S3State): OperationTable<S3Operations> {
  const versioned = (bucket: string) => state.requireBucket(bucket).versioning !== undefined
  return {
    GetObjectTagging: (input) => {
      const version = readableVersion(state.requireBucket(input.Bucket), input.Key, input.VersionId, 'GET')
      return { TagSet: tagSet(version.tags), VersionId: versioned(input.Bucket) ? version.versionId : undefined }
    },
    PutObjectTagging: (input, ctx) => {
      const bucket = state.requireBucket(input.Bucket)
      const version = readableVersion(bucket, input.Key, input.VersionId, 'PUT')
      version.tags = tagsFromSet(input.Tagging?.TagSet, limits.maxObjectTags)
      bucket.savedVersion(version)
      state.emit('ObjectTagging:Put', bucket, version, source(ctx))
      return { VersionId: bucket.versioning !== undefined ? version.versionId : undefined }
    },
    DeleteObjectTagging: (input, ctx) => {
      const bucket = state.requireBucket(input.Bucket)
      const version = readableVersion(bucket, input.Key, input.VersionId, 'DELETE')
      version.tags = {}
      bucket.savedVersion(version)
      state.emit('ObjectTagging:Delete', bucket, version, source(ctx))
      return { VersionId: bucket.versioning !== undefined ? version.versionId : undefined }
    },
    GetObjectAcl: (input) => {
      const version = readableVersion(state.requireBucket(input.Bucket), input.Key, input.VersionId, 'GET')
      return aclDocument(version.owner, version.acl ?? []) as T.GetObjectAclOutput
    },
    // The grants are kept on the version (access/acl.ts) and evaluated for other callers.
    PutObjectAcl: (input, ctx) => {
      const bucket = state.requireBucket(input.Bucket)
      const version = readableVersion(bucket, input.Key, input.VersionId, 'PUT')
      version.acl = grantsForWrite(bucket, input, version.owner) ?? []
      bucket.savedVersion(version)
      state.emit('ObjectAcl:Put', bucket, version, source(ctx))
      return {}
    },
  }
}
