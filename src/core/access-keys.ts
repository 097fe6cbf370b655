// Who an access key belongs to. IAM users' keys and STS's temporary credentials register here; the
// gateway asks it which account a request's key acts in, without knowing IAM's or STS's insides.
// Only keys Nimbus issued are listed: `test`, 12-digit keys and keys from elsewhere never are.
import { randomBytes } from 'node:crypto'

export interface KeyPrincipal {
  /** The account the key acts in. */
  account: string
  /** GetCallerIdentity's Arn: the user, or `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
  arn: string
  /** GetCallerIdentity's UserId: the user's id (AIDA…), or `<role id>:<session>` for a role session. */
  userId: string
  /** Temporary credentials end (epoch ms on Nimbus's clock); long-term keys never. */
  expiresAt?: number
  /** The secret the key signs with: `--verify-signatures` checks SigV4 signatures against it. */
  secretAccessKey?: string
  /** Temporary credentials only: the X-Amz-Security-Token a request signed with the key must carry. */
  sessionToken?: string
  /** An IAM key made Inactive (UpdateAccessKey): `--verify-signatures` refuses it as AWS does. */
  inactive?: boolean
}

/** What the gateway asks: one Map lookup per request whose key is not `test` or 12 digits. */
export interface AccessKeyLookup {
  principal(accessKeyId: string): KeyPrincipal | undefined
}

export class AccessKeyDirectory implements AccessKeyLookup {
  readonly #keys = new Map<string, KeyPrincipal>()

  principal(accessKeyId: string): KeyPrincipal | undefined {
    return this.#keys.get(accessKeyId)
  }

  set(accessKeyId: string, principal: KeyPrincipal): void {
    this.#keys.set(accessKeyId, principal)
  }

  delete(accessKeyId: string): void {
    this.#keys.delete(accessKeyId)
  }
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/**
 * An access key id in AWS's format: a 4-letter prefix (AKIA long-term, ASIA temporary) and 16 base32
 * characters encoding 10 bytes whose first 6 hold `account << 7 | 7 random bits` (the layout AWS
 * uses since 2019, so GetAccessKeyInfo and tools that decode keys find the account in it).
 */
export function newAccessKeyId(prefix: 'AKIA' | 'ASIA' | 'AIDA' | 'AROA' | 'ANPA' | 'AGPA' | 'AIPA', account: string): string {
  const bytes = randomBytes(10)
  let head = (BigInt(account) << 7n) | BigInt(bytes[5]! & 0x7f)
  for (let i = 5; i >= 0; i--) {
    bytes[i] = Number(head & 0xffn)
    head >>= 8n
  }
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
    value &= (1 << bits) - 1
  }
  return prefix + out
}

/** The account an AWS-format key id (AKIA…/ASIA…, 20 characters) encodes, or undefined for older or foreign keys. */
export function accountOfAccessKeyId(accessKeyId: string): string | undefined {
  if (!/^A[A-Z0-9]{3}[A-Z2-7]{16}$/.test(accessKeyId)) return undefined
  let head = 0n
  let bits = 0n
  for (const char of accessKeyId.slice(4, 14)) {
    head = (head << 5n) | BigInt(BASE32.indexOf(char))
    bits += 5n
  }
  // 10 characters = 50 bits; the first 48 are the 6 bytes.
  head >>= bits - 48n
  return ((head & 0x7fffffffff80n) >> 7n).toString().padStart(12, '0')
}

/** A secret access key: 40 characters of AWS's alphabet. */
export function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64').replace(/\+/g, 'a').replace(/\//g, 'b')
}
