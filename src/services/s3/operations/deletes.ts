// DeleteObject and DeleteObjects: forget a key, stack a delete marker, or remove one version.
import type { AwsError } from '../../../protocol/errors.ts'
import type { OperationContext, OperationTable } from '../../service.ts'
import type { Bucket } from '../bucket.ts'
import { deniedKeys } from '../access/authorize.ts'
import { s3Errors } from '../errors.ts'
import { checkDeletable } from '../object-lock.ts'
import type * as T from '../generated/types.ts'
import type { S3Operations } from '../generated/types.ts'
import { limits } from '../limits.ts'
import { checkVersionId } from '../object-lookup.ts'
import type { S3State } from '../store.ts'
import { source } from './objects.ts'

interface Deleted {
  VersionId?: string
  DeleteMarker?: boolean
  DeleteMarkerVersionId?: string
}

export function deleteOperations(state: S3State): OperationTable<S3Operations> {
  /** One delete, as DeleteObject answers it and DeleteObjects lists it. */
  const remove = (bucket: Bucket, key: string, versionId: string | undefined, bypass: boolean, ctx: OperationContext): Deleted => {
    if (versionId !== undefined && versionId !== '') {
      checkVersionId(versionId)
      // Removing a version for good is what Object Lock refuses (a delete marker is always allowed).
      const target = bucket.version(key, versionId)
      if (target !== undefined) checkDeletable(target, bypass, state.clock.now())
      const removed = bucket.deleteVersion(key, versionId)
      if (removed === undefined) return { VersionId: versionId }
      state.release([removed])
      state.emit('ObjectRemoved:Delete', bucket, { ...removed, sequencer: state.writeContext(ctx.caller.account).sequencer }, source(ctx))
      return removed.deleteMarker ? { VersionId: versionId, DeleteMarker: true, DeleteMarkerVersionId: versionId } : { VersionId: versionId }
    }
    const write = state.writeContext(ctx.caller.account)
    const { marker, replaced } = bucket.deleteCurrent(key, write)
    state.release(replaced)
    if (marker === undefined) {
      // AWS announces a delete even when the key did not exist.
      state.emit('ObjectRemoved:Delete', bucket, { key, sequencer: write.sequencer }, source(ctx))
      return {}
    }
    state.emit('ObjectRemoved:DeleteMarkerCreated', bucket, marker, source(ctx))
    return { DeleteMarker: true, DeleteMarkerVersionId: marker.versionId }
  }

  return {
    DeleteObject: (input, ctx) => {
      const bucket = state.requireBucket(input.Bucket)
      const result = remove(bucket, input.Key, input.VersionId, input.BypassGovernanceRetention === true, ctx)
      return { DeleteMarker: result.DeleteMarker, VersionId: result.DeleteMarkerVersionId ?? result.VersionId }
    },

    DeleteObjects: (input, ctx) => {
      const bucket = state.requireBucket(input.Bucket)
      const objects = input.Delete?.Objects ?? []
      if (objects.length === 0 || objects.length > limits.maxDeleteKeys) throw s3Errors.malformedXml()
      const deleted: T.DeletedObject[] = []
      const errors: T.Error[] = []
      // Keys the bucket policy or ACL keeps from this caller (access/authorize.ts) answer AccessDenied each.
      const denied = (input as unknown as Record<symbol, unknown>)[deniedKeys] as Set<object> | undefined
      for (const object of objects) {
        const { Key, VersionId } = object
        if (denied?.has(object) === true) {
          errors.push({ Key, VersionId, Code: 'AccessDenied', Message: 'Access Denied' })
          continue
        }
        try {
          deleted.push({ Key, ...remove(bucket, Key, VersionId, input.BypassGovernanceRetention === true, ctx) })
        } catch (error) {
          const e = error as AwsError
          errors.push({ Key, VersionId, Code: e.code, Message: e.message })
        }
      }
      return { Deleted: input.Delete.Quiet === true || deleted.length === 0 ? undefined : deleted, Errors: errors.length === 0 ? undefined : errors }
    },
  }
}
