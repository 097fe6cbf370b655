// Who is asking S3 and the condition keys a bucket policy can test: the caller's principal (the
// access key's account, an IAM user's or role session's ARN, or anonymous for an unsigned request),
// the global keys (aws:SourceIp, aws:SecureTransport, aws:CurrentTime…) and S3's own (s3:prefix,
// s3:x-amz-acl, s3:ExistingObjectTag/<k>, s3:RequestObjectTag/<k>, s3:VersionId…).
import type { AccessKeyLookup } from '../../../core/access-keys.ts'
import type { Principal } from '../../../policy/evaluate.ts'
import { requestKeys } from '../../../policy/request-keys.ts'
import type { HttpRequest } from '../../../protocol/http.ts'
import type { Caller } from '../../service.ts'
import { canonicalId } from '../bucket-name.ts'
import type { ObjectVersion } from '../object.ts'
import { tagsFromHeader } from '../object-input.ts'

export interface Requester {
  principal: Principal
  /** The account the credentials act in; empty when anonymous. */
  account: string
  anonymous: boolean
}

export const anonymousRequester: Requester = { principal: { arn: '*', account: '' }, account: '', anonymous: true }

/** Unsigned: neither an Authorization header nor presigned query parameters (SigV4 or SigV2). */
export function isUnsigned(request: HttpRequest): boolean {
  const { query } = request
  return request.headers['authorization'] === undefined && !query.has('X-Amz-Credential') && !query.has('AWSAccessKeyId')
}

/** The principal behind a key: an IAM user or role session Nimbus issued, else the account's root (`test`, 12-digit keys). */
export function requesterOf(caller: Caller, keys: AccessKeyLookup | undefined): Requester {
  const issued = caller.accessKeyId.length === 20 ? keys?.principal(caller.accessKeyId) : undefined
  const account = issued?.account ?? caller.account
  const principal: Principal = { arn: issued?.arn ?? `arn:aws:iam::${account}:root`, account, canonicalUser: canonicalId(account) }
  const session = issued === undefined ? null : /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(issued.arn)
  if (session !== null) principal.roleArn = `arn:aws:iam::${session[1]}:role/${session[2]}`
  return { principal, account, anonymous: false }
}

const headerKeys = ['x-amz-acl', 'x-amz-grant-full-control', 'x-amz-grant-read', 'x-amz-grant-read-acp', 'x-amz-grant-write',
  'x-amz-grant-write-acp', 'x-amz-server-side-encryption', 'x-amz-server-side-encryption-aws-kms-key-id',
  'x-amz-server-side-encryption-customer-algorithm', 'x-amz-storage-class', 'x-amz-metadata-directive', 'x-amz-copy-source',
  'x-amz-website-redirect-location', 'x-amz-content-sha256', 'x-amz-object-ownership']
const listOperations = new Set(['ListObjects', 'ListObjectsV2', 'ListObjectVersions'])
const taggingWrites = new Set(['PutObject', 'CopyObject', 'CreateMultipartUpload'])

export interface ContextInput {
  operation: string
  request: HttpRequest
  input: Record<string, unknown>
  bucketOwner: string
  /** The object the request acts on, when it exists (s3:ExistingObjectTag). */
  version: ObjectVersion | undefined
  now: number
}

/** The condition keys of one request. Nimbus listens on plain HTTP: aws:SecureTransport is "false". */
export function conditionContext({ operation, request, input, bucketOwner, version, now }: ContextInput): Record<string, string | string[]> {
  const { headers, query } = request
  const out: Record<string, string | string[]> = {
    ...requestKeys(request, now, false),
    's3:ResourceAccount': bucketOwner,
    's3:authType': headers['authorization'] !== undefined ? 'REST-HEADER' : operation === 'PostObject' ? 'POST' : 'REST-QUERY-STRING',
    's3:signatureversion': (headers['authorization'] ?? '').startsWith('AWS ') || query.has('AWSAccessKeyId') ? 'AWS' : 'AWS4-HMAC-SHA256',
  }
  for (const name of headerKeys) if (headers[name] !== undefined) out[`s3:${name}`] = headers[name]
  for (const name of ['mode', 'retain-until-date', 'legal-hold']) {
    const value = headers[`x-amz-object-lock-${name}`]
    if (value !== undefined) out[`s3:object-lock-${name}`] = value
  }
  const versionId = query.get('versionId')
  if (versionId !== null) out['s3:VersionId'] = versionId
  if (listOperations.has(operation)) {
    // Without a prefix parameter s3:prefix is the empty string (AWS's examples allow `""` to list the root).
    out['s3:prefix'] = query.get('prefix') ?? ''
    if (query.has('delimiter')) out['s3:delimiter'] = query.get('delimiter')!
    if (query.has('max-keys')) out['s3:max-keys'] = query.get('max-keys')!
  }
  if (version !== undefined && !version.deleteMarker) {
    for (const [key, value] of Object.entries(version.tags)) out[`s3:ExistingObjectTag/${key}`] = value
  }
  const requested = requestTags(operation, input, headers)
  if (requested !== undefined) {
    for (const [key, value] of Object.entries(requested)) out[`s3:RequestObjectTag/${key}`] = value
    out['s3:RequestObjectTagKeys'] = Object.keys(requested)
  }
  return out
}

function requestTags(operation: string, input: Record<string, unknown>, headers: Readonly<Record<string, string>>): Record<string, string> | undefined {
  if (taggingWrites.has(operation) && headers['x-amz-tagging'] !== undefined) {
    try {
      return tagsFromHeader(headers['x-amz-tagging'])
    } catch {
      return undefined
    }
  }
  if (operation !== 'PutObjectTagging') return undefined
  const set = (input.Tagging as { TagSet?: Array<{ Key?: string; Value?: string }> } | undefined)?.TagSet ?? []
  return Object.fromEntries(set.map((t) => [t.Key ?? '', t.Value ?? '']))
}
