// ListParts and ListMultipartUploads: pages over an upload's parts and a bucket's open uploads.
import type { Bucket } from '../bucket.ts'
import { canonicalId } from '../bucket-name.ts'
import { compareKeys } from '../bucket.ts'
import type * as T from '../generated/types.ts'
import { limits } from '../limits.ts'
import type { MultipartUpload } from '../multipart.ts'

export function listParts(bucket: Bucket, upload: MultipartUpload, input: T.ListPartsRequest): T.ListPartsOutput {
  const marker = input.PartNumberMarker === undefined ? 0 : Number(input.PartNumberMarker)
  const max = Math.min(input.MaxParts ?? limits.maxListKeys, limits.maxListKeys)
  const all = [...upload.parts.values()].filter((p) => p.number > marker).sort((a, b) => a.number - b.number)
  const page = all.slice(0, max)
  const truncated = all.length > page.length
  const owner = { ID: canonicalId(upload.owner) }
  return {
    Bucket: bucket.name, Key: upload.key, UploadId: upload.id, PartNumberMarker: String(marker) as never,
    NextPartNumberMarker: (page.length === 0 ? undefined : String(page.at(-1)!.number)) as never,
    MaxParts: max, IsTruncated: truncated, Initiator: owner, Owner: owner, StorageClass: upload.storageClass as T.StorageClass,
    ChecksumAlgorithm: upload.checksumAlgorithm, ChecksumType: upload.checksumType,
    Parts: page.map((p) => ({
      PartNumber: p.number, LastModified: p.lastModified, ETag: p.etag, Size: p.size,
      ...(p.checksum === undefined || upload.checksumAlgorithm === undefined ? {} : { [`Checksum${upload.checksumAlgorithm}`]: p.checksum }),
    })),
  }
}

export function listMultipartUploads(bucket: Bucket, input: T.ListMultipartUploadsRequest): T.ListMultipartUploadsOutput {
  const prefix = input.Prefix ?? ''
  const max = Math.min(input.MaxUploads ?? limits.maxListKeys, limits.maxListKeys)
  const keyMarker = input.KeyMarker || undefined
  const uploadMarker = input.UploadIdMarker || undefined
  const sorted = [...bucket.uploads.values()]
    .filter((u) => u.key.startsWith(prefix))
    .sort((a, b) => compareKeys(a.key, b.key) || a.initiated.getTime() - b.initiated.getTime())
  // After the key marker; inside it only after the upload id marker.
  let rest = sorted
  if (keyMarker !== undefined) {
    const i = uploadMarker === undefined ? -1 : sorted.findIndex((u) => u.key === keyMarker && u.id === uploadMarker)
    rest = i !== -1 ? sorted.slice(i + 1) : sorted.filter((u) => compareKeys(u.key, keyMarker) > 0)
  }
  const page = rest.slice(0, max)
  const truncated = rest.length > page.length
  const last = page.at(-1)
  return {
    Bucket: bucket.name, KeyMarker: input.KeyMarker ?? '', UploadIdMarker: input.UploadIdMarker ?? '', Prefix: prefix,
    Delimiter: input.Delimiter, MaxUploads: max, IsTruncated: truncated, EncodingType: input.EncodingType,
    NextKeyMarker: truncated ? last?.key : undefined, NextUploadIdMarker: truncated ? last?.id : undefined,
    Uploads: page.map((u) => ({
      UploadId: u.id, Key: u.key, Initiated: u.initiated, StorageClass: u.storageClass as T.StorageClass,
      Owner: { ID: canonicalId(u.owner) }, Initiator: { ID: canonicalId(u.owner) }, ChecksumAlgorithm: u.checksumAlgorithm,
      ChecksumType: u.checksumType,
    })),
  }
}
