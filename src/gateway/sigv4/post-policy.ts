// S3 POST uploads (browser forms) with the flag on: the form's `x-amz-signature` must be the HMAC of
// its base64 `policy` under the signing key of `x-amz-credential` (AWS's "POST policy" signing). The
// policy's conditions and expiration are S3's own business (services/s3/post-policy.ts).
import type { AwsError } from '../../protocol/errors.ts'
import type { HttpRequest } from '../../protocol/http.ts'
import { invalidToken, policySignatureMismatch, queryParametersError, unknownAccessKey, unsupportedAlgorithm } from './auth-errors.ts'
import { knownKey, type SignatureDeps, tokenMatches } from './credentials.ts'
import { verifyPost2 } from './s3-sigv2.ts'
import { ALGORITHM, signature, signingKey } from './signing.ts'

const S3 = { protocol: 'rest-xml', queryCompatible: false } as const

export function verifyPostPolicy(request: HttpRequest, deps: SignatureDeps): AwsError | undefined {
  const fields = formFields(request.body, request.headers['content-type'] ?? '')
  if (fields.has('awsaccesskeyid') && fields.has('signature')) return verifyPost2(fields, deps)
  const provided = fields.get('x-amz-signature')
  // An unsigned form is an anonymous upload: S3 decides whether the bucket takes those.
  if (provided === undefined) return undefined
  const policy = fields.get('policy') ?? ''
  const algorithm = fields.get('x-amz-algorithm')
  if (algorithm !== undefined && algorithm !== ALGORITHM) return unsupportedAlgorithm(S3)
  const parts = (fields.get('x-amz-credential') ?? '').split('/')
  if (parts.length !== 5 || parts[4] !== 'aws4_request') {
    return queryParametersError('Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; ' +
      'expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".')
  }
  const [accessKeyId = '', date = '', region = '', service = ''] = parts
  const key = knownKey(accessKeyId, deps.keys)
  if (key === undefined) return unknownAccessKey(S3, accessKeyId)
  const token = fields.get('x-amz-security-token')
  if (!tokenMatches(key, token)) return invalidToken(S3, accessKeyId, token)
  for (const secret of key.secrets) if (signature(signingKey(secret, date, region, service), policy) === provided) return undefined
  return policySignatureMismatch(accessKeyId, policy, provided)
}

/**
 * The form's text fields by lower-cased name (S3 matches field names case-insensitively), up to the
 * `file` field: AWS ignores fields after it, and the file itself may be large.
 */
export function formFields(body: Buffer, contentType: string): Map<string, string> {
  const fields = new Map<string, string>()
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType)
  if (boundary === null) return fields
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]!.trim()}`)
  let at = body.indexOf(delimiter)
  while (at !== -1) {
    const start = at + delimiter.length
    // `--` after the delimiter closes the form.
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break
    const headersEnd = body.indexOf('\r\n\r\n', start)
    if (headersEnd === -1) break
    const next = body.indexOf(delimiter, headersEnd + 4)
    const head = body.toString('latin1', start, headersEnd)
    const name = /name="([^"]*)"/i.exec(head)?.[1]?.toLowerCase()
    if (name === 'file') break
    // The part's content ends with the CRLF before the next delimiter.
    const end = next === -1 ? body.length : next - 2
    if (name !== undefined && !fields.has(name)) fields.set(name, body.toString('utf8', headersEnd + 4, Math.max(headersEnd + 4, end)))
    at = next
  }
  return fields
}
