// What the web console shows of S3 (services/console-view.ts): buckets with their objects, versioning
// and notification destinations, and downloading an object (the body as base64, text too when it reads as text).
import { arnLink, type ConsoleDetail, type ConsoleItem, type ConsoleView, ConsoleError, isoTime, textParam, unknownAction } from '../console-view.ts'
import type { Bucket } from './bucket.ts'
import type { BucketNotifications } from './notification-config.ts'
import type { S3Port } from './port.ts'
import type { S3State } from './store.ts'

/** Objects a bucket's detail lists (the first keys in order); more are found with the console's search. */
const listed = 1000
/** The largest body the console hands over in one answer (base64 in JSON); larger ones: the CLI. */
const maxDownload = 10 * 1024 * 1024

export function s3Console(state: S3State, port: S3Port): ConsoleView {
  return {
    list: (type) => (type === 'bucket' ? state.allBuckets().map(item) : []),
    detail: (type, id) => {
      const bucket = type === 'bucket' ? state.bucket(nameOf(id)) : undefined
      return bucket === undefined ? undefined : detail(bucket)
    },
    act: (type, id, action, params) => {
      const bucket = type === 'bucket' ? state.bucket(nameOf(id)) : undefined
      if (bucket === undefined) throw new ConsoleError('ResourceNotFound', `No bucket ${id}.`, 404)
      if (action !== 'download') throw unknownAction(action)
      const key = textParam(params, 'key')
      const size = bucket.current(key)?.size ?? 0
      if (size > maxDownload) throw new ConsoleError('ObjectTooLarge', `${key} is ${size} bytes; the console hands over up to ${maxDownload} (use aws s3 cp).`)
      // Through S3's port: its NoSuchKey for a missing key or a delete marker.
      const object = port.getObject(bucket.name, key)
      const text = object.body.toString('utf8')
      return { key, size: object.body.length, etag: object.etag, contentType: object.contentType ?? null, metadata: object.metadata,
        base64: object.body.toString('base64'), ...(Buffer.from(text, 'utf8').equals(object.body) && { text }) }
    },
  }
}

/** A bucket by name or ARN (arn:aws:s3:::name). */
function nameOf(id: string): string {
  return id.startsWith('arn:') ? id.slice(id.lastIndexOf(':') + 1) : id
}

function item(bucket: Bucket): ConsoleItem {
  const keys = bucket.sortedKeys()
  return { id: bucket.name, name: bucket.name, arn: `arn:aws:s3:::${bucket.name}`, account: bucket.owner, region: bucket.region,
    fields: { objects: keys.length, versioning: bucket.versioning ?? 'Off', created: isoTime(bucket.created.getTime()) } }
}

function detail(bucket: Bucket): ConsoleDetail {
  const rows = []
  for (const key of bucket.sortedKeys()) {
    if (rows.length >= listed) break
    const v = bucket.current(key)
    if (v === undefined || v.deleteMarker) continue
    rows.push({ key, size: v.size, lastModified: isoTime(v.lastModified.getTime()), etag: v.etag, contentType: v.headers.ContentType ?? null,
      storageClass: v.storageClass })
  }
  const notifications = bucket.configs.get('notification') as BucketNotifications | undefined
  return {
    item: item(bucket),
    sections: [
      { title: 'Objects', kind: 'table', data: { columns: [{ key: 'key', label: 'Key' }, { key: 'size', label: 'Size' },
        { key: 'lastModified', label: 'Last modified' }, { key: 'contentType', label: 'Content type' }], rows } },
      { title: 'Properties', kind: 'kv', data: { Region: bucket.region, Owner: bucket.owner, Versioning: bucket.versioning ?? 'Off',
        Created: isoTime(bucket.created.getTime()), MultipartUploads: bucket.uploads.size } },
      ...(notifications === undefined ? [] : [{ title: 'Event notifications', kind: 'table' as const, data: {
        columns: [{ key: 'kind', label: 'Destination' }, { key: 'arn', label: 'ARN' }, { key: 'events', label: 'Events' }],
        rows: notifications.targets.map((t) => ({ kind: t.kind, arn: t.arn, events: t.events.join(', ') })) } }]),
    ],
    links: notifications?.targets.flatMap((t) => arnLink(`Notifies ${t.kind}`, t.arn)) ?? [],
    actions: [{ name: 'download', label: 'Download an object', params: [{ key: 'key', label: 'Key', kind: 'text' }] }],
  }
}
