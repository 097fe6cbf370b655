// Whether a request carries AWS credentials at all, and AWS's answer when it doesn't. Signatures are
// not verified here (any key and signature pass; `--verify-signatures` checks them in sigv4/): this
// only makes unsigned requests — which a web page can send to a developer's laptop — fail as AWS
// fails them, so a page can't drive Nimbus.
import { AwsError } from '../protocol/errors.ts'
import type { HttpRequest } from '../protocol/http.ts'
import type { ProtocolName } from '../protocol/model.ts'
import { queryParams } from '../protocol/query/query.ts'
import { fromUntrustedPage, type CorsOrigins } from './cors.ts'

/** 'signed': an Authorization header or presigned query; 'anonymous': neither; a string: a header that isn't SigV4. */
export type Credentials = 'signed' | 'anonymous' | { malformed: string }

/**
 * A few string tests per request, no regex (the SQS hot path). An `Authorization` header counts
 * when it has SigV4's three components, or is S3's legacy `AWS <key>:<signature>`; a query string
 * counts when presigned (SigV4 `X-Amz-Credential` + `X-Amz-Signature`, SigV2 `AWSAccessKeyId` + `Signature`).
 * Signatures aren't checked by default, so a query or form signature from a page Nimbus doesn't trust
 * (`origins`; see cors.ts) counts as none outside S3: any page can forge one in a simple request (a form
 * POST, an `<img>`), and S3's presigned URLs are what pages legitimately use (its bucket CORS governs them).
 */
export function credentialsOf(request: HttpRequest, protocol: ProtocolName, origins?: CorsOrigins): Credentials {
  const auth = request.headers['authorization']
  if (auth !== undefined) {
    if ((auth.startsWith('AWS4-') && hasSigV4Parts(auth)) || (protocol === 'rest-xml' && auth.startsWith('AWS ') && auth.includes(':'))) return 'signed'
    return { malformed: auth }
  }
  const { query } = request
  if (query.size > 0 && ((query.has('X-Amz-Credential') && query.has('X-Amz-Signature')) || (query.has('AWSAccessKeyId') && query.has('Signature')))) {
    return forgeable(request, protocol, origins) ? 'anonymous' : 'signed'
  }
  // Query APIs signed with SigV2 (older SDKs) carry the signature among the form parameters.
  if (protocol === 'query' && request.body.length > 0) {
    const form = queryParams(request)
    if ((form.has('AWSAccessKeyId') || form.has('X-Amz-Credential')) && (form.has('Signature') || form.has('X-Amz-Signature'))) {
      return forgeable(request, protocol, origins) ? 'anonymous' : 'signed'
    }
  }
  return 'anonymous'
}

/** A query or form signature an untrusted page could have sent (not S3's presigned URLs). */
function forgeable(request: HttpRequest, protocol: ProtocolName, origins: CorsOrigins | undefined): boolean {
  return origins !== undefined && protocol !== 'rest-xml' && fromUntrustedPage(request, origins)
}

/** Credential (near the start), SignedHeaders and Signature (near the end, so searched from there): short scans. */
function hasSigV4Parts(auth: string): boolean {
  return auth.indexOf('Credential=') !== -1 && auth.lastIndexOf('Signature=') !== -1 && auth.indexOf('SignedHeaders=') !== -1
}

/** The operation an unsigned request asks for, where it can be told without parsing a body (services' anonymous rules). */
export function anonymousOperation(request: HttpRequest, protocol: ProtocolName): string | undefined {
  if (protocol === 'query') return queryParams(request).get('Action') ?? undefined
  const target = request.headers['x-amz-target']
  return target === undefined ? undefined : target.slice(target.lastIndexOf('.') + 1)
}

/**
 * AWS's answer to a request without credentials, by protocol: query APIs (SQS, SNS, STS) send 403
 * `MissingAuthenticationToken` "Request is missing Authentication Token"; the JSON APIs' front end
 * sends 400 `com.amazon.coral.service#MissingAuthenticationTokenException` with the same words (a
 * recorded awsJson1_0 answer; SDKs read the code after the `#`);
 * REST-JSON APIs behind AWS's API front end (Lambda) send 403 "Missing Authentication Token".
 * S3 answers AccessDenied itself (ServiceDefinition.authErrors).
 */
export function missingAuthentication(protocol: ProtocolName): AwsError {
  if (protocol === 'query') return new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', { status: 403 })
  if (protocol === 'rest-json') return new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', { status: 403 })
  return new AwsError('MissingAuthenticationTokenException', 'Request is missing Authentication Token', { status: 400 })
}

/**
 * An Authorization header that isn't SigV4: IncompleteSignature naming each missing component, then
 * the header as sent (AWS's wording). 400 on query and JSON APIs, 403 from Lambda's front end.
 */
export function incompleteSignature(protocol: ProtocolName, header: string): AwsError {
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((part) => !header.includes(`${part}=`))
    .map((part) => `Authorization header requires '${part}' parameter.`)
  const message = `${missing.join(' ')} Authorization=${header}`.trim()
  if (protocol === 'query') return new AwsError('IncompleteSignature', message, { status: 400 })
  return new AwsError('IncompleteSignatureException', message, { status: protocol === 'rest-json' ? 403 : 400 })
}

/**
 * Temporary credentials past their Expiration: AWS's front end refuses them before the service
 * runs. Query APIs (and S3) answer `ExpiredToken`, JSON APIs `ExpiredTokenException`, with the
 * wording clients match on to refresh credentials.
 */
export function expiredToken(protocol: ProtocolName): AwsError {
  const message = 'The security token included in the request is expired'
  if (protocol === 'query') return new AwsError('ExpiredToken', message, { status: 403 })
  if (protocol === 'rest-xml') return new AwsError('ExpiredToken', 'The provided token has expired.', { status: 400 })
  return new AwsError('ExpiredTokenException', message, { status: protocol === 'rest-json' ? 403 : 400 })
}
