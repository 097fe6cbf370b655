// SigV4's arithmetic, server side, from AWS's "Create a signed AWS API request" documentation:
// canonical request, string to sign, signing key, signature. Pure functions over strings; what a
// request's parts are (header or presigned query) is verify.ts's business.
import { createHash, createHmac } from 'node:crypto'

export const ALGORITHM = 'AWS4-HMAC-SHA256'
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

/** RFC 3986 unreserved characters stay; every other UTF-8 byte becomes %XY (upper-case hex), `/` too unless `keepSlash`. */
export function uriEncode(value: string, keepSlash = false): string {
  let out = ''
  for (const byte of Buffer.from(value, 'utf8')) {
    const unreserved = (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39)
      || byte === 0x2d || byte === 0x2e || byte === 0x5f || byte === 0x7e
    out += unreserved || (keepSlash && byte === 0x2f) ? String.fromCharCode(byte) : `%${byte < 16 ? '0' : ''}${byte.toString(16).toUpperCase()}`
  }
  return out
}

/** `%XY` decoded as UTF-8; a malformed escape is kept as sent rather than refused (the signature then decides). */
function uriDecode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

/**
 * The canonical URI. S3 signs the path as sent (one encoding, no normalisation: `a//b` and `./` are
 * key characters); every other service normalises the path (no `.`/`..` segments, no empty ones)
 * and encodes it a second time, as the SDKs do (`%3A` in a Lambda ARN is signed as `%253A`).
 */
export function canonicalUri(rawPath: string, s3: boolean): string {
  if (s3) return uriEncode(uriDecode(rawPath), true) || '/'
  const segments: string[] = []
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue
    if (segment === '..') segments.pop()
    else segments.push(segment)
  }
  const path = `/${segments.join('/')}${rawPath.endsWith('/') && segments.length > 0 ? '/' : ''}`
  return uriEncode(path, true)
}

/**
 * The canonical query string: every parameter (but `X-Amz-Signature` of a presigned URL) URI-encoded,
 * sorted by name then value, `name=value` joined by `&`. Read from the raw query where there is one:
 * `+` is a plus there, never a space (SigV4 clients encode a space as %20).
 */
export function canonicalQuery(query: string | URLSearchParams, skip?: string): string {
  const pairs: [string, string][] = []
  const add = (name: string, value: string) => {
    const encoded = uriEncode(name)
    if (encoded !== skip) pairs.push([encoded, uriEncode(value)])
  }
  if (typeof query !== 'string') for (const [name, value] of query) add(name, value)
  else {
    for (const part of query.split('&')) {
      if (part === '') continue
      const eq = part.indexOf('=')
      add(uriDecode(eq === -1 ? part : part.slice(0, eq)), eq === -1 ? '' : uriDecode(part.slice(eq + 1)))
    }
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
  return pairs.map(([name, value]) => `${name}=${value}`).join('&')
}

/** `name:value\n` per signed header (value trimmed, inner runs of spaces collapsed), in the order signed. */
export function canonicalHeaders(headers: Readonly<Record<string, string | string[] | undefined>>, signed: readonly string[]): string {
  let out = ''
  for (const name of signed) {
    const raw = headers[name]
    const value = Array.isArray(raw) ? raw.join(',') : (raw ?? '')
    out += `${name}:${value.trim().replace(/\s+/g, ' ')}\n`
  }
  return out
}

export interface CanonicalParts {
  method: string
  uri: string
  query: string
  headers: string
  signedHeaders: string
  payloadHash: string
}

export function canonicalRequest(p: CanonicalParts): string {
  return `${p.method}\n${p.uri}\n${p.query}\n${p.headers}\n${p.signedHeaders}\n${p.payloadHash}`
}

/** `<date>/<region>/<service>/aws4_request`. */
export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`
}

const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest()

/** Signing keys by secret and scope: one per client per day, so four HMACs are saved on every other request. */
const keyCache = new Map<string, Buffer>()
const KEY_CACHE_MAX = 256

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const id = `${secret}\n${date}\n${region}\n${service}`
  const cached = keyCache.get(id)
  if (cached !== undefined) return cached
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request')
  if (keyCache.size >= KEY_CACHE_MAX) keyCache.delete(keyCache.keys().next().value!)
  keyCache.set(id, key)
  return key
}

export function signature(key: Buffer, toSign: string): string {
  return createHmac('sha256', key).update(toSign).digest('hex')
}

/** A streamed chunk's string to sign (STREAMING-AWS4-HMAC-SHA256-PAYLOAD): chained on the previous signature. */
export function chunkStringToSign(amzDate: string, scope: string, previous: string, chunkHash: string): string {
  return `${ALGORITHM}-PAYLOAD\n${amzDate}\n${scope}\n${previous}\n${EMPTY_SHA256}\n${chunkHash}`
}

/** The trailer's string to sign (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER). */
export function trailerStringToSign(amzDate: string, scope: string, previous: string, trailerHash: string): string {
  return `${ALGORITHM}-TRAILER\n${amzDate}\n${scope}\n${previous}\n${trailerHash}`
}

/** `20150830T123600Z` → epoch ms, or undefined when not in that form. */
export function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value)
  if (m === null) return undefined
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]))
  return Number.isNaN(ms) ? undefined : ms
}

/** epoch ms → `20150830T123600Z`. */
export function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
}
