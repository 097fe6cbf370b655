// S3's durable state as rows of the persistence layer (docs/persistence.md): buckets with their
// configurations, every version of every key, multipart uploads and their parts, and how far the
// lifecycle sweep got. Bodies stay in files (blob-store.ts); a row names its body's files.
// Only built with a data dir: in memory buckets hold no S3Rows and write nothing.
import type { Blob } from '../../storage/blob-store.ts'
import { allUsers, type StoredGrant } from './access/acl.ts'
import type { Persistence, Table } from '../../storage/persistence/persistence.ts'
import type { BucketConfigName, VersioningStatus } from './bucket.ts'
import type { ChecksumAlgorithm } from './body/checksums.ts'
import type { MultipartUpload, Part } from './multipart.ts'
import type { ContentHeaders, ObjectVersion, StoredChecksum, LockState } from './object.ts'

/** A bucket without its objects. Key: the bucket's name (global). */
export interface BucketRow {
  name: string
  region: string
  owner: string
  created: number
  versioning: VersioningStatus | undefined
  configs: Array<[BucketConfigName, unknown]>
}

/** One version of one key. Key `<bucket>/<version id>/<object key>` (`null` is one version per key). */
export interface VersionRow {
  bucket: string
  key: string
  versionId: string
  deleteMarker: boolean
  lastModified: number
  /** The body's files, in order; undefined for a delete marker. */
  files: string[] | undefined
  size: number
  etag: string
  headers: ContentHeaders
  metadata: Record<string, string>
  tags: Record<string, string>
  storageClass: string
  checksum: StoredChecksum | undefined
  parts: number[] | undefined
  owner: string
  sequencer: string
  /** Rows written before ACL grants were kept: true meant a public-read ACL. */
  publicRead?: boolean | undefined
  acl?: StoredGrant[]
  /** The multipart upload that made the version (a repeated Complete answers from it). */
  uploadId?: string
  partChecksums?: string[]
  lock?: LockState
  restore: { ongoing: boolean; expiry: number | undefined; completesAt: number | undefined; days: number | undefined } | undefined
}

/** A multipart upload in progress, without its parts. Key `<bucket>/<upload id>`. */
export interface UploadRow {
  bucket: string
  id: string
  key: string
  initiated: number
  owner: string
  storageClass: string
  headers: ContentHeaders
  metadata: Record<string, string>
  tags: Record<string, string>
  checksumAlgorithm: ChecksumAlgorithm | undefined
  checksumType: 'FULL_OBJECT' | 'COMPOSITE' | undefined
  acl?: StoredGrant[]
  objectOwner?: string
  lock?: LockState
}

/** One uploaded part. Key `<bucket>/<upload id>/<part number>`. */
export interface PartRow {
  number: number
  etag: string
  md5: string
  size: number
  files: string[]
  lastModified: number
  checksum: string | undefined
}

/** Where each version's, upload's and part's body files are read back from. */
export type RestoreBlob = (files: readonly string[]) => Blob | undefined

export interface LoadedS3 {
  buckets: BucketRow[]
  versions: Array<{ row: VersionRow; blob: Blob | undefined }>
  uploads: Array<{ bucket: string; upload: MultipartUpload }>
  /** The last midnight the lifecycle sweep ran for (undefined: never armed). */
  lifecycleSweptThrough: number | undefined
}

interface BucketSource {
  readonly name: string
  readonly region: string
  readonly owner: string
  readonly created: Date
  readonly versioning: VersioningStatus | undefined
  readonly configs: ReadonlyMap<BucketConfigName, unknown>
}

export class S3Rows {
  private readonly buckets: Table<BucketRow | { toJSON(): BucketRow }>
  private readonly versions: Table<VersionRow | { toJSON(): VersionRow }>
  private readonly uploads: Table<UploadRow>
  private readonly parts: Table<PartRow>
  private readonly meta: Table<number>

  constructor(persistence: Persistence) {
    this.buckets = persistence.table('s3_buckets')
    this.versions = persistence.table('s3_versions')
    this.uploads = persistence.table('s3_uploads')
    this.parts = persistence.table('s3_parts')
    this.meta = persistence.table('s3_meta')
  }

  /** A bucket created or changed (versioning, a configuration): read when the turn commits. */
  bucket(b: BucketSource): void {
    this.buckets.put(b.name, {
      toJSON: () => ({ name: b.name, region: b.region, owner: b.owner, created: b.created.getTime(), versioning: b.versioning,
        configs: [...b.configs] }),
    })
  }
  bucketGone(name: string): void {
    this.buckets.delete(name)
  }

  /** A version stored or changed (tags, ACL, restore): read when the turn commits, so later changes in the turn land too. */
  version(bucket: string, v: ObjectVersion): void {
    this.versions.put(versionKey(bucket, v), { toJSON: () => versionRow(bucket, v) })
  }
  versionGone(bucket: string, v: ObjectVersion): void {
    this.versions.delete(versionKey(bucket, v))
  }

  upload(bucket: string, u: MultipartUpload): void {
    this.uploads.put(`${bucket}/${u.id}`, {
      bucket, id: u.id, key: u.key, initiated: u.initiated.getTime(), owner: u.owner, storageClass: u.storageClass, headers: u.headers,
      metadata: u.metadata, tags: u.tags, checksumAlgorithm: u.checksumAlgorithm, checksumType: u.checksumType,
      ...(u.acl !== undefined && { acl: u.acl }), ...(u.objectOwner !== undefined && { objectOwner: u.objectOwner }),
      ...(u.lock !== undefined && { lock: { ...u.lock } }),
    })
  }
  part(bucket: string, u: MultipartUpload, p: Part): void {
    this.parts.put(`${bucket}/${u.id}/${p.number}`, {
      number: p.number, etag: p.etag, md5: p.md5.toString('base64'), size: p.size, files: p.blob.files(),
      lastModified: p.lastModified.getTime(), checksum: p.checksum,
    })
  }
  uploadGone(bucket: string, u: MultipartUpload): void {
    this.uploads.delete(`${bucket}/${u.id}`)
    for (const number of u.parts.keys()) this.parts.delete(`${bucket}/${u.id}/${number}`)
  }

  lifecycleSwept(midnight: number): void {
    this.meta.put('lifecycle', midnight)
  }

  /** POST /_nimbus/reset: every S3 row goes. */
  clear(): void {
    for (const table of [this.buckets, this.versions, this.uploads, this.parts, this.meta]) table.clear()
  }

  /** Everything stored, bodies reopened through `blob`. A row whose body files are gone is dropped (and deleted). */
  load(blob: RestoreBlob): LoadedS3 {
    const buckets = this.buckets.load().map(([, row]) => row as BucketRow)
    const versions: LoadedS3['versions'] = []
    for (const [key, value] of this.versions.load()) {
      const row = value as VersionRow
      const body = row.files === undefined ? undefined : blob(row.files)
      if (row.files !== undefined && body === undefined) {
        this.versions.delete(key)
        continue
      }
      versions.push({ row, blob: body })
    }
    const partsByUpload = new Map<string, Part[]>()
    for (const [key, row] of this.parts.load()) {
      const uploadKey = key.slice(0, key.lastIndexOf('/'))
      const body = blob(row.files)
      if (body === undefined) {
        this.parts.delete(key)
        continue
      }
      const part: Part = { number: row.number, etag: row.etag, md5: Buffer.from(row.md5, 'base64'), size: row.size, blob: body,
        lastModified: new Date(row.lastModified), checksum: row.checksum }
      const list = partsByUpload.get(uploadKey)
      if (list === undefined) partsByUpload.set(uploadKey, [part])
      else list.push(part)
    }
    const uploads = this.uploads.load().map(([key, row]) => {
      const parts = (partsByUpload.get(key) ?? []).sort((a, b) => a.number - b.number)
      const upload: MultipartUpload = {
        id: row.id, key: row.key, initiated: new Date(row.initiated), owner: row.owner, storageClass: row.storageClass, headers: row.headers,
        metadata: row.metadata, tags: row.tags, checksumAlgorithm: row.checksumAlgorithm, checksumType: row.checksumType,
        ...(row.acl !== undefined && { acl: row.acl }), ...(row.objectOwner !== undefined && { objectOwner: row.objectOwner }),
        ...(row.lock !== undefined && { lock: row.lock }),
        parts: new Map(parts.map((p) => [p.number, p])),
      }
      return { bucket: row.bucket, upload }
    })
    const swept = this.meta.load().find(([key]) => key === 'lifecycle')?.[1]
    return { buckets, versions, uploads, lifecycleSweptThrough: swept }
  }
}

function versionKey(bucket: string, v: ObjectVersion): string {
  return `${bucket}/${v.versionId}/${v.key}`
}

function versionRow(bucket: string, v: ObjectVersion): VersionRow {
  const r = v.restore
  return {
    bucket, key: v.key, versionId: v.versionId, deleteMarker: v.deleteMarker, lastModified: v.lastModified.getTime(), files: v.blob?.files(),
    size: v.size, etag: v.etag, headers: v.headers, metadata: v.metadata as Record<string, string>, tags: v.tags, storageClass: v.storageClass,
    checksum: v.checksum, parts: v.parts as number[] | undefined, owner: v.owner, sequencer: v.sequencer,
    ...(v.acl !== undefined && v.acl.length > 0 && { acl: v.acl }),
    ...(v.uploadId !== undefined && { uploadId: v.uploadId }),
    ...(v.partChecksums !== undefined && { partChecksums: [...v.partChecksums] }),
    ...(v.lock !== undefined && { lock: { ...v.lock } }),
    restore: r === undefined ? undefined : { ongoing: r.ongoing, expiry: r.expiry, completesAt: r.completesAt, days: r.days },
  }
}

/** A version as the bucket holds it, from its row. */
export function decodeVersion(row: VersionRow, blob: Blob | undefined): ObjectVersion {
  const r = row.restore
  return {
    key: row.key, versionId: row.versionId, deleteMarker: row.deleteMarker, lastModified: new Date(row.lastModified), blob, size: row.size,
    etag: row.etag, headers: row.headers, metadata: row.metadata, tags: row.tags, storageClass: row.storageClass, checksum: row.checksum,
    parts: row.parts, owner: row.owner, sequencer: row.sequencer,
    ...(row.acl !== undefined ? { acl: row.acl } : row.publicRead === true && { acl: [{ Grantee: { Type: 'Group', URI: allUsers }, Permission: 'READ' }] as StoredGrant[] }),
    ...(row.uploadId !== undefined && { uploadId: row.uploadId }),
    ...(row.partChecksums !== undefined && { partChecksums: row.partChecksums }),
    ...(row.lock !== undefined && { lock: row.lock }),
    ...(r !== undefined && { restore: { ongoing: r.ongoing, expiry: r.expiry, completesAt: r.completesAt, days: r.days, expiryTimer: undefined } }),
  }
}
