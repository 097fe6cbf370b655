// HTTP APIs' JWT authorizers at request time: the token from the identity source (a `Bearer ` prefix
// dropped), its RS256 signature checked with the issuer's JWKS (found through
// `{issuer}/.well-known/openid-configuration`, which may be a local server), `iss`, `aud` or
// `client_id`, `exp` and `nbf` against Nimbus's clock, and the route's scopes. 401 Unauthorized for a
// missing or invalid token, 403 Forbidden for a token without a required scope.
import { createPublicKey, type KeyObject, verify } from 'node:crypto'
import type { AuthorizerData, RouteData } from '../data.ts'
import type { InvokeRequest } from '../port.ts'
import type { HttpApiState } from '../store.ts'
import { requestHeader } from './request-header.ts'

export type JwtOutcome = { denied: 401 | 403; reason: string } | { claims: Record<string, string>; scopes: string[] | null }

interface KeySet {
  keys: Map<string, KeyObject>
  fetchedAt: number
}

/** [R] How long AWS keeps an issuer's keys before fetching them again (a kid it doesn't know refetches at once). */
const keysTtlMs = 2 * 60 * 60 * 1000
const keySets = new WeakMap<HttpApiState, Map<string, KeySet>>()

export async function checkJwt(state: HttpApiState, authorizer: AuthorizerData, route: RouteData, request: InvokeRequest,
  stageVariables: Record<string, string>): Promise<JwtOutcome> {
  const raw = identity(authorizer.identitySource[0] ?? '', request, stageVariables)
  if (raw === undefined || raw === '') return { denied: 401, reason: 'no token' }
  const token = raw.replace(/^Bearer\s+/i, '')
  const parts = token.split('.')
  if (parts.length !== 3) return { denied: 401, reason: 'the token is not a JWT' }
  const header = decodeJson(parts[0]!)
  const payload = decodeJson(parts[1]!)
  if (header === undefined || payload === undefined) return { denied: 401, reason: 'the token does not decode' }
  if (header['alg'] !== 'RS256') return { denied: 401, reason: `unsupported alg ${String(header['alg'])}` }
  const key = await signingKey(state, authorizer.issuer ?? '', String(header['kid'] ?? ''))
  if (key === undefined) return { denied: 401, reason: 'no key of the issuer matches the token' }
  const signed = verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2]!, 'base64url'))
  if (!signed) return { denied: 401, reason: 'the signature does not match' }
  const now = state.clock.now() / 1000
  if (payload['iss'] !== authorizer.issuer) return { denied: 401, reason: 'the issuer does not match' }
  const audiences = Array.isArray(payload['aud']) ? payload['aud'].map(String) : payload['aud'] === undefined ? [] : [String(payload['aud'])]
  if (payload['client_id'] !== undefined) audiences.push(String(payload['client_id']))
  if (!audiences.some((a) => (authorizer.audience ?? []).includes(a))) return { denied: 401, reason: 'the audience does not match' }
  if (typeof payload['exp'] !== 'number' || payload['exp'] <= now) return { denied: 401, reason: 'the token has expired' }
  if (typeof payload['nbf'] === 'number' && payload['nbf'] > now) return { denied: 401, reason: 'the token is not valid yet' }
  const scopeClaim = payload['scope'] ?? payload['scp']
  const scopes = typeof scopeClaim === 'string' ? scopeClaim.split(' ').filter((s) => s !== '') : Array.isArray(scopeClaim) ? scopeClaim.map(String) : null
  const required = route.authorizationScopes ?? []
  if (required.length > 0 && !required.some((s) => scopes?.includes(s))) return { denied: 403, reason: 'no required scope' }
  return { claims: stringClaims(payload), scopes }
}

/** [R] Claims reach the integration as strings: numbers and booleans as text, an array as `[a b]`. */
function stringClaims(payload: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(payload)) {
    out[k] = typeof v === 'string' ? v : Array.isArray(v) ? `[${v.map(String).join(' ')}]` : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)
  }
  return out
}

function identity(source: string, request: InvokeRequest, stageVariables: Record<string, string>): string | undefined {
  const [, kind, name] = /^\$(request\.header|request\.querystring|stageVariables)\.(.+)$/.exec(source) ?? []
  if (name === undefined) return undefined
  if (kind === 'request.header') return requestHeader(request, name)
  if (kind === 'request.querystring') return request.query.get(name) ?? undefined
  return stageVariables[name]
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined
  } catch {
    return undefined
  }
}

async function signingKey(state: HttpApiState, issuer: string, kid: string): Promise<KeyObject | undefined> {
  const sets = keySets.get(state) ?? new Map<string, KeySet>()
  keySets.set(state, sets)
  const cached = sets.get(issuer)
  const fresh = cached !== undefined && state.clock.now() - cached.fetchedAt < keysTtlMs
  if (fresh && cached.keys.has(kid)) return cached.keys.get(kid)
  const fetched = await fetchKeys(issuer)
  if (fetched === undefined) return fresh ? cached.keys.get(kid) : undefined
  sets.set(issuer, { keys: fetched, fetchedAt: state.clock.now() })
  return fetched.get(kid)
}

/** The issuer's discovery document, then its `jwks_uri`: RSA keys by kid. Unreachable → undefined (the request answers 401). */
async function fetchKeys(issuer: string): Promise<Map<string, KeyObject> | undefined> {
  try {
    const discovery = await (await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000) })).json() as { jwks_uri?: unknown }
    if (typeof discovery.jwks_uri !== 'string') return undefined
    const jwks = await (await fetch(discovery.jwks_uri, { signal: AbortSignal.timeout(5000) })).json() as { keys?: unknown }
    const keys = new Map<string, KeyObject>()
    for (const jwk of Array.isArray(jwks.keys) ? jwks.keys as Record<string, unknown>[] : []) {
      if (jwk['kty'] !== 'RSA') continue
      try {
        keys.set(String(jwk['kid'] ?? ''), createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' }))
      } catch {
        // A key that doesn't import is skipped, as a verifier would.
      }
    }
    return keys
  } catch {
    return undefined
  }
}
