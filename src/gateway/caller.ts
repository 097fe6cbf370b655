// Account and region from the request's SigV4 credential scope (the signature is sigv4/verify.ts's business, when on).
import type { HttpRequest } from '../protocol/http.ts'
import type { AccessKeyLookup } from '../core/access-keys.ts'
import type { Caller } from '../services/service.ts'

export const DEFAULT_ACCOUNT = '000000000000'

export interface CredentialScope {
  accessKeyId: string
  region: string
  service: string
}

const headerScope = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/

/** The credential scope from `Authorization: AWS4-HMAC-SHA256 Credential=…` or a presigned `X-Amz-Credential`. */
export function credentialScope(request: HttpRequest): CredentialScope | undefined {
  const auth = request.headers['authorization']
  const match = auth !== undefined ? headerScope.exec(auth) : null
  if (match !== null) return { accessKeyId: match[1]!, region: match[2]!, service: match[3]! }
  const credential = request.query.get('X-Amz-Credential')
  if (credential !== null) {
    const [accessKeyId, , region, service] = credential.split('/')
    if (accessKeyId && region && service) return { accessKeyId, region, service }
  }
  return undefined
}

/**
 * A 12-digit access key *is* the account id (handy for cross-account tests); a key Nimbus issued (an
 * IAM user's AKIA…, STS's ASIA…) acts in its owner's account; anything else is the default account.
 * `test` and 12-digit keys — nearly every request — never reach the lookup.
 */
export function resolveCaller(scope: CredentialScope | undefined, defaultRegion: string, keys?: AccessKeyLookup): Caller {
  const accessKeyId = scope?.accessKeyId ?? ''
  let account = DEFAULT_ACCOUNT
  if (accessKeyId.length === 12 && /^\d{12}$/.test(accessKeyId)) account = accessKeyId
  else if (accessKeyId.length === 20 && keys !== undefined) account = keys.principal(accessKeyId)?.account ?? DEFAULT_ACCOUNT
  return { accessKeyId, account, region: scope?.region ?? defaultRegion }
}
