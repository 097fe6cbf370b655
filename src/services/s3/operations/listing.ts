// ListObjects (v1: Marker/NextMarker), ListObjectsV2 (ContinuationToken, StartAfter, KeyCount)
// and ListObjectVersions (KeyMarker/VersionIdMarker, delete markers).
import type { OperationTable } from '../../service.ts'
import type { Bucket } from '../bucket.ts'
import { canonicalId } from '../bucket-name.ts'
import { s3Errors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import type { S3Operations } from '../generated/types.ts'
import { limits } from '../limits.ts'
import { type ListEntry, listObjects, listVersions, urlEncodeKey } from '../listing.ts'
import { checkVersionId } from '../object-lookup.ts'
import type { ObjectVersion } from '../object.ts'
import type { S3State } from '../store.ts'

export function listingOperations(state: S3State): OperationTable<S3Operations> {
  return {
    ListObjects: (input) => {
      const bucket = state.requireBucket(input.Bucket)
      const enc = encoder(input.EncodingType)
      const maxKeys = pageSize(input.MaxKeys)
      const page = listObjects(bucket, { prefix: input.Prefix ?? '', delimiter: input.Delimiter || undefined, after: input.Marker || undefined, maxKeys })
      const last = page.entries.at(-1)
      return {
        Name: bucket.name, Prefix: enc(input.Prefix ?? ''), Marker: enc(input.Marker ?? ''), Delimiter: enc(input.Delimiter || undefined),
        MaxKeys: maxKeys, EncodingType: input.EncodingType, IsTruncated: page.truncated,
        // AWS sends NextMarker only when a delimiter was given; without one the last key is the marker.
        NextMarker: page.truncated && (input.Delimiter ?? '') !== '' && last !== undefined ? enc(positionOf(last)) : undefined,
        ...contentsOf(page.entries, enc, true),
      }
    },

    ListObjectsV2: (input) => {
      const bucket = state.requireBucket(input.Bucket)
      const enc = encoder(input.EncodingType)
      const maxKeys = pageSize(input.MaxKeys)
      const after = input.ContinuationToken !== undefined ? decodeToken(input.ContinuationToken) : input.StartAfter || undefined
      const page = listObjects(bucket, { prefix: input.Prefix ?? '', delimiter: input.Delimiter || undefined, after, maxKeys })
      const last = page.entries.at(-1)
      return {
        Name: bucket.name, Prefix: enc(input.Prefix ?? ''), Delimiter: enc(input.Delimiter || undefined), MaxKeys: maxKeys,
        EncodingType: input.EncodingType, KeyCount: page.entries.length, IsTruncated: page.truncated,
        ContinuationToken: input.ContinuationToken, StartAfter: enc(input.StartAfter),
        NextContinuationToken: page.truncated && last !== undefined ? encodeToken(positionOf(last)) : undefined,
        ...contentsOf(page.entries, enc, input.FetchOwner === true),
      }
    },

    ListObjectVersions: (input) => {
      const bucket = state.requireBucket(input.Bucket)
      const enc = encoder(input.EncodingType)
      const maxKeys = pageSize(input.MaxKeys)
      if (input.VersionIdMarker !== undefined && input.VersionIdMarker !== '') {
        if (input.KeyMarker === undefined || input.KeyMarker === '') {
          throw s3Errors.invalidArgument('A version-id marker cannot be specified without a key marker.', 'version-id-marker', input.VersionIdMarker)
        }
        checkVersionId(input.VersionIdMarker)
      }
      const page = listVersions(bucket, { prefix: input.Prefix ?? '', delimiter: input.Delimiter || undefined, after: input.KeyMarker || undefined, maxKeys },
        input.VersionIdMarker || undefined)
      const last = page.entries.at(-1)
      const versions = page.entries.flatMap((e) => (e.version === undefined ? [] : [e.version]))
      return {
        Name: bucket.name, Prefix: enc(input.Prefix ?? ''), Delimiter: enc(input.Delimiter || undefined), MaxKeys: maxKeys,
        EncodingType: input.EncodingType, KeyMarker: enc(input.KeyMarker ?? ''), VersionIdMarker: input.VersionIdMarker ?? '',
        IsTruncated: page.truncated,
        NextKeyMarker: page.truncated && last !== undefined ? enc(positionOf(last)) : undefined,
        NextVersionIdMarker: page.truncated ? last?.version?.versionId : undefined,
        Versions: versions.filter((v) => !v.deleteMarker).map((v) => ({
          ...objectEntry(v, enc, true), VersionId: v.versionId, IsLatest: isLatest(bucket, v),
        } as T.ObjectVersion)),
        DeleteMarkers: versions.filter((v) => v.deleteMarker).map((v) => ({
          Key: enc(v.key), VersionId: v.versionId, IsLatest: isLatest(bucket, v), LastModified: v.lastModified, Owner: owner(v),
        })),
        CommonPrefixes: commonPrefixes(page.entries, enc),
      }
    },
  }
}

type Encode = <V extends string | undefined>(value: V) => V

function encoder(encodingType: string | undefined): Encode {
  if (encodingType === undefined) return (value) => value
  if (encodingType !== 'url') throw s3Errors.invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType)
  return ((value: string | undefined) => (value === undefined ? undefined : urlEncodeKey(value))) as Encode
}

function pageSize(maxKeys: number | undefined): number {
  if (maxKeys !== undefined && maxKeys < 0) throw s3Errors.invalidArgument('max-keys cannot be negative', 'max-keys', String(maxKeys))
  return Math.min(maxKeys ?? limits.maxListKeys, limits.maxListKeys)
}

function positionOf(entry: ListEntry): string {
  return entry.version?.key ?? entry.prefix!
}

function isLatest(bucket: Bucket, version: ObjectVersion): boolean {
  return bucket.current(version.key) === version
}

function owner(version: ObjectVersion): T.Owner {
  return { ID: canonicalId(version.owner) }
}

function objectEntry(v: ObjectVersion, enc: Encode, withOwner: boolean): T.Object {
  return {
    Key: enc(v.key), LastModified: v.lastModified, ETag: v.etag, Size: v.size, StorageClass: v.storageClass as T.ObjectStorageClass,
    Owner: withOwner ? owner(v) : undefined,
    ChecksumAlgorithm: v.checksum === undefined ? undefined : [v.checksum.algorithm],
    ChecksumType: v.checksum?.type,
  }
}

function contentsOf(entries: ListEntry[], enc: Encode, withOwner: boolean): { Contents?: T.Object[]; CommonPrefixes?: T.CommonPrefix[] } {
  const contents = entries.flatMap((e) => (e.version === undefined ? [] : [objectEntry(e.version, enc, withOwner)]))
  return { Contents: contents.length === 0 ? undefined : contents, CommonPrefixes: commonPrefixes(entries, enc) }
}

function commonPrefixes(entries: ListEntry[], enc: Encode): T.CommonPrefix[] | undefined {
  const prefixes = entries.flatMap((e) => (e.prefix === undefined ? [] : [{ Prefix: enc(e.prefix) }]))
  return prefixes.length === 0 ? undefined : prefixes
}

function encodeToken(position: string): string {
  return Buffer.from(position, 'utf8').toString('base64url')
}

function decodeToken(token: string): string {
  const position = Buffer.from(token, 'base64url').toString('utf8')
  if (position === '' || Buffer.from(position, 'utf8').toString('base64url') !== token) {
    throw s3Errors.invalidArgument('The continuation token provided is incorrect', 'continuation-token', token)
  }
  return position
}
