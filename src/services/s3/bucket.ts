// A bucket: its keys (each a stack of versions, newest last), versioning state, stored
// configurations and multipart uploads. Synchronous: every change happens in one step.
import { randomBytes } from 'node:crypto'
import type { MultipartUpload, Part } from './multipart.ts'
import type { NewObject, ObjectVersion } from './object.ts'

export type VersioningStatus = 'Enabled' | 'Suspended'

/** Configurations S3 stores and returns as they were put (policy, CORS, lifecycle…). */
export type BucketConfigName = 'policy' | 'cors' | 'lifecycle' | 'ownership' | 'publicAccessBlock' | 'encryption' | 'website'
  | 'tagging' | 'acl' | 'notification' | 'objectLock' | 'metrics'

/** AWS version ids: 32 URL-safe characters. */
export function newVersionId(): string {
  return randomBytes(24).toString('base64url')
}

/** UTF-8 byte order (how S3 lists keys) from UTF-16 strings: surrogates sort above U+E000–U+FFFF. */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i)
    let y = b.charCodeAt(i)
    if (x === y) continue
    if (x >= 0xd800) x = x <= 0xdfff ? x + 0x2000 : x - 0x800
    if (y >= 0xd800) y = y <= 0xdfff ? y + 0x2000 : y - 0x800
    return x - y
  }
  return a.length - b.length
}

/** Where a bucket writes its changes with a data dir (S3Rows, s3-rows.ts). */
export interface BucketRows {
  bucket(bucket: Bucket): void
  version(bucket: string, version: ObjectVersion): void
  versionGone(bucket: string, version: ObjectVersion): void
  upload(bucket: string, upload: MultipartUpload): void
  part(bucket: string, upload: MultipartUpload, part: Part): void
  uploadGone(bucket: string, upload: MultipartUpload): void
}

export interface WriteContext {
  now: Date
  owner: string
  sequencer: string
}

export class Bucket {
  readonly name: string
  readonly region: string
  readonly owner: string
  readonly created: Date
  versioning: VersioningStatus | undefined
  readonly configs = new Map<BucketConfigName, unknown>()
  /** Read it, change it through addUpload/addPart/removeUpload (they write the rows). */
  readonly uploads = new Map<string, MultipartUpload>()
  private readonly keys = new Map<string, ObjectVersion[]>()
  private sorted: string[] | undefined
  /** With a data dir: every change below is written as rows (s3-rows.ts). */
  rows: BucketRows | undefined
  /** The owner account's settings (account-level Block Public Access), set when the bucket joins the state. */
  accountSettings: { block(account: string): { BlockPublicAcls?: boolean; IgnorePublicAcls?: boolean; BlockPublicPolicy?: boolean;
    RestrictPublicBuckets?: boolean } | undefined } | undefined

  constructor(name: string, region: string, owner: string, created: Date) {
    this.name = name
    this.region = region
    this.owner = owner
    this.created = created
  }

  /** Versioning or a configuration changed: the bucket's row is rewritten. */
  saved(): void {
    this.rows?.bucket(this)
  }

  /** A version's tags, ACL or restore state changed: its row is rewritten. */
  savedVersion(version: ObjectVersion): void {
    this.rows?.version(this.name, version)
  }

  addUpload(upload: MultipartUpload): void {
    this.uploads.set(upload.id, upload)
    this.rows?.upload(this.name, upload)
  }

  /** Stores a part; returns the one it replaced (its blob is the caller's to release). */
  addPart(upload: MultipartUpload, part: Part): Part | undefined {
    const replaced = upload.parts.get(part.number)
    upload.parts.set(part.number, part)
    this.rows?.part(this.name, upload, part)
    return replaced
  }

  /** Completed, aborted or expired: the upload's rows go (its parts' blobs are the caller's to release). */
  removeUpload(upload: MultipartUpload): void {
    this.uploads.delete(upload.id)
    this.rows?.uploadGone(this.name, upload)
  }

  /** A stored version read back at start, versions of a key in the order they were written. */
  restoreVersion(version: ObjectVersion): void {
    let list = this.keys.get(version.key)
    if (list === undefined) {
      list = []
      this.keys.set(version.key, list)
      this.sorted = undefined
    }
    list.push(version)
  }

  get isEmpty(): boolean {
    return this.keys.size === 0
  }

  /** The newest version of a key, a delete marker included. */
  current(key: string): ObjectVersion | undefined {
    return this.keys.get(key)?.at(-1)
  }

  version(key: string, versionId: string): ObjectVersion | undefined {
    return this.keys.get(key)?.find((v) => v.versionId === versionId)
  }

  /** Versions of a key, newest first. */
  versions(key: string): ObjectVersion[] {
    return [...(this.keys.get(key) ?? [])].reverse()
  }

  /** Keys in UTF-8 byte order, sorted once per change of the key set. */
  sortedKeys(): readonly string[] {
    this.sorted ??= [...this.keys.keys()].sort(compareKeys)
    return this.sorted
  }

  /** Stores a new current version; returns the versions it replaced (their blobs are the caller's to release). */
  put(key: string, object: NewObject, ctx: WriteContext): { stored: ObjectVersion; replaced: ObjectVersion[] } {
    const versionId = this.versioning === 'Enabled' ? newVersionId() : 'null'
    const stored: ObjectVersion = { ...object, key, versionId, deleteMarker: false, lastModified: ctx.now, owner: ctx.owner,
      sequencer: ctx.sequencer }
    return { stored, replaced: this.push(key, stored) }
  }

  /**
   * DeleteObject without a version id: unversioned buckets forget the key; versioned ones stack a
   * delete marker (id `null` when suspended, replacing the `null` version).
   */
  deleteCurrent(key: string, ctx: WriteContext): { marker: ObjectVersion | undefined; replaced: ObjectVersion[] } {
    if (this.versioning === undefined) {
      const replaced = this.keys.get(key) ?? []
      for (const version of replaced) this.rows?.versionGone(this.name, version)
      this.removeKey(key)
      return { marker: undefined, replaced }
    }
    const marker: ObjectVersion = {
      key, versionId: this.versioning === 'Enabled' ? newVersionId() : 'null', deleteMarker: true, lastModified: ctx.now,
      blob: undefined, size: 0, etag: '', headers: {}, metadata: {}, tags: {}, storageClass: 'STANDARD', checksum: undefined,
      parts: undefined, owner: ctx.owner, sequencer: ctx.sequencer,
    }
    return { marker, replaced: this.push(key, marker) }
  }

  /** Removes one version for good (a delete marker included). */
  deleteVersion(key: string, versionId: string): ObjectVersion | undefined {
    const list = this.keys.get(key)
    const i = list?.findIndex((v) => v.versionId === versionId) ?? -1
    if (list === undefined || i === -1) return undefined
    const [removed] = list.splice(i, 1)
    if (list.length === 0) this.removeKey(key)
    this.rows?.versionGone(this.name, removed!)
    return removed
  }

  /** Every version of every key (DeleteBucket's check, reset). */
  allVersions(): ObjectVersion[] {
    return [...this.keys.values()].flat()
  }

  private push(key: string, version: ObjectVersion): ObjectVersion[] {
    let list = this.keys.get(key)
    if (list === undefined) {
      list = []
      this.keys.set(key, list)
      this.sorted = undefined
    }
    // Unversioned and suspended buckets keep one `null` version: the new one replaces it.
    const replaced = version.versionId === 'null' ? list.filter((v) => v.versionId === 'null') : []
    if (replaced.length > 0) list.splice(0, list.length, ...list.filter((v) => v.versionId !== 'null'))
    list.push(version)
    // A replaced `null` version has the new one's row key: the put after the delete is what lands.
    if (this.rows !== undefined) {
      for (const old of replaced) this.rows.versionGone(this.name, old)
      this.rows.version(this.name, version)
    }
    return replaced
  }

  private removeKey(key: string): void {
    if (this.keys.delete(key)) this.sorted = undefined
  }
}
