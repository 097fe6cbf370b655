// OAuth client-credentials for connections: the token request to the connection's
// AuthorizationEndpoint, made when an invocation first needs a token (and again after the token
// expired or the endpoint answered 401/407, when AWS refreshes it [D]). Success moves the connection
// to AUTHORIZED; failure to DEAUTHORIZED with the reason in StateReason.
import type { Clock } from '../../core/clock.ts'
import type { HttpClient } from '../../core/http-client.ts'
import type { Connection } from './connection.ts'
import type * as T from './generated/types.ts'
import { apiDestinationTimeoutMs } from './limits.ts'

export type TokenResult = { token: string } | { error: string }

/** Tokens without `expires_in` are kept until a 401/407 asks for a new one. */
const tokens = new WeakMap<Connection, { token: string; expiresAt: number; generation: number }>()
const fetching = new WeakMap<Connection, Promise<TokenResult>>()

export function forgetToken(connection: Connection): void {
  tokens.delete(connection)
}

/** A valid token for the connection, fetching one when there is none (one request at a time per connection). */
export function oauthToken(connection: Connection, http: HttpClient, clock: Clock): Promise<TokenResult> {
  const cached = tokens.get(connection)
  if (cached !== undefined && cached.generation === connection.generation && clock.now() < cached.expiresAt) {
    return Promise.resolve({ token: cached.token })
  }
  const running = fetching.get(connection)
  if (running !== undefined) return running
  const generation = connection.generation
  const promise = requestToken(connection, http).then((result) => {
    fetching.delete(connection)
    // Credentials changed (UpdateConnection/Deauthorize) while the request was out: its answer is moot.
    if (generation !== connection.generation) return { error: 'The connection changed while its token was being fetched.' }
    if ('token' in result) {
      tokens.set(connection, { token: result.token, expiresAt: result.expiresAt, generation })
      connection.state = 'AUTHORIZED'
      connection.stateReason = undefined
      connection.authorizedAt = clock.now()
      connection.save()
      return { token: result.token }
    }
    connection.state = 'DEAUTHORIZED'
    connection.stateReason = result.error
    connection.save()
    return result
  })
  fetching.set(connection, promise)
  return promise

  async function requestToken(conn: Connection, client: HttpClient): Promise<{ token: string; expiresAt: number } | { error: string }> {
    const oauth = conn.auth.OAuthParameters
    if (oauth === undefined) return { error: 'The connection has no OAuthParameters.' }
    const { ClientID: id, ClientSecret: secret } = oauth.ClientParameters
    const extra = oauth.OAuthHttpParameters
    const url = new URL(oauth.AuthorizationEndpoint)
    for (const p of extra?.QueryStringParameters ?? []) if (p.Key !== undefined) url.searchParams.set(p.Key, p.Value ?? '')
    // The client credentials go as HTTP Basic and grant_type=client_credentials as a form body
    // (RFC 6749 §4.4), plus the connection's OAuthHttpParameters [R: AWS's exact request shape].
    const form = new URLSearchParams({ grant_type: 'client_credentials' })
    for (const p of extra?.BodyParameters ?? []) if (p.Key !== undefined) form.set(p.Key, p.Value ?? '')
    const headers: Record<string, string> = {
      authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
      'user-agent': 'Amazon/EventBridge/ApiDestinations', accept: 'application/json',
    }
    for (const p of extra?.HeaderParameters ?? []) if (p.Key !== undefined) headers[p.Key.toLowerCase()] = p.Value ?? ''
    const method: T.ConnectionOAuthHttpMethod = oauth.HttpMethod
    if (method === 'GET') for (const [k, v] of form) url.searchParams.set(k, v)
    else headers['content-type'] = 'application/x-www-form-urlencoded'
    const outcome = await client.send({
      method, url: url.toString(), headers, body: method === 'GET' ? undefined : form.toString(),
      timeoutMs: apiDestinationTimeoutMs, keepBodyBytes: 64 * 1024,
    })
    if ('error' in outcome) return { error: `Failed to fetch the OAuth token: ${outcome.error}` }
    if (outcome.status < 200 || outcome.status > 299) return { error: `The authorization endpoint responded with status code ${outcome.status}.` }
    let parsed: { access_token?: unknown; expires_in?: unknown }
    try {
      parsed = JSON.parse(outcome.body) as typeof parsed
    } catch {
      return { error: 'The authorization endpoint did not answer with JSON.' }
    }
    if (typeof parsed.access_token !== 'string' || parsed.access_token === '') return { error: 'The authorization endpoint answered without an access_token.' }
    const expiresIn = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in * 1000 : Infinity
    return { token: parsed.access_token, expiresAt: clock.now() + expiresIn }
  }
}
