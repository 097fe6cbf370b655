// Reads what an upload says about its object (content headers, user metadata, tags, storage
// class, checksum) and writes a stored version back as the headers GetObject/HeadObject answer with.
import { type ChecksumAlgorithm, isChecksumAlgorithm } from './body/checksums.ts'
import { encryptionMembers, withoutEncryption } from './encryption.ts'
import { s3Errors } from './errors.ts'
import { lockMembers } from './object-lock.ts'
import { limits } from './limits.ts'
import type { ContentHeaders, ObjectVersion } from './object.ts'
import { restoreHeader } from './restore.ts'

const storageClasses = new Set(['STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER',
  'DEEP_ARCHIVE', 'OUTPOSTS', 'GLACIER_IR', 'SNOW', 'EXPRESS_ONEZONE'])

export interface ObjectInput extends ContentHeaders {
  Key: string
  Metadata?: Record<string, string>
  StorageClass?: string
  Tagging?: string
  ChecksumAlgorithm?: string
}

export function checkKey(key: string): void {
  const bytes = Buffer.byteLength(key)
  if (bytes > limits.maxKeyBytes) throw s3Errors.keyTooLong(bytes, limits.maxKeyBytes)
}

/** The content headers of a request; its encryption is decided apart (encryptionFor, encryption.ts). */
export function contentHeaders(input: ContentHeaders): ContentHeaders {
  const { ContentType, ContentEncoding, ContentDisposition, ContentLanguage, CacheControl, Expires, WebsiteRedirectLocation } = input
  return strip({ ContentType: ContentType ?? 'application/octet-stream', ContentEncoding, ContentDisposition, ContentLanguage,
    CacheControl, Expires, WebsiteRedirectLocation })
}

function strip<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}

/**
 * A value S3 will send back as a response header must be one HTTP (and Node) can carry: no control
 * characters but tab, nothing past U+00FF. AWS refuses the latter with "Header value cannot be
 * represented using ISO-8859-1." [D: AWS's answers as quoted in public reports]; the wording for
 * control characters (CR/LF) is recalled [R].
 */
export function checkHeaderValue(name: string, value: string): void {
  const bad = /[^\t\x20-\x7e\x80-\xff]/.exec(value)
  if (bad === null) return
  throw s3Errors.invalidArgument(bad[0].charCodeAt(0) > 0xff ? 'Header value cannot be represented using ISO-8859-1.'
    : 'Header value contains invalid characters.', name, value)
}

/** An HTTP token (RFC 9110): what a header name may hold. */
const headerName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/**
 * User metadata (x-amz-meta-*): names lower-cased by HTTP already; 2 KB in all, names included.
 * Each entry must travel back as a header (a form field of a POST upload may hold anything) [R: wording].
 */
export function metadataOf(metadata: Record<string, string> | undefined): Record<string, string> {
  const out = metadata ?? {}
  for (const [name, value] of Object.entries(out)) {
    if (!headerName.test(`x-amz-meta-${name}`)) throw s3Errors.invalidArgument('Header name contains invalid characters.', `x-amz-meta-${name}`, value)
    // Past Latin-1 is fine here: reads answer such a value RFC 2047-encoded (metadataHeaders). Control characters are not.
    if (/[^\t\x20-\x7e\x80-\uffff]/.test(value)) checkHeaderValue(`x-amz-meta-${name}`, value)
  }
  const size = Object.entries(out).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0)
  if (size > limits.maxMetadataBytes) {
    throw s3Errors.metadataTooLarge(size, limits.maxMetadataBytes)
  }
  return out
}

export function storageClassOf(value: string | undefined): string {
  if (value === undefined) return 'STANDARD'
  if (!storageClasses.has(value)) {
    throw s3Errors.invalidStorageClass(value)
  }
  return value
}

export function checksumAlgorithmOf(value: string | undefined): ChecksumAlgorithm | undefined {
  if (value === undefined) return undefined
  const upper = value.toUpperCase()
  if (!isChecksumAlgorithm(upper)) throw s3Errors.invalidRequest(`Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]`)
  return upper
}

/** The x-amz-tagging header: a URL query string, `k1=v1&k2=v2`. */
export function tagsFromHeader(header: string | undefined): Record<string, string> {
  if (header === undefined || header === '') return {}
  const tags: Record<string, string> = {}
  for (const [k, v] of new URLSearchParams(header)) {
    if (Object.hasOwn(tags, k)) throw s3Errors.invalidTag('Cannot provide multiple Tags with the same key')
    tags[k] = v
  }
  return checkTags(tags, limits.maxObjectTags)
}

export function tagsFromSet(set: readonly { Key?: string; Value?: string }[] | undefined, max: number): Record<string, string> {
  const tags: Record<string, string> = {}
  for (const { Key, Value } of set ?? []) {
    if (Key === undefined) throw s3Errors.malformedXml()
    if (Object.hasOwn(tags, Key)) throw s3Errors.invalidTag('Cannot provide multiple Tags with the same key')
    tags[Key] = Value ?? ''
  }
  return checkTags(tags, max)
}

function checkTags(tags: Record<string, string>, max: number): Record<string, string> {
  const entries = Object.entries(tags)
  if (entries.length > max) throw s3Errors.invalidTag(max === limits.maxObjectTags ? 'Object tags cannot be greater than 10' : 'Bucket tag count cannot be greater than 50')
  for (const [k, v] of entries) {
    if (k.length === 0 || k.length > limits.maxTagKeyLength) throw s3Errors.invalidTag('The TagKey you have provided is invalid')
    if (v.length > limits.maxTagValueLength) throw s3Errors.invalidTag('The TagValue you have provided is invalid')
  }
  return tags
}

export function tagSet(tags: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }))
}

/**
 * User metadata as reads answer it: a value with anything but printable ASCII goes RFC 2047-encoded,
 * `=?UTF-8?B?<base64>?=`, as AWS answers non-ASCII metadata [D: S3 user guide]. A value that came in
 * an HTTP header holds its bytes as Latin-1 characters (they were UTF-8 on the wire); one from a POST
 * form is real text.
 */
export function metadataHeaders(metadata: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(metadata)) {
    if (/^[\t\x20-\x7e]*$/.test(value)) {
      out[name] = value
      continue
    }
    const bytes = /^[\x00-\xff]*$/.test(value) ? Buffer.from(value, 'latin1') : Buffer.from(value, 'utf8')
    out[name] = `=?UTF-8?B?${bytes.toString('base64')}?=`
  }
  return out
}

/** The headers every read of a version carries (GetObject, HeadObject). */
export function versionHeaders(version: ObjectVersion, versioned: boolean): Record<string, unknown> {
  const tagCount = Object.keys(version.tags).length
  return {
    ...withoutEncryption(version.headers),
    // Every object is encrypted at rest: one stored before its state was kept reads as SSE-S3.
    ...encryptionMembers(version.headers),
    ETag: version.etag,
    LastModified: version.lastModified,
    Metadata: metadataHeaders(version.metadata),
    VersionId: versioned ? version.versionId : undefined,
    // AWS leaves x-amz-storage-class out for STANDARD.
    StorageClass: version.storageClass === 'STANDARD' ? undefined : version.storageClass,
    TagCount: tagCount === 0 ? undefined : tagCount,
    AcceptRanges: 'bytes',
    Restore: restoreHeader(version),
    ...lockMembers(version),
  }
}

/** Checksum members (`ChecksumCRC32`…) and ChecksumType for an output. */
export function checksumMembers(version: Pick<ObjectVersion, 'checksum'>): Record<string, string> {
  const c = version.checksum
  if (c === undefined) return {}
  return { [`Checksum${c.algorithm}`]: c.value, ChecksumType: c.type }
}
