// Delivery to an API destination target: one HTTP request per attempt with the connection's
// authorization and invocation parameters, the target's HttpParameters and AWS's fixed headers
// [D: user guide, "API destinations"]. The outcome decides what the fabric does next:
// 2xx delivered; 401, 407, 409, 429, 5xx and timeouts retried within the target's RetryPolicy
// (honouring Retry-After); 1xx, 3xx and other 4xx straight to the DLQ [D: "API destination error
// codes"; the current guide adds 401/407/409 to the older "429 and 5xx"].
import type { Clock } from '../../core/clock.ts'
import type { HttpClient } from '../../core/http-client.ts'
import { parseArn } from '../../core/arn.ts'
import { DeliveryFailure } from '../../fabric/failure.ts'
import type { Delivery } from '../../fabric/types.ts'
import { apiDestinationNameFromArn, type ApiDestination } from './api-destination.ts'
import { connectionNameFromArn, type Connection } from './connection.ts'
import type * as T from './generated/types.ts'
import { apiDestinationTimeoutMs } from './limits.ts'
import { forgetToken, oauthToken } from './oauth.ts'
import type { EventBridgeState } from './store.ts'

/** Headers EventBridge adds to every request [D]. */
const fixedHeaders = {
  'user-agent': 'Amazon/EventBridge/ApiDestinations',
  'content-type': 'application/json; charset=utf-8',
  range: 'bytes=0-1048575',
  'accept-encoding': 'gzip,deflate',
  connection: 'close',
}

const retryableStatuses = new Set([401, 407, 409, 429])
const prefix = 'Unable to invoke ApiDestination endpoint: '

export class ApiDestinationSender {
  private readonly state: EventBridgeState
  private readonly http: HttpClient
  private readonly clock: Clock

  constructor(state: EventBridgeState, http: HttpClient, clock: Clock) {
    this.state = state
    this.http = http
    this.clock = clock
  }

  async send(delivery: Delivery): Promise<void> {
    const payload = delivery.payload
    const destination = this.destination(delivery.target)
    const connection = this.connection(destination)
    const headers: Record<string, string> = { ...fixedHeaders }
    const query = new URLSearchParams()
    // Target parameters first: the connection's win on conflicting keys [D: API_HttpParameters].
    const http = delivery.options?.extra?.httpParameters as T.HttpParameters | undefined
    for (const [k, v] of Object.entries(http?.HeaderParameters ?? {})) headers[k.toLowerCase()] = v
    for (const [k, v] of Object.entries(http?.QueryStringParameters ?? {})) query.set(k, v)
    const invocation = connection.auth.InvocationHttpParameters
    for (const p of invocation?.HeaderParameters ?? []) if (p.Key !== undefined) headers[p.Key.toLowerCase()] = p.Value ?? ''
    for (const p of invocation?.QueryStringParameters ?? []) if (p.Key !== undefined) query.set(p.Key, p.Value ?? '')
    Object.assign(headers, await this.authorization(connection))

    const url = new URL(fillPath(destination.endpoint, http?.PathParameterValues ?? []))
    for (const [k, v] of query) url.searchParams.set(k, v)
    // GET and HEAD carry no body [R].
    const body = destination.method === 'GET' || destination.method === 'HEAD' ? undefined : withBodyParameters(payload, invocation)
    const outcome = await this.http.send({ method: destination.method, url: url.toString(), headers, body, timeoutMs: apiDestinationTimeoutMs })

    if ('error' in outcome) {
      // A real DLQ record of a timed-out API destination carries ERROR_CODE UNKNOWN and this text [S-secondary].
      if (outcome.timedOut) throw new DeliveryFailure('UNKNOWN', `${prefix}Timeout calling endpoint for API Destination: socket closed.`, { retryable: true })
      throw new DeliveryFailure('SDK_CLIENT_ERROR', `${prefix}API destination endpoint cannot be reached.`, { retryable: true })
    }
    const status = outcome.status
    if (status >= 200 && status <= 299) return
    // OAuth tokens are refreshed when the endpoint answers 401 or 407 [D].
    if ((status === 401 || status === 407) && connection.type === 'OAUTH_CLIENT_CREDENTIALS') forgetToken(connection)
    const retryAfterMs = retryAfter(outcome.headers['retry-after'], this.clock.now())
    const retryable = (status >= 500 || retryableStatuses.has(status)) && retryAfterMs >= 0
    // The ERROR_CODE and wording for an endpoint's error status are ours [R].
    throw new DeliveryFailure('ERROR_FROM_TARGET', `${prefix}The endpoint responded with status code ${status}.`, { retryable, retryAfterMs: Math.max(0, retryAfterMs) })
  }

  private destination(arn: string): ApiDestination {
    const parsed = parseArn(arn)
    const name = apiDestinationNameFromArn(arn)
    const destination = parsed === undefined || name === undefined ? undefined
      : this.state.regions.peek(parsed.account, parsed.region)?.apiDestinations.get(name)
    if (destination === undefined || destination.arn !== arn) throw new DeliveryFailure('NO_RESOURCE', `API destination ${arn} does not exist.`)
    return destination
  }

  private connection(destination: ApiDestination): Connection {
    const parsed = parseArn(destination.connectionArn)
    const name = connectionNameFromArn(destination.connectionArn)
    const connection = parsed === undefined || name === undefined ? undefined
      : this.state.regions.peek(parsed.account, parsed.region)?.connections.get(name)
    if (connection === undefined || connection.arn !== destination.connectionArn) {
      throw new DeliveryFailure('NO_RESOURCE', `Connection ${destination.connectionArn} does not exist.`)
    }
    // A deauthorized connection has no credentials left until UpdateConnection gives it new ones [D].
    if (connection.state === 'DEAUTHORIZED' || connection.state === 'DEAUTHORIZING') {
      throw new DeliveryFailure('SDK_CLIENT_ERROR', `${prefix}Connection ${connection.name} is deauthorized${connection.stateReason === undefined ? '' : `: ${connection.stateReason}`}`)
    }
    return connection
  }

  /** The connection's Authorization (Basic, Bearer) or API-key header. */
  private async authorization(connection: Connection): Promise<Record<string, string>> {
    const auth = connection.auth
    switch (connection.type) {
      case 'BASIC': {
        const { Username, Password } = auth.BasicAuthParameters!
        return { authorization: `Basic ${Buffer.from(`${Username}:${Password}`).toString('base64')}` }
      }
      case 'API_KEY':
        return { [auth.ApiKeyAuthParameters!.ApiKeyName.toLowerCase()]: auth.ApiKeyAuthParameters!.ApiKeyValue }
      case 'OAUTH_CLIENT_CREDENTIALS': {
        const result = await oauthToken(connection, this.http, this.clock)
        if ('error' in result) throw new DeliveryFailure('SDK_CLIENT_ERROR', `${prefix}${result.error}`)
        return { authorization: `Bearer ${result.token}` }
      }
    }
  }
}

/** Each `*` in the endpoint's path takes the next PathParameterValues entry, in order [D]. */
export function fillPath(endpoint: string, values: readonly string[]): string {
  const url = new URL(endpoint)
  let next = 0
  url.pathname = url.pathname.split('/').map((segment) =>
    segment === '*' || segment === '%2A' ? encodeURIComponent(values[next++] ?? '') : segment).join('/')
  return url.toString()
}

/** Connection body parameters join a JSON-object payload as keys, the connection's winning [R]. */
function withBodyParameters(payload: string, params: T.ConnectionHttpParameters | undefined): string {
  const extra = params?.BodyParameters ?? []
  if (extra.length === 0) return payload
  let parsed: unknown
  try {
    parsed = JSON.parse(payload)
  } catch {
    return payload
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return payload
  const merged = { ...(parsed as Record<string, unknown>) }
  for (const p of extra) if (p.Key !== undefined) merged[p.Key] = p.Value ?? ''
  return JSON.stringify(merged)
}

/**
 * Retry-After in seconds or as an HTTP date, as milliseconds from now; 0 when absent; negative
 * when the endpoint sent a negative value (AWS then stops retrying that event [D]).
 */
function retryAfter(header: string | string[] | undefined, now: number): number {
  const value = Array.isArray(header) ? header[0] : header
  if (value === undefined || value.trim() === '') return 0
  if (/^\s*-?\d+\s*$/.test(value)) return Number(value) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? 0 : Math.max(0, at - now)
}
