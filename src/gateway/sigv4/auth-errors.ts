// AWS's answers to a request whose signature fails `--verify-signatures`, per protocol family: S3's
// own XML errors, the query APIs' (SQS query, SNS, STS, IAM), the awsJson front end (status 400) and
// the REST-JSON front end (Lambda: 403). Wordings from AWS answers quoted in public bug reports
// (SDK and tool issue trackers); the ones marked [R] are recalled, not seen in a recorded answer.
import { AwsError } from '../../protocol/errors.ts'
import type { ProtocolName } from '../../protocol/model.ts'

/** Who renders the error: S3 (rest-xml), a query API, an awsJson API (optionally query-compatible: SQS), a REST-JSON API. */
export interface ErrorFamily {
  protocol: ProtocolName
  /** awsJson services that also name the legacy query code (SQS): `x-amzn-query-error`. */
  queryCompatible: boolean
}

const INVALID_TOKEN = 'The security token included in the request is invalid.'
const MISMATCH = 'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'
const S3_MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your key and signing method.'

/** The front end's error in the family's shape: query code/status for query APIs, JSON code (400 or 403) otherwise. */
function frontEnd(family: ErrorFamily, queryCode: string, jsonCode: string, message: string): AwsError {
  const { protocol } = family
  if (protocol === 'query' || protocol === 'ec2' || protocol === 'rest-xml') return new AwsError(queryCode, message, { status: 403 })
  if (protocol === 'rest-json') return new AwsError(jsonCode, message, { status: 403 })
  // awsJson: 400, and query-compatible services name the query code too (SDKs report that one) [R].
  const headers = family.queryCompatible ? { 'x-amzn-query-error': `${queryCode};Sender` } : undefined
  return new AwsError(jsonCode, message, { status: 400, headers })
}

/** The key is not one Nimbus knows (nor a default one). */
export function unknownAccessKey(family: ErrorFamily, accessKeyId: string): AwsError {
  if (family.protocol === 'rest-xml') {
    return new AwsError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.',
      { status: 403, fields: { AWSAccessKeyId: accessKeyId } })
  }
  return frontEnd(family, 'InvalidClientTokenId', 'UnrecognizedClientException', INVALID_TOKEN)
}

/** Temporary credentials with a missing or different session token (or a token on a long-term key). */
export function invalidToken(family: ErrorFamily, accessKeyId: string, token: string | undefined): AwsError {
  if (family.protocol === 'rest-xml') {
    // Without a token S3 cannot find the temporary key at all [R].
    if (token === undefined) return unknownAccessKey(family, accessKeyId)
    // [R]: code and message; the Token-0 field echoing the token.
    return new AwsError('InvalidToken', 'The provided token is malformed or otherwise invalid.', { status: 400, fields: { 'Token-0': token } })
  }
  return frontEnd(family, 'InvalidClientTokenId', 'UnrecognizedClientException', INVALID_TOKEN)
}

export interface Calculated {
  accessKeyId: string
  canonicalRequest: string
  stringToSign: string
  signatureProvided: string
}

const hexBytes = (text: string): string => [...Buffer.from(text, 'utf8')].map((b) => b.toString(16).padStart(2, '0')).join(' ')

/**
 * The signature is not the one the secret gives. S3 lists what it signed (so a client can diff);
 * the other front ends put the canonical request and string to sign in the message.
 */
export function signatureMismatch(family: ErrorFamily, c: Calculated): AwsError {
  if (family.protocol === 'rest-xml') {
    return new AwsError('SignatureDoesNotMatch', S3_MISMATCH, { status: 403, fields: {
      AWSAccessKeyId: c.accessKeyId, StringToSign: c.stringToSign, SignatureProvided: c.signatureProvided,
      StringToSignBytes: hexBytes(c.stringToSign), CanonicalRequest: c.canonicalRequest, CanonicalRequestBytes: hexBytes(c.canonicalRequest),
    } })
  }
  const message = `${MISMATCH}\n\nThe Canonical String for this request should have been\n'${c.canonicalRequest}'\n\n` +
    `The String-to-Sign should have been\n'${c.stringToSign}'\n`
  return frontEnd(family, 'SignatureDoesNotMatch', 'InvalidSignatureException', message)
}

/** A POST upload's policy signature: S3 signed the base64 policy itself. */
export function policySignatureMismatch(accessKeyId: string, policy: string, provided: string): AwsError {
  return new AwsError('SignatureDoesNotMatch', S3_MISMATCH, { status: 403, fields: {
    AWSAccessKeyId: accessKeyId, StringToSign: policy, SignatureProvided: provided, StringToSignBytes: hexBytes(policy),
  } })
}

/** AWS allows a request's signing time to be this far from its own clock. */
export const MAX_SKEW_MS = 15 * 60_000

const amz = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')

/**
 * The request was signed more than 15 minutes from Nimbus's clock. S3: RequestTimeTooSkewed with
 * both times; the others: "Signature expired" (or "not yet current") naming the bound it broke.
 */
export function timeSkewed(family: ErrorFamily, requestTime: string, signedAt: number, now: number): AwsError {
  if (family.protocol === 'rest-xml') {
    return new AwsError('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', {
      status: 403,
      fields: { RequestTime: requestTime, ServerTime: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'), MaxAllowedSkewMilliseconds: MAX_SKEW_MS },
    })
  }
  const message = signedAt < now
    ? `Signature expired: ${requestTime} is now earlier than ${amz(now - MAX_SKEW_MS)} (${amz(now)} - 15 min.)`
    // [R]: the future-dated wording.
    : `Signature not yet current: ${requestTime} is still later than ${amz(now + MAX_SKEW_MS)} (${amz(now)} + 15 min.)`
  return frontEnd(family, 'SignatureDoesNotMatch', 'InvalidSignatureException', message)
}

/** A presigned request (not S3's: S3 checks its own URLs' expiry) past X-Amz-Date + X-Amz-Expires [R]. */
export function presignExpired(family: ErrorFamily, requestTime: string, expiry: number, now: number): AwsError {
  const message = `Signature expired: ${requestTime} is now earlier than ${amz(expiry)} (${amz(now)} - X-Amz-Expires)`
  return frontEnd(family, 'SignatureDoesNotMatch', 'InvalidSignatureException', message)
}

/** A header or presigned parameter SigV4 needs is missing or unreadable. */
export function incomplete(family: ErrorFamily, message: string): AwsError {
  // [R]: S3's AccessDenied for a missing date; the other front ends' IncompleteSignature as for a missing component.
  if (family.protocol === 'rest-xml') return new AwsError('AccessDenied', message, { status: 403 })
  if (family.protocol === 'query' || family.protocol === 'ec2') return new AwsError('IncompleteSignature', message, { status: 400 })
  return new AwsError('IncompleteSignatureException', message, { status: family.protocol === 'rest-json' ? 403 : 400 })
}

/** S3: a hashed payload whose SHA-256 is not the one the client signed. */
export function contentSha256Mismatch(provided: string, computed: string): AwsError {
  return new AwsError('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.",
    { status: 400, fields: { ClientComputedContentSHA256: provided, S3ComputedContentSHA256: computed } })
}

/** S3 needs x-amz-content-sha256 on every header-signed SigV4 request. */
export function missingContentSha256(): AwsError {
  return new AwsError('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256', { status: 400 })
}

/** [R]: the list's wording. */
export function invalidContentSha256(): AwsError {
  return new AwsError('InvalidArgument', 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, ' +
    'STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, ' +
    'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.', { status: 400,
    fields: { ArgumentName: 'x-amz-content-sha256' } })
}

/** Only SigV4 (AWS4-HMAC-SHA256) is checked: SigV2 and SigV4a requests are refused in this mode. */
export function unsupportedAlgorithm(family: ErrorFamily): AwsError {
  if (family.protocol === 'rest-xml') {
    return new AwsError('InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.', { status: 400 })
  }
  return incomplete(family, 'Nimbus verifies AWS Signature Version 4 (AWS4-HMAC-SHA256) only; this request is signed another way.')
}

/** S3: a presigned URL missing or garbling one of its X-Amz-* parameters. */
export function queryParametersError(message: string): AwsError {
  return new AwsError('AuthorizationQueryParametersError', message, { status: 400 })
}

/** An aws-chunked chunk (or the trailer) whose signature does not follow from the seed signature. */
export function chunkSignatureMismatch(accessKeyId: string, stringToSign: string, provided: string): AwsError {
  return new AwsError('SignatureDoesNotMatch', S3_MISMATCH, { status: 403, fields: {
    AWSAccessKeyId: accessKeyId, StringToSign: stringToSign, SignatureProvided: provided, StringToSignBytes: hexBytes(stringToSign),
  } })
}
