// A multipart upload in progress: what CreateMultipartUpload said about the object, and its parts.
import type { Blob } from '../../storage/blob-store.ts'
import type { ChecksumAlgorithm } from './body/checksums.ts'
import type { StoredGrant } from './access/acl.ts'
import type { ContentHeaders, LockState } from './object.ts'

export interface Part {
  readonly number: number
  /** Quoted MD5 hex of the part's bytes. */
  readonly etag: string
  readonly md5: Buffer
  readonly size: number
  readonly blob: Blob
  readonly lastModified: Date
  /** Base64, in the upload's checksum algorithm. */
  readonly checksum: string | undefined
}

export interface MultipartUpload {
  readonly id: string
  readonly key: string
  readonly initiated: Date
  readonly owner: string
  readonly storageClass: string
  readonly headers: ContentHeaders
  readonly metadata: Record<string, string>
  readonly tags: Record<string, string>
  readonly checksumAlgorithm: ChecksumAlgorithm | undefined
  readonly checksumType: 'FULL_OBJECT' | 'COMPOSITE' | undefined
  readonly parts: Map<number, Part>
  /** The ACL CreateMultipartUpload asked for, and who will own the object (access/acl.ts): the completed object takes them. */
  readonly acl?: StoredGrant[]
  readonly objectOwner?: string
  /** The Object Lock headers CreateMultipartUpload carried, checked then; without them the bucket's default applies at Complete. */
  readonly lock?: LockState
}
