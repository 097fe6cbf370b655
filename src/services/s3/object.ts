// One version of one key: the body (a blob), its ETag and checksum, and what S3 keeps beside it.
import type { Timer } from '../../core/clock.ts'
import type { Blob } from '../../storage/blob-store.ts'
import type { StoredGrant } from './access/acl.ts'
import type { ChecksumAlgorithm } from './body/checksums.ts'

/** The content headers S3 stores and answers with, by their SDK member names. */
export interface ContentHeaders {
  ContentType?: string
  ContentEncoding?: string
  ContentDisposition?: string
  ContentLanguage?: string
  CacheControl?: string
  /** Kept as sent: AWS echoes an unparseable Expires back as is. */
  Expires?: string
  WebsiteRedirectLocation?: string
  /** Encryption state (encryption.ts): kept with the headers so the rows keep it. */
  ServerSideEncryption?: string
  SSEKMSKeyId?: string
  BucketKeyEnabled?: boolean
  SSECustomerAlgorithm?: string
  /** SSE-C: the MD5 of the customer's key, which every read must present again. */
  SSECustomerKeyMD5?: string
}

export interface StoredChecksum {
  algorithm: ChecksumAlgorithm
  /** Base64; a multipart object's composite value ends with `-<parts>`. */
  value: string
  type: 'FULL_OBJECT' | 'COMPOSITE'
}

export interface ObjectVersion {
  readonly key: string
  /** `null` (the string) on an unversioned or suspended bucket, as AWS spells it. */
  readonly versionId: string
  readonly deleteMarker: boolean
  readonly lastModified: Date
  /** Undefined for a delete marker. */
  readonly blob: Blob | undefined
  readonly size: number
  /** Quoted, as it travels in the ETag header: `"<md5 hex>"` or `"<md5 of part md5s>-<n>"`. */
  readonly etag: string
  readonly headers: ContentHeaders
  readonly metadata: Readonly<Record<string, string>>
  tags: Record<string, string>
  readonly storageClass: string
  /** Set later for an upload sent without one: its CRC64NVME, on the first read asking (default-checksum.ts). */
  checksum: StoredChecksum | undefined
  /** Parts of a multipart object, with each part's size (GetObject ?partNumber=). */
  readonly parts: readonly number[] | undefined
  readonly owner: string
  /** Orders events on one key (S3 notifications' `sequencer`). */
  readonly sequencer: string
  /** Each part's checksum (base64, in the object's checksum algorithm), when every part had one (GetObjectAttributes). */
  readonly partChecksums?: readonly string[]
  /** Object Lock retention and legal hold (object-lock.ts); changed by PutObjectRetention / PutObjectLegalHold. */
  lock?: LockState
  /** The multipart upload that made this version: a repeated Complete answers from it (idempotent, as AWS). */
  readonly uploadId?: string
  /** The version's ACL grants beyond its owner's full control (PutObject, CopyObject, PutObjectAcl: access/acl.ts). */
  acl?: StoredGrant[]
  /** A GLACIER / DEEP_ARCHIVE object's restored copy, once RestoreObject asked for one (restore.ts). */
  restore?: RestoreState
}

/** A version's Object Lock state (object-lock.ts has the rules; kept in its row). */
export interface LockState {
  mode?: 'GOVERNANCE' | 'COMPLIANCE'
  /** Epoch ms. */
  retainUntil?: number
  legalHold?: boolean
}

export interface RestoreState {
  /** True until the restore completes; the copy is readable only after. */
  ongoing: boolean
  /** When the restored copy goes (a midnight UTC); known once the restore completed. */
  expiry: number | undefined
  /** While ongoing: when it completes, and for how many days the copy then lasts (stored, re-armed at start). */
  completesAt?: number
  days?: number
  /** Cancelled when a later request moves the expiry. */
  expiryTimer: Timer | undefined
}

export type NewObject = Omit<ObjectVersion, 'versionId' | 'deleteMarker' | 'sequencer' | 'key' | 'lastModified' | 'owner' | 'restore' | 'acl'>
