// S3's numbers, named once.
export const limits = {
  /** Every part but the last must be at least 5 MiB. */
  minPartBytes: 5 * 1024 * 1024,
  maxPartBytes: 5 * 1024 * 1024 * 1024,
  maxParts: 10_000,
  /** A single PUT: 5 GiB. */
  maxPutBytes: 5 * 1024 * 1024 * 1024,
  maxKeyBytes: 1024,
  /** List pages: MaxKeys, MaxUploads, MaxParts default and cap. */
  maxListKeys: 1000,
  /** ListBuckets without MaxBuckets returns every bucket (AWS: up to 10,000 per account). */
  maxBuckets: 10_000,
  maxObjectTags: 10,
  maxBucketTags: 50,
  maxTagKeyLength: 128,
  maxTagValueLength: 256,
  /** User metadata (x-amz-meta-*): 2 KB. */
  maxMetadataBytes: 2 * 1024,
  /** DeleteObjects: at most 1,000 keys per request. */
  maxDeleteKeys: 1000,
  /** Presigned URLs: at most 7 days. */
  maxPresignSeconds: 7 * 24 * 60 * 60,
}
