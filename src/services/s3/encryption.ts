// Server-side encryption state as S3 keeps and reports it: SSE-S3 (AES256), SSE-KMS (aws:kms + key
// ARN), DSSE-KMS, and SSE-C (the customer's key bound to the object by its MD5). Nothing is really
// encrypted: what matters to clients is which headers come back and which requests S3 refuses.
import { createHash } from 'node:crypto'
import type { Bucket } from './bucket.ts'
import { s3Errors } from './errors.ts'
import type { ServerSideEncryption } from './generated/types.ts'
import type { ContentHeaders } from './object.ts'

/** What a version stores about its encryption (inside its headers, so the rows keep it). */
export interface EncryptionState {
  ServerSideEncryption?: string
  SSEKMSKeyId?: string
  BucketKeyEnabled?: boolean
  SSECustomerAlgorithm?: string
  SSECustomerKeyMD5?: string
}

/** The SSE members of a write request (PutObject, CopyObject, CreateMultipartUpload, a POST form). */
export interface EncryptionRequest {
  ServerSideEncryption?: string
  SSEKMSKeyId?: string
  BucketKeyEnabled?: boolean
  SSECustomerAlgorithm?: string
  SSECustomerKey?: string
  SSECustomerKeyMD5?: string
}

export interface CustomerKey {
  SSECustomerAlgorithm?: string
  SSECustomerKey?: string
  SSECustomerKeyMD5?: string
}

const methods = new Set(['AES256', 'aws:kms', 'aws:kms:dsse'])

/**
 * Validates a write's SSE headers and decides the new object's encryption: SSE-C when a customer key
 * is sent, else the requested method, else the bucket's default encryption (a KMS key included).
 */
export function encryptionFor(input: EncryptionRequest, bucket: Bucket, account: string): EncryptionState {
  const sse = input.ServerSideEncryption
  const customer = customerKeyMd5(input, 'x-amz-server-side-encryption')
  if (customer !== undefined) {
    if (sse !== undefined) {
      throw s3Errors.invalidArgument('Server Side Encryption with Customer provided key is incompatible with the encryption method specified',
        'x-amz-server-side-encryption', sse)
    }
    return { SSECustomerAlgorithm: 'AES256', SSECustomerKeyMD5: customer }
  }
  if (sse !== undefined && !methods.has(sse)) {
    throw s3Errors.invalidArgument('The encryption method specified is not supported', 'x-amz-server-side-encryption', sse)
  }
  const kms = sse === 'aws:kms' || sse === 'aws:kms:dsse'
  if (input.SSEKMSKeyId !== undefined && !kms) {
    throw s3Errors.invalidArgument('Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id', input.SSEKMSKeyId)
  }
  if (sse === 'AES256') return { ServerSideEncryption: 'AES256' }
  if (kms) {
    return strip({ ServerSideEncryption: sse, SSEKMSKeyId: kmsKeyArn(input.SSEKMSKeyId, bucket.region, account),
      BucketKeyEnabled: input.BucketKeyEnabled === true ? true : undefined })
  }
  return bucketDefault(bucket, account)
}

/** The bucket's default encryption (SSE-S3 unless PutBucketEncryption said otherwise). */
export function bucketDefault(bucket: Bucket, account: string): EncryptionState {
  const config = bucket.configs.get('encryption') as
    { Rules?: Array<{ ApplyServerSideEncryptionByDefault?: { SSEAlgorithm?: string; KMSMasterKeyID?: string }; BucketKeyEnabled?: boolean }> } | undefined
  const rule = config?.Rules?.[0]
  const algorithm = rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm ?? 'AES256'
  if (algorithm !== 'aws:kms' && algorithm !== 'aws:kms:dsse') return { ServerSideEncryption: 'AES256' }
  return strip({ ServerSideEncryption: algorithm, SSEKMSKeyId: kmsKeyArn(rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID,
    bucket.region, account), BucketKeyEnabled: rule?.BucketKeyEnabled === true ? true : undefined })
}

/**
 * A key id as S3 reports it: a full ARN as given; a bare key id or alias qualified with the bucket's
 * region and the caller's account; none means the account's AWS managed key `aws/s3` (a stable id per
 * account and region, as AWS's is).
 */
function kmsKeyArn(keyId: string | undefined, region: string, account: string): string {
  if (keyId !== undefined && keyId.startsWith('arn:')) return keyId
  if (keyId !== undefined && keyId.startsWith('alias/')) return `arn:aws:kms:${region}:${account}:${keyId}`
  if (keyId !== undefined) return `arn:aws:kms:${region}:${account}:key/${keyId}`
  const h = createHash('sha256').update(`aws/s3:${account}:${region}`).digest('hex')
  return `arn:aws:kms:${region}:${account}:key/${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/**
 * The MD5 of a valid customer key, undefined when none of the three SSE-C headers came; AWS's 400s
 * for a missing or unsupported algorithm, a key that is not 256 bits, or an MD5 that doesn't match.
 * `prefix` names the headers in errors (`x-amz-copy-source-server-side-encryption` for a copy source).
 */
export function customerKeyMd5(input: CustomerKey, prefix: string): string | undefined {
  const { SSECustomerAlgorithm: algorithm, SSECustomerKey: key, SSECustomerKeyMD5: md5 } = input
  if (algorithm === undefined && key === undefined && md5 === undefined) return undefined
  if (algorithm === undefined) {
    throw s3Errors.invalidArgument('Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.',
      prefix, 'null')
  }
  if (algorithm !== 'AES256') {
    throw s3Errors.invalidEncryptionAlgorithm(`${prefix}-customer-algorithm`, algorithm)
  }
  if (key === undefined) {
    throw s3Errors.invalidArgument('Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.',
      prefix, 'null')
  }
  const bytes = Buffer.from(key, 'base64')
  if (bytes.length !== 32 || !/^[A-Za-z0-9+/]+={0,2}$/.test(key)) {
    throw s3Errors.invalidArgument('The secret key was invalid for the specified algorithm.', prefix, 'null')
  }
  const actual = createHash('md5').update(bytes).digest('base64')
  if (md5 === undefined) {
    throw s3Errors.invalidArgument('Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key.',
      prefix, 'null')
  }
  if (md5 !== actual) {
    throw s3Errors.invalidArgument('The calculated MD5 hash of the key did not match the hash that was provided.', prefix, 'null')
  }
  return actual
}

/**
 * Reading (GET, HEAD, a copy's source, GetObjectAttributes) an SSE-C object needs its key: none → 400,
 * another key → 403. Customer-key headers on any other object → 400.
 */
export function checkCustomerKey(stored: EncryptionState, input: CustomerKey, prefix = 'x-amz-server-side-encryption'): void {
  const sent = customerKeyMd5(input, prefix)
  if (stored.SSECustomerKeyMD5 === undefined) {
    if (sent !== undefined) throw s3Errors.invalidRequest('The encryption parameters are not applicable to this object.')
    return
  }
  if (sent === undefined) {
    throw s3Errors.invalidRequest('The object was stored using a form of Server Side Encryption. The correct parameters must be provided to ' +
      'retrieve the object.')
  }
  if (sent !== stored.SSECustomerKeyMD5) throw s3Errors.accessDenied('Access Denied')
}

/**
 * Every part of an SSE-C upload carries the key the upload was created with; other uploads take none
 * [R: the wording of these refusals].
 */
export function checkPartKey(upload: { headers: EncryptionState }, input: CustomerKey): void {
  const sent = customerKeyMd5(input, 'x-amz-server-side-encryption')
  const wanted = upload.headers.SSECustomerKeyMD5
  if (wanted === undefined) {
    if (sent !== undefined) throw s3Errors.invalidRequest('The encryption parameters are not applicable to this object.')
    return
  }
  if (sent === undefined) {
    throw s3Errors.invalidRequest('The multipart upload initiate requested encryption. Subsequent part requests must include the appropriate ' +
      'encryption parameters.')
  }
  if (sent !== wanted) {
    throw s3Errors.invalidRequest('The provided encryption parameters did not match the ones used originally.')
  }
}

/** The SSE response members for a stored state: SSE-C answers its algorithm and key MD5 only. */
export function encryptionMembers(state: EncryptionState): Omit<EncryptionState, 'ServerSideEncryption'> & { ServerSideEncryption?: ServerSideEncryption } {
  if (state.SSECustomerKeyMD5 !== undefined) return { SSECustomerAlgorithm: state.SSECustomerAlgorithm, SSECustomerKeyMD5: state.SSECustomerKeyMD5 }
  return strip({ ServerSideEncryption: (state.ServerSideEncryption ?? 'AES256') as ServerSideEncryption, SSEKMSKeyId: state.SSEKMSKeyId,
    BucketKeyEnabled: state.BucketKeyEnabled })
}

/** Content headers without their encryption part (a copy's destination decides its own). */
export function withoutEncryption(headers: ContentHeaders): ContentHeaders {
  const { ServerSideEncryption: _s, SSEKMSKeyId: _k, BucketKeyEnabled: _b, SSECustomerAlgorithm: _a, SSECustomerKeyMD5: _m, ...rest } = headers
  return rest
}

function strip<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}
