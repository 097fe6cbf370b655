// `--verify-signatures`: checks a request's SigV4 signature (Authorization header or presigned
// query; S3 POST uploads in post-policy.ts) against the secret of its access key, as AWS's front
// ends do before a service sees the request. Only ever called with the flag on.
import { timingSafeEqual } from 'node:crypto'
import type { Readable } from 'node:stream'
import type { AwsError } from '../../protocol/errors.ts'
import type { HttpRequest } from '../../protocol/http.ts'
import {
  contentSha256Mismatch, type ErrorFamily, incomplete, invalidContentSha256, invalidToken, MAX_SKEW_MS, missingContentSha256,
  presignExpired, queryParametersError, signatureMismatch, timeSkewed, unknownAccessKey, unsupportedAlgorithm,
} from './auth-errors.ts'
import { ChunkSignatures, checkedBody, hashedBody } from './chunked-body.ts'
import { type KnownKey, knownKey, type SignatureDeps, tokenMatches } from './credentials.ts'
import { verifyPostPolicy } from './post-policy.ts'
import { verifyHeader2, verifyQuery2 } from './s3-sigv2.ts'
import {
  ALGORITHM, canonicalHeaders, canonicalQuery, canonicalRequest, canonicalUri, formatAmzDate, parseAmzDate, sha256Hex, signature,
  signingKey, stringToSign,
} from './signing.ts'

/** The request passes (undefined), fails (an AwsError), or passes so far and its streamed body is checked as it is read. */
export type Verdict = AwsError | { bodyStream: Readable } | undefined

/** What `x-amz-content-sha256` may say besides a hex SHA-256 (S3's list; the ECDSA ones are SigV4a's, refused here). */
const PAYLOAD_MODES = new Set(['UNSIGNED-PAYLOAD', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER'])

/**
 * `request` is the request as it arrived (path before S3's virtual-host rewrite); `pathStyle` its
 * path-style path, which S3's SigV2 signs.
 */
export function verifySignature(request: HttpRequest, family: ErrorFamily, deps: SignatureDeps, pathStyle = request.rawPath): Verdict {
  const s3 = family.protocol === 'rest-xml'
  const auth = request.headers['authorization']
  if (auth !== undefined) return s3 && auth.startsWith('AWS ') ? verifyHeader2(request, auth, pathStyle, deps) : verifyHeader(request, auth, family, deps)
  const { query } = request
  if (query.has('X-Amz-Credential') || query.has('X-Amz-Signature') || query.has('X-Amz-Algorithm')) return verifyPresigned(request, family, deps)
  if (query.has('AWSAccessKeyId') && query.has('Signature')) return s3 ? verifyQuery2(request, pathStyle, deps) : unsupportedAlgorithm(family)
  if (s3 && request.method === 'POST' && /^multipart\/form-data/i.test(request.headers['content-type'] ?? '')) return verifyPostPolicy(request, deps)
  // Query APIs signed with SigV2 in the form body (credentialsOf lets them through as signed).
  if (family.protocol === 'query' && request.body.length > 0) {
    const form = new URLSearchParams(request.body.toString('latin1'))
    if (form.has('AWSAccessKeyId') || form.has('X-Amz-Credential')) return unsupportedAlgorithm(family)
  }
  // No credentials at all: the gateway already refused it unless the service serves it anonymously.
  return undefined
}

interface Signed {
  accessKeyId: string
  /** `<date>/<region>/<service>/aws4_request`. */
  scope: string
  date: string
  region: string
  service: string
  amzDate: string
  signedHeaders: string
  provided: string
}

/** `Credential=<key>/<date>/<region>/<service>/aws4_request`; undefined when not in that form. */
function scopeOf(credential: string): Pick<Signed, 'accessKeyId' | 'scope' | 'date' | 'region' | 'service'> | undefined {
  const parts = credential.split('/')
  if (parts.length !== 5 || parts[4] !== 'aws4_request' || parts.some((p) => p === '')) return undefined
  return { accessKeyId: parts[0]!, scope: parts.slice(1).join('/'), date: parts[1]!, region: parts[2]!, service: parts[3]! }
}

function verifyHeader(request: HttpRequest, auth: string, family: ErrorFamily, deps: SignatureDeps): Verdict {
  const space = auth.indexOf(' ')
  if (auth.slice(0, space) !== ALGORITHM) return unsupportedAlgorithm(family)
  const fields = new Map<string, string>()
  for (const part of auth.slice(space + 1).split(',')) {
    const eq = part.indexOf('=')
    if (eq !== -1) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim())
  }
  const scope = scopeOf(fields.get('Credential') ?? '')
  if (scope === undefined) return incomplete(family, `Authorization header requires 'Credential' parameter in the form <key>/<date>/<region>/<service>/aws4_request. Authorization=${auth}`)
  const amzDate = request.headers['x-amz-date'] ?? fromHttpDate(request.headers['date'])
  if (amzDate === undefined) {
    return incomplete(family, family.protocol === 'rest-xml' ? 'AWS authentication requires a valid Date or x-amz-date header'
      : `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${auth}`)
  }
  const signed: Signed = { ...scope, amzDate, signedHeaders: fields.get('SignedHeaders') ?? '', provided: fields.get('Signature') ?? '' }
  const key = knownKey(signed.accessKeyId, deps.keys)
  if (key === undefined) return unknownAccessKey(family, signed.accessKeyId)
  const token = request.headers['x-amz-security-token']
  if (!tokenMatches(key, token)) return invalidToken(family, signed.accessKeyId, token)
  const signedAt = parseAmzDate(amzDate)
  const now = deps.clock.now()
  if (signedAt === undefined) return incomplete(family, `Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`)
  if (Math.abs(now - signedAt) > MAX_SKEW_MS) return timeSkewed(family, amzDate, signedAt, now)

  const s3 = family.protocol === 'rest-xml'
  const declared = request.headers['x-amz-content-sha256']
  let payload: string
  if (s3) {
    if (declared === undefined) return missingContentSha256()
    if (!PAYLOAD_MODES.has(declared) && !/^[0-9a-f]{64}$/.test(declared)) return invalidContentSha256()
    payload = declared
  } else {
    payload = sha256Hex(request.body)
  }
  // Other services hash the body themselves; a client that declared its payload unsigned signed that.
  const payloads = !s3 && declared === 'UNSIGNED-PAYLOAD' ? [payload, declared] : [payload]
  const secret = compare(request, signed, key, payloads, family)
  if (typeof secret !== 'string') return secret
  if (!s3) return undefined
  return checkPayload(request, payload, signed, secret)
}

/** The body against what the client signed for it: a hash (checked as read), chunk signatures, or nothing (unsigned). */
function checkPayload(request: HttpRequest, payload: string, signed: Signed, secret: string): Verdict {
  if (payload.startsWith('STREAMING-AWS4-HMAC-SHA256-PAYLOAD')) {
    const chunks = new ChunkSignatures(signingKey(secret, signed.date, signed.region, signed.service), signed,
      payload.endsWith('TRAILER'))
    return checkedBody(request, chunks)
  }
  if (!/^[0-9a-f]{64}$/.test(payload)) return undefined
  if (request.bodyStream !== undefined) return { bodyStream: hashedBody(request.bodyStream, payload) }
  const computed = sha256Hex(request.body)
  return computed === payload ? undefined : contentSha256Mismatch(payload, computed)
}

function verifyPresigned(request: HttpRequest, family: ErrorFamily, deps: SignatureDeps): Verdict {
  const { query } = request
  const algorithm = query.get('X-Amz-Algorithm')
  const credential = query.get('X-Amz-Credential')
  const amzDate = query.get('X-Amz-Date')
  const signedHeaders = query.get('X-Amz-SignedHeaders')
  const provided = query.get('X-Amz-Signature')
  if (algorithm === null || credential === null || amzDate === null || signedHeaders === null || provided === null) {
    const message = 'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, ' +
      'X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.'
    return family.protocol === 'rest-xml' ? queryParametersError(message) : incomplete(family, message)
  }
  if (algorithm !== ALGORITHM) return unsupportedAlgorithm(family)
  const scope = scopeOf(credential)
  if (scope === undefined) {
    const message = `Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`
    return family.protocol === 'rest-xml' ? queryParametersError(message) : incomplete(family, message)
  }
  const signed: Signed = { ...scope, amzDate, signedHeaders, provided }
  const key = knownKey(signed.accessKeyId, deps.keys)
  if (key === undefined) return unknownAccessKey(family, signed.accessKeyId)
  const token = query.get('X-Amz-Security-Token') ?? request.headers['x-amz-security-token']
  if (!tokenMatches(key, token)) return invalidToken(family, signed.accessKeyId, token)
  const s3 = family.protocol === 'rest-xml'
  // S3 checks its URLs' expiry itself (services/s3, with its own errors); others' presigned URLs here.
  const signedAt = parseAmzDate(amzDate)
  const expires = Number(query.get('X-Amz-Expires') ?? '900')
  if (!s3 && signedAt !== undefined && Number.isFinite(expires) && deps.clock.now() > signedAt + expires * 1000) {
    return presignExpired(family, amzDate, signedAt + expires * 1000, deps.clock.now())
  }
  // S3 URLs sign UNSIGNED-PAYLOAD (or the hash they name); others the body's hash, or UNSIGNED-PAYLOAD as botocore's presigner does.
  const payloads = s3 ? [request.headers['x-amz-content-sha256'] ?? query.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD']
    : [sha256Hex(request.body), 'UNSIGNED-PAYLOAD']
  const secret = compare(request, signed, key, payloads, family, 'X-Amz-Signature')
  return typeof secret === 'string' ? undefined : secret
}

/**
 * Computes the signature for each way the request may have been canonicalised (S3: the path as sent,
 * or re-encoded; the payload modes a presigner may have used) and secret: the secret that matched, else AwsError.
 */
function compare(request: HttpRequest, signed: Signed, key: KnownKey, payloads: readonly string[], family: ErrorFamily,
  skip?: string): AwsError | string {
  const s3 = family.protocol === 'rest-xml'
  const names = signed.signedHeaders.split(';')
  const uris = s3 ? [...new Set([request.rawPath || '/', canonicalUri(request.rawPath, true)])] : [canonicalUri(request.rawPath, false)]
  const base = {
    method: request.method, query: canonicalQuery(request.rawQuery ?? request.query, skip),
    headers: canonicalHeaders(request.headers, names), signedHeaders: signed.signedHeaders,
  }
  let first: { canonical: string; toSign: string } | undefined
  for (const secret of key.secrets) {
    const signingKeyBytes = signingKey(secret, signed.date, signed.region, signed.service)
    for (const uri of uris) {
      for (const payloadHash of payloads) {
        const canonical = canonicalRequest({ ...base, uri, payloadHash })
        const toSign = stringToSign(signed.amzDate, signed.scope, canonical)
        first ??= { canonical, toSign }
        if (sameSignature(signature(signingKeyBytes, toSign), signed.provided)) return secret
      }
    }
  }
  return signatureMismatch(family, { accessKeyId: signed.accessKeyId, canonicalRequest: first!.canonical, stringToSign: first!.toSign,
    signatureProvided: signed.provided })
}

function sameSignature(expected: string, provided: string): boolean {
  return expected.length === provided.length && timingSafeEqual(Buffer.from(expected), Buffer.from(provided))
}

/** A `Date: Tue, 27 Mar 2007 19:36:42 GMT` header in SigV4's basic format, for clients that sign it instead of x-amz-date. */
function fromHttpDate(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? undefined : formatAmzDate(ms)
}
