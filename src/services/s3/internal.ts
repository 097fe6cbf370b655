// S3's port (port.ts) implemented over its state. No HTTP between services.
import { ingest } from './body/ingest.ts'
import { createControlApi } from './control/control-api.ts'
import { readableVersion } from './object-lookup.ts'
import type { MetricSource } from '../cloudwatch/port.ts'
import type { S3Port } from './port.ts'
import type { S3State } from './store.ts'

export function createS3Port(state: S3State, metrics: MetricSource): S3Port {
  return {
    metrics,
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
    listKeys: (bucketName, prefix) => {
      const bucket = state.requireBucket(bucketName)
      return bucket.sortedKeys().filter((k) => k.startsWith(prefix) && bucket.current(k)?.deleteMarker === false)
    },
    bucketPolicy: (bucket) => state.bucket(bucket)?.configs.get('policy') as string | undefined,
    events: state.events,
    control: createControlApi(state),
  }
}
