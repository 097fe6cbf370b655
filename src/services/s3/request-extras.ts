// What an S3 operation needs from the HTTP request that the model doesn't bind: how the body is
// framed (aws-chunked, trailers) and the presigned URL's expiry, checked against Nimbus's clock.
import type { Clock } from '../../core/clock.ts'
import type { HttpRequest } from '../../protocol/http.ts'
import { isAwsChunked } from './body/aws-chunked.ts'
import type { Transfer } from './body/ingest.ts'
import { s3Errors } from './errors.ts'
import { limits } from './limits.ts'

const extrasKey = Symbol('s3 request extras')

export interface RequestExtras {
  transfer: Transfer
}

export function attachExtras(input: Record<string | symbol, unknown>, request: HttpRequest): void {
  const decoded = request.headers['x-amz-decoded-content-length']
  const extras: RequestExtras = {
    transfer: {
      awsChunked: isAwsChunked(request.headers),
      decodedLength: decoded === undefined || !/^\d+$/.test(decoded) ? undefined : Number(decoded),
      trailer: request.headers['x-amz-trailer'],
    },
  }
  input[extrasKey] = extras
}

export function extrasOf(input: object): RequestExtras {
  return ((input as Record<symbol, unknown>)[extrasKey] as RequestExtras | undefined) ??
    { transfer: { awsChunked: false, decodedLength: undefined, trailer: undefined } }
}

/**
 * A single PUT (PutObject, UploadPart) carries at most 5 GiB. The size it declares — Content-Length,
 * or x-amz-decoded-content-length inside aws-chunked framing — is judged before a byte of the body
 * is read: EntityTooLarge with the proposed and allowed sizes, as S3 answers it.
 */
export function checkDeclaredSize(input: { ContentLength?: number }): void {
  const { transfer } = extrasOf(input)
  const declared = transfer.awsChunked ? transfer.decodedLength : input.ContentLength
  if (declared !== undefined && declared > limits.maxPutBytes) throw s3Errors.entityTooLarge(declared, limits.maxPutBytes)
}

/** A presigned URL past `X-Amz-Date + X-Amz-Expires` is refused: AccessDenied "Request has expired". */
export function checkPresignedExpiry(query: URLSearchParams, clock: Clock): void {
  const expires = query.get('X-Amz-Expires')
  const date = query.get('X-Amz-Date')
  if (expires === null || date === null) return
  const signed = parseAmzDate(date)
  const seconds = Number(expires)
  // Out of range is AuthorizationQueryParametersError [D: the week's wording; the others R].
  if (!/^-?\d+$/.test(expires)) throw s3Errors.authorizationQueryParameters('X-Amz-Expires should be a number')
  if (seconds < 0) throw s3Errors.authorizationQueryParameters('X-Amz-Expires must be non-negative')
  if (seconds > limits.maxPresignSeconds) {
    throw s3Errors.authorizationQueryParameters('X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be ' +
      'less than 604800 seconds')
  }
  if (signed === undefined) throw s3Errors.authorizationQueryParameters('X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"')
  const expiry = signed + seconds * 1000
  const now = clock.now()
  // X-Amz-Expires=0 is a URL that expired as it was signed.
  if (now >= expiry) throw s3Errors.expired(expires, isoSeconds(expiry), isoSeconds(now))
}

/** `20260101T120000Z` → epoch ms. */
function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value)
  if (m === null) return undefined
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]))
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/**
 * x-amz-expected-bucket-owner (and x-amz-source-expected-bucket-owner for a copy's source), on every
 * operation: not an account id → 400; another account's bucket → 403 AccessDenied. A missing bucket
 * is left to the operation (NoSuchBucket). Wording of the 400 [R].
 */
export function checkExpectedOwner(headers: Readonly<Record<string, string>>, input: { Bucket?: unknown; CopySource?: unknown },
  ownerOf: (bucket: string) => string | undefined): void {
  const check = (header: string, bucket: string | undefined) => {
    const expected = headers[header]
    if (expected === undefined) return
    if (!/^\d{12}$/.test(expected)) {
      throw s3Errors.invalidArgument('The value of the expected bucket owner parameter must be an AWS Account ID...', header, expected)
    }
    const owner = bucket === undefined ? undefined : ownerOf(bucket)
    if (owner !== undefined && owner !== expected) throw s3Errors.accessDenied('Access Denied')
  }
  check('x-amz-expected-bucket-owner', typeof input.Bucket === 'string' ? input.Bucket : undefined)
  if (typeof input.CopySource === 'string') {
    let source = input.CopySource
    try {
      source = decodeURIComponent(source)
    } catch {
      // the copy itself refuses a malformed source
    }
    check('x-amz-source-expected-bucket-owner', source.replace(/^\//, '').split('/')[0])
  }
}
