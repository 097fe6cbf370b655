// Request parameter mapping on Lambda proxy integrations of HTTP APIs: CreateIntegration's reference
// gives every integration without an IntegrationSubtype the `append|overwrite|remove:header.x` /
// `querystring.x` / `overwrite:path` transform, and the function sees the request as transformed —
// the event built first (with the headers API Gateway adds), then the mapping applied to its headers,
// query string and path, as an HTTP_PROXY backend would receive them.
import { pushOwn, setOwn } from '../../../core/own-keys.ts'
import type { ServiceCallFacts } from './aws-service.ts'
import { mapRequest, type MappedRequest } from './parameter-mapping.ts'

type Event = Record<string, unknown>

/** The event's headers and query string as the mapping sees them (lower-cased names; the 2.0 cookies as one header). */
function mappedInput(event: Event, v2: boolean, facts: ServiceCallFacts): MappedRequest {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries((event.headers ?? {}) as Record<string, string>)) headers[name.toLowerCase()] = value
  if (v2 && Array.isArray(event.cookies)) headers['cookie'] = (event.cookies as string[]).join('; ')
  const query = new URLSearchParams()
  for (const [key, value] of facts.request.query) query.append(key, value)
  return { headers, query }
}

function queryMaps(query: URLSearchParams): { joined: Record<string, string>; last: Record<string, string>; all: Record<string, string[]> } {
  const all: Record<string, string[]> = {}
  for (const [key, value] of query) pushOwn(all, key, value)
  const joined: Record<string, string> = {}
  const last: Record<string, string> = {}
  for (const [key, values] of Object.entries(all)) {
    setOwn(joined, key, values.join(','))
    setOwn(last, key, values.at(-1)!)
  }
  return { joined, last, all }
}

const orUndefined = <T extends object>(o: T): T | undefined => (Object.keys(o).length === 0 ? undefined : o)

/** Rewrites the event's headers, query string members and path by the integration's RequestParameters. */
export function mapLambdaEvent(event: Event, v2: boolean, parameters: Record<string, string>, facts: ServiceCallFacts): Event {
  const mapped = mappedInput(event, v2, facts)
  mapRequest(parameters, facts, mapped)
  // A mapping that touches no query string member leaves the query as the client wrote it (its encoding included).
  const query = Object.keys(parameters).some((key) => key.includes(':querystring.'))
  const { joined, last, all } = queryMaps(mapped.query)
  const context = event.requestContext as Record<string, unknown>
  if (v2) {
    const cookie = mapped.headers['cookie']
    delete mapped.headers['cookie']
    event.cookies = cookie === undefined ? undefined : cookie.split(/;\s*/).filter((c) => c !== '')
    event.headers = mapped.headers
    if (query) {
      event.rawQueryString = mapped.query.toString()
      event.queryStringParameters = orUndefined(joined)
    }
    if (mapped.path !== undefined) {
      // [R] The function's rawPath is the mapped path, as the backend's path is for HTTP_PROXY.
      event.rawPath = mapped.path
      context.http = { ...(context.http as object), path: mapped.path }
    }
    return event
  }
  // A header the mapping left alone keeps all its values.
  const before = (event.headers ?? {}) as Record<string, string>
  const multi = (event.multiValueHeaders ?? {}) as Record<string, string[]>
  event.headers = mapped.headers
  event.multiValueHeaders = Object.fromEntries(Object.entries(mapped.headers).map(([k, v]) => [k, before[k] === v && multi[k] !== undefined ? multi[k] : [v]]))
  if (query) {
    const empty = Object.keys(all).length === 0
    event.queryStringParameters = empty ? null : last
    event.multiValueQueryStringParameters = empty ? null : all
  }
  if (mapped.path !== undefined) {
    event.path = mapped.path
    context.path = mapped.path
  }
  return event
}
