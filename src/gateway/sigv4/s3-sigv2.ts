// S3's legacy Signature Version 2 (HMAC-SHA1), which boto3 still uses for presigned URLs and POSTs
// by default: `Authorization: AWS <key>:<signature>`, `?AWSAccessKeyId=&Expires=&Signature=`, and
// POST forms' `AWSAccessKeyId` + `signature` over the policy. From S3's "Signing and authenticating
// REST requests" (string to sign: verb, Content-MD5, Content-Type, Date or Expires, x-amz-* headers,
// resource with its sub-resources).
import { createHmac, timingSafeEqual } from 'node:crypto'
import { AwsError } from '../../protocol/errors.ts'
import type { HttpRequest } from '../../protocol/http.ts'
import { invalidToken, unknownAccessKey } from './auth-errors.ts'
import { type KnownKey, knownKey, type SignatureDeps, tokenMatches } from './credentials.ts'

const S3 = { protocol: 'rest-xml', queryCompatible: false } as const

/** Query parameters that belong to the signed resource (S3's list; response-* overrides included). */
const SUBRESOURCES = new Set(['acl', 'accelerate', 'analytics', 'attributes', 'cors', 'delete', 'encryption', 'intelligent-tiering',
  'inventory', 'legal-hold', 'lifecycle', 'location', 'logging', 'metrics', 'notification', 'object-lock', 'ownershipControls',
  'partNumber', 'policy', 'policyStatus', 'publicAccessBlock', 'replication', 'requestPayment', 'restore', 'retention', 'select',
  'select-type', 'tagging', 'torrent', 'uploadId', 'uploads', 'versionId', 'versioning', 'versions', 'website',
  'response-cache-control', 'response-content-disposition', 'response-content-encoding', 'response-content-language',
  'response-content-type', 'response-expires'])

export const sign2 = (secret: string, text: string): string => createHmac('sha1', secret).update(text, 'utf8').digest('base64')

/** `path` is the path-style path (`/bucket/key`, still encoded), also for a virtual-host request. */
export function stringToSign2(request: HttpRequest, dateOrExpires: string, path: string): string {
  const amz = Object.keys(request.headers).filter((name) => name.startsWith('x-amz-')).sort()
    .map((name) => `${name}:${String(request.headers[name]).trim()}\n`).join('')
  const sub = [...request.query.keys()].filter((name) => SUBRESOURCES.has(name)).sort()
    .map((name) => {
      const value = request.query.get(name)
      return value === '' || value === null ? name : `${name}=${value}`
    })
  const resource = `${path}${sub.length > 0 ? `?${sub.join('&')}` : ''}`
  return `${request.method}\n${request.headers['content-md5'] ?? ''}\n${request.headers['content-type'] ?? ''}\n${dateOrExpires}\n${amz}${resource}`
}

/** `Authorization: AWS <key>:<signature>` (dated by x-amz-date, which then stands in the x-amz-* lines, or Date). */
export function verifyHeader2(request: HttpRequest, auth: string, path: string, deps: SignatureDeps): AwsError | undefined {
  const [accessKeyId = '', provided = ''] = auth.slice(4).trim().split(':')
  const key = knownKey(accessKeyId, deps.keys)
  if (key === undefined) return unknownAccessKey(S3, accessKeyId)
  const token = request.headers['x-amz-security-token']
  if (!tokenMatches(key, token)) return invalidToken(S3, accessKeyId, token)
  const date = request.headers['x-amz-date'] !== undefined ? '' : (request.headers['date'] ?? '')
  return check(key, stringToSign2(request, date, path), accessKeyId, provided)
}

/** `?AWSAccessKeyId=…&Expires=<epoch s>&Signature=…`: Expires is signed in place of the date, and checked on the clock. */
export function verifyQuery2(request: HttpRequest, path: string, deps: SignatureDeps): AwsError | undefined {
  const accessKeyId = request.query.get('AWSAccessKeyId') ?? ''
  const expires = request.query.get('Expires') ?? ''
  const key = knownKey(accessKeyId, deps.keys)
  if (key === undefined) return unknownAccessKey(S3, accessKeyId)
  const token = request.query.get('x-amz-security-token') ?? request.headers['x-amz-security-token']
  if (!tokenMatches(key, token)) return invalidToken(S3, accessKeyId, token)
  const failure = check(key, stringToSign2(request, expires, path), accessKeyId, request.query.get('Signature') ?? '')
  if (failure !== undefined) return failure
  const now = deps.clock.now()
  if (!/^\d+$/.test(expires) || Number(expires) * 1000 <= now) {
    return new AwsError('AccessDenied', 'Request has expired', { status: 403, fields: {
      Expires: /^\d+$/.test(expires) ? new Date(Number(expires) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') : expires,
      ServerTime: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    } })
  }
  return undefined
}

/** A POST form signed with SigV2: `signature` = HMAC-SHA1 of the base64 policy. */
export function verifyPost2(fields: Map<string, string>, deps: SignatureDeps): AwsError | undefined {
  const accessKeyId = fields.get('awsaccesskeyid') ?? ''
  const key = knownKey(accessKeyId, deps.keys)
  if (key === undefined) return unknownAccessKey(S3, accessKeyId)
  const token = fields.get('x-amz-security-token')
  if (!tokenMatches(key, token)) return invalidToken(S3, accessKeyId, token)
  return check(key, fields.get('policy') ?? '', accessKeyId, fields.get('signature') ?? '')
}

function check(key: KnownKey, toSign: string, accessKeyId: string, provided: string): AwsError | undefined {
  const given = Buffer.from(provided)
  for (const secret of key.secrets) {
    const expected = Buffer.from(sign2(secret, toSign))
    if (expected.length === given.length && timingSafeEqual(expected, given)) return undefined
  }
  return new AwsError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    { status: 403, fields: { AWSAccessKeyId: accessKeyId, StringToSign: toSign, SignatureProvided: provided,
      StringToSignBytes: [...Buffer.from(toSign, 'utf8')].map((b) => b.toString(16).padStart(2, '0')).join(' ') } })
}
