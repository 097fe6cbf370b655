// The narrow port other services use: Lambda reads deployment packages, Firehose will write
// objects, notifications subscribe to object events. No HTTP between services.
import type { Readable } from 'node:stream'
import type { EventChannel } from '../../core/events.ts'
import { ingest } from './body/ingest.ts'
import { readableVersion } from './object-lookup.ts'
import type { ObjectEvent } from './events.ts'
import type { S3State } from './store.ts'

export interface S3ObjectRead {
  body: Buffer
  etag: string
  contentType: string | undefined
  metadata: Readonly<Record<string, string>>
}

export interface S3Port {
  /** Whole object at once (small objects: Lambda code); throws NoSuchBucket / NoSuchKey / NoSuchVersion. */
  getObject(bucket: string, key: string, versionId?: string): S3ObjectRead
  /** Writes an object as the bucket's owner; announces ObjectCreated:Put like a PutObject. */
  putObject(bucket: string, key: string, body: Buffer | Readable, options?: { contentType?: string; metadata?: Record<string, string> }):
    Promise<{ etag: string; versionId: string | undefined }>
  exists(bucket: string, key?: string): boolean
  readonly events: EventChannel<ObjectEvent>
}

export function createS3Port(state: S3State): S3Port {
  return {
    getObject: (bucket, key, versionId) => {
      const version = readableVersion(state.requireBucket(bucket), key, versionId, 'GET')
      return { body: version.blob!.readAll(), etag: version.etag, contentType: version.headers.ContentType, metadata: version.metadata }
    },
    putObject: async (bucketName, key, body, options = {}) => {
      const bucket = state.requireBucket(bucketName)
      const data = await ingest(state.blobs, {
        body, transfer: { awsChunked: false, decodedLength: undefined, trailer: undefined }, contentMd5: undefined, checksums: {},
        algorithm: undefined,
      })
      const { stored, replaced } = bucket.put(key, {
        blob: data.blob, size: data.size, etag: `"${data.md5.toString('hex')}"`, headers: { ContentType: options.contentType ?? 'application/octet-stream' },
        metadata: options.metadata ?? {}, tags: {}, storageClass: 'STANDARD', checksum: undefined, parts: undefined,
      }, state.writeContext(bucket.owner))
      state.release(replaced)
      state.emit('ObjectCreated:Put', bucket, stored, { requestId: 'internal', requester: bucket.owner })
      return { etag: stored.etag, versionId: bucket.versioning === undefined ? undefined : stored.versionId }
    },
    exists: (bucket, key) => {
      const b = state.bucket(bucket)
      if (b === undefined) return false
      if (key === undefined) return true
      const current = b.current(key)
      return current !== undefined && !current.deleteMarker
    },
    events: state.events,
  }
}
