// Which secret a request's access key signs with, for `--verify-signatures`: the documented default
// credentials, IAM users' keys and STS's temporary ones (with their session token).
import type { AccessKeyLookup } from '../../core/access-keys.ts'
import type { Clock } from '../../core/clock.ts'

/** What every check needs: the clock (skew, expiry) and the directory of keys Nimbus issued. */
export interface SignatureDeps {
  clock: Clock
  keys?: AccessKeyLookup
}

/**
 * The defaults Nimbus documents: access key `test` (or a 12-digit account id, which Nimbus takes as
 * the caller's account) with secret `test`. Functions run with their account id and secret
 * `nimbus` (runtime/environment-variables.ts), so that secret is accepted for the same keys too.
 */
const DEFAULT_SECRETS: readonly string[] = ['test', 'nimbus']

export interface KnownKey {
  /** The secrets that may have signed (one, but for the default keys). */
  secrets: readonly string[]
  /** Temporary credentials' token, which the request must carry; null: the key takes no token; undefined: not checked (defaults). */
  sessionToken: string | null | undefined
}

export function knownKey(accessKeyId: string, keys: AccessKeyLookup | undefined): KnownKey | undefined {
  if (accessKeyId === 'test' || (accessKeyId.length === 12 && /^\d{12}$/.test(accessKeyId))) return { secrets: DEFAULT_SECRETS, sessionToken: undefined }
  const principal = keys?.principal(accessKeyId)
  // An Inactive IAM key is refused as one AWS doesn't know.
  if (principal?.secretAccessKey === undefined || principal.inactive === true) return undefined
  return { secrets: [principal.secretAccessKey], sessionToken: principal.sessionToken ?? null }
}

/** Whether the token sent (header or presigned parameter) is the one the key requires. */
export function tokenMatches(key: KnownKey, sent: string | undefined): boolean {
  if (key.sessionToken === undefined) return true
  if (key.sessionToken === null) return sent === undefined
  return sent === key.sessionToken
}
