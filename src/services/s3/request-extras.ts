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
  if (signed === undefined || !Number.isInteger(seconds) || seconds < 1 || seconds > limits.maxPresignSeconds) {
    throw s3Errors.invalidArgument('X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be ' +
      'less than 604800 seconds', 'X-Amz-Expires', expires)
  }
  const expiry = signed + seconds * 1000
  const now = clock.now()
  if (now > expiry) throw s3Errors.expired(expires, isoSeconds(expiry), isoSeconds(now))
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
